"""Ruby metric rules (docs/metrics/ruby.md): hand-worked examples, each states its number and why."""

from __future__ import annotations

import textwrap

import pytest

from guardline.metrics import compute_functions
from guardline.parsing import parse


def metrics(code: str, profile: str = "guardline") -> dict:
    functions, _ = compute_functions(parse(textwrap.dedent(code), "ruby"), profile)
    return {f.qualified_name: f for f in functions}


def one(code: str, profile: str = "guardline"):
    functions = metrics(code, profile)
    assert len(functions) == 1, list(functions)
    return next(iter(functions.values()))


# ---------------------------------------------------------------- functions and names
def test_methods_singleton_methods_blocks_and_lambdas_are_reported():
    fns = metrics("""\
        module Shop
          class Cart
            def total; end
            def self.build; end
            class << self
              def load; end
            end
            def each_item
              items.each do |i| end
              check = ->(x) { x }
              rule = lambda { |x| x }
              maker = proc do end
              items.map { |i| i }
            end
          end
        end
    """)
    # blocks are anonymous functions (<lambda>@LINE), named by the assignment of a lambda / proc
    assert set(fns) == {"Shop.Cart.total", "Shop.Cart.self.build", "Shop.Cart.load", "Shop.Cart.each_item",
                        "Shop.Cart.each_item.<lambda>@9", "Shop.Cart.each_item.check",
                        "Shop.Cart.each_item.rule", "Shop.Cart.each_item.maker",
                        "Shop.Cart.each_item.<lambda>@13"}


# ---------------------------------------------------------------- cyclomatic (guardline)
def test_cyclomatic_conditionals_loops_and_operators():
    fn = one("""\
        def f(a, b, c)
          if a and b || c      # if, and, ||
            x
          elsif b              # elsif
            y
          else                 # 0
            z
          end
          unless a then 1 end  # unless
          x = a ? 1 : 2        # ternary
          w if a               # modifier if
          w unless b           # modifier unless
          while a do end       # while
          until b do end       # until
          for i in c do end    # for
          w while a            # modifier while
          w until a            # modifier until
          a ||= 1              # logical assignment: 0
        end
    """)
    # 1 + if, and, ||, elsif, unless, ternary, 2 modifiers, while, until, for, 2 loop modifiers = 14
    assert fn.cyclomatic == 14


def test_cyclomatic_case_when_arms_rescue_and_not_else():
    fn = one("""\
        def f(x)
          case x
          when 1, 2 then a     # +1 (one arm, two patterns)
          when 3 then b        # +1
          else c               # case else: 0
          end
          case x
          in Integer then 1    # +1 (pattern matching arm)
          in String then 2     # +1
          end
          begin
            g
          rescue ArgumentError # +1
            retry
          rescue => e          # +1
          else                 # 0
          ensure               # 0
          end
          v = (g rescue nil)   # rescue modifier +1
        end
    """)
    assert fn.cyclomatic == 8


def test_cyclomatic_block_decisions_are_the_blocks_own():
    fns = metrics("""\
        def f(items)
          items.each { |i| puts i if i }
        end
    """)
    assert fns["f"].cyclomatic == 1
    assert fns["f.<lambda>@2"].cyclomatic == 2


# ---------------------------------------------------------------- cognitive
def test_cognitive_if_unless_elsif_else_and_nesting():
    fn = one("""\
        def f(a, b)
          if a               # +1
            unless b         # +2 (nesting 1)
              while a        # +3 (nesting 2)
              end
            end
          elsif b            # +1 (H)
          else               # +1 (H)
          end
          unless a           # +1
          else               # +1 (H)
          end
        end
    """)
    assert fn.cognitive == 10


def test_cognitive_modifiers_are_s_and_until_is_a_loop():
    fn = one("""\
        def f(a, b)
          return if a          # +1
          until b              # +1
            next unless a      # +2 (nesting 1)
            x += 1 while b     # +2 (nesting 1)
          end
        end
    """)
    assert fn.cognitive == 6


def test_cognitive_case_once_rescue_s_begin_ensure_zero():
    fn = one("""\
        def f(x)
          case x               # +1 once
          when 1
            g if x             # +2 (when bodies nested: nesting 1)
          when 2 then h
          else k
          end
          begin                # 0, does not nest
            if x then y end    # +1
          rescue StandardError # +1
            z if x             # +2 (nesting 1)
          ensure               # 0
            w
          end
        end
    """)
    assert fn.cognitive == 7


def test_cognitive_blocks_nest_and_count_in_the_method():
    fns = metrics("""\
        def f(items)
          items.each do |i|    # block: nesting +1
            if i               # f: +2 (nesting 1); block: +1
            end
          end
        end
    """)
    assert fns["f"].cognitive == 2
    assert fns["f.<lambda>@2"].cognitive == 1


def test_cognitive_boolean_sequences():
    fns = metrics("""\
        def mixed(a, b, c, d, e, f) a && b && c || d || e && f end
        def words(a, b, c) a and b or c end
        def paren(a, b, c) a && (b && c) end
        def neg(a, b, c) a && !(b && c) end
    """)
    assert fns["mixed"].cognitive == 3, "&& || &&: 1 + 2 changes"
    assert fns["words"].cognitive == 2, "and then or: 1 + 1 change"
    assert fns["paren"].cognitive == 1, "Ruby: parentheses do not start a new sequence"
    assert fns["neg"].cognitive == 2, "a negation starts a new sequence"


# ---------------------------------------------------------------- lizard profile
@pytest.mark.parametrize("code, expected, why", [
    ("def f(a)\n  items.each do |i|\n    g if i\n  end\nend\n", 2,
     "blocks are not lizard functions: their `if` is f's"),
    ("def f(a)\n  unless a\n    g\n  end\nend\n", 1, "lizard does not count `unless`"),
    ("def f(a)\n  case a\n  when 1 then g\n  when 2 then h\n  end\n  if a\n    k\n  end\nend\n", 3,
     "lizard closes f at the case's `end` (case opens nothing for it): the two `when`s only"),
    ("def f(a)\n  a ||= 1\n  b = a ? 1 : 2\nend\n", 3, "lizard reads `||=` as `||` and counts the ternary `?`"),
    ("def f(a)\n  begin\n    g\n  rescue\n    h\n  ensure\n    k\n  end\nend\n", 3, "rescue and ensure"),
])
def test_lizard_profile(code, expected, why):
    fns = metrics(code, "lizard")
    assert fns["f"].cyclomatic == expected, why


def test_lizard_profile_it_blocks_are_functions():
    fns = metrics("describe 'x' do\n  it 'works' do\n    g if a\n  end\nend\n", "lizard")
    assert fns["<lambda>@1.<lambda>@2"].cyclomatic == 2, "an RSpec `it` block is a lizard function: 1 + if"
