/* Cognitive-complexity cases written for bench/cognitive_clang_tidy.py. */
int g(int);
int se(int a) { int z = 0; int y = ({ int t = 0; if (a) { t = 1; } t; }); return y + z; }
int se2(int a) { return ({ a ? 1 : 2; }); }
int gnu(int a, int b) { return a ?: b; }
int gnu2(int a, int b) { if (a ?: b) { return 1; } return 0; }
int duff(int *to, int *from, int count) { int n = (count + 7) / 8; switch (count % 8) { case 0: do { *to = *from++; case 7: *to = *from++; } while (--n > 0); } return 0; }
int blk(int a) { { { if (a) { return 1; } } } return 0; }
int kr(a, b) int a; int b; { if (a && b) return 1; return 0; }
int arr(int a, int b) { int x[2] = { a && b, a || b }; return x[0]; }
int sizes(int a, int b) { return sizeof(a && b) + (a && b); }
