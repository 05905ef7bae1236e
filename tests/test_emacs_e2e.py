"""Real-editor end-to-end: headless Emacs with eglot (Debian `emacs-nox` + `elpa-eglot`, installed by
`make system-deps`) drives `guardline serve`: diagnostics in flymake, hover, the "allow" code action
applied and its effect, and editors/emacs/guardline.el's "show all copies"."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_lsp_support import COMPLEX_PY

REPO = Path(__file__).resolve().parents[1]
PROBE = Path(__file__).parent / "e2e" / "emacs" / "eglot_probe.el"


def _eglot_available() -> bool:
    return shutil.which("emacs") is not None and Path("/usr/share/emacs/site-lisp/elpa").is_dir() and any(
        p.name.startswith("eglot") for p in Path("/usr/share/emacs/site-lisp/elpa").iterdir())


@pytest.mark.e2e
def test_emacs_eglot_diagnostics_hover_code_actions_and_copies(tmp_path: Path):
    if not _eglot_available():
        pytest.skip("emacs + eglot not installed (run `make system-deps` as root: emacs-nox, elpa-eglot)")
    project = tmp_path / "proj"
    project.mkdir()
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / "tangled.py").write_text(COMPLEX_PY)
    body = "\n".join(f"    total += values[{i}] * {i} + offset" for i in range(12))
    copy = f"def first(values, offset):\n    total = 0\n{body}\n    return total\n"
    (project / "clones.py").write_text(copy + "\n\n" + copy.replace("first", "second") + "\n")
    out = tmp_path / "out.json"
    env = dict(os.environ, GL_CMD=json.dumps([sys.executable, "-m", "guardline", "serve"]),
               GL_FILE=str(project / "tangled.py"), GL_CLONE_FILE=str(project / "clones.py"),
               GL_EMACS_DIR=str(REPO / "editors" / "emacs"), GL_OUT=str(out), GL_TIMEOUT_MS="30000",
               HOME=str(tmp_path))
    proc = subprocess.run(["emacs", "-Q", "--batch", "-l", str(PROBE)], env=env, capture_output=True, text=True,
                          timeout=240, cwd=project)
    assert out.exists(), f"probe wrote nothing (exit {proc.returncode}): {proc.stderr[-3000:]}"
    report = json.loads(out.read_text())
    assert "error" not in report, report["error"]
    # flymake shows guardline's findings (eglot formats them as "source [code]: message")
    assert any(d.startswith("guardline [cognitive]: Cognitive complexity") for d in report["diagnostics"]), report
    # hover: metrics first, then the increments table, then the findings
    hover = report["hover"]
    assert hover.index("CC ") < hover.index("| line |") < hover.index("**Findings**"), hover
    # the allow action: one directive for both metric findings, applied by eglot, silences them
    allow = [a for a in report["actions"] if a.startswith("guardline: allow")]
    assert allow == ["guardline: allow cognitive<=30, cyclomatic<=13 for tangled"], report["actions"]
    assert report["line_after_allow"].endswith("# guardline: allow cognitive<=30, cyclomatic<=13")
    assert report["publishes_after_allow"] >= 1
    assert report["diagnostics_after_allow"] == [], "both findings are within their new ceilings"
    # a clone is one one-line diagnostic; guardline-show-copies lists both copies
    clones = [d for d in report["clone_diagnostics"] if "[duplicate-code]" in d["text"]]
    assert len(clones) == 1 and clones[0]["lines"] == 1, report["clone_diagnostics"]
    assert report["copies"] == 2 and report["copies_text"] == "clones.py:1: this copy\nclones.py:18: other copy\n"
