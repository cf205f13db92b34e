"""SQLiteStore: the contract on a file and in memory, plus SQL specifics."""

from __future__ import annotations

import pickle
import sqlite3
import threading
from pathlib import Path

import pytest

from zarr5.storage import SQLiteStore

from .contract import StoreContract


class TestSQLiteStore(StoreContract):
    no_read_only = "SQLiteStore has no read-only mode (zarr-python 2's has none either)"
    @pytest.fixture
    def store(self, tmp_path: Path):
        store = SQLiteStore(tmp_path / "data.sqldb")
        yield store
        store.close()

    def reopen(self, store: SQLiteStore) -> SQLiteStore:
        store.close()
        return SQLiteStore(store.path)


class TestSQLiteStoreInMemory(StoreContract):
    picklable = False
    no_read_only = "SQLiteStore has no read-only mode (zarr-python 2's has none either)"
    no_persistence = "SQLiteStore(':memory:'): the database lives in the connection and ends with it"

    @pytest.fixture
    def store(self):
        store = SQLiteStore(":memory:")
        yield store
        store.close()


def test_table_layout_is_zarr_pythons(tmp_path: Path) -> None:
    path = tmp_path / "t.sqldb"
    with SQLiteStore(path) as store:
        store["a/b"] = b"\x00\x01"
    db = sqlite3.connect(path)
    assert db.execute("SELECT k, v FROM zarr").fetchall() == [("a/b", b"\x00\x01")]
    db.close()


def test_prefix_queries_are_exact(tmp_path: Path) -> None:
    # '%' and '_' are LIKE wildcards and 'a0', 'a.b', 'a-b' sort next to 'a/': none may leak in
    with SQLiteStore(tmp_path / "p.sqldb") as store:
        for key in ["a/x", "a0", "a.b", "a-b", "a_/y", "a%/z", "ab/w", "a/y/z"]:
            store[key] = b"12"
        assert store.listdir("a") == ["x", "y"]
        assert store.list_prefix("a") == ["a/x", "a/y/z"]
        assert store.listdir("a_") == ["y"] and store.listdir("a%") == ["z"]
        assert store.getsize("a") == 2  # a/x only: a/y/z lies a level deeper
        store.rmdir("a")
        assert sorted(store) == ["a%/z", "a-b", "a.b", "a0", "a_/y", "ab/w"]


def test_threads_share_one_connection(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "th.sqldb")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                store[f"t{n}/{i}"] = bytes([i])
                assert store[f"t{n}/{i}"] == bytes([i])
            store.set_many({f"t{n}/batch{i}": b"b" for i in range(20)})
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(store) == 4 * 70
    store.close()


def test_failed_batch_is_rolled_back(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "rb.sqldb") as store:
        store["keep"] = b"1"

        class Boom(dict):
            def items(self):
                yield "x", b"1"
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            store.set_many(Boom())
        assert list(store) == ["keep"]


def test_in_memory_store_does_not_pickle() -> None:
    with SQLiteStore(":memory:") as store, pytest.raises(pickle.PicklingError, match="in-memory"):
        pickle.dumps(store)


def test_equality(tmp_path: Path) -> None:
    a, b = SQLiteStore(tmp_path / "e.sqldb"), SQLiteStore(str(tmp_path / "e.sqldb"))
    m = SQLiteStore(":memory:")
    same = m
    assert a == b and m == same and m != SQLiteStore(":memory:")
    for s in (a, b, m):
        s.close()
