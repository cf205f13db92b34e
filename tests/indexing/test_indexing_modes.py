"""Property tests: every indexing mode against numpy, for reads and writes, on a simulated chunked array."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from indexing_sim import check_indexer, sim_read, sim_write
from indexing_strategies import (
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

SETTINGS = settings(max_examples=int(__import__("os").environ.get("IDX_EXAMPLES", 300)), deadline=None)


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
    got = sim_write(a, (4,), ix, [1, 2, 3, 4, 5])
    ref = a.copy()
    ref[[3, 7, 3, 3, 7]] = [1, 2, 3, 4, 5]
    np.testing.assert_array_equal(got, ref)
    assert got[3] == 4 and got[7] == 5


def test_touched_chunks_sparse_steps() -> None:
    # steps wider than a chunk skip chunks; only the chunks holding a selected element are yielded
    shape, chunks = (50, 9), (3, 2)
    a = data(shape)
    ix = BasicIndexer((slice(1, None, 7), slice(None, None, -5)), shape, chunks)
    coords = sorted(p.chunk_coords for p in ix)
    assert coords == sorted({(r // 3, c // 2) for r in range(1, 50, 7) for c in range(8, -1, -5)})
    check_indexer(
        a,
        chunks,
        ix,
        a[1::7, ::-5],
        lambda b, v: b.__setitem__((slice(1, None, 7), slice(None, None, -5)), v),
    )


def test_tutorial_blocks() -> None:
    a = np.arange(100).reshape(10, 10)
    ix = BlockIndexer((0, slice(1, 3)), a.shape, (3, 3))
    assert ix.shape == (3, 6)
    np.testing.assert_array_equal(sim_read(a, (3, 3), ix), a[0:3, 3:9])
    ix = BlockIndexer(-1, a.shape, (3, 3))  # the edge block row is clipped to the array
    np.testing.assert_array_equal(sim_read(a, (3, 3), ix), a[9:10])


def test_projection_forms() -> None:
    # the forms the core relies on: plain slices for basic, ix_ arrays for several orthogonal arrays,
    # flat output positions for points
    (p,) = BasicIndexer((slice(0, 2), 1), (4, 4), (4, 4))
    assert p.chunk_selection == (slice(0, 2, 1), 1) and p.out_selection == (slice(0, 2),)
    (p,) = OrthogonalIndexer(([2, 0], [3, 1]), (4, 4), (4, 4))
    assert p.chunk_selection[0].shape == (2, 1) and p.chunk_selection[1].shape == (1, 2)
    assert p.out_selection[0].shape == (2, 1) and p.out_selection[1].shape == (1, 2)
    (p,) = CoordinateIndexer(([2, 0], [3, 1]), (4, 4), (4, 4))
    assert [list(s) for s in p.chunk_selection] == [[0, 2], [1, 3]]
    assert list(p.out_selection[0]) == [1, 0]
    (p,) = BasicIndexer((slice(None), 2), (5, 3), (5, 1))
    assert p.is_complete  # an int on a length-1 chunk axis still covers the chunk
