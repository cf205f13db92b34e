"""Shared pieces of the h5py facade: reserved names, the per-file state, opening a node by kind, Empty,
errors. The object base class (HLObject) is in objects.py, above the modules its properties use."""

from __future__ import annotations

from typing import Any

import numpy as np

from zarr5.core.array import Array as CoreArray
from zarr5.core.array import open_shared_array
from zarr5.core.attributes import RESERVED_PREFIX, Attributes, V3Attributes
from zarr5.core.chunkcache import FileChunkCache
from zarr5.core.hierarchy import node_format
from zarr5.core.metawriteback import MetadataWriteBack
from zarr5.core.paths import ATTRS_KEY, GROUP_KEY, prefix
from zarr5.metadata.v3 import ZARR_JSON
from zarr5.storage import Store

__all__ = ["Empty", "FileState", "InvalidIdentifierError", "NoWriteIntentError", "is_empty_dataspace",
           "open_node", "product", "provide", "provided"]

# reserved attribute names (docs/on-disk-format.md), all hidden from attrs in both vocabularies
R_LINKS = RESERVED_PREFIX + "links"
R_ORDER = RESERVED_PREFIX + "order"
R_TRACK = RESERVED_PREFIX + "track_order"
R_DATATYPE = RESERVED_PREFIX + "datatype"
# how an HDF5 dataset was made, on the dataset's node (written by newdset, read by dataset)
R_MAXSHAPE = RESERVED_PREFIX + "maxshape"
R_LAYOUT = RESERVED_PREFIX + "layout"
R_FILTERS = RESERVED_PREFIX + "filters"
R_H5TYPE = RESERVED_PREFIX + "h5type"
R_EMPTY = RESERVED_PREFIX + "empty"

# What modules of zarr5.h5 find at call time instead of importing it: the node classes (an object's
# parent is a Group, a Group's members are Datasets), File (an external link opens one) and the handle
# lookup (a committed type finds its Group). Each is defined in a module above the ones that need it,
# so an import would close a cycle (tests/test_repo_checks.py keeps the import graph acyclic).
# zarr5/h5/__init__.py fills it once every module is imported, and importing any zarr5.h5 module runs
# that first, so it is full before any object exists.
_PROVIDED: dict[str, Any] = {}


def provide(**entries: Any) -> None:
    """Register what upper modules define: ``group``, ``dataset``, ``datatype``, ``file``, ``object_of``."""
    _PROVIDED.update(entries)


def provided(name: str) -> Any:
    """What ``provide`` registered under ``name``."""
    try:
        return _PROVIDED[name]
    except KeyError:
        raise RuntimeError(f"zarr5.h5 is not fully imported: nothing provides {name!r} yet") from None


class NoWriteIntentError(PermissionError, ValueError):
    """A write to a file opened read-only: h5py raises ValueError or OSError depending on the call,
    so this is both (and a PermissionError, like zarr5's ReadOnlyError)."""


class NoWriteIntentKeyError(KeyError, PermissionError):
    """Deleting from a read-only file (h5py raises KeyError there)."""


class NameExistsError(ValueError, OSError):
    """A name is taken: h5py raises ValueError (create_group) or OSError (link creation)."""


class NameExistsKeyError(KeyError, NameExistsError):
    """Committing a datatype under a taken name (h5py raises KeyError there)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class CopyExistsError(ValueError, RuntimeError):
    """Group.copy onto an existing name (h5py raises RuntimeError)."""


class ExtentError(ValueError, RuntimeError):
    """A resize beyond maxshape (h5py raises RuntimeError from HDF5, ValueError for bad arguments)."""


class InvalidIdentifierError(ValueError, RuntimeError):
    """An object of a closed file was used (h5py raises ValueError or RuntimeError)."""


class InvalidIdentifierKeyError(KeyError, ValueError):
    """A member of a closed file was looked up."""


def _reopen(kind: Any, store: Store, filename: str, read_only: bool, path: str) -> Any:
    """Unpickle a dataset or group: the same node of the same store, in a file state of its own.
    ``kind`` is 'dataset' or 'group' (a class in pickles of older zarr5 versions): the pickle names no
    class, whose module reads ``h5py._hl...`` while zarr5 is bound as h5py."""
    state = FileState(store, filename, "r" if read_only else "r+", owns_store=False)
    return open_node(state, path, kind) if isinstance(kind, str) else kind(state, path)


def product(shape: Any) -> int:
    out = 1
    for n in shape:
        out *= int(n)
    return out


class Empty:
    """A dataset or attribute with no dataspace (HDF5's NULL dataspace): a dtype and no data."""

    shape = None
    size = None

    def __init__(self, dtype: Any) -> None:
        self.dtype = np.dtype(dtype)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Empty) and self.dtype == other.dtype

    def __hash__(self) -> int:
        return hash(("Empty", self.dtype.str))

    def __repr__(self) -> str:
        return f"Empty(dtype={self.dtype!r})"


def is_empty_dataspace(obj: Any) -> bool:
    return getattr(obj, "shape", ()) is None


def name_str(name: Any) -> str:
    """h5py names may be str or bytes (UTF-8); anything else is a TypeError naming it."""
    if type(name) is str:
        return name
    if isinstance(name, bytes):
        return name.decode("utf-8")
    if isinstance(name, str):
        return name
    raise TypeError(f"Accessing a group is done with bytes or str, not {type(name)}")


def split(name: str) -> tuple[bool, list[str]]:
    """``(absolute, components)`` of an h5py path; '.', empty components and trailing '/' vanish."""
    if "/" not in name:
        return False, [name] if name not in ("", ".") else []  # one name (the usual call)
    parts = [p for p in name.split("/") if p not in ("", ".")]
    return name.startswith("/"), parts


def display(path: str) -> str:
    return "/" + path


class FileState:
    """What every object of one open file shares: the store, the mode, and whether it is open."""

    def __init__(self, store: Store, filename: str, mode: str, owns_store: bool) -> None:
        self.store = store
        self.filename = filename
        self.mode = mode
        self.read_only = mode == "r"
        self.open = True
        self.owns_store = owns_store
        # the metadata write-back the store is wrapped in (None: documents are written through)
        self.documents: MetadataWriteBack | None = store if isinstance(store, MetadataWriteBack) else None
        self.file: Any = None  # the File object, set by File
        # File sets it: writes chunks and documents back, at close or collection, whichever comes first
        self.write_back_once: Any = lambda: None
        self.children: list[FileState] = []  # files opened through external links
        self.synchronizer: Any = None  # File(..., synchronizer=...): locks for chunks and attributes
        # decoded chunks written back at flush/close (File enables it; other states write through)
        self.chunk_cache = FileChunkCache()
        # one engine Array per dataset path, shared by every handle of this File: its metadata is read
        # once, and a resize through any handle is seen by all at once (as h5py's handles see each other)
        self._engine_arrays: dict[str, CoreArray] = {}
        # how each dataset was made (its reserved creation attributes), read again only when its
        # attributes document changed: path -> (the document's stat token, record)
        self._made_records: dict[str, tuple[Any, dict]] = {}
        # what a creation learnt of a parent group: path -> (its documents' stat tokens, (format,
        # 'group'), its attributes document and object), used again while the tokens say nothing changed
        self._parent_probes: dict[str, tuple[tuple, tuple[int, str], dict, Attributes]] = {}
        # stat tokens where the store gives them (a directory store's: None there means absent)
        inner = store.inner if isinstance(store, MetadataWriteBack) else store
        self._doc_token = getattr(store, "stat_token", None) \
            if getattr(inner, "stat_token", None) is not None else None
        # the root group's format (detected): what new nodes get when their parent does not decide
        root = node_format(store, "")
        self.zarr_format = root[0] if root else 2

    def array(self, path: str, known: tuple | None = None) -> CoreArray:
        """The engine Array of the dataset at ``path``, shared by this File's handles (``known``:
        metadata, document and key just written by the caller, who replaces any earlier one)."""
        arr = self._engine_arrays.get(path)
        if arr is None or known is not None:
            cache = self.chunk_cache if self.chunk_cache.enabled else None
            # other writers (another File, the zarr vocabulary, another process) are seen at the next
            # call: the document is checked on every call, by a stat where the store offers one
            arr = open_shared_array(self.store, path, read_only=self.read_only,
                                    synchronizer=self.synchronizer, known=known, chunk_cache=cache)
            self._engine_arrays[path] = arr
        return arr

    def forget_arrays(self, path: str = "", below: bool = True) -> None:
        """Drop the shared Array at ``path`` and, with ``below``, those under it ('': all): their
        documents were rewritten or removed behind them, so the next use reads them again."""
        path = path.strip("/")
        for held in (self._engine_arrays, self._made_records, self._parent_probes):
            if not below:
                held.pop(path, None)
                continue
            for p in [p for p in held if not path or p == path or p.startswith(path + "/")]:
                del held[p]

    def made_record(self, path: str, names: tuple[str, ...], zarr_format: int | None) -> dict:
        """The reserved attributes ``names`` of the dataset at ``path`` (how it was made), read again
        only when its attributes document changed: one stat says so on a directory store (other stores
        read it every time)."""
        attrs = self.attrs(path, zarr_format)
        token_of = getattr(self.store, "stat_token", None)
        token = None if token_of is None else token_of(attrs.key)  # before the read, as for metadata
        found = self._made_records.get(path)
        if token is not None and found is not None and found[0] == token:
            return found[1]
        record = {k: attrs.get_reserved(k) for k in names}
        if token is not None:
            self._made_records[path] = (token, record)
        return record

    def probe_parent(self, path: str) -> tuple[tuple[int, str] | None, Attributes]:
        """The node at ``path`` (its format and kind, or None) and its attributes, for a creation in it.
        A group is probed once per File: after that one stat per document (a v2 group's .zgroup and
        .zattrs, a v3 group's zarr.json) tells that nothing changed, as for a dataset's metadata; stores
        without stat tokens are probed every time."""
        token_of = self._doc_token
        if token_of is not None:
            known = self._parent_probes.get(path)
            if known is not None:
                tokens, node, document, attrs = known
                if tokens == tuple(map(token_of, _group_keys(path, node[0]))):
                    attrs.assume(document)  # its cache as read (a change since was written through it)
                    return node, attrs
        found = node_format(self.store, path)
        attrs = self.attrs(path, found[0] if found is not None else 2)
        if token_of is None or found is None or found[1] != "group":
            return found, attrs
        tokens = tuple(map(token_of, _group_keys(path, found[0])))  # before the read, as for metadata
        self._parent_probes[path] = (tokens, found, attrs.document(), attrs)
        return found, attrs

    def check_open(self) -> None:
        if not self.open:
            raise InvalidIdentifierError("Invalid location identifier (the file is closed)")

    def check_writable(self, what: str = "write") -> None:
        self.check_open()
        if self.read_only:
            raise NoWriteIntentError(f"Unable to {what} (no write intent on file {self.filename!r})")

    def format_of(self, path: str) -> int:
        """The Zarr format (2 or 3) of the node at ``path``; the file's format where there is none."""
        found = node_format(self.store, path)
        return found[0] if found else self.zarr_format

    def attrs(self, path: str, zarr_format: int | None = None) -> Attributes:
        # a fresh object per use: its cache lives for one operation, so other handles' writes are seen;
        # a v3 node keeps its attributes (reserved ones too) in the ``attributes`` of its zarr.json.
        # ``zarr_format``: the caller knows the node's format (it just made it), so no probe
        if zarr_format is None:
            found = node_format(self.store, path)
            zarr_format = found[0] if found is not None else 2
        if zarr_format == 3:
            return _FileV3Attributes(self, path)
        return Attributes(self.store, key=prefix(path) + ATTRS_KEY, read_only=self.read_only, cache=True,
                          synchronizer=self.synchronizer)

    def kind(self, path: str) -> str | None:
        """'dataset', 'group', 'datatype' or None for what is stored at ``path``."""
        found = node_format(self.store, path)  # one probe per document kind, whatever the format
        if found is None:
            return None
        if found[1] == "array":
            return "dataset"
        if path and self.attrs(path, found[0]).get_reserved(R_DATATYPE) is not None:
            return "datatype"
        return "group"


def _group_keys(path: str, zarr_format: int) -> tuple[str, ...]:
    # the documents a group's kind and attributes are read from
    p = prefix(path)
    return (p + ZARR_JSON,) if zarr_format == 3 else (p + GROUP_KEY, p + ATTRS_KEY)


def open_node(state: FileState, path: str, kind: str | None = None) -> Any:
    """The Dataset, Datatype or Group at ``path``; ``kind`` when the caller has just probed it."""
    kind = kind or state.kind(path)
    if kind not in ("dataset", "datatype", "group"):
        raise KeyError(f"Unable to open object (object {'/' + path!r} doesn't exist)")
    return provided(kind)(state, path)


class _FileV3Attributes(V3Attributes):
    """A v3 node's attributes, which live in its zarr.json: a write rewrites the document, so the
    File's shared Array of the node reads it again on next use."""

    def __init__(self, state: FileState, path: str) -> None:
        super().__init__(state.store, key=prefix(path) + ZARR_JSON, read_only=state.read_only, cache=True,
                         synchronizer=state.synchronizer)
        self._state, self._path = state, path

    def _write(self, document: dict) -> None:
        super()._write(document)
        self._state.forget_arrays(self._path, below=False)
