"""Creating and probing nodes in a store: the rules of zarr-2's init_array / init_group."""

from __future__ import annotations

import json
from collections.abc import MutableMapping

from zarr5.core.paths import ARRAY_KEY, ATTRS_KEY, GROUP_KEY, parent, prefix
from zarr5.errors import ContainsArrayError, ContainsGroupError, MetadataError
from zarr5.metadata.jsontext import is_flat_plain
from zarr5.metadata.v2 import ArrayMetadata, GroupMetadata, encode_attributes
from zarr5.metadata.v3 import ZARR_JSON, ArrayMetadataV3, GroupMetadataV3
from zarr5.storage import Store, normalize_path


def v3_node_type(store: MutableMapping, path: str) -> str | None:
    """The node_type of the ``zarr.json`` at ``path`` ('array' / 'group'), or None when absent."""
    try:
        raw = store[prefix(path) + ZARR_JSON]
    except KeyError:
        return None
    try:
        node_type = json.loads(raw).get("node_type")
    except (ValueError, AttributeError, UnicodeDecodeError):
        raise MetadataError(f"{prefix(path) + ZARR_JSON}: not a JSON object") from None
    return node_type if node_type in ("array", "group") else None


def node_format(store: MutableMapping, path: str = "") -> tuple[int, str] | None:
    """Return (zarr_format, 'array' | 'group') of the node at ``path``, or None."""
    path = normalize_path(path)
    p = prefix(path)
    if p + ARRAY_KEY in store:
        return 2, "array"
    if p + GROUP_KEY in store:
        return 2, "group"
    node_type = v3_node_type(store, path)
    return (3, node_type) if node_type else None


def contains_array(store: MutableMapping, path: str = "") -> bool:
    path = normalize_path(path)
    return prefix(path) + ARRAY_KEY in store or v3_node_type(store, path) == "array"


def contains_group(store: MutableMapping, path: str = "") -> bool:
    path = normalize_path(path)
    return prefix(path) + GROUP_KEY in store or v3_node_type(store, path) == "group"


def _clear(store: Store, path: str) -> None:
    store.rmdir(path)


def _check_value(store: MutableMapping, key: str, document: bytes) -> None:
    check = getattr(store, "check_value", None)
    if check is not None:
        check(key, document)


def may_hold_keys(store: MutableMapping, path: str) -> bool:
    """False when the store can tell cheaply that nothing is stored under ``path`` (so no node is
    there); a new node's path usually holds nothing: one cheap answer instead of a probe per document."""
    may_hold = getattr(store, "may_hold_keys", None)
    return True if may_hold is None else may_hold(path)


def _make_room(store: Store, path: str, overwrite: bool, chunk_store: Store | None, zarr_format: int,
               room_checked: bool = False) -> None:
    """Clear ``path`` (overwrite) or refuse an existing node there; then make sure its parents exist
    (``room_checked``: the caller has just found no node at ``path`` and a group as its parent)."""
    if overwrite:
        _clear(store, path)
        if chunk_store is not None and chunk_store is not store:
            _clear(chunk_store, path)
    elif not room_checked and may_hold_keys(store, path):
        node = node_format(store, path)
        if node is not None:
            raise (ContainsArrayError if node[1] == "array" else ContainsGroupError)(path)
    if path:
        _require_parent_groups(store, path, zarr_format, overwrite, chunk_store,
                               parent_checked=room_checked and not overwrite)


def _require_parent_groups(store: Store, path: str, zarr_format: int, overwrite: bool = False,
                           chunk_store: Store | None = None, parent_checked: bool = False) -> None:
    # creating a/b/c implicitly creates groups a and a/b, as zarr-2 does (v3 has no implicit groups);
    # with overwrite, an array standing where a parent group must be is replaced by one, as in zarr 2
    parts = path.split("/")[:-1]
    # the parent too, unless the caller has just found it a group
    for depth in range(len(parts) + (not parent_checked)):
        current = "/".join(parts[:depth])
        node = node_format(store, current)  # one probe per parent, whatever its format
        if node is None:
            _write_group(store, current, zarr_format)
        elif node[1] == "array":
            if not overwrite:
                raise ContainsArrayError(current)
            _clear(store, current)
            if chunk_store is not None and chunk_store is not store:
                _clear(chunk_store, current)
            _write_group(store, current, zarr_format)


def init_array(store: Store, meta: ArrayMetadata | ArrayMetadataV3, *, path: str = "",
               overwrite: bool = False, chunk_store: Store | None = None,
               room_checked: bool = False, attributes: dict | None = None) -> tuple[str, bytes | None]:
    """Write array metadata at ``path``, refusing or clearing existing nodes per ``overwrite``
    (``room_checked``: the caller has just found no node at ``path`` and a group as its parent, so
    neither is probed again; the parent's own parents still are). ``attributes``: a v2 array's first
    attributes, its .zattrs written with it (a v3 array holds its own in ``meta``).

    Returns the key and the document written: None when the store keeps documents back (the h5py
    vocabulary's write-back), which then holds ``meta`` itself and encodes it when it writes it."""
    path = normalize_path(path)
    p = prefix(path)
    key = p + (ZARR_JSON if meta.zarr_format == 3 else ARRAY_KEY)
    zattrs = dict(attributes) if attributes and meta.zarr_format == 2 else None
    # the metadata checked itself when made (the fill value and codec settings JSON can hold), and
    # attributes of plain values need no check: a store keeping documents back holds them unencoded,
    # encoded once when written
    keep = None if overwrite else getattr(store, "keep_document", None)
    if keep is not None and (zattrs is None or is_flat_plain(zattrs)):
        _make_room(store, path, overwrite, chunk_store, meta.zarr_format, room_checked)
        if zattrs is not None:
            keep(p + ATTRS_KEY, zattrs, encode_attributes)
        keep(key, meta, type(meta).encode)
        return key, None
    document = meta.encode()
    # attributes land before the document that makes the node, as the write-back orders them
    items = ([(p + ATTRS_KEY, encode_attributes(zattrs))] if zattrs is not None else []) + [(key, document)]
    for k, data in items:
        # a document the store would refuse must be refused before overwrite deletes anything
        _check_value(store, k, data)
    _make_room(store, path, overwrite, chunk_store, meta.zarr_format, room_checked)
    for k, data in items:
        store[k] = data
    return key, document


def init_group(store: Store, *, path: str = "", overwrite: bool = False,
               chunk_store: Store | None = None, zarr_format: int = 2) -> None:
    """Write group metadata at ``path``, refusing or clearing existing nodes per ``overwrite``."""
    path = normalize_path(path)
    _make_room(store, path, overwrite, chunk_store, zarr_format)
    _write_group(store, path, zarr_format)


def _write_group(store: Store, path: str, zarr_format: int) -> None:
    if zarr_format == 3:
        store[prefix(path) + ZARR_JSON] = GroupMetadataV3().encode()
    elif zarr_format == 2:
        store[prefix(path) + GROUP_KEY] = GroupMetadata().encode()
    else:
        raise ValueError(f"zarr_format must be 2 or 3, not {zarr_format!r}")


__all__ = ["contains_array", "contains_group", "init_array", "init_group", "may_hold_keys", "node_format",
           "parent"]
