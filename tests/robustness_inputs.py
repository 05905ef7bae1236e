"""Hostile inputs shared by the robustness tests and bench/robustness_bench.py: deeply nested code in
every language, and the same source with other line endings.

A nested source is built from an ``(open, leaf, close)`` triple repeated ``depth`` times, wrapped in
a function (so the nesting sits where analyses look) and written on one line per level, without
indentation: 50,000 levels stay a few hundred kilobytes, under the file size limit.
"""

from __future__ import annotations

LANGUAGES = ("python", "javascript", "typescript", "go", "java", "rust", "c", "cpp", "csharp", "ruby", "php")
CONSTRUCTS = ("ifs", "loops", "lambdas", "brackets")

# language -> (prefix, suffix) around the nested part: a function body
_WRAP = {
    "python": ("def f(a):\n    return ", "\n"),
    "javascript": ("function f(a) {\n", "\n}\n"),
    "typescript": ("function f(a: number): number {\n", "\n}\n"),
    "go": ("package p\n\nfunc f(a bool) int {\n", "\nreturn 0\n}\n"),
    "java": ("class C {\nint f(boolean a) {\n", "\nreturn 0;\n}\n}\n"),
    "rust": ("fn f(a: bool) -> i32 {\n", "\n0\n}\n"),
    "c": ("int f(int a) {\n", "\nreturn 0;\n}\n"),
    "cpp": ("int f(int a) {\n", "\nreturn 0;\n}\n"),
    "csharp": ("class C {\nint F(bool a) {\n", "\nreturn 0;\n}\n}\n"),
    "ruby": ("def f(a)\n", "\nend\n"),
    "php": ("<?php\nfunction f($a) {\n", "\n}\n"),
}

# (language, construct) -> (open, leaf, close): the nested part is open*depth + leaf + close*depth.
# Python's statements need indentation (quadratic size), so its ifs and loops are the expression
# forms (conditional expressions, comprehensions); C has no lambdas: nested blocks stand in.
_NEST: dict[tuple[str, str], tuple[str, str, str]] = {
    ("python", "ifs"): ("(1 if a else\n    ", "0", ")"),
    ("python", "loops"): ("[\n    ", "a", " for a in a]"),
    ("python", "lambdas"): ("(lambda:\n    ", "a", ")"),
    ("python", "brackets"): ("(\n    ", "a", ")"),
    ("ruby", "ifs"): ("if a\n", "a", "\nend"),
    ("ruby", "loops"): ("while a\n", "a", "\nend"),
    ("ruby", "lambdas"): ("-> {\n", "a", " }"),
    ("ruby", "brackets"): ("[\n", "a", "]"),
    ("php", "ifs"): ("if ($a) {\n", "$a = 1;", "}"),
    ("php", "loops"): ("while ($a) {\n", "$a = 1;", "}"),
    ("php", "lambdas"): ("$g = function () {\n", "return 1;", "};"),
    ("php", "brackets"): ("$a = (\n", "1", ");"),
    ("go", "lambdas"): ("_ = func() {\n", "a = true", "}"),
    ("go", "loops"): ("for a {\n", "a = false", "}"),
    ("go", "ifs"): ("if a {\n", "a = false", "}"),
    ("go", "brackets"): ("_ = (\n", "1", ")"),
    ("rust", "ifs"): ("if a {\n", "f(a);", "}"),
    ("rust", "loops"): ("while a {\n", "f(a);", "}"),
    ("rust", "lambdas"): ("let g = || {\n", "f(a);", "};"),
    ("rust", "brackets"): ("let x = (\n", "1", ");"),
    ("java", "lambdas"): ("Runnable r = () -> {\n", "f(a);", "};"),
    ("csharp", "lambdas"): ("Action r = () => {\n", "F(a);", "};"),
    ("cpp", "lambdas"): ("auto g = [&]() {\n", "f(a);", "};"),
    ("c", "lambdas"): ("{\n", "f(a);", "}"),
    ("javascript", "lambdas"): ("const g = () => {\n", "f(a);", "};"),
    ("typescript", "lambdas"): ("const g = (): void => {\n", "f(a);", "};"),
}
_C_FAMILY = {
    "ifs": ("if (a) {\n", "f(a);", "}"),
    "loops": ("while (a) {\n", "f(a);", "}"),
    "brackets": ("x = (\n", "1", ");"),
}


def nested_source(language: str, construct: str, depth: int) -> str:
    """A function whose body nests ``construct`` ``depth`` levels deep (one level per line)."""
    opener, leaf, closer = _NEST.get((language, construct)) or _C_FAMILY[construct]
    if language in ("csharp", "java") and construct == "brackets":
        opener, closer = "int x = (\n", ");"
    if language in ("c", "cpp") and construct == "brackets":
        opener, closer = "int x = (\n", ");"
    if language == "csharp":
        leaf = leaf.replace("f(a)", "F(a)")
    if construct == "brackets" and language not in ("python", "ruby"):
        # the opener holds the declaration once; deeper levels are bare parentheses
        head, tail = opener, closer
        return _WRAP[language][0] + head + "(\n" * (depth - 1) + leaf + ")" * (depth - 1) + tail + \
            _WRAP[language][1]
    prefix, suffix = _WRAP[language]
    return prefix + opener * depth + leaf + closer * depth + suffix


def with_line_endings(text: str, ending: str) -> str:
    """``text`` (LF endings) with every line end replaced: "\\r\\n", "\\r", or "mixed" (cycling LF,
    CRLF, CR so every kind follows every other)."""
    if ending != "mixed":
        return text.replace("\n", ending)
    lines = text.split("\n")
    kinds = ("\n", "\r\n", "\r")
    out = []
    for index, line in enumerate(lines[:-1]):
        kind = kinds[index % 3]
        if kind == "\n" and not line and out and out[-1].endswith("\r"):
            kind = "\r\n"   # an empty line after a CR: "\r" + "\n" would be one line end
        out.append(line + kind)
    out.append(lines[-1])
    return "".join(out)


# One small program per language: several functions, decisions, a comment, a multi-line string or
# comment, a lambda and a security hotspot, so a line-ending change that shifts or loses anything
# shows in functions, lines, metrics or findings.
LINE_ENDING_SAMPLES: dict[str, str] = {
    "python": '''import os


def first(a, b):
    """A docstring
    on two lines."""
    if a and b:
        return [x for x in a if x]
    # a comment
    for item in b:
        while item:
            item -= 1
    return lambda y: y or a


class Box:
    def method(self, cmd):
        os.system(cmd)
        return 1 if cmd else 2
''',
    "javascript": '''function first(a, b) {
  /* a block
     comment */
  if (a && b) {
    return a.map((x) => x || b);
  }
  for (const item of b) {
    while (item) { break; }
  }
  return `tmpl
  ${a ? 1 : 2}`;
}

const second = function (cmd) {
  eval(cmd);
  return cmd ? 1 : 2;
};
''',
    "typescript": '''function first(a: number[], b: boolean): number {
  /* a block
     comment */
  if (a.length && b) {
    return a.map((x: number): number => x || 1)[0];
  }
  for (const item of a) {
    while (item) { break; }
  }
  return b ? 1 : 2;
}

class Box {
  method(cmd: string): number {
    eval(cmd);
    return cmd ? 1 : 2;
  }
}
''',
    "go": '''package p

import "os/exec"

// first does things
func first(a []int, b bool) int {
	if len(a) > 0 && b {
		return a[0]
	}
	for _, item := range a {
		if item > 1 {
			continue
		}
	}
	f := func(x int) int { return x }
	return f(1)
}

func second(cmd string) {
	exec.Command("sh", "-c", cmd).Run()
}
''',
    "java": '''class Box {
    /* a block
       comment */
    int first(int[] a, boolean b) {
        if (a.length > 0 && b) {
            return a[0];
        }
        for (int item : a) {
            while (item > 0) { item--; }
        }
        Runnable r = () -> System.out.println(b ? 1 : 2);
        return 0;
    }

    void second(String cmd) throws Exception {
        Runtime.getRuntime().exec(cmd);
    }
}
''',
    "rust": '''/* a block
   comment */
fn first(a: &[i32], b: bool) -> i32 {
    if !a.is_empty() && b {
        return a[0];
    }
    for item in a {
        while *item > 0 { break; }
    }
    let f = |x: i32| if x > 0 { x } else { 0 };
    f(1)
}

fn second(cmd: &str) {
    std::process::Command::new("sh").arg(cmd).spawn().unwrap();
}
''',
    "c": '''#include <stdlib.h>
/* a block
   comment */
int first(int *a, int b) {
    if (a && b) {
        return a[0];
    }
    for (int i = 0; i < b; i++) {
        while (a[i]) { break; }
    }
    return b ? 1 : 2;
}

int second(const char *cmd) {
    return system(cmd);
}
''',
    "cpp": '''#include <cstdlib>
/* a block
   comment */
int first(int *a, int b) {
    if (a && b) {
        return a[0];
    }
    for (int i = 0; i < b; i++) {
        while (a[i]) { break; }
    }
    auto f = [](int x) { return x > 0 ? x : 0; };
    return f(b);
}

int second(const char *cmd) {
    return std::system(cmd);
}
''',
    "csharp": '''using System.Diagnostics;
class Box {
    /* a block
       comment */
    int First(int[] a, bool b) {
        if (a.Length > 0 && b) {
            return a[0];
        }
        foreach (var item in a) {
            while (item > 0) { break; }
        }
        System.Func<int, int> f = x => x > 0 ? x : 0;
        return f(1);
    }

    void Second(string cmd) {
        Process.Start(cmd);
    }
}
''',
    "ruby": '''# a comment
def first(a, b)
  if a && b
    return a.map { |x| x || b }
  end
  a.each do |item|
    while item
      break
    end
  end
  text = <<~DOC
    a heredoc
  DOC
  text
end

class Box
  def second(cmd)
    system(cmd)
    cmd ? 1 : 2
  end
end
''',
    "php": '''<?php
/* a block
   comment */
function first($a, $b) {
    if ($a && $b) {
        return array_map(fn($x) => $x || $b, $a);
    }
    foreach ($a as $item) {
        while ($item) { break; }
    }
    return $b ? 1 : 2;
}

class Box {
    public function second($cmd) {
        system($cmd);
        return $cmd ? 1 : 2;
    }
}
''',
}
