"""Benchmark: 1,000 random 10x10 window reads from a sharded 400 MB Zarr v3 array, zarr5 beside
zarr-python 3 in one run.

    python tools/bench_v3.py [--side 10000] [--repeat 3]

zarr5 writes one sharded array (int32, shards 1000x1000 of 100x100 inner chunks, Blosc lz4); zarr5
and zarr-python 3 (from the virtual environment tools/bench_io.py creates once) then each read the
same 1,000 windows from it. The script checks both got identical data and prints the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
READER = r"""
import hashlib, json, statistics, sys, time
import numpy as np
lib, path, side, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if lib == "zarr5":
    sys.path.insert(0, sys.argv[5])
    import zarr5 as zarr
else:
    import zarr
a = zarr.open_array(path, mode="r")
starts = np.random.default_rng(7).integers(0, side - 10, size=(1000, 2))
times = []
for _ in range(repeat):
    t0 = time.perf_counter()
    windows = [a[i:i + 10, j:j + 10] for i, j in starts]
    times.append(time.perf_counter() - t0)
digest = hashlib.sha1(b"".join(np.ascontiguousarray(w).tobytes() for w in windows)).hexdigest()
print(json.dumps({"seconds": statistics.median(times), "digest": digest}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--side", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(HERE))
    sys.path.insert(0, HERE)
    import numcodecs
    import numpy as np
    from bench_io import _zarr3_python

    import zarr5

    tmp = tempfile.mkdtemp(prefix="zarr5-bench-v3-")
    path = f"{tmp}/sharded.zarr"
    side = args.side
    a = zarr5.open_array(path, mode="w", shape=(side, side), chunks=(100, 100), shards=(1000, 1000),
                         dtype="i4", zarr_format=3,
                         compressor=numcodecs.Blosc("lz4", 5, numcodecs.Blosc.SHUFFLE))
    t0 = time.perf_counter()
    a[:] = np.arange(side * side, dtype="i4").reshape(side, side)
    print(f"zarr5 wrote {side}x{side} int32 ({side * side * 4 / 1e6:.0f} MB) sharded in "
          f"{time.perf_counter() - t0:.2f} s")
    results = {}
    readers = [("zarr5", sys.executable)]
    zp3 = _zarr3_python()
    if zp3:
        readers.append(("zarr-python 3", zp3))
    for name, python in readers:
        lib = "zarr5" if name == "zarr5" else "zarr"
        cmd = [python, "-c", READER, lib, path, str(side), str(args.repeat), os.path.dirname(HERE)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode:
            print(f"{name}: failed\n{out.stderr[-2000:]}")
            continue
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    shutil.rmtree(tmp, ignore_errors=True)
    digests = {r["digest"] for r in results.values()}
    print("data identical" if len(digests) == 1 else f"DATA DIFFERS: {results}")
    z5 = results["zarr5"]["seconds"]
    for name, r in results.items():
        ratio = "" if name == "zarr5" else f"   zarr5 is {r['seconds'] / z5:.2f}x faster"
        print(f"{name:15s} 1,000 windows: {r['seconds'] * 1000:8.1f} ms (median of {args.repeat}){ratio}")


if __name__ == "__main__":
    main()
