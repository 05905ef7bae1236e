"""The two array paths of clone detection (guardline.array_backend): numpy for bulk work, plain
Python loops in the language server. They must give the same tokens, hashes, fingerprints and clones,
and the server must really run without numpy (it would hold ~11 MB of RSS for the life of the process)."""

from __future__ import annotations

import os
import sysconfig
import time
from pathlib import Path

import pytest

from guardline.config import Config
from guardline import array_backend as arrays
from guardline.duplication import build_index
from guardline.duplication.fingerprints import fingerprints, fingerprints_and_hashes, kgram_hashes, winnow
from guardline.duplication.tokens import TokenStream, tokenize
from guardline.languages import detect_language
from guardline.parsing import parse
from lsp_soak import Client
from test_duplication_frozen_clones import EXPECTED, _clones, _write_corpus

STDLIB = Path(sysconfig.get_paths()["stdlib"])
DATA = Path(__file__).parent / "data" / "security"
SAMPLES = [STDLIB / name for name in ("textwrap.py", "tarfile.py", "string.py", "json/decoder.py")] + \
    [DATA / name for name in ("javascript/express.js", "go/config.go", "java/UserServlet.java", "csharp/AccountController.cs",
                              "php/account.php", "ruby/users_controller.rb", "c/server.c")]


@pytest.fixture
def plain():
    arrays.use_numpy(False)
    yield
    arrays.use_numpy(True)


def _both(compute):
    arrays.use_numpy(True)
    with_numpy = compute()
    arrays.use_numpy(False)
    try:
        return with_numpy, compute()
    finally:
        arrays.use_numpy(True)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_tokens_hashes_and_fingerprints_are_the_same_either_way(path):
    doc = parse(path.read_text(encoding="utf-8"), detect_language(str(path)) or "")
    numpy_tokens, plain_tokens = _both(lambda: tokenize(doc))
    for field in TokenStream.ARRAYS + ("stmt_starts", "stmt_ends", "stmt_lists"):
        assert getattr(numpy_tokens, field) == getattr(plain_tokens, field), field
    numpy_multiline, plain_multiline = _both(lambda: tokenize(doc)._multiline_tokens())
    assert numpy_multiline == plain_multiline, "tokens ending on another line, and their end lines"
    norm = numpy_tokens.norm
    assert len(norm) > 300, "a real file: hundreds of tokens or more"
    for compute in (lambda: kgram_hashes(norm, 25), lambda: winnow(kgram_hashes(norm, 25), 26),
                    lambda: fingerprints(norm, 50), lambda: fingerprints_and_hashes(norm, 50)):
        with_numpy, without = _both(compute)
        assert with_numpy == without


def test_the_plain_path_finds_the_frozen_corpus_clones(tmp_path, plain):
    """The whole in-process build and query without numpy: the same clones as recorded."""
    root = str(tmp_path)
    files = _write_corpus(root)
    index = build_index(root, files, Config(), processes=1)
    assert _clones(root, index) == EXPECTED


def _maps_numpy(pid: int) -> bool:
    return "numpy" in Path(f"/proc/{pid}/maps").read_text()


def test_the_language_server_reports_clones_without_loading_numpy(tmp_path):
    """Two open buffers that copy each other: the clone diagnostic arrives (tokens, hashes, winnowing and
    the query ran in the server) and numpy's shared libraries were never mapped into the server."""
    body = "".join(f"    if items[{i}] > limit * {i + 1}:\n        total += items[{i}] - {i}\n" for i in range(10))
    text = f"def summarise(items, limit):\n    total = 0\n{body}    return total\n"
    client = Client(tmp_path, {"debounce_ms": 0, "origin": {"enabled": False}})
    try:
        uris = [(tmp_path / name).as_uri() for name in ("a.py", "b.py")]
        for uri in uris:
            client.open(uri, text)
        deadline = time.monotonic() + 60
        while not any(d.get("code") == "duplicate-code" for d in client.published.get(uris[1], {}).get("diagnostics", [])):
            assert time.monotonic() < deadline, f"no clone diagnostic: {client.published.get(uris[1])}"
            time.sleep(0.05)
        assert not _maps_numpy(client.proc.pid), "numpy was loaded into the language server"
    finally:
        client.close()
    assert os.getpid() and _maps_numpy(os.getpid()), "this test process did load numpy (the check can fail)"
