"""thresholds.evaluate passes over functions that cross no limit with three comparisons against the
loosest limits of their bucket: it must give exactly what evaluate_function gives for each function, at
every value around every limit, for every origin, with severities left unset and a NaN index."""

from __future__ import annotations

import copy
import itertools
import math

from guardline.config import DEFAULTS, Config
from guardline.model import FunctionMetrics
from guardline.thresholds import evaluate, evaluate_function

ORIGINS = ("ai", "human", "bot", "unknown", "generated")


def _config(drop_error: bool = False) -> Config:
    values = copy.deepcopy(DEFAULTS)
    if drop_error:      # a bucket with some severities unset: only the others are limits
        for metric in ("cyclomatic", "cognitive", "maintainability"):
            values["thresholds"]["ai"][metric]["error"] = None
    return Config(values=values)


def _around(values: list[float]) -> list[float]:
    return sorted({v + d for v in values for d in (-1, -0.5, 0, 0.5, 1)})


def _functions(config: Config) -> list[FunctionMetrics]:
    limits = {metric: [v for bucket in ("ai", "human") for v in config.limits(bucket, metric).values()
                       if v is not None] for metric in ("cyclomatic", "cognitive", "maintainability")}
    cyclomatic = [int(v) for v in _around(limits["cyclomatic"]) if v == int(v)]
    cognitive = [int(v) for v in _around(limits["cognitive"]) if v == int(v)]
    maintainability = _around(limits["maintainability"]) + [math.nan, 0.0, 100.0]
    return [FunctionMetrics(name="f", qualified_name="f", start_line=1, end_line=2, cyclomatic=cc, cognitive=cog,
                            maintainability=mi, origin=origin)
            for cc, cog, mi, origin in itertools.product(cyclomatic, cognitive, maintainability, ORIGINS)]


def _plain(functions: list[FunctionMetrics], config: Config) -> list:
    return [finding for fn in functions for finding in evaluate_function(fn, config)]


def test_the_fast_path_gives_every_finding_evaluate_function_gives():
    for config in (_config(), _config(drop_error=True)):
        functions = _functions(config)
        found = evaluate(functions, config)
        assert found == _plain(functions, config)
        # the grid really straddles the limits: both quiet and noisy functions, NaN included
        assert found and len(found) < len(functions) * 3
        assert any(f.rule == "maintainability" for f in found)
