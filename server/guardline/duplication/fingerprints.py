"""k-gram hashing and winnowing (Schleimer et al., SIGMOD 2003).

A 64-bit polynomial rolling hash over k normalised tokens; winnowing keeps the minimum of every
window of w consecutive k-gram hashes, so any shared run of >= w + k - 1 tokens shares at least
one kept fingerprint while only ~2 / (w + 1) of positions are stored.
"""

from __future__ import annotations

from array import array
from typing import Sequence

K = 25
MASK = (1 << 64) - 1
BASE = 0x100000001B3  # the FNV-64 prime: odd, well mixed


def window_for(min_tokens: int, k: int = K) -> tuple[int, int]:
    """(k, w) for a minimum clone size: k shrinks when min_tokens < K so that w >= 1."""
    k = max(1, min(k, min_tokens))
    return k, min_tokens - k + 1


def kgram_hashes(norm: Sequence[int], k: int = K) -> list[int]:
    """The hash of every k-gram: element i covers tokens i .. i + k - 1."""
    if len(norm) < k:
        return []
    drop = pow(BASE, k, 1 << 64)
    h = 0
    for x in norm[:k]:
        h = (h * BASE + x) & MASK
    out = [h]
    add = out.append
    for new, old in zip(norm[k:], norm):
        h = (h * BASE + new - old * drop) & MASK
        add(h)
    return out


def winnow(hashes: list[int], w: int) -> tuple[array[int], array[int]]:
    """(fingerprints 'Q', positions 'I'): the minimum of every window of w hashes, recorded each time
    the selected position changes.

    Robust winnowing: on ties the selected position is kept while it stays in the window (and a rescan
    takes the rightmost minimum), so a run of identical k-grams is posted once per window, not once per
    token. One pass: the minimum only changes when a smaller hash enters or it leaves the window (then
    the window is rescanned in C), so the loop does one comparison per hash.
    """
    m = len(hashes)
    if m < w:
        return array("Q"), array("I")
    first = hashes[:w]
    current = min(first)
    position = w - 1 - first[::-1].index(current)
    values, positions = [current], [position]
    add_value, add_position = values.append, positions.append
    i = w
    for h in hashes[w:]:
        if h < current:
            current, position = h, i
            add_value(h)
            add_position(i)
        elif position <= i - w:
            window = hashes[i - w + 1:i + 1]
            current = min(window)
            position = i - window[::-1].index(current)
            add_value(current)
            add_position(position)
        i += 1
    return array("Q", values), array("I", positions)


def fingerprints(norm: Sequence[int], min_tokens: int, k: int = K) -> tuple[array[int], array[int]]:
    k, w = window_for(min_tokens, k)
    if len(norm) < min_tokens:
        return array("Q"), array("I")
    return winnow(kgram_hashes(norm, k), w)


def fingerprints_and_hashes(norm: Sequence[int], min_tokens: int,
                            k: int = K) -> tuple[tuple[array[int], array[int]], array[int]]:
    """``fingerprints()`` and every k-gram hash it winnowed ('Q'; empty below ``min_tokens``): a query
    of the same file right after the build (the cold ``check``) reuses them instead of hashing again."""
    k, w = window_for(min_tokens, k)
    if len(norm) < min_tokens:
        return (array("Q"), array("I")), array("Q")
    hashes = kgram_hashes(norm, k)
    return winnow(hashes, w), array("Q", hashes)
