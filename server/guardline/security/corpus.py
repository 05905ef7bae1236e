"""Score security findings against a labelled corpus (tests/data/security/, see its README.md).

A labelled line ends with a comment marker:

- ``expect: RULE-ID`` (alternatives ``expect: RULE-A|RULE-B`` or ``RULE-A, RULE-B``): a vulnerable
  line; a finding of one of those rules (or a taint finding whose sink rule is one of them) must start
  on it;
- ``ok`` (optionally ``ok: why``): a safe line that looks dangerous; no security finding may start on it.

Unmarked lines are not scored. Recall is per language and per category (the catalog's security
category of the expected rule); the false-positive rate is the share of ``ok`` lines with a finding.
The scorer takes findings as (rule, line) pairs, so other tools (bandit, semgrep) can be scored on the
same files by mapping their findings to categories (``score_categories``).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from guardline.languages import detect_language

MARKER = re.compile(r"(?:#|//|/\*|--|;|<!--)\s*(?:expect:\s*(?P<rules>[\w.-]+(?:\s*[|,]\s*[\w.-]+)*)|(?P<ok>ok)\b)")


@dataclass
class Labels:
    path: str
    language: str
    expected: dict[int, tuple[str, ...]] = field(default_factory=dict)   # line -> accepted rule ids
    safe: set[int] = field(default_factory=set)


@dataclass
class Tally:
    hit: int = 0
    expected: int = 0
    false_positive: int = 0
    safe: int = 0

    @property
    def recall(self) -> float:
        return self.hit / self.expected if self.expected else 1.0

    @property
    def fp_rate(self) -> float:
        return self.false_positive / self.safe if self.safe else 0.0


@dataclass
class Score:
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    total: Tally = field(default_factory=Tally)
    misses: list[tuple[str, int, str]] = field(default_factory=list)          # path, line, expected
    false_positives: list[tuple[str, int, str]] = field(default_factory=list)  # path, line, rule
    unlabelled: list[tuple[str, int, str]] = field(default_factory=list)       # finding on an unmarked line


def read_labels(path: str) -> Labels | None:
    language = detect_language(path)
    if language is None:
        return None
    labels = Labels(path, language)
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            match = MARKER.search(line)
            if match is None:
                continue
            if match.group("rules"):
                labels.expected[number] = tuple(r.strip() for r in re.split(r"[|,]", match.group("rules")))
            else:
                labels.safe.add(number)
    return labels


def corpus_files(root: str) -> list[str]:
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        found += [os.path.join(folder, name) for name in sorted(names) if not name.endswith(".md")]
    return found


def score(labelled: Iterable[Labels], findings_of: Callable[[Labels], Iterable[tuple[str, int]]],
          category_of: Callable[[str], str]) -> Score:
    """``findings_of(labels)`` -> (rule id, line) pairs; ``category_of(rule id)`` -> category."""
    result = Score()
    for labels in labelled:
        found: dict[int, set[str]] = defaultdict(set)
        for rule, line in findings_of(labels):
            found[line].add(rule)
        _score_file(result, labels, found, category_of)
    return result


def _score_file(result: Score, labels: Labels, found: dict[int, set[str]],
                category_of: Callable[[str], str]) -> None:
    for line, rules in sorted(labels.expected.items()):
        category = category_of(rules[0])
        ok = bool(found.get(line, set()) & set(rules))
        for tally in (result.by_language[labels.language], result.by_category[category], result.total):
            tally.expected += 1
            tally.hit += ok
        if not ok:
            result.misses.append((labels.path, line, "|".join(rules)))
    for line in sorted(labels.safe):
        flagged = sorted(found.get(line, set()))
        for tally in (result.by_language[labels.language], result.total):
            tally.safe += 1
            tally.false_positive += bool(flagged)
        if flagged:
            result.false_positives.append((labels.path, line, ",".join(flagged)))
    for line in sorted(set(found) - set(labels.expected) - labels.safe):
        result.unlabelled.append((labels.path, line, ",".join(sorted(found[line]))))


def table(score_: Score, title: str = "guardline") -> str:
    rows = [f"{title}: recall {score_.total.hit}/{score_.total.expected} = {score_.total.recall:.1%}, "
            f"false positives {score_.total.false_positive}/{score_.total.safe} = {score_.total.fp_rate:.1%}",
            f"{'language':<14}{'recall':>16}{'FP':>14}"]
    for name, tally in sorted(score_.by_language.items()):
        rows.append(f"{name:<14}{tally.hit:>5}/{tally.expected:<4} {tally.recall:>5.0%}"
                    f"{tally.false_positive:>5}/{tally.safe:<4}{tally.fp_rate:>4.0%}")
    rows.append(f"{'category':<24}{'recall':>16}")
    for name, tally in sorted(score_.by_category.items()):
        rows.append(f"{name:<24}{tally.hit:>5}/{tally.expected:<4} {tally.recall:>5.0%}")
    return "\n".join(rows)
