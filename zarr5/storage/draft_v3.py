"""zarr-python 2's draft Zarr v3 store layout, for code written against zarr 2's ``zarr._storage.v3``.

zarr 2.18 carries an experimental, pre-final v3 layout: node documents under ``meta/root/``
(``meta/root/foo.array.json``, ``meta/root/foo.group.json``), chunks under ``data/root/``, and a
hierarchy document ``zarr.json`` at the top. Its arrays and groups need zarr 2's experimental switch,
but its stores do not: user code and attributes work on them directly (an attribute document there
holds the user attributes in its ``attributes`` member). This module gives those stores; the final
Zarr v3 format (``zarr.json`` per node) is another matter, handled by :mod:`zarr5.metadata.v3`.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterator, Sequence
from string import ascii_letters, digits
from typing import Any

from zarr5.storage.base import BaseStore, KVStore, is_mapping_like

META_ROOT = "meta/root/"
DATA_ROOT = "data/root/"
HIERARCHY_KEY = "zarr.json"
# the members a draft hierarchy document must have, and only these
_HIERARCHY_MEMBERS = frozenset({"zarr_format", "metadata_encoding", "metadata_key_suffix", "extensions"})
_KEY_CHARACTERS = frozenset(ascii_letters + digits + "/.-_")

#: zarr 2's experimental v3 arrays and groups (behind its ZARR_V3_EXPERIMENTAL_API switch) are not offered
V3_API_AVAILABLE = False


def assert_v3_api_available() -> None:
    """Raise NotImplementedError: zarr 2's experimental v3 arrays and groups are not offered."""
    raise NotImplementedError("zarr 2's experimental draft v3 arrays and groups are not offered by zarr5; "
                              "write Zarr v3 through the zarr-3 vocabulary (zarr5.zarr3)")


def get_hierarchy_metadata(store: Any) -> dict[str, Any]:
    """The decoded ``zarr.json`` of a draft-v3 store; ValueError for a v2 store or a missing document."""
    version = getattr(store, "_store_version", 2)
    if version < 3:
        raise ValueError(f"zarr.json hierarchy metadata is not stored in zarr v{version} stores")
    if HIERARCHY_KEY not in store:
        raise ValueError(f"zarr.json hierarchy metadata not found in store {store!r}")
    raw = store[HIERARCHY_KEY]
    meta = raw if isinstance(raw, dict) else json.loads(bytes(raw))
    if not isinstance(meta, dict) or set(meta) != _HIERARCHY_MEMBERS:
        raise ValueError(f"zarr.json: expected exactly the members {sorted(_HIERARCHY_MEMBERS)}, "
                         f"found {meta!r}")
    return meta


def metadata_suffix(store: Any) -> str:
    """The suffix of node documents (``.json`` unless ``zarr.json`` names another)."""
    if HIERARCHY_KEY in store:
        return get_hierarchy_metadata(store)["metadata_key_suffix"]
    return ".json"


def _keys_under(store: Any, prefix: str) -> list[str]:
    return [k for k in list(store.keys()) if k.startswith(prefix)]


def rmdir_draft_v3(store: Any, path: str = "") -> None:
    """Delete a node of a draft-v3 store: its ``meta/root`` and ``data/root`` subtrees and documents."""
    meta_dir = (META_ROOT + path).rstrip("/")
    data_dir = (DATA_ROOT + path).rstrip("/")
    for prefix in (meta_dir, data_dir):
        for key in _keys_under(store, prefix):
            del store[key]
    suffix = metadata_suffix(store)
    for name in (meta_dir + ".array" + suffix, meta_dir + ".group" + suffix):
        if name in store:
            del store[name]


class StoreV3(BaseStore):
    """zarr 2's base class of draft-v3 stores: keys are ``meta/...``, ``data/...`` or ``zarr.json``.

    A subclass defines the mapping methods; listing, erasing and partial reads derive from them.
    """

    _store_version = 3

    def _valid_key(self, key: object) -> bool:
        """True if ``key`` is an ASCII string of the characters a draft-v3 key may hold."""
        return isinstance(key, str) and key.isascii() and not set(key) - _KEY_CHARACTERS

    def _validate_key(self, key: str) -> None:
        """Raise ValueError, naming ``key``, unless it is a key a draft-v3 store may hold."""
        if not self._valid_key(key):
            raise ValueError(f"invalid key {key!r}: keys are ascii strings of the characters "
                             f"{''.join(sorted(_KEY_CHARACTERS))}")
        if not key.startswith(("data/", "meta/")) and key != HIERARCHY_KEY:
            raise ValueError(f"invalid key {key!r}: draft v3 keys start with 'meta/' or 'data/', or are "
                             f"{HIERARCHY_KEY!r}")
        if key.endswith("/"):
            raise ValueError(f"invalid key {key!r}: keys may not end in '/'")

    def list(self) -> list[str]:
        return list(self.keys())

    def list_prefix(self, prefix: str) -> builtins.list[str]:
        if prefix.startswith("/"):
            raise ValueError(f"prefix must not begin with '/': {prefix!r}")
        return [k for k in self.list() if k.startswith(prefix)]

    def list_dir(self, prefix: str) -> tuple[builtins.list[str], builtins.list[str]]:
        """The keys directly under ``prefix`` and the sub-prefixes (each ending in '/') below it."""
        if prefix and not prefix.endswith("/"):
            raise ValueError(f"prefix must end with '/': {prefix!r}")
        keys: builtins.list[str] = []
        prefixes: set[str] = set()
        for key in self.list_prefix(prefix):
            rest = key[len(prefix):]
            if "/" in rest:
                prefixes.add(prefix + rest.split("/", 1)[0] + "/")
            else:
                keys.append(key)
        return keys, sorted(prefixes)

    def erase(self, key: str) -> None:
        del self[key]

    def erase_prefix(self, prefix: str) -> None:
        if not prefix.endswith("/"):
            raise ValueError(f"prefix must end with '/': {prefix!r}")
        for key in self.list() if prefix == "/" else self.list_prefix(prefix):
            self.erase(key)

    def __contains__(self, key: object) -> bool:
        return key in set(self.list())

    def rmdir(self, path: str | None = None) -> None:
        rmdir_draft_v3(self, path or "")

    @property
    def supports_efficient_get_partial_values(self) -> bool:
        return False

    def get_partial_values(self,
                           key_ranges: Sequence[tuple[str, tuple[int, int | None]]]) -> builtins.list[Any]:
        """Byte ranges ``(key, (start, length))``; None for a missing key; ``length=None`` reads to the
        end."""
        out: builtins.list[Any] = []
        for key, (start, length) in key_ranges:
            try:
                value = self[key]
            except KeyError:
                out.append(None)
                continue
            out.append(value[start:] if length is None else value[start:start + length])
        return out

    def supports_efficient_set_partial_values(self) -> bool:
        return False

    def clear(self) -> None:
        self.erase_prefix("/")

    def __eq__(self, other: object) -> bool:
        return NotImplemented

    @staticmethod
    def _ensure_store(store: Any) -> StoreV3 | None:  # type: ignore[override]
        """Return ``store`` as a draft-v3 store: itself, or a :class:`KVStoreV3` over a mapping."""
        if store is None:
            return None
        if isinstance(store, StoreV3):
            return store
        if isinstance(store, BaseStore):
            raise ValueError(f"cannot use a zarr v{store._store_version} store as a v3 store: {store!r}")
        if is_mapping_like(store):
            return KVStoreV3(store)
        raise ValueError(f"cannot use {type(store).__qualname__} as a v3 store: v3 stores subclass StoreV3, "
                         "or are MutableMappings (wrapped in KVStoreV3)")


class RmdirV3:
    """Mixin that makes ``rmdir`` remove a draft-v3 node instead of a v2 directory of keys."""

    def rmdir(self, path: str | None = None) -> None:
        rmdir_draft_v3(self, path or "")


# zarr5's get_partial_values (key, start, length) comes first, as for every zarr5 store
class KVStoreV3(RmdirV3, KVStore, StoreV3):  # type: ignore[misc]
    """A draft-v3 store over any ``MutableMapping`` (zarr 2's ``KVStoreV3``)."""

    def list(self) -> builtins.list[str]:
        return list(self._mutable_mapping.keys())

    def __setitem__(self, key: str, value: Any) -> None:
        self._validate_key(key)
        super().__setitem__(key, value)

    def __iter__(self) -> Iterator[str]:
        return iter(self.list())

    def __contains__(self, key: object) -> bool:
        return KVStore.__contains__(self, key)

    def clear(self) -> None:
        StoreV3.clear(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KVStoreV3) and self._mutable_mapping == other._mutable_mapping

    def __repr__(self) -> str:
        return f"<zarr5.storage.KVStoreV3: {type(self._mutable_mapping).__name__}>"


__all__ = ["DATA_ROOT", "HIERARCHY_KEY", "META_ROOT", "V3_API_AVAILABLE", "KVStoreV3", "RmdirV3", "StoreV3",
           "assert_v3_api_available", "get_hierarchy_metadata", "metadata_suffix", "rmdir_draft_v3"]
