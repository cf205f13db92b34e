"""Consolidated metadata: writing the document and serving keys from it."""

from __future__ import annotations

import json

import pytest

from zarr5.errors import MetadataError, ReadOnlyError
from zarr5.storage import ConsolidatedMetadataStore, DirectoryStore, MemoryStore, consolidate_store_metadata


def _dumps(obj: object) -> bytes:
    return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=True, separators=(",", ": ")).encode()


HIERARCHY = {
    ".zgroup": {"zarr_format": 2},
    ".zattrs": {"title": "t\u00e9st", "nan": "NaN"},
    "foo/.zgroup": {"zarr_format": 2},
    "foo/bar/.zarray": {"zarr_format": 2, "shape": [10], "chunks": [5], "dtype": "<i4",
                        "compressor": None, "fill_value": 0, "filters": None, "order": "C"},
    "foo/bar/.zattrs": {},
}


@pytest.fixture
def store(tmp_path) -> DirectoryStore:
    store = DirectoryStore(tmp_path / "h.zarr")
    for key, doc in HIERARCHY.items():
        store[key] = _dumps(doc)
    store["foo/bar/0"] = b"\x00" * 20  # chunks are not metadata
    store["foo/bar/.zarray.bak"] = b"not json, and not a metadata key"
    return store


def test_document_format(store: DirectoryStore) -> None:
    consolidate_store_metadata(store)
    raw = store[".zmetadata"]
    assert raw == _dumps({"metadata": HIERARCHY, "zarr_consolidated_format": 1})
    assert raw.isascii()


def test_round_trip(store: DirectoryStore) -> None:
    consolidate_store_metadata(store, metadata_key="meta/.zcons")
    meta = ConsolidatedMetadataStore(store, metadata_key="meta/.zcons")
    assert sorted(meta) == sorted(HIERARCHY) and len(meta) == len(HIERARCHY)
    for key, doc in HIERARCHY.items():
        assert meta[key] == _dumps(doc) == store[key]  # byte for byte what zarr-python wrote
        assert key in meta
    assert "foo/bar/0" not in meta
    with pytest.raises(KeyError):
        meta["foo/bar/0"]
    assert meta.listdir() == [".zattrs", ".zgroup", "foo"]
    assert meta.listdir("foo/bar") == [".zarray", ".zattrs"]
    assert meta.getsize("foo/bar/.zattrs") == 2


def test_read_only(store: DirectoryStore) -> None:
    consolidate_store_metadata(store)
    meta = ConsolidatedMetadataStore(store)
    assert meta.read_only
    for attempt in [lambda: meta.__setitem__(".zgroup", b"{}"), lambda: meta.__delitem__(".zgroup"),
                    lambda: meta.rmdir("foo"), lambda: meta.rename("foo", "x"), meta.clear,
                    lambda: meta.set_many({"a": b"1"})]:
        with pytest.raises(ReadOnlyError):
            attempt()
    assert len(meta) == len(HIERARCHY)


def test_document_is_read_once(store: DirectoryStore) -> None:
    consolidate_store_metadata(store)
    meta = ConsolidatedMetadataStore(store)
    del store[".zmetadata"]
    store[".zgroup"] = b'{"zarr_format": 99}'
    assert json.loads(meta[".zgroup"]) == {"zarr_format": 2}


def test_bad_metadata_named(store: DirectoryStore) -> None:
    store["foo/bar/.zattrs"] = b"{not json"
    with pytest.raises(MetadataError, match="'foo/bar/.zattrs'"):
        consolidate_store_metadata(store)
    assert ".zmetadata" not in store


@pytest.mark.parametrize(("doc", "match"), [
    (b"nope", "not valid JSON"),
    (b"[]", "not a JSON object"),
    (b'{"metadata": {}}', "format None"),
    (b'{"metadata": {}, "zarr_consolidated_format": 2}', "format 2"),
    (b'{"zarr_consolidated_format": 1}', "'metadata'"),
    (b'{"metadata": {"../x": {}}, "zarr_consolidated_format": 1}', "invalid key"),
])
def test_bad_documents_refused(doc: bytes, match: str) -> None:
    with pytest.raises(MetadataError, match=match):
        ConsolidatedMetadataStore({".zmetadata": doc})


def test_missing_document() -> None:
    with pytest.raises(KeyError):
        ConsolidatedMetadataStore(MemoryStore())


def test_consolidate_a_plain_mapping() -> None:
    backing = {".zgroup": _dumps({"zarr_format": 2})}
    consolidate_store_metadata(backing)
    assert json.loads(backing[".zmetadata"])["metadata"] == {".zgroup": {"zarr_format": 2}}
