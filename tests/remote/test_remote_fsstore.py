"""FSStore without a network: the store contract on ``memory://``, URL resolution, chains, the cache."""

from __future__ import annotations

import pathlib
import pickle
import sys
import uuid
from collections.abc import Iterator

import numpy as np
import pytest

fsspec = pytest.importorskip("fsspec", reason="FSStore needs fsspec (pip install '.[test]')")

import zarr5  # noqa: E402
from zarr5.errors import ReadOnlyError  # noqa: E402
from zarr5.storage import FSStore, LRUStoreCache, normalize_store_arg  # noqa: E402

# the contract lives in tests/storage (a package named 'storage' under pytest's rootdir insertion)
_TESTS = str(pathlib.Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
from storage.contract import TREE, StoreContract  # noqa: E402


def _memory_url() -> str:
    return f"memory://zarr5-tests/{uuid.uuid4().hex}/data.zarr"


def _wipe(url: str) -> None:
    fs, path = fsspec.core.url_to_fs(url)
    if fs.exists(path):
        fs.rm(path, recursive=True)


@pytest.fixture
def url() -> Iterator[str]:
    url = _memory_url()
    yield url
    _wipe(url)


class TestFSStoreMemory(StoreContract):
    @pytest.fixture
    def store(self, url: str) -> FSStore:
        return FSStore(url)

    def reopen(self, store: FSStore) -> FSStore:
        store.close()
        return FSStore(store.url)

    def open_read_only(self, store: FSStore) -> FSStore:
        store.close()
        return FSStore(store.url, mode="r")


class TestFSStoreNested(StoreContract):
    @pytest.fixture
    def store(self, url: str) -> FSStore:
        return FSStore(url, key_separator="/")

    def reopen(self, store: FSStore) -> FSStore:
        store.close()
        return FSStore(store.url, key_separator="/")

    def open_read_only(self, store: FSStore) -> FSStore:
        store.close()
        return FSStore(store.url, key_separator="/", mode="r")


class TestFSStoreLocal(StoreContract):
    """``file://`` URLs: a file system with real directories (emptied ones must disappear)."""

    @pytest.fixture
    def store(self, tmp_path: pathlib.Path) -> FSStore:
        return FSStore((tmp_path / "data.zarr").as_uri())

    def reopen(self, store: FSStore) -> FSStore:
        store.close()
        return FSStore(store.url)

    def open_read_only(self, store: FSStore) -> FSStore:
        store.close()
        return FSStore(store.url, mode="r")


class TestLRUCacheOverFSStore(StoreContract):
    @pytest.fixture
    def store(self, url: str) -> LRUStoreCache:
        return LRUStoreCache(FSStore(url), max_size=2**20)

    def reopen(self, store: LRUStoreCache) -> LRUStoreCache:
        store.close()
        return LRUStoreCache(FSStore(store.store.url), max_size=2**20)

    def open_read_only(self, store: LRUStoreCache) -> LRUStoreCache:
        store.close()
        return LRUStoreCache(FSStore(store.store.url, mode="r"), max_size=2**20)


def test_urls_resolve_to_fsstore(url: str, tmp_path: pathlib.Path) -> None:
    store = normalize_store_arg(url, mode="r+")
    assert type(store) is FSStore and not store.read_only and store.path.endswith("/data.zarr")
    assert normalize_store_arg(url, mode="r").read_only
    local = normalize_store_arg((tmp_path / "x.zarr").as_uri(), mode="w")
    assert type(local) is FSStore and local.path == str(tmp_path / "x.zarr")
    chained = normalize_store_arg("simplecache::" + url, storage_options={"memory": {}})
    assert type(chained) is FSStore
    with pytest.raises(ValueError, match="invalid mode"):
        FSStore(url, mode="rw")


def test_storage_options_reach_the_file_system(tmp_path: pathlib.Path) -> None:
    # auto_mkdir=False is a LocalFileSystem option: the file system then refuses to write below a
    # missing directory, and the store makes the directories itself, as zarr-2's FSStore (FSMap) does
    store = normalize_store_arg((tmp_path / "x.zarr").as_uri(), storage_options={"auto_mkdir": False})
    assert store.fs.auto_mkdir is False
    with pytest.raises(FileNotFoundError):
        store.fs.pipe_file(f"{store.path}/a/b", b"1")
    store["a/b"] = b"1"
    store.set_many({"c/d/e": b"2"})
    assert (tmp_path / "x.zarr" / "a" / "b").read_bytes() == b"1" and sorted(store) == ["a/b", "c/d/e"]


def test_fs_and_storage_options_exclusive(url: str) -> None:
    fs = fsspec.filesystem("memory")
    store = FSStore(url.split("://", 1)[1], fs=fs)
    store["k"] = b"v"
    assert FSStore(url)["k"] == b"v"
    with pytest.raises(ValueError, match="both fs and storage_options"):
        FSStore(url, fs=fs, anon=True)


def test_create_and_check(tmp_path: pathlib.Path) -> None:
    missing = (tmp_path / "missing.zarr").as_uri()
    with pytest.raises(FileNotFoundError, match="create=True"):
        FSStore(missing, check=True)
    store = FSStore(missing, create=True, check=True)
    assert (tmp_path / "missing.zarr").is_dir() and store.listdir() == []


def test_read_only_store_refuses_writes(url: str) -> None:
    FSStore(url)["k"] = b"v"
    ro = FSStore(url, mode="r")
    with pytest.raises(ReadOnlyError, match="mode 'r'"):
        ro["k"] = b"w"
    assert ro["k"] == b"v"


def test_nested_key_separator_layout(url: str) -> None:
    store = FSStore(url, key_separator="/")
    assert store.dimension_separator == "/" and store.key_separator == "/"
    store["arr/1.2"] = b"c"
    store["arr/.zarray"] = b"{}"
    assert store["arr/1.2"] == b"c" and "arr/1.2" in store
    assert sorted(store) == ["arr/.zarray", "arr/1/2"]
    # arrays created here use '/' themselves, so their keys need no translation
    z = zarr5.zeros((4, 4), chunks=(2, 2), store=FSStore(_memory_url(), key_separator="/"))
    z[:] = 1
    assert z.nchunks_initialized == 4 and sorted(z.store.listdir())[:2] == [".zarray", "0"]


def test_flat_separator_default(url: str) -> None:
    store = FSStore(url)
    assert store.dimension_separator is None and store.key_separator == "."
    store["arr/1.2"] = b"c"
    assert list(store) == ["arr/1.2"]


def test_normalize_keys(url: str) -> None:
    store = FSStore(url, normalize_keys=True)
    store["Foo/BAR"] = b"1"
    assert store["foo/bar"] == b"1" and list(store) == ["foo/bar"]


def test_array_round_trip_through_url(url: str) -> None:
    z = zarr5.open_array(url, mode="w", shape=(10, 10), chunks=(3, 4), dtype="i4")
    z[:] = np.arange(100).reshape(10, 10)
    z.attrs["units"] = "m"
    assert type(z.store) is FSStore
    again = zarr5.open(url, mode="r")
    assert isinstance(again, zarr5.Array) and again.read_only
    np.testing.assert_array_equal(again[2:7, 1:9], np.arange(100).reshape(10, 10)[2:7, 1:9])
    assert again.attrs["units"] == "m" and again.nchunks_initialized == 12
    with pytest.raises(ReadOnlyError):
        again[0, 0] = 5


def test_group_consolidated_and_cache(url: str) -> None:
    root = zarr5.open_group(url, mode="w")
    for name in "abc":
        root.create_dataset(f"g/{name}", data=np.full(5, ord(name)), chunks=2)
    root["g"].attrs["n"] = 3
    zarr5.consolidate_metadata(url)
    consolidated = zarr5.open_consolidated(url)
    assert sorted(consolidated["g"]) == ["a", "b", "c"] and consolidated["g"].attrs["n"] == 3
    consolidated["g/b"][:] = 7  # data stay writable through the consolidated view
    cached = zarr5.open_group(LRUStoreCache(FSStore(url), max_size=None), mode="r")
    np.testing.assert_array_equal(cached["g/b"][:], np.full(5, 7))
    np.testing.assert_array_equal(cached["g/b"][:], np.full(5, 7))
    assert cached.store.hits > 0


def test_get_many_through_simplecache(url: str, tmp_path: pathlib.Path) -> None:
    FSStore(url).set_many({"a/0": b"0", "a/1": b"1"})
    chained = FSStore("simplecache::" + url, simplecache={"cache_storage": str(tmp_path / "cache")})
    # the caching layer fails whole batches over a missing file; the store still answers per key
    assert chained.get_many(["a/0", "a/missing", "a/1"]) == {"a/0": b"0", "a/1": b"1"}
    assert chained.listdir("a") == ["0", "1"]


def test_get_many_is_one_batched_call(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FSStore(url)
    store.set_many({f"c/{i}": bytes([i]) for i in range(50)})
    calls: list[int] = []
    original = store.fs.cat_ranges

    def counting(paths: list[str], *args: object, **kwargs: object) -> list:
        calls.append(len(paths))
        return original(paths, *args, **kwargs)

    monkeypatch.setattr(store.fs, "cat_ranges", counting)
    got = store.get_many([f"c/{i}" for i in range(60)])
    assert calls == [60] and len(got) == 50


def test_errors_other_than_missing_propagate(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FSStore(url)
    store.set_many({"a": b"1", "b": b"2"})

    def broken(paths: list[str], *args: object, **kwargs: object) -> list:
        return [b"1", ConnectionResetError("connection reset by peer")]

    monkeypatch.setattr(store.fs, "cat_ranges", broken)
    # a network failure is never taken for a missing chunk (which would read as fill values)
    with pytest.raises(ConnectionResetError):
        store.get_many(["a", "b"])
    monkeypatch.setattr(store.fs, "cat_file", lambda path: (_ for _ in ()).throw(TimeoutError("slow")))
    with pytest.raises(TimeoutError):
        store["a"]


def test_pickle_is_small_and_carries_no_data(url: str) -> None:
    z = zarr5.open_array(url, mode="w", shape=(1000, 1000), chunks=(100, 100), dtype="f8")
    z[:] = 1.5
    blob = pickle.dumps(z)
    assert len(blob) < 1000, len(blob)
    copy = pickle.loads(blob)
    assert copy.store == z.store and copy[999, 999] == 1.5


def test_repr_and_equality(url: str) -> None:
    store = FSStore(url)
    assert repr(store) == f"<zarr5.storage.FSStore: {url!r} mode='a'>"
    assert store == FSStore(url) and store != FSStore(url, mode="r")
    assert hash(store) == hash(FSStore(url))


def test_rmdir_never_removes_the_root(tmp_path: pathlib.Path) -> None:
    store = FSStore((tmp_path / "r.zarr").as_uri())
    for key, value in TREE.items():
        store[key] = value
    store.rmdir()
    assert (tmp_path / "r.zarr").is_dir() and list((tmp_path / "r.zarr").iterdir()) == []
