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
    "codex@openai.com": "codex",
    "openhands@all-hands.dev": "openhands",
    "windsurf@codeium.com": "windsurf",
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
    "chatgpt-codex-connector[bot]": "codex",
    "gemini-code-assist[bot]": "gemini",
    "devin-ai[bot]": "devin",
    "coderabbitai[bot]": "coderabbit",
    "qodo-merge-pro[bot]": "qodo",
    "openhands-agent": "openhands",
}

# The same agents' logins without the `[bot]` suffix, as people type them into trailers.
AI_LOGIN_BASES: dict[str, str] = {login.removesuffix("[bot]"): tool for login, tool in AI_GITHUB_LOGINS.items()}

GITHUB_NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[^@]+)@users\.noreply\.github\.com$", re.IGNORECASE)

# Bots that are not AI (source 4). E-mails are anchored to the bots' own addresses (a GitHub App's
# `[bot]` noreply address or a known bot account), never a word inside a domain: people work at
# codecov.io and crowdin.com. Names count only as whole account names ("Hosted Weblate", "Codecov").
BOT_EMAIL_PATTERNS: list[str] = [
    r"^(\d+\+)?[^@]+\[bot\]@users\.noreply\.github\.com$", r"^(\d+\+)?dependabot(-preview)?(\[bot\])?@",
    r"^bot@renovateapp\.com$", r"^renovate@whitesourcesoftware\.com$", r"^(\d+\+)?renovate-bot@",
    r"^(\d+\+)?github-actions(\[bot\])?@", r"^action@github\.com$",
    r"^(\d+\+)?pre-commit-ci(\[bot\])?@", r"^(\d+\+)?mergify(\[bot\])?@", r"^(\d+\+)?release-please(\[bot\])?@",
    r"^semantic-release-bot@", r"^snyk-bot@snyk\.io$", r"^imgbothelp@gmail\.com$",
    r"^(\d+\+)?allcontributors(\[bot\])?@", r"^(hosted|noreply)@weblate\.org$", r"^support\+bot@crowdin\.com$",
    r"^bot@transifex\.com$",
]
BOT_NAME_PATTERNS: list[str] = [
    r"\[bot\]$", r"^dependabot(-preview)?(\[bot\])?$", r"^renovate( bot)?(\[bot\])?$",
    r"^github[- ]actions?( bot)?(\[bot\])?$", r"^pre-commit-ci(\[bot\])?$", r"^mergify(\[bot\])?$",
    r"^release-please(\[bot\])?$", r"^semantic-release-bot$", r"^snyk( bot|-bot)$", r"^imgbot(app)?$",
    r"^allcontributors(\[bot\])?$", r"^codecov( bot)?$", r"^(hosted )?weblate$", r"^crowdin( bot)?$",
    r"^transifex( bot)?$",
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
    "noreply@openai.com": "codex",
    "codex@openai.com": "codex",
    "noreply@google.com": "gemini",
    "windsurf@codeium.com": "windsurf",
    "roomote@roocode.com": "roo-code",
    "devin-ai-integration[bot]@users.noreply.github.com": "devin",
}

# Any `Co-authored-by: Name <email>` line; the name and address are classified in commits.py.
CO_AUTHOR_LINE = re.compile(r"^co-authored-by:[ \t]*(?P<name>[^<\n]*?)[ \t]*<(?P<email>[^>\n]*)>", _FLAGS)
# Words that may follow an agent's name in a co-author name: versions, model families, "Agent", "[bot]".
AI_NAME_SUFFIX_WORD = re.compile(
    r"^(\d[\w.]*|v\d[\w.]*|[\w.]*\d[\w.]*|opus|sonnet|haiku|code|cli|agent|ai|assistant|bot|\[bot\]|pro|flash|"
    r"ultra|mini|nano|max|turbo|preview|coding|chat|cloud|cascade|composer|swe|engineer|developer|dev|"
    r"\(.*\)|[\w-]*\(.*|.*\))$", re.IGNORECASE)

# VS Code's git.addAICoAuthor put this on non-AI commits for a while: low confidence only.
CO_AUTHOR_VSCODE_COPILOT = re.compile(r"^co-authored-by:\s*copilot\s*<copilot@github\.com>", _FLAGS)

# Only as a line of its own at column 0 (an emoji may lead it): quoted in indented prose or a `>`
# block it is someone talking about the footer, not the footer.
FOOTER_GENERATED_WITH = re.compile(
    r"^(?:[^\w\s>#*\-]{1,4}[ \t]*)?generated (?:with|by) \[?(?P<tool>claude code|opencode)\]?(?:\(|[ \t]*$|[.!])",
    _FLAGS)

TRAILER_MARKERS: list[MessageMarker] = [
    MessageMarker("Claude-Session trailer", re.compile(r"^claude-session:", _FLAGS), "claude-code"),
    MessageMarker("Amp-Thread trailer", re.compile(r"^amp-thread(-id)?:", _FLAGS), "amp"),
    MessageMarker("Made-with: Cursor trailer", re.compile(r"^made-with:\s*cursor", _FLAGS), "cursor"),
    MessageMarker("Replit agent trailer", re.compile(r"^replit-commit-author:\s*(agent|assistant)", _FLAGS),
                  "replit-agent"),
    MessageMarker("Devin run link", re.compile(r"link to devin run:", _FLAGS), "devin"),
    MessageMarker("AI-Assisted trailer", re.compile(r"^ai-assisted:\s*(yes|true)\b", _FLAGS), None),
    # GitHub copies the Codex cloud task link and Cursor's line into squash messages of their PRs.
    MessageMarker("Codex cloud task link", re.compile(r"chatgpt\.com/codex/tasks/\w", _FLAGS), "codex"),
    MessageMarker("Made with Cursor line",
                  re.compile(r"^(?:[^\w\s>]{1,4}[ \t]*)?made with \[cursor\]", _FLAGS), "cursor"),
    MessageMarker("Cursor background agent link", re.compile(r"cursor\.com/background-agent\?bcId=", _FLAGS),
                  "cursor"),
    # Entire (entire.io) records agent sessions and links them to commits with these trailers.
    MessageMarker("Entire session trailer", re.compile(r"^entire-(session|checkpoint)(-id)?:[ \t]*\S", _FLAGS),
                  None),
]

# Trailers whose value names the tool or model: `AI-Tool: Claude Code`, `AI-Model: gpt-5-codex`,
# `AI-Agent: Gemini CLI`. Any non-empty value that is not a "no" counts; the value names the tool.
AI_VALUE_TRAILER = re.compile(
    r"^(?:x-)?(?P<kind>ai-tool|ai-model|ai-agent|ai-assistant|agent|model|coding-agent|llm)"
    r":[ \t]*(?P<value>[^\n]*\S)", _FLAGS)
AI_VALUE_NEGATIVE = re.compile(r"^(none|no|n/?a|false|0|-)$", re.IGNORECASE)
# Kinds of AI_VALUE_TRAILER that are evidence on their own (plain `Agent:` / `Model:` only when they
# name a known agent or model).
AI_VALUE_SELF_EVIDENT = frozenset({"ai-tool", "ai-model", "ai-agent", "ai-assistant", "coding-agent", "llm"})

# Aider's own commits: subject "aider: ...". Aider committed them itself, so the whole commit is AI.
AIDER_SUBJECT = re.compile(r"^aider: ", re.IGNORECASE)

# Policy trailers (kernel `Assisted-by: AGENT:MODEL`, Fedora, OpenStack, Apache), only when the value
# names a known agent or model.
POLICY_TRAILER = re.compile(r"^(?P<kind>assisted|generated|co-developed|ai-generated)-by:[ \t]*(?P<value>.+)$",
                            _FLAGS)
# The kernel's `AGENT:MODEL [TOOLS]` form: an unknown agent name still counts when a model follows.
POLICY_AGENT_MODEL = re.compile(r"^(?P<agent>[\w.\- ]+?):(?P<model>[\w.\-/@]+)(?:\s|$)")

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
    "gemini cli": "gemini", "gemini code assist": "gemini", "openai codex": "codex", "codex cli": "codex",
    "gpt-5-codex": "codex", "github copilot agent": "copilot-agent", "copilot coding agent": "copilot-agent",
    "copilot agent": "copilot-agent", "cursor agent": "cursor", "claude-code": "claude-code",
    "claude_code": "claude-code", "devin ai": "devin", "google jules": "jules", "roo": "roo-code",
    "roo-code": "roo-code", "kilo code": "kilo-code", "continue.dev": "continue", "cody": "cody",
    "sourcegraph cody": "cody", "augment": "augment", "augment code": "augment", "zed ai": "zed",
    "entire": "entire", "goose": "goose", "crush": "crush", "warp": "warp", "qodo": "qodo",
    "coderabbit": "coderabbit", "sweep": "sweep", "codegen": "codegen", "lovable": "lovable",
    "bolt": "bolt", "v0": "v0", "replit agent": "replit-agent", "trae": "trae", "firebase studio": "gemini",
}
KNOWN_AI_NAME_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(KNOWN_AI_NAMES, key=len, reverse=True))
    + r")(?![\w])", re.IGNORECASE)

# `git merge --squash` writes this header, then each commit (`commit <sha>`, `Author:`, indented message).
GIT_SQUASH = re.compile(r"^squashed commit of the following:[ \t]*$", _FLAGS)
GIT_SQUASH_ENTRY = re.compile(r"^commit (?P<sha>[0-9a-f]{7,40})\n(?:(?:author|merge|date|commit):.*\n)*", _FLAGS)
# An `Entire-Agent: Claude Code` line names the agent behind Entire's session trailers.
ENTIRE_AGENT = re.compile(r"^entire-agent:[ \t]*(?P<value>[^\n]*\S)", _FLAGS)
# Domains of AI vendors: an agent's name at one of these is the agent, not a person.
AI_VENDOR_DOMAINS = frozenset({
    "anthropic.com", "openai.com", "google.com", "cursor.com", "cursor.sh", "codeium.com", "windsurf.com",
    "cognition.ai", "cognition-labs.com", "devin.ai", "github.com", "aider.chat", "ampcode.com",
    "all-hands.dev", "opencode.ai", "roocode.com", "cline.bot", "kiro.dev", "jetbrains.com", "qwen.ai",
    "x.ai", "mistral.ai", "deepseek.com", "sourcegraph.com", "augmentcode.com", "tabnine.com", "replit.com",
    "lovable.dev", "coderabbit.ai", "qodo.ai", "entire.io", "factory.ai", "warp.dev", "zed.dev",
})

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
    "entire": "Entire", "coderabbit": "CodeRabbit", "qodo": "Qodo", "kilo-code": "Kilo Code",
    "continue": "Continue", "cody": "Cody", "augment": "Augment", "zed": "Zed", "goose": "Goose",
    "crush": "Crush", "warp": "Warp", "bolt": "Bolt", "v0": "v0", "trae": "Trae",
}

# git-ai / Agent Trace tool names -> our tool ids.
TOOL_ALIASES: dict[str, str] = {
    "claude": "claude-code", "claude_code": "claude-code", "claude-code": "claude-code",
    "github-copilot": "copilot", "copilot": "copilot", "cursor": "cursor", "codex": "codex",
    "gemini": "gemini", "gemini-cli": "gemini", "windsurf": "windsurf", "continue": "continue",
    "opencode": "opencode", "amp": "amp", "aider": "aider", "cline": "cline",
    "codex-cli": "codex", "openai-codex": "codex", "gpt-5-codex": "codex", "copilot-agent": "copilot-agent",
    "copilot-swe-agent": "copilot-agent", "cursor-agent": "cursor", "roo-code": "roo-code", "roo": "roo-code",
    "devin": "devin", "jules": "jules", "kiro": "kiro", "junie": "junie", "qwen-code": "qwen",
    "qwen": "qwen", "kilo-code": "kilo-code", "augment": "augment", "goose": "goose", "droid": "droid",
    "factory": "droid", "windsurf-cascade": "windsurf", "cascade": "windsurf", "codeium": "windsurf",
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
# Searched only in the file's leading comments / docblock (case-insensitive): a `DO NOT EDIT` or an
# `@generated` further down is someone's note, not a generator's banner. Specific banners first.
_I = re.IGNORECASE
GENERATED_HEADER_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![\w-])@generated\b", _I), "@generated header"),
    (re.compile(r"code generated .* do not edit\.?", _I), "Go 'Code generated ... DO NOT EDIT.' header"),
    (re.compile(r"generated by the protocol buffer compiler", _I), "protocol buffer compiler header"),
    (re.compile(r"generated by the grpc .*(plugin|compiler)|protoc-gen-[\w-]+\. do not edit", _I),
     "gRPC compiler header"),
    (re.compile(r"generated by:? openapi[- ]generator|openapi-generator\.tech|auto[- ]?generated by swagger", _I),
     "OpenAPI Generator header"),
    (re.compile(r"automatically generated by json-schema-to-typescript", _I), "json-schema-to-typescript header"),
    (re.compile(r"file generated by setuptools[-_]scm", _I), "setuptools-scm header"),
    (re.compile(r"autogenerated by pip-compile", _I), "pip-compile header"),
    (re.compile(r"generated by django \d", _I), "Django migration header"),
    (re.compile(r"\bdo not edit\b|\bdo not modify (it|this file) by hand\b", _I), "'DO NOT EDIT' header"),
]
GENERATED_HEADER_LINES = 50
GENERATED_HEADER_BYTES = 2048

# Globs (matched against the repo-relative path) of files that are generated or vendored by convention.
DEFAULT_GENERATED_GLOBS: list[str] = [
    "*_pb2.py", "*_pb2_grpc.py", "*_pb2.pyi", "*.pb.go", "*.pb.gw.go", "*.min.js", "*.min.css",
]
# Vendored code (GitHub linguist's vendor rules): someone else's code, neither AI nor human here.
VENDORED_GLOBS: list[str] = ["vendor/", "third_party/", "third-party/", "node_modules/", "bower_components/"]

# Minified by content: long lines with hardly any spaces (bundles whatever their file names).
MINIFIED_MIN_LINE = 1000          # at least one line this long ...
MINIFIED_MEAN_LINE = 250          # ... a mean non-blank line length of at least this ...
MINIFIED_MAX_SPACE_SHARE = 0.12   # ... and at most this share of whitespace in the long lines

# --- sources 1 and 6: markers in comments ------------------------------------------------------
REGION_START = re.compile(r"(@ai-start\b|\bBEGIN AI-GENERATED\b|\bAI_ASSISTED:\s*true\b)", re.IGNORECASE)
REGION_END = re.compile(r"(@ai-end\b|\bEND AI-GENERATED\b|\bAI_ASSISTED_END\b)", re.IGNORECASE)
REGION_LINE = re.compile(r"(?<![\w-])@ai(?![\w-])")
# Cheap pre-check: the file mentions none of the markers, so no comment scan is needed.
MARKER_HINT = re.compile(r"@ai|ai-generated|ai_assisted|ai-assisted|spdx-ai-", re.IGNORECASE)
# "tool=claude-code model=opus" after a start marker (optional).
REGION_ATTRS = re.compile(r"\b(tool|model)=([\w.:/@-]+)", re.IGNORECASE)

FILE_HEADER_AI = re.compile(
    r"(@ai-generated\b|SPDX-AI-Disclosure:\s*(ai-generated|ai-assisted)\b|\bAI-ASSISTED:\s*yes\b)",
    re.IGNORECASE)
FILE_HEADER_HUMAN = re.compile(r"SPDX-AI-Disclosure:\s*none\b", re.IGNORECASE)
# Header lines naming the tool or model: `SPDX-AI-Model: claude-opus-4-5`, `SPDX-AI-Tool: Cursor`; also
# evidence on their own.
FILE_HEADER_AI_NAMED = re.compile(r"SPDX-AI-(?P<kind>Model|Tool|Agent):\s*(?P<value>[^\s*/#-][^*\n]*?)\s*(\*/)?$",
                                  re.IGNORECASE)
FILE_HEADER_LINES = 50
