"""10,000 random incremental edits to one open document in the real language server, its RSS
sampled every 1,000 edits (the issue-13 soak; tests/test_robustness_soak.py runs a short one).

    .venv/bin/python bench/lsp_soak.py [--edits 10000] [--every 1000] [--warmup 2000]

Prints each sample, the spread of the samples after warm-up (max/min - 1: "flat" is within 10%),
the growth per 1,000 edits after warm-up, and whether the final diagnostics equal a fresh open.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))

from lsp_soak import soak  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=1_000)
    parser.add_argument("--warmup", type=int, default=2_000)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as root:
        samples, final, fresh = soak(Path(root), args.edits, args.every,
                                     on_sample=lambda done, kb: print(f"{done:6} edits  RSS {kb / 1024:7.1f} MB",
                                                                      flush=True))
    after = [kb for done, kb in samples if done >= args.warmup]
    spread = max(after) / min(after) - 1
    first, last = [(d, kb) for d, kb in samples if d >= args.warmup][::len(after) - 1 or 1][:2]
    per_1000 = (last[1] - first[1]) / 1024 / max((last[0] - first[0]) / 1000, 1)
    print(f"start RSS {samples[0][1] / 1024:.1f} MB; after {args.warmup} edits: {min(after) / 1024:.1f}-"
          f"{max(after) / 1024:.1f} MB, spread {spread:.1%} ({'flat' if spread <= 0.10 else 'NOT flat'}), "
          f"{per_1000:+.2f} MB per 1,000 edits")
    print(f"final diagnostics equal a fresh open: {final == fresh} ({len(final)} diagnostics); "
          f"{time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
