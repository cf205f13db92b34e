"""The ``zarr5`` command line: ``demo`` (zarr5's main job on a sample), ``convert``, ``tree``, ``info``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from zarr5.cli_convert import add_convert_commands, run_convert_command
from zarr5.demo import demo


def run_bound(names: Sequence[str], module: str | None, target: Sequence[str]) -> int:
    """Run a script (or ``-m`` module) with each named vocabulary installed under its library's name."""
    import runpy

    from zarr5.install import install

    for name in names:
        install("zarr", api=3) if name == "zarr3" else install(name)
    if module is None and not target:
        print("zarr5 run: give a script path or -m MODULE", file=sys.stderr)
        return 2
    sys.argv = [module or target[0], *(target if module else target[1:])]
    try:
        if module:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        else:
            sys.path.insert(0, os.path.dirname(os.path.abspath(target[0])))
            runpy.run_path(target[0], run_name="__main__")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _split_run_argv(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split ``run [--as N]... (-m MODULE | SCRIPT) ARGS`` before argparse sees it: everything after the
    module or script belongs to the program (``-m pytest -p no:cacheprovider -q`` included)."""
    i = 1
    while i < len(argv):
        tok = argv[i]
        if tok == "--as":
            i += 2
        elif tok.startswith("--as="):
            i += 1
        elif tok == "-m":
            return list(argv[:i + 2]), list(argv[i + 2:])
        elif tok.startswith("-m") and len(tok) > 2:
            return list(argv[:i + 1]), list(argv[i + 1:])
        elif tok.startswith("-"):
            i += 1  # -h and the like: argparse answers them
        else:
            return list(argv[:i]), list(argv[i:])
    return list(argv), []


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    program: list[str] = []
    if argv[:1] == ["run"]:
        argv, program = _split_run_argv(argv)
    parser = argparse.ArgumentParser(
        prog="zarr5",
        description="zarr5: Zarr storage with zarr-python 2's and h5py's APIs.",
        epilog="examples:\n  zarr5 demo                      # HDF5 -> zarr -> h5py program -> HDF5\n"
               "  zarr5 convert data.h5 data.zarr # HDF5 -> zarr, losing nothing\n"
               "  zarr5 convert data.zarr back.h5 # zarr -> HDF5\n"
               "  zarr5 tree data.h5              # the hierarchy of an HDF5 file or zarr store\n"
               "  zarr5 info data.zarr            # arrays, dtypes, chunks and codecs",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_demo = sub.add_parser("demo", help="HDF5 -> zarr, an unmodified h5py program on it, back to HDF5")
    p_demo.add_argument("--path", help="directory to write into (default: a new temp dir)")
    p_run = sub.add_parser("run", help="run a Python script or module with zarr5 bound as h5py and/or zarr")
    p_run.add_argument("--as", dest="names", action="append", metavar="NAME",
                       help="h5py, zarr (zarr-python 2's API) or zarr3 (zarr-python 3's); repeatable")
    p_run.add_argument("-m", dest="module", help="run a module, as python -m does")
    p_run.add_argument("target", nargs=argparse.REMAINDER, help="script path (or module args) and its args")
    add_convert_commands(sub)
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo(args.path)
    if args.command == "run":
        return run_bound(args.names or ["h5py"], args.module, [*args.target, *program])
    return run_convert_command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
