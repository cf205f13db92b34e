"""Small selections of large Blosc chunks decompress only part of the chunk; results equal numpy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zarr5

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
