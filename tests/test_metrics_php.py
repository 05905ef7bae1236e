"""PHP metrics: hand-worked examples for every rule of docs/metrics/php.md."""

from metrics_helpers import functions, one

LANG = "php"


def test_function_kinds_and_names():
    found = functions("""<?php
    function top() {}
    class Repo {
      public function __construct() {}
      public static function find() {}
    }
    $cb = function ($x) { return $x; };
    $ar = fn($x) => $x;
    array_map(fn($y) => $y, []);
    """, LANG)
    assert {"top", "Repo.__construct", "Repo.find", "$cb", "$ar", "<lambda>@9"} <= set(found), set(found)


def test_cyclomatic_every_decision():
    fn = one("""<?php
    function f($a, $b, $xs) {
      if ($a) {}                     // +1 if
      elseif ($b) {}                 // +1 elseif
      else if ($a) {}                // +1 else if
      else {}                        // 0
      $t = $a ? 1 : 2;               // +1 ternary
      $u = $a ?: 2;                  // +1 short ternary
      for ($i = 0; $i < 1; $i++) {}  // +1 for
      foreach ($xs as $x) {}         // +1 foreach
      while ($a) {}                  // +1 while
      do {} while ($b);              // +1 do-while
      switch ($a) { case 1: break; default: }   // +1 case, default 0
      $m = match ($a) { 1, 2 => 'x', 3 => 'y', default => 'z' };  // +2 arms, default 0
      try {} catch (E $e) {} finally {}         // +1 catch
      return $a && $b || $a and $b or $a ?? $b;  // +4 (&& || and or), ?? 0
    }
    """, LANG)
    assert fn.cyclomatic == 1 + 17, fn.increments


def test_cognitive_else_if_forms_and_nesting():
    fn = one("""<?php
    function f($a, $b, $xs) {
      if ($a) {                      // +1
        foreach ($xs as $x) {        // +2 (nesting 1)
          if ($x) {}                 // +3 (nesting 2)
        }
      } elseif ($b) {                // +1 (H)
      } else if ($a) {               // +1 (H)
      } else {                       // +1 (H)
      }
    }
    """, LANG)
    assert fn.cognitive == 1 + 2 + 3 + 1 + 1 + 1, fn.increments


def test_cognitive_match_nests_arms_without_increment():
    fn = one("""<?php
    function f($a) {
      return match ($a) {            // match: 0, arms nested one level
        1 => $a ? 'x' : 'y',         // +2 ternary (nesting 1)
        default => 'z',
      };
    }
    """, LANG)
    assert fn.cognitive == 2, fn.increments


def test_cognitive_jumps_switch_try():
    fn = one("""<?php
    function f($xs) {
      foreach ($xs as $x) {          // +1
        switch ($x) {                // +2 (nesting 1)
          case 1: break 2;           // +1 break N (flat)
          case 2: continue 2;        // +1 continue N (flat)
          default: break;            // plain break: 0
        }
      }
      try {                          // 0
        goto end;                    // +1 goto
      } catch (E $e) {               // +1 (nesting 0)
      } finally {}
      end:
    }
    """, LANG)
    assert fn.cognitive == 1 + 2 + 1 + 1 + 1 + 1, fn.increments


def test_cognitive_keyword_boolean_operators_ignored():
    fn = one("""<?php
    function f($a, $b, $c) {
      $x = $a && $b || $c;           // +2 (&& then ||)
      $y = $a and $b;                // and: 0
      $z = $a or $b;                 // or: 0
      return !($a && $b) && $c;      // +1 (&&), negation starts a new sequence: +1
    }
    """, LANG)
    assert fn.cognitive == 4, fn.increments


def test_cognitive_closure_nests_and_counts_in_parent():
    found = functions("""<?php
    function outer($xs) {
      return array_map(function ($x) {   // closure: nesting +1
        if ($x) {}                       // +2 in outer (nesting 1); +1 for the closure itself
      }, $xs);
    }
    """, LANG)
    assert found["outer"].cognitive == 2
    assert found["outer.<lambda>@3"].cognitive == 1


def test_lizard_profile_rules():
    found = functions("""<?php
    function f(?int $a) {                 // +1: lizard counts the nullable `?`
      $g = fn($x) => $x && $a;            // +1: fn is no function for lizard, && is f's
      $h = function () { if (1) {} };     // +1: closures in a body belong to f
      $v = $a ?: 1;                        // `?:` is one token: 0
      return match ($a) { 1 => 2, default => 3 };   // +1 for the `match` keyword
    }
    """, LANG, "lizard")
    assert found["f"].cyclomatic == 1 + 4, found["f"].increments
