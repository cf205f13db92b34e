"""Property tests: every indexing mode of a zarr5 Array, read and write, equals numpy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zarr5
from zarr5.core import Array
from zarr5.core.chunkcache import CacheSettings, FileChunkCache

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# the thread pool must change no result: run every property with 1 and with 8 workers, and with
# min_parallel_bytes=1 so even tiny chunks go through the pool
WORKERS = pytest.mark.parametrize("workers", [1, 8])
# and through the h5py vocabulary's write-back chunk cache, sized for two chunks so chunks are evicted
# (and written back) within one call
WORKERS_CACHED = pytest.mark.parametrize("workers, cached", [(1, False), (8, False), (1, True)])


def _array(a, chunks, order, cached):
    """The array under test, and a function giving the stored array (cache written back first)."""
    z = zarr5.array(a, chunks=chunks, order=order)
    if not cached:
        return z, lambda: z
    nbytes = int(np.prod(chunks)) * a.dtype.itemsize
    cache = FileChunkCache(CacheSettings(nbytes=2 * nbytes, nslots=2))
    zc = Array(z.store, z.path, _chunk_cache=cache)

    def stored():
        cache.flush()
        return Array(z.store, z.path)

    return zc, stored


def _pool(workers):
    return zarr5.config.using(max_workers=workers, min_parallel_bytes=1)


@st.composite
def case(draw, min_ndim=1, max_ndim=4):
    ndim = draw(st.integers(min_ndim, max_ndim))
    shape = tuple(draw(st.lists(st.integers(0, 8), min_size=ndim, max_size=ndim)))
    chunks = tuple(draw(st.integers(1, n + 2)) for n in shape)
    dtype = draw(st.sampled_from(["<i4", ">f8", "u1", "S2", "<c8"]))
    order = draw(st.sampled_from("CF"))
    return shape, chunks, np.dtype(dtype), order


def _values(shape, dtype, seed):
    raw = np.random.default_rng(seed).integers(1, 90, size=shape)
    return raw.astype("U2").astype(dtype) if dtype.kind == "S" else raw.astype(dtype)


def _orth_item(draw, n):
    kind = draw(st.sampled_from(["int", "slice", "ints", "bools"] if n else ["slice", "ints", "bools"]))
    if kind == "int":
        return draw(st.integers(-n, n - 1))
    if kind == "slice":
        bound = st.none() | st.integers(-n - 2, n + 2)
        return slice(draw(bound), draw(bound), draw(st.none() | st.integers(1, 3)))
    if kind == "ints":
        if n == 0:
            return np.zeros(0, dtype=int)
        return np.asarray(draw(st.lists(st.integers(-n, n - 1), max_size=6)), dtype=int)
    return np.asarray(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)


def _numpy_orthogonal(sel):
    # numpy's equivalent of an orthogonal selection: ints stay ints, the rest go through np.ix_
    arrays = []
    for s, n in sel:
        if isinstance(s, slice):
            arrays.append(np.arange(n)[s])
        elif isinstance(s, np.ndarray) and s.dtype == bool:
            arrays.append(np.nonzero(s)[0])
        elif isinstance(s, np.ndarray):
            arrays.append(s)
        else:
            arrays.append(np.asarray([s]))
    return np.ix_(*arrays), [i for i, (s, _) in enumerate(sel) if isinstance(s, (int, np.integer))]


@WORKERS_CACHED
@SETTINGS
@given(c=case(), data=st.data(), write=st.booleans())
def test_orthogonal(workers, cached, c, data, write):
    with _pool(workers):
        _test_orthogonal(c, data, write, cached)


def _test_orthogonal(c, data, write, cached=False):
    shape, chunks, dtype, order = c
    a = _values(shape, dtype, 1)
    z, stored = _array(a, chunks, order, cached)
    sel = tuple(_orth_item(data.draw, n) for n in shape)
    ix, int_axes = _numpy_orthogonal(list(zip(sel, shape)))
    expected = a[ix].squeeze(axis=tuple(int_axes)) if int_axes else a[ix]
    if not write:
        got = z.oindex[sel]
        np.testing.assert_array_equal(got, expected)
        assert np.shape(got) == expected.shape
        return
    value = _values(expected.shape, dtype, 2)
    z.oindex[sel] = value
    a[ix] = value.reshape(a[ix].shape)
    np.testing.assert_array_equal(z[...], a)
    np.testing.assert_array_equal(stored()[...], a)


@WORKERS_CACHED
@SETTINGS
@given(c=case(), data=st.data(), write=st.booleans())
def test_coordinate(workers, cached, c, data, write):
    with _pool(workers):
        _test_coordinate(c, data, write, cached)


def _test_coordinate(c, data, write, cached=False):
    shape, chunks, dtype, order = c
    if 0 in shape:
        return
    a = _values(shape, dtype, 3)
    z, stored = _array(a, chunks, order, cached)
    npts = data.draw(st.integers(0, 8))
    out_shape = data.draw(st.sampled_from([(npts,), (1, npts)]))
    coords = tuple(np.asarray(data.draw(st.lists(st.integers(-n, n - 1), min_size=npts, max_size=npts)),
                              dtype=int).reshape(out_shape) for n in shape)
    if not write:
        np.testing.assert_array_equal(z.vindex[coords], a[coords])
        assert z.get_coordinate_selection(coords).shape == a[coords].shape
        return
    # repeated coordinates: numpy keeps the last write, and so must zarr5
    value = _values(a[coords].shape, dtype, 4)
    z.vindex[coords] = value
    a[coords] = value
    np.testing.assert_array_equal(z[...], a)
    np.testing.assert_array_equal(stored()[...], a)


@WORKERS_CACHED
@SETTINGS
@given(c=case(), data=st.data(), write=st.booleans())
def test_mask(workers, cached, c, data, write):
    with _pool(workers):
        _test_mask(c, data, write, cached)


def _test_mask(c, data, write, cached=False):
    shape, chunks, dtype, order = c
    a = _values(shape, dtype, 5)
    z, stored = _array(a, chunks, order, cached)
    mask = np.asarray(data.draw(st.lists(st.booleans(), min_size=a.size, max_size=a.size)),
                      dtype=bool).reshape(shape)
    if not write:
        np.testing.assert_array_equal(z.get_mask_selection(mask), a[mask])
        np.testing.assert_array_equal(z[mask], a[mask])
        return
    value = _values(a[mask].shape, dtype, 6)
    z.vindex[mask] = value
    a[mask] = value
    np.testing.assert_array_equal(z[...], a)
    np.testing.assert_array_equal(stored()[...], a)


@WORKERS_CACHED
@SETTINGS
@given(c=case(), data=st.data(), write=st.booleans())
def test_block(workers, cached, c, data, write):
    with _pool(workers):
        _test_block(c, data, write, cached)


def _test_block(c, data, write, cached=False):
    shape, chunks, dtype, order = c
    a = _values(shape, dtype, 7)
    z, stored = _array(a, chunks, order, cached)
    grid = z.cdata_shape
    sel, region = [], []
    for n, g, ch in zip(shape, grid, chunks):
        if g and data.draw(st.booleans()):
            i = data.draw(st.integers(0, g - 1))
            sel.append(i)
            region.append(slice(i * ch, min(n, (i + 1) * ch)))
        else:
            start = data.draw(st.integers(0, g))
            stop = data.draw(st.integers(start, g))
            sel.append(slice(start, stop))
            region.append(slice(start * ch, min(n, stop * ch)))
    sel, region = tuple(sel), tuple(region)
    if not write:
        np.testing.assert_array_equal(z.blocks[sel], a[region])
        return
    value = _values(a[region].shape, dtype, 8)
    z.blocks[sel] = value
    a[region] = value
    np.testing.assert_array_equal(z[...], a)
    np.testing.assert_array_equal(stored()[...], a)


@SETTINGS
@given(data=st.data())
def test_fields_in_every_mode(data):
    dt = np.dtype([("a", "<i4"), ("b", "S3"), ("c", "<f8", (2,))])
    n = data.draw(st.integers(1, 9))
    a = np.zeros(n, dtype=dt)
    a["a"] = np.arange(n)
    a["b"] = [str(i).encode() for i in range(n)]
    a["c"] = np.arange(2 * n).reshape(n, 2)
    z = zarr5.array(a, chunks=data.draw(st.integers(1, n + 1)))
    idx = np.asarray(data.draw(st.lists(st.integers(0, n - 1), max_size=5)), dtype=int)
    for field in ("a", "b", "c"):
        np.testing.assert_array_equal(z.get_orthogonal_selection(idx, fields=field), a[field][idx])
        np.testing.assert_array_equal(z.get_coordinate_selection(idx, fields=field), a[field][idx])
    both = z.get_coordinate_selection(idx, fields=["b", "a"])
    assert both.dtype.names == ("b", "a")
    np.testing.assert_array_equal(both["a"], a["a"][idx])
    np.testing.assert_array_equal(z[1:3, "a"], a["a"][1:3])
