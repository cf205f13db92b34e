"""``zarr5 convert``: a whole HDF5 file or zarr store into the other format (or zarr into zarr).

The direction comes from what the source is: an HDF5 file is known by its signature (at offset 0 or
after a user block of 512, 1024, 2048... bytes), a zarr store by ``.zgroup`` / ``.zarray`` / ``zarr.json``.
An interrupted conversion never passes for a finished one: a zarr destination keeps the reserved
``_zarr5_incomplete`` attribute until the end (``resume=True`` continues it), an HDF5 destination is
written under ``DEST.partial`` and renamed at the end.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
from collections.abc import Callable
from typing import Any

import numcodecs

from zarr5.formats import HDF5_SIGNATURE, which_format
from zarr5.hdf5lib import real_h5py

__all__ = ["HDF5_SIGNATURE", "HDF5_SUFFIXES", "ConvertError", "convert", "detect", "parse_compressor"]

HDF5_SUFFIXES = (".h5", ".hdf5", ".hdf", ".he5", ".nc", ".nc4", ".h5ad")


# which_format's names -> the names convert() and the command line use
_KINDS = {"hdf5": "hdf5", "zarr2": "zarr", "zarr3": "zarr3"}


class ConvertError(Exception):
    """A conversion refused before anything was written (bad source, destination or option)."""


def detect(path: str) -> str:
    """'hdf5', 'zarr' (v2) or 'zarr3' for what ``path`` holds; ConvertError naming the problem.

    The content decides (:func:`zarr5.which_format`), never the name: a ZIP file holding a zarr store,
    as the h5py vocabulary writes ``data.h5``, is a zarr store.
    """
    if not os.path.exists(path):
        raise ConvertError(f"{path}: no such file or directory")
    if not os.path.isdir(path):
        try:  # the probe takes an unreadable file for "no format": say what is wrong instead
            open(path, "rb").close()
        except PermissionError:
            raise ConvertError(f"{path}: permission denied") from None
        except OSError as e:
            raise ConvertError(f"{path}: cannot be read ({e.strerror or e})") from None
    kind = which_format(path)
    if kind in _KINDS:
        return _KINDS[kind]
    if os.path.isdir(path):
        raise ConvertError(f"{path}: a directory without .zgroup, .zarray or zarr.json is not a zarr store")
    raise ConvertError(f"{path}: neither an HDF5 file (no HDF5 signature) nor a zarr store")


def parse_compressor(spec: str | None) -> Any:
    """'none', 'gzip[:level]', 'zstd[:level]', 'bz2[:level]', 'lz4', 'blosc[:cname[:clevel[:shuffle]]]'."""
    if spec is None:
        return None
    parts = spec.lower().split(":")
    name, args = parts[0], parts[1:]
    try:
        if name == "none":
            return "none"
        if name in ("gzip", "zlib", "deflate"):
            return numcodecs.Zlib(level=int(args[0]) if args else 1)
        if name == "zstd":
            return numcodecs.Zstd(level=int(args[0]) if args else 3)
        if name in ("bz2", "bzip2"):
            return numcodecs.BZ2(level=int(args[0]) if args else 9)
        if name == "lz4":
            return numcodecs.LZ4()
        if name == "blosc":
            return numcodecs.Blosc(cname=args[0] if args else "lz4",
                                   clevel=int(args[1]) if len(args) > 1 else 5,
                                   shuffle=int(args[2]) if len(args) > 2 else numcodecs.Blosc.SHUFFLE)
    except (ValueError, TypeError) as e:
        raise ConvertError(f"bad compressor {spec!r}: {e}") from None
    raise ConvertError(f"unknown compressor {spec!r}: use none, gzip[:level], zstd[:level], bz2[:level], lz4 "
                       f"or blosc[:cname[:clevel[:shuffle]]]")


def _selector(includes: list[str], excludes: list[str]) -> Callable[[str, bool], bool] | None:
    """A (path, is_group) -> bool filter from glob patterns over object paths such as '/a/b*'."""
    if not includes and not excludes:
        return None
    norm = ["/" + p.strip("/") for p in includes]
    excl = ["/" + p.strip("/") for p in excludes]

    def under(path: str, pat: str) -> bool:
        # the path or one of its ancestors matches: a matched group brings its whole subtree
        parts = path.strip("/").split("/")
        return any(fnmatch.fnmatchcase("/" + "/".join(parts[:i]), pat) for i in range(1, len(parts) + 1))

    def select(path: str, is_group: bool) -> bool:
        if any(under(path, p) for p in excl):
            return False
        if not norm:
            return True
        if any(under(path, p) for p in norm):
            return True
        # a group above an included path must be walked to reach it
        return is_group and any(p.startswith(path.rstrip("/") + "/") or "*" in p or "?" in p for p in norm)

    return select


def convert(src: str, dest: str, *, to: str | None = None, compressor: str | None = None,
            chunks: tuple[int, ...] | None = None, includes: list[str] | None = None,
            excludes: list[str] | None = None, dry_run: bool = False, zarr_format: int = 2,
            overwrite: bool = False, resume: bool = False, log: Any = None,
            progress: bool | None = None) -> tuple[int, int, int]:
    """Convert ``src`` into ``dest``; returns ``(n_copied, n_skipped, n_bytes)`` as ``copy_all`` does."""
    from zarr5.copying import copy_all

    kind = detect(src)
    if to is None:
        to = "hdf5" if kind != "hdf5" and dest.lower().endswith(HDF5_SUFFIXES) else "zarr"
    if to not in ("zarr", "hdf5"):
        raise ConvertError(f"--to must be zarr or hdf5, not {to!r}")
    if zarr_format not in (2, 3):
        raise ConvertError(f"--zarr-format must be 2 or 3, not {zarr_format!r}")
    if os.path.abspath(src) == os.path.abspath(dest):
        raise ConvertError(f"{dest}: the destination is the source")
    if os.path.exists(dest) and not (overwrite or resume or dry_run):
        raise ConvertError(f"{dest}: exists (use --overwrite to replace it, or --resume to finish an "
                           f"interrupted conversion)")
    # a converted archive usually lands in another directory: relative external links are rewritten so
    # they still name their files (copy/copy_all keep the text as written unless asked)
    kws: dict[str, Any] = {"select": _selector(list(includes or []), list(excludes or [])),
                           "progress": progress, "rewrite_external_links": True}
    codec = parse_compressor(compressor)
    if codec is not None:
        kws["compressor"] = None if codec == "none" else codec
    if chunks is not None:
        kws["chunks"] = tuple(chunks)
    if_exists = "skip_initialized" if resume else "raise"
    if dry_run:
        return _dry_run(kind, src, dest, to, log, kws)
    if to == "hdf5":
        return _to_hdf5(kind, src, dest, log, kws, copy_all)
    if kind == "hdf5":
        # straight through the h5py facade, whichever the format (v3: attributes in zarr.json,
        # dimension_names from the dimension scales)
        return _hdf5_to_zarr(src, dest, log, kws, if_exists, overwrite, zarr_format)
    return _zarr_to_zarr(src, dest, zarr_format, log, kws, if_exists, overwrite)


def _check_v3_dtypes(src: str, select: Any) -> None:
    """Refuse, before anything is written, an HDF5 file holding datasets a Zarr v3 store cannot."""
    h5py = real_h5py()

    from zarr5.h5.newdset import v3_dtype_problem

    problems: list[str] = []

    def visit(name: str, obj: Any) -> None:
        if isinstance(obj, h5py.Dataset) and (select is None or select("/" + name, False)):
            problem = v3_dtype_problem(obj.dtype)
            if problem is not None:
                problems.append(f"/{name} ({obj.dtype})")

    with h5py.File(src, "r") as source:
        source.visititems(visit)
    if problems:
        shown = ", ".join(problems[:5]) + (f" and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise ConvertError(f"{src}: {len(problems)} dataset(s) have no Zarr v3 data type (variable-length "
                           f"data other than UTF-8 strings, compounds...): {shown}; convert with "
                           f"--zarr-format 2, or leave them out with --exclude")


def _hdf5_to_zarr(src: str, dest: str, log: Any, kws: dict, if_exists: str,
                  overwrite: bool, zarr_format: int = 2) -> tuple[int, int, int]:
    h5py = real_h5py()

    from zarr5.copying import copy_all
    from zarr5.h5.files import File

    if zarr_format == 3:
        _check_v3_dtypes(src, kws.get("select"))
    if overwrite and os.path.exists(dest) and if_exists != "skip_initialized":
        _remove(dest)
    with h5py.File(src, "r") as source, File(dest, "a", zarr_format=zarr_format) as target:
        return copy_all(source, target, log=log, if_exists=if_exists, **kws)


def _zarr_to_zarr(src: str, dest: str, zarr_format: int, log: Any, kws: dict, if_exists: str,
                  overwrite: bool) -> tuple[int, int, int]:
    from zarr5.copying import copy_all
    from zarr5.core.group import Group
    from zarr5.core.hierarchy import contains_group, init_group
    from zarr5.storage import normalize_store_arg

    if overwrite and os.path.exists(dest) and if_exists != "skip_initialized":
        _remove(dest)
    # the command line is zarr5's own vocabulary: Pickle in a source is refused, never decoded
    source = Group(normalize_store_arg(src, mode="r"), "", read_only=True, allow_pickle=False)
    store = normalize_store_arg(dest, mode="a")
    if not contains_group(store, ""):
        init_group(store, zarr_format=zarr_format)
    if zarr_format == 3:
        kws = dict(kws, zarr_format=3)
    try:
        return copy_all(source, Group(store, ""), log=log, if_exists=if_exists, **kws)
    finally:
        close = getattr(store, "close", None)
        if close is not None:
            close()


def _to_hdf5(kind: str, src: str, dest: str, log: Any, kws: dict, copy_all: Any) -> tuple[int, int, int]:
    h5py = real_h5py()

    from zarr5.h5.files import File

    if kind == "hdf5":
        raise ConvertError(f"{src} is already HDF5; give a zarr destination (or --to zarr)")
    if kind == "zarr3":
        raise ConvertError(f"{src}: Zarr v3 -> HDF5 is not supported; convert it to Zarr v2 first")
    partial = dest + ".partial"
    source = File(src, "r")
    try:
        with h5py.File(partial, "w", track_order=source.track_order or None) as target:
            result = copy_all(source, target, log=log, **kws)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise
    finally:
        source.close()
    os.replace(partial, dest)  # only a finished file takes the destination's name
    return result


def _dry_run(kind: str, src: str, dest: str, to: str, log: Any, kws: dict) -> tuple[int, int, int]:
    h5py = real_h5py()

    from zarr5.copying import copy_all
    from zarr5.core.group import Group
    from zarr5.core.hierarchy import init_group
    from zarr5.h5.files import File
    from zarr5.storage import MemoryStore, normalize_store_arg

    kws = {k: v for k, v in kws.items() if k in ("select",)}
    if kind == "hdf5":
        with h5py.File(src, "r") as source:
            return copy_all(source, File(MemoryStore(), "w"), log=log, dry_run=True, **kws)
    # the command line is zarr5's own vocabulary: Pickle in a source is refused, never decoded
    source = Group(normalize_store_arg(src, mode="r"), "", read_only=True, allow_pickle=False)
    if to == "hdf5":
        with h5py.File("dry-run", "w", driver="core", backing_store=False) as target:
            return copy_all(File(source.store, "r"), target, log=log, dry_run=True, **kws)
    scratch = MemoryStore()
    init_group(scratch)
    return copy_all(source, Group(scratch, ""), log=log, dry_run=True, **kws)


def _remove(path: str) -> None:
    if os.path.isdir(path):
        shutil.rmtree(path)
    else:
        os.remove(path)
