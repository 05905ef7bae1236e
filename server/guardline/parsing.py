"""One parse per document version: text in, a tree every analysis shares.

Parsers are not thread-safe, so each thread keeps its own per language. Trees can be reused for
incremental reparsing by the language server (``old_tree`` after ``Tree.edit``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import tree_sitter

from guardline.languages import ts_language

MAX_FILE_BYTES = 2_000_000  # default size limit; larger files are skipped with a reason
BINARY_SNIFF_BYTES = 8192

_local = threading.local()

# What tree-sitter sees differs from the text in two length-preserving ways (so every byte offset,
# column and UTF-16 position stays the same): a lone CR ends a line (LSP and editors count "\r",
# "\n" and "\r\n" as line ends; tree-sitter counts rows at "\n" only), and a NUL past the binary
# sniff is a space (tree-sitter's lexers read NUL as the end of input and drop the rest).
_LONE_CR = re.compile("\r(?!\n)")
_LONE_CR_BYTES = re.compile(b"\r(?!\n)")


def normalise_text(text: str) -> str:
    """``text`` as tree-sitter should see it: lone CRs as LF, NULs as spaces (same length)."""
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    if "\x00" in text:
        text = text.replace("\x00", " ")
    return text


def normalise_source(source: bytes) -> bytes:
    """The UTF-8 bytes counterpart of normalise_text (same replacements, same length)."""
    if b"\r" in source:
        source = _LONE_CR_BYTES.sub(b"\n", source)
    if b"\x00" in source:
        source = source.replace(b"\x00", b" ")
    return source


def parser_for(language: str) -> tree_sitter.Parser:
    parsers = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    parser = parsers.get(language)
    if parser is None:
        parser = parsers[language] = tree_sitter.Parser(ts_language(language))
    return parser


class UnanalysableFile(Exception):
    """A file guardline will not analyse; the message says why in words a user understands."""


# Deep input: every walk is iterative and linear, but a file nested this deep is not code a person
# reads, and some results grow with depth times size (a function's qualified name holds every
# enclosing one). The walks stop there and the file is reported as not analysed.
MAX_TREE_DEPTH = 16_000        # syntax tree levels (5,000 nested ifs are 10,000-15,000 levels)
MAX_NESTED_SCOPES = 100        # functions and classes inside one another


class NestingTooDeep(UnanalysableFile):
    """Raised by a walk that reached MAX_TREE_DEPTH or MAX_NESTED_SCOPES."""

    @classmethod
    def tree(cls) -> "NestingTooDeep":
        return cls(f"nesting deeper than {MAX_TREE_DEPTH:,} syntax tree levels: not analysed")

    @classmethod
    def scopes(cls) -> "NestingTooDeep":
        return cls(f"functions and classes nested more than {MAX_NESTED_SCOPES} deep: not analysed")


NESTING_PROBES = 16


def check_nesting(root: tree_sitter.Node, probes: int = NESTING_PROBES) -> None:
    """Raise NestingTooDeep when the tree is deeper than MAX_TREE_DEPTH at one of ``probes`` evenly
    spaced bytes (descending to each byte costs its depth in C calls: well under a millisecond for
    ordinary code). A cheap early refusal, so a 50,000-deep file is not walked 16,000 levels first;
    the walks keep their own depth limit for nesting the probes miss."""
    size = root.end_byte - root.start_byte
    for index in range(probes):
        byte = root.start_byte + size * (2 * index + 1) // (2 * probes)
        cursor = root.walk()
        depth = 1
        while cursor.goto_first_child_for_byte(byte) is not None:
            depth += 1
            if depth > MAX_TREE_DEPTH:
                raise NestingTooDeep.tree()


def decode_source(raw: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, bytes]:
    """Validate raw file bytes and return (text, utf-8 bytes), normalised (see normalise_text).

    Binary files and files over the size limit raise UnanalysableFile. Invalid UTF-8 is not fatal:
    the undecodable bytes are replaced (U+FFFD) so everything that parses is still reported.
    """
    if len(raw) > max_bytes:
        raise UnanalysableFile(f"file is {len(raw):,} bytes, over the {max_bytes:,}-byte limit (max_file_bytes)")
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        raise UnanalysableFile("binary file (NUL bytes)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    raw = normalise_source(raw)
    try:
        text = raw.decode("utf-8")
        return text, raw
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        return text, text.encode("utf-8")


@dataclass
class ParsedDocument:
    """A parsed document: its text, the UTF-8 bytes tree-sitter saw, and the tree."""

    language: str
    text: str
    source: bytes
    tree: tree_sitter.Tree
    notes: list[str] = field(default_factory=list)  # e.g. "invalid UTF-8 replaced"
    # per-function metric memo carried across versions of one open file (see metrics.compute_functions)
    memo: dict[Any, Any] | None = None   # metrics.engine.FunctionMemo, opaque here

    @property
    def root(self) -> tree_sitter.Node:
        return self.tree.root_node

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def line_count(self) -> int:
        if not self.text:
            return 0
        return self.text.count("\n") + (0 if self.text.endswith("\n") else 1)

    @property
    def has_errors(self) -> bool:
        return self.tree.root_node.has_error

    def node_text(self, node: tree_sitter.Node) -> str:
        return self.source[node.start_byte:node.end_byte].decode("utf-8", errors="replace")


def parse(text: str, language: str, *, old_tree: tree_sitter.Tree | None = None,
          source: bytes | None = None) -> ParsedDocument:
    """Parse ``text`` (or its UTF-8 ``source`` when already encoded) as ``language``.

    The document holds the normalised text (see normalise_text): rows are lines as editors count them."""
    text, source, notes = _prepared(text, source)
    parser = parser_for(language)
    tree = parser.parse(source, old_tree) if old_tree is not None else parser.parse(source)
    return ParsedDocument(language=language, text=text, source=source, tree=tree, notes=notes)


def parse_after(previous: ParsedDocument | None, text: str, language: str) -> ParsedDocument:
    """``text`` parsed as ``parse`` does, reusing the tree of ``previous`` (an earlier version of the same
    file, left as it is: a copy of its tree is edited) for the bytes before and after the one span where
    they differ. tree-sitter's incremental parse gives the tree a fresh parse gives, in a fraction of the time
    when most of the file is unchanged (the report's successive versions of a file).

    Only when both versions parse without errors: error recovery may then differ from a fresh parse's
    (TypeScript `if(c{s.te'` edited to `if(c{s.t{e'`), and a result must not depend on which version was
    parsed before it, so a version with errors on either side is parsed afresh."""
    if previous is None or previous.language != language or previous.tree.root_node.has_error:
        return parse(text, language)
    text, source, notes = _prepared(text, None)
    old = previous.source
    start = _common_prefix(old, source)
    tail = _common_suffix(old, source, start)
    old_end, new_end = len(old) - tail, len(source) - tail
    widened = through_line_end(old, old_end, tail)
    old_tree = previous.tree.copy()
    old_tree.edit(start_byte=start, old_end_byte=old_end + widened, new_end_byte=new_end + widened,
                  start_point=_point(old, start), old_end_point=_point(old, old_end + widened),
                  new_end_point=_point(source, new_end + widened))
    tree = parser_for(language).parse(source, old_tree)
    if tree.root_node.has_error:
        return parse(text, language)
    return ParsedDocument(language=language, text=text, source=source, tree=tree, notes=notes)


def through_line_end(source: bytes | str, end: int, limit: int) -> int:
    """How far a tree edit ending at ``end`` should reach on (at most ``limit``, the unchanged text after
    it): through the end of its line, newline included. tree-sitter then relexes the line end too; an
    edit that stops short of it (typing at the end of a Python block's last line) made the incremental
    parse reuse nothing after the edit: a 10,000-line file took 17 ms instead of 3-5 ms (bench/RESULTS.md)."""
    if isinstance(source, bytes):
        newline = source.find(b"\n", end, end + limit)
    else:
        newline = source.find("\n", end, end + limit)
    return newline + 1 - end if newline >= 0 else 0


def _prepared(text: str, source: bytes | None) -> tuple[str, bytes, list[str]]:
    """The normalised text and the bytes tree-sitter parses, with notes on what was replaced."""
    notes: list[str] = []
    text = normalise_text(text)
    if source is not None:
        return text, normalise_source(source), notes
    try:
        return text, text.encode("utf-8"), notes
    except UnicodeEncodeError:
        # lone surrogates (possible in editor buffers): each becomes "?", one UTF-16 unit like the
        # surrogate, so editor positions stay valid and every consumer sees valid UTF-8
        text = text.encode("utf-8", errors="replace").decode("utf-8")
        notes.append("lone surrogate characters replaced")
        return text, text.encode("utf-8"), notes


def _common_prefix(a: bytes, b: bytes) -> int:
    """Length of the longest common prefix (a binary search of slice comparisons: memcmp, not a loop)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: bytes, b: bytes, prefix: int) -> int:
    """Length of the longest common suffix not overlapping the first ``prefix`` bytes of either."""
    lo, hi = 0, min(len(a), len(b)) - prefix
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:len(a) - lo] == b[len(b) - mid:len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _point(source: bytes, offset: int) -> tuple[int, int]:
    """(row, byte column) of ``offset``, as tree-sitter counts them."""
    return source.count(b"\n", 0, offset), offset - (source.rfind(b"\n", 0, offset) + 1)


def parse_bytes(raw: bytes, language: str, *, max_bytes: int = MAX_FILE_BYTES) -> ParsedDocument:
    """Decode file bytes (see decode_source) and parse them."""
    text, source = decode_source(raw, max_bytes=max_bytes)
    doc = parse(text, language, source=source)
    if source is not raw and source != raw and "\ufffd" in text:
        doc.notes.append("invalid UTF-8: undecodable bytes replaced with U+FFFD")
    return doc
