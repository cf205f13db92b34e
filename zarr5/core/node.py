"""Node: what arrays and groups share — where they live, their attributes, their read-only state."""

from __future__ import annotations

from typing import Any

from zarr5.core import paths
from zarr5.core.attributes import Attributes, V3Attributes
from zarr5.core.info import InfoReporter
from zarr5.metadata.v3 import ZARR_JSON
from zarr5.storage import Store


class Node:
    """Base of :class:`~zarr5.core.Array` and :class:`~zarr5.core.Group`."""

    _store: Store
    _chunk_store: Store | None
    _path: str
    _read_only: bool
    _synchronizer: Any
    _attrs_made: Attributes | None

    def _init_attrs(self, zarr_format: int, cache: bool) -> None:
        # made on first use: most engine arrays (the h5py vocabulary's) never touch their attributes
        self._attrs_made = None
        self._attrs_spec = (zarr_format, cache)

    @property
    def _attrs(self) -> Attributes:
        attrs = self._attrs_made
        if attrs is None:
            zarr_format, cache = self._attrs_spec
            # v2 keeps attributes in .zattrs; v3 inside the node's zarr.json
            attrs_class, name = ((V3Attributes, ZARR_JSON) if zarr_format == 3
                                 else (Attributes, paths.ATTRS_KEY))
            attrs = self._attrs_made = attrs_class(self._store, key=paths.prefix(self._path) + name,
                                                   read_only=self._read_only, cache=cache,
                                                   synchronizer=self._synchronizer)
        return attrs

    @property
    def store(self) -> Store:
        return self._store

    @property
    def chunk_store(self) -> Store:
        return self._store if self._chunk_store is None else self._chunk_store

    @property
    def path(self) -> str:
        return self._path

    @property
    def _version(self) -> int:
        # zarr 2's private names for the format and the key prefix; code written against it uses them
        return self.zarr_format  # type: ignore[attr-defined]

    @property
    def _key_prefix(self) -> str:
        return paths.prefix(self._path)

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def synchronizer(self) -> Any:
        return self._synchronizer

    @property
    def attrs(self) -> Attributes:
        return self._attrs

    @property
    def info(self) -> InfoReporter:
        return InfoReporter(self)

    def _same_node(self, other: object) -> bool:
        return (isinstance(other, type(self)) and self._store == other._store and self._path == other._path
                and self._read_only == other._read_only)

    def __hash__(self) -> int:
        return hash((type(self._store).__name__, self._path))
