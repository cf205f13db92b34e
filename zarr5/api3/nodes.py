"""zarr-python 3's ``Array`` and ``Group``: zarr5's engine classes with zarr-python 3's reports and names.

The engine does every read and write; these subclasses add what zarr-python 3 programs read: its
``repr`` (``<Array file://data/a.zarr shape=(4,) dtype=int32>``), ``info``/``info_complete()``,
``compressors``/``filters``/``serializer`` as codec objects, ``config``/``with_config``,
``create_array``/``create_group`` with its keywords, ``members()`` and ``tree()``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import numpy as np

from zarr5.api3 import config as _config
from zarr5.api3.dtypes import data_type_of
from zarr5.api3.stores import store_type, store_url
from zarr5.codecs.v3.objects import ARRAY_ARRAY_NAMES, BYTES_BYTES_NAMES, from_document
from zarr5.core import Array as _Array
from zarr5.core import Group as _Group
from zarr5.core import paths
from zarr5.core.hierarchy import contains_array, contains_group
from zarr5.metadata.v3 import ArrayMetadataV3

__all__ = ["Array", "ArrayConfig", "Group", "data_type_name"]


@dataclasses.dataclass(frozen=True)
class ArrayConfig:
    """How an array behaves at run time: memory ``order`` and ``write_empty_chunks``."""

    order: str
    write_empty_chunks: bool


def data_type_name(dtype: np.dtype, zarr_format: int = 3) -> str:
    """zarr-python 3's name of a data type as ``info`` prints it: ``Int32(endianness='little')``."""
    zdtype = data_type_of(dtype)
    return repr(zdtype) if zdtype is not None else repr(dtype)


class _Text(str):
    # ``print(a.info)`` prints the report; the repr is the same text
    def __repr__(self) -> str:
        return str(self)


def _info_text(rows: list[tuple[str, Any]], width: int) -> _Text:
    return _Text("\n".join(f"{k:<{width}}: {v}" for k, v in rows))


def _where(node: _Array | _Group) -> str:
    """The node's URL as zarr-python 3's ``repr`` shows it: the store's URL, then the path."""
    return store_url(node.store) + (f"/{node.path}" if node.path else "")


def _byte_info(size: int) -> str:
    if size < 2**10:
        return str(size)
    for unit, power in (("K", 10), ("M", 20), ("G", 30), ("T", 40), ("P", 50)):
        if size < 2 ** (power + 10) or unit == "P":
            return f"{size} ({size / float(2**power):.1f}{unit})"
    return str(size)


class Array(_Array):
    """A Zarr array, as zarr-python 3 shows it."""

    def __init__(self, *args: Any, config: Any = None, **kwargs: Any) -> None:
        cfg = _as_config(config)
        # zarr-python 3 leaves out chunks equal to the fill value unless told otherwise
        kwargs.setdefault("write_empty_chunks", bool(cfg.get("write_empty_chunks", _config.config.get(
            "array.write_empty_chunks"))))
        kwargs.setdefault("allow_pickle", False)  # the zarr-2 vocabulary's Pickle policy is not this one's
        super().__init__(*args, **kwargs)
        self._order = cfg.get("order", _config.config.get("array.order"))

    @property
    def config(self) -> ArrayConfig:
        return ArrayConfig(order=self._order, write_empty_chunks=self._write_empty_chunks)

    def with_config(self, config: Any) -> Array:
        cfg = {**dataclasses.asdict(self.config), **_as_config(config)}
        return Array(self._store, self._path, read_only=self._read_only, chunk_store=self._chunk_store,
                     config=cfg)

    @property
    def order(self) -> str:
        return self._order

    # codecs as objects
    def _chain(self) -> tuple[dict, ...]:
        # the v3 chain; with sharding, the inner chunks' chain (zarr-python 3 reports those)
        if not isinstance(self._meta, ArrayMetadataV3):
            return ()
        codecs = self._meta.codecs
        if len(codecs) == 1 and codecs[0]["name"] == "sharding_indexed":
            codecs = tuple(codecs[0]["configuration"]["codecs"])
        return tuple(codecs)

    # zarr-python 3 reports a tuple of codec objects where zarr-2 reports a list of numcodecs codecs
    @property
    def filters(self) -> tuple:  # type: ignore[override]
        if self._meta.zarr_format == 2:
            return tuple(super().filters or ())
        return tuple(from_document(c) for c in self._chain() if c["name"] in ARRAY_ARRAY_NAMES)

    @property
    def serializer(self) -> Any:
        if self._meta.zarr_format == 2:
            return None
        docs = [c for c in self._chain() if c["name"] not in ARRAY_ARRAY_NAMES | BYTES_BYTES_NAMES]
        return from_document(docs[0]) if docs else None

    @property
    def compressors(self) -> tuple:
        if self._meta.zarr_format == 2:
            return (self.compressor,) if self.compressor is not None else ()
        return tuple(from_document(c) for c in self._chain() if c["name"] in BYTES_BYTES_NAMES)

    @property
    def metadata(self) -> Any:
        """The array's metadata object (``ArrayV3Metadata`` or ``ArrayV2Metadata``)."""
        from zarr5.api3.metadata import array_metadata

        return array_metadata(self._meta, self.attrs.asdict())

    @property
    def nbytes_stored(self) -> int:
        """Bytes of every key under the array (its document and all chunks, however deeply nested)."""
        prefix = paths.prefix(self._path)
        stores = [self._store] + ([self._chunk_store] if self._chunk_store not in (None, self._store) else [])
        total = 0
        for store in stores:
            for key in store.list_prefix(prefix.rstrip("/")):
                size = store.getsize(key)
                total += max(size, 0)
        return total

    @property
    def nshards(self) -> int:
        return self.nchunks

    @property
    def nshards_initialized(self) -> int:
        """How many stored objects (shards, or chunks when unsharded) the array has."""
        meta = self._meta
        if not isinstance(meta, ArrayMetadataV3) or meta.shards is None:
            return self.nchunks_initialized
        prefix = paths.prefix(self._path)
        store = self._chunk_store if self._chunk_store is not None else self._store
        names = (k[len(prefix):] for k in store.list_prefix(prefix.rstrip("/")))
        return sum(meta.parse_chunk_key(n) is not None for n in names)

    # reports
    def _info_rows(self) -> list[tuple[str, Any]]:
        meta = self._meta
        fill = self.fill_value
        rows: list[tuple[str, Any]] = [("Type", "Array"), ("Zarr format", meta.zarr_format),
                                       ("Data type", data_type_name(self.dtype, meta.zarr_format)),
                                       ("Fill value", fill), ("Shape", self.shape)]
        shards = getattr(meta, "shards", None)
        if shards is not None:
            rows.append(("Shard shape", tuple(shards)))
        rows += [("Chunk shape", tuple(getattr(meta, "inner_chunk_shape", meta.chunks))),
                 ("Order", self._order), ("Read-only", self._read_only),
                 ("Store type", store_type(self._store)), ("Filters", self.filters)]
        if meta.zarr_format == 3:
            rows.append(("Serializer", self.serializer))
        rows += [("Compressors", self.compressors), ("No. bytes", _byte_info(self.nbytes))]
        return rows

    # zarr-python 3's info is the report's text, where zarr-2's is an InfoReporter object
    @property
    def info(self) -> str:  # type: ignore[override]
        return _info_text(self._info_rows(), 19)

    def info_complete(self) -> str:
        rows = self._info_rows()
        stored = self.nbytes_stored
        rows.append(("No. bytes stored", _byte_info(stored)))
        if stored > 0:
            rows.append(("Storage ratio", f"{self.nbytes / stored:.1f}"))
        sharded = getattr(self._meta, "shards", None) is not None
        label = "Shards Initialized" if sharded else "Chunks Initialized"
        rows.append((label, self.nshards_initialized))
        return _info_text(rows, 19)

    def __repr__(self) -> str:
        return f"<Array {_where(self)} shape={self.shape} dtype={self.dtype}>"

    def __reduce__(self) -> tuple:
        return (_rebuild, (Array, self._store, self._path, self._read_only))


def _rebuild(cls: type, store: Any, path: str, read_only: bool) -> Any:
    return cls(store, path, read_only=read_only)


def _as_config(config: Any) -> dict:
    if config is None:
        return {}
    if isinstance(config, ArrayConfig):
        return dataclasses.asdict(config)
    unknown = set(config) - {"order", "write_empty_chunks", "read_missing_chunks"}
    if unknown:
        raise ValueError(f"unknown array config keys {sorted(unknown)}; known: order, write_empty_chunks")
    return dict(config)


class Group(_Group):
    """A Zarr group, as zarr-python 3 shows it."""

    def _open_node(self, path: str, kind: str | None = None, document: bytes | None = None) -> Any:
        if kind == "array" or (kind is None and contains_array(self._store, path)):
            return Array(self._store, path, read_only=self._read_only, chunk_store=self._chunk_store)
        if kind == "group" or (kind is None and contains_group(self._store, path)):
            return Group(self._store, path, read_only=self._read_only, chunk_store=self._chunk_store)
        raise KeyError(path)

    @property
    def metadata(self) -> Any:
        """The group's ``GroupMetadata``; members' metadata too when a consolidated document holds them."""
        import json

        from zarr5.api3.metadata import GroupMetadata, nested_consolidated

        consolidated = None
        if self._zarr_format == 3:
            # the nearest group up the tree (this one included) whose zarr.json holds consolidated metadata
            parts = self._path.split("/") if self._path else []
            for depth in range(len(parts), -1, -1):
                base = "/".join(parts[:depth])
                try:
                    doc = json.loads(bytes(self._store[paths.prefix(base) + "zarr.json"]))
                except (KeyError, ValueError):
                    continue
                inline = doc.get("consolidated_metadata") if isinstance(doc, dict) else None
                if isinstance(inline, dict) and isinstance(inline.get("metadata"), dict):
                    flat = {k.strip("/"): v for k, v in inline["metadata"].items()}
                    rel = "/".join(parts[depth:])
                    consolidated = nested_consolidated(flat, rel)
                    break
        return GroupMetadata(attributes=self.attrs.asdict(), zarr_format=self._zarr_format,
                             consolidated_metadata=consolidated)

    def _info_rows(self) -> list[tuple[str, Any]]:
        return [("Name", self.basename), ("Type", "Group"), ("Zarr format", self._zarr_format),
                ("Read-only", self._read_only), ("Store type", store_type(self._store))]

    # zarr-python 3's info is the report's text, where zarr-2's is an InfoReporter object
    @property
    def info(self) -> str:  # type: ignore[override]
        return _info_text(self._info_rows(), 12)

    def info_complete(self) -> str:
        members = list(self.members(max_depth=None))
        arrays = sum(isinstance(m, Array) for _, m in members)
        rows = self._info_rows() + [("No. members", len(members)), ("No. arrays", arrays),
                                    ("No. groups", len(members) - arrays)]
        return _info_text(rows, 12)

    def __repr__(self) -> str:
        return f"<Group {_where(self)}>"

    def members(self, max_depth: int | None = 0) -> tuple[tuple[str, Any], ...]:
        """``(name, node)`` of each member; ``max_depth=None`` for every descendant (names relative)."""
        out: list[tuple[str, Any]] = []

        def walk(group: Group, prefix: str, depth: int) -> None:
            for name in sorted(group):
                node = group[name]
                out.append((prefix + name, node))
                if isinstance(node, Group) and (max_depth is None or depth < max_depth):
                    walk(node, prefix + name + "/", depth + 1)

        walk(self, "", 0)
        return tuple(out)

    # members open through _open_node, so every one is this vocabulary's Array or Group
    def array_values(self) -> Iterator[Array]:
        return (node for _, node in self.arrays() if isinstance(node, Array))

    def group_values(self) -> Iterator[Group]:
        return (node for _, node in self.groups() if isinstance(node, Group))

    # zarr-python 3's tree is the drawing's text, where zarr-2's is a TreeViewer object
    def tree(self, expand: bool | None = None, level: int | None = None) -> str:  # type: ignore[override]
        lines = ["/" if not self._path else self.basename]

        def walk(group: Group, indent: str, depth: int) -> None:
            names = sorted(group)
            for i, name in enumerate(names):
                node = group[name]
                last = i == len(names) - 1
                label = name if isinstance(node, Group) else f"{name} {node.shape} {node.dtype}"
                lines.append(indent + ("└── " if last else "├── ") + label)
                if isinstance(node, Group) and (level is None or depth + 1 < level):
                    walk(node, indent + ("    " if last else "│   "), depth + 1)

        walk(self, "", 0)
        return _Text("\n".join(lines) + "\n")

    def create_group(self, name: str, overwrite: bool = False, attributes: dict | None = None,
                     **kwargs: Any) -> Group:
        group = super().create_group(name, overwrite=overwrite)
        if attributes:
            group.attrs.update(attributes)
        return self._open_node(group._path, "group")

    def require_group(self, name: str, overwrite: bool = False, **kwargs: Any) -> Group:
        return self._open_node(super().require_group(name, overwrite=overwrite)._path, "group")

    def create_array(self, name: str, **kwargs: Any) -> Array:
        from zarr5.api3.creation import create_array

        self._check_writable()
        kwargs.setdefault("zarr_format", self._zarr_format)
        return create_array(self._store, name=paths.resolve(self._path, name), **kwargs)

    def create(self, name: str, **kwargs: Any) -> Array:
        """The same as :meth:`create_array` (zarr-python 3 keeps both names)."""
        return self.create_array(name, **kwargs)

    # zarr-python 3 passes name= and shape= by keyword; create_array names a missing shape
    def zeros(self, name: str, **kwargs: Any) -> Array:
        return self.create_array(name, fill_value=0, **kwargs)

    def ones(self, name: str, **kwargs: Any) -> Array:
        return self.create_array(name, fill_value=1, **kwargs)

    def full(self, name: str, fill_value: Any, **kwargs: Any) -> Array:
        return self.create_array(name, fill_value=fill_value, **kwargs)

    def empty(self, name: str, **kwargs: Any) -> Array:
        return self.create_array(name, **kwargs)

    def require_array(self, name: str, *, shape: Any, **kwargs: Any) -> Array:
        path = paths.resolve(self._path, name)
        if contains_array(self._store, path):
            node = self._open_node(path, "array")
            if node.shape != tuple(np.atleast_1d(shape)) and shape != node.shape:
                raise TypeError(f"shape do not match existing array; expected {node.shape}, got {shape}")
            return node
        return self.create_array(name, shape=shape, **kwargs)

    def __getitem__(self, item: str) -> Any:
        return super().__getitem__(item)
