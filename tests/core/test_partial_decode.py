"""Small selections of large Blosc chunks decompress only part of the chunk; results equal numpy."""

from __future__ import annotations

import numcodecs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zarr5
from zarr5.codecs.pipeline import ChunkPipeline
from zarr5.errors import CorruptChunkError

SHAPE = (700, 600)


@pytest.fixture(scope="module", params=[("<i4", "C"), (">f8", "F"), ([("a", "<i2"), ("b", "S3")], "C")],
                ids=["i4-C", "f8-F", "struct-C"])
def arrays(request):
    dtype, order = request.param
    rng = np.random.default_rng(0)
    raw = rng.integers(0, 1000, size=SHAPE)
    a = np.zeros(SHAPE, dtype=dtype)
    if a.dtype.names:
        a["a"] = raw
        a["b"] = raw.astype("U3").astype("S3")
    else:
        a[...] = raw
    z = zarr5.array(a, chunks=(400, 300), order=order)  # chunks well above the partial-decode threshold
    return a, z


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_small_selections_match_numpy(arrays, data):
    a, z = arrays
    i = data.draw(st.integers(0, SHAPE[0] - 1))
    j = data.draw(st.integers(0, SHAPE[1] - 1))
    h = data.draw(st.integers(1, 40))
    w = data.draw(st.integers(1, 40))
    window = (slice(i, i + h), slice(j, j + w))
    np.testing.assert_array_equal(z[window], a[window])
    assert z[i, j] == a[i, j]
    rows = np.asarray(data.draw(st.lists(st.integers(i, min(SHAPE[0] - 1, i + 20)), min_size=1, max_size=4)))
    np.testing.assert_array_equal(z.oindex[rows, j:j + w], a[np.ix_(rows, np.arange(SHAPE[1])[j:j + w])])
    np.testing.assert_array_equal(z[i:i + h:3, j::-7], a[i:i + h:3, j::-7])


def test_partial_decode_reads_less_than_the_chunk():
    z = zarr5.array(np.arange(10**6, dtype="i4").reshape(1000, 1000), chunks=(1000, 1000))
    span = z._io._partial_span((slice(10, 20), slice(0, 5)))
    assert span == (10 * 1000, 19 * 1000 + 5)
    assert z._io._partial_span((slice(0, 1000), slice(0, 5))) is None  # most of the chunk: decode it all


PIPELINE_DTYPES = ["u1", "<i2", ">i4", "<f8", ">c16", "S5", [("a", "<i2"), ("b", "S3")]]


@pytest.mark.parametrize("dtype", PIPELINE_DTYPES, ids=str)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("shuffle", [numcodecs.Blosc.NOSHUFFLE, numcodecs.Blosc.SHUFFLE,
                                     numcodecs.Blosc.BITSHUFFLE])
def test_decode_items_into_out_equals_the_full_decode(dtype, order, shuffle):
    # decoded straight into a reused buffer (the engine's per-thread scratch chunk), the items asked
    # for are those of the full decode, whatever the buffer held before
    shape = (90, 70)
    rng = np.random.default_rng(3)
    chunk = np.frombuffer(rng.integers(0, 256, size=np.dtype(dtype).itemsize * 90 * 70, dtype="u1").tobytes(),
                          dtype=dtype).reshape(shape)
    chunk = np.asarray(chunk, order=order)
    pipeline = ChunkPipeline(np.dtype(dtype), shape, order, None,
                             numcodecs.Blosc("lz4", 5, shuffle, blocksize=1024))
    assert pipeline.partial_decodable
    data = pipeline.encode(chunk)
    flat = _flat(pipeline.decode(data, "0.0"), order)
    out = np.empty(shape, dtype=dtype, order=order)
    _flat(out, order).view("u1")[...] = 0xAB  # stale contents must not leak into the items asked for
    for _ in range(40):
        start = int(rng.integers(0, flat.size))
        stop = int(rng.integers(start + 1, flat.size + 1))
        got = pipeline.decode_items(data, "0.0", start, stop, out=out)
        assert got is out
        np.testing.assert_array_equal(_flat(got, order)[start:stop], flat[start:stop])
        fresh = pipeline.decode_items(data, "0.0", start, stop)
        np.testing.assert_array_equal(_flat(fresh, order)[start:stop], flat[start:stop])


def test_decode_items_names_a_corrupt_chunk():
    pipeline = ChunkPipeline(np.dtype("i4"), (100, 100), "C", None, numcodecs.Blosc())
    data = bytearray(pipeline.encode(np.arange(10**4, dtype="i4").reshape(100, 100)))
    data[4:8] = (123).to_bytes(4, "little")  # the header now claims another decoded size
    with pytest.raises(CorruptChunkError, match="'3.4'"):
        pipeline.decode_items(bytes(data), "3.4", 0, 10, out=np.empty((100, 100), "i4"))


def _flat(a: np.ndarray, order: str) -> np.ndarray:
    return a.reshape(-1, order=order)


def _span_by_numpy(selection, shape, order):
    lows, highs = [], []
    for sel, n in zip(selection, shape):
        if isinstance(sel, slice):
            r = range(*sel.indices(n))
            lows.append(min(r[0], r[-1]))
            highs.append(max(r[0], r[-1]))
        elif isinstance(sel, int):
            lows.append(sel)
            highs.append(sel)
        else:
            lows.append(int(np.min(sel)))
            highs.append(int(np.max(sel)))
    return (int(np.ravel_multi_index(lows, shape, order=order)),
            int(np.ravel_multi_index(highs, shape, order=order)) + 1)


@pytest.mark.parametrize("order", ["C", "F"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_partial_span_covers_the_selection(order, data):
    shape = (60, 50, 40)
    z = zarr5.zeros(shape, chunks=shape, dtype="f8", order=order)
    selection = []
    for n in shape:
        kind = data.draw(st.sampled_from(["int", "slice", "array"]))
        if kind == "int":
            selection.append(data.draw(st.integers(0, n - 1)))
        elif kind == "slice":
            start = data.draw(st.integers(0, n - 1))
            stop = data.draw(st.integers(start + 1, n))
            step = data.draw(st.sampled_from([1, 2, 5]))
            selection.append(slice(start, stop, step) if data.draw(st.booleans())
                             else slice(stop - 1, (start - 1) if start else None, -step))
        else:
            selection.append(np.asarray(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=5))))
    selection = tuple(selection)
    expected = _span_by_numpy(selection, shape, order)
    span = z._io._partial_span(selection)
    if (expected[1] - expected[0]) * 2 <= z.size:
        assert span == expected
    else:
        assert span is None  # most of the chunk: decoded whole
    # whatever the path, the values are numpy's
    a = np.arange(z.size, dtype="f8").reshape(shape, order=order)
    z[...] = a
    np.testing.assert_array_equal(z.oindex[selection], _orthogonal(a, selection))


def _orthogonal(a: np.ndarray, selection: tuple) -> np.ndarray:
    # numpy's result of an orthogonal selection, one axis at a time from the last
    for axis in reversed(range(len(selection))):
        sel = selection[axis]
        a = a[(slice(None),) * axis + (sel,)] if isinstance(sel, slice) else np.take(a, sel, axis=axis)
    return a
