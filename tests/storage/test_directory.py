"""DirectoryStore, NestedDirectoryStore and TempStore: the contract plus on-disk behaviour."""

from __future__ import annotations

import json
import os
import pickle
import threading
from pathlib import Path

import pytest

import zarr5
from zarr5.errors import FSPathExistNotDir, InvalidKeyError
from zarr5.storage import DirectoryStore, NestedDirectoryStore, TempStore
from zarr5.storage.directory import _rmtree_at_exit

from .contract import StoreContract


class TestDirectoryStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> DirectoryStore:
        return DirectoryStore(tmp_path / "store")

    def reopen(self, store: DirectoryStore) -> DirectoryStore:
        store.close()
        return DirectoryStore(store.path)

    def open_read_only(self, store: DirectoryStore) -> DirectoryStore:
        return DirectoryStore(store.path, read_only=True)


class TestNestedDirectoryStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> NestedDirectoryStore:
        return NestedDirectoryStore(tmp_path / "store")

    def reopen(self, store: NestedDirectoryStore) -> NestedDirectoryStore:
        return NestedDirectoryStore(store.path)

    def open_read_only(self, store: NestedDirectoryStore) -> NestedDirectoryStore:
        return NestedDirectoryStore(store.path, read_only=True)


class TestTempStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> TempStore:
        return TempStore(dir=str(tmp_path))

    def reopen(self, store: TempStore) -> DirectoryStore:
        return DirectoryStore(store.path)

    # TempStore takes no read_only argument (as in zarr-python 2); its directory opens read-only
    def open_read_only(self, store: TempStore) -> DirectoryStore:
        return DirectoryStore(store.path, read_only=True)


def _files(root: str) -> list[str]:
    found = []
    for dirpath, _, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        found += [f if rel == "." else f"{rel}/{f}".replace(os.sep, "/") for f in filenames]
    return sorted(found)


# layout and construction
def test_one_file_per_key(tmp_path: Path) -> None:
    store = DirectoryStore(str(tmp_path / "s"))
    assert not (tmp_path / "s").exists()  # created on first write
    store["a/b/0.0"] = b"1"
    store[".zgroup"] = b"{}"
    assert (tmp_path / "s" / "a" / "b" / "0.0").read_bytes() == b"1"
    assert _files(store.path) == [".zgroup", "a/b/0.0"]
    assert store.dir_path("a/b") == str(tmp_path / "s" / "a" / "b")


def test_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(FSPathExistNotDir):
        DirectoryStore(tmp_path / "f")


def test_equality_hash_repr_pickle(tmp_path: Path) -> None:
    a, b = DirectoryStore(tmp_path), DirectoryStore(str(tmp_path) + "/")
    assert a == b and hash(a) == hash(b)
    assert a != DirectoryStore(tmp_path / "other") and a != NestedDirectoryStore(tmp_path)
    assert repr(a) == f"<zarr5.storage.DirectoryStore: {str(tmp_path)!r}>"
    a["k"] = b"the-stored-value"
    data = pickle.dumps(a)
    assert b"the-stored-value" not in data  # only the path travels
    assert pickle.loads(data) == a and pickle.loads(data)["k"] == b"the-stored-value"


def test_normalize_keys(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path, normalize_keys=True)
    store["Foo/BAR"] = b"1"
    assert store["foo/bar"] == b"1" and "FOO/Bar" in store
    assert _files(store.path) == ["foo/bar"]
    assert store.listdir("FOO") == ["bar"]


def test_dimension_separator(tmp_path: Path) -> None:
    assert DirectoryStore(tmp_path).dimension_separator is None
    assert DirectoryStore(tmp_path, dimension_separator="/").dimension_separator == "/"
    with pytest.raises(ValueError):
        DirectoryStore(tmp_path, dimension_separator=",")


def test_delete_directory_key_removes_tree(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store["g/a/0"] = b"1"
    store["g/a/1"] = b"2"
    store["h"] = b"3"
    del store["g/a"]
    assert list(store) == ["h"]
    assert os.listdir(tmp_path) == ["h"]


def test_key_replaces_directory_and_parent_key_refused(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store["x/y"] = b"1"
    store["x"] = b"2"  # a key replaces a directory of the same name, as in zarr-python
    assert list(store) == ["x"]
    with pytest.raises(KeyError, match="parent"):
        store["x/z"] = b"3"
    assert store["x"] == b"2"


def test_may_hold_keys_is_a_directory_check(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "s")
    assert store.may_hold_keys("") is False  # the store's directory is made on first write
    store["g/.zgroup"] = b"{}"
    store["f"] = b"1"
    assert store.may_hold_keys("") and store.may_hold_keys("g")
    assert not store.may_hold_keys("h") and not store.may_hold_keys("h/i")
    assert not store.may_hold_keys("f") and not store.may_hold_keys("f/x")  # a file holds no keys
    (tmp_path / "s" / "empty").mkdir()  # made by someone else: "maybe", and the probes decide
    assert store.may_hold_keys("empty") and store.listdir("empty") == []
    with pytest.raises(InvalidKeyError):
        store.may_hold_keys("a/../b")


def test_writes_after_a_missing_directory_hint(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    # the usual case: the next write makes the directory it was told is missing, parents too
    assert not store.may_hold_keys("a/b")
    store["a/b/.zarray"] = b"1"
    assert _files(str(tmp_path)) == ["a/b/.zarray"]
    # a stale hint (someone made the directory meanwhile) costs nothing but a mkdir
    assert not store.may_hold_keys("c")
    (tmp_path / "c").mkdir()
    store["c/k"] = b"2"
    assert store["c/k"] == b"2"
    # a hint about a path that became a file: the write is refused as before, nothing is left
    assert not store.may_hold_keys("d")
    store["d"] = b"3"
    assert not store.may_hold_keys("d")
    with pytest.raises(KeyError, match="parent"):
        store["d/k"] = b"4"
    assert store["d"] == b"3" and "d/k" not in store
    assert _files(str(tmp_path)) == ["a/b/.zarray", "c/k", "d"]


# atomic writes
def test_temp_files_are_invisible_and_reserved(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store["a/k"] = b"1"
    stray = ".k." + "0" * 32 + ".partial"
    (tmp_path / "a" / stray).write_bytes(b"half")  # as a crashed writer leaves it
    assert list(store) == ["a/k"] and store.listdir("a") == ["k"]
    assert store.getsize("a") == 1 and store.list_prefix("a") == ["a/k"]
    with pytest.raises(InvalidKeyError, match="temporary"):
        store["a/" + stray] = b"x"
    assert ("a/" + stray) not in store


def test_concurrent_reader_never_sees_a_torn_value(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    # each value's length identifies it, so a torn value (old bytes + new bytes) cannot pass
    values = [bytes([i % 251]) * (1 + (i * 7919) % 65536) for i in range(200)]
    valid = {len(v): v for v in values}
    assert len(valid) == len(values)
    store["chunk"] = values[0]
    done = threading.Event()
    bad: list[object] = []

    def writer() -> None:
        try:
            for v in values:
                store["chunk"] = v
        finally:
            done.set()

    def reader() -> None:
        while not done.is_set():
            try:
                got = store["chunk"]
            except KeyError as e:  # the key must never vanish mid-rewrite
                bad.append(e)
                return
            if valid.get(len(got)) != got:
                bad.append(len(got))
                return

    threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert bad == []
    assert store["chunk"] == values[-1]
    assert os.listdir(tmp_path) == ["chunk"]  # no temp file left behind


def test_failed_write_keeps_old_value(tmp_path: Path) -> None:
    class Unconvertible:
        def tobytes(self) -> bytes:
            raise RuntimeError("conversion failed")

    store = DirectoryStore(tmp_path)
    store["k"] = b"old"
    with pytest.raises(RuntimeError, match="conversion failed"):
        store["k"] = Unconvertible()
    with pytest.raises(RuntimeError, match="conversion failed"):
        store.set_many({"k": b"new", "other": Unconvertible()})
    assert store["k"] == b"old" and "other" not in store
    assert os.listdir(tmp_path) == ["k"]


def test_concurrent_writes_and_deletes_in_one_directory(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    errors: list[BaseException] = []

    def churn(n: int) -> None:
        try:
            for i in range(60):
                store[f"g/sub/{n}"] = b"x" * i
                del store[f"g/sub/{n}"]  # may prune g/sub while another thread writes into it
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=churn, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(store) == [] and os.listdir(tmp_path) == []


# NestedDirectoryStore
def test_nested_layout_on_disk(tmp_path: Path) -> None:
    store = NestedDirectoryStore(tmp_path)
    assert store.dimension_separator == "/"
    # as in zarr-python 2.18, keys are files as they are: arrays nest through their separator
    store["arr/1/0/0"] = b"b"
    store["arr/0.0.1"] = b"a"
    assert _files(store.path) == ["arr/0.0.1", "arr/1/0/0"]
    assert store.listdir("arr") == ["0.0.1", "1"] and "arr/0/0/1" not in store
    z = zarr5.zeros((4, 4), chunks=(2, 2), dtype="u1", store=store, path="z")
    z[:] = 1
    assert json.loads(store["z/.zarray"])["dimension_separator"] == "/"
    assert [f for f in _files(store.path) if f.startswith("z/")] == ["z/.zarray", "z/0/0", "z/0/1", "z/1/0",
                                                                     "z/1/1"]


def test_separator_less_arrays_read_with_the_store_separator(tmp_path: Path) -> None:
    # a .zarray without dimension_separator (zarr-python < 2.8) in a nested store has nested chunks;
    # one naming '.' keeps its flat chunk files, whatever store opens it
    for name, nested in [("legacy", True), ("flat", False)]:
        store = DirectoryStore(tmp_path / name)
        z = zarr5.zeros((2, 2), chunks=(1, 1), dtype="<i8", store=store, dimension_separator="/" if nested
                        else ".")
        z[:] = [[1, 2], [3, 4]]
        if nested:
            meta = json.loads(store[".zarray"])
            del meta["dimension_separator"]
            store[".zarray"] = json.dumps(meta).encode()
        got = zarr5.open_array(NestedDirectoryStore(tmp_path / name), mode="r")[...]
        assert got.tolist() == [[1, 2], [3, 4]], name


def test_nested_refuses_other_separator(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="only supports '/'"):
        NestedDirectoryStore(tmp_path, dimension_separator=".")
    assert NestedDirectoryStore(tmp_path, dimension_separator=None).dimension_separator == "/"


# TempStore
def test_temp_store_is_removed_at_exit(tmp_path: Path) -> None:
    store = TempStore(prefix="zarr5-test-", suffix=".zarr", dir=str(tmp_path))
    name = os.path.basename(store.path)
    assert name.startswith("zarr5-test-") and name.endswith(".zarr") and os.path.isdir(store.path)
    store["a"] = b"1"
    _rmtree_at_exit(store.path)  # what the atexit hook runs
    assert not os.path.exists(store.path)


def test_set_many_batches_fall_back_where_a_key_needs_more(tmp_path: Path) -> None:
    # set_many writes in slices on the pool; keys in missing directories, a key replacing a directory
    # of keys, and a key under a stored key take the general path, each as a single write would
    store = DirectoryStore(tmp_path / "s")
    store["old/0"] = b"x"
    store["blocker"] = b"file"
    items = {f"deep/er/{i}": bytes([i]) * (i + 1) for i in range(40)}
    items.update({f"flat{i}": b"f%d" % i for i in range(40)})
    items["old"] = b"replaces a directory"
    store.set_many(items)
    assert store.get_many(list(items)) == items
    assert "old/0" not in store
    assert not [n for _, _, files in os.walk(store.path) for n in files if n.endswith(".partial")]
    with pytest.raises(KeyError, match="blocker/x"):
        store.set_many({**{f"n{i}": b"1" for i in range(20)}, "blocker/x": b"2"})
    assert store["n19"] == b"1" and store["blocker"] == b"file"
    assert not [n for _, _, files in os.walk(store.path) for n in files if n.endswith(".partial")]


def test_set_many_writes_large_values_whole(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    big = {f"c/{i}": os.urandom(1 << 20) for i in range(16)}
    store.set_many(big)
    assert store.get_many(list(big)) == big


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_temporary_names_are_unique_across_writes_threads_and_forks(tmp_path: Path) -> None:
    # a per-process random token, numbered per file: no two writes share a temporary file, and a
    # forked child (which inherits the counter) draws a token of its own
    from zarr5.storage import directory

    names = [directory._temp_name("0.0") for _ in range(1000)]
    assert len(set(names)) == 1000 and all(directory._is_temp(n) for n in names)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports the token its next name carries
        os.write(write_end, directory._temp_name("0.0").encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read_end, 200).decode()
    assert child[5:29] != names[0][5:29]  # ".0.0." then the 24 hex digits of the token
    store = DirectoryStore(str(tmp_path / "s"))
    threads = [threading.Thread(target=lambda i=i: [store.__setitem__(f"k{i}", bytes([i]) * 10)
                                                    for _ in range(200)]) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {store[f"k{i}"] for i in range(4)} == {bytes([i]) * 10 for i in range(4)}
    assert not [n for _, _, files in os.walk(store.path) for n in files if n.endswith(".partial")]
