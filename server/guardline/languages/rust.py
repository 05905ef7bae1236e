"""Rust: tree-sitter-rust node types for functions, decisions and cognitive increments.

Cognitive rules follow Sonar's Rust analyzer: `if let` / `while let` are an `if` / a loop, a
`match` is one S increment (its arms are nested), `loop` is a loop, closures nest and count in the
enclosing function, `?` adds nothing, labelled `break` / `continue` are +1 flat.
"""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import CogRule, LanguageSpec, S, text_of, parent_of

JUMPS = frozenset({"break_expression", "continue_expression"})


def _impl_qualifier(node: Node, source: bytes) -> str | None:
    """A method's `impl` / `trait` (fn -> declaration_list -> impl_item). Not a class scope: lizard
    counts an impl's `for` / `where` inside a fn body as that fn's, so an impl must not hide them."""
    if node.type != "function_item":
        return None
    holder = parent_of(parent_of(node)) if parent_of(node) is not None and parent_of(node).type == "declaration_list" else None
    return _impl_name(holder, source) if holder is not None and holder.type in ("impl_item", "trait_item") else None


def _impl_name(node: Node, source: bytes) -> str | None:
    """`impl<T> Trait for Stack<T>` -> "Stack"; `trait Shape` -> "Shape"."""
    if node.type == "trait_item":
        return text_of(node.child_by_field_name("name"), source) or None
    current = node.child_by_field_name("type")
    while current is not None and current.type in ("generic_type", "reference_type", "pointer_type",
                                                   "scoped_type_identifier"):
        inner = current.child_by_field_name("type") or current.child_by_field_name("name")
        if inner is None:
            break
        current = inner
    return text_of(current, source) or None


def _is_wildcard_arm(node: Node) -> bool:
    """`_ => ...` (without a guard) is the default arm of a match."""
    pattern = node.child_by_field_name("pattern")
    if pattern is None:
        return False
    children = pattern.children
    return len(children) == 1 and children[0].type == "_"


def _is_flat_jump(node: Node) -> bool:
    """`break 'outer` / `continue 'outer`: +1 flat."""
    return node.type in JUMPS and any(c.type == "label" for c in node.children)


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


SPEC = LanguageSpec(
    name="rust",
    function_types=frozenset({"function_item"}),
    lambda_types=frozenset({"closure_expression"}),
    qualifier_of=_impl_qualifier,
    name_from_parent={"let_declaration": "pattern", "assignment_expression": "left"},
    # lizard opens a function at `fn`: a `where` clause or `?Sized` in the signature is the function's.
    # Nothing in a signature is a guardline decision, so this changes no other profile.
    body_fields=("body", "parameters", "return_type", "type_parameters", None),
    comment_types=frozenset({"line_comment", "block_comment"}),
    string_types=frozenset({"string_literal", "raw_string_literal", "char_literal"}),
    operand_types=frozenset({"identifier", "field_identifier", "type_identifier", "primitive_type",
                             "integer_literal", "float_literal", "boolean_literal", "self",
                             "shorthand_field_identifier", "lifetime", "metavariable", "crate", "super"}),
    cc_nodes={
        "if_expression": "if",
        "for_expression": "for",
        "while_expression": "while",
        "loop_expression": "loop",
    },
    case_types=frozenset({"match_arm"}),
    is_default_case=_is_wildcard_arm,
    bool_types=frozenset({"binary_expression"}),
    bool_operators=frozenset({"&&", "||"}),
    # lizard's Rust reader: `if for while catch where && || ?` (the `?` of error propagation and of
    # `?Sized` included), match arms and let-else through _lizard_extra
    lizard_tokens=frozenset({"if", "for", "while", "where", "&&", "||", "?"}),
    lizard_extra=_lizard_extra,
    lizard_merge=_lizard_merge,
    cog_rules={
        "if_expression": CogRule(S, "if", ("consequence",)),
        "for_expression": CogRule(S, "for", ("body",)),
        "while_expression": CogRule(S, "while", ("body",)),
        "loop_expression": CogRule(S, "loop", ("body",)),
        "match_expression": CogRule(S, "match", ("body",)),
    },
    if_types=frozenset({"if_expression"}),
    else_types=frozenset({"else_clause"}),
    alternative_field="alternative",
    paren_types=frozenset({"parenthesized_expression"}),
    parens_split_sequences=False,
    jump_is_flat=_is_flat_jump,
    nested_functions_in_parent=True,
    lambdas_nest=True,
)
