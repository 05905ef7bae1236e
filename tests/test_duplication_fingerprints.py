"""Winnowing keeps the minimum of every window; k-gram hashes are deterministic."""

from __future__ import annotations

import random

from guardline.duplication.fingerprints import fingerprints, kgram_hashes, window_for, winnow


def test_every_window_minimum_is_kept_with_its_position():
    rng = random.Random(7)
    hashes = [rng.randrange(1000) for _ in range(5000)]   # many ties on purpose
    values, positions = winnow(hashes, 26)
    kept = sorted(zip(positions, values))
    assert all(hashes[p] == v for p, v in kept)
    for start in range(len(hashes) - 25):
        low = min(hashes[start:start + 26])
        assert any(v == low for p, v in kept if start <= p < start + 26), \
            f"window at {start}: its minimum must be kept at a position inside the window"
    assert len(values) < len(hashes) * 0.15, "winnowing keeps ~2/(w+1) of positions"
    same = winnow([5] * 1000, 26)[1]
    assert len(same) < 1000 / 26 + 2, "identical k-grams: one fingerprint per window, not per position"


def test_shared_run_of_min_tokens_shares_a_fingerprint():
    rng = random.Random(3)
    shared = [rng.randrange(50) for _ in range(50)]
    a = [rng.randrange(50) for _ in range(300)] + shared + [rng.randrange(50) for _ in range(100)]
    b = [rng.randrange(50) for _ in range(40)] + shared
    assert set(fingerprints(a, 50)[0]) & set(fingerprints(b, 50)[0]), \
        "any shared run of t = 50 tokens contains a full window (k=25, w=26)"


def test_kgram_hashes_are_deterministic_and_windows_adapt():
    assert kgram_hashes(list(range(30)), 25)[:2] == kgram_hashes(list(range(30)), 25)[:2]
    assert len(kgram_hashes(list(range(30)), 25)) == 6
    assert window_for(50) == (25, 26)
    assert window_for(20) == (20, 1), "below k tokens, k shrinks so that w >= 1"
