"""``zarr5 convert``, ``zarr5 tree`` and ``zarr5 info``: the command line over HDF5 files and zarr stores."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from zarr5.copying.convert import ConvertError, convert, detect
from zarr5.core import Array, Group
from zarr5.errors import CopyError
from zarr5.hdf5lib import real_h5py

__all__ = ["add_convert_commands", "run_convert_command"]

_CONVERT_EPILOG = """\
The direction follows the source: an HDF5 file (found by its signature) becomes a zarr store; a zarr
store becomes an HDF5 file when DEST ends in .h5/.hdf5/.nc (or --to hdf5), else another zarr store.
Nothing is lost: dtypes, fill values, maxshape, chunks, filters (chunks copied raw where the codecs
match), attributes with exact types, links, dimension scales, creation order.

examples:
  zarr5 convert data.h5 data.zarr                        # HDF5 -> Zarr v2
  zarr5 convert data.h5 data.zarr --zarr-format 3        # HDF5 -> Zarr v3 (with dimension_names)
  zarr5 convert data.h5 data.zarr --compressor zstd:5 --chunks 256,256
  zarr5 convert data.h5 data.zarr --include '/climate/*' --exclude '/climate/raw'
  zarr5 convert data.zarr data.h5                        # zarr -> HDF5
  zarr5 convert data.h5 data.zarr --dry-run              # list what would be copied
  zarr5 convert data.h5 data.zarr --resume               # finish an interrupted conversion
"""


def add_convert_commands(sub: Any) -> None:
    p = sub.add_parser("convert", help="convert an HDF5 file to zarr, a zarr store to HDF5 or to zarr",
                       epilog=_CONVERT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("src", metavar="SRC", help="an HDF5 file or a zarr store (directory or .zip)")
    p.add_argument("dest", metavar="DEST", help="the store or file to write")
    p.add_argument("--to", choices=("zarr", "hdf5"), help="destination format (default: from DEST's name)")
    p.add_argument("--compressor", help="none, gzip[:level], zstd[:level], bz2[:level], lz4, "
                                        "blosc[:cname[:clevel[:shuffle]]] (default: keep the source's)")
    p.add_argument("--chunks", help="chunk shape for every array, e.g. 100,100 (default: keep)")
    p.add_argument("--include", action="append", default=[], metavar="PATH",
                   help="copy only objects at or below PATH (glob, repeatable)")
    p.add_argument("--exclude", action="append", default=[], metavar="PATH",
                   help="leave out objects at or below PATH (glob, repeatable)")
    p.add_argument("--zarr-format", type=int, choices=(2, 3), default=2, help="Zarr format written (2)")
    p.add_argument("--dry-run", action="store_true", help="log what would be copied, write nothing")
    p.add_argument("--overwrite", action="store_true", help="replace an existing DEST")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted conversion into DEST (skips finished arrays)")
    p.add_argument("-q", "--quiet", action="store_true", help="no per-object log lines")
    p.add_argument("--progress", action="store_true", help="show a progress bar (needs tqdm)")
    for name, helptext in (("tree", "print the hierarchy of an HDF5 file or zarr store"),
                           ("info", "describe every array of an HDF5 file or zarr store")):
        q = sub.add_parser(name, help=helptext, epilog=f"example:\n  zarr5 {name} data.h5\n  zarr5 {name} "
                           f"data.zarr", formatter_class=argparse.RawDescriptionHelpFormatter)
        q.add_argument("path", metavar="PATH")


def run_convert_command(args: argparse.Namespace) -> int:
    try:
        if args.command == "convert":
            chunks = tuple(int(c) for c in args.chunks.split(",")) if args.chunks else None
            convert(args.src, args.dest, to=args.to, compressor=args.compressor, chunks=chunks,
                    includes=args.include, excludes=args.exclude, dry_run=args.dry_run,
                    zarr_format=args.zarr_format, overwrite=args.overwrite, resume=args.resume,
                    log=None if args.quiet else sys.stdout, progress=args.progress or None)
            return 0
        print(_tree(args.path) if args.command == "tree" else _info(args.path))
        return 0
    except ConvertError as e:
        print(f"zarr5 {args.command}: error: {e}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, KeyError, OSError, CopyError) as e:
        # what the data or the file system refused: one line naming it, not a traceback
        print(f"zarr5 {args.command}: error: {type(e).__name__}: {e}", file=sys.stderr)
        return 2


def _tree(path: str) -> str:
    from zarr5.api import tree

    if detect(path) == "hdf5":
        h5py = real_h5py()

        with h5py.File(path, "r") as f:
            return str(tree(f))
    node = _open_zarr(path)
    if isinstance(node, Array):  # an array inside a store: the line tree() draws for it
        return f"{_label(path, node)} {node.shape} {node.dtype}"
    return str(node.tree())


def _open_zarr(path: str) -> Array | Group:
    """The group or array at ``path`` (a store, or a node inside one), read-only."""
    from zarr5.api import open as open_node

    return open_node(path, mode="r")


def _label(path: str, arr: Array) -> str:
    # opened by its own path, an array's name is '/': the path names it better
    return arr.name if arr.name not in (None, "/") else path.rstrip("/").rsplit("/", 1)[-1]


def _info(path: str) -> str:
    kind = detect(path)
    what = "HDF5 file" if kind == "hdf5" else f"zarr store (v{3 if kind == 'zarr3' else 2})"
    lines = [f"{path}: {what}"]
    if kind == "hdf5":
        h5py = real_h5py()

        with h5py.File(path, "r") as f:
            def visit(name: str, obj: Any) -> None:
                if isinstance(obj, h5py.Dataset):
                    lines.append(f"/{name}  shape={obj.shape} dtype={obj.dtype} chunks={obj.chunks} "
                                 f"maxshape={obj.maxshape} compression={obj.compression} "
                                 f"shuffle={obj.shuffle} fletcher32={obj.fletcher32} fill={obj.fillvalue!r}")
            f.visititems(visit)
        return "\n".join(lines)
    node = _open_zarr(path)
    if isinstance(node, Array):
        lines[0] = f"{path}: zarr array (v{3 if kind == 'zarr3' else 2})"
        arrays = [node]
    else:
        arrays = [arr for _, arr in node.arrays(recurse=True)]
    for arr in arrays:
        lines.append(f"{_label(path, arr)}  shape={arr.shape} dtype={arr.dtype} chunks={arr.chunks} "
                     f"compressor={arr.compressor} filters={arr.filters} fill={arr.fill_value!r}")
    return "\n".join(lines)
