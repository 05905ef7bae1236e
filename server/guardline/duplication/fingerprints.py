"""k-gram hashing and winnowing (Schleimer et al., SIGMOD 2003).

A 64-bit polynomial rolling hash over k normalised tokens; winnowing keeps the minimum of every
window of w consecutive k-gram hashes, so any shared run of >= w + k - 1 tokens shares at least
one kept fingerprint while only ~2 / (w + 1) of positions are stored.
"""

from __future__ import annotations

from array import array
from itertools import accumulate, compress
from operator import ne
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


def winnow(hashes: list[int], w: int) -> tuple[array, array]:
    """(fingerprints 'Q', positions 'I'): the minimum of each window of w hashes, recorded when it changes.

    Window minima by van Herk / Gil-Werman (block prefix and suffix minima with accumulate), so the
    per-position work runs in C.
    """
    m = len(hashes)
    if m < w:
        return array("Q"), array("I")
    prefix: list[int] = []
    suffix: list[int] = []
    for start in range(0, m, w):
        block = hashes[start:start + w]
        prefix.extend(accumulate(block, min))
        suffix.extend(reversed(list(accumulate(reversed(block), min))))
    minima = list(map(min, suffix[:m - w + 1], prefix[w - 1:]))
    changes = [0]
    changes.extend(compress(range(1, len(minima)), map(ne, minima[1:], minima)))
    values = array("Q", [minima[j] for j in changes])
    positions = array("I", [hashes.index(minima[j], j, j + w) for j in changes])
    return values, positions


def fingerprints(norm: Sequence[int], min_tokens: int, k: int = K) -> tuple[array, array]:
    k, w = window_for(min_tokens, k)
    if len(norm) < min_tokens:
        return array("Q"), array("I")
    return winnow(kgram_hashes(norm, k), w)
