"""Benchmark: advanced indexing on a 10,000 x 10,000 int32 array, zarr5 beside zarr-python 2.

    python tools/bench_indexing.py [--size 10000] [--chunk 1000] [--repeat 3]

Prints, per workload, the median seconds for each library, checks both return identical data,
and prints the ratio zarr-python / zarr5 (above 1 means zarr5 is faster).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import numpy as np

import zarr5


def _time(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        import zarr
    except ImportError:
        raise SystemExit("zarr-python is not installed: pip install 'zarr==2.18.7'") from None
    n, c = args.size, args.chunk
    rng = np.random.default_rng(42)
    data = rng.integers(0, 2**31 - 1, size=(n, n), dtype="i4")
    tmp = tempfile.mkdtemp(prefix="zarr5-bench-")
    arrays = {
        "zarr5": zarr5.open(f"{tmp}/z5.zarr", mode="w", shape=(n, n), chunks=(c, c), dtype="i4"),
        f"zarr-python {zarr.__version__}": zarr.open(f"{tmp}/zp.zarr", mode="w", shape=(n, n),
                                                     chunks=(c, c), dtype="i4"),
    }
    for a in arrays.values():
        a[:] = data
    rows = np.sort(rng.choice(n, 100, replace=False))
    cols = np.sort(rng.choice(n, 100, replace=False))
    pts = (rng.integers(0, n, 1000), rng.integers(0, n, 1000))
    workloads = {
        "1,000 random coordinates, one vindex call": lambda a: a.vindex[pts],
        "1,000 random single-element reads": lambda a: np.array([a[i, j] for i, j in zip(*pts)]),
        "orthogonal 100 rows x 100 columns": lambda a: a.oindex[rows, cols],
        "orthogonal 100 rows, all columns": lambda a: a.oindex[rows, :],
    }
    print(f"array {n} x {n} int32, chunks {c} x {c}, Blosc lz4 (default), DirectoryStore, median of "
          f"{args.repeat}")
    for name, work in workloads.items():
        results = {lib: _time(lambda a=a, w=work: w(a), args.repeat) for lib, a in arrays.items()}
        values = [r for _, r in results.values()]
        assert all(np.array_equal(values[0], v) for v in values[1:]), f"results differ for {name}"
        z5 = results["zarr5"][0]
        line = "  ".join(f"{lib}: {t * 1000:9.1f} ms" for lib, (t, _) in results.items())
        ratios = "  ".join(f"{lib}/zarr5 = {t / z5:5.2f}x" for lib, (t, _) in results.items()
                           if lib != "zarr5")
        print(f"{name:45s} {line}   {ratios}")


if __name__ == "__main__":
    main()
