"""The store contract: one test class every backend runs, supplying only fixtures.

A backend's test module subclasses :class:`StoreContract` and provides a ``store`` fixture (a new,
empty, writable store). Optional hooks switch on the tests that need them:

- ``reopen(store)``: close ``store`` and return a new store over the same data (persistent stores);
- ``open_read_only(store)``: close ``store`` and return a read-only store over the same data;
- class attributes ``picklable``, ``can_delete`` (False: deleting a stored key raises
  NotImplementedError, e.g. ZIP) and ``warns_on_overwrite``;
- ``no_read_only``, ``no_persistence``, ``no_delete``: why a hook above is absent, the skip's reason
  (say what the store lacks, so the reason is one a user can check).
"""

from __future__ import annotations

import array
import contextlib
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zarr5.errors import InvalidKeyError, ReadOnlyError
from zarr5.storage import Store

BAD_KEYS = ["../x", "a/../../x", "..", "/abs", "a\\b", "a\x00b", "a//b", "", "a/", "./a", "a/./b", "."]

TREE = {
    ".zgroup": b'{"zarr_format": 2}',
    "a/.zgroup": b'{"zarr_format": 2}',
    "a/b/.zarray": b"{}",
    "a/b/0": b"chunk-00",
    "a/b/1": b"chunk-01!",
    "a/c": b"x" * 100,
    "d/e/f/g": b"deep",
}

segment = st.sampled_from(["a", "b", "c", "0", "x.1", ".zarray", "x y", "é"])
key_strategy = st.lists(segment, min_size=1, max_size=4).map("/".join)


def _model_listdir(keys: set[str], path: str) -> list[str]:
    prefix = path + "/" if path else ""
    return sorted({k[len(prefix):].split("/")[0] for k in keys if k.startswith(prefix)})


class StoreContract:
    picklable = True
    can_delete = True
    warns_on_overwrite = False
    no_read_only = ""
    no_persistence = ""
    no_delete = ""

    @pytest.fixture
    def store(self) -> Store:
        raise NotImplementedError("each backend supplies a `store` fixture")

    def reopen(self, store: Store) -> Store | None:
        return None

    def open_read_only(self, store: Store) -> Store | None:
        return None

    # helpers
    def _overwrite(self, store: Store, key: str, value: bytes) -> None:
        ctx = pytest.warns(UserWarning) if self.warns_on_overwrite else contextlib.nullcontext()
        with ctx:
            store[key] = value

    def _fill(self, store: Store, tree: dict[str, bytes] = TREE) -> None:
        for key, value in tree.items():
            store[key] = value

    def _require_delete(self, store: Store, key: str = "a/c") -> None:
        if not self.can_delete:
            self._fill(store)
            with pytest.raises(NotImplementedError):
                del store[key]
            pytest.skip(self.no_delete or f"{type(store).__name__} cannot delete keys (it raised "
                        "NotImplementedError, checked above)")

    # the mapping
    def test_is_store(self, store: Store) -> None:
        assert isinstance(store, Store)
        assert len(store) == 0 and list(store) == [] and store.listdir() == []
        assert not store.read_only
        assert type(store).__name__ in repr(store)

    def test_set_get_contains(self, store: Store) -> None:
        store["foo"] = b"bar"
        store["a/b/c"] = b""
        assert store["foo"] == b"bar" and type(store["foo"]) is bytes
        assert store["a/b/c"] == b""
        assert "foo" in store and "a/b/c" in store
        assert "nope" not in store and "a/b" not in store and "a" not in store
        assert 42 not in store  # never raises

    def test_may_hold_keys_never_denies_a_stored_key(self, store: Store) -> None:
        store["a/b/k"] = b"0"
        store["c"] = b"1"
        for path in ("", "a", "a/b"):
            assert store.may_hold_keys(path) is True, path
        # False (allowed, not required) only where no key lives: then writing there works as usual
        for path in ("x", "a/x", "c/x"):
            if not store.may_hold_keys(path):
                assert not store.list_prefix(path), path
        store["x/y/k"] = b"2"
        assert store["x/y/k"] == b"2" and store.may_hold_keys("x/y")

    def test_overwrite(self, store: Store) -> None:
        store["k"] = b"first value"
        self._overwrite(store, "k", b"2nd")
        assert store["k"] == b"2nd"
        assert len(store) == 1

    def test_write_back_stores_like_setitem(self, store: Store) -> None:
        # a chunk cache's write-back: a new key, then replacements of keys sharing a directory
        store.write_back("w/0", b"new key")
        assert store["w/0"] == b"new key"
        store["w/1"] = b"x" * 100
        ctx = pytest.warns(UserWarning) if self.warns_on_overwrite else contextlib.nullcontext()
        with ctx:
            for i in range(6):
                store.write_back(f"w/{i % 2}", bytes([i]) * (50 + 40 * (i % 3)))
        assert store["w/0"] == bytes([4]) * 90 and store["w/1"] == bytes([5]) * 130
        assert sorted(store) == ["w/0", "w/1"] and store.listdir("w") == ["0", "1"]
        reopened = self.reopen(store)
        if reopened is not None:
            assert reopened["w/0"] == bytes([4]) * 90 and sorted(reopened) == ["w/0", "w/1"]

    def test_iter_len_keys(self, store: Store) -> None:
        self._fill(store)
        assert sorted(store) == sorted(TREE)
        assert len(store) == len(TREE)
        assert dict(store.items()) == TREE

    def test_unicode_key(self, store: Store) -> None:
        store["grüße/αβ"] = b"v"
        assert store["grüße/αβ"] == b"v"
        assert store.listdir() == ["grüße"] and store.listdir("grüße") == ["αβ"]

    @pytest.mark.parametrize("value", [
        bytearray(b"\x00\x01\x02"), memoryview(b"abcdef")[1:4], np.arange(6, dtype="<u2"),
        np.arange(12, dtype="<f8").reshape(3, 4)[:, 1], array.array("b", [1, -2, 3]), b"",
    ], ids=["bytearray", "memoryview", "ndarray", "strided-ndarray", "array.array", "empty"])
    def test_bytes_like_values(self, store: Store, value: object) -> None:
        expected = value.tobytes() if hasattr(value, "tobytes") else bytes(value)
        store["v"] = value
        assert store["v"] == expected and type(store["v"]) is bytes

    @pytest.mark.parametrize("value", ["text", 42, np.array([None, 1], dtype=object)],
                             ids=["str", "int", "object-array"])
    def test_refuses_non_buffers(self, store: Store, value: object) -> None:
        with pytest.raises(TypeError):
            store["v"] = value
        assert "v" not in store

    def test_missing_key(self, store: Store) -> None:
        with pytest.raises(KeyError):
            store["missing"]
        with pytest.raises(KeyError):
            store["a/b/missing"]
        store["a/b/c"] = b"x"
        with pytest.raises(KeyError):
            store["a/b"]  # a "directory" is not a key
        with pytest.raises(KeyError):
            del store["missing"]
        assert store.get("missing") is None

    def test_delete(self, store: Store) -> None:
        self._require_delete(store)
        self._fill(store)
        del store["a/c"]
        del store["a/b/0"]
        assert "a/c" not in store and "a/b/0" not in store
        assert sorted(store) == sorted(set(TREE) - {"a/c", "a/b/0"})
        with pytest.raises(KeyError):
            store["a/c"]
        with pytest.raises(KeyError):
            del store["a/c"]

    def test_delete_last_key_under_a_path(self, store: Store) -> None:
        self._require_delete(store, "d/e/f/g")
        self._fill(store)
        del store["d/e/f/g"]
        assert store.listdir() == [".zgroup", "a"]
        assert store.listdir("d") == [] and store.listdir("d/e") == []

    def test_clear(self, store: Store) -> None:
        self._fill(store)
        store.clear()
        assert len(store) == 0 and store.listdir() == []
        store["again"] = b"1"
        assert list(store) == ["again"]

    # hierarchy helpers
    def test_listdir(self, store: Store) -> None:
        self._fill(store)
        assert store.listdir() == [".zgroup", "a", "d"]
        assert store.listdir("") == store.listdir("/") == store.listdir()
        assert store.listdir("a") == [".zgroup", "b", "c"]
        assert store.listdir("a/") == store.listdir("/a") == store.listdir("a")
        assert store.listdir("a/b") == [".zarray", "0", "1"]
        assert store.listdir("d/e") == ["f"]
        assert store.listdir("missing") == [] and store.listdir("a/missing/x") == []
        assert store.listdir("a/c") == []  # a key is not a directory

    def test_list_prefix(self, store: Store) -> None:
        self._fill(store)
        assert store.list_prefix("a/b") == ["a/b/.zarray", "a/b/0", "a/b/1"]
        assert store.list_prefix("d") == ["d/e/f/g"]
        assert store.list_prefix("") == sorted(TREE)
        assert store.list_prefix("missing") == []

    def test_listdir_refuses_bad_paths(self, store: Store) -> None:
        for bad in ["../x", "a/../b", "a\\b", "a//b"]:
            with pytest.raises(InvalidKeyError):
                store.listdir(bad)

    def test_rmdir(self, store: Store) -> None:
        self._require_delete(store)
        self._fill(store)
        store.rmdir("a/b")
        assert sorted(store) == sorted(k for k in TREE if not k.startswith("a/b/"))
        assert store.listdir("a") == [".zgroup", "c"]
        store.rmdir("missing")  # no-op
        store.rmdir("a/c")  # a key is not a directory: nothing under it
        assert "a/c" in store
        store.rmdir("a")
        assert store.listdir() == [".zgroup", "d"]
        store.rmdir()
        assert len(store) == 0 and store.listdir() == []
        store["new/key"] = b"1"  # the store stays usable after removing everything
        assert list(store) == ["new/key"]

    def test_rmdir_root_empty_store(self, store: Store) -> None:
        store.rmdir("")
        assert len(store) == 0

    def test_rename(self, store: Store) -> None:
        self._require_delete(store)
        self._fill(store)
        store.rename("a/b", "x/y/b2")
        assert "a/b/0" not in store and store["x/y/b2/0"] == b"chunk-00"
        assert store.listdir("x/y/b2") == [".zarray", "0", "1"]
        assert store.listdir("a") == [".zgroup", "c"]
        store.rename("a/c", "a/c2")  # a single key
        assert store["a/c2"] == b"x" * 100 and "a/c" not in store
        store.rename("d/e", "e")  # the only content of d: d disappears
        assert store.listdir() == [".zgroup", "a", "e", "x"]
        assert store["e/f/g"] == b"deep"
        store.rename("missing", "whatever")  # nothing to move: no-op
        assert len(store) == len(TREE)

    def test_rename_refuses_nonsense(self, store: Store) -> None:
        self._fill(store)
        for src, dst in [("", "x"), ("a", ""), ("a", "a/inner"), ("a", "a")]:
            with pytest.raises(ValueError):
                store.rename(src, dst)
        with pytest.raises(InvalidKeyError):
            store.rename("a", "../out")
        assert sorted(store) == sorted(TREE)

    def test_getsize(self, store: Store) -> None:
        self._fill(store)
        # zarr-2's rule: a key's size, else the sum over the keys directly under the path (one level)
        assert store.getsize("a/c") == 100
        assert store.getsize("a/b") == 2 + 8 + 9
        assert store.getsize("a") == len(TREE["a/.zgroup"]) + 100
        assert store.getsize() == store.getsize("") == len(TREE[".zgroup"])
        assert store.getsize("d") == store.getsize("d/e") == 0  # only deeper keys below
        assert store.getsize("d/e/f") == 4
        assert store.getsize("missing") == 0

    # batches
    def test_get_set_delete_many(self, store: Store) -> None:
        items = {f"arr/{i}.{j}": bytes([i, j]) * (i + j + 1) for i in range(6) for j in range(5)}
        store.set_many(items)
        assert store.get_many(list(items)) == items
        got = store.get_many(["arr/0.0", "arr/missing", "nowhere/x"])
        assert got == {"arr/0.0": items["arr/0.0"]}
        assert store.get_many([]) == {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ZIP: a rewritten member is a duplicate
            store.set_many({"arr/0.0": bytearray(b"new"), "arr/9.9": np.array([1], "u1")})
        assert store["arr/0.0"] == b"new" and store["arr/9.9"] == b"\x01"
        if not self.can_delete:
            return
        store.delete_many(["arr/0.0", "arr/1.1", "arr/missing"])
        assert "arr/0.0" not in store and "arr/1.1" not in store
        assert len(store) == len(items) - 1

    def test_get_partial_values(self, store: Store) -> None:
        store["shard/0"] = bytes(range(100))
        got = store.get_partial_values([("shard/0", 10, 5), ("shard/0", -4, None), ("shard/0", 95, None),
                                        ("shard/0", -200, 3), ("shard/missing", 0, 1), ("shard/0", 0, None)])
        assert got == [bytes(range(10, 15)), bytes(range(96, 100)), bytes(range(95, 100)), bytes(range(3)),
                       None, bytes(range(100))]

    # bad keys
    def test_bad_keys_refused(self, store: Store) -> None:
        self._fill(store)
        before = dict(store.items())
        for bad in BAD_KEYS:
            with pytest.raises(InvalidKeyError) as info:
                store[bad] = b"evil"
            assert repr(bad) in str(info.value)
            with pytest.raises(InvalidKeyError):
                store[bad]
            with pytest.raises(InvalidKeyError):
                del store[bad]
            assert bad not in store
        with pytest.raises(TypeError):
            store[b"bytes-key"] = b"x"  # type: ignore[index]
        assert dict(store.items()) == before

    def test_bad_key_in_batch_changes_nothing(self, store: Store) -> None:
        self._fill(store)
        before = dict(store.items())
        with pytest.raises(InvalidKeyError):
            store.set_many({"fine/1": b"1", "../escape": b"2", "fine/2": b"3"})
        with pytest.raises(InvalidKeyError):
            store.get_many(["a/c", "/abs"])
        with pytest.raises(TypeError):
            store.set_many({"fine/1": b"1", "fine/2": "not bytes"})
        if self.can_delete:
            with pytest.raises(InvalidKeyError):
                store.delete_many(["a/c", "a/../a/c"])
        assert dict(store.items()) == before

    # read-only
    def test_read_only(self, store: Store) -> None:
        self._fill(store)
        ro = self.open_read_only(store)
        if ro is None:
            pytest.skip(self.no_read_only or f"{type(store).__name__} has no read-only mode")
        try:
            assert ro.read_only
            attempts = [
                lambda: ro.__setitem__("new", b"x"), lambda: ro.__setitem__("a/c", b"x"),
                lambda: ro.__delitem__("a/c"), lambda: ro.rmdir("a"), lambda: ro.rmdir(),
                lambda: ro.rename("a", "z"), lambda: ro.set_many({"new": b"x"}),
                lambda: ro.write_back("a/c", b"x"),
                lambda: ro.delete_many(["a/c"]), ro.clear,
            ]
            for attempt in attempts:
                with pytest.raises(ReadOnlyError):
                    attempt()
            assert dict(ro.items()) == TREE
            assert ro.listdir("a") == [".zgroup", "b", "c"]
        finally:
            ro.close()

    # persistence
    def test_pickle(self, store: Store) -> None:
        if not self.picklable:
            with pytest.raises(Exception):  # noqa: B017 - pickle raises various types
                pickle.dumps(store)
            return
        self._fill(store)
        data = pickle.dumps(store)
        store.close()
        copy = pickle.loads(data)
        try:
            assert type(copy) is type(store)
            assert dict(copy.items()) == TREE
            copy["after/pickle"] = b"ok"
            assert copy["after/pickle"] == b"ok"
        finally:
            copy.close()

    def test_close_reopen(self, store: Store) -> None:
        self._fill(store)
        reopened = self.reopen(store)
        if reopened is None:
            pytest.skip(self.no_persistence or f"{type(store).__name__} does not persist")
        try:
            assert dict(reopened.items()) == TREE
            assert reopened.listdir("a") == [".zgroup", "b", "c"]
        finally:
            reopened.close()

    def test_context_manager(self, store: Store) -> None:
        with store as s:
            assert s is store
            s["k"] = b"v"

    # a cheap property: listdir agrees with a model of the keys written
    # every backend runs this one test body, hence several executors
    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors])
    @given(keys=st.sets(key_strategy, max_size=8))
    def test_listdir_matches_model(self, store: Store, keys: set[str]) -> None:
        store.clear()
        # a key that is also a "directory" of other keys cannot exist on a file system
        keys = {k for k in keys if not any(o.startswith(k + "/") for o in keys)}
        store.set_many({k: k.encode() for k in keys})
        assert sorted(store) == sorted(keys)
        paths = {""} | {k.rsplit("/", 1)[0] for k in keys if "/" in k}
        for path in paths:
            assert store.listdir(path) == _model_listdir(keys, path), path
            # a hint may say True for nothing, never False for something
            assert store.may_hold_keys(path) or not _model_listdir(keys, path), path
