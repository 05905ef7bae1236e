"""lizard profile vs lizard 1.24 itself on real JavaScript and PHP found on the machine.

A sample only (the full corpora and every disagreement: bench/lizard_diff.py). Samples that are
absent on this machine are skipped with the reason.
"""

from __future__ import annotations

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "bench"))

lizard = pytest.importorskip("lizard")
from lizard_diff import compare_sources, iter_sources  # noqa: E402

NPM = pathlib.Path("/usr/lib/node_modules/npm")
PHP_SHARE = pathlib.Path("/usr/share/php")


def _sample(language: str, root: pathlib.Path, files: int) -> list[tuple[str, str]]:
    # the largest files first would be slow; a fixed, sorted slice keeps the test deterministic
    sources = iter_sources(language, [str(root)], None)
    return [s for s in sources if len(s[1]) < 40_000][:files]


def test_javascript_npm_sample_agrees_with_lizard():
    lib = NPM / "lib"
    if not lib.is_dir():
        pytest.skip("npm is not installed at /usr/lib/node_modules/npm (no JavaScript corpus)")
    result = compare_sources("javascript", _sample("javascript", lib, 120))
    assert result.total >= 300, f"sample too small: {result.total} functions"
    # bench/lizard_diff.py on all of npm: 96.8% (see docs/metrics/javascript-typescript.md)
    assert result.rate >= 0.95, "\n".join(result.diffs[:30])


def test_php_sample_agrees_with_lizard():
    if not PHP_SHARE.is_dir() or not any(PHP_SHARE.rglob("*.php")):
        pytest.skip("no Debian PHP packages under /usr/share/php (apt-get install php-doctrine-orm)")
    result = compare_sources("php", _sample("php", PHP_SHARE, 150))
    assert result.total >= 300, f"sample too small: {result.total} functions"
    assert result.rate >= 0.99, "\n".join(result.diffs[:30])
