"""The security rule catalog as ``RuleMeta`` (SARIF rules, docs/rules.md, LSP code links).

Built from the rule data itself: every Tier A rule of every language table, the Tier B taint rules
and the Tier C secret rules. Tier B-only sinks are not rules of their own (they only feed taint).
"""

from __future__ import annotations

from guardline.rules import RuleMeta
from guardline.security.engine import RULE_MODULES, Rule, TaintRule, spec_for
from guardline.security.secrets import SECRET_RULES

OWASP = {
    "injection": "A03:2021 Injection", "command-injection": "A03:2021 Injection", "xss": "A03:2021 Injection",
    "weak-cryptography": "A02:2021 Cryptographic Failures", "secrets": "A07:2021 Identification and "
    "Authentication Failures", "insecure-configuration": "A05:2021 Security Misconfiguration",
    "deserialization": "A08:2021 Software and Data Integrity Failures", "path-traversal": "A01:2021 Broken "
    "Access Control", "ssrf": "A10:2021 Server-Side Request Forgery", "insecure-transport": "A02:2021 "
    "Cryptographic Failures", "dos": "A05:2021 Security Misconfiguration",
    "ldap-injection": "A03:2021 Injection", "xpath-injection": "A03:2021 Injection",
    "open-redirect": "A01:2021 Broken Access Control", "insecure-cookie": "A05:2021 Security Misconfiguration",
    "trust-boundary": "A04:2021 Insecure Design", "weak-random": "A02:2021 Cryptographic Failures",
    "xxe": "A05:2021 Security Misconfiguration", "jwt": "A07:2021 Identification and Authentication Failures",
}


def _tier_a_meta(rule: Rule, languages: tuple[str, ...]) -> RuleMeta:
    description = rule.why
    if rule.bandit:
        description += f" Covers Bandit {', '.join(rule.bandit)}."
    if not rule.default_enabled:
        description += " Off by default: enable with `security.enabled_rules`."
    return RuleMeta(id=rule.id, title=rule.title, category=rule.kind, default_severity=rule.severity,
                    description=description, languages=languages, cwe=(rule.cwe, *rule.extra_cwe),
                    owasp=OWASP.get(rule.category), security_category=rule.category,
                    confidence=rule.confidence, fix=rule.fix, tags=("tier-a",) + rule.bandit)


def _taint_meta(rule: TaintRule, languages: tuple[str, ...]) -> RuleMeta:
    return RuleMeta(id=rule.id, title=f"Tainted data: {rule.title}", category="security",
                    default_severity="error", description=rule.why + " (Tier B: taint within one function.)",
                    languages=languages, cwe=(rule.cwe,), owasp=OWASP.get(rule.category),
                    security_category=rule.category, confidence="high", fix=rule.fix, tags=("tier-b",))


def build_catalog() -> list[RuleMeta]:
    tier_a: dict[str, tuple[Rule, list[str]]] = {}
    taint: dict[str, tuple[TaintRule, list[str]]] = {}
    for language in RULE_MODULES:
        spec = spec_for(language)
        if spec is None:
            continue
        for rule in spec.rules:
            if rule.tier == "A" and language in rule.languages:
                tier_a.setdefault(rule.id, (rule, []))[1].append(language)
        for trule in spec.taint_rules:
            if language in trule.languages:
                taint.setdefault(trule.id, (trule, []))[1].append(language)
    metas = [_tier_a_meta(rule, tuple(langs)) for rule, langs in tier_a.values()]
    metas += [_taint_meta(rule, tuple(langs)) for rule, langs in taint.values()]
    metas += [RuleMeta(id=s.id, title=s.title, category="security", default_severity="warning",
                       description=s.why + " Found in any text file (Tier C); the value is masked in reports.",
                       cwe=("CWE-798",), owasp=OWASP["secrets"], security_category="secrets",
                       confidence="medium" if s.generic else "high", fix=s.fix, tags=("tier-c",))
              for s in SECRET_RULES]
    return metas


RULES: list[RuleMeta] = build_catalog()
