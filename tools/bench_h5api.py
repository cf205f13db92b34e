"""Benchmark: the per-call cost of h5py-style code on zarr5, beside h5py and zarr-python 2, in one run.

    python tools/bench_h5api.py [--n 1000] [--repeat 3] [--dir DIR]

A program ported with ``import zarr5 as h5py`` makes many small calls: it creates datasets one by one,
tags them with attributes, reads single elements in loops. Each workload below runs the same calls on
zarr5 (through its h5py vocabulary, a Zarr directory store), on h5py (an HDF5 file) and, where the
zarr vocabulary spells the call the same way, on zarr5 spoken the zarr way (``zarr5-zarr``) and on
zarr-python 2 (directory stores). It prints
microseconds per call (median of --repeat runs, each on fresh files) and zarr5's ratio to each peer
(above 1.00 means zarr5 is faster), and checks that every library read back the same values.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

WORKLOADS = ["create_dataset(data=100 f8)", "attrs[name] = value", "open + read whole",
             "dset[i] (80 kB chunks)", "dset[i] = v (80 kB chunks)", "attrs[name]", "iterate names + shape",
             "visit, per object", "visititems + shape, per obj"]


def _run(lib: str, mod: Any, where: str, n: int) -> tuple[dict[str, float], list]:
    """Seconds per call for each workload, and what was read back (to compare across libraries)."""
    if lib == "h5py":
        f = mod.File(os.path.join(where, "f.h5"), "w")
    elif lib == "zarr5":
        f = mod.File(os.path.join(where, "f.zarr"), "w")
    else:  # the zarr vocabulary: zarr-python 2, or zarr5 spoken the zarr way
        f = mod.open_group(os.path.join(where, "g.zarr"), mode="w")
    data = np.arange(100, dtype="f8")
    big = f.create_dataset("big", data=np.arange(10**6, dtype="f8"), chunks=(10**4,))
    names = [f"d{i}" for i in range(n)]
    rng = np.random.default_rng(0)
    spots = [int(i) for i in rng.integers(0, 10**6, size=n)]
    seen: list = []

    def create() -> None:
        for name in names:
            f.create_dataset(name, data=data)

    def tag() -> None:
        for name in names:
            f[name].attrs["units"] = "m"

    def read_all() -> None:
        seen.append(sum(float(f[name][...].sum()) for name in names))

    def scalar_reads() -> None:
        seen.append([float(big[i]) for i in spots])

    def scalar_writes() -> None:
        for i in spots:
            big[i] = -1.0

    def attr_reads() -> None:
        seen.append([str(f[name].attrs["units"]) for name in names])

    def walk() -> None:
        seen.append(sorted((k, f[k].shape) for k in f.keys()))

    def visit() -> None:
        names: list[str] = []
        f.visit(names.append)
        seen.append(sorted(names))

    def visititems() -> None:
        shapes: list = []
        f.visititems(lambda name, obj: shapes.append((name, obj.shape)))
        seen.append(sorted(shapes))

    steps: list[tuple[str, Callable[[], None], int]] = [
        (WORKLOADS[0], create, n), (WORKLOADS[1], tag, n), (WORKLOADS[2], read_all, n),
        (WORKLOADS[3], scalar_reads, n), (WORKLOADS[4], scalar_writes, n), (WORKLOADS[5], attr_reads, n),
        (WORKLOADS[6], walk, n + 1), (WORKLOADS[7], visit, n + 1), (WORKLOADS[8], visititems, n + 1)]
    result = {}
    for name, step, calls in steps:
        t0 = time.perf_counter()
        step()
        result[name] = (time.perf_counter() - t0) / calls
    seen.append([float(big[i]) for i in spots[:10]])
    if hasattr(f, "close"):
        f.close()
    return result, seen


def _libraries() -> dict[str, Any]:
    import h5py

    import zarr5

    found = {"zarr5": zarr5, "h5py": h5py, "zarr5-zarr": zarr5}
    try:
        import zarr

        if zarr.__version__.startswith("2."):
            found["zarr2"] = zarr
    except ImportError:
        print("zarr-python 2: not installed, skipped")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="datasets and calls per workload (default 1000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", help="where the files are written (default: the system temp directory)")
    args = parser.parse_args()
    libs = _libraries()
    times: dict[str, dict[str, list[float]]] = {lib: {w: [] for w in WORKLOADS} for lib in libs}
    seen: dict[str, list] = {}
    for _ in range(args.repeat):
        for lib, mod in libs.items():
            where = tempfile.mkdtemp(prefix=f"zarr5-h5api-{lib}-", dir=args.dir)
            try:
                result, seen[lib] = _run(lib, mod, where, args.n)
            finally:
                shutil.rmtree(where, ignore_errors=True)
            for w, t in result.items():
                times[lib][w].append(t)
    for lib in libs:
        print(f"{lib}: read back {'the same as zarr5' if seen[lib] == seen['zarr5'] else 'DIFFERENT data'}")
    header = "".join(f"{lib:>12s}" for lib in libs)
    print(f"\n{'us per call':30s}{header}   zarr5 speed / peer")
    for w in WORKLOADS:
        med = {lib: statistics.median(times[lib][w]) for lib in libs}
        cells = "".join(f"{med[lib] * 1e6:12.1f}" for lib in libs)
        ratios = "  ".join(f"{lib}={med[lib] / med['zarr5']:.2f}" for lib in libs if lib != "zarr5")
        print(f"{w:30s}{cells}   {ratios}")


if __name__ == "__main__":
    main()
