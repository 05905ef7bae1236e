"""Every pattern the attribution uses, as data. Extend from config, not by editing code paths.

Sources (docs/origin.md): author identities (source 4), commit message markers (source 5), bots,
tool display names, generated-file headers (source 0), region and file-header markers (1, 6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FLAGS = re.IGNORECASE | re.MULTILINE

# --- source 4: author identity -----------------------------------------------------------------
# Exact author e-mail (lower case) -> tool id. Never a bare name: people called Claude or Devin exist.
AI_AUTHOR_EMAILS: dict[str, str] = {
    "noreply@anthropic.com": "claude",
    "cursoragent@cursor.com": "cursor",
    "roomote@roocode.com": "roo-code",
    "noreply@openai.com": "codex",
    "openhands@all-hands.dev": "openhands",
}

# GitHub noreply logins (lower case) of AI agents -> tool id: `<id>+<login>@users.noreply.github.com`.
AI_GITHUB_LOGINS: dict[str, str] = {
    "copilot": "copilot-agent",
    "copilot-swe-agent[bot]": "copilot-agent",
    "claude[bot]": "claude",
    "devin-ai-integration[bot]": "devin",
    "google-labs-jules[bot]": "jules",
    "cursor[bot]": "cursor",
    "sweep-ai[bot]": "sweep",
    "codegen-sh[bot]": "codegen",
    "cline[bot]": "cline",
    "amazon-q-developer[bot]": "amazon-q",
    "lovable-dev[bot]": "lovable",
    "gpt-engineer-app[bot]": "gpt-engineer",
}

GITHUB_NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[^@]+)@users\.noreply\.github\.com$", re.IGNORECASE)

# Bots that are not AI (source 4): matched against the author e-mail, and against the author name
# only when the name is the bot's own account name (a person may be called "Codecov"? unlikely, but
# names are checked as whole account names, never as words inside a name).
BOT_EMAIL_PATTERNS: list[str] = [
    r"\[bot\]", r"dependabot", r"renovate", r"github-actions", r"^action@github\.com$",
    r"pre-commit-ci", r"mergify", r"release-please", r"semantic-release-bot", r"snyk-bot",
    r"imgbot", r"allcontributors", r"codecov", r"weblate", r"crowdin", r"transifex",
]
BOT_NAME_PATTERNS: list[str] = [
    r"\[bot\]$", r"^dependabot", r"^renovate( bot)?$", r"^github[- ]actions?( bot)?$",
    r"^pre-commit-ci", r"^mergify", r"^release-please", r"^semantic-release-bot$", r"^snyk( bot|-bot)$",
    r"^imgbot", r"^allcontributors", r"^codecov", r"weblate$", r"^crowdin( bot)?$", r"^transifex( bot)?$",
]

# An Aider author name: "Jane (aider)". A committer-only "(aider)" is not evidence.
AIDER_AUTHOR = re.compile(r"\s\(aider\)$", re.IGNORECASE)


# --- source 5: commit message markers ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MessageMarker:
    name: str                 # short label shown in explanations
    regex: re.Pattern[str]
    tool: str | None          # tool id, or None when a group names it (see tool_from_match)
    confidence: str = "medium"


# Co-author e-mail (lower case, GitHub ids stripped) -> tool id.
AI_COAUTHOR_EMAILS: dict[str, str] = {
    "noreply@anthropic.com": "claude-code",
    "cursoragent@cursor.com": "cursor",
    "aider@aider.chat": "aider",
    "noreply@aider.chat": "aider",
    "amp@ampcode.com": "amp",
    "openhands@all-hands.dev": "openhands",
    "noreply@opencode.ai": "opencode",
    "copilot@users.noreply.github.com": "copilot-agent",
    "google-labs-jules[bot]@users.noreply.github.com": "jules",
}

CO_AUTHOR_AI = re.compile(
    r"^co-authored-by:\s*(?P<name>[^<\n]*)<(?P<email>noreply@anthropic\.com|cursoragent@cursor\.com"
    r"|aider@aider\.chat|noreply@aider\.chat|amp@ampcode\.com|openhands@all-hands\.dev|noreply@opencode\.ai"
    r"|\d+\+copilot@users\.noreply\.github\.com|\d+\+google-labs-jules\[bot\]@users\.noreply\.github\.com)>",
    _FLAGS)

# VS Code's git.addAICoAuthor put this on non-AI commits for a while: low confidence only.
CO_AUTHOR_VSCODE_COPILOT = re.compile(r"^co-authored-by:\s*copilot\s*<copilot@github\.com>", _FLAGS)

FOOTER_GENERATED_WITH = re.compile(r"^\W*generated with \[?(?P<tool>claude code|opencode)\]?", _FLAGS)

TRAILER_MARKERS: list[MessageMarker] = [
    MessageMarker("Claude-Session trailer", re.compile(r"^claude-session:", _FLAGS), "claude-code"),
    MessageMarker("Amp-Thread trailer", re.compile(r"^amp-thread(-id)?:", _FLAGS), "amp"),
    MessageMarker("Made-with: Cursor trailer", re.compile(r"^made-with:\s*cursor", _FLAGS), "cursor"),
    MessageMarker("Replit agent trailer", re.compile(r"^replit-commit-author:\s*(agent|assistant)", _FLAGS),
                  "replit-agent"),
    MessageMarker("Devin run link", re.compile(r"link to devin run:", _FLAGS), "devin"),
    MessageMarker("AI-Assisted trailer", re.compile(r"^ai-assisted:\s*(yes|true)\b", _FLAGS), None),
]

# Aider's own commits: subject "aider: ...". Aider committed them itself, so the whole commit is AI.
AIDER_SUBJECT = re.compile(r"^aider: ", re.IGNORECASE)

# Policy trailers (kernel `Assisted-by: AGENT:MODEL`, Fedora, OpenStack, Apache), only when the value
# names a known agent or model.
POLICY_TRAILER = re.compile(r"^(?P<kind>assisted|generated)-by:\s*(?P<value>.+)$", _FLAGS)

# Words naming an agent or model family in a policy trailer value -> tool id.
KNOWN_AI_NAMES: dict[str, str] = {
    "claude code": "claude-code", "claude": "claude", "anthropic": "claude",
    "github copilot": "copilot", "copilot": "copilot", "cursor": "cursor", "codex": "codex",
    "chatgpt": "chatgpt", "gpt": "chatgpt", "openai": "chatgpt", "o3": "chatgpt", "o4": "chatgpt",
    "gemini": "gemini", "jules": "jules", "aider": "aider", "devin": "devin", "windsurf": "windsurf",
    "codeium": "windsurf", "tabnine": "tabnine", "amazon q": "amazon-q", "codewhisperer": "amazon-q",
    "cline": "cline", "roo code": "roo-code", "opencode": "opencode", "amp": "amp", "llama": "llama",
    "mistral": "mistral", "codestral": "mistral", "deepseek": "deepseek", "qwen": "qwen", "grok": "grok",
    "openhands": "openhands", "kiro": "kiro", "junie": "junie",
}
KNOWN_AI_NAME_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(KNOWN_AI_NAMES, key=len, reverse=True))
    + r")(?![\w])", re.IGNORECASE)

# GitHub squash / merge messages list several commits as "* subject" bullets.
SQUASH_BULLET = re.compile(r"^\* \S", re.MULTILINE)

# --- display names -----------------------------------------------------------------------------
TOOL_DISPLAY: dict[str, str] = {
    "claude-code": "Claude Code", "claude": "Claude", "copilot-agent": "Copilot coding agent",
    "copilot": "GitHub Copilot", "github-copilot": "GitHub Copilot", "cursor": "Cursor",
    "roo-code": "Roo Code", "codex": "OpenAI Codex", "openhands": "OpenHands", "devin": "Devin",
    "jules": "Jules", "sweep": "Sweep", "codegen": "Codegen", "cline": "Cline", "amazon-q": "Amazon Q",
    "lovable": "Lovable", "gpt-engineer": "GPT Engineer", "aider": "Aider", "amp": "Amp",
    "opencode": "OpenCode", "replit-agent": "Replit Agent", "chatgpt": "ChatGPT", "gemini": "Gemini",
    "windsurf": "Windsurf", "tabnine": "Tabnine", "llama": "Llama", "mistral": "Mistral",
    "deepseek": "DeepSeek", "qwen": "Qwen", "grok": "Grok", "kiro": "Kiro", "junie": "Junie",
}

# git-ai / Agent Trace tool names -> our tool ids.
TOOL_ALIASES: dict[str, str] = {
    "claude": "claude-code", "claude_code": "claude-code", "claude-code": "claude-code",
    "github-copilot": "copilot", "copilot": "copilot", "cursor": "cursor", "codex": "codex",
    "gemini": "gemini", "gemini-cli": "gemini", "windsurf": "windsurf", "continue": "continue",
    "opencode": "opencode", "amp": "amp", "aider": "aider", "cline": "cline",
}


def tool_display(tool: str | None) -> str | None:
    """A name for people ("Claude Code") from a tool id; unknown ids are shown as given."""
    if not tool:
        return None
    return TOOL_DISPLAY.get(tool, tool)


def normalize_tool(name: str | None) -> str | None:
    if not name:
        return None
    key = name.strip().lower()
    return TOOL_ALIASES.get(key, key)


# --- source 0: generated files -----------------------------------------------------------------
GENERATED_HEADER_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"@generated\b"), "@generated header"),
    (re.compile(r"^// Code generated .* DO NOT EDIT\.$", re.MULTILINE), "Go 'Code generated ... DO NOT EDIT.' header"),
    (re.compile(r"# Generated by the protocol buffer compiler"), "protocol buffer compiler header"),
    (re.compile(r"autogenerated by pip-compile"), "pip-compile header"),
    (re.compile(r"Generated by Django"), "Django migration header"),
    (re.compile(r"DO NOT EDIT"), "'DO NOT EDIT' header"),         # generic: after the specific ones
]
GENERATED_HEADER_LINES = 50
GENERATED_HEADER_BYTES = 2048

# Globs (matched against the repo-relative path) of files that are generated by convention.
DEFAULT_GENERATED_GLOBS: list[str] = [
    "*_pb2.py", "*_pb2_grpc.py", "*_pb2.pyi", "*.pb.go", "*.pb.gw.go", "*.min.js", "*.min.css",
]

# --- sources 1 and 6: markers in comments ------------------------------------------------------
REGION_START = re.compile(r"(@ai-start\b|\bBEGIN AI-GENERATED\b|\bAI_ASSISTED:\s*true\b)", re.IGNORECASE)
REGION_END = re.compile(r"(@ai-end\b|\bEND AI-GENERATED\b|\bAI_ASSISTED_END\b)", re.IGNORECASE)
REGION_LINE = re.compile(r"(?<![\w-])@ai(?![\w-])")
# Cheap pre-check: the file mentions none of the markers, so no comment scan is needed.
MARKER_HINT = re.compile(r"@ai|ai-generated|ai_assisted|ai-assisted|spdx-ai-disclosure", re.IGNORECASE)
# "tool=claude-code model=opus" after a start marker (optional).
REGION_ATTRS = re.compile(r"\b(tool|model)=([\w.:/@-]+)", re.IGNORECASE)

FILE_HEADER_AI = re.compile(
    r"(@ai-generated\b|SPDX-AI-Disclosure:\s*(ai-generated|ai-assisted)\b|\bAI-ASSISTED:\s*yes\b)",
    re.IGNORECASE)
FILE_HEADER_HUMAN = re.compile(r"SPDX-AI-Disclosure:\s*none\b", re.IGNORECASE)
FILE_HEADER_LINES = 50
