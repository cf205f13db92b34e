"""Profile zarr5's read, write and metadata paths with pyinstrument and print the call trees.

    python tools/profile_io.py [--mb 100] [--dir DIR] [--workers 1] [--only read,write,small,create,walk]

pyinstrument samples one thread, so by default the engine runs with ``max_workers=1``: every chunk is
then coded on the profiled thread and the tree shows the whole path (codec, store, indexing, Python
overhead). ``--workers 2`` profiles the parallel run instead, where the main thread mostly waits.
Workloads (Blosc lz4 clevel 5 shuffle, as in tools/bench_io.py):

- read:   the whole of an int32 arange array in 1000x1000 chunks
- write:  the same array written whole
- small:  1e7 int64 written in 1,000 chunks
- create: 1,000 arrays with 3 attributes each in one group
- walk:   reading those 1,000 arrays' metadata and attributes back
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numcodecs  # noqa: E402
import numpy as np  # noqa: E402

import zarr5  # noqa: E402

WORKLOADS = ["read", "write", "small", "create", "walk"]


def _profile(name: str, fn: Callable[[], object], repeat: int) -> None:
    from pyinstrument import Profiler

    fn()  # once untimed: imports, first-touch memory, caches
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        fn()
    profiler.stop()
    print(f"\n===== {name} (x{repeat}) " + "=" * 60)
    print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=100, help="size of the large array (default 100)")
    parser.add_argument("--dir", help="where the stores are written (default: the system temp directory)")
    parser.add_argument("--workers", type=int, default=1, help="zarr5 max_workers (default 1)")
    parser.add_argument("--only", help="comma-separated subset of " + ",".join(WORKLOADS))
    args = parser.parse_args()
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        raise SystemExit("pyinstrument is not installed: pip install pyinstrument") from None
    chosen = (args.only or ",".join(WORKLOADS)).split(",")
    unknown = sorted(set(chosen) - set(WORKLOADS))
    if unknown:
        raise SystemExit(f"unknown workloads {unknown}; choose from {WORKLOADS}")
    workdir = tempfile.mkdtemp(prefix="profile-zarr5-", dir=args.dir)
    blosc = numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)
    side = max(1000, int((args.mb * 2**20 / 4) ** 0.5) // 1000 * 1000)
    data = np.arange(side * side, dtype="i4").reshape(side, side)
    small = np.arange(10**7, dtype="i8")
    big = zarr5.open_array(f"{workdir}/big", mode="w", shape=data.shape, chunks=(1000, 1000), dtype="i4",
                           compressor=blosc)
    big[...] = data
    tiny = zarr5.open_array(f"{workdir}/small", mode="w", shape=small.shape, chunks=(10**4,), dtype="i8",
                            compressor=blosc)
    counter = iter(range(10**6))

    def create() -> None:
        root = zarr5.open_group(f"{workdir}/tree{next(counter)}", mode="w")
        for i in range(1000):
            a = root.zeros(f"a{i}", shape=(10,), chunks=(10,), dtype="i4")
            a.attrs.update({"units": "m", "index": i, "scale": 0.5})

    def walk() -> None:
        root = zarr5.open_group(f"{workdir}/tree0", mode="r")
        sum(len(a.attrs.asdict()) for _, a in root.arrays())

    jobs: dict[str, tuple[Callable[[], object], int]] = {
        "read": (lambda: big[...], 5),
        "write": (lambda: big.__setitem__(Ellipsis, data), 3),
        "small": (lambda: tiny.__setitem__(Ellipsis, small), 5),
        "create": (create, 3),
        "walk": (walk, 10),
    }
    try:
        with zarr5.config.using(max_workers=args.workers):
            if "walk" in chosen and "create" not in chosen:
                create()
            for name in chosen:
                _profile(name, *jobs[name])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
