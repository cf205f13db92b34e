"""zarr5 against a real S3 server on loopback (moto over HTTP, see conftest.py): requests are counted
on the server, so every "one request" below is a measured count, not an estimate."""

from __future__ import annotations

import pathlib
import pickle
import sys
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import pytest

import zarr5
from zarr5.storage import FSStore, LRUStoreCache, MemoryStore

if TYPE_CHECKING:  # the fixture's type, for annotations only: conftest is not importable as a module
    from conftest import S3Server

pytest.importorskip("s3fs", reason="the S3 tests need s3fs (pip install '.[test]')")

# the store contract lives in tests/storage (a package named 'storage' under pytest's rootdir insertion)
_TESTS = str(pathlib.Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
from storage.contract import StoreContract  # noqa: E402


def _url(bucket: str, path: str = "data.zarr") -> str:
    return f"s3://{bucket}/{path}"


def _methods(server: S3Server) -> Counter:
    return Counter(method for method, _ in server.log())


class TestFSStoreOnS3(StoreContract):
    """The whole store contract, against the server."""

    @pytest.fixture
    def store(self, s3_options: dict, bucket: str) -> FSStore:
        return FSStore(_url(bucket), **s3_options)

    def reopen(self, store: FSStore) -> FSStore:
        return FSStore(store.url, **store.fs.storage_options)

    def open_read_only(self, store: FSStore) -> FSStore:
        return FSStore(store.url, mode="r", **store.fs.storage_options)


def test_write_read_list(s3_server: S3Server, s3_options: dict, bucket: str) -> None:
    url = _url(bucket)
    root = zarr5.open_group(url, mode="w", storage_options=s3_options)
    data = np.arange(60 * 70, dtype="f4").reshape(60, 70)
    root.create_dataset("temp", data=data, chunks=(16, 16), compressor=None)
    root.create_group("sub").attrs["title"] = "nested"
    assert isinstance(root.store, FSStore)

    again = zarr5.open_group(url, mode="r", storage_options=s3_options)
    assert sorted(again) == ["sub", "temp"] and again["sub"].attrs["title"] == "nested"
    z = again["temp"]
    s3_server.reset_log()
    s3_server.hold = 0.05
    try:
        np.testing.assert_array_equal(z[5:50, 3:66], data[5:50, 3:66])
    finally:
        s3_server.hold = 0.0
    # every chunk the selection touches is one GET, fetched concurrently, and nothing else is asked
    assert _methods(s3_server) == Counter(GET=4 * 5)
    assert s3_server.max_in_flight > 1
    s3_server.reset_log()
    assert z.nchunks_initialized == 4 * 5
    assert len(s3_server.log()) == 1  # one listing, not one probe per chunk


def test_writes_are_batched(s3_server: S3Server, s3_options: dict, bucket: str) -> None:
    z = zarr5.open_array(_url(bucket), mode="w", shape=(100,), chunks=(10,), dtype="i8",
                         storage_options=s3_options)
    s3_server.reset_log()
    z[:] = np.arange(100)
    # whole chunks are encoded without reading them: ten PUTs, sent concurrently
    assert _methods(s3_server) == Counter(PUT=10)
    s3_server.reset_log()
    z[:] = 0  # chunks equal to the fill value... are still written (write_empty_chunks=True)
    assert _methods(s3_server) == Counter(PUT=10)
    np.testing.assert_array_equal(zarr5.open_array(_url(bucket), mode="r", storage_options=s3_options)[:],
                                  np.zeros(100))
    e = zarr5.open_array(_url(bucket, "sparse.zarr"), mode="w", shape=(100,), chunks=(10,), dtype="i8",
                         write_empty_chunks=False, storage_options=s3_options)
    e[:] = 1
    s3_server.reset_log()
    e[:] = 0
    assert _methods(s3_server) == Counter(POST=1)  # ten chunk deletions in one DeleteObjects request
    assert e.nchunks_initialized == 0


def test_listing_is_one_request_per_call(s3_server: S3Server, s3_options: dict, bucket: str) -> None:
    s3_server.seed(bucket, {f"data.zarr/g/a{i:03d}/{j}": b"x" for i in range(120) for j in range(3)})
    store = FSStore(_url(bucket), **s3_options)
    s3_server.reset_log()
    assert len(store.listdir("g")) == 120
    assert len(store.list_prefix("g")) == 360 and len(store) == 360
    assert store.getsize("g") == 0 and store.getsize("g/a007") == 3 and store.getsize("g/a007/2") == 1
    assert len(s3_server.log()) == 6  # one listing per call, a single key's size included


def test_consolidated_open_of_1000_arrays_is_one_get(s3_server: S3Server, s3_options: dict,
                                                     bucket: str) -> None:
    # built in memory, then placed in the bucket on the server side: 2,000 PUTs over HTTP would take
    # moto ~15 s, and what is measured here is the reading side
    local = MemoryStore()
    root = zarr5.group(store=local)
    root.attrs["title"] = "survey"
    for g in range(10):
        grp = root.create_group(f"g{g}")
        grp.attrs["index"] = g
        for a in range(100):
            arr = grp.zeros(f"a{a:03d}", shape=(10,), chunks=(5,), dtype="i2")
            arr.attrs["id"] = g * 100 + a
    zarr5.consolidate_metadata(local)
    url = _url(bucket, "survey.zarr")
    s3_server.seed(bucket, {f"survey.zarr/{key}": value for key, value in local.items()})

    s3_server.reset_log()
    top = zarr5.open_consolidated(url, mode="r", storage_options=s3_options)
    ids = []
    groups = 0
    for _, grp in top.groups():
        groups += grp.attrs["index"] >= 0
        for _, arr in grp.arrays():
            assert arr.shape == (10,) and arr.dtype == np.dtype("i2")
            ids.append(arr.attrs["id"])
    assert top.attrs["title"] == "survey" and groups == 10
    assert sorted(ids) == list(range(1000))
    assert s3_server.log() == [("GET", f"/{bucket}/survey.zarr/.zmetadata")]

    # without consolidation every document is at least one request of its own (20 arrays suffice)
    s3_server.reset_log()
    plain = zarr5.open_group(url, mode="r", storage_options=s3_options)["g3"]
    assert [plain[f"a{a:03d}"].attrs["id"] for a in range(20)] == list(range(300, 320))
    assert len(s3_server.log()) >= 2 * 20


def test_consolidate_on_the_bucket(s3_options: dict, bucket: str) -> None:
    url = _url(bucket)
    root = zarr5.open_group(url, mode="w", storage_options=s3_options)
    root.create_dataset("x", data=np.arange(10), chunks=4)
    root.attrs["a"] = 1
    opened = zarr5.consolidate_metadata(url, storage_options=s3_options)
    assert sorted(opened) == ["x"]
    reopened = zarr5.open_consolidated(url, storage_options=s3_options)
    reopened["x"][:2] = [7, 8]  # data stay writable; metadata come from .zmetadata
    with pytest.raises(PermissionError):
        reopened.attrs["a"] = 2
    np.testing.assert_array_equal(zarr5.open_array(url, path="x", mode="r", storage_options=s3_options)[:4],
                                  [7, 8, 2, 3])


def test_lru_cache_over_s3(s3_server: S3Server, s3_options: dict, bucket: str) -> None:
    z = zarr5.open_array(_url(bucket), mode="w", shape=(40, 40), chunks=(10, 10), dtype="u1",
                         storage_options=s3_options)
    z[:] = 3
    cached = zarr5.open_array(LRUStoreCache(FSStore(_url(bucket), **s3_options), max_size=2**20), mode="r")
    assert cached[:].sum() == 3 * 1600
    s3_server.reset_log()
    assert cached[:].sum() == 3 * 1600
    assert s3_server.log() == []


def test_simplecache_chain(s3_options: dict, bucket: str, tmp_path: pathlib.Path) -> None:
    url = _url(bucket)
    zarr5.open_array(url, mode="w", shape=(8,), chunks=(4,), dtype="i4", storage_options=s3_options)[:] = 5
    options = {"s3": s3_options, "simplecache": {"cache_storage": str(tmp_path)}}
    z = zarr5.open_array("simplecache::" + url, mode="r", storage_options=options)
    np.testing.assert_array_equal(z[:], np.full(8, 5))
    assert any(tmp_path.iterdir())  # chunks were cached on local disk


def test_copy_all_from_hdf5_into_the_bucket(s3_options: dict, bucket: str, tmp_path: pathlib.Path) -> None:
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "source.h5"
    temp = np.linspace(0, 1, 3000, dtype="f8").reshape(30, 100)
    with h5py.File(path, "w") as f:
        f.attrs["experiment"] = "run 7"
        f.create_dataset("temperature", data=temp, chunks=(10, 50), compression="gzip")
        grp = f.create_group("meta")
        grp.create_dataset("ids", data=np.arange(17, dtype="i4"))
        grp.attrs["count"] = 17
    url = _url(bucket, "x.zarr")
    with h5py.File(path, "r") as f:
        n_copied, n_skipped, n_bytes = zarr5.copy_all(
            f, zarr5.open_group(url, mode="w", storage_options=s3_options))
    assert n_copied == 3 and n_skipped == 0 and n_bytes > 0
    out = zarr5.open_group(url, mode="r", storage_options=s3_options)
    assert out.attrs["experiment"] == "run 7" and out["meta"].attrs["count"] == 17
    np.testing.assert_array_equal(out["temperature"][:], temp)
    np.testing.assert_array_equal(out["meta/ids"][:], np.arange(17))
    assert out["temperature"].chunks == (10, 50)


def test_h5py_vocabulary_on_the_bucket(s3_options: dict, bucket: str) -> None:
    url = _url(bucket, "file.zarr")
    with zarr5.File(url, "w", storage_options=s3_options) as f:
        f.create_dataset("grid", data=np.eye(4), chunks=(2, 2))
        f.attrs["source"] = "h5py style"
    with zarr5.File(url, "r", storage_options=s3_options) as f:
        np.testing.assert_array_equal(f["grid"][:], np.eye(4))
        assert f.attrs["source"] == "h5py style" and f.filename == url
    # the same bytes through the zarr vocabulary
    assert zarr5.open_group(url, mode="r", storage_options=s3_options)["grid"].chunks == (2, 2)
    with pytest.raises(FileExistsError):
        zarr5.File(url, "w-", storage_options=s3_options)
    with pytest.raises(OSError, match="no zarr group"):
        zarr5.File(_url(bucket, "missing.zarr"), "r", storage_options=s3_options)


def test_server_stopped_mid_read(s3_server: S3Server, s3_options: dict, bucket: str) -> None:
    url = _url(bucket)
    data = np.arange(100 * 100, dtype="i4").reshape(100, 100)
    z = zarr5.open_array(url, mode="w", shape=data.shape, chunks=(10, 10), dtype="i4",
                         storage_options=s3_options)
    z[:] = data
    before = sorted(FSStore(url, **s3_options))
    reader = zarr5.open_array(url, mode="r", storage_options=s3_options)
    s3_server.reset_log()
    s3_server.stop_after = 30  # the server goes away after answering 30 of the 100 chunk GETs
    with pytest.raises(Exception) as info:
        reader[:]
    # a clear connection error naming the endpoint, never a KeyError that reads as fill values
    assert not isinstance(info.value, KeyError)
    assert "Could not connect" in str(info.value) or "connect" in str(info.value).lower(), info.value
    assert s3_server.endpoint_url.split("//")[1] in str(info.value)
    with pytest.raises(Exception, match="(?i)connect"):
        z[0, 0] = -1  # a write during the outage fails just as clearly
    served = len(s3_server.log())
    assert 30 < served < 100

    s3_server.start()  # same port, same buckets: nothing was lost or half-written
    assert sorted(FSStore(url, **s3_options)) == before
    np.testing.assert_array_equal(zarr5.open_array(url, mode="r", storage_options=s3_options)[:], data)


def test_pickled_s3_array_is_small(s3_options: dict, bucket: str) -> None:
    z = zarr5.open_array(_url(bucket), mode="w", shape=(500, 500), chunks=(100, 100), dtype="f8",
                         storage_options=s3_options)
    z[:] = 2.0
    blob = pickle.dumps(z)
    assert len(blob) < 2000, len(blob)
    assert pickle.loads(blob)[499, 499] == 2.0
