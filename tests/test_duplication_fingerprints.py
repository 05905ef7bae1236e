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


def _rolling(norm: list[int], k: int) -> list[int]:
    """The rolling hash the index used before numpy (a token leaves as one enters), kept as the definition."""
    from guardline.duplication.fingerprints import BASE, MASK
    if len(norm) < k:
        return []
    drop, h = pow(BASE, k, 1 << 64), 0
    for x in norm[:k]:
        h = (h * BASE + x) & MASK
    out = [h]
    for new, old in zip(norm[k:], norm):
        h = (h * BASE + new - old * drop) & MASK
        out.append(h)
    return out


def test_numpy_kgram_hashes_equal_the_rolling_hash():
    from array import array
    rng = random.Random(11)
    for k in (1, 2, 7, 25):
        for n in (0, k - 1, k, k + 1, 400):
            norm = [rng.randrange(1 << 32) for _ in range(n)]
            expected = _rolling(norm, k)   # the stored fingerprints must not change: same values mod 2**64
            assert kgram_hashes(norm, k) == expected
            assert kgram_hashes(array("I", norm), k) == expected


def test_numpy_winnowing_selects_exactly_what_the_loop_selects():
    """winnow (numpy: window minima, then the tie rule on windows with a repeated minimum) against
    _winnow_loop, the one-pass definition, on inputs full of ties (small alphabets, runs of one value,
    the largest uint64, the padding value of the numpy version): the same fingerprints at the same
    positions, in the same order, or the index would post other fingerprints and find other clones."""
    from guardline.duplication.fingerprints import _winnow_loop
    rng = random.Random(5)
    for trial in range(1500):
        n, w = rng.randint(0, 200), rng.randint(1, 30)
        alphabet = rng.choice([1, 2, 3, 7, 1 << 64])
        hashes = [rng.randrange(alphabet) for _ in range(n)]
        if trial % 4 == 0:
            hashes = [h if rng.random() < 0.5 else (1 << 64) - 1 for h in hashes]
        if trial % 5 == 0:
            hashes = [hashes[i % 3] if hashes else 0 for i in range(n)]   # period 3: every window tied
        assert winnow(hashes, w) == _winnow_loop(hashes, w), (trial, n, w)
