"""A cold check queries every indexed file after the build; with FORKED_QUERIES_MIN files or more, forked
processes query parts of them against the parent's index (duplication/results.py query_files). Their
rows must be exactly the serial ones, and no fork may happen while another thread runs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from guardline.duplication import results

BLOCK = '''def {name}(items, limit):
    total = 0
    for item in items:
        if item.price > limit:
            total += item.price * item.quantity
        elif item.quantity > {n}:
            total -= item.discount
        else:
            total += {n}
    return total + len(items) - limit
'''


def _corpus(tmp_path, count: int) -> list[str]:
    """``count`` files; every third one holds a copy of one block (some renamed), the others unique code."""
    paths = []
    for i in range(count):
        path = tmp_path / f"m{i:03d}.py"
        if i % 3 == 0:
            text = BLOCK.format(name=f"f{i % 2}", n=7)
        else:
            text = "".join(f"def g{i}_{j}(a, b):\n    return a * {i} + b * {j} - {i * j}\n\n" for j in range(3))
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


COMPARE = """
import sys, threading
from guardline.config import Config
from guardline.duplication import build_index, results
files = sys.argv[2:]
index = build_index(sys.argv[1], files, Config(), processes=1)
results.FORKED_QUERIES_MIN = 10 ** 9
serial = results.refresh(index, {}, None, lambda path: None)[0]
results.FORKED_QUERIES_MIN = 1
assert threading.active_count() == 1 and results._fork_workers(len(files)) == 2, "the forked path is under test"
forked = results.refresh(index, {}, None, lambda path: None)[0]
assert forked == serial, "forked rows differ"
print(sum(1 for row in serial.values() if row.clones))
"""


def test_forked_queries_give_the_serial_rows(tmp_path):
    """In a fresh interpreter (the test process may run other tests' threads, and then never forks)."""
    files = _corpus(tmp_path, 60)
    env = dict(os.environ, GUARDLINE_JOBS="2")
    done = subprocess.run([sys.executable, "-c", COMPARE, str(tmp_path / "state"), *files], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "20", "every file holding the block has a clone (20 of 60)"


def test_no_fork_while_another_thread_runs(monkeypatch):
    monkeypatch.setattr(results, "FORKED_QUERIES_MIN", 1)
    monkeypatch.setenv("GUARDLINE_JOBS", "2")
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert results._fork_workers(1000) == 1, "a lock another thread holds would stay held in the child"
    finally:
        stop.set()
        worker.join()
