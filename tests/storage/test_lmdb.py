"""LMDBStore: the contract plus range-scan specifics (skipped without the lmdb package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from zarr5.storage import LMDBStore

from .contract import StoreContract

needs_lmdb = pytest.mark.skipif(importlib.util.find_spec("lmdb") is None, reason="lmdb is not installed")


@needs_lmdb
class TestLMDBStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path):
        # a small map keeps the test cheap; the 2**40 default is sparse but still reserved address space
        store = LMDBStore(tmp_path / "data.lmdb", map_size=2**24)
        yield store
        store.close()

    def reopen(self, store: LMDBStore) -> LMDBStore:
        store.close()
        return LMDBStore(store.path, map_size=2**24)

    def open_read_only(self, store: LMDBStore) -> LMDBStore:
        store.close()
        return LMDBStore(store.path, readonly=True)


@needs_lmdb
def test_defaults(tmp_path: Path) -> None:
    with LMDBStore(tmp_path / "d.lmdb") as store:
        assert store.kwargs["map_size"] == 2**40
        assert store.kwargs["sync"] is False
        store["k"] = memoryview(b"value")
        assert store["k"] == b"value" and type(store["k"]) is bytes


@needs_lmdb
def test_unbuffered(tmp_path: Path) -> None:
    with LMDBStore(tmp_path / "u.lmdb", buffers=False, map_size=2**22) as store:
        store.set_many({"a/0": b"0", "a/1": b"1", "b": b"2"})
        assert store.get_many(["a/0", "b", "z"]) == {"a/0": b"0", "b": b"2"}
        assert store.getsize("a") == 2 and store.listdir() == ["a", "b"]


def test_missing_dependency_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "lmdb", None)  # makes `import lmdb` fail
    with pytest.raises(ImportError, match=r"pip install zarr5\[lmdb\]"):
        LMDBStore(tmp_path / "x.lmdb")
