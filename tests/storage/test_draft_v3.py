"""zarr 2's draft v3 store layout (``zarr._storage.v3``): KVStoreV3, its keys, and attributes kept in it."""

from __future__ import annotations

import json
import warnings

import pytest

from zarr5.core import Attributes
from zarr5.storage import ConsolidatedMetadataStore, KVStore, MemoryStore
from zarr5.storage.base import BaseStore
from zarr5.storage.draft_v3 import (
    KVStoreV3,
    StoreV3,
    assert_v3_api_available,
    get_hierarchy_metadata,
    metadata_suffix,
)


def test_kvstorev3_is_a_kvstore_of_version_3_that_refuses_keys_outside_its_layout() -> None:
    store = KVStoreV3({})
    assert isinstance(store, KVStore) and isinstance(store, StoreV3)
    assert store._store_version == 3
    store["meta/root/a.group.json"] = b"{}"
    store["data/root/a/c0"] = b"x"
    for bad in ["foo", "meta/root/", "meta/root/é", ".zarray"]:
        with pytest.raises(ValueError, match="invalid key"):
            store[bad] = b"1"
    assert sorted(store.list()) == ["data/root/a/c0", "meta/root/a.group.json"]
    assert store.list_dir("meta/") == ([], ["meta/root/"])
    assert store.list_prefix("data/") == ["data/root/a/c0"]


def test_rmdir_removes_the_node_documents_and_both_subtrees() -> None:
    store = KVStoreV3({})
    store["meta/root/a.group.json"] = b"{}"
    store["meta/root/a/b.array.json"] = b"{}"
    store["data/root/a/b/c0"] = b"x"
    store["meta/root/other.group.json"] = b"{}"
    store.rmdir("a")
    assert store.list() == ["meta/root/other.group.json"]
    store.clear()
    assert store.list() == []


def test_v2_and_v3_stores_do_not_mix() -> None:
    with pytest.raises(ValueError, match="v3 store"):
        BaseStore._ensure_store(KVStoreV3({}))
    with pytest.raises(ValueError, match="v2 store"):
        StoreV3._ensure_store(MemoryStore())
    assert isinstance(StoreV3._ensure_store({}), KVStoreV3)
    with pytest.raises(ValueError, match="consolidated"):
        ConsolidatedMetadataStore(KVStoreV3({}))


def test_hierarchy_document() -> None:
    with pytest.raises(ValueError, match="v2"):
        get_hierarchy_metadata(KVStore({}))
    store = KVStoreV3({})
    with pytest.raises(ValueError, match="not found"):
        get_hierarchy_metadata(store)
    assert metadata_suffix(store) == ".json"
    doc = {"zarr_format": "https://purl.org/zarr/spec/protocol/core/3.0", "metadata_encoding": "json",
           "metadata_key_suffix": ".jsn", "extensions": []}
    store["zarr.json"] = json.dumps(doc).encode()
    assert get_hierarchy_metadata(store) == doc
    assert metadata_suffix(store) == ".jsn"
    store["zarr.json"] = b'{"zarr_format": 3}'
    with pytest.raises(ValueError, match="members"):
        get_hierarchy_metadata(store)
    with pytest.raises(NotImplementedError, match="draft v3"):
        assert_v3_api_available()


def test_attributes_in_a_draft_v3_document_keep_its_other_members() -> None:
    store = KVStoreV3({})
    store["meta/root/a.array.json"] = json.dumps({"shape": [3], "attributes": {"filters": [1]}}).encode()
    attrs = Attributes(store, key="meta/root/a.array.json")
    attrs["units"] = "m"
    doc = json.loads(store["meta/root/a.array.json"])
    assert doc["shape"] == [3]
    assert doc["attributes"] == {"units": "m", "filters": [1]}
    attrs.put({"x": 1})
    assert Attributes(store, key="meta/root/a.array.json").asdict() == {"x": 1, "filters": [1]}


def test_attributes_wrap_a_plain_mapping_and_stringify_other_names_with_a_warning() -> None:
    backing: dict = {}
    attrs = Attributes(backing)
    assert isinstance(attrs.store, KVStore)
    with pytest.warns(DeprecationWarning, match="only attribute keys of type 'string'"):
        attrs[1] = "one"
    with pytest.warns(DeprecationWarning):
        attrs.update({2: "two"})
    assert json.loads(backing[".zattrs"]) == {"1": "one", "2": "two"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        attrs["three"] = 3
    with pytest.raises(ValueError, match="cannot use"):
        Attributes(object())
