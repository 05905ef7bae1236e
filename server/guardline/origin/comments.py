"""Find comment text per line, skipping strings, so markers inside string literals never count.

A small lexer driven by a per-language syntax table (line comment prefixes, block comment pairs,
string delimiters: the registry rows' ``comments`` column). It does not need a parse tree and
never executes anything.
"""

from __future__ import annotations

import re

from guardline.languages import COMMENT_SYNTAX, CommentSyntax, detect_language

__all__ = ["COMMENT_SYNTAX", "CommentSyntax", "FALLBACK", "syntax_for", "comment_lines", "code_before_comment"]

# Per-language syntax comes from the language registry (guardline.languages); unknown languages get a
# permissive fallback.
FALLBACK = CommentSyntax(line=("#", "//"), strings=('"', "'"))


def syntax_for(path: str) -> CommentSyntax:
    language = detect_language(path)
    return COMMENT_SYNTAX.get(language or "", FALLBACK)


def comment_lines(text: str, syntax: CommentSyntax, max_lines: int | None = None) -> dict[int, str]:
    """0-based line index -> the comment text on that line (joined when several)."""
    if max_lines is not None:
        text = "\n".join(text.split("\n", max_lines)[:max_lines])
    tokens = sorted([*syntax.line, *(b[0] for b in syntax.block), *syntax.strings, *syntax.raw_multiline],
                    key=len, reverse=True)
    opener = re.compile("|".join(re.escape(t) for t in tokens))
    block_close = dict(syntax.block)
    out: dict[int, str] = {}
    pos, n = 0, len(text)
    while pos < n:
        m = opener.search(text, pos)
        if not m:
            break
        token, start = m.group(0), m.start()
        if token in syntax.line:
            end = _find_or_end(text, "\n", m.end())
            _add(out, text, start, m.end(), end)
            pos = end
        elif token in block_close:
            close = text.find(block_close[token], m.end())
            end = n if close == -1 else close + len(block_close[token])
            _add(out, text, start, m.end(), end)
            pos = end
        elif token in syntax.raw_multiline:
            pos = _string_end(text, m.end(), token, multiline=True)
        else:
            pos = _string_end(text, m.end(), token, multiline=False)
    return out


def _find_or_end(text: str, needle: str, start: int) -> int:
    i = text.find(needle, start)
    return len(text) if i == -1 else i


def _string_end(text: str, pos: int, quote: str, *, multiline: bool) -> int:
    """Position after the closing ``quote``. A one-line string with no close on its line is not a
    string at all (a Rust lifetime, an apostrophe in prose): resume right after the opener."""
    n = len(text)
    i = pos
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "\n" and not multiline:
            return pos
        if text.startswith(quote, i):
            return i + len(quote)
        i += 1
    return n if multiline else pos


def _add(out: dict[int, str], text: str, start: int, body_start: int, end: int) -> None:
    """Record the comment text of [body_start, end) under each line it spans."""
    line = text.count("\n", 0, start)
    for offset, piece in enumerate(text[body_start:end].split("\n")):
        index = line + offset
        out[index] = f"{out[index]} {piece}" if index in out else piece


def code_before_comment(text_line: str, comment: str) -> bool:
    """True when the line has code before its comment (a trailing comment)."""
    at = text_line.rfind(comment.strip()) if comment.strip() else -1
    head = text_line[:at] if at >= 0 else text_line
    return bool(re.sub(r"(#|//|/\*|--)\s*$", "", head).strip())
