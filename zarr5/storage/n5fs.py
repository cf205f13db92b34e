"""N5FSStore: an N5 container on any fsspec file system, presented to the engine as a Zarr v2 store.

The layout and the translations are :class:`~zarr5.storage.n5.N5Store`'s (zarr-python 2.18's
``zarr.n5``): a node's ``.zarray``/``.zgroup``/``.zattrs`` are views of its ``attributes.json``, chunk
``a/1.2.3`` is the file ``a/3/2/1``, and blocks carry N5's header (the ``n5_wrapper`` codec). Here the
files live wherever :class:`~zarr5.storage.fsspec.FSStore` puts them (local paths, ``memory://``,
``s3://``...). ``attributes.json`` is N5's own file, never listed in the Zarr view: reading the key
``a/attributes.json`` gives node ``a``'s N5 document (as zarr-python 2 does), writing it is refused.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from zarr5.errors import InvalidKeyError, MetadataError
from zarr5.storage.base import ensure_bytes, normalize_key
from zarr5.storage.fsspec import FSStore
from zarr5.storage.n5 import (
    _CHUNK_KEY,
    _DOC_LOCK,
    _META_NAMES,
    ATTRS_FILE,
    N5DocumentViews,
    _dumps,
    _loads,
    _meta_names,
    document_without,
    prepare_document,
)

_NUMBER = re.compile(r"^\d+$")


class N5FSStore(N5DocumentViews, FSStore):
    """An N5 container at ``url`` on an fsspec file system, read and written as a Zarr v2 store.

    Takes :class:`FSStore`'s arguments. N5 nests and reverses chunk keys itself, so chunk keys are
    always '.'-separated: a ``dimension_separator`` or ``key_separator`` other than '.' is ignored
    with a warning, as zarr-python 2 does.

    Examples
    --------
    >>> store = N5FSStore("memory://n5fs-doc/data.n5")
    >>> store[".zgroup"] = b'{"zarr_format": 2}'
    >>> store["a/.zattrs"] = b'{"unit": "nm"}'
    >>> sorted(store.fs.ls("/n5fs-doc/data.n5/a", detail=False)), store.listdir("a")
    (['/n5fs-doc/data.n5/a/attributes.json'], ['.zattrs', '.zgroup'])
    """

    rewrites_documents = True  # .zarray/.zattrs become attributes.json and come back translated

    def __init__(self, url: str, *args: Any, **kwargs: Any) -> None:
        for name in ("dimension_separator", "key_separator"):
            value = kwargs.pop(name, None)
            if value not in (None, "."):
                warnings.warn(f"N5FSStore ignores {name}={value!r}: N5 lays chunks out itself (nested, "
                              "reversed)", UserWarning, stacklevel=2)
        kwargs["dimension_separator"] = "."
        super().__init__(url, *args, **kwargs)

    # keys <-> files
    def _store_key(self, key: str) -> str:
        key = super()._store_key(key)
        parts = key.split("/")
        if ATTRS_FILE in parts:
            raise InvalidKeyError(f"invalid store key {key!r}: {ATTRS_FILE!r} is N5's metadata file; "
                                  f"only a node's own document is named so")
        last = parts[-1]
        if last in _META_NAMES:
            parts[-1] = ATTRS_FILE
        elif _CHUNK_KEY.match(last):
            parts[-1:] = reversed(last.split("."))
        return "/".join(parts)

    def _meta_target(self, key: str) -> tuple[str, str, bool] | None:
        """For a metadata key: (the path of its node's attributes.json, its name, whether at the root)."""
        key = normalize_key(key)
        head, _, last = key.rpartition("/")
        if last not in _META_NAMES:
            return None
        return self._key_path(key), last, not head

    def _load_doc(self, file_path: str) -> dict[str, Any] | None:
        values = self._cat([file_path], None, None)
        if values[0] is None:
            return None
        try:
            doc = json.loads(values[0])
        except (ValueError, UnicodeDecodeError) as e:
            raise MetadataError(f"{file_path}: not a JSON document: {e}") from e
        if not isinstance(doc, dict):
            raise MetadataError(f"{file_path}: expected a JSON object, found {type(doc).__name__}")
        return doc

    def _apply(self, file_path: str,
               change: Callable[[dict[str, Any] | None], dict[str, Any] | None]) -> None:
        with _DOC_LOCK:
            new = change(self._load_doc(file_path))
            if new is not None:
                self.fs.pipe_file(file_path, _dumps(new))

    def _node_document(self, node: str) -> str:
        return f"{self._dir(node)}/{ATTRS_FILE}"

    def _document_exists(self, file_path: str) -> bool:
        return bool(self._is_file(file_path))

    def _write_document(self, key: str, file_path: str, data: bytes) -> None:
        self.fs.pipe_file(file_path, data)

    def _remove_document(self, file_path: str) -> None:
        self._rm_files([file_path])

    def check_value(self, key: str, value: Any) -> None:
        if self._raw_document(key) is not None:
            _loads(ensure_bytes(value), key)
            return
        target = self._meta_target(key)
        if target is not None:
            prepare_document(key, target[1], target[2], ensure_bytes(value))

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        if self._set_raw_document(key, value):
            return
        target = self._meta_target(key)
        if target is None:
            super().__setitem__(key, value)
            return
        self._apply(target[0], prepare_document(key, target[1], target[2], ensure_bytes(value)))

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
                self.fs.pipe_file(file_path, _dumps(remaining))
                return
            self._rm_files([file_path])

    # batches: documents one by one through the translation, everything else in one request
    def _split(self, keys: Iterable[str]) -> tuple[list[str], list[str]]:
        keys = list(keys)
        # N5's own documents named directly go through the translation too (they need the lock)
        meta = [k for k in keys if self._raw_document(k) is not None or self._meta_target(k) is not None]
        return meta, [k for k in keys if k not in meta]

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        meta, plain = self._split(keys)
        out = super().get_many(plain)
        for key in meta:
            try:
                out[key] = self[key]
            except KeyError:
                pass
        return out

    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        meta, plain = self._split(items)
        # every document is checked before anything is written
        changes = []
        raw = {}
        for key in meta:
            if self._raw_document(key) is not None:
                raw[key] = ensure_bytes(items[key])
                _loads(raw[key], key)
                continue
            file_path, name, is_root = self._meta_target(key)  # type: ignore[misc]
            changes.append((file_path, prepare_document(key, name, is_root, ensure_bytes(items[key]))))
        super().set_many({k: items[k] for k in plain})
        for key, data in raw.items():
            self._set_raw_document(key, data)
        for file_path, change in changes:
            self._apply(file_path, change)

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        meta, plain = self._split(keys)
        super().delete_many(plain)
        for key in meta:
            try:
                del self[key]
            except KeyError:
                pass

    # listing: the Zarr view (documents for attributes.json, chunk keys for nested block files)
    def list_prefix(self, path: str = "") -> list[str]:
        raw = super().list_prefix(path)
        docs = {k: self._load_doc(self._full(k)) for k in raw if k.rsplit("/", 1)[-1] == ATTRS_FILE}
        array_dirs = {k.rpartition("/")[0] for k, doc in docs.items()
                      if doc is not None and "dimensions" in doc}
        keys = []
        for key in raw:
            head, _, last = key.rpartition("/")
            if last == ATTRS_FILE:
                doc = docs[key]
                keys += [f"{head}/{n}" if head else n for n in (_meta_names(doc) if doc is not None else [])]
                continue
            keys.append(self._chunk_key(key, array_dirs))
        return sorted(keys)

    @staticmethod
    def _chunk_key(key: str, array_dirs: set[str]) -> str:
        # a block file a/3/2/1 of the array a is the chunk a/1.2.3
        parts = key.split("/")
        for depth in range(len(parts) - 1, -1, -1):
            node = "/".join(parts[:depth])
            if node in array_dirs:
                rest = parts[depth:]
                if all(_NUMBER.match(p) for p in rest):
                    chunk = ".".join(reversed(rest))
                    return f"{node}/{chunk}" if node else chunk
                break
        return key

    def listdir(self, path: str = "") -> list[str]:
        names = super().listdir(path)
        if ATTRS_FILE not in names:
            return names
        names.remove(ATTRS_FILE)
        dir_path = self._dir(path)
        doc = self._load_doc(f"{dir_path}/{ATTRS_FILE}")
        if doc is None:
            return names  # removed since we listed
        out = _meta_names(doc)
        if "dimensions" not in doc:
            return sorted(out + names)
        prefix = dir_path[len(self.path) + 1:] + "/" if dir_path != self.path else ""
        find_blocks = super().list_prefix
        for name in names:
            if _NUMBER.match(name):
                blocks = find_blocks(prefix + name)
                if blocks:
                    out += [self._chunk_key(k, {prefix.rstrip("/")})[len(prefix):] for k in blocks]
                    continue
            out.append(name)
        return sorted(out)

    def __repr__(self) -> str:
        return super().__repr__().replace("FSStore", "N5FSStore", 1)


__all__ = ["N5FSStore"]
