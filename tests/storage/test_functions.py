"""zarr-2's module-level storage functions and the BaseStore/Store contract users subclass.

Each function works on a zarr5 store, a plain ``dict`` and any other ``MutableMapping`` (worked on
in place), and a user's class that subclasses ``Store`` with only the mapping methods is a complete
store for the engine.
"""

from __future__ import annotations

import json
import shelve
from collections import Counter
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import numcodecs
import numpy as np
import pytest

import zarr5
from zarr5.core.initialize import contains_array, contains_group, init_array, init_group
from zarr5.errors import ContainsArrayError, ContainsGroupError, InvalidKeyError
from zarr5.metadata import Metadata2
from zarr5.storage import (
    BaseStore,
    DictStore,
    DirectoryStore,
    KVStore,
    MemoryStore,
    Store,
    getsize,
    listdir,
    normalize_storage_path,
    rename,
    rmdir,
)


class UserStore(Store):
    """What a zarr-2 user writes: the mapping methods only (and no call to Store.__init__)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.calls: Counter[str] = Counter()

    def __getitem__(self, key: str) -> bytes:
        self.calls["get"] += 1
        return self.data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = bytes(value)

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


class BatchingStore(UserStore):
    """A user store that batches reads in zarr-2's ``getitems``: the engine must use it."""

    def getitems(self, keys: Any, *, contexts: Any) -> dict[str, bytes]:
        self.calls["getitems"] += 1
        return {k: self.data[k] for k in keys if k in self.data}


class MappingOnly(MutableMapping):
    """A MutableMapping that is no zarr5 store (like a shelve or an fsspec mapper)."""

    def __init__(self) -> None:
        self.d: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        return self.d[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.d[key] = value

    def __delitem__(self, key: str) -> None:
        del self.d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.d)

    def __len__(self) -> int:
        return len(self.d)


def test_user_store_subclass_runs_arrays_and_groups() -> None:
    store = UserStore()
    assert store.is_readable() and store.is_writeable() and store.is_listable() and store.is_erasable()
    root = zarr5.group(store=store)
    z = root.zeros("a/b", shape=(10, 10), chunks=(5, 5), dtype="i4")
    z[2:8, 2:8] = 7
    assert sorted(store.data) == [".zgroup", "a/.zgroup", "a/b/.zarray", "a/b/0.0", "a/b/0.1", "a/b/1.0",
                                  "a/b/1.1"]
    assert zarr5.open_group(store, mode="r")["a/b"][...].sum() == 36 * 7
    # the hierarchy helpers come from the mapping methods
    assert store.listdir("a") == [".zgroup", "b"] and store.getsize("a/b") == sum(
        len(v) for k, v in store.data.items() if k.startswith("a/b/"))
    store.rename("a", "c")
    assert sorted(store.listdir()) == [".zgroup", "c"]
    store.rmdir("c")
    assert list(store.data) == [".zgroup"]
    # with-blocks nest: only the outermost exit closes
    with store, store:
        pass


def test_user_getitems_is_the_engine_batch_read() -> None:
    store = BatchingStore()
    z = zarr5.zeros(8, chunks=2, dtype="u1", store=store)
    z[:] = 3
    store.calls.clear()
    assert z[...].sum() == 24
    assert store.calls["getitems"] >= 1 and store.calls["get"] <= 1  # chunks came in batches


def test_metadata_class_of_stores() -> None:
    for store in (KVStore({}), MemoryStore(), UserStore()):
        assert store._metadata_class is Metadata2
        init_array(store, shape=(4,), chunks=(2,), dtype="<u2", fill_value=None)
        meta = store._metadata_class.decode_array_metadata(store[".zarray"])
        assert meta["shape"] == (4,) and meta["dtype"] == np.dtype("<u2") and meta["fill_value"] is None


def test_ensure_store() -> None:
    kv = Store._ensure_store({"a": b"1"})
    assert isinstance(kv, KVStore) and kv["a"] == b"1"
    store = MemoryStore()
    assert Store._ensure_store(store) is store
    for bad in (None, object(), 42):
        with pytest.raises(ValueError, match="cannot use"):
            Store._ensure_store(bad)
    assert issubclass(Store, BaseStore)


@pytest.mark.parametrize("kind", ["dict", "mapping", "store"])
def test_init_on_any_mapping(kind: str) -> None:
    target: Any = {"dict": dict, "mapping": MappingOnly, "store": MemoryStore}[kind]()
    init_array(target, shape=100, chunks=10, dtype="i2", path="a/b", compressor=numcodecs.Zlib(1))
    assert sorted(target) == [".zgroup", "a/.zgroup", "a/b/.zarray"]
    meta = json.loads(target["a/b/.zarray"])
    assert meta["fill_value"] is None and meta["compressor"] == {"id": "zlib", "level": 1}
    assert contains_array(target, "a/b") and contains_group(target, "a") and contains_group(target)
    assert not contains_array(target, "a") and not contains_group(target, "a/b")
    with pytest.raises(ContainsArrayError):
        init_array(target, shape=5, path="a/b")
    with pytest.raises(ContainsGroupError):
        init_group(target, path="a")
    # overwrite replaces the array with a group; an array where a parent must be becomes a group
    init_group(target, path="a/b", overwrite=True)
    assert contains_group(target, "a/b") and "a/b/.zarray" not in target
    init_array(target, shape=3, path="x", chunk_store=None)
    init_array(target, shape=3, path="x/y", overwrite=True)
    assert contains_group(target, "x") and contains_array(target, "x/y")
    # the array these wrote opens through the API (a dict is wrapped, written in place)
    z = zarr5.open_array(target, path="x/y", mode="r+")
    z[:] = 5
    assert "x/y/0" in target


def test_init_array_overwrite_clears_the_chunk_store() -> None:
    store, chunks = {}, {}
    init_array(store, shape=4, chunks=2, chunk_store=chunks)
    chunks.update({"0": b"a", "1": b"b"})
    init_array(store, shape=8, chunks=4, dtype="i4", overwrite=True, chunk_store=chunks)
    assert chunks == {} and json.loads(store[".zarray"])["shape"] == [8]


def test_module_functions_on_plain_mappings(tmp_path: Path) -> None:
    plain = {"a": b"xx", "c/d": b"yyy", "c/e/f": b"z"}
    with pytest.warns(UserWarning, match="has no `listdir`"):
        assert listdir(plain) == ["a", "c"]
    with pytest.warns(UserWarning):
        assert listdir(plain, "/c/") == ["d", "e"]
    # getsize counts one level, as zarr-2 does
    assert getsize(plain) == 2 and getsize(plain, "c") == 3 and getsize(plain, "c/d") == 3
    assert getsize({"n": None}) == -1 and getsize(object()) == -1
    rename(plain, "c", "k/l")
    assert sorted(plain) == ["a", "k/l/d", "k/l/e/f"]
    rmdir(plain, "k")
    assert plain == {"a": b"xx"}
    with shelve.open(str(tmp_path / "shelf")) as shelf:  # any MutableMapping
        shelf["g/1"] = b"1"
        shelf["g/2"] = b"22"
        assert getsize(shelf, "g") == 3
        rmdir(shelf, "g")
        assert len(shelf) == 0
    # stores are asked directly
    store = DirectoryStore(tmp_path / "d")
    store["p/q"] = b"1234"
    assert listdir(store, "p") == ["q"] and getsize(store, "p") == 4
    rename(store, "p", "r")
    assert list(store) == ["r/q"]
    rmdir(store)
    assert list(store) == []


@pytest.mark.parametrize(("path", "expected"), [
    (None, ""), ("", ""), ("/", ""), ("//a//b//", "a/b"), ("a\\b", "a/b"), (b"a/b", "a/b"), ("a..b", "a..b"),
])
def test_normalize_storage_path(path: Any, expected: str) -> None:
    assert normalize_storage_path(path) == expected


@pytest.mark.parametrize("path", ["a/../b", "./a", "..", "a/."])
def test_normalize_storage_path_names_bad_paths(path: str) -> None:
    with pytest.raises(InvalidKeyError, match=repr(path).replace("\\", "\\\\").replace(".", r"\.")):
        normalize_storage_path(path)
    with pytest.raises(ValueError):
        init_array({}, shape=1, path=path)


def test_bad_keys_are_named_and_nothing_is_written() -> None:
    store: dict = {}
    init_group(store)
    before = dict(store)
    with pytest.raises(InvalidKeyError, match=r"'a/\.\./\.\./x'"):
        rename(KVStore(store), "a/../../x", "b")
    with pytest.raises(InvalidKeyError, match="'/abs/../x'"):
        rmdir(MemoryStore(store), "/abs/../x")
    assert store == before


def test_dictstore_is_a_deprecated_memorystore() -> None:
    with pytest.warns(DeprecationWarning, match="MemoryStore"):
        store = DictStore()
    assert isinstance(store, MemoryStore)


class MappingLike:
    """Not a MutableMapping, but has the methods zarr-2 asks for (keys, values, get, [], del, in)."""

    def __init__(self) -> None:
        self.inner: dict[str, bytes] = {}

    def keys(self) -> Any:
        return self.inner.keys()

    def values(self) -> Any:
        return self.inner.values()

    def get(self, key: str, default: Any = None) -> Any:
        return self.inner.get(key, default)

    def __getitem__(self, key: str) -> bytes:
        return self.inner[key]

    def __setitem__(self, key: str, value: bytes) -> None:
        self.inner[key] = value

    def __delitem__(self, key: str) -> None:
        del self.inner[key]

    def __contains__(self, key: object) -> bool:
        return key in self.inner


def test_mapping_like_objects_work_as_stores() -> None:
    target = MappingLike()
    z = zarr5.zeros(10, chunks=5, dtype="u1", store=target)
    z[:] = 2
    assert sorted(target.inner) == [".zarray", "0", "1"] and z.nchunks_initialized == 2
    assert isinstance(Store._ensure_store(target), KVStore) and len(Store._ensure_store(target)) == 3
    init_array(MappingLike(), shape=4)
    with pytest.raises(ValueError, match="cannot use"):
        Store._ensure_store(object())


def test_fsspec_mapper_becomes_an_fsstore(tmp_path: Path) -> None:
    import fsspec

    from zarr5.storage import FSStore, normalize_store_arg

    mapper = fsspec.get_mapper(str(tmp_path / "m"))
    group = zarr5.group(store=mapper)
    assert isinstance(group.store, FSStore) and group.store.map is mapper
    group.zeros("a", shape=4, chunks=2)[:] = 1
    assert sorted(mapper) == [".zgroup", "a/.zarray", "a/0", "a/1"]  # the same files
    assert isinstance(normalize_store_arg(fsspec.get_mapper(str(tmp_path / "m"))), FSStore)
    with pytest.raises(ValueError, match="zarr_version"):
        normalize_store_arg({}, zarr_version=4)


def test_array_separator_may_not_contradict_the_store(tmp_path: Path) -> None:
    from zarr5.storage import NestedDirectoryStore

    with pytest.raises(ValueError, match="conflicts with the store's separator '/'"):
        zarr5.zeros(4, store=NestedDirectoryStore(tmp_path / "n"), dimension_separator=".")
    assert list(NestedDirectoryStore(tmp_path / "n")) == []  # nothing written
    assert zarr5.zeros(4, store=NestedDirectoryStore(tmp_path / "n"), dimension_separator="/").shape == (4,)
