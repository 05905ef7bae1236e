"""Sources 4 and 5: what a commit's author identity and message say about its origin. Pure."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from guardline.origin import patterns as P
from guardline.origin.records import CommitInfo, LineOrigin


@dataclass(frozen=True)
class CommitTables:
    """Pattern tables plus the config extensions (`extra_ai_emails`, ...)."""

    extra_ai_emails: tuple[str, ...] = ()
    extra_bot_emails: tuple[str, ...] = ()
    extra_ai_trailers: tuple[re.Pattern[str], ...] = ()
    bot_email_res: tuple[re.Pattern[str], ...] = field(
        default_factory=lambda: tuple(re.compile(p, re.IGNORECASE) for p in P.BOT_EMAIL_PATTERNS))
    bot_name_res: tuple[re.Pattern[str], ...] = field(
        default_factory=lambda: tuple(re.compile(p, re.IGNORECASE) for p in P.BOT_NAME_PATTERNS))

    @classmethod
    def from_config(cls, ai_emails: Sequence[str] = (), bot_emails: Sequence[str] = (),
                    ai_trailers: Sequence[str] = ()) -> "CommitTables":
        return cls(extra_ai_emails=tuple(e.lower() for e in ai_emails),
                   extra_bot_emails=tuple(e.lower() for e in bot_emails),
                   extra_ai_trailers=tuple(re.compile(t, re.IGNORECASE | re.MULTILINE) for t in ai_trailers))


def _matches_any_glob(value: str, globs: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(value, g) for g in globs)


def _record(origin: str, tool: str | None, commit: str, detail: str, *, evidence: str,
            confidence: str = "high", model: str | None = None) -> LineOrigin:
    return LineOrigin(origin=origin, tool=tool, model=model, evidence=evidence, granularity="commit",
                      commit=commit, confidence=confidence, detail=detail)


def classify_author(info: CommitInfo, tables: CommitTables) -> LineOrigin | None:
    """Source 4: AI agent or bot author identity; None when the author looks like a person."""
    email = info.author_email.strip().lower()
    name = info.author_name.strip()
    who = f"{name} <{info.author_email}>"
    tool = P.AI_AUTHOR_EMAILS.get(email)
    if tool is None and _matches_any_glob(email, tables.extra_ai_emails):
        tool = "custom"
    login_match = P.GITHUB_NOREPLY.match(email)
    login = login_match.group("login") if login_match else None
    if tool is None and login is not None:
        tool = P.AI_GITHUB_LOGINS.get(login)
    if tool is not None:
        return _record("ai", tool, info.sha, f"commit author {who} is an AI agent", evidence="author",
                       model=_message_model(info.message, tables))
    if P.AIDER_AUTHOR.search(name):
        return _record("ai", "aider", info.sha, f"commit author {who} is Aider (author name ends in '(aider)')",
                       evidence="author")
    if _is_bot(email, name, login, tables):
        return _record("bot", None, info.sha, f"commit author {who} is a bot", evidence="author")
    return None


def _is_bot(email: str, name: str, login: str | None, tables: CommitTables) -> bool:
    if _matches_any_glob(email, tables.extra_bot_emails):
        return True
    if login is not None and login.endswith("[bot]"):
        return True
    return any(r.search(email) for r in tables.bot_email_res) or any(r.search(name) for r in tables.bot_name_res)


def classify_message(info: CommitInfo, tables: CommitTables) -> LineOrigin | None:
    """Source 5: AI markers anywhere in the message (trailers, footers, subject)."""
    message = info.message
    hits = list(_message_hits(message, tables))
    if not hits:
        return None
    tool, model, label, confidence = hits[0]
    if _looks_like_squash(info, message):
        confidence = "low"
        label = f"{label} in a merge/squash commit listing several commits"
    model = model or next((m for _, m, _, _ in hits if m), None)
    return _record("ai", tool, info.sha, f"commit message: {label}", evidence="message",
                   confidence=confidence, model=model)


def _looks_like_squash(info: CommitInfo, message: str) -> bool:
    """A merge, or a GitHub squash message listing several commits as `* subject` bullets: the markers
    cannot be tied to the lines of one commit any more."""
    return len(info.parents) > 1 or len(P.SQUASH_BULLET.findall(message)) >= 2


def _message_hits(message: str, tables: CommitTables) -> Iterator[tuple[str | None, str | None, str, str]]:
    """(tool, model, label, confidence) for each marker found, strongest kinds first."""
    subject = message.split("\n", 1)[0]
    if P.AIDER_SUBJECT.match(subject):
        yield "aider", None, "subject starts with 'aider: '", "high"
    for m in P.FOOTER_GENERATED_WITH.finditer(message):
        tool = "claude-code" if m.group("tool").lower() == "claude code" else "opencode"
        yield tool, None, f"footer '{m.group(0).strip()}'", "medium"
    for m in P.CO_AUTHOR_AI.finditer(message):
        email = re.sub(r"^\d+\+", "", m.group("email").lower())
        tool = P.AI_COAUTHOR_EMAILS.get(email, "unknown-ai")
        yield tool, _model_from_name(m.group("name")), f"trailer '{m.group(0).strip()}'", "medium"
    for marker in P.TRAILER_MARKERS:
        m = marker.regex.search(message)
        if m:
            yield marker.tool, None, f"{marker.name} '{_line_at(message, m.start())}'", marker.confidence
    for m in P.POLICY_TRAILER.finditer(message):
        named = _named_ai(m.group("value"))
        if named:
            tool, model = named
            yield tool, model, f"trailer '{m.group(0).strip()}'", "medium"
    for regex in tables.extra_ai_trailers:
        m = regex.search(message)
        if m:
            yield None, None, f"configured trailer pattern {regex.pattern!r}", "medium"
    for m in P.CO_AUTHOR_VSCODE_COPILOT.finditer(message):
        yield "copilot", None, "trailer 'Co-authored-by: Copilot <copilot@github.com>' (VS Code adds it " \
                               "to some non-AI commits: low confidence)", "low"


def _message_model(message: str, tables: CommitTables) -> str | None:
    """The model a message marker names, for commits decided by their AI author identity."""
    return next((model for _tool, model, _label, _conf in _message_hits(message, tables) if model), None)


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end != -1 else len(text)].strip()


def _model_from_name(name: str) -> str | None:
    """`Claude Opus 4.5` -> that name; `aider (anthropic/claude-sonnet-4)` -> the part in brackets."""
    name = name.strip()
    bracket = re.search(r"\(([^)]+)\)", name)
    if bracket:
        return bracket.group(1).strip()
    if " " in name and re.search(r"\d", name):
        return name
    return None


def _named_ai(value: str) -> tuple[str, str | None] | None:
    """A policy trailer value -> (tool, model): `Claude:claude-3-opus coccinelle` (kernel AGENT:MODEL
    [TOOLS]) -> claude-3-opus; `Claude Opus 4.5`, `GPT-4o` -> the value; `GitHub Copilot` -> no model."""
    m = P.KNOWN_AI_NAME_RE.search(value)
    if not m:
        return None
    tool = P.KNOWN_AI_NAMES[m.group(1).lower()]
    value = re.sub(r"<[^>]*>", "", value).strip()   # an e-mail address is not part of the model
    if ":" in value:
        words = value.split(":", 1)[1].split()
        return tool, (words[0] if words else None)
    return tool, _model_from_name(value) or (value if re.search(r"\d", value) else None)
