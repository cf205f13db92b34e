"""Property tests: every indexing mode against numpy, for reads and writes, on a simulated chunked array."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from indexing_sim import check_indexer
from strategies import (
    basic_selection,
    block_selection,
    coordinate_selection,
    orthogonal_selection,
    shape_chunks,
)

from zarr5.indexing import (
    BasicIndexer,
    BlockIndexer,
    CoordinateIndexer,
    MaskIndexer,
    OrthogonalIndexer,
    chunk_grid_shape,
    expand_selection,
)

SETTINGS = settings(max_examples=int(__import__("os").environ.get("IDX_EXAMPLES", 150)), deadline=None)


def data(shape: tuple[int, ...]) -> np.ndarray:
    return np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)


@SETTINGS
@given(st.data())
def test_basic(d: st.DataObject) -> None:
    shape, chunks = d.draw(shape_chunks())
    sel = d.draw(basic_selection(shape))
    a = data(shape)
    ix = BasicIndexer(sel, shape, chunks)
    assert ix.out_shape == ix.shape

    def write(b: np.ndarray, v: np.ndarray) -> None:
        b[sel] = v

    check_indexer(a, chunks, ix, a[sel], write)


def _ix_args(sel: tuple, shape: tuple[int, ...]) -> tuple[tuple, tuple[int, ...]]:
    """The np.ix_ arguments equivalent to an orthogonal selection, and the axes ints drop."""
    args, dropped = [], []
    for axis, (s, n) in enumerate(zip(expand_selection(sel, len(shape)), shape)):
        if isinstance(s, slice):
            args.append(np.arange(n)[s])
        elif isinstance(s, (list, np.ndarray)):
            s = np.asarray(s, dtype=bool if np.asarray(s).dtype == bool else np.intp)
            args.append(np.flatnonzero(s) if s.dtype == bool else s)
        else:
            args.append(np.asarray([s], dtype=np.intp))
            dropped.append(axis)
    return tuple(args), tuple(dropped)


@SETTINGS
@given(st.data())
def test_orthogonal(d: st.DataObject) -> None:
    shape, chunks = d.draw(shape_chunks())
    sel = d.draw(orthogonal_selection(shape))
    a = data(shape)
    ix = OrthogonalIndexer(sel, shape, chunks)
    args, dropped = _ix_args(sel, shape)
    expected = a[np.ix_(*args)].squeeze(axis=dropped) if shape else a[()]
    assert ix.drop_axes == dropped and ix.out_shape == ix.shape

    def write(b: np.ndarray, v: np.ndarray) -> None:
        if not shape:
            b[()] = v
            return
        b[np.ix_(*args)] = np.expand_dims(np.broadcast_to(v, expected.shape), dropped)

    check_indexer(a, chunks, ix, expected, write)


@SETTINGS
@given(st.data())
def test_coordinate(d: st.DataObject) -> None:
    shape, chunks = d.draw(shape_chunks(min_ndim=1))
    sel = d.draw(coordinate_selection(shape))
    a = data(shape)
    ix = CoordinateIndexer(sel, shape, chunks)
    npsel = tuple(np.asarray(s, dtype=np.intp) for s in sel)
    expected = a[npsel]
    assert ix.out_shape == (expected.size,)

    def write(b: np.ndarray, v: np.ndarray) -> None:
        b[npsel] = v

    check_indexer(a, chunks, ix, expected, write)


@SETTINGS
@given(st.data())
def test_mask(d: st.DataObject) -> None:
    shape, chunks = d.draw(shape_chunks(min_ndim=1))
    n = int(np.prod(shape))
    mask = np.asarray(d.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool).reshape(shape)
    a = data(shape)
    ix = MaskIndexer(mask, shape, chunks)

    def write(b: np.ndarray, v: np.ndarray) -> None:
        b[mask] = v

    check_indexer(a, chunks, ix, a[mask], write)


@SETTINGS
@given(st.data())
def test_block(d: st.DataObject) -> None:
    shape, chunks = d.draw(shape_chunks())
    grid = chunk_grid_shape(shape, chunks)
    sel = d.draw(block_selection(grid))
    a = data(shape)
    ix = BlockIndexer(sel, shape, chunks)
    # the union of whole chunks: the same selection on a chunk-grid view of the array
    element = []
    for s, c, n, g in zip(expand_selection(sel, len(shape)), chunks, shape, grid):
        lo, hi = (s % g, s % g + 1) if isinstance(s, int) else slice(s.start, s.stop).indices(g)[:2]
        element.append(slice(min(lo * c, n), min(max(lo, hi) * c, n)))
    element_t = tuple(element)

    def write(b: np.ndarray, v: np.ndarray) -> None:
        b[element_t] = v

    check_indexer(a, chunks, ix, a[element_t], write)


def test_orthogonal_repeated_last_write_wins() -> None:
    a = np.zeros(10, dtype=int)
    ix = OrthogonalIndexer(([3, 7, 3, 3, 7],), (10,), (4,))
    from indexing_sim import sim_write

    got = sim_write(a, (4,), ix, [1, 2, 3, 4, 5])
    ref = a.copy()
    ref[[3, 7, 3, 3, 7]] = [1, 2, 3, 4, 5]
    np.testing.assert_array_equal(got, ref)
    assert got[3] == 4 and got[7] == 5
