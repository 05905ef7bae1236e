"""Tier C secrets: provider patterns, generic assignments with the entropy gate, placeholders, masking."""

from __future__ import annotations

import pytest

from guardline.security.secrets import SECRET_RULES, mask, passes_entropy_gate, scan_secrets


@pytest.mark.parametrize("rule", SECRET_RULES, ids=lambda r: r.id)
def test_secret_rule_examples(rule) -> None:  # noqa: ANN001
    for example in rule.positive:
        assert rule.id in [f.rule for f in scan_secrets(example, "config.py")], f"{rule.id} must fire on {example!r}"
    for example in rule.negative:
        assert rule.id not in [f.rule for f in scan_secrets(example, "config.py")], f"{rule.id} quiet on {example!r}"


def test_secret_is_masked_everywhere() -> None:
    token = "ghp_8dKq2LmZ0vXa9TbC4nR7sYwE1uF6hJ3gP5oQ"
    findings = scan_secrets(f"# deploy\nGITHUB_TOKEN={token}\n", ".env")
    assert len(findings) == 1
    finding = findings[0]
    assert finding.rule == "secret-github-token" and finding.start_line == 2 and finding.start_column == 13
    assert finding.data["masked"] == "ghp_***" and mask(token) == "ghp_***"
    assert token not in str(finding.to_json()), "the full secret must never appear in a finding"
    assert finding.cwe == "CWE-798" and finding.severity == "warning"


def test_keyword_prefilter_skips_unrelated_text() -> None:
    assert scan_secrets("x = 1\n" * 1000, "a.py") == []


def test_entropy_gate_thresholds() -> None:
    assert passes_entropy_gate("q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYa"), "random base64-like >= 4.5 bits"
    assert not passes_entropy_gate("passwordpassword1"), "dictionary-like text is below 4.5"
    assert passes_entropy_gate("7f3a9c2e1b8d4f60a5e2c9b7"), "random hex >= 3.0 bits"
    assert not passes_entropy_gate("000000111111"), "repetitive hex below 3.0"


def test_placeholders_and_templates_are_ignored() -> None:
    text = "\n".join([
        'api_key = "${API_KEY}"', 'secret: "<your secret here>"', 'token = "xxxxxxxxxxxxxxxxxxxxxxxx"',
        'password = "changeme-please-now"', 'aws = "AKIAIOSFODNN7EXAMPLE"', 'api_key = "{{ vault.api_key }}"',
    ])
    assert scan_secrets(text, "settings.yaml") == []


def test_generic_secret_in_test_fixture_path_is_skipped() -> None:
    line = 'API_KEY = "q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYa"\n'
    assert scan_secrets(line, "src/settings.py"), "real file: reported"
    assert scan_secrets(line, "tests/fixtures/settings.py") == [], "test fixtures hold fake keys"


def test_private_key_block_and_jwt_in_yaml() -> None:
    text = ("service:\n  key: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n"
            "    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
            "    -----END OPENSSH PRIVATE KEY-----\n")
    findings = scan_secrets(text, "deploy.yaml")
    assert [f.rule for f in findings] == ["secret-private-key"] and findings[0].start_line == 4


# --- the keyword windows (scan only the lines around keyword occurrences) ------------------------

def _full_scan_starts(text: str) -> set[tuple[str, int]]:
    """Oracle: every rule's regex over the whole text (what the windows must not miss)."""
    from guardline.security.secrets import SECRET_RULES, _is_reportable
    out = set()
    for rule in SECRET_RULES:
        for match in rule.pattern.finditer(text):
            if _is_reportable(rule, match.group(rule.group), False):
                out.add((rule.id, match.start(rule.group)))
    return out


def _window_scan_starts(text: str) -> set[tuple[str, int]]:
    from guardline.security.secrets import _line_starts
    starts = _line_starts(text)
    return {(f.rule, starts[f.start_line - 1] + len(text[starts[f.start_line - 1]:].encode()[:f.start_column].decode()))
            for f in scan_secrets(text, "app.py")}


@pytest.mark.parametrize("text", [
    'x = 1\npassword =\n    "q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYa"\n',  # value on the next line
    'token\n\n=\n\n"q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYd"\n',  # name, operator, value apart
    'name = "İİİ"; API_KEY = "q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYc"\n',  # lower() lengthens İ  guardline: ignore[secret-generic]
    'a = 1\n' * 50 + 'aws = "AKIAQ3EGUMT5ZLKDXW7R"\n' + 'b = 2\n' * 50,  # guardline: ignore[secret-aws-access-key]
])
def test_keyword_windows_find_what_a_whole_text_scan_finds(text):
    # The generic regex tries every word of a file; guardline runs it only on each keyword's line
    # and the next two non-blank lines. These layouts must still be found, at the same offsets.
    assert _window_scan_starts(text) == _full_scan_starts(text) != set()


def test_a_versioned_format_name_is_not_a_credential() -> None:
    """`TOKENS_SCHEMA = "blob-tokens-1"` names a storage format (words joined by dashes plus a version,
    the way settings and schemas are named); a real token is not made of dictionary words. guardline
    reported this line of its own code before."""
    assert [f.rule for f in scan_secrets('TOKENS_SCHEMA = "blob-tokens-1"\n', "store.py")] == []
    assert [f.rule for f in scan_secrets('API_KEY_FORMAT = "api-key-v2"\n', "store.py")] == []
    # a password that merely contains a dash and digits is still one
    assert [f.rule for f in scan_secrets('DB_PASSWORD = "hunter-2024"\n', "settings.py")] == ["secret-generic"]


def test_a_call_name_inside_a_string_is_not_a_call() -> None:
    """`"login(", "@tcp("` in a list of names is text, not `login(user, "password")`: a call name right
    after a quote is inside a string literal."""
    assert scan_secrets('NEEDLES = ("basic_auth(", "login(", "@tcp(")\n', "rules.py") == []
    assert [f.rule for f in scan_secrets('client.login(user, "s3cretPw!")\n', "app.py")] == ["secret-call-password"]


def test_keyword_prefilter_finds_the_same_keywords_as_testing_each():
    """present_keywords skips a keyword when a shorter one inside it is absent ("passw" before
    "password"): the set must equal the naive test on texts with and without the inner keywords."""
    from guardline.security.secrets import ALL_KEYWORDS, KEYWORD_ORDER, present_keywords
    assert dict(KEYWORD_ORDER)["password"] is not None, "password has a shorter keyword inside it"
    texts = ["", "password = 1", "passwd", "pass word", "my_secret: x", "secretkeyspec(", "sk_live_ sk-",
             "xoxb- ghp_ github_pat_", "the private key block", " ".join(ALL_KEYWORDS)]
    for text in texts:
        assert present_keywords(text) == frozenset(k for k in ALL_KEYWORDS if k in text), text
