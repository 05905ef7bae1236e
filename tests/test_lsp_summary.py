"""The workspace summary's totals: kept as sums, so a publish replaces one file's counts without a pass
over every scanned file; the sums must equal a fresh count over the same results."""

from __future__ import annotations

import random

from guardline.lsp.workspace import Totals, summarize
from guardline.model import FileResult, Finding, FunctionMetrics


def result(rng: random.Random, path: str) -> FileResult:
    functions = []
    for n in range(rng.randrange(4)):
        fn = FunctionMetrics(name=f"f{n}", qualified_name=f"f{n}", start_line=10 * n + 1, end_line=10 * n + 8)
        fn.ai_share = rng.choice((0.0, 0.5, 1.0))
        functions.append(fn)
    findings = [Finding(rule="cognitive", message="m", severity=rng.choice(("error", "warning", "hint")),
                        start_line=1, end_line=1, category="complexity") for _ in range(rng.randrange(3))]
    return FileResult(path=path, language="python", lines=rng.randrange(1, 50), functions=functions,
                      findings=findings)


def test_totals_with_results_taken_out_and_put_in_equal_a_fresh_summary():
    rng = random.Random(3)
    current = {f"/w/{i}.py": result(rng, f"/w/{i}.py") for i in range(30)}
    totals = Totals()
    for res in current.values():
        totals.add(res)
    for _ in range(100):   # a publish replaces one file's result
        path = f"/w/{rng.randrange(35)}.py"
        if path in current:
            totals.add(current[path], -1)
        current[path] = result(rng, path)
        totals.add(current[path])
    expected = summarize(current.values(), indexing=False)
    assert totals.payload(indexing=False) == expected
    assert expected["files"] == len(current) and expected["functions"] > 0, "the fixture is not empty"
