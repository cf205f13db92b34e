"""The ``zarr5`` command line: ``demo`` (zarr5's main job on a sample), ``convert``, ``tree``, ``info``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence

import numpy as np

from zarr5.api import open_group
from zarr5.cli_convert import add_convert_commands, run_convert_command


def demo(path: str | None = None) -> int:
    """Create a hierarchy on disk, write, read back, and print ``tree()`` and ``info``."""
    root_dir = path or tempfile.mkdtemp(prefix="zarr5-demo-")
    store_path = f"{root_dir}/sample.zarr"
    root = open_group(store_path, mode="w")
    temps = root.create_group("climate").zeros("temperature", shape=(365, 180, 360), chunks=(30, 90, 90),
                                              dtype="f4")
    rng = np.random.default_rng(0)
    data = (15 + 10 * rng.standard_normal((365, 180, 360))).astype("f4")
    temps[:] = data
    temps.attrs["units"] = "degC"
    root.array("stations/names", ["Oslo", "Lima", "Perth"], dtype=str)
    again = open_group(store_path, mode="r")
    back = again["climate/temperature"][:]
    if not np.array_equal(back, data):
        print("read-back mismatch", file=sys.stderr)
        return 1
    print(f"wrote and read back {back.nbytes:,} bytes at {store_path}")
    print(again.tree())
    print(again["climate/temperature"].info)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="zarr5",
        description="zarr5: Zarr storage with zarr-python 2's and h5py's APIs.",
        epilog="examples:\n  zarr5 demo                      # write and read a sample hierarchy (temp dir)\n"
               "  zarr5 convert data.h5 data.zarr # HDF5 -> zarr, losing nothing\n"
               "  zarr5 convert data.zarr back.h5 # zarr -> HDF5\n"
               "  zarr5 tree data.h5              # the hierarchy of an HDF5 file or zarr store\n"
               "  zarr5 info data.zarr            # arrays, dtypes, chunks and codecs",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_demo = sub.add_parser("demo", help="write, read back and describe a sample hierarchy")
    p_demo.add_argument("--path", help="directory to write into (default: a new temp dir)")
    add_convert_commands(sub)
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo(args.path)
    return run_convert_command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
