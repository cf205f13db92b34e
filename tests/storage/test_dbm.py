"""DBMStore: the contract over the default dbm and over an explicit opener."""

from __future__ import annotations

import contextlib
import dbm.dumb
import pickle
from pathlib import Path

import pytest

from zarr5.storage import DBMStore

from .contract import StoreContract


class TestDBMStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path):
        store = DBMStore(tmp_path / "data.db")
        yield store
        store.close()

    def reopen(self, store: DBMStore) -> DBMStore:
        store.close()
        return DBMStore(store.path, flag="w")

    def open_read_only(self, store: DBMStore) -> DBMStore:
        store.close()
        return DBMStore(store.path, flag="r")


class TestDBMStoreDumbNoLock(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path):
        store = DBMStore(tmp_path / "dumb.db", open=dbm.dumb.open, write_lock=False)
        yield store
        store.close()

    def reopen(self, store: DBMStore) -> DBMStore:
        store.close()
        return DBMStore(store.path, open=dbm.dumb.open)

    def open_read_only(self, store: DBMStore) -> DBMStore:
        store.close()
        return DBMStore(store.path, flag="r", open=dbm.dumb.open)


def test_keys_are_utf8_bytes_in_the_database(tmp_path: Path) -> None:
    path = str(tmp_path / "k.db")
    with DBMStore(path, open=dbm.dumb.open) as store:
        store["grp/é"] = b"1"
        store.flush()
    with contextlib.closing(dbm.dumb.open(path, "r")) as db:
        assert list(db.keys()) == ["grp/é".encode()]


def test_pickle_does_not_clobber(tmp_path: Path) -> None:
    store = DBMStore(tmp_path / "n.db", flag="n")
    store["k"] = b"v"
    data = pickle.dumps(store)
    store.close()
    copy = pickle.loads(data)
    assert copy.flag == "c" and copy["k"] == b"v" and copy == store
    copy.close()
