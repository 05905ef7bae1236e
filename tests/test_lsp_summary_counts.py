"""The status bar's counts (`guardline/summary`) equal `guardline check` on the same files and config,
duplication included for files no editor opened, and follow review mode (`check --base`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from origin_helpers import Repo
from test_lsp_support import COMPLEX_PY, running_server

GUARDLINE = str(Path(sys.executable).parent / "guardline")
SEVERITIES = ("error", "warning", "info", "hint")

# a function copied into two files (a clone: duplicate-code info + file-duplication warning in each),
# one over the cognitive limit (an error), and one copy silenced by a suppression comment
COPIED = '''def format_address(street, number, postcode, city, country):
    parts = [street.strip().title(), str(number).strip(), postcode.replace(" ", "").upper()]
    line = " ".join(part for part in parts if part)
    if not line:
        raise ValueError("empty address line")
    town = city.strip().title() + ", " + country.strip().upper()
    if len(town) > 40:
        town = town[:37] + "..."
    label = [line, town]
    return "\\n".join(item for item in label if item)
'''
FILES = {
    "util.py": '"""Helpers."""\n\n\n' + COPIED,
    "shipping.py": '"""Labels."""\n\n\n' + COPIED,
    "billing.py": COMPLEX_PY,
    "quiet.py": '"""Silenced copy."""\n\n\n' + COPIED.replace(
        "def format_address(", "def format_address(  # guardline: ignore[duplicate-code, file-duplication]\n        "),
}


def check_counts(root: Path, *args: str) -> dict[str, int]:
    proc = subprocess.run([GUARDLINE, "check", "--format", "json", "--no-cache", *args, "."], cwd=root,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    counts = json.loads(proc.stdout)["summary"]["findings_by_severity"]
    return {s: counts.get(s, 0) for s in SEVERITIES}


def summary_counts(summary: Any) -> dict[str, int]:
    return {s: getattr(summary.findings, s, 0) or 0 for s in SEVERITIES}


async def settled_summary(root: Path, **kwargs: Any) -> Any:
    async with running_server(root, **kwargs) as (client, rec):
        await rec.wait_for(lambda: next((s for s in rec.summaries if s.partial is False and not s.indexing), None),
                           timeout=120)
        return await client.protocol.send_request_async("guardline/summary", {})


@pytest.mark.asyncio
async def test_summary_counts_equal_check_with_clones_in_files_not_opened(tmp_path: Path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    summary = await settled_summary(tmp_path)
    expected = check_counts(tmp_path)
    assert expected["info"] >= 2 and expected["warning"] >= 2, \
        f"check reports the clone pair (info) and the files' duplication share (warning): {expected}"
    assert summary_counts(summary) == expected, \
        "no editor opened a file: the summary's duplication findings come from the same computation as check"
    assert summary.files == len(FILES)


@pytest.mark.asyncio
async def test_summary_follows_review_mode_like_check_base(tmp_path: Path):
    # main: util.py and billing.py; the feature branch adds shipping.py (a copy of util.py's function) and
    # a second tangled function to billing.py. In review mode only changed code keeps its severity.
    repo = Repo(tmp_path / "repo")
    repo.commit({"util.py": FILES["util.py"], "billing.py": COMPLEX_PY}, "Initial")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"shipping.py": FILES["shipping.py"],
                 "billing.py": COMPLEX_PY + "\n\n" + COMPLEX_PY.replace("tangled", "tangled_again")
                 .replace("simple", "simple_again")}, "Feature")
    summary = await settled_summary(repo.path, init_options={"review": {"base": "main"}})
    expected = check_counts(repo.path, "--base", "main")
    plain = check_counts(repo.path)
    assert expected["error"] == 1 and plain["error"] == 2, \
        f"one tangled function is new on the branch, one is on main: {expected}, {plain}"
    got = summary_counts(summary)
    assert {s: got[s] for s in ("error", "warning", "info")} == \
        {s: expected[s] for s in ("error", "warning", "info")}, \
        f"review mode: errors, warnings and info are those of changed code, as `check --base main` ({got})"
    assert sum(got.values()) == sum(plain.values()), "the other findings are still there, as hints"


def test_check_base_finds_a_changed_files_copy_of_unchanged_code(tmp_path: Path):
    # review: the branch adds shipping.py, a copy of util.py's function (util.py is unchanged). The clone
    # index covers every file, not only the changed ones, so the copy is reported (it used to be missed)
    repo = Repo(tmp_path / "repo")
    repo.commit({"util.py": FILES["util.py"]}, "Initial")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"shipping.py": FILES["shipping.py"]}, "Copy")
    proc = subprocess.run([GUARDLINE, "check", "--format", "json", "--no-cache", "--base", "main", "."], cwd=repo.path,
                          capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(proc.stdout)
    assert [f["path"] for f in report["files"]] == ["shipping.py"], "only the changed file is checked"
    rules = [f["rule"] for f in report["files"][0]["findings"]]
    assert "duplicate-code" in rules, f"the copy of util.py's function is a clone: {rules}"
