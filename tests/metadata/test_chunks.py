"""zarr5.metadata.chunks, with zarr-python 2.18's own functions as the differential oracle."""

from __future__ import annotations

import doctest
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarr5.metadata import chunks as chunks_mod
from zarr5.metadata.chunks import guess_chunks, normalize_chunks, normalize_shape


def oracle(module: str = "zarr") -> Any:
    """zarr-python 2.18.7's ``module``, imported by the comparisons alone: only they skip without it."""
    return pytest.importorskip(module, reason="zarr-python 2.18.7, the oracle of this comparison, is not "
                                              "installed (pip install '.[test]')")


def _zarr_chunks(arg, shape, itemsize):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = oracle("zarr.util").normalize_chunks(arg, shape, itemsize)
    # zarr-python keeps a zero-length whole-axis chunk; zarr5 makes it 1 so a grid can be formed
    full = [arg is False or (isinstance(arg, tuple) and (i >= len(arg) or arg[i] in (None, -1)))
            for i in range(len(shape))]
    return tuple(1 if (c == 0 and n == 0 and f) else c for c, n, f in zip(out, shape, full))


def test_docstring_examples_run():
    failures, _ = doctest.testmod(chunks_mod)
    assert failures == 0


def test_tutorial_guess():
    assert normalize_chunks(True, (10000, 10000), 4) == (625, 625)
    assert normalize_chunks(None, (10000, 10000), 4) == (625, 625)


@pytest.mark.parametrize("arg, shape, expected", [
    (False, (10000, 10000), (10000, 10000)),
    ((100, None), (10000, 10000), (100, 10000)),
    ((None, 100), (10000, 10000), (10000, 100)),
    ((100, -1), (50, 60), (100, 60)),
    (10, (5, 30, 40), (10, 10, 10)),
    ((7,), (20, 30), (7, 30)),
    ((), (4, 5), (4, 5)),
    (False, (0, 3), (1, 3)),
    ((-1, 2), (0, 3), (1, 2)),
    (True, (0,), (1,)),
    (False, (), ()),
    (True, (), ()),
    (np.int64(3), (9,), (3,)),
    ([2, 2], (4, 4), (2, 2)),
])
def test_examples(arg, shape, expected):
    assert normalize_chunks(arg, shape, 8) == expected


@pytest.mark.parametrize("arg, word", [((1, 2, 3), "more dimensions"), ((0, 2), "0"), ((-2, 2), "-2"),
                                       (0, "0")])
def test_bad_chunks_named(arg, word):
    with pytest.raises(ValueError) as info:
        normalize_chunks(arg, (4, 4), 4)
    assert word in str(info.value)


@pytest.mark.parametrize("arg", [(1.5, 2), ("a", 2), "abc", object()])
def test_bad_chunk_types(arg):
    with pytest.raises(TypeError):
        normalize_chunks(arg, (4, 4), 4)


_SHAPE = st.lists(st.one_of(st.integers(0, 4), st.integers(0, 10**7)), min_size=0, max_size=5).map(tuple)
_ITEMSIZE = st.sampled_from([1, 2, 4, 8, 16, 33, 1000, 10**6, 10**8])


@settings(max_examples=300, deadline=None)
@given(_SHAPE, _ITEMSIZE)
def test_guess_matches_zarr(shape, itemsize):
    assert guess_chunks(shape, itemsize) == oracle("zarr.util").guess_chunks(shape, itemsize)


@settings(max_examples=200, deadline=None)
@given(_SHAPE, _ITEMSIZE, st.data())
def test_normalize_matches_zarr(shape, itemsize, data):
    entry = st.one_of(st.integers(1, 10**6), st.just(None), st.just(-1))
    arg = data.draw(st.one_of(
        st.sampled_from([True, False, None]),
        st.integers(1, 1000),
        st.lists(entry, max_size=len(shape)).map(tuple),
    ))
    assert normalize_chunks(arg, shape, itemsize) == _zarr_chunks(arg, shape, itemsize)


def test_normalize_shape():
    assert normalize_shape(5) == (5,)
    assert normalize_shape(np.int32(5)) == (5,)
    assert normalize_shape([2, 3]) == (2, 3)
    assert normalize_shape(()) == ()
    assert normalize_shape((4.0,)) == (4,)


@pytest.mark.parametrize("arg, exc, word", [(-1, ValueError, "-1"), ((3, -2), ValueError, "-2"),
                                            (None, TypeError, "None"), ((2.5,), TypeError, "2.5"),
                                            ("ab", TypeError, "'ab'"), (object(), TypeError, "shape")])
def test_bad_shape_named(arg, exc, word):
    with pytest.raises(exc) as info:
        normalize_shape(arg)
    assert word in str(info.value)
