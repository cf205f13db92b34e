"""zarr-python 3's store classes of the zarr-3 vocabulary (zarr5.api3.stores) under the store contract.

They subclass zarr5's stores with zarr-python 3's constructors; the contract checks that what they add
(read_only=, mode=, URLs) keeps every store promise: read-only refusals, pickling, reopening.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from zarr5.api3.stores import FsspecStore, LocalStore, ZipStore

from .contract import StoreContract


class TestLocalStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> LocalStore:
        return LocalStore(tmp_path / "data.zarr")

    def reopen(self, store: LocalStore) -> LocalStore:
        store.close()
        return LocalStore(store.root)

    def open_read_only(self, store: LocalStore) -> LocalStore:
        store.close()
        return LocalStore(store.root, read_only=True)


class TestZipStoreOfZarr3(StoreContract):
    can_delete = False
    no_delete = ("ZipStore cannot delete keys: a ZIP member cannot be removed in place, so it raises "
                 "NotImplementedError (checked above)")
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
        return ZipStore(store.path, read_only=True)


class TestFsspecStore(StoreContract):
    @pytest.fixture
    def store(self):
        pytest.importorskip("fsspec", reason="FsspecStore needs fsspec (pip install '.[test]')")
        url = f"memory://zarr5-api3-contract-{uuid.uuid4().hex}"
        store = FsspecStore(url)
        yield store
        if store.fs.exists(store.path):
            store.fs.rm(store.path, recursive=True)

    def reopen(self, store: FsspecStore) -> FsspecStore:
        store.close()
        return FsspecStore(store.url)

    def open_read_only(self, store: FsspecStore) -> FsspecStore:
        store.close()
        return FsspecStore.from_url(store.url, read_only=True)
