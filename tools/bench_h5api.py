"""Benchmark: h5py-style code on zarr5's h5py vocabulary against the same code on h5py, in one run.

    python tools/bench_h5api.py [--n 1000] [--repeat 3] [--dir DIR] [--zarr]

A program ported with ``import zarr5 as h5py`` makes many small calls: it grows a dataset row by row,
creates datasets one by one, tags them with attributes, reads and writes single elements in loops.
Each workload below (the table of issue 20) runs the same calls, on the same data, with h5py on an
HDF5 file and with zarr5's h5py vocabulary on a Zarr directory store. Every repeat runs each library
in a fresh process of its own, the order alternating between repeats, so neither inherits the other's
warm caches. The report gives microseconds per call (median over repeats) and

    ratio = time zarr5 / time h5py    (lower is better; at or below 1.00: zarr5 is as fast or faster)

and checks that both libraries read back the same values in every workload (exit status 1 if not).
``--dir`` chooses where the files go: tmpfs (``/dev/shm``) or a disk. The "floor" line is what a new
dataset costs a directory store at the least (a directory and three files each written to a temporary
name and renamed into place, by plain ``os`` calls): ``create_dataset`` cannot go below it there.
``--zarr`` adds zarr5's zarr vocabulary and zarr-python 2 (if installed) where they spell a call alike.
``--file`` adds zarr5's h5py vocabulary on ``f.h5``: the single-file container a ported program gets
from an HDF5-style file name, where the plain run writes a directory store ``f.zarr``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# (name, in the zarr vocabulary too)
WORKLOADS = [
    ("resize(n + 1); dset[n] = row", False),
    ("create_dataset(data=100 f8)", True),
    ("floor: mkdir + 3 file writes", False),
    ("attrs[name] = value", True),
    ("open + read whole", True),
    ("dset[i] = v, 80 kB chunks", True),
    ("dset[i] at random, 80 kB chunks", True),
    ("dset[i] in sequence", True),
    ("dset[a:b], 100 elements", True),
    ("attrs[name]", True),
    ("iterate names + shape", True),
    ("visit, per object", True),
    ("visititems + shape, per object", True),
    ("close (writes back the cache)", False),
]
NAMES = [w for w, _ in WORKLOADS]
ZARR_SPELLED = {w for w, alike in WORKLOADS if alike}


def _digest(values: Any) -> str:
    return hashlib.sha1(repr(values).encode()).hexdigest()[:12]


def _open(lib: str, where: str) -> Any:
    """The root to work in: an h5py File, zarr5's h5py-vocabulary File, or a zarr-vocabulary group."""
    if lib == "h5py":
        import h5py

        return h5py.File(os.path.join(where, "f.h5"), "w")
    if lib in ("zarr5", "zarr5-file"):
        import zarr5 as h5py

        return h5py.File(os.path.join(where, _ZARR5_NAMES[lib]), "w")
    if lib == "zarr5-zarr":
        import zarr5

        return zarr5.open_group(os.path.join(where, "g.zarr"), mode="w")
    import zarr

    return zarr.open_group(os.path.join(where, "g.zarr"), mode="w")


# zarr5's h5py vocabulary: a directory store, or the single-file container an HDF5-style name gives
_ZARR5_NAMES = {"zarr5": "f.zarr", "zarr5-file": "f.h5"}


def _floor(where: str, n: int) -> None:
    """A new dataset's least cost on a directory store, by plain os calls (see the module docstring)."""
    docs = [(".zarray", b"{" + b" " * 300 + b"}"), (".zattrs", b"{" + b" " * 40 + b"}"), ("0", bytes(800))]
    root = os.path.join(where, "floor")
    os.mkdir(root)
    for i in range(n):
        d = os.path.join(root, f"d{i}")
        os.mkdir(d)
        for name, data in docs:
            temp = os.path.join(d, f".{name}.{i}.partial")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            os.write(fd, data)
            os.close(fd)
            os.rename(temp, os.path.join(d, name))


def run_worker(lib: str, where: str, n: int) -> dict[str, Any]:
    """Seconds per call and a digest of what was read back, per workload, for one library."""
    zarr_vocab = lib in ("zarr5-zarr", "zarr2")
    f = _open(lib, where)
    rng = np.random.default_rng(0)
    size, chunk = 10**6, 10**4  # 80 kB chunks of f8
    big = f.create_dataset("big", data=np.arange(size, dtype="f8"), chunks=(chunk,))
    spots = [int(i) for i in rng.integers(0, size, size=n)]
    write_spots = [int(i) for i in rng.integers(0, size, size=n)]
    starts = [int(i) for i in rng.integers(0, size - 100, size=n)]
    data = np.arange(100, dtype="f8")
    names = [f"d{i}" for i in range(n)]
    rows = np.arange(n * 10, dtype="f8").reshape(n, 10)
    seen: dict[str, Any] = {}

    def grow() -> None:
        d = f.create_dataset("grown", shape=(0, 10), maxshape=(None, 10), chunks=(1000, 10), dtype="f8")
        for i in range(n):
            d.resize(i + 1, axis=0)
            d[i] = rows[i]
        seen[NAMES[0]] = float(d[...].sum())

    def create() -> None:
        for name in names:
            f.create_dataset(name, data=data)

    def floor() -> None:
        _floor(where, n)

    def tag() -> None:
        for name in names:
            f[name].attrs["units"] = "m"

    def read_whole() -> None:
        seen[NAMES[4]] = sum(float(f[name][...].sum()) for name in names)

    def scalar_writes() -> None:
        for v, i in enumerate(write_spots):
            big[i] = -float(v)

    def random_reads() -> None:
        seen[NAMES[6]] = [float(big[i]) for i in spots]

    def sequential_reads() -> None:
        seen[NAMES[7]] = [float(big[i]) for i in range(n)]

    def slices() -> None:
        seen[NAMES[8]] = [float(big[a:a + 100].sum()) for a in starts]

    def attr_reads() -> None:
        seen[NAMES[9]] = [str(f[name].attrs["units"]) for name in names]

    def walk() -> None:
        seen[NAMES[10]] = sorted((k, tuple(f[k].shape)) for k in f.keys())

    def visit() -> None:
        found: list[str] = []
        f.visit(found.append)
        seen[NAMES[11]] = sorted(found)

    def visititems() -> None:
        shapes: list = []
        f.visititems(lambda name, obj: shapes.append((name, tuple(getattr(obj, "shape", ())))))
        seen[NAMES[12]] = sorted(shapes)

    def close() -> None:
        if hasattr(f, "close"):
            f.close()

    nobj = n + 3  # the datasets made above, "big" and "grown"; visit and iterate count every object
    steps: list[tuple[str, Callable[[], None], int]] = [
        (NAMES[0], grow, n), (NAMES[1], create, n), (NAMES[2], floor, n), (NAMES[3], tag, n),
        (NAMES[4], read_whole, n), (NAMES[5], scalar_writes, n), (NAMES[6], random_reads, n),
        (NAMES[7], sequential_reads, n), (NAMES[8], slices, n), (NAMES[9], attr_reads, n),
        (NAMES[10], walk, nobj - 1), (NAMES[11], visit, nobj - 1), (NAMES[12], visititems, nobj - 1),
        (NAMES[13], close, 1)]
    times: dict[str, float] = {}
    whole = 0.0  # every workload and the close, so work a library defers to close() is counted once
    if zarr_vocab:
        # zarr-2's resize has no axis: the grown dataset is made whole, so the hierarchies match
        f.create_dataset("grown", data=rows, chunks=(1000, 10))
        seen[NAMES[0]] = float(rows.sum())
    for name, step, calls in steps:
        if zarr_vocab and name not in ZARR_SPELLED:
            continue
        if name == NAMES[2] and lib != "zarr5":
            continue  # the directory store's floor: measured once, beside zarr5
        t0 = time.perf_counter()
        step()
        spent = time.perf_counter() - t0
        times[name] = spent / calls
        if name != NAMES[2]:
            whole += spent
    if not zarr_vocab:
        g = _reopen(lib, where)
        seen["after close: written elements"] = [float(g["big"][i]) for i in write_spots]
        g.close()
    return {"times": times, "whole": whole, "digests": {k: _digest(v) for k, v in seen.items()}}


def _reopen(lib: str, where: str) -> Any:
    if lib == "h5py":
        import h5py

        return h5py.File(os.path.join(where, "f.h5"), "r")
    import zarr5 as h5py

    return h5py.File(os.path.join(where, _ZARR5_NAMES[lib]), "r")


def _worker_process(lib: str, n: int, base: str | None) -> dict[str, Any]:
    """Run one library's workloads in a fresh interpreter, on fresh files."""
    where = tempfile.mkdtemp(prefix=f"zarr5-h5api-{lib}-", dir=base)
    try:
        path = os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p)
        env = dict(os.environ, PYTHONPATH=path)
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", lib, "--where", where,
                              "--n", str(n)], env=env, check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except subprocess.CalledProcessError as e:
        raise SystemExit(f"{lib} worker failed:\n{e.stderr}") from None
    finally:
        shutil.rmtree(where, ignore_errors=True)


def _fs_type(path: str) -> str:
    try:
        return subprocess.run(["stat", "-f", "-c", "%T", path], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _zarr2_available() -> bool:
    code = "import zarr, sys; sys.exit(0 if zarr.__version__.startswith('2.') else 1)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="calls per workload (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="processes per library (default 3)")
    parser.add_argument("--dir", help="where the files are written (default: the system temp directory)")
    parser.add_argument("--zarr", action="store_true",
                        help="also zarr5's zarr vocabulary and zarr-python 2, where the calls are the same")
    parser.add_argument("--file", action="store_true",
                        help="also zarr5's h5py vocabulary on one file (f.h5), beside the directory store")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--where", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_worker(args.worker, args.where, args.n)))
        return
    libs = ["h5py", "zarr5"] + (["zarr5-file"] if args.file else [])
    if args.zarr:
        libs.append("zarr5-zarr")
        if _zarr2_available():
            libs.append("zarr2")
        else:
            print("zarr-python 2: not installed, left out")
    base = args.dir or tempfile.gettempdir()
    print(f"files in {base} ({_fs_type(base)}), {args.n} calls per workload, {args.repeat} process(es) per "
          f"library, alternating")
    times: dict[str, dict[str, list[float]]] = {lib: {w: [] for w in NAMES} for lib in libs}
    digests: dict[str, dict[str, str]] = {}
    wholes: dict[str, list[float]] = {lib: [] for lib in libs}
    for r in range(args.repeat):
        for lib in libs if r % 2 == 0 else libs[::-1]:
            result = _worker_process(lib, args.n, args.dir)
            for w, t in result["times"].items():
                times[lib][w].append(t)
            wholes[lib].append(result["whole"])
            digests[lib] = result["digests"]
    differ = [w for w in digests["zarr5"] if digests["h5py"].get(w) != digests["zarr5"][w]]
    print("values read back: " + ("the same in h5py and zarr5" if not differ else f"DIFFERENT in {differ}"))
    for lib in libs[2:]:
        other = [w for w, d in digests[lib].items() if digests["zarr5"].get(w) != d]
        print(f"{lib}: " + ("the same as zarr5" if not other else f"DIFFERENT in {other}"))
    header = "".join(f"{lib + ' us':>14s}" for lib in libs)
    rated = [lib for lib in ("zarr5", "zarr5-file") if lib in libs]
    ratios = ", ".join(f"{lib}/h5py" for lib in rated)
    print(f"\n{'per call':34s}{header}   {ratios} (lower is better)")
    for w in NAMES:
        med = {lib: statistics.median(times[lib][w]) if times[lib][w] else None for lib in libs}
        cells = "".join(f"{'-':>14s}" if med[lib] is None else f"{med[lib] * 1e6:14.1f}" for lib in libs)
        ratio = "  ".join("" if med["h5py"] is None or med[lib] is None else f"{med[lib] / med['h5py']:.2f}"
                          for lib in rated)
        print(f"{w:34s}{cells}   {ratio}")
    med_whole = {lib: statistics.median(wholes[lib]) for lib in libs}
    cells = "".join(f"{med_whole[lib] * 1e3:14.1f}" for lib in libs)
    ratio = "  ".join(f"{med_whole[lib] / med_whole['h5py']:.2f}" for lib in rated)
    print(f"{'whole run, every workload + close':34s}{cells}   {ratio}   (ms, not per call)")
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
