"""Stores and inputs that must never stop a run or crash it (docs/architecture.md, "Rules of the house"):
damaged, foreign, locked or read-only `.guardline/*.sqlite`, `.guardline` a file, a read-only workspace,
two concurrent checks, FIFOs/devices/sockets named *.py, file names that are not UTF-8, bad globs, bad
config and baseline files; each asserts the exit code (0 pass, 1 gate failed, 2 usage/config error,
3 internal error, 141 output pipe closed) and the one line said."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from guardline import stores
from guardline.cli import main

GUARDLINE = str(Path(sys.executable).with_name("guardline"))
FILE = "def f(a, b):\n    if a and b:\n        return a\n    return b\n"
# Root ignores file permissions; without these capabilities it does not (a real read-only workspace).
AS_UNPRIVILEGED = (["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"] if os.geteuid() == 0
                   else [])


def workspace(path: Path, files: int = 2) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        (path / f"m{i}.py").write_text(FILE.replace("def f", f"def f{i}"))
    return path


def check(capsys, root: Path, *extra: str) -> tuple[int, str, str]:
    code = main(["check", str(root), "--no-origin", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def warnings(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("warning: ")]


def cli(root: Path, *args: str, prefix: list[str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*(prefix or []), GUARDLINE, *args], cwd=root, capture_output=True, text=True,
                          timeout=timeout, check=False)


# --------------------------------------------------------------------------------- stores
def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database\x00\xff" * 100)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:50])      # cut inside the 100-byte header


def _foreign(path: Path) -> None:
    path.unlink()
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE metrics (id INTEGER, payload BLOB); CREATE TABLE meta (k, v);"
                     "CREATE TABLE files (name TEXT);")
    db.commit()
    db.close()


@pytest.mark.parametrize("store", ["metrics.sqlite", "clones.sqlite"])
@pytest.mark.parametrize("damage", [_garbage, _truncated, _foreign], ids=["garbage", "truncated", "foreign-schema"])
def test_a_damaged_store_is_rebuilt_with_one_warning(tmp_path, capsys, store, damage):
    root = workspace(tmp_path / "ws")
    assert check(capsys, root)[0] == 0
    for leftover in (root / ".guardline").glob(store + "-*"):
        leftover.unlink()                # the WAL files of the first run
    damage(root / ".guardline" / store)
    code, out, _err = check(capsys, root)
    assert code == 0, "the run completes"
    [line] = warnings(out)
    assert store in line and "rebuilt" in line, line
    assert check(capsys, root)[0] == 0 and warnings(capsys.readouterr().out) == [], "rebuilt: no warning the next time"
    assert sqlite3.connect(root / ".guardline" / store).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_locked_store_is_bypassed_with_one_warning(tmp_path, capsys, monkeypatch):
    root = workspace(tmp_path / "ws")
    assert check(capsys, root)[0] == 0
    monkeypatch.setattr(stores, "LOCK_TIMEOUT", 0.2)
    holder = sqlite3.connect(root / ".guardline" / "metrics.sqlite")
    holder.execute("BEGIN EXCLUSIVE")          # another process in the middle of a write
    try:
        code, out, _err = check(capsys, root)
    finally:
        holder.rollback()
        holder.close()
    assert code == 0
    [line] = warnings(out)
    assert "metrics.sqlite" in line and "locked" in line and "running without it" in line, line


def test_guardline_state_that_is_a_file(tmp_path, capsys):
    root = workspace(tmp_path / "ws")
    (root / ".guardline").write_text("not a folder")
    code, out, _err = check(capsys, root)
    assert code == 0
    assert warnings(out) == [f"warning: running without caches: cannot use {root / '.guardline'} "
                             "(.guardline is a file, not a folder)"], "said once, not once per store"


@pytest.mark.skipif(not AS_UNPRIVILEGED and os.geteuid() == 0, reason="needs setpriv to drop root's override")
def test_read_only_workspace_runs_without_caching(tmp_path):
    root = workspace(tmp_path / "ws")
    root.chmod(0o555)
    try:
        proc = cli(root, "check", ".", "--no-origin", prefix=AS_UNPRIVILEGED)
    finally:
        root.chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    assert [line for line in proc.stdout.splitlines() if line.startswith("warning:")] == [
        f"warning: running without caches: cannot use {root / '.guardline'} (Permission denied)"]
    assert not (root / ".guardline").exists()


@pytest.mark.skipif(not AS_UNPRIVILEGED and os.geteuid() == 0, reason="needs setpriv to drop root's override")
def test_read_only_store_is_bypassed(tmp_path):
    root = workspace(tmp_path / "ws")
    assert cli(root, "check", ".", "--no-origin").returncode == 0
    state = root / ".guardline"
    for path in state.iterdir():
        path.chmod(0o444)
    state.chmod(0o555)
    try:
        proc = cli(root, "check", ".", "--no-origin", prefix=AS_UNPRIVILEGED)
    finally:
        state.chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    said = [line for line in proc.stdout.splitlines() if line.startswith("warning:")]
    assert said and all("running without it" in line for line in said), said
    assert "Traceback" not in proc.stderr


def test_two_concurrent_checks_both_complete(tmp_path):
    root = workspace(tmp_path / "ws", files=40)     # > MIN_FILES_FOR_PROCESSES: both start worker pools
    runs = [subprocess.Popen([GUARDLINE, "check", ".", "--no-origin", "--format", "json"], cwd=root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _out, err in outputs]
    first, second = (json.loads(out)["summary"] for out, _err in outputs)
    assert first == second and first["functions"] == 40


# --------------------------------------------------------------------------------- inputs
def test_special_files_named_py_are_skipped_and_never_opened(tmp_path):
    root = workspace(tmp_path / "ws")
    os.mkfifo(root / "fifo.py")                         # opening it would block forever
    os.mknod(root / "zero.py", 0o666 | stat.S_IFCHR, os.makedev(1, 5)) if os.geteuid() == 0 else None
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(root / "sock.py"))
    (root / ".gitignore").unlink(missing_ok=True)
    os.mkfifo(root / ".gitignore")                      # nor may a FIFO named .gitignore
    try:
        proc = cli(root, "check", ".", "--no-origin", "--format", "json", timeout=60)
    finally:
        listener.close()
    assert proc.returncode == 0, proc.stderr
    assert sorted(f["path"] for f in json.loads(proc.stdout)["files"]) == ["m0.py", "m1.py"]


def test_undecodable_file_name_is_reported_with_a_lossless_escape(tmp_path, capsys):
    root = workspace(tmp_path / "ws")
    with open(os.path.join(os.fsencode(root), b"caf\xe9.py"), "wb") as fh:      # Latin-1, not UTF-8
        fh.write(FILE.encode())
    code, out, _err = check(capsys, root)
    assert code == 0
    assert "caf\\xe9.py: not analysed: file name is not valid UTF-8 (rename the file to analyse it)" in out
    code, out, _err = check(capsys, root, "--format", "json")
    [entry] = [f for f in json.loads(out)["files"] if f["error"]]
    assert entry["path"] == "caf\\xe9.py", "the escape names the byte exactly"


# --------------------------------------------------------------------------------- config and baseline
CONFIGS = {
    "binary": (b"\x00\xff\xfe\x01binary", "guardline.toml: invalid TOML: not UTF-8 text"),
    "malformed": (b"[gate\nx = 1\n", "guardline.toml:1: invalid TOML"),
    "bad type": (b"max_file_bytes = \"big\"\n", "guardline.toml:1: 'max_file_bytes' must be a number, got string"),
    "unknown key": (b"colour = 1\n", "unknown key 'colour'"),
    "malformed glob": (b"exclude = ['\\']\n", "'exclude' pattern '\\\\': not a valid glob"),    # a lone backslash
    "pathological glob": (b"exclude = ['*a*a*a*a*a*a*a*b']\n", "'exclude' pattern '*a*a*a*a*a*a*a*b': 8 wildcards"),
    "nested": (b"a = " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "guardline.toml: invalid TOML: nested too deeply"),
}


@pytest.mark.parametrize("case", list(CONFIGS))
def test_config_errors_are_one_line_and_exit_2(tmp_path, capsys, case):
    root = workspace(tmp_path / "ws")
    content, expected = CONFIGS[case]
    (root / "guardline.toml").write_bytes(content)
    code, out, err = check(capsys, root)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"guardline: error: {root}"), err
    assert expected in err, err


BASELINES = {
    "not JSON": ("{", ".guardline-baseline.json:1: not valid JSON"),
    "nested": ("[" * 100_000 + "]" * 100_000, ".guardline-baseline.json: nested too deeply"),
    "wrong shape": ('{"findings": 5}', ".guardline-baseline.json: not a guardline baseline (version 1)"),
    "bad entry": ('{"version": 1, "findings": [5]}', ".guardline-baseline.json: findings[0]: not a finding"),
    "binary": ("\udcff", ".guardline-baseline.json: not UTF-8 text"),
}


@pytest.mark.parametrize("case", list(BASELINES))
def test_baseline_errors_are_one_line_and_exit_2(tmp_path, capsys, case):
    root = workspace(tmp_path / "ws")
    content, expected = BASELINES[case]
    (root / ".guardline-baseline.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    code, out, err = check(capsys, root)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and expected in err and str(root) in err, err


# --------------------------------------------------------------------------------- exit codes
def test_internal_error_is_exit_3_with_the_traceback_only_under_verbose(tmp_path, capsys, monkeypatch):
    import guardline.workspace

    def broken(*_args, **_kwargs):
        raise RuntimeError("analysis exploded\nsecond line")

    monkeypatch.setattr(guardline.workspace.Workspace, "analyse_all", broken)
    root = workspace(tmp_path / "ws")
    code, out, err = check(capsys, root)
    assert (code, out) == (3, "")
    assert err == "guardline: internal error: RuntimeError: analysis exploded (run with -v for the traceback)\n"
    code, _out, err = check(capsys, root, "-v")
    assert code == 3 and "Traceback (most recent call last)" in err and "analysis exploded" in err


def test_a_closed_output_pipe_is_not_a_silent_pass(tmp_path):
    root = workspace(tmp_path / "ws")
    read_end, write_end = os.pipe()
    os.close(read_end)                  # `guardline check | head -0`: the reader is gone
    try:
        proc = subprocess.run([GUARDLINE, "check", ".", "--no-origin"], cwd=root, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    finally:
        os.close(write_end)
    assert proc.returncode == 141, "128 + SIGPIPE, as a shell reports a process the closed pipe stopped"
    assert proc.stderr == "guardline: error: output not delivered: the pipe was closed by its reader\n"
