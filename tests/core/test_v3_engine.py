"""Zarr v3 through the engine: creation, detection, every indexing mode, sharded partial I/O."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zarr5
from zarr5.storage import MemoryStore


class RangeCountingStore(MemoryStore):
    """Records whole-value reads and byte-range reads of chunk/shard keys."""

    def __init__(self) -> None:
        super().__init__()
        self.whole: list[str] = []
        self.ranges: list[tuple[str, int, int | None]] = []
        self.writes: list[str] = []

    def __getitem__(self, key):
        if "/c/" in "/" + key:
            self.whole.append(key)
        return super().__getitem__(key)

    def get_partial_values(self, ranges):
        ranges = list(ranges)
        self.ranges.extend(ranges)
        return [None if k not in self else _cut(MemoryStore.__getitem__(self, k), s, n) for k, s, n in ranges]

    def __setitem__(self, key, value):
        if "/c/" in "/" + key:
            self.writes.append(key)
        super().__setitem__(key, value)


def _cut(value, start, length):
    start = max(0, len(value) + start) if start < 0 else start
    return value[start:] if length is None else value[start:start + length]


@pytest.mark.parametrize("kwargs", [
    {},
    {"order": "F"},
    {"shards": (4, 6)},
    {"shards": (4, 6), "chunk_key_encoding": ("v2", ".")},
    {"compressor": None},
])
def test_v3_roundtrip_and_detection(tmp_path, kwargs):
    path = str(tmp_path / "a.zarr")
    data = np.arange(90, dtype="<i4").reshape(9, 10)
    z = zarr5.open_array(path, mode="w", shape=data.shape, chunks=(2, 3), dtype="i4", zarr_format=3,
                         fill_value=-1, **kwargs)
    z[:] = data
    z.attrs["units"] = "m"
    doc = json.loads((tmp_path / "a.zarr" / "zarr.json").read_text())
    assert doc["zarr_format"] == 3 and doc["node_type"] == "array" and doc["attributes"] == {"units": "m"}
    r = zarr5.open(path, mode="r")
    assert r.zarr_format == 3 and r.chunks == (2, 3)
    np.testing.assert_array_equal(r[:], data)
    np.testing.assert_array_equal(r.oindex[[0, 8], [1, 9]], data[np.ix_([0, 8], [1, 9])])
    np.testing.assert_array_equal(r.vindex[[0, 8], [1, 9]], data[[0, 8], [1, 9]])
    z.resize(10, 10)
    assert z[9, 9] == -1 and dict(z.attrs) == {"units": "m"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_sharded_reads_and_writes_match_numpy(data):
    shape = tuple(data.draw(st.lists(st.integers(1, 9), min_size=1, max_size=3)))
    inner = tuple(data.draw(st.integers(1, 3)) for _ in shape)
    shards = tuple(i * data.draw(st.integers(1, 3)) for i in inner)
    expected = np.arange(int(np.prod(shape)), dtype="f8").reshape(shape)
    z = zarr5.zeros(shape, chunks=inner, shards=shards, dtype="f8", zarr_format=3,
                    write_empty_chunks=data.draw(st.booleans()))
    z[...] = expected
    sel = tuple(slice(data.draw(st.integers(0, n - 1)), None, data.draw(st.integers(1, 2))) for n in shape)
    np.testing.assert_array_equal(z[sel], expected[sel])
    value = data.draw(st.floats(-5, 5, allow_nan=False))
    z[sel] = value
    expected[sel] = value
    np.testing.assert_array_equal(z[...], expected)
    mask = expected > 3
    np.testing.assert_array_equal(z.vindex[mask], expected[mask])


def test_sharded_read_fetches_index_and_only_needed_inner_chunks():
    store = RangeCountingStore()
    z = zarr5.zeros((100, 100), chunks=(10, 10), shards=(50, 50), dtype="i4", zarr_format=3, store=store)
    z[:] = np.arange(10000).reshape(100, 100)
    store.whole.clear()
    store.ranges.clear()
    assert z[12, 13] == 1213
    assert store.whole == []
    assert len(store.ranges) == 2  # the shard's index, then one inner chunk
    index_read, chunk_read = store.ranges
    assert index_read[0] == "c/0/0" and index_read[1] < 0  # the index sits at the end of the shard
    assert chunk_read[2] < 500  # one compressed 10x10 chunk, not the 50x50 shard


def test_shard_write_rewrites_only_the_touched_shard_and_keeps_other_inner_chunks():
    store = RangeCountingStore()
    z = zarr5.zeros((100, 100), chunks=(10, 10), shards=(50, 50), dtype="i4", zarr_format=3, store=store)
    z[:] = 1
    before = {k: store[k] for k in list(store) if k.startswith("c/")}
    store.writes.clear()
    z[0, 0] = 7
    assert store.writes == ["c/0/0"]
    after = {k: MemoryStore.__getitem__(store, k) for k in list(store) if k.startswith("c/")}
    assert all(after[k] == before[k] for k in before if k != "c/0/0")
    assert z[0, 0] == 7 and z[0, 1] == 1 and z[49, 49] == 1


def test_v3_groups_attributes_and_members(tmp_path):
    path = str(tmp_path / "g.zarr")
    g = zarr5.open_group(path, mode="w", zarr_format=3)
    g.attrs.update(title="t", n=1)
    g.zeros("a/b", shape=4, chunks=2)
    assert json.loads((tmp_path / "g.zarr" / "a" / "zarr.json").read_text())["node_type"] == "group"
    r = zarr5.open_group(path, mode="r")
    assert r.zarr_format == 3 and dict(r.attrs) == {"title": "t", "n": 1}
    assert r["a/b"].zarr_format == 3 and list(r.keys()) == ["a"]
    assert [n for n, _ in r.arrays(recurse=True)] == ["b"]


def test_v3_refuses_what_it_cannot_express():
    import numcodecs

    with pytest.raises(ValueError, match="v3"):
        zarr5.zeros(4, dtype="i4,(2,)f8", zarr_format=3)  # structured items with a sub-array field
    with pytest.raises(ValueError, match="v3"):
        zarr5.zeros(4, dtype=object, object_codec=numcodecs.JSON(), zarr_format=3)  # objects but strings
    with pytest.raises(ValueError, match="filters"):
        zarr5.zeros(4, filters=[numcodecs.Delta("i4")], dtype="i4", zarr_format=3)
    with pytest.raises(ValueError, match="zarr_format=3"):
        zarr5.zeros(4, shards=(4,))


def test_structured_items_in_v3():
    # zarr-python 3's 'structured' data type: fields of v3 types
    z = zarr5.zeros(4, chunks=3, dtype="i4,f8", zarr_format=3)
    z[1] = (7, 2.5)
    assert z[...].tolist() == [(0, 0.0), (7, 2.5), (0, 0.0), (0, 0.0)]
    assert z.dtype == np.dtype("i4,f8")


def test_tensorstore_reads_zarr5_v3_and_zarr5_reads_tensorstore(tmp_path):
    ts = pytest.importorskip("tensorstore")
    data = np.arange(60, dtype="<f8").reshape(6, 10)
    mine = str(tmp_path / "mine.zarr")
    z = zarr5.open_array(mine, mode="w", shape=data.shape, chunks=(2, 5), shards=(4, 10), dtype="f8",
                         zarr_format=3)
    z[:] = data
    got = ts.open({"driver": "zarr3", "kvstore": {"driver": "file", "path": mine}}).result().read().result()
    np.testing.assert_array_equal(got, data)
    theirs = str(tmp_path / "theirs.zarr")
    spec = {"driver": "zarr3", "kvstore": {"driver": "file", "path": theirs},
            "metadata": {"shape": [6, 10], "data_type": "int16",
                         "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [4, 10]}},
                         "codecs": [{"name": "sharding_indexed", "configuration": {
                             "chunk_shape": [2, 5], "codecs": [{"name": "bytes"}, {"name": "gzip"}],
                             "index_codecs": [{"name": "bytes"}, {"name": "crc32c"}]}}]}}
    t = ts.open(spec, create=True).result()
    t.write(data.astype("i2")).result()
    np.testing.assert_array_equal(zarr5.open(theirs, mode="r")[:], data.astype("i2"))
