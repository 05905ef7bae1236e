"""k-gram hashing and winnowing (Schleimer et al., SIGMOD 2003).

A 64-bit polynomial rolling hash over k normalised tokens; winnowing keeps the minimum of every
window of w consecutive k-gram hashes, so any shared run of >= w + k - 1 tokens shares at least
one kept fingerprint while only ~2 / (w + 1) of positions are stored.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Sequence

from guardline.array_backend import numpy_enabled

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

K = 25
MASK = (1 << 64) - 1
BASE = 0x100000001B3  # the FNV-64 prime: odd, well mixed


def window_for(min_tokens: int, k: int = K) -> tuple[int, int]:
    """(k, w) for a minimum clone size: k shrinks when min_tokens < K so that w >= 1."""
    k = max(1, min(k, min_tokens))
    return k, min_tokens - k + 1


def kgram_hashes(norm: Sequence[int], k: int = K) -> list[int]:
    """The hash of every k-gram: element i covers tokens i .. i + k - 1."""
    if not numpy_enabled():
        return _kgram_loop(norm, k)
    return kgram_array(norm, k).tolist()  # type: ignore[no-any-return]  # numpy: list of Python ints


def _kgram_loop(norm: Sequence[int], k: int = K) -> list[int]:
    """``kgram_hashes`` in plain Python: the rolling form of the same polynomial (drop the token that
    leaves, shift by BASE, add the one that enters; mod 2**64)."""
    n = len(norm)
    if n < k:
        return []
    h = 0
    for token in norm[:k]:
        h = (h * BASE + token) & MASK
    out = [h]
    top = pow(BASE, k - 1, 1 << 64)
    for leaving, entering in zip(norm, norm[k:]):
        h = ((h - leaving * top) * BASE + entering) & MASK
        out.append(h)
    return out


def kgram_array(norm: Sequence[int], k: int = K) -> "NDArray[np.uint64]":
    """``kgram_hashes`` as a numpy uint64 array, computed in C: Horner's rule over k shifted views,
    wrapping mod 2**64 like the rolling hash (the same values: sum of token * BASE**(k-1-j) mod 2**64)."""
    import numpy as np
    n = len(norm)
    if n < k:
        return np.empty(0, np.uint64)
    tokens = _as_uint64(norm)
    m = n - k + 1
    h = tokens[:m].copy()
    base = np.uint64(BASE)
    for j in range(1, k):
        h *= base
        h += tokens[j:j + m]
    return h


def _as_uint64(values: Sequence[int]) -> "NDArray[np.uint64]":
    import numpy as np
    if isinstance(values, array):
        return np.frombuffer(values, dtype=f"u{values.itemsize}").astype(np.uint64)
    return np.asarray(values, dtype=np.uint64)   # a list, or already a uint64 array (not copied)


def winnow(hashes: Sequence[int], w: int) -> tuple[array[int], array[int]]:
    """(fingerprints 'Q', positions 'I'): the minimum of every window of w hashes, recorded each time
    the selected position changes.

    Robust winnowing: on ties the selected position is kept while it stays in the window (and a rescan
    takes the rightmost minimum), so a run of identical k-grams is posted once per window, not once per
    token. ``winnow_array`` computes it in C; ``_winnow_loop`` is the plain definition (the tests compare both).
    """
    if not numpy_enabled():
        return _winnow_loop(list(hashes), w)
    return winnow_array(_as_uint64(hashes), w)


def winnow_array(h: "NDArray[np.uint64]", w: int) -> tuple[array[int], array[int]]:
    """``winnow`` over a uint64 array, with numpy.

    The selection of window t (hashes t .. t + w - 1) is a minimum of the window; where that minimum is
    unique it is the only choice, whatever came before. So: the minimum of every window and its
    rightmost position (van Herk / Gil-Werman: prefix and suffix minima over blocks of w), then the
    tie rule (keep the previous selection while it is in the window and still a minimum) applied in a
    loop over the windows whose minimum occurs twice or more only (repeated k-grams: rare outside
    data tables)."""
    import numpy as np
    m = len(h)
    if m < w:
        return array("Q"), array("I")
    windows = m - w + 1
    blocks = -(-m // w)
    padded = np.full(blocks * w, np.iinfo(np.uint64).max, np.uint64)
    padded[:m] = h
    index = np.arange(blocks * w, dtype=np.int64)
    grid = padded.reshape(blocks, w)
    prefix = np.minimum.accumulate(grid, axis=1).ravel()
    suffix = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    # rightmost position of the prefix minimum (within a block up to j): the last k <= j where h[k]
    # equals the running minimum (every block's first element does, so no block leaks into the next)
    prefix_right = np.maximum.accumulate(np.where(padded == prefix, index, -1))
    prefix_left = _first_of_runs(prefix, index, w)
    # rightmost / leftmost position of the suffix minimum (from j to the block end)
    suffix_right, suffix_left = _suffix_positions(padded, suffix, index, w)
    ends = slice(w - 1, w - 1 + windows)   # window t covers t .. t + w - 1: its start and end in order
    right_part, left_part = prefix[ends], suffix[:windows]
    # rightmost minimum: in the right part (block of the window's end) when it holds the minimum
    rightmost = np.where(right_part <= left_part, prefix_right[ends], suffix_right[:windows])
    leftmost = np.where(left_part <= right_part, suffix_left[:windows], prefix_left[ends])
    chosen = rightmost
    ties = np.flatnonzero(leftmost != rightmost)
    if len(ties):
        chosen = rightmost.copy()
        _apply_ties(chosen, ties, rightmost)
    changed = np.empty(windows, dtype=bool)
    changed[0] = True
    np.not_equal(chosen[1:], chosen[:-1], out=changed[1:])
    positions = chosen[changed]
    return (array("Q", h[positions].tobytes()),
            array("I", positions.astype(np.uint32).tobytes()))


def _first_of_runs(prefix: "NDArray[np.uint64]", index: "NDArray[np.int64]", w: int) -> "NDArray[np.int64]":
    """Leftmost position of the prefix minimum up to j within its block: where the running minimum last
    dropped (strictly), or the block start."""
    import numpy as np
    drop = np.empty(len(prefix), dtype=bool)
    drop[0] = True
    np.less(prefix[1:], prefix[:-1], out=drop[1:])
    drop[::w] = True
    return np.maximum.accumulate(np.where(drop, index, -1))


def _suffix_positions(padded: "NDArray[np.uint64]", suffix: "NDArray[np.uint64]", index: "NDArray[np.int64]",
                      w: int) -> tuple["NDArray[np.int64]", "NDArray[np.int64]"]:
    """(rightmost, leftmost) position of the suffix minimum from j to its block's end."""
    import numpy as np
    n = len(padded)
    big = np.int64(n)
    # rightmost: where the suffix minimum last dropped strictly going right to left (or the block end)
    drop = np.empty(n, dtype=bool)
    drop[-1] = True
    np.less(suffix[:-1], suffix[1:], out=drop[:-1])
    drop[w - 1::w] = True
    right = np.minimum.accumulate(np.where(drop, index, big)[::-1])[::-1]
    # leftmost: the first k >= j where h[k] equals the suffix minimum (every block end does)
    left = np.minimum.accumulate(np.where(padded == suffix, index, big)[::-1])[::-1]
    return right, left


def _apply_ties(chosen: "NDArray[np.int64]", ties: "NDArray[np.int64]", rightmost: "NDArray[np.int64]") -> None:
    """The robust-winnowing tie rule on the windows whose minimum is not unique, in order: the previous
    window's selection stays while it is inside this window, else the rightmost minimum is taken.
    (Inside the window the previous selection is still a minimum: had a smaller hash just entered,
    that hash would be the window's unique minimum, and the window not in ``ties``.)"""
    ties = ties[ties > 0]   # the first window takes the rightmost minimum
    last_t, last = -2, -1
    out: list[int] = []
    for t, right, before in zip(ties.tolist(), rightmost[ties].tolist(), rightmost[ties - 1].tolist()):
        previous = last if last_t == t - 1 else before
        last_t = t
        last = previous if previous >= t else right
        out.append(last)
    chosen[ties] = out


def _winnow_loop(hashes: list[int], w: int) -> tuple[array[int], array[int]]:
    """The reference definition of ``winnow``: one pass, the minimum only changes when a smaller hash
    enters or it leaves the window (then the window is rescanned, taking the rightmost minimum)."""
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
    if not numpy_enabled():
        return _winnow_loop(_kgram_loop(norm, k), w)
    return winnow_array(kgram_array(norm, k), w)


def fingerprints_and_hashes(norm: Sequence[int], min_tokens: int,
                            k: int = K) -> tuple[tuple[array[int], array[int]], array[int]]:
    """``fingerprints()`` and every k-gram hash it winnowed ('Q'; empty below ``min_tokens``): a query
    of the same file right after the build (the cold ``check``) reuses them instead of hashing again."""
    k, w = window_for(min_tokens, k)
    if len(norm) < min_tokens:
        return (array("Q"), array("I")), array("Q")
    if not numpy_enabled():
        plain = _kgram_loop(norm, k)
        return _winnow_loop(plain, w), array("Q", plain)
    hashes = kgram_array(norm, k)
    return winnow_array(hashes, w), array("Q", hashes.tobytes())
