"""What a cold scan's worker processes send back, and the garbage-collection settings of batch runs
(issue 21, session 6: the CPU a cold check spends outside the analysis itself). No timings here:
bench/RESULTS.md has the figures."""

from __future__ import annotations

import copy
import gc
import pickle

from guardline import processes, scan
from guardline.config import Config
from guardline.model import FileMetrics, Finding, FunctionMetrics, Increment, Location
from guardline.parsing import parse
from guardline.pipeline import analyze_document

SOURCE = '''\
import subprocess

def risky(cmd, flag):
    if flag and cmd:
        for part in cmd:
            if part:
                subprocess.call(part, shell=True)
    return cmd
'''


def test_results_cross_the_pipe_unchanged_as_positional_records():
    result = analyze_document(parse(SOURCE, "python"), "risky.py", Config())
    assert result.functions and result.functions[0].increments and result.findings   # a real payload
    back = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    # equal field by field: the worker's result is the one the main process reports
    assert back == result
    assert back.to_json() == result.to_json()
    # each record travels as (class, its field values in __init__ order), not a dict of slot names
    fn = result.functions[0]
    assert fn.__reduce__() == (FunctionMetrics, tuple(getattr(fn, name) for name in FunctionMetrics.__slots__))
    records = [Increment("cognitive", 3, "if", 1, 0, 4), Location("a.py", 1, 2, 3, 4),
               Finding("GL-X", "security", "warning", 1, 2, "m", related=[Location("b.py", 5, 6)]),
               FileMetrics(1, 2, 3, 4, 5.5, 6.5)]
    for record in records:
        assert pickle.loads(pickle.dumps(record)) == record


def test_a_copy_still_shares_the_field_values():
    # report/trend.py copies functions with copy.copy and changes scalar fields on the copy only
    fn = FunctionMetrics("f", "f", 1, 2, increments=[Increment("cognitive", 1, "if", 1)], origin_detail={"tool": "x"})
    shallow = copy.copy(fn)
    shallow.origin = "ai"
    assert fn.origin == "unknown"                        # the original is untouched
    assert shallow.increments is fn.increments           # a shallow copy, as before
    deep = copy.deepcopy(fn)
    assert deep == fn and deep.increments is not fn.increments


def test_the_pool_and_one_process_give_the_same_results(tmp_path):
    # MIN_FILES_FOR_PROCESSES files make the scan use worker processes: what comes back through the
    # pipe (pickled) must be what the in-process path computes
    files = []
    for index in range(scan.MIN_FILES_FOR_PROCESSES):
        name = f"m{index}.py"
        (tmp_path / name).write_text(SOURCE.replace("risky", f"risky{index}"))
        files.append(name)
    config = Config()
    pooled = scan.scan_files(str(tmp_path), files, config, processes=2, use_cache=False)
    alone = scan.scan_files(str(tmp_path), files, config, processes=1, use_cache=False)
    assert [r.to_json() for r in pooled] == [r.to_json() for r in alone]
    assert len(pooled) == scan.MIN_FILES_FOR_PROCESSES and all(r.findings for r in pooled)


def test_batch_gc_sets_rarer_collections(monkeypatch):
    before = gc.get_threshold()
    try:
        processes.batch_gc()
        assert gc.get_threshold() == processes.BATCH_GC_THRESHOLDS == (20_000, 20, 20)
        assert gc.get_freeze_count() > 0     # what existed at the call is out of the collector's scans
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
