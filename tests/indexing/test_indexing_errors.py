"""Bad selections raise the documented exception type with a message naming the axis and the value."""

from __future__ import annotations

import numpy as np
import pytest

from zarr5.errors import BoundsCheckError
from zarr5.indexing import (
    BasicIndexer,
    BlockIndexer,
    CoordinateIndexer,
    IndexTypeError,
    MaskIndexer,
    OrthogonalIndexer,
    normalize_integer_selection,
)

SHAPE, CHUNKS = (10, 6), (3, 4)


@pytest.mark.parametrize("indexer", [BasicIndexer, OrthogonalIndexer, BlockIndexer])
@pytest.mark.parametrize("bad", [2.3, "foo", b"xx", None, {1: 2}, True, np.bool_(False)])
def test_wrong_item_type(indexer: type, bad: object) -> None:
    with pytest.raises(TypeError, match="axis 1") as info:
        indexer((0, bad), SHAPE, CHUNKS)
    # zarr-2 code catches IndexError for the same mistakes
    assert isinstance(info.value, IndexError) and isinstance(info.value, IndexTypeError)


@pytest.mark.parametrize(
    ("selection", "axis", "value", "size"),
    [((10,), 0, 10, 10), ((-11,), 0, -11, 10), ((0, 6), 1, 6, 6), ((Ellipsis, -7), 1, -7, 6)],
)
def test_int_out_of_bounds(selection: tuple, axis: int, value: int, size: int) -> None:
    for indexer in (BasicIndexer, OrthogonalIndexer):
        with pytest.raises(
            BoundsCheckError, match=f"index {value} is out of bounds for axis {axis} with size {size}"
        ):
            indexer(selection, SHAPE, CHUNKS)


def test_bounds_check_error_is_index_error() -> None:
    with pytest.raises(IndexError):
        BasicIndexer(100, SHAPE, CHUNKS)


@pytest.mark.parametrize("indexer", [BasicIndexer, OrthogonalIndexer, BlockIndexer])
def test_too_many_indices(indexer: type) -> None:
    with pytest.raises(IndexError, match="too many indices.*2-dimensional, but 3"):
        indexer((0, 0, 0), SHAPE, CHUNKS)


def test_two_ellipses() -> None:
    with pytest.raises(IndexError, match="single ellipsis"):
        BasicIndexer((Ellipsis, 0, Ellipsis), SHAPE, CHUNKS)


@pytest.mark.parametrize("indexer", [BasicIndexer, OrthogonalIndexer])
def test_zero_step(indexer: type) -> None:
    with pytest.raises(ValueError, match="step cannot be zero.*axis 1"):
        indexer((slice(None), slice(0, 5, 0)), SHAPE, CHUNKS)


def test_float_slice_bound() -> None:
    with pytest.raises(TypeError, match="slice stop.*axis 0.*2.5"):
        BasicIndexer(slice(0, 2.5), SHAPE, CHUNKS)


def test_orthogonal_array_errors() -> None:
    with pytest.raises(BoundsCheckError, match="index 6 is out of bounds for axis 1 with size 6"):
        OrthogonalIndexer((slice(None), [0, 6]), SHAPE, CHUNKS)
    with pytest.raises(BoundsCheckError, match="index -11 is out of bounds for axis 0"):
        OrthogonalIndexer(([1, -11],), SHAPE, CHUNKS)
    with pytest.raises(IndexError, match="axis 1 has length 5 but the axis has length 6"):
        OrthogonalIndexer((slice(None), np.ones(5, bool)), SHAPE, CHUNKS)
    with pytest.raises(IndexError, match=r"1-D.*\(2, 2\).*axis 0"):
        OrthogonalIndexer(np.zeros((2, 2), int), SHAPE, CHUNKS)
    with pytest.raises(TypeError, match="dtype float64 for axis 1"):
        OrthogonalIndexer((0, [1.0, 2.0]), SHAPE, CHUNKS)


def test_coordinate_errors() -> None:
    with pytest.raises(IndexError, match=r"broadcast.*\(2,\), \(3,\)"):
        CoordinateIndexer(([0, 1], [0, 1, 2]), SHAPE, CHUNKS)
    with pytest.raises(IndexError, match="one index array per dimension.*2-dimensional, but 1"):
        CoordinateIndexer(([0, 1],), SHAPE, CHUNKS)
    with pytest.raises(BoundsCheckError, match="index 6 is out of bounds for axis 1 with size 6"):
        CoordinateIndexer(([0, 1], [5, 6]), SHAPE, CHUNKS)
    with pytest.raises(TypeError, match="axis 0"):
        CoordinateIndexer(([0.5], [1]), SHAPE, CHUNKS)
    with pytest.raises(TypeError, match="axis 1.*slice"):
        CoordinateIndexer(([0], slice(None)), SHAPE, CHUNKS)
    with pytest.raises(IndexError, match="mask"):
        CoordinateIndexer(([0], np.array([True])), SHAPE, CHUNKS)


def test_mask_errors() -> None:
    with pytest.raises(IndexError, match=r"\(10, 5\).*\(10, 6\)"):
        MaskIndexer(np.zeros((10, 5), bool), SHAPE, CHUNKS)
    with pytest.raises(TypeError, match="boolean"):
        MaskIndexer(np.zeros(SHAPE, int), SHAPE, CHUNKS)
    with pytest.raises(TypeError, match="boolean"):
        MaskIndexer(3, SHAPE, CHUNKS)


def test_block_errors() -> None:
    # a 10 x 6 array in 3 x 4 chunks has a 4 x 2 grid
    with pytest.raises(BoundsCheckError, match="index 4 is out of bounds for axis 0 with size 4"):
        BlockIndexer(4, SHAPE, CHUNKS)
    with pytest.raises(BoundsCheckError, match="index -3 is out of bounds for axis 1 with size 2"):
        BlockIndexer((0, -3), SHAPE, CHUNKS)
    with pytest.raises(IndexError, match="step 1.*axis 0"):
        BlockIndexer(slice(None, None, 2), SHAPE, CHUNKS)
    with pytest.raises(TypeError, match="axis 0"):
        BlockIndexer([0, 1], SHAPE, CHUNKS)


def test_normalize_integer_selection() -> None:
    assert normalize_integer_selection(-1, 5, 0) == 4
    assert normalize_integer_selection(np.int8(3), 5) == 3
    with pytest.raises(BoundsCheckError, match="index 5 is out of bounds for axis 2 with size 5"):
        normalize_integer_selection(5, 5, 2)
    with pytest.raises(TypeError, match="integer for axis 0"):
        normalize_integer_selection(1.0, 5, 0)
