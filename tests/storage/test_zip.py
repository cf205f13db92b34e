"""ZipStore: the contract (no deletes, overwrite warns) plus archive specifics."""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import pytest

from zarr5.errors import ReadOnlyError
from zarr5.storage import ZipStore

from .contract import StoreContract


class TestZipStore(StoreContract):
    can_delete = False
    no_delete = ("ZipStore cannot delete keys: a ZIP member cannot be removed in place, so it raises "
                 "NotImplementedError as zarr-python 2's does (checked above)")
    warns_on_overwrite = True

    @pytest.fixture
    def store(self, tmp_path: Path):
        store = ZipStore(tmp_path / "data.zip", mode="w")
        yield store
        store.close()

    def reopen(self, store: ZipStore) -> ZipStore:
        store.close()
        return ZipStore(store.path, mode="a")

    def open_read_only(self, store: ZipStore) -> ZipStore:
        store.close()
        return ZipStore(store.path, mode="r")


def test_reopen_and_read_with_zipfile(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    with ZipStore(path, mode="w") as store:
        store["foo/.zarray"] = b"{}"
        store["foo/0.0"] = b"\x00" * 10
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["foo/.zarray", "foo/0.0"]
        assert zf.getinfo("foo/0.0").external_attr >> 16 == 0o644
    with ZipStore(path, mode="a") as store:
        store["bar"] = b"1"
    with ZipStore(path, mode="r") as store:
        assert sorted(store) == ["bar", "foo/.zarray", "foo/0.0"]
        assert store.read_only
        with pytest.raises(ReadOnlyError):
            store["x"] = b"1"


def test_compression_and_getsize(tmp_path: Path) -> None:
    with ZipStore(tmp_path / "c.zip", mode="w", compression=zipfile.ZIP_DEFLATED) as store:
        store["big"] = b"\x00" * 100_000
        assert store["big"] == b"\x00" * 100_000
        assert store.getsize("big") < 1000  # what the archive holds, compressed


def test_duplicate_write_warns_and_newest_wins(tmp_path: Path) -> None:
    with ZipStore(tmp_path / "d.zip", mode="w") as store:
        store["k"] = b"old"
        with pytest.warns(UserWarning, match="Duplicate name"):
            store["k"] = b"new"
        assert store["k"] == b"new" and list(store) == ["k"] and len(store) == 1


def test_delete_not_implemented(tmp_path: Path) -> None:
    with ZipStore(tmp_path / "e.zip", mode="w") as store:
        store["a/b"] = b"1"
        with pytest.raises(NotImplementedError, match="'a/b'"):
            del store["a/b"]
        with pytest.raises(NotImplementedError):
            store.rmdir("a")
        with pytest.raises(NotImplementedError):
            store.rename("a", "z")
        with pytest.raises(KeyError):
            del store["missing"]  # nothing to delete is a KeyError, as elsewhere
        store.delete_many(["missing"])  # ...so batches skip it
        store.rmdir()  # the whole archive can go: it is recreated empty
        assert len(store) == 0


def test_flush_writes_central_directory(tmp_path: Path) -> None:
    path = tmp_path / "f.zip"
    store = ZipStore(path, mode="w")
    store["k"] = b"v"
    store.flush()
    with zipfile.ZipFile(path) as zf:  # readable while the store stays open
        assert zf.read("k") == b"v"
    store["k2"] = b"v2"
    store.close()
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["k", "k2"]


def test_pickle_reopens_in_append_mode(tmp_path: Path) -> None:
    store = ZipStore(tmp_path / "g.zip", mode="w")
    store["k"] = b"v"
    data = pickle.dumps(store)
    store.close()
    copy = pickle.loads(data)
    assert copy.mode == "a" and copy["k"] == b"v" and copy == store
    copy.close()


def test_directory_entries_are_not_keys(tmp_path: Path) -> None:
    path = tmp_path / "h.zip"
    with zipfile.ZipFile(path, "w") as zf:  # as `zip -r` writes it
        zf.writestr("grp/", b"")
        zf.writestr("grp/.zgroup", b"{}")
    with ZipStore(path, mode="r") as store:
        assert list(store) == ["grp/.zgroup"] and store.listdir() == ["grp"]


def test_invalid_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mode"):
        ZipStore(tmp_path / "i.zip", mode="r+")
