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
    """Source 5: AI markers anywhere in the message (trailers, footers, subject); without one, a bot
    co-author (`Co-authored-by: renovate[bot] <...>`) makes the commit a bot's."""
    message = info.message
    entries = squash_entries(message)
    if entries:
        return _classify_squash(info, entries, tables)
    hits = list(_message_hits(message, tables))
    if not hits:
        bot = _bot_coauthor(message, tables)
        if bot is None:
            return None
        return _record("bot", None, info.sha, f"commit message: bot co-author '{bot}'", evidence="message",
                       confidence="medium")
    tool, model, label, confidence = hits[0]
    if _looks_like_squash(info, message):
        confidence = "low"
        label = f"{label} in a merge/squash commit listing several commits"
    tool = tool or next((t for t, _, _, _ in hits if t), None) or _fallback_tool(message)
    model = model or next((m for _, m, _, _ in hits if m), None)
    return _record("ai", tool, info.sha, f"commit message: {label}", evidence="message",
                   confidence=confidence, model=model)


@dataclass(frozen=True)
class SquashEntry:
    """One commit listed in a `Squashed commit of the following:` message."""

    sha: str
    author_name: str
    author_email: str
    message: str


def squash_entries(message: str) -> list[SquashEntry]:
    """The commits `git merge --squash` listed (`commit <sha>`, `Author:`, `Date:`, the message
    indented by four spaces); empty when the message is not in that format."""
    if not P.GIT_SQUASH.search(message):
        return []
    entries: list[SquashEntry] = []
    matches = list(P.GIT_SQUASH_ENTRY.finditer(message))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(message)
        header = m.group(0)
        author = re.search(r"^author:\s*(?P<name>.*?)\s*<(?P<email>[^>]*)>", header, re.IGNORECASE | re.MULTILINE)
        body = message[m.end():end]
        text = "\n".join(line[4:] if line.startswith("    ") else line.strip() for line in body.split("\n"))
        entries.append(SquashEntry(m.group("sha"), author.group("name") if author else "",
                                   author.group("email") if author else "", text.strip("\n") + "\n"))
    return entries


def classify_entry(entry: SquashEntry, tables: CommitTables) -> LineOrigin | None:
    """What one listed commit of a squash says on its own (author identity, then its message)."""
    info = CommitInfo(sha=entry.sha, author_name=entry.author_name, author_email=entry.author_email,
                      message=entry.message)
    return classify_author(info, tables) or classify_message(info, tables)


def _classify_squash(info: CommitInfo, entries: list[SquashEntry], tables: CommitTables) -> LineOrigin | None:
    """A squash is AI only through its listed AI commits, with low confidence: which lines came from
    which listed commit is not in the message (the resolver maps lines to listed commits when their
    objects still exist). Human listed commits are never made AI by another one's marker."""
    verdicts = [classify_entry(entry, tables) for entry in entries]
    ai = [v for v in verdicts if v is not None and v.origin == "ai"]
    if not ai:
        return None
    label = f"{len(ai)} of {len(entries)} commits listed in a 'Squashed commit of the following:' message " \
            f"carry AI evidence ({ai[0].detail})"
    return _record("ai", ai[0].tool, info.sha, f"commit message: {label}", evidence="message",
                   confidence="low", model=ai[0].model)


def _fallback_tool(message: str) -> str | None:
    """A marker that names no tool (`AI-Assisted: yes`, `Entire-Checkpoint:`): the tool of an
    `Entire-Agent:` line, else Entire for its own trailers."""
    agent = P.ENTIRE_AGENT.search(message)
    if agent:
        named = named_ai(agent.group("value"))
        return named[0] if named else P.normalize_tool(agent.group("value"))
    if re.search(r"^entire-(session|checkpoint)", message, re.IGNORECASE | re.MULTILINE):
        return "entire"
    return None


def _looks_like_squash(info: CommitInfo, message: str) -> bool:
    """A merge, git's `Squashed commit of the following:` (git merge --squash), or a GitHub squash
    message listing several commits as `* subject` bullets: the markers cannot be tied to the lines of
    one commit any more."""
    return len(info.parents) > 1 or bool(P.GIT_SQUASH.search(message)) or \
        len(P.SQUASH_BULLET.findall(message)) >= 2


def _message_hits(message: str, tables: CommitTables) -> Iterator[tuple[str | None, str | None, str, str]]:
    """(tool, model, label, confidence) for each marker found, strongest kinds first."""
    subject = message.split("\n", 1)[0]
    if P.AIDER_SUBJECT.match(subject):
        yield "aider", None, "subject starts with 'aider: '", "high"
    for footer in P.FOOTER_GENERATED_WITH.finditer(message):
        tool = "claude-code" if footer.group("tool").lower() == "claude code" else "opencode"
        yield tool, None, f"footer '{_line_at(message, footer.start())}'", "medium"
    yield from _coauthor_hits(message, tables)
    for marker in P.TRAILER_MARKERS:
        m = marker.regex.search(message)
        if m:
            yield marker.tool, None, f"{marker.name} '{_line_at(message, m.start())}'", marker.confidence
    yield from _value_trailer_hits(message)
    for trailer in P.POLICY_TRAILER.finditer(message):
        named = named_ai(trailer.group("value"))
        if named:
            tool, model = named
            yield tool, model, f"trailer '{trailer.group(0).strip()}'", "medium"
    for regex in tables.extra_ai_trailers:
        m = regex.search(message)
        if m:
            yield None, None, f"configured trailer pattern {regex.pattern!r}", "medium"
    for m in P.CO_AUTHOR_VSCODE_COPILOT.finditer(message):
        yield "copilot", None, "trailer 'Co-authored-by: Copilot <copilot@github.com>' (VS Code adds it " \
                               "to some non-AI commits: low confidence)", "low"


def _coauthor_hits(message: str, tables: CommitTables) -> Iterator[tuple[str | None, str | None, str, str]]:
    for m in P.CO_AUTHOR_LINE.finditer(message):
        name, email = m.group("name").strip(), m.group("email").strip().lower()
        tool = _ai_coauthor(name, email, tables)
        if tool is not None:
            yield tool, _model_from_name(name), f"trailer '{m.group(0).strip()}'", "medium"


def _ai_coauthor(name: str, email: str, tables: CommitTables) -> str | None:
    """The tool an AI co-author stands for: a vendor no-reply address, an agent's GitHub account (with
    or without `[bot]`), a configured address, or an agent's name with the agent's own kind of address
    (`Claude <claude@anthropic.com>`; never a person's: `Devin <devin@example.com>` is a person)."""
    if email == "copilot@github.com":
        return None           # VS Code's trailer: its own low-confidence marker
    bare = re.sub(r"^\d+\+", "", email)
    tool = P.AI_COAUTHOR_EMAILS.get(bare) or P.AI_AUTHOR_EMAILS.get(bare)
    if tool:
        return "claude-code" if tool == "claude" else tool
    login = P.GITHUB_NOREPLY.match(email)
    if login:
        handle = login.group("login").lower()
        tool = P.AI_GITHUB_LOGINS.get(handle) or P.AI_LOGIN_BASES.get(handle.removesuffix("[bot]"))
        if tool:
            return tool
    if _matches_any_glob(email, tables.extra_ai_emails):
        return "custom"
    named = _ai_name(name)
    if named and (_agent_address(email) or re.search(r"\d", name)):
        return "claude-code" if named == "claude" else named    # Claude Code writes these trailers
    return None


def _ai_name(name: str) -> str | None:
    """The tool when ``name`` is an agent's name, optionally followed by model/version words
    (`Claude Opus 4.5`, `Gemini CLI`, `GPT-5 Codex`): never a first name followed by a surname."""
    m = P.KNOWN_AI_NAME_RE.match(name.strip())
    if not m:
        return None
    rest = name.strip()[m.end():].replace("-", " ").split()
    if not all(P.AI_NAME_SUFFIX_WORD.match(word) for word in rest):
        return None
    return P.KNOWN_AI_NAMES[m.group(1).lower()]


def _agent_address(email: str) -> bool:
    local, _, domain = email.partition("@")
    if domain in P.AI_VENDOR_DOMAINS or domain.endswith(".noreply.github.com"):
        return True
    return bool(re.search(r"no-?reply|\bbot\b|\[bot\]|agent", local))


def _bot_coauthor(message: str, tables: CommitTables) -> str | None:
    """The first co-author that is a bot account (renovate[bot], dependabot), not an AI agent."""
    for m in P.CO_AUTHOR_LINE.finditer(message):
        name, email = m.group("name").strip(), m.group("email").strip().lower()
        login = P.GITHUB_NOREPLY.match(email)
        if _is_bot(email, name, login.group("login").lower() if login else None, tables):
            return f"{name} <{email}>"
    return None


def _value_trailer_hits(message: str) -> Iterator[tuple[str | None, str | None, str, str]]:
    """`AI-Tool: Claude Code`, `AI-Model: gpt-5-codex`: the value names the tool or the model."""
    for m in P.AI_VALUE_TRAILER.finditer(message):
        kind, value = m.group("kind").lower(), m.group("value").strip()
        if P.AI_VALUE_NEGATIVE.match(value):
            continue
        named = named_ai(value)
        if named is None and kind not in P.AI_VALUE_SELF_EVIDENT:
            continue
        tool, model = named or (P.normalize_tool(value.split()[0]), None)
        if kind in ("ai-model", "model", "llm"):
            model = value
        yield tool, model, f"trailer '{m.group(0).strip()}'", "medium"


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


def named_ai(value: str) -> tuple[str, str | None] | None:
    """A policy trailer value -> (tool, model): `Claude:claude-3-opus coccinelle` (kernel AGENT:MODEL
    [TOOLS]) -> claude-3-opus; `Claude Opus 4.5`, `GPT-4o` -> the value; `GitHub Copilot` -> no model.
    The AGENT:MODEL form counts for an agent guardline does not know too, when a model follows."""
    value = re.sub(r"<[^>]*>", "", value).strip()   # an e-mail address is not part of the model
    pair = P.POLICY_AGENT_MODEL.match(value)
    if pair:
        agent, model = pair.group("agent").strip(), pair.group("model")
        known = P.KNOWN_AI_NAME_RE.fullmatch(agent)
        if known:
            return P.KNOWN_AI_NAMES[known.group(1).lower()], model
        tool = P.normalize_tool(agent.replace(" ", "-"))
        if tool and (P.KNOWN_AI_NAME_RE.search(model) or re.search(r"\d", model)):
            return tool, model
    m = P.KNOWN_AI_NAME_RE.search(value)
    if not m:
        return None
    tool = P.KNOWN_AI_NAMES[m.group(1).lower()]
    if ":" in value:
        words = value.split(":", 1)[1].split()
        return tool, (words[0] if words else None)
    return tool, _model_from_name(value) or (value if re.search(r"\d", value) else None)
