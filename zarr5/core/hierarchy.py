"""Creating and probing nodes in a store: the rules of zarr-2's init_array / init_group."""

from __future__ import annotations

from collections.abc import MutableMapping

from zarr5.core.paths import ARRAY_KEY, ATTRS_KEY, GROUP_KEY, parent, prefix
from zarr5.errors import ContainsArrayError, ContainsGroupError
from zarr5.metadata.v2 import ArrayMetadata, GroupMetadata
from zarr5.storage import Store, normalize_path


def contains_array(store: MutableMapping, path: str = "") -> bool:
    return prefix(normalize_path(path)) + ARRAY_KEY in store


def contains_group(store: MutableMapping, path: str = "") -> bool:
    return prefix(normalize_path(path)) + GROUP_KEY in store


def _clear(store: Store, path: str) -> None:
    store.rmdir(path)


def _check_value(store: MutableMapping, key: str, document: bytes) -> None:
    check = getattr(store, "check_value", None)
    if check is not None:
        check(key, document)


def _require_parent_groups(store: Store, path: str) -> None:
    # creating a/b/c implicitly creates groups a and a/b, as zarr-2 does
    parts = path.split("/")[:-1]
    for depth in range(len(parts) + 1):
        current = "/".join(parts[:depth])
        if contains_array(store, current):
            raise ContainsArrayError(current)
        if not contains_group(store, current):
            store[prefix(current) + GROUP_KEY] = GroupMetadata().encode()


def init_array(store: Store, meta: ArrayMetadata, *, path: str = "", overwrite: bool = False,
               chunk_store: Store | None = None) -> None:
    """Write array metadata at ``path``, refusing or clearing existing nodes per ``overwrite``."""
    path = normalize_path(path)
    key, document = prefix(path) + ARRAY_KEY, meta.encode()
    # a document the store would refuse must be refused before overwrite deletes anything
    _check_value(store, key, document)
    if overwrite:
        _clear(store, path)
        if chunk_store is not None and chunk_store is not store:
            _clear(chunk_store, path)
    elif contains_array(store, path):
        raise ContainsArrayError(path)
    elif contains_group(store, path):
        raise ContainsGroupError(path)
    if path:
        _require_parent_groups(store, path)
    store[key] = document


def init_group(store: Store, *, path: str = "", overwrite: bool = False,
               chunk_store: Store | None = None) -> None:
    """Write group metadata at ``path``, refusing or clearing existing nodes per ``overwrite``."""
    path = normalize_path(path)
    if overwrite:
        _clear(store, path)
        if chunk_store is not None and chunk_store is not store:
            _clear(chunk_store, path)
    elif contains_array(store, path):
        raise ContainsArrayError(path)
    elif contains_group(store, path):
        raise ContainsGroupError(path)
    if path:
        _require_parent_groups(store, path)
    store[prefix(path) + GROUP_KEY] = GroupMetadata().encode()


def node_keys(path: str) -> tuple[str, str, str]:
    """Return the .zarray, .zgroup and .zattrs keys of ``path``."""
    p = prefix(path)
    return p + ARRAY_KEY, p + GROUP_KEY, p + ATTRS_KEY


__all__ = ["contains_array", "contains_group", "init_array", "init_group", "node_keys", "parent"]
