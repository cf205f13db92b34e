"""The floor under the many-small-chunk write: what 1,000 atomic chunk files cost at best from Python.

    python tools/floor_small_writes.py [--dir DIR] [--repeat 15] [--no-peers]

The workload is bench_io.py's: 1e7 int64 written whole in 1,000 chunks of 80 kB, Blosc(lz4, clevel 5,
shuffle), one file per chunk. Each repeat runs every contender once, in turn, so all of them see the
same state of the machine, and the tool prints the median and best time of each:

- ``encode only``: Blosc on every chunk, nothing stored;
- ``files only``: the four system calls of an atomic file write (open a temporary file, write, close,
  rename over the chunk), with the encoded bytes ready;
- ``bare loop``: both, on one thread: the least a file-per-chunk Python writer pays on one core;
- ``bare 2 threads``: the same loop split between two threads (the system calls and Blosc release the
  GIL, so this is the best two cores give without native code);
- ``zarr5``, ``zarr-python 2`` and ``tensorstore``: ``a[...] = data`` on a Zarr v2 array.

Last it prints how long zarr5 may take to be 2.5x zarr-python 2 in that run, beside the bare floors.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numcodecs import Blosc

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

N_CHUNKS, CHUNK = 1000, 10**4
_O_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def _codec() -> Blosc:
    return Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE)


def _put(path: str, data: bytes) -> None:
    # what every atomic file store does per chunk: temporary file, write, close, rename into place
    head, _, name = path.rpartition("/")
    temp = f"{head}/.{name}.{os.urandom(16).hex()}.partial"
    fd = os.open(temp, _O_WRITE, 0o666)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(temp, path)


def _contenders(workdir: str, data: np.ndarray, peers: bool) -> dict[str, Callable[[], Any]]:
    codec = _codec()
    chunks = [data[i:i + CHUNK] for i in range(0, data.size, CHUNK)]
    encoded = [codec.encode(c) for c in chunks]
    bare = os.path.join(workdir, "bare")
    os.makedirs(bare)
    paths = [f"{bare}/{i}" for i in range(N_CHUNKS)]

    def bare_range(lo: int, hi: int) -> None:
        for i in range(lo, hi):
            _put(paths[i], codec.encode(chunks[i]))

    def bare_two_threads() -> None:
        half = N_CHUNKS // 2
        other = threading.Thread(target=bare_range, args=(half, N_CHUNKS))
        other.start()
        bare_range(0, half)
        other.join()

    import zarr5

    z5 = zarr5.open_array(os.path.join(workdir, "zarr5"), mode="w", shape=data.shape, chunks=(CHUNK,),
                          dtype=data.dtype, compressor=_codec())
    found: dict[str, Callable[[], Any]] = {
        "encode only": lambda: [codec.encode(c) for c in chunks],
        "files only": lambda: [_put(p, e) for p, e in zip(paths, encoded)],
        "bare loop": lambda: bare_range(0, N_CHUNKS),
        "bare 2 threads": bare_two_threads,
        "zarr5": lambda: z5.__setitem__(Ellipsis, data),
    }
    if not peers:
        return found
    try:
        import zarr

        if zarr.__version__.startswith("2."):
            z2 = zarr.open_array(os.path.join(workdir, "zarr2"), mode="w", shape=data.shape,
                                 chunks=(CHUNK,), dtype=data.dtype, compressor=_codec())
            found["zarr-python 2"] = lambda: z2.__setitem__(Ellipsis, data)
    except ImportError:
        print("zarr-python 2: not installed, skipped")
    try:
        import tensorstore as ts

        spec = {"driver": "zarr", "kvstore": {"driver": "file", "path": os.path.join(workdir, "ts")},
                "metadata": {"shape": list(data.shape), "chunks": [CHUNK], "dtype": "<i8",
                             "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}}}
        t = ts.open(spec, create=True, delete_existing=True).result()
        found["tensorstore"] = lambda: t.write(data).result()
    except ImportError:
        print("tensorstore: not installed, skipped")
    return found


def _discards(path: str) -> int | None:
    """Discard requests the disk holding ``path`` has completed (from /proc/diskstats), or None."""
    dev = os.stat(path).st_dev
    try:
        with open("/proc/diskstats") as f:
            for line in f:
                fields = line.split()
                if (int(fields[0]), int(fields[1])) == (os.major(dev), os.minor(dev)) and len(fields) > 14:
                    return int(fields[14])
    except (OSError, ValueError):
        pass
    return None  # tmpfs, or a kernel without discard counters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", help="where the files are written (default: the system temp directory)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-peers", action="store_true", help="skip zarr-python 2 and tensorstore")
    args = parser.parse_args()
    data = np.arange(N_CHUNKS * CHUNK, dtype="i8")
    workdir = tempfile.mkdtemp(prefix="zarr5-floor-", dir=args.dir)
    try:
        contenders = _contenders(workdir, data, not args.no_peers)
        for run in contenders.values():
            run()  # every chunk file exists: each timed run replaces files, as a rewrite does
        times: dict[str, list[float]] = {name: [] for name in contenders}
        discards_before = _discards(workdir)
        for _ in range(args.repeat):
            for name, run in contenders.items():
                t0 = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - t0)
        discards_after = _discards(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"1,000 chunks of 80 kB under {args.dir or tempfile.gettempdir()}, median / best of {args.repeat}:")
    for name, ts_ in times.items():
        print(f"  {name:16s} {statistics.median(ts_) * 1e3:7.1f} ms  {min(ts_) * 1e3:7.1f} ms")
    if discards_before is not None and discards_after is not None:
        # ext4 mounted with discard frees the blocks of every replaced file, and waits for the disk
        print(f"the disk completed {discards_after - discards_before} discard requests during the "
              f"{args.repeat * len(times)} timed runs")
    if "zarr-python 2" in times:
        need = statistics.median(times["zarr-python 2"]) / 2.5
        print(f"2.5x zarr-python 2 needs zarr5 at {need * 1e3:.1f} ms or less; the bare one-thread loop "
              f"takes {statistics.median(times['bare loop']) * 1e3:.1f} ms and two bare threads "
              f"{statistics.median(times['bare 2 threads']) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
