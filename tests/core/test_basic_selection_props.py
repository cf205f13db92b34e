"""Property tests: basic indexing reads and writes on zarr5 arrays equal numpy's."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zarr5

DTYPES = ["i1", "<u2", ">i4", "<i8", "<f4", ">f8", "<c16", "?", "S3", "<U2", "<M8[s]"]


@st.composite
def array_case(draw):
    ndim = draw(st.integers(0, 4))
    shape = tuple(draw(st.lists(st.integers(0, 7), min_size=ndim, max_size=ndim)))
    chunks = tuple(draw(st.integers(1, max(1, s + 1))) for s in shape)
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    order = draw(st.sampled_from("CF"))
    return shape, chunks, dtype, order


def _slice_for(draw, n):
    start = draw(st.none() | st.integers(-n - 2, n + 2))
    stop = draw(st.none() | st.integers(-n - 2, n + 2))
    step = draw(st.none() | st.integers(-3, 3).filter(lambda s: s != 0))
    return slice(start, stop, step)


@st.composite
def basic_selection(draw, shape):
    parts = []
    for n in shape:
        if n > 0 and draw(st.booleans()):
            parts.append(draw(st.integers(-n, n - 1)))
        else:
            parts.append(_slice_for(draw, n))
    keep = draw(st.integers(0, len(parts)))
    sel = parts[:keep]
    if keep < len(parts) and draw(st.booleans()):
        sel.append(Ellipsis)
    return tuple(sel)


def _data(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    raw = rng.integers(0, 100, size=shape)
    if dtype.kind == "S":
        return raw.astype("U3").astype(dtype)
    if dtype.kind == "U":
        return raw.astype(dtype)
    if dtype.kind == "M":
        return raw.astype("i8").astype(dtype)
    return raw.astype(dtype)


@pytest.mark.parametrize("workers", [1, 8])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=array_case(), data=st.data())
def test_basic_read_matches_numpy(workers, case, data):
    with zarr5.config.using(max_workers=workers, min_parallel_bytes=1):
        _read(case, data)


def _read(case, data):
    shape, chunks, dtype, order = case
    expected = _data(shape, dtype, 1)
    z = zarr5.array(expected, chunks=chunks, order=order)
    sel = data.draw(basic_selection(shape))
    got = z[sel]
    want = expected[sel]
    assert np.shape(got) == np.shape(want)
    np.testing.assert_array_equal(got, want)
    assert np.asarray(got).dtype == want.dtype


# (8, 256): chunks below 256 bytes take the small-chunk path (inline for this in-memory store)
@pytest.mark.parametrize(("workers", "min_parallel_bytes"), [(1, 1), (8, 1), (8, 256)])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=array_case(), data=st.data())
def test_basic_write_matches_numpy(workers, min_parallel_bytes, case, data):
    with zarr5.config.using(max_workers=workers, min_parallel_bytes=min_parallel_bytes):
        _write(case, data)


def _write(case, data):
    shape, chunks, dtype, order = case
    expected = _data(shape, dtype, 2)
    z = zarr5.array(expected, chunks=chunks, order=order, fill_value=None)
    sel = data.draw(basic_selection(shape))
    region_shape = expected[sel].shape
    if data.draw(st.booleans()):
        value = _data(region_shape, dtype, 3)
    else:
        value = _data((), dtype, 4)
    expected[sel] = value
    z[sel] = value
    np.testing.assert_array_equal(z[...], expected)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=array_case(), data=st.data(), slots=st.integers(1, 3))
def test_basic_cached_calls_match_numpy(case, data, slots):
    """Reads and writes in turn through the h5py vocabulary's write-back chunk cache, kept small so
    chunks are evicted (and written back) between and within calls, equal numpy; after a flush the
    store holds the same."""
    from zarr5.core import Array
    from zarr5.core.chunkcache import CacheSettings, FileChunkCache

    shape, chunks, dtype, order = case
    expected = _data(shape, dtype, 5)
    z = zarr5.array(expected, chunks=chunks, order=order, fill_value=None)
    cache = FileChunkCache(CacheSettings(nbytes=slots * int(np.prod(chunks)) * dtype.itemsize, nslots=slots))
    zc = Array(z.store, z.path, _chunk_cache=cache)
    for step in range(data.draw(st.integers(1, 6))):
        sel = data.draw(basic_selection(shape))
        if data.draw(st.booleans()):
            got = zc[sel]
            assert np.shape(got) == np.shape(expected[sel])
            np.testing.assert_array_equal(got, expected[sel])
        else:
            value = _data(expected[sel].shape, dtype, 6 + step)
            expected[sel] = value
            zc[sel] = value
    np.testing.assert_array_equal(zc[...], expected)
    cache.flush()
    np.testing.assert_array_equal(Array(z.store, z.path)[...], expected)
