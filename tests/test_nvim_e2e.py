"""Real-editor end-to-end: headless Neovim (Debian `neovim`, installed by `make system-deps`) starts
`python -m guardline.lsp`, opens Python, TypeScript and Go files and must see guardline's
diagnostics and code lenses (as data and as rendered virtual text), and an edit's republish."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).parent / "e2e" / "nvim" / "lsp_probe.lua"

PY = '''def tangled(a, b, c, d):
    if a:
        for i in range(b):
            if c and d:
                while i:
                    if i % 2:
                        i -= 1
                    elif d or c:
                        i -= 2
                    else:
                        break
            elif b > 3:
                try:
                    pass
                except ValueError:
                    if a or b:
                        return 1
    return 0
'''

TS = '''export function tangled(a: number, b: number, c: boolean, d: boolean): number {
  if (a) {
    for (let i = 0; i < b; i++) {
      if (c && d) {
        while (i) {
          if (i % 2) {
            i -= 1;
          } else if (d || c) {
            i -= 2;
          } else {
            break;
          }
        }
      } else if (b > 3) {
        try {
          a += 1;
        } catch (e) {
          if (a || b) {
            return 1;
          }
        }
      }
    }
  }
  return 0;
}
'''

GO = '''package sample

func Tangled(a int, b int, c bool, d bool) int {
	if a > 0 {
		for i := 0; i < b; i++ {
			if c && d {
				for i > 0 {
					if i%2 == 1 {
						i -= 1
					} else if d || c {
						i -= 2
					} else {
						break
					}
				}
			} else if b > 3 {
				switch a {
				case 1:
					if a > 2 || b > 2 {
						return 1
					}
				}
			}
		}
	}
	return 0
}
'''


@pytest.mark.e2e
def test_neovim_sees_diagnostics_and_code_lenses_for_python_typescript_go(tmp_path: Path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("nvim not installed and not installable here (run `make system-deps` as root)")
    files = {"sample.py": PY, "sample.ts": TS, "sample.go": GO}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    out = tmp_path / "nvim.json"
    env = dict(os.environ,
               LSP_CMD=json.dumps([sys.executable, "-m", "guardline.lsp"]),
               LSP_FILES=" ".join(str(tmp_path / name) for name in files),
               LSP_ROOT=str(tmp_path), LSP_OUT=str(out), LSP_TIMEOUT_MS="20000",
               LSP_EDIT="# edited", LSP_INIT_OPTIONS=json.dumps({"debounce_ms": 50}),
               XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.run([nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {PROBE}"],
                          env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert out.exists(), f"probe wrote nothing (exit {proc.returncode}): {proc.stdout[-2000:]} {proc.stderr[-2000:]}"
    report = json.loads(out.read_text())
    assert report.get("error") is None, report.get("error")
    by_name = {Path(rec["file"]).name: rec for rec in report["files"]}
    assert set(by_name) == set(files)
    for name, rec in by_name.items():
        codes = {d["code"] for d in rec["diagnostics"]}
        assert "cognitive" in codes, f"{name}: tangled() exceeds the cognitive limit; got {rec['diagnostics']}"
        assert all(d["source"] == "guardline" for d in rec["diagnostics"])
        assert rec["codelens"], f"{name}: Neovim's code lens machinery got no lens"
        assert any(lens["title"].startswith("⚠ CC ") and lens["command"] == "guardline.explain"
                   for lens in rec["codelens"]), rec["codelens"]
        assert any("Cog" in vt["text"] for vt in rec["virtual_text"]), "the lens is drawn as virtual text"
        assert rec["t_edit_to_publish_ms"] is not None, f"{name}: no publish after the edit"
    assert proc.returncode == 0, f"probe exit {proc.returncode}"
