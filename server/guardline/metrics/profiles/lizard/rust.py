"""lizard 1.24's Rust reader (RustReader), replayed on the tree."""

from __future__ import annotations

import re

from tree_sitter import Node

from guardline.metrics.profiles.base import LizardRules, TokenView

# lizard's token pattern (lizard_languages/token_pattern.py) with its Rust addition `'\w+\b` (lifetimes,
# labels) tried before strings: a char literal of word characters (`'0'`, `b'_'`) becomes a lifetime `'0`
# and its closing quote opens a string that runs to the next quote, often the next char literal's.
# Decisions inside such a string are invisible to lizard; that is what its numbers count.
_SYMBOLS = ["<<=", ">>=", "||", "&&", "===", "!==", "==", "!=", "<=", ">=", "->", "=>", "++", "--", "+=", "-=",
            "+", "-", "*", "/", "*=", "/=", "^=", "&=", "|=", "..."]
_TOKEN = re.compile(
    r"(?:\/\*.*?\*\/" r"|(?:'\w+\b)" r"|(?:\d+\')+\d+" r"|0x(?:[0-9A-Fa-f]+\')+[0-9A-Fa-f]+"
    r"|0b(?:[01]+\')+[01]+" r"|\w+" r"|\"(?:\\.|[^\"\\])*\"" r"|\'(?:\\.|[^\'\\])*?\'"
    r"|\/\/(?:\\\n|[^\n])*" r"|\#" r"|:=|::|\*\*"
    r"|\<(?=(?:[^<>?]*\?)+[^<>]*\>)(?:[\w\s,.?]|(?:extends))+\>"
    r"|" + "|".join(re.escape(symbol) for symbol in _SYMBOLS) + r"|\\\n|\n|[^\S\n]+|.)", re.M | re.S)


def _tokens(text: str) -> list[tuple[int, str]]:
    """(start offset, text) of lizard's tokens (token_pattern.tokens_in_span): a `#` and every token
    after it up to one holding a newline are one token (a preprocessor line; in Rust an attribute line)."""
    tokens: list[tuple[int, str]] = []
    in_macro = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if in_macro:
            if "\\\n" in token or "\n" not in token:
                continue
            in_macro = False
        elif token == "#":
            in_macro = True
        tokens.append((match.start(), token))
    return tokens


def lizard_tokens(source: bytes) -> TokenView:
    """Where lizard's Rust tokenizer starts its tokens, and its braces (byte offsets)."""
    text = source.decode("utf-8", errors="replace")
    tokens = _tokens(text)
    if not text.isascii():   # character offsets -> byte offsets
        offsets, total = [0] * (len(text) + 1), 0
        for index, ch in enumerate(text):
            offsets[index] = total
            total += len(ch.encode("utf-8", errors="replace"))
        tokens = [(offsets[start], token) for start, token in tokens]
    braces = [(start, token) for start, token in tokens if token in ("{", "}")]
    conditions = [(start, token) for start, token in tokens if token in CONDITIONS]
    return TokenView(frozenset(start for start, _ in tokens), braces, conditions)


def _match_arms(node: Node) -> list[Node]:
    body = node.child_by_field_name("body")
    return [c for c in body.named_children if c.type == "match_arm"] if body is not None else []


def _lizard_extra(node: Node, view: TokenView) -> int:
    """lizard's Rust reader: every `=>` of a match after the first arm, a `let ... else`, and the
    `while` / `catch` words outside their keyword use; only what lizard's tokenizer reads as tokens."""
    node_type = node.type
    if not view.sees(node):
        return 0
    if node_type == "match_expression":
        arrows = [arrow for arm in _match_arms(node) for arrow in arm.children if arrow.type == "=>"]
        return max(0, sum(1 for arrow in arrows if view.sees(arrow)) - 1)
    if node_type == "let_declaration":
        return 1 if node.child_by_field_name("alternative") is not None else 0
    if node_type == "token_tree":
        return _token_tree_matches(node)
    if node_type == "identifier" and node.text in (b"while", b"catch"):
        return 1
    if node_type == "closure_parameters":
        return 1 if node.text == b"||" else 0   # lizard reads `||` (no parameters) as an or
    return 0


def _token_tree_matches(node: Node) -> int:
    """Inside a macro's token tree: `match x { a => .., b => .. }` counts its arms minus one like a
    real match (lizard reads macro bodies as plain tokens)."""
    points = 0
    children = node.children
    for index, child in enumerate(children):
        if child.type != "match":
            continue
        for follower in children[index + 1:]:
            if follower.type == "token_tree" and follower.children and follower.children[0].type == "{":
                arrows = _top_level_arrows(follower)
                points += max(0, arrows - 1)
                break
    return points


def _top_level_arrows(tree: Node) -> int:
    """`=>` tokens in a `{...}` token tree outside nested braces (parentheses do not hide them)."""
    count = 0
    stack = list(tree.children)
    while stack:
        child = stack.pop()
        if child.type == "=>":
            count += 1
        elif child.type == "token_tree" and child.children and child.children[0].type != "{":
            stack.extend(child.children)
    return count


def _lizard_merge(node: Node, _inside_function: bool, view: TokenView) -> bool:
    """lizard only knows `fn`: a closure's tokens count in the enclosing function, and so do those of a
    function whose `fn` lizard's tokenizer swallowed into a string."""
    if node.type == "closure_expression":
        return True
    keyword = next((child for child in node.children if child.type == "fn"), None)
    return keyword is not None and not view.sees(keyword)


def _lizard_body_end(node: Node, view: TokenView) -> int | None:
    """Where lizard closes the function: the `}` matching its body's `{` among lizard's own tokens,
    past the real end when a string lizard imagines swallowed a closing brace."""
    body = node.child_by_field_name("body")
    if body is None or body.type != "block" or not view.sees(body):
        return None
    end = view.block_end(body.start_byte, default=1 << 62)
    return None if end == body.end_byte else end


# lizard's Rust reader: `if for while catch where && || ?` (the `?` of error propagation and of `?Sized`
# included), wherever its tokenizer reads them as tokens
CONDITIONS = frozenset({"if", "for", "while", "catch", "where", "&&", "||", "?"})

RULES = LizardRules(
    # match arms and let-else through _lizard_extra; `while` / `catch` as identifiers there too
    tokens=frozenset({"if", "for", "while", "where", "&&", "||", "?"}),
    view=lizard_tokens,
    view_extra=_lizard_extra,
    view_merge=_lizard_merge,
    view_body_end=_lizard_body_end,
)
