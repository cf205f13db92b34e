"""Benchmark HDF5 -> zarr conversion: zarr5 beside zarr-python 2's copy_all and h5py's Group.copy.

    python tools/bench_convert.py                 # 1 GB gzip-1 + shuffle file (the issue-5 figure)
    python tools/bench_convert.py --size-mb 400 --no-shuffle   # the issue-6 workload: 400 MB gzip-1
    python tools/bench_convert.py --size-mb 64 --keep           # quick look; keep the files

Each contender runs in its own subprocess on the same file (read once first, so every run finds it in
the page cache); the table gives wall time, peak resident memory (getrusage maxrss) and the ratio to
zarr5. ``zarr5-reencode`` is zarr5 forced onto the decode / re-encode path (a Blosc ``compressor=`` override).
Peak memory is the process's VmHWM (high-water RSS, imports included).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROWS_PER_CHUNK = 256
COLS = 1024


def make_file(path: str, size_mb: int, shuffle: bool) -> None:
    import h5py
    import numpy as np

    rows = max(ROWS_PER_CHUNK, size_mb * 2 ** 20 // (COLS * 4) // ROWS_PER_CHUNK * ROWS_PER_CHUNK)
    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as f:
        d = f.create_dataset("data", shape=(rows, COLS), dtype="f4", chunks=(ROWS_PER_CHUNK, COLS),
                             compression="gzip", compression_opts=1, shuffle=shuffle)
        for start in range(0, rows, 4096):
            n = min(4096, rows - start)
            # smooth, quantised values: compressible like measured data, not like zeros
            block = np.round(np.cumsum(rng.normal(size=(n, COLS)), axis=1), 1).astype("f4")
            d[start:start + n] = block
        f["data"].attrs["units"] = "K"


def run_one(which: str, src: str, dest: str) -> dict:
    """Runs inside the subprocess: one conversion, timed."""
    import h5py

    # imports happen before the clock starts: the figure is the copy, not the interpreter
    if which.startswith("zarr5"):
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
        import zarr5
    elif which == "zarr-python":
        import zarr
    t0 = time.perf_counter()
    if which.startswith("zarr5"):
        kws = {}
        if which == "zarr5-reencode":
            import numcodecs

            kws["compressor"] = numcodecs.Blosc()
        with h5py.File(src, "r") as s, zarr5.File(dest, "w") as d:
            zarr5.copy_all(s, d, **kws)
    elif which == "zarr-python":
        with h5py.File(src, "r") as s:
            zarr.copy_all(s, zarr.open_group(dest, mode="w"))
    elif which == "h5py-copy":
        with h5py.File(src, "r") as s, h5py.File(dest, "w") as d:
            for name in s:
                s.copy(s[name], d, name)
    else:
        raise ValueError(which)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "maxrss_mb": _peak_rss_mb()}


def _peak_rss_mb() -> float:
    # VmHWM belongs to this process image; ru_maxrss would include the parent's size at fork
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size-mb", type=int, default=1024, help="uncompressed size of the HDF5 dataset (MB)")
    p.add_argument("--no-shuffle", action="store_true", help="gzip only (the issue-6 workload)")
    p.add_argument("--dir", help="work directory (default: a temp dir)")
    p.add_argument("--keep", action="store_true", help="keep the files")
    p.add_argument("--only", help="comma-separated contenders (zarr5,zarr5-reencode,zarr-python,h5py-copy)")
    p.add_argument("--run", nargs=3, metavar=("WHICH", "SRC", "DEST"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.run:
        print(json.dumps(run_one(*args.run)))
        return 0
    work = args.dir or tempfile.mkdtemp(prefix="zarr5-bench-convert-")
    os.makedirs(work, exist_ok=True)
    src = os.path.join(work, f"src-{args.size_mb}mb{'-noshuffle' if args.no_shuffle else ''}.h5")
    if not os.path.exists(src):
        t0 = time.perf_counter()
        make_file(src, args.size_mb, not args.no_shuffle)
        took = time.perf_counter() - t0
        print(f"wrote {src} ({os.path.getsize(src) / 2 ** 20:.0f} MB on disk) in {took:.1f} s")
    with open(src, "rb") as f:  # into the page cache, so no contender pays the first read
        while f.read(2 ** 24):
            pass
    everyone = ["zarr5", "zarr5-reencode", "zarr-python", "h5py-copy"]
    contenders = args.only.split(",") if args.only else everyone
    results = {}
    for which in contenders:
        dest = os.path.join(work, f"out-{which}" + (".h5" if which == "h5py-copy" else ".zarr"))
        shutil.rmtree(dest, ignore_errors=True)
        if os.path.isfile(dest):
            os.remove(dest)
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--run", which, src, dest],
                             capture_output=True, text=True, check=True)
        results[which] = json.loads(out.stdout.strip().splitlines()[-1])
        if not args.keep:
            shutil.rmtree(dest, ignore_errors=True) if os.path.isdir(dest) else os.remove(dest)
    base = results.get("zarr5", {}).get("seconds")
    print(f"\nHDF5 -> zarr, {args.size_mb} MB float32, gzip-1{'' if args.no_shuffle else ' + shuffle'}, "
          f"chunks ({ROWS_PER_CHUNK}, {COLS})")
    print(f"{'contender':<16}{'seconds':>10}{'peak RSS MB':>14}{'x zarr5 time':>14}")
    for which, r in results.items():
        ratio = f"{r['seconds'] / base:.1f}" if base else "-"
        print(f"{which:<16}{r['seconds']:>10.2f}{r['maxrss_mb']:>14.1f}{ratio:>14}")
    if not args.keep and not args.dir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
