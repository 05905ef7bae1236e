"""The documented install path from a fresh clone: `make dist` builds the wheel and the .vsix into
dist/, the wheel installs into a new virtualenv, and that `guardline` runs (`--version`, `demo`,
`check` on the demo). Slow (a venv, npm ci, two package builds): marked e2e."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from guardline import __version__

REPO = Path(__file__).resolve().parents[1]


def run(args: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})


@pytest.mark.e2e
@pytest.mark.slow
def test_fresh_clone_make_dist_and_the_wheel_installs(tmp_path: Path):
    if shutil.which("make") is None or shutil.which("npm") is None or not (REPO / ".git").exists():
        pytest.skip("needs make, npm and a git checkout of guardline")
    clone = tmp_path / "guardline"
    proc = run(["git", "clone", "-q", "--", str(REPO), str(clone)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = run(["make", "dist", f"PYTHON={sys.executable}"], clone, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheel = clone / "dist" / f"guardline-{__version__}-py3-none-any.whl"
    vsix = clone / "dist" / f"guardline-{__version__}.vsix"
    assert wheel.is_file() and vsix.is_file(), sorted(p.name for p in (clone / "dist").iterdir())

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = env_dir / "bin" / "pip"
    proc = run([str(pip), "install", "-q", str(wheel)], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    guardline = env_dir / "bin" / "guardline"
    proc = run([str(guardline), "--version"], tmp_path)
    assert proc.stdout.strip() == f"guardline {__version__}", proc.stdout + proc.stderr
    demo = tmp_path / "demo"
    proc = run([str(guardline), "demo", str(demo)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = run([str(guardline), "check", str(demo)], tmp_path)
    # the demo holds AI-written functions over the AI error limits: the installed gate fails on them
    assert proc.returncode == 1 and "gate FAIL" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "AI-written code (AI limits):" in proc.stdout
    # the rules page ships in the wheel: help links resolve offline
    proc = run([str(env_dir / "bin" / "python"), "-c",
                "import guardline.rules as r, os; print(os.path.isfile(r.PACKAGED_RULES_PAGE))"], tmp_path)
    assert proc.stdout.strip() == "True", proc.stderr
