"""Consolidated metadata: every ``.zarray``/``.zgroup``/``.zattrs`` of a hierarchy in one document.

The document (zarr-python 2's format, key ``.zmetadata`` by default) is::

    {"metadata": {"foo/.zarray": {...}, ".zgroup": {...}, ...}, "zarr_consolidated_format": 1}

Opening a hierarchy through :class:`ConsolidatedMetadataStore` then costs one read of the
underlying store instead of one per node, which matters on remote stores. A Zarr v3 hierarchy that
zarr-python 3 consolidated (its nodes' ``zarr.json`` inline in the root's ``consolidated_metadata``) is
read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from typing import Any

from zarr5.errors import MetadataError, ReadOnlyError
from zarr5.storage.base import BaseStore, Store, is_valid_key, normalize_key

METADATA_NAMES = frozenset({".zarray", ".zgroup", ".zattrs"})


def _dumps(obj: Any) -> bytes:
    # the formatting zarr-python 2 writes, so documents compare byte for byte
    text = json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=True, separators=(",", ": "))
    return text.encode("ascii")


def _as_store(store: Store | MutableMapping) -> Store:
    version = getattr(store, "_store_version", 2)
    if version != 2:
        # zarr 2's draft v3 layout has no .zmetadata document
        raise ValueError(f"consolidated metadata are kept in zarr v2 stores, not in a v{version} store: "
                         f"{store!r}")
    if isinstance(store, Store):
        return store
    # a mapping is wrapped in a KVStore; anything else (a path string) is a ValueError, as in zarr 2
    return BaseStore._ensure_store(store)  # type: ignore[return-value]


def _is_metadata_key(key: str) -> bool:
    return key.rsplit("/", 1)[-1] in METADATA_NAMES


def consolidate_store_metadata(store: Store | MutableMapping, metadata_key: str = ".zmetadata") -> None:
    """Write the consolidated metadata document of every node in ``store`` to ``metadata_key``; a
    Zarr v3 hierarchy gets them inline in its root ``zarr.json``, as zarr-python 3 writes them.

    Raises :class:`zarr5.errors.MetadataError` naming the key if a metadata document is not JSON;
    the store is then left unchanged.
    """
    store = _as_store(store)
    metadata_key = normalize_key(metadata_key)
    root = _v3_root(store)
    if root is not None:
        _consolidate_v3(store, root)
        return
    metadata = {}
    keys = sorted(k for k in store if _is_metadata_key(k) and k != metadata_key)
    # one batch: on an object store that is one concurrent request, not one per document
    for key, raw in sorted(store.get_many(keys).items()):
        try:
            metadata[key] = json.loads(raw if isinstance(raw, (bytes, str)) else bytes(raw))
        except (ValueError, UnicodeDecodeError) as e:
            raise MetadataError(f"cannot consolidate metadata: {key!r} is not valid JSON ({e})") from e
    store[metadata_key] = _dumps({"metadata": metadata, "zarr_consolidated_format": 1})


class ConsolidatedMetadataStore(Store):
    """A read-only store serving the metadata keys recorded in ``store[metadata_key]``.

    Values are the JSON encoding of each recorded document. The document is read once, when the
    store is created; writes raise :class:`zarr5.errors.ReadOnlyError`.

    Examples
    --------
    >>> from zarr5.storage import MemoryStore
    >>> store = MemoryStore()
    >>> store[".zgroup"] = b'{"zarr_format": 2}'
    >>> consolidate_store_metadata(store)
    >>> ConsolidatedMetadataStore(store)[".zgroup"]
    b'{\\n    "zarr_format": 2\\n}'
    """

    _read_only = True

    def __init__(self, store: Store | MutableMapping, metadata_key: str = ".zmetadata") -> None:
        self.store = _as_store(store)
        self.metadata_key = normalize_key(metadata_key)
        try:
            raw = self.store[self.metadata_key]
        except KeyError:
            # Zarr v3 as zarr-python 3 consolidates it: inline, in the root group's zarr.json
            inline = _inline_v3_metadata(self.store)
            if inline is None:
                raise
            self._meta = inline
            return
        try:
            doc = json.loads(raw if isinstance(raw, (bytes, str)) else bytes(raw))
        except (ValueError, UnicodeDecodeError) as e:
            raise MetadataError(f"consolidated metadata {metadata_key!r} is not valid JSON ({e})") from e
        if not isinstance(doc, dict):
            raise MetadataError(f"consolidated metadata {metadata_key!r} is not a JSON object")
        version = doc.get("zarr_consolidated_format")
        if version != 1:
            raise MetadataError(f"unsupported zarr consolidated metadata format {version!r} "
                                f"in {metadata_key!r}")
        metadata = doc.get("metadata")
        if not isinstance(metadata, dict):
            raise MetadataError(f"consolidated metadata {metadata_key!r} has no 'metadata' object")
        for key in metadata:
            if not is_valid_key(key):
                raise MetadataError(f"consolidated metadata {metadata_key!r} holds an invalid key {key!r}")
        self._meta = {key: _dumps(value) for key, value in metadata.items()}

    def __getitem__(self, key: str) -> bytes:
        return self._meta[normalize_key(key)]

    def __setitem__(self, key: str, value: Any) -> None:
        raise ReadOnlyError(f"consolidated metadata are read-only: cannot set {key!r}")

    def __delitem__(self, key: str) -> None:
        raise ReadOnlyError(f"consolidated metadata are read-only: cannot delete {key!r}")

    def __contains__(self, key: object) -> bool:
        return key in self._meta

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._meta))

    def __len__(self) -> int:
        return len(self._meta)

    def __repr__(self) -> str:
        return f"<zarr5.storage.ConsolidatedMetadataStore: {self.store!r} key={self.metadata_key!r}>"


def _v3_root(store: Store) -> dict | None:
    """The root group's zarr.json document when the hierarchy is Zarr v3, else None."""
    try:
        root = json.loads(bytes(store["zarr.json"]))
    except (KeyError, ValueError, UnicodeDecodeError):
        return None
    if isinstance(root, dict) and root.get("zarr_format") == 3 and root.get("node_type") == "group":
        return root
    return None


def _consolidate_v3(store: Store, root: dict) -> None:
    # as zarr-python 3 does: every other node's zarr.json, keyed by path, inline in the root's
    keys = sorted(k for k in store if k.endswith("/zarr.json"))
    nodes = {}
    for key, raw in sorted(store.get_many(keys).items()):
        try:
            doc = json.loads(raw if isinstance(raw, (bytes, str)) else bytes(raw))
        except (ValueError, UnicodeDecodeError) as e:
            raise MetadataError(f"cannot consolidate metadata: {key!r} is not valid JSON ({e})") from e
        if isinstance(doc, dict):
            doc.pop("consolidated_metadata", None)
        nodes[key[: -len("/zarr.json")]] = doc
    root = dict(root, consolidated_metadata={"kind": "inline", "must_understand": False, "metadata": nodes})
    store["zarr.json"] = json.dumps(root, indent=2).encode()


def _inline_v3_metadata(store: Store) -> dict[str, bytes] | None:
    """The ``zarr.json`` of every node that zarr-python 3 consolidated into the root group's
    ``consolidated_metadata`` (kind ``inline``), keyed by store key; None when there is none."""
    root = _v3_root(store)
    if root is None:
        return None
    consolidated = root.get("consolidated_metadata")
    if not isinstance(consolidated, dict) or consolidated.get("kind") != "inline":
        return None
    nodes = consolidated.get("metadata")
    if not isinstance(nodes, dict):
        raise MetadataError("zarr.json: consolidated_metadata has no 'metadata' object")
    root_doc = {k: v for k, v in root.items() if k != "consolidated_metadata"}
    found = {"zarr.json": json.dumps(root_doc).encode()}
    for path, doc in nodes.items():
        key = f"{path.strip('/')}/zarr.json"
        if not isinstance(doc, dict) or not is_valid_key(key):
            raise MetadataError(f"zarr.json: consolidated_metadata holds an invalid entry {path!r}")
        found[key] = json.dumps(doc).encode()
    return found


# zarr.json too: in a v2 consolidated hierarchy its absence is known without asking the store
_METADATA_NAMES = (".zarray", ".zgroup", ".zattrs", "zarr.json")


class ConsolidatedReadStore(Store):
    """A read-only view of ``store`` whose metadata documents all come from one consolidated key.

    Opening and walking a hierarchy then costs one read of ``metadata_key`` however many nodes it has;
    chunks, and chunk listings of arrays, still come from ``store``. The h5py facade uses it for files
    opened read-only when ``.zmetadata`` is present.
    """

    _read_only = True

    def __init__(self, store: Store | MutableMapping, metadata_key: str = ".zmetadata") -> None:
        self.store = _as_store(store)
        self.meta = ConsolidatedMetadataStore(self.store, metadata_key)
        self._dimension_separator = getattr(self.store, "_dimension_separator", None)

    @staticmethod
    def _is_meta(key: str) -> bool:
        return key.rsplit("/", 1)[-1] in _METADATA_NAMES

    def __getitem__(self, key: str) -> bytes:
        return self.meta[key] if self._is_meta(key) else self.store[key]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        return key in self.meta if self._is_meta(key) else key in self.store

    def __setitem__(self, key: str, value: Any) -> None:
        raise ReadOnlyError(f"opened read-only through consolidated metadata: cannot set {key!r}")

    def __delitem__(self, key: str) -> None:
        raise ReadOnlyError(f"opened read-only through consolidated metadata: cannot delete {key!r}")

    def __iter__(self) -> Iterator[str]:
        return iter(self.store)

    def __len__(self) -> int:
        return len(self.store)

    def get_many(self, keys: Any) -> dict[str, bytes]:
        keys = list(keys)
        out = {k: self.meta[k] for k in keys if self._is_meta(k) and k in self.meta}
        out.update(self.store.get_many([k for k in keys if not self._is_meta(k)]))
        return out

    def get_partial_values(self, ranges: Any) -> list[bytes | None]:
        return self.store.get_partial_values(ranges)

    def listdir(self, path: str = "") -> list[str]:
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        if prefix + ".zarray" in self.meta:
            return self.store.listdir(path)  # an array's chunks are not in the consolidated document
        names = {k[len(prefix):].split("/", 1)[0] for k in self.meta if k.startswith(prefix)}
        return sorted(names)

    def getsize(self, path: str = "") -> int:
        return self.store.getsize(path)

    def close(self) -> None:
        self.store.close()

    def __repr__(self) -> str:
        return f"<zarr5.storage.ConsolidatedReadStore: {self.store!r}>"
