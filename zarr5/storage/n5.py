"""N5Store: an N5 container on the local file system, presented to the engine as a Zarr v2 store.

N5 (https://github.com/saalfeldlab/n5) lays a hierarchy out the way a nested DirectoryStore does, with
three differences this store translates, both ways, with the conventions of zarr-python 2.18's
``zarr.n5.N5Store`` (each reads what the other writes):

- metadata: a node's ``.zarray`` / ``.zgroup`` / ``.zattrs`` documents are one file, ``attributes.json``.
  A node is an array when that file holds ``dimensions``; the array keywords (``dimensions``,
  ``blockSize``, ``dataType``, ``compression``) and the root's ``n5`` version are kept apart from the
  user attributes (names equal to those keywords are refused). Dimensions and block sizes are listed
  fastest-axis first, so they are reversed;
  compressor configurations map to N5 ``compression`` objects (raw, gzip/zlib, bzip2, xz/lzma, blosc,
  zstd, lz4);
- chunk keys: chunk ``a/1.2.3`` is the file ``a/3/2/1`` (reversed axes, nested directories);
- chunk bytes: every block starts with a header (mode, number of dimensions, the block's dimensions)
  and holds its items big-endian. The engine sees this as a compressor: ``.zarray`` read from an
  N5Store names the ``n5_wrapper`` codec (:class:`zarr5.codecs.n5.N5ChunkWrapper`, registered with
  numcodecs under zarr-python's id), which wraps the N5 compression.

Iterating the store, ``listdir`` and ``list_prefix`` show the Zarr view (``.zarray``, ``0.0``...), never
``attributes.json``, whose name is reserved: reading the key ``a/attributes.json`` gives N5's own
document of node ``a`` (as zarr-python 2 does), writing it is refused. Writes are atomic
(DirectoryStore's temp file + rename); metadata changes are read-modify-writes of ``attributes.json``,
serialised within the process.

Limits, all refused with a clear error: fill values other than 0 (N5 reads missing blocks as 0), order
'F', filters, ``dimension_separator='/'``, dtypes outside N5's (u)int8-64 and float32/64 on write,
object-mode blocks, varlength blocks of other than one item per position and Java's lz4 block-stream
compression on read. Edge blocks are written whole, as zarr-python writes them (N5 readers take the
block size from each header); cut edge blocks, as Java N5 writes them, are read and padded with zeros.
Directories without ``attributes.json`` are not groups in the Zarr view (arrays below them still open by
path), and deleting ``.zarray``/``.zgroup`` deletes the node's ``.zattrs`` too: they share one file.
"""

from __future__ import annotations

import json
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from zarr5.errors import InvalidKeyError, MetadataError, UnsafeCodecError
from zarr5.storage.base import ensure_bytes, is_valid_key, normalize_key
from zarr5.storage.directory import DirectoryStore, _is_temp

__all__ = ["N5_FORMAT", "N5_WRAPPER_ID", "N5DocumentViews", "N5Store", "array_metadata_to_n5",
           "array_metadata_to_zarr",
           "compressor_to_n5", "compressor_to_zarr"]

#: the N5 version written at the root, as zarr-python 2.18 writes it
N5_FORMAT = "2.0.0"
#: the id of the N5 block codec (zarr5.codecs.n5.N5ChunkWrapper) that the Zarr view's compressor names,
#: zarr-python 2.18's id for its own N5ChunkWrapper
N5_WRAPPER_ID = "n5_wrapper"
ATTRS_FILE = "attributes.json"
ARRAY_KEY, GROUP_KEY, ATTRS_KEY = ".zarray", ".zgroup", ".zattrs"
_META_NAMES = (ARRAY_KEY, GROUP_KEY, ATTRS_KEY)
# compressionType is the pre-1.0 spelling of compression; kept with the array keywords it describes
_ARRAY_KEYWORDS = ("dimensions", "blockSize", "dataType", "compression", "compressionType")
_KEYWORDS = frozenset(_ARRAY_KEYWORDS + ("n5",))
_N5_DTYPES = frozenset({"uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
                        "float32", "float64"})
# what zarr-python 2.18 reads back besides N5's own types (it writes any numpy dtype name)
_READABLE_KINDS = "biufc"
_CHUNK_KEY = re.compile(r"^\d+(\.\d+)+$")
_NUMBER = re.compile(r"^\d+$")
# codecs whose decode can run code the stored bytes choose
_UNSAFE_CODECS = frozenset({"pickle"})
# lzma.FORMAT_XZ, and the checks an N5 xz stream may carry (-1 = the default, 4 = CHECK_CRC64)
_FORMAT_XZ, _XZ_CHECKS = 1, (-1, 4)
# one lock for every attributes.json read-modify-write in the process (stores may share a path)
_DOC_LOCK = threading.RLock()


# JSON ----------------------------------------------------------------------------------------------


def _dumps(obj: Any) -> bytes:
    # formatted like zarr-python 2.18's documents, so both libraries return the same .zarray bytes
    text = json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=True, separators=(",", ": "))
    return text.encode("ascii")


def _loads(data: bytes, where: str) -> dict[str, Any]:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise MetadataError(f"{where}: malformed JSON: {e}") from e
    if not isinstance(doc, dict):
        raise MetadataError(f"{where}: expected a JSON object, found {type(doc).__name__}")
    return doc


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _int_list(value: Any, field: str, where: str, minimum: int) -> list[int]:
    value = list(value) if isinstance(value, tuple) else value
    if not isinstance(value, list) or not all(_is_int(n) and n >= minimum for n in value):
        raise MetadataError(f"{where}: {field} {value!r} must be a list of integers >= {minimum}")
    return value


# compression <-> compressor ------------------------------------------------------------------------


def compressor_to_n5(config: Mapping[str, Any] | None, where: str = "") -> dict[str, Any]:
    """Return the N5 ``compression`` object for a numcodecs compressor configuration (None = raw)."""
    if config is None:
        return {"type": "raw"}
    if not isinstance(config, Mapping) or not isinstance(config.get("id"), str):
        raise MetadataError(f"{where}: compressor {config!r} must be a codec configuration with an 'id'")
    codec_id = config["id"]
    if codec_id == N5_WRAPPER_ID:
        # a document read from an N5 store goes back in: only the wrapped compressor is N5's
        return compressor_to_n5(config.get("compressor_config"), where)
    rest = {k: v for k, v in config.items() if k != "id"}
    if codec_id in ("gzip", "zlib"):
        return {"type": "gzip", "level": config.get("level", 1), "useZlib": codec_id == "zlib"}
    if codec_id == "bz2":
        return {"type": "bzip2", "blockSize": config.get("level", 9)}
    if codec_id == "lzma":
        preset = 6 if config.get("preset") is None else config["preset"]  # lzma.PRESET_DEFAULT
        if (config.get("format", _FORMAT_XZ) == _FORMAT_XZ and config.get("check", -1) in _XZ_CHECKS
                and config.get("filters") is None):
            return {"type": "xz", "preset": preset}
        warnings.warn(f"{where}: lzma settings {rest!r} are not N5's xz; other N5 readers may not read "
                      f"these blocks", RuntimeWarning, stacklevel=3)
        return {"type": "lzma", **rest, "preset": preset}
    if codec_id == "blosc":
        # n5-blosc (Java) also reads nthreads; zarr-python ignores it
        return {"type": "blosc", "cname": config.get("cname", "lz4"), "clevel": config.get("clevel", 5),
                "shuffle": config.get("shuffle", 1), "blocksize": config.get("blocksize", 0), "nthreads": 1}
    if codec_id == "lz4":
        warnings.warn(f"{where}: numcodecs LZ4 blocks are not the LZ4 block stream Java N5 writes; only "
                      f"zarr-python and zarr5 will read them", RuntimeWarning, stacklevel=3)
    if codec_id in _UNSAFE_CODECS:
        raise ValueError(f"{where}: compressor {codec_id!r} runs code on read and cannot be stored in N5")
    return {"type": codec_id, **rest}


def compressor_to_zarr(compression: Mapping[str, Any], where: str = "") -> dict[str, Any] | None:
    """Return the numcodecs configuration for an N5 ``compression`` object (None for raw)."""
    if not isinstance(compression, Mapping) or not isinstance(compression.get("type"), str):
        raise MetadataError(f"{where}: compression {compression!r} must be an object with a string 'type'")
    kind = compression["type"]
    get = compression.get
    # zarr-python 2.18 copies 'id' into configurations it passes through; it is the type again
    rest = {k: v for k, v in compression.items() if k not in ("type", "id")}
    if kind == "raw":
        return None
    if kind == "gzip":
        # N5's default level is -1 (zlib's default), which numcodecs passes through to zlib
        return {"id": "zlib" if get("useZlib") else "gzip", "level": get("level", -1)}
    if kind == "bzip2":
        return {"id": "bz2", "level": get("blockSize", 9)}
    if kind == "xz":
        return {"id": "lzma", "format": _FORMAT_XZ, "check": -1, "preset": get("preset", 6), "filters": None}
    if kind == "lzma":
        return {"id": "lzma", "format": get("format", _FORMAT_XZ), "check": get("check", -1),
                "preset": get("preset"), "filters": get("filters")}
    if kind == "blosc":
        return {"id": "blosc", "cname": get("cname", "lz4"), "clevel": get("clevel", 5),
                "shuffle": get("shuffle", 1), "blocksize": get("blocksize", 0)}
    if kind == "lz4" and "blockSize" in compression and "acceleration" not in compression:
        raise MetadataError(f"{where}: compression {dict(compression)!r} is Java N5's LZ4 block stream, "
                            f"which numcodecs cannot decode")
    if kind in _UNSAFE_CODECS:
        raise UnsafeCodecError(f"{where}: compression {kind!r} can run arbitrary code on read; refused")
    return {"id": kind, **rest}


# array metadata <-> N5 dataset attributes ---------------------------------------------------------


def array_metadata_to_n5(meta: Mapping[str, Any], where: str = ".zarray") -> dict[str, Any]:
    """Return the N5 dataset keywords for a ``.zarray`` document, refusing what N5 cannot hold.

    Raises
    ------
    MetadataError
        For a malformed document.
    ValueError
        For features N5 lacks: a fill value other than 0, order 'F', filters, a '/' dimension
        separator, a dtype N5 has no ``dataType`` for.
    TypeError
        For a structured dtype, as zarr 2 raises.
    """
    missing = [f for f in ("zarr_format", "shape", "chunks", "dtype") if f not in meta]
    if missing:
        raise MetadataError(f"{where}: missing field(s) {', '.join(map(repr, missing))}")
    if meta["zarr_format"] != 2:
        raise MetadataError(f"{where}: unsupported zarr_format {meta['zarr_format']!r}; expected 2")
    shape = _int_list(meta["shape"], "shape", where, 0)
    chunks = _int_list(meta["chunks"], "chunks", where, 0)
    if len(chunks) != len(shape):
        raise MetadataError(f"{where}: chunks {chunks!r} and shape {shape!r} differ in length")
    if isinstance(meta["dtype"], list):
        # a structured dtype (its JSON form is a list of fields): zarr 2 refuses it with TypeError too
        raise TypeError(f"{where}: N5 has no structured data types; cannot store dtype {meta['dtype']!r}")
    try:
        dtype = np.dtype(meta["dtype"])
    except Exception as e:  # numpy raises several types for bad dtypes
        raise MetadataError(f"{where}: invalid dtype {meta['dtype']!r}: {e}") from e
    if dtype.name not in _N5_DTYPES:
        raise ValueError(f"{where}: N5 has no dataType for dtype {dtype.str!r}; it stores "
                         f"{', '.join(sorted(_N5_DTYPES))}")
    fill = meta.get("fill_value")
    if fill is not None and (isinstance(fill, (str, list, dict)) or fill != 0):
        raise ValueError(f"{where}: N5 reads missing blocks as 0, so fill_value {fill!r} cannot be stored; "
                         f"use 0 (or None)")
    if meta.get("order", "C") != "C":
        raise ValueError(f"{where}: N5 stores blocks in C order only, not order {meta.get('order')!r}")
    if meta.get("filters"):
        raise ValueError(f"{where}: N5 has no filters; cannot store filters {meta['filters']!r}")
    if meta.get("dimension_separator") not in (None, "."):
        raise ValueError(f"{where}: N5Store lays chunks out itself and needs '.'-separated chunk keys, "
                         f"not dimension_separator {meta['dimension_separator']!r}")
    return {
        "dimensions": shape[::-1],
        "blockSize": chunks[::-1],
        "dataType": dtype.name,
        "compression": compressor_to_n5(meta.get("compressor"), where),
    }


def array_metadata_to_zarr(doc: Mapping[str, Any], where: str = ATTRS_FILE) -> dict[str, Any]:
    """Return the ``.zarray`` document for the N5 dataset attributes ``doc``."""
    dims = _int_list(doc.get("dimensions"), "dimensions", where, 0)
    block = _int_list(doc.get("blockSize"), "blockSize", where, 0)
    if len(block) != len(dims):
        raise MetadataError(f"{where}: blockSize {block!r} and dimensions {dims!r} differ in length")
    name = doc.get("dataType")
    try:
        dtype = np.dtype(name) if isinstance(name, str) else None
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind not in _READABLE_KINDS:
        raise MetadataError(f"{where}: unsupported N5 dataType {name!r}")
    compression = doc.get("compression")
    if compression is None:
        # N5 before 1.0 named the scheme alone; no scheme at all means raw
        compression = {"type": doc.get("compressionType", "raw")}
    chunks = block[::-1]
    wrapper = {"id": N5_WRAPPER_ID, "compressor_config": compressor_to_zarr(compression, where),
               "dtype": dtype.str, "chunk_shape": chunks}
    return {
        "zarr_format": 2,
        "shape": dims[::-1],
        "chunks": chunks,
        "dtype": dtype.str,
        "compressor": wrapper,
        "fill_value": 0,  # N5 has no fill value: a missing block reads as zeros
        "order": "C",
        "filters": None,
        "dimension_separator": ".",
    }


def _user_attrs(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in _KEYWORDS}


def _meta_names(doc: Mapping[str, Any]) -> list[str]:
    names = [ARRAY_KEY if "dimensions" in doc else GROUP_KEY]
    return names + [ATTRS_KEY] if _user_attrs(doc) else names


# one node's Zarr documents <-> its attributes.json -------------------------------------------------


def zarr_document(doc: dict[str, Any] | None, name: str, key: str, where: str) -> bytes:
    """The Zarr document ``name`` (.zarray/.zgroup/.zattrs) a node's N5 ``doc`` holds; KeyError if none."""
    if doc is None:
        raise KeyError(key)
    is_array = "dimensions" in doc
    if name == ARRAY_KEY and is_array:
        return _dumps(array_metadata_to_zarr(doc, where))
    if name == GROUP_KEY and not is_array:
        return _dumps({"zarr_format": 2})
    attrs = _user_attrs(doc)
    if name == ATTRS_KEY and attrs:
        return _dumps(attrs)
    raise KeyError(key)


def document_without(doc: dict[str, Any] | None, name: str, key: str) -> dict[str, Any] | None:
    """The node's N5 ``doc`` once the Zarr document ``name`` is deleted (None: remove the file).

    KeyError if the node has no document. N5 keeps all of a node's metadata in one document, so
    deleting ``.zarray`` or ``.zgroup`` removes it, attributes and all, as zarr 2's N5Store does
    (whichever of the two the node is). Deleting ``.zattrs`` takes only the user attributes
    (KeyError if there are none); a document left empty is removed.
    """
    if doc is None:
        raise KeyError(key)
    if name != ATTRS_KEY:
        return None
    if not _user_attrs(doc):
        raise KeyError(key)
    return {k: v for k, v in doc.items() if k in _KEYWORDS} or None


def prepare_document(key: str, name: str, is_root: bool,
                     data: bytes) -> Callable[[dict[str, Any] | None], dict[str, Any] | None]:
    """Check the Zarr document ``data`` written as ``key`` and return how it changes the node's
    attributes.json (old document or None -> new document, None: leave it absent).

    Everything that can be refused is refused here, before anything is written.
    """
    doc = _loads(data, key)

    def keep(old: dict[str, Any] | None, drop: Iterable[str]) -> dict[str, Any]:
        new = {k: v for k, v in (old or {}).items() if k not in drop}
        if is_root:
            # the version lives at the root; keep one another N5 writer put there
            new.setdefault("n5", N5_FORMAT)
        return new

    if name == ARRAY_KEY:
        fragment = array_metadata_to_n5(doc, key)
        return lambda old: {**keep(old, _ARRAY_KEYWORDS), **fragment}
    if name == GROUP_KEY:
        if doc.get("zarr_format") != 2:
            raise MetadataError(f"{key}: unsupported zarr_format {doc.get('zarr_format')!r}; expected 2")
        # a group replaces an array of the same path, as a new .zgroup would in a zarr store
        return lambda old: keep(old, _ARRAY_KEYWORDS)
    reserved = sorted(set(doc) & _KEYWORDS)
    if reserved:
        raise ValueError(f"{key}: attribute name(s) {', '.join(map(repr, reserved))} are N5 keywords, "
                         f"reserved for the container's own metadata")

    def set_attrs(old: dict[str, Any] | None) -> dict[str, Any] | None:
        if old is None and not doc:
            return None  # no attributes on no node: nothing to keep
        return {**{k: v for k, v in (old or {}).items() if k in _KEYWORDS}, **doc}

    return set_attrs


# the store -----------------------------------------------------------------------------------------


class N5DocumentViews:
    """The Zarr view of N5's ``attributes.json`` that N5Store and N5FSStore share: reading a metadata key
    answers from the node's document, and the key ``a/attributes.json`` reads node ``a``'s N5 document.

    A store using it (listed before its base store) supplies ``_meta_target``, ``_load_doc``,
    ``_node_document`` (a node path -> its document's file) and ``_document_exists``.
    """

    _meta_target: Callable[[str], tuple[str, str, bool] | None]
    _load_doc: Callable[[str], dict[str, Any] | None]
    _node_document: Callable[[str], str]
    _document_exists: Callable[[str], bool]
    _write_document: Callable[[str, str, bytes], None]  # (key, document file, bytes)
    _remove_document: Callable[[str], None]  # (document file)
    _check_writable: Callable[[], None]

    def _raw_document(self, key: object) -> str | None:
        """The file of a key naming a node's ``attributes.json`` itself (read-only), else None."""
        if not isinstance(key, str) or not key.endswith(ATTRS_FILE):
            return None
        head, _, last = normalize_key(key).rpartition("/")
        if last != ATTRS_FILE or ATTRS_FILE in head.split("/"):
            return None
        return self._node_document(head)

    def _set_raw_document(self, key: str, value: Any) -> bool:
        """Write N5's own document under its name, as zarr-2 code may; False if ``key`` names none.

        The value must be a JSON object (MetadataError naming ``key`` otherwise, nothing written).
        """
        raw = self._raw_document(key)
        if raw is None:
            return False
        self._check_writable()
        data = ensure_bytes(value)
        _loads(data, key)
        with _DOC_LOCK:
            self._write_document(key, raw, data)
        return True

    def _delete_raw_document(self, key: str) -> bool:
        """Delete N5's own document under its name; False if ``key`` names none, KeyError if absent."""
        raw = self._raw_document(key)
        if raw is None:
            return False
        self._check_writable()
        with _DOC_LOCK:
            if not self._document_exists(raw):
                raise KeyError(key)
            self._remove_document(raw)
        return True

    # the mapping: metadata keys are views of attributes.json, every other key is the base store's
    def __getitem__(self, key: str) -> bytes:
        raw = self._raw_document(key)
        if raw is not None:
            # zarr-2 code reads N5's own document (the n5 version, its keywords) under its name
            doc = self._load_doc(raw)
            if doc is None:
                raise KeyError(key)
            return _dumps(doc)
        target = self._meta_target(key)
        if target is None:
            return super().__getitem__(key)  # type: ignore[misc]
        file_path, name, _ = target
        return zarr_document(self._load_doc(file_path), name, key, file_path)

    def __contains__(self, key: object) -> bool:
        if not is_valid_key(key):
            return False
        try:
            raw = self._raw_document(key)
            if raw is not None:
                return self._document_exists(raw)
            target = self._meta_target(key)
        except InvalidKeyError:
            return False
        if target is None:
            return bool(super().__contains__(key))  # type: ignore[misc]
        doc = self._load_doc(target[0])
        return doc is not None and target[1] in _meta_names(doc)


class N5Store(N5DocumentViews, DirectoryStore):
    """An N5 container in the directory ``path``, read and written as a Zarr v2 store.

    Parameters
    ----------
    path : str or os.PathLike
        Root directory of the container (created on first write).
    normalize_keys : bool
        Lower-case every key (for case-insensitive file systems).
    dimension_separator : {'.', None}
        Chunk keys the engine uses; N5's own nested, reversed layout is made by the store, so only
        '.' is accepted (None means '.').
    read_only : bool, keyword-only
        Refuse every write with ``ReadOnlyError``.

    Examples
    --------
    >>> import os, tempfile
    >>> import zarr5 as zarr
    >>> store = N5Store(os.path.join(tempfile.mkdtemp(), "example.n5"))
    >>> z = zarr.zeros((4, 6), chunks=(2, 3), dtype="u2", store=store, path="x")
    >>> z[:] = 7
    >>> sorted(os.listdir(os.path.join(store.path, "x"))), store.listdir("x")[:3]
    (['0', '1', 'attributes.json'], ['.zarray', '0.0', '0.1'])
    """

    rewrites_documents = True  # .zarray/.zattrs become attributes.json and come back translated

    def __init__(self, path: str | os.PathLike, normalize_keys: bool = False,
                 dimension_separator: str | None = ".", *, read_only: bool = False) -> None:
        if dimension_separator not in (None, "."):
            raise ValueError(f"N5Store only supports '.' as dimension_separator (it nests chunks itself), "
                             f"not {dimension_separator!r}")
        super().__init__(path, normalize_keys=normalize_keys, dimension_separator=".", read_only=read_only)

    # keys <-> files
    def _checked_key(self, key: str) -> str:
        key = super()._store_key(key)
        if ATTRS_FILE in key.split("/"):
            raise InvalidKeyError(f"invalid store key {key!r}: {ATTRS_FILE!r} is N5's metadata file; "
                                  f"only a node's own document is named so")
        return key

    def _store_key(self, key: str) -> str:
        key = self._checked_key(key)
        head, _, last = key.rpartition("/")
        if last in _META_NAMES:
            last = ATTRS_FILE
        elif _CHUNK_KEY.match(last):
            last = "/".join(reversed(last.split(".")))
        return f"{head}/{last}" if head else last

    def _dir_path(self, path: str) -> str:
        if ATTRS_FILE in (path or "").split("/"):
            raise InvalidKeyError(f"invalid path {path!r}: {ATTRS_FILE!r} is N5's metadata file")
        return super()._dir_path(path)

    def _meta_target(self, key: str) -> tuple[str, str, bool] | None:
        """For a metadata key: (its node's attributes.json path, '.zarray'/'.zgroup'/'.zattrs', is root)."""
        head, _, last = self._checked_key(key).rpartition("/")
        if last not in _META_NAMES:
            return None
        return os.path.join(self.path, *(head.split("/") if head else ()), ATTRS_FILE), last, not head

    def _load_doc(self, file_path: str) -> dict[str, Any] | None:
        try:
            with open(file_path, "rb") as f:
                data = f.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        return _loads(data, file_path)

    def _node_document(self, node: str) -> str:
        return os.path.join(self._dir_path(node), ATTRS_FILE)

    def _document_exists(self, file_path: str) -> bool:
        return os.path.isfile(file_path)

    def _write_document(self, key: str, file_path: str, data: bytes) -> None:
        self._write_file(key, file_path, data)

    def _remove_document(self, file_path: str) -> None:
        os.remove(file_path)
        self._prune(os.path.dirname(file_path))

    def check_value(self, key: str, value: Any) -> None:
        if self._raw_document(key) is not None:
            _loads(ensure_bytes(value), key)
            return
        target = self._meta_target(key)
        if target is not None:
            self._prepare(key, target, ensure_bytes(value))

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        if self._set_raw_document(key, value):
            return
        target = self._meta_target(key)
        if target is None:
            super().__setitem__(key, value)
            return
        self._apply(key, target[0], self._prepare(key, target, ensure_bytes(value)))

    def _prepare(self, key: str, target: tuple[str, str, bool],
                 data: bytes) -> Callable[[dict[str, Any] | None], dict[str, Any] | None]:
        return prepare_document(key, target[1], target[2], data)

    def _apply(self, key: str, file_path: str,
               change: Callable[[dict[str, Any] | None], dict[str, Any] | None]) -> None:
        with _DOC_LOCK:
            new = change(self._load_doc(file_path))
            if new is not None:
                self._write_file(key, file_path, _dumps(new))

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        if self._delete_raw_document(key):
            return
        target = self._meta_target(key)
        if target is None:
            super().__delitem__(key)
            return
        file_path, name, _ = target
        with _DOC_LOCK:
            remaining = document_without(self._load_doc(file_path), name, key)
            if remaining is not None:
                self._write_file(key, file_path, _dumps(remaining))
                return
            os.remove(file_path)
        self._prune(os.path.dirname(file_path))

    # batches: metadata documents are checked up front, then written one by one under the lock
    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        plain: dict[str, bytes] = {}
        documents = []
        raw: dict[str, bytes] = {}
        for key, value in items.items():
            data = ensure_bytes(value)
            if self._raw_document(key) is not None:
                _loads(data, key)
                raw[key] = data
                continue
            target = self._meta_target(key)
            if target is None:
                plain[key] = data
            else:
                documents.append((key, target[0], self._prepare(key, target, data)))
        super().set_many(plain)
        for key, data in raw.items():
            self._set_raw_document(key, data)
        for key, file_path, change in documents:
            self._apply(key, file_path, change)

    # listing: the Zarr view of each directory
    def _walk(self, dir_path: str, prefix: str) -> list[str]:
        try:
            entries = sorted(os.scandir(dir_path), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            return []
        keys: list[str] = []
        is_array = False
        if any(e.name == ATTRS_FILE for e in entries):
            doc = self._load_doc(os.path.join(dir_path, ATTRS_FILE))
            if doc is not None:
                is_array = "dimensions" in doc
                keys += [prefix + n for n in _meta_names(doc)]
        for entry in entries:
            if entry.name == ATTRS_FILE or _is_temp(entry.name):
                continue
            if entry.is_dir(follow_symlinks=True):
                if is_array and _NUMBER.match(entry.name):
                    keys += [prefix + n for n in _chunk_names(entry.path, [entry.name])]
                else:
                    keys += self._walk(entry.path, prefix + entry.name + "/")
            else:
                keys.append(prefix + entry.name)
        return keys

    def list_prefix(self, path: str = "") -> list[str]:
        # chunk names are rebuilt from nested directories, so the walk's order is not key order
        return sorted(super().list_prefix(path))

    def listdir(self, path: str = "") -> list[str]:
        names = super().listdir(path)
        if ATTRS_FILE not in names:
            return names
        names.remove(ATTRS_FILE)
        dir_path = self._dir_path(path)
        doc = self._load_doc(os.path.join(dir_path, ATTRS_FILE))
        if doc is None:
            return names  # removed since we listed
        is_array = "dimensions" in doc
        out = _meta_names(doc)
        for name in names:
            full = os.path.join(dir_path, name)
            if is_array and _NUMBER.match(name) and os.path.isdir(full):
                out += _chunk_names(full, [name])
            else:
                out.append(name)
        return sorted(out)


def _chunk_names(dir_path: str, parts: list[str]) -> list[str]:
    """Chunk keys (relative to the array) of the block files under ``dir_path``, an array's subdirectory."""
    names: list[str] = []
    try:
        entries = list(os.scandir(dir_path))
    except (FileNotFoundError, NotADirectoryError):
        return names
    for entry in entries:
        if _is_temp(entry.name):
            continue
        sub = parts + [entry.name]
        if entry.is_dir(follow_symlinks=True):
            names += _chunk_names(entry.path, sub)
        elif all(_NUMBER.match(p) for p in sub):
            names.append(".".join(reversed(sub)))
        else:
            names.append("/".join(sub))  # not a block: shown as the plain key that reads it
    return names
