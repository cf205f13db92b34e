"""A pure-numpy chunked array: split into full-size chunk arrays, apply projections, reassemble."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from zarr5.indexing import chunk_grid_shape


def split(a: np.ndarray, chunks: tuple[int, ...], pad: Any = -1) -> dict[tuple[int, ...], np.ndarray]:
    """Full-size chunk arrays keyed by grid coordinates; edge chunks padded with ``pad``."""
    grid = chunk_grid_shape(a.shape, chunks)
    out = {}
    for coords in itertools.product(*(range(g) for g in grid)):
        chunk = np.full(chunks, pad, dtype=a.dtype)
        src = tuple(slice(i * c, min((i + 1) * c, n)) for i, c, n in zip(coords, chunks, a.shape))
        chunk[tuple(slice(0, s.stop - s.start) for s in src)] = a[src]
        out[coords] = chunk
    return out


def join(
    chunks_map: dict[tuple[int, ...], np.ndarray], shape: tuple[int, ...], chunks: tuple[int, ...], dtype: Any
) -> np.ndarray:
    a = np.zeros(shape, dtype=dtype)
    for coords, chunk in chunks_map.items():
        dst = tuple(slice(i * c, min((i + 1) * c, n)) for i, c, n in zip(coords, chunks, shape))
        a[dst] = chunk[tuple(slice(0, s.stop - s.start) for s in dst)]
    return a


def sim_read(a: np.ndarray, chunks: tuple[int, ...], indexer: Any) -> np.ndarray:
    store = split(a, chunks)
    out = np.full(indexer.out_shape, -7, dtype=a.dtype)
    for p in indexer:
        out[p.out_selection] = store[p.chunk_coords][p.chunk_selection]
    return out.reshape(indexer.shape)


def sim_write(a: np.ndarray, chunks: tuple[int, ...], indexer: Any, value: Any) -> np.ndarray:
    store = split(a, chunks)
    value = np.broadcast_to(np.asarray(value, dtype=a.dtype), indexer.shape).reshape(indexer.out_shape)
    for p in indexer:
        chunk = store[p.chunk_coords]
        if p.is_complete:
            # a complete projection must rebuild the chunk without reading it: start from garbage
            chunk = np.full(chunks, -9, dtype=a.dtype)
            store[p.chunk_coords] = chunk
        chunk[p.chunk_selection] = value[p.out_selection]
    return join(store, a.shape, chunks, a.dtype)


def inbounds(coords: tuple[int, ...], chunks: tuple[int, ...], shape: tuple[int, ...]) -> tuple[slice, ...]:
    """The in-bounds region of a chunk, in chunk-local coordinates."""
    return tuple(slice(0, min(c, n - i * c)) for i, c, n in zip(coords, chunks, shape))


def touched_chunks(shape: tuple[int, ...], chunks: tuple[int, ...], selected_ids: np.ndarray) -> set:
    """Brute force: the chunks holding the elements whose C-order ids were selected."""
    if not shape:
        return {()}
    pts = np.unravel_index(np.asarray(selected_ids, dtype=np.intp).ravel(), shape)
    return {tuple(int(p[k]) // c for p, c in zip(pts, chunks)) for k in range(len(pts[0]))}


def check_indexer(
    a: np.ndarray, chunks: tuple[int, ...], indexer: Any, expected: np.ndarray, write_ref: Any
) -> None:
    """Compare an indexer with numpy for a read and a write, and its projections with brute force.

    ``a`` must hold distinct C-order ids (``np.arange``) so ``expected`` names the elements read;
    ``write_ref(b, value)`` applies the numpy write that the indexer must reproduce.
    """
    projections = list(indexer)
    # each touched chunk is yielded once, and only touched chunks are yielded
    coords = [p.chunk_coords for p in projections]
    assert len(coords) == len(set(coords)) == len(indexer)
    assert set(coords) == (touched_chunks(a.shape, chunks, expected) if expected.size else set())
    assert indexer.shape == expected.shape
    got = sim_read(a, chunks, indexer)
    assert got.shape == expected.shape and got.dtype == a.dtype
    np.testing.assert_array_equal(got, expected)
    store = split(a, chunks)
    for p in projections:
        piece = store[p.chunk_coords][p.chunk_selection]
        if p.is_complete:
            # complete means the piece is the whole in-bounds chunk, in C order
            region = store[p.chunk_coords][inbounds(p.chunk_coords, chunks, a.shape)]
            np.testing.assert_array_equal(np.asarray(piece).reshape(region.shape), region)
    value = (np.arange(expected.size, dtype=a.dtype) + 10_000).reshape(expected.shape)
    b = a.copy()
    write_ref(b, value)
    np.testing.assert_array_equal(sim_write(a, chunks, indexer, value), b)
    # a scalar value broadcasts over the selection
    b = a.copy()
    write_ref(b, np.asarray(-5, dtype=a.dtype))
    np.testing.assert_array_equal(sim_write(a, chunks, indexer, -5), b)
