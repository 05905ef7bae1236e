"""lizard 1.24's Rust reader (RustReader), replayed on the tree."""

from __future__ import annotations

from tree_sitter import Node

from guardline.metrics.profiles.base import LizardRules


def _match_arms(node: Node) -> list[Node]:
    body = node.child_by_field_name("body")
    return [c for c in body.named_children if c.type == "match_arm"] if body is not None else []


def _lizard_extra(node: Node) -> int:
    """lizard's Rust reader: every `=>` of a match after the first arm, a `let ... else`, and the
    `while` / `catch` words outside their keyword use."""
    node_type = node.type
    if node_type == "match_expression":
        return max(0, len(_match_arms(node)) - 1)
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


def _lizard_merge(node: Node, _inside_function: bool) -> bool:
    """lizard only knows `fn`: a closure's tokens count in the enclosing function."""
    return node.type == "closure_expression"


RULES = LizardRules(
    # lizard's Rust reader: `if for while catch where && || ?` (the `?` of error propagation and of
    # `?Sized` included), match arms and let-else through _lizard_extra
    tokens=frozenset({"if", "for", "while", "where", "&&", "||", "?"}),
    extra=_lizard_extra,
    merge=_lizard_merge,
)
