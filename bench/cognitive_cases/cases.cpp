// Cognitive-complexity cases written for bench/cognitive_clang_tidy.py (not taken from any tool's tests).
#include <vector>
int g(int);
#define CHECK(x) if (x) { return 1; }
#define AND(a, b) ((a) && (b))
int b1(int a, int b, int c, int d) { if (a || b && c || d) return 1; return 0; }
int b2(int a, int b, int c, int d) { if (a && b || c && d) return 1; return 0; }
int b3(int a, int b, int c, int d) { if ((a || b) && (c || d)) return 1; return 0; }
int b4(int a, int b, int c) { if (a && !(b && c)) return 1; return 0; }
int b5(int a, int b, int c) { if (!(a || b) || c) return 1; return 0; }
int b6(int a, int b, int c) { return a && g(b && c) && c; }
int b7(int a, int b, int c, int d) { return a || (b || c) && d; }
int b8(int a, int b, int c, int d) { return a && b && c || d || a && b; }
int b9(int a, int b, int c, int d) { int x = a && b; int y = c || d; return x + y; }
int b10(int a, int b, int c, int d) { return a && (b = c || d); }
int b11(int a, int b, int c) { return a && (b ? c || a : b); }
int b12(int a, int b, int c) { return (a || b) || c && a || b; }
int go1(int a) { if (a) goto out; for (;;) { if (a) goto out; } out: return 0; }
int go2(int a) { void *p = &&lbl; goto *p; lbl: return a; }
int sw1(int a) { switch (a) { case 1: case 2: if (a) return 1; case 3: return 2; default: break; } return 0; }
int sw2(int a, int b) { switch (a && b) { case 1: { if (b) { while (a) {} } } } return 0; }
int t1(int a, int b, int c) { return a ? b : c ? a : b; }
int t2(int a, int b, int c) { return (a ? b : c) ? a : b; }
int t3(int a, int b, int c) { return a ? (b ? a : c) : c; }
int t4(int a, int b) { if (a ? b : a) return 1; return 0; }
int t5(int a, int b) { while (a ? b : a) {} return 0; }
int t6(int a, int b) { return a ?: b; }
int l1(int a) { auto f = [&](int x) { if (x) return 1; return 0; }; return f(a); }
int l2(int a) { auto f = [&](int x) { auto h = [&]() { if (x && a) return 1; return 0; }; return h(); }; if (a) return f(a); return 0; }
int l3(int a) { if (a) { auto f = [&]() { while (a) {} }; f(); } return 0; }
int m1(int a) { CHECK(a) return 0; }
int m2(int a, int b) { if (AND(a, b)) return 1; return 0; }
int tc1(int a) { try { if (a) throw 1; } catch (int e) { if (e) return 1; } catch (...) { return 2; } return 0; }
int tc2(int a) { try { try { g(a); } catch (...) { if (a) {} } } catch (...) {} return 0; }
int r1(int n) { if (n <= 1) return 1; return n * r1(n - 1); }
int e1(int a, int b) { if (a) {} else if (b) {} else { if (a) {} } return 0; }
int e2(int a, int b) { if (a) { if (b) {} else if (a) { if (b) {} } else {} } return 0; }
int fr1(int a, int b) { for (int i = a ? 1 : 2; i < b && a; i++) { if (i) {} } return 0; }
int ns1(int a) { struct L { int m(int b) { if (b) return 1; return 0; } }; L l; return l.m(a); }
int se1(int a) { int z = 0; int y = ({ if (a) z = 1; z; }); return y; }
int go3(int a) { goto out; out: return a; }
int go4(int a) { if (a) { goto out; } out: return a; }
int go5(int a) { for (;;) { for (;;) { goto out; } } out: return a; }
int fr3(int *xs, int n) { int arr[3] = {1, 2, 3}; for (int x : arr) { if (x) { continue; } else { break; } } do { n--; } while (n > 0 && xs); return 0; }
int fr4(int n) { for (int i = 0; i < n; i++) { for (int j = 0; j < i && j < n; j++) {} } return 0; }
int w1(int a, int b) { while (a && b) { if (a) {} } return 0; }
int neg1(int a, int b, int c) { return !a && b; }
int neg2(int a, int b, int c) { return !(a && b) && c; }
int neg3(int a, int b, int c) { return a && !(b || c); }
int neg4(int a, int b, int c) { return a || !(b || c); }
int call1(int a, int b, int c) { return a && g(b || c); }
int call2(int a, int b, int c) { return a && g(b && c); }
int q1(int a, int b) { if (a) while (b) {} return 0; }
int q2(int a, int b) { if (a) if (b) {} return 0; }
int q3(int a, int b) { if (a) {} else goto out; out: return 0; }
int q4(int a, int b) { while (a) goto out; out: return 0; }
int q5(int a, int b) { if (a) return b ? 1 : 2; return 0; }
int q6(int a, int b) { if (a) b = a && b; return 0; }
int q7(int a, int b) { if (a) {} else if (b) goto out; out: return 0; }
int q8(int a, int b) { switch (a) { case 1: goto out; } out: return 0; }
int q9(int a, int b) { if (a) { if (b) goto out; } out: return 0; }
struct S { int v; S(int a) : v(a ? 1 : 2) { if (a) {} } ~S() { if (v) {} } int mm() const { return v > 0 && v < 10 ? 1 : 0; } };
template <class T> int tf(T a) { if constexpr (sizeof(T) > 4) { return 1; } else { return 0; } }
int ini(int a) { if (int b = g(a); b > 0 && a) { return b; } switch (int c = a; c) { case 0: break; } return 0; }
int ftb(int a) try { if (a) throw 1; return 0; } catch (int) { return 1; }
int sws(int a, int b) { switch (a) { case 1: switch (b) { case 2: if (a && b) return 3; } break; } return 0; }
int lam2(int a) { if (a) { auto f = [&](int x) { for (int i = 0; i < x; i++) { if (i) return i; } return 0; }; return f(a); } return 0; }
int lam3(std::vector<int> v) { int n = 0; for (auto x : v) { auto f = [x]() { return x > 0 ? 1 : 0; }; n += f(); } return n; }
int tern4(int a, int b) { for (int i = 0; i < (a ? b : 1); i++) { n: ; } return a ? (b ? 1 : 2) : 3; }
int wh(int a) { while (a > 0) { --a; if (a == 5) continue; else if (a == 3) break; else { do { a--; } while (a > 1 || a < -1); } } return a; }
int nest3(int a, int b, int c) { if (a) { if (b) { if (c) { return 1; } else if (a && b && c) { return 2; } } } return 0; }
int cmp(int a, int b, int c) { bool x = a || b; bool y = !x && c; return x || y || (a && b); }
int cast(int a, int b, int c) { return (bool)(a && b) && c; }
int comma(int a, int b, int c) { return (a && b, b && c); }
int gotos(int a) { start: if (a > 0) { a--; goto start; } for (;;) { while (a) { goto done; } } done: return a; }
