"""classify_selection, pop_fields and the grid helpers."""

from __future__ import annotations

import numpy as np
import pytest
from indexing_sim import sim_read

from zarr5.indexing import (
    INDEXERS,
    BasicIndexer,
    chunk_grid_shape,
    classify_selection,
    is_total_slice,
    iter_chunk_coords,
    pop_fields,
)

A = np.arange(60).reshape(5, 12)
MASK = A % 7 == 0

# (selection, expected mode); every one of these means the same in numpy and in zarr5
CASES = [
    (3, "basic"),
    ((slice(1, 4), -2), "basic"),
    (Ellipsis, "basic"),
    ((), "basic"),
    ((Ellipsis, slice(None, None, -3)), "basic"),
    (np.int64(2), "basic"),
    (([0, 4], [1, 11]), "coordinate"),
    ((2, [1, 3]), "orthogonal"),
    ((np.array([[0, 1], [2, 3]]), np.array([[1], [2]])), "coordinate"),
    (([0, 4, 0], slice(None)), "orthogonal"),
    ([3, 1], "orthogonal"),
    ((Ellipsis, [5, 1, 5]), "orthogonal"),
    ((slice(None, None, 2), [1, -1]), "orthogonal"),
    (MASK, "mask"),
    ((MASK, Ellipsis), "mask"),
    (np.array([True, False, True, True, False]), "orthogonal"),
    ((slice(1, 3), np.arange(12) % 5 == 0), "orthogonal"),
]


@pytest.mark.parametrize(("selection", "mode"), CASES)
def test_classify_matches_numpy(selection: object, mode: str) -> None:
    kind, norm = classify_selection(selection, A.shape)
    assert kind == mode
    ix = INDEXERS[kind](norm, A.shape, (2, 5))
    np.testing.assert_array_equal(sim_read(A, (2, 5), ix), A[selection])


def test_classify_zarr2_extensions() -> None:
    # per-axis boolean arrays are orthogonal in zarr-2 (numpy would pair them up)
    rows, cols = np.array([1, 0, 1, 0, 1], bool), np.arange(12) < 3
    kind, norm = classify_selection((rows, cols), A.shape)
    assert kind == "orthogonal"
    got = sim_read(A, (2, 5), INDEXERS[kind](norm, A.shape, (2, 5)))
    np.testing.assert_array_equal(got, A[np.ix_(rows, cols)])
    # a 1-D boolean array on a 1-D array is a mask
    assert classify_selection(np.array([True, False]), (2,))[0] == "mask"
    # one list on a 1-D array is a coordinate selection, as in zarr-2
    assert classify_selection([1, 0], (2,))[0] == "coordinate"


def test_classify_errors() -> None:
    with pytest.raises(IndexError, match="oindex"):
        classify_selection(([0, 1], [1, 2], slice(None)), (3, 3, 3))
    with pytest.raises(IndexError, match=r"\(2, 2\).*\(5, 12\)"):
        kind, norm = classify_selection(np.zeros((2, 2), bool), A.shape)
        INDEXERS[kind](norm, A.shape, (2, 5))
    with pytest.raises(TypeError, match="field"):
        classify_selection("f0", A.shape)
    with pytest.raises(TypeError, match="float"):
        classify_selection(([0.5],), A.shape)
    with pytest.raises(TypeError, match="None"):
        classify_selection((None, 0), A.shape)
    with pytest.raises(IndexError, match="too many"):
        classify_selection((0, 0, 0), A.shape)


def test_pop_fields() -> None:
    assert pop_fields("f") == ("f", ())
    assert pop_fields(["a", "b"]) == (["a", "b"], ())
    assert pop_fields((slice(0, 2), "f")) == ("f", (slice(0, 2),))
    assert pop_fields(("a", 0, "b")) == (["a", "b"], (0,))
    assert pop_fields((0, ["a", "b"])) == (["a", "b"], (0,))
    sel = (0, slice(None))
    assert pop_fields(sel) == (None, sel)
    assert pop_fields(5) == (None, 5)
    assert pop_fields([1, 2]) == (None, [1, 2])
    assert pop_fields([]) == (None, [])


def test_grid_helpers() -> None:
    assert chunk_grid_shape((10, 6, 0), (3, 6, 4)) == (4, 1, 0)
    assert chunk_grid_shape((), ()) == ()
    assert chunk_grid_shape((0,), (0,)) == (0,)
    with pytest.raises(ValueError, match="axis 0"):
        chunk_grid_shape((5,), (0,))
    assert list(iter_chunk_coords((2, 2))) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert list(iter_chunk_coords(())) == [()]
    assert list(iter_chunk_coords((3, 0))) == []


def test_is_total_slice() -> None:
    assert is_total_slice(Ellipsis, (4, 5))
    assert is_total_slice((), (4, 5))
    assert is_total_slice(slice(None), (4, 5))
    assert is_total_slice((slice(0, 4), slice(None, 100)), (4, 5))
    assert not is_total_slice((slice(0, 3), slice(None)), (4, 5))
    assert not is_total_slice(slice(None, None, -1), (4, 5))
    assert not is_total_slice((0, slice(None)), (4, 5))
    assert not is_total_slice([0, 1], (2,))
    assert is_total_slice((), ())


def test_zero_d() -> None:
    a = np.array(7)
    for sel in ((), Ellipsis):
        ix = BasicIndexer(sel, (), ())
        assert ix.shape == () and len(ix) == 1
        assert sim_read(a, (), ix)[()] == 7
        (p,) = ix
        assert p.chunk_coords == () and p.is_complete


def test_zero_length_axis() -> None:
    ix = BasicIndexer((slice(None), 1), (0, 3), (2, 2))
    assert ix.shape == (0,) and list(ix) == []


def test_lazy_iteration() -> None:
    # ten billion chunks: the first projection must come without enumerating them all
    ix = BasicIndexer((slice(None), slice(None)), (10**5, 10**5), (1, 1))
    first = next(iter(ix))
    assert first.chunk_coords == (0, 0) and first.is_complete
