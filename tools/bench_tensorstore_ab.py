"""Interleaved A/B against tensorstore on the two workloads where it led: one column, small-chunk writes.

    python tools/bench_tensorstore_ab.py [--dir /dev/shm] [--rounds 10] [--base OTHER_CHECKOUT]

bench_io.py's data: the 10,000² int32 arange in 1,000² Blosc(lz4, clevel 5, shuffle) chunks, of which
20 columns ``a[:, j]`` are read (median of 3 passes, ms per column), and 1e7 int64 written whole in
1,000 chunks of 80 kB (median of 5 writes). Every round runs each contender once in a process of its
own (tensorstore, this checkout's zarr5 and, with ``--base``, the zarr5 of another checkout, say one
before a change), so all see the same state of a shared machine; the columns are read from one store
all of them open. Prints per round, then medians of wall time and of the CPU time of all threads.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

WORKER = r'''
import json, statistics, sys, time
import numpy as np
who, root = sys.argv[1], sys.argv[2]
lines = np.random.default_rng(2).integers(0, 10000, size=20)
small = np.arange(10**7, dtype="i8")
if who == "tensorstore":
    import tensorstore as ts
    kvstore = {"driver": "file", "path": root + "/arange"}
    a = ts.open({"driver": "zarr", "kvstore": kvstore}, read=True).result()
    column = lambda k: a[:, k].read().result()
    spec = {"driver": "zarr", "kvstore": {"driver": "file", "path": root + "/small-" + who},
            "metadata": {"shape": [10**7], "chunks": [10**4], "dtype": "<i8",
                         "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}}}
    s = ts.open(spec, create=True, delete_existing=True).result()
    write = lambda: s.write(small).result()
else:
    import numcodecs, zarr5
    a = zarr5.open_array(root + "/arange", mode="r")
    column = lambda k: a[:, k]
    s = zarr5.open_array(root + "/small-" + who, mode="w", shape=small.shape, chunks=(10**4,), dtype="i8",
                         compressor=numcodecs.Blosc("lz4", 5, 1))
    write = lambda: s.__setitem__(Ellipsis, small)
[column(int(k)) for k in lines]
write()
found = {"column": [], "column cpu": [], "write": [], "write cpu": []}
columns = lambda: [column(int(k)) for k in lines]
for name, n, work, per in (("column", 3, columns, 20), ("write", 5, write, 1)):
    for _ in range(n):
        c0, t0 = time.process_time(), time.perf_counter()
        work()
        found[name].append((time.perf_counter() - t0) / per * 1e3)
        found[name + " cpu"].append((time.process_time() - c0) / per * 1e3)
print(json.dumps({k: statistics.median(v) for k, v in found.items()}))
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", help="where the stores are written (default: the system temp directory)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--base", help="another zarr5 checkout to run beside this one")
    args = parser.parse_args()
    checkouts = {"tensorstore": os.path.dirname(HERE), "zarr5": os.path.dirname(HERE)}
    if args.base:
        checkouts["zarr5 base"] = os.path.abspath(args.base)
    root = tempfile.mkdtemp(prefix="bench-ts-ab-", dir=args.dir)
    try:
        _make_column_store(root)
        runs: dict[str, dict[str, list[float]]] = {who: {} for who in checkouts}
        for r in range(args.rounds):
            for who, checkout in checkouts.items():
                out = subprocess.run([sys.executable, "-c", WORKER, who.replace(" ", "-"), root],
                                     env=dict(os.environ, PYTHONPATH=checkout), capture_output=True,
                                     text=True, cwd=root)
                if out.returncode:
                    raise SystemExit(f"{who} failed:\n{out.stderr[-2000:]}")
                for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items():
                    runs[who].setdefault(k, []).append(v)
            print(f"round {r + 1}: " + "   ".join(f"{who} column {run['column'][-1]:.3f} ms, write "
                                                 f"{run['write'][-1]:.1f} ms" for who, run in runs.items()),
                  flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"\nmedians of {args.rounds} rounds (ms): wall (CPU of all threads)")
    for who, run in runs.items():
        m = {k: statistics.median(v) for k, v in run.items()}
        print(f"{who:12s} one column {m['column']:.3f} ({m['column cpu']:.3f})   1,000 chunk writes "
              f"{m['write']:.1f} ({m['write cpu']:.1f})")
    ts = {k: statistics.median(v) for k, v in runs["tensorstore"].items()}
    for who in checkouts:
        if who != "tensorstore":
            m = {k: statistics.median(v) for k, v in runs[who].items()}
            print(f"{who} at tensorstore's speed x: column {ts['column'] / m['column']:.2f}, "
                  f"writes {ts['write'] / m['write']:.2f}")


def _make_column_store(root: str) -> None:
    import numcodecs
    import numpy as np

    sys.path.insert(0, os.path.dirname(HERE))
    import zarr5

    z = zarr5.open_array(os.path.join(root, "arange"), mode="w", shape=(10000, 10000), chunks=(1000, 1000),
                         dtype="i4", compressor=numcodecs.Blosc("lz4", 5, numcodecs.Blosc.SHUFFLE))
    z[...] = np.arange(10**8, dtype="i4").reshape(10000, 10000)


if __name__ == "__main__":
    main()
