"""Benchmark: chunk I/O of zarr5 beside zarr-python 2 and 3, tensorstore and h5py, in one run.

    python tools/bench_io.py [--mb 400] [--repeat 3] [--rounds 2] [--only zarr5,zarr2,...] [--no-zarr3]
                             [--no-convert] [--dir DIR]

Each library runs the same workloads on the same data in its own process (zarr-python 3 cannot be
installed beside zarr-python 2, so it runs from a virtual environment the script creates once under
~/.cache/zarr5). Every process reports MB/s (median of --repeat runs) and a digest of the data
it read back; the script checks the digests agree and prints zarr5's ratio to each peer (above 1.00
means zarr5 is faster). Compressed stores use Blosc(lz4, clevel 5, shuffle); h5py is uncompressed.
Each worker first touches and frees memory, and drops every result before the next repeat, so no
library pays this VM's slow first touch of fresh memory inside a timed read. Last, it runs
tools/bench_convert.py on a --mb gzip-1 HDF5 file (zarr5 beside zarr-python 2's copy_all).

The stores live under --dir (default: the system's temporary directory). The small-chunk and hierarchy
workloads are a thousand file creates and renames each, so on a disk they measure the file system as
much as the library; ``--dir /dev/shm`` (tmpfs) measures the libraries alone.
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
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
# zarr-python 3's interpreter, shared with the tests (built by tools/install_test_deps.sh)
VENV = os.path.join(os.path.dirname(HERE), ".venvs", "zarr3")
WORKLOADS = ["write arange i4", "read arange i4", "write random f8", "read random f8", "1000 windows 100x100",
             "one column of arange (ms)", "one row of arange (ms)", "write 1e7 i8 in 1000 chunks",
             "read 1e7 i8 in 1000 chunks", "create 1000 arrays x 3 attrs (s)", "walk 1000 arrays (s)"]


# ---------------------------------------------------------------------------------------------- worker side
def _timed(fn: Any, repeat: int, warm: int = 0) -> tuple[float, Any]:
    """Median seconds of ``repeat`` calls, and the last result; ``warm`` bytes of memory are touched
    and freed (untimed) before each call that allocates a result that large."""
    times, result = [], None
    for _ in range(repeat):
        # drop the last result before the next run, so every library reads into memory just freed
        result = None
        if warm:
            _warm_memory(warm)
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _warm_memory(nbytes: int) -> None:
    """Touch and free memory once before timing. On a VM whose balloon takes back free pages, the first
    touch of such memory costs ~1 s per 400 MB whichever library touches it; this keeps that out of
    the first measured workloads."""
    import numpy as np

    block = np.ones(nbytes, dtype=np.uint8)
    del block


class Lib:
    """One library's way to create, write and read an array; subclasses fill in the verbs."""

    def create(self, path: str, shape: tuple, chunks: tuple, dtype: str) -> Any: ...
    def open(self, path: str) -> Any: ...
    def write(self, a: Any, data: Any) -> None: a[...] = data
    def read(self, a: Any) -> Any: return a[...]
    def window(self, a: Any, i: int, j: int) -> Any: return a[i:i + 100, j:j + 100]
    def column(self, a: Any, j: int) -> Any: return a[:, j]
    def row(self, a: Any, i: int) -> Any: return a[i, :]
    def hierarchy(self, path: str, n: int) -> None:
        raise NotImplementedError  # tensorstore has no groups or attributes

    def walk(self, path: str) -> int:
        raise NotImplementedError


def _blosc() -> Any:
    import numcodecs

    return numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)


class Zarr2Like(Lib):
    def __init__(self, mod: Any) -> None:
        self.mod = mod

    def create(self, path, shape, chunks, dtype):
        return self.mod.open_array(path, mode="w", shape=shape, chunks=chunks, dtype=dtype,
                                   compressor=_blosc())

    def open(self, path):
        return self.mod.open_array(path, mode="r")

    def hierarchy(self, path, n):
        root = self.mod.open_group(path, mode="w")
        for i in range(n):
            a = root.zeros(f"a{i}", shape=(10,), chunks=(10,), dtype="i4")
            a.attrs.update({"units": "m", "index": i, "scale": 0.5})

    def walk(self, path):
        root = self.mod.open_group(path, mode="r")
        return sum(len(a.attrs.asdict()) for _, a in root.arrays())


class Zarr3(Lib):
    def __init__(self) -> None:
        import zarr

        self.zarr = zarr

    def create(self, path, shape, chunks, dtype):
        return self.zarr.create_array(path, shape=shape, chunks=chunks, dtype=dtype, compressors=_blosc(),
                                      zarr_format=2, overwrite=True)

    def open(self, path):
        return self.zarr.open_array(path, mode="r")

    def hierarchy(self, path, n):
        root = self.zarr.open_group(path, mode="w", zarr_format=2)
        for i in range(n):
            a = root.create_array(f"a{i}", shape=(10,), chunks=(10,), dtype="i4")
            a.attrs.update({"units": "m", "index": i, "scale": 0.5})

    def walk(self, path):
        root = self.zarr.open_group(path, mode="r")
        return sum(len(dict(a.attrs)) for _, a in root.arrays())


class TensorStore(Lib):
    def __init__(self) -> None:
        import tensorstore

        self.ts = tensorstore

    def _spec(self, path):
        return {"driver": "zarr", "kvstore": {"driver": "file", "path": path}}

    def create(self, path, shape, chunks, dtype):
        import numpy as np

        spec = self._spec(path)
        spec["metadata"] = {"shape": list(shape), "chunks": list(chunks), "dtype": np.dtype(dtype).str,
                            "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}}
        return self.ts.open(spec, create=True, delete_existing=True).result()

    def open(self, path):
        return self.ts.open(self._spec(path), read=True).result()

    def write(self, a, data):
        a.write(data).result()

    def read(self, a):
        return a.read().result()

    def window(self, a, i, j):
        return a[i:i + 100, j:j + 100].read().result()

    def column(self, a, j):
        return a[:, j].read().result()

    def row(self, a, i):
        return a[i, :].read().result()


class H5py(Lib):
    def __init__(self) -> None:
        import h5py

        self.h5py = h5py
        self.files: list[Any] = []

    def create(self, path, shape, chunks, dtype):
        f = self.h5py.File(path + ".h5", "w")
        self.files.append(f)
        return f.create_dataset("a", shape=shape, chunks=chunks, dtype=dtype)

    def open(self, path):
        f = self.h5py.File(path + ".h5", "r")
        self.files.append(f)
        return f["a"]

    def hierarchy(self, path, n):
        with self.h5py.File(path + ".h5", "w") as f:
            for i in range(n):
                d = f.create_dataset(f"a{i}", shape=(10,), dtype="i4")
                d.attrs.update({"units": "m", "index": i, "scale": 0.5})

    def walk(self, path):
        total = 0
        with self.h5py.File(path + ".h5", "r") as f:
            for name in f:
                total += len(f[name].attrs)
        return total


def _make_lib(name: str) -> Lib:
    if name == "zarr5":
        sys.path.insert(0, os.path.dirname(HERE))
        import zarr5

        return Zarr2Like(zarr5)
    if name == "zarr2":
        import zarr

        return Zarr2Like(zarr)
    if name == "zarr3":
        return Zarr3()
    if name == "tensorstore":
        return TensorStore()
    return H5py()


def run_worker(name: str, workdir: str, mb: int, repeat: int) -> dict:
    import numpy as np

    lib = _make_lib(name)
    _warm_memory(3 * mb * 2**20)
    side = int((mb * 2**20 / 4) ** 0.5) // 1000 * 1000 or 1000
    shape, chunks = (side, side), (1000, 1000)
    nbytes = side * side * 4 / 1e6
    results: dict[str, float] = {}
    digests: dict[str, str] = {}
    arange = np.arange(side * side, dtype="i4").reshape(shape)
    a = lib.create(f"{workdir}/arange", shape, chunks, "i4")
    results["write arange i4"] = nbytes / _timed(lambda: lib.write(a, arange), repeat)[0]
    a = lib.open(f"{workdir}/arange")
    t, back = _timed(lambda: lib.read(a), repeat, arange.nbytes)
    results["read arange i4"] = nbytes / t
    digests["arange"] = hashlib.sha1(np.ascontiguousarray(back).tobytes()).hexdigest()
    del back
    rnd = np.random.default_rng(0).random((side, side // 2))
    r = lib.create(f"{workdir}/random", rnd.shape, chunks, "f8")
    results["write random f8"] = rnd.nbytes / 1e6 / _timed(lambda: lib.write(r, rnd), repeat)[0]
    r = lib.open(f"{workdir}/random")
    t, back = _timed(lambda: lib.read(r), repeat, rnd.nbytes)
    results["read random f8"] = rnd.nbytes / 1e6 / t
    digests["random"] = hashlib.sha1(np.ascontiguousarray(back).tobytes()).hexdigest()
    del back
    starts = np.random.default_rng(1).integers(0, side - 100, size=(1000, 2))
    t, windows = _timed(lambda: [lib.window(a, int(i), int(j)) for i, j in starts], repeat)
    results["1000 windows 100x100"] = 1000 * 100 * 100 * 4 / 1e6 / t
    joined = b"".join(np.ascontiguousarray(w).tobytes() for w in windows)
    digests["windows"] = hashlib.sha1(joined).hexdigest()
    # a sliver of every chunk it crosses: a column decodes ten whole chunks, a row needs a tenth of one
    lines = np.random.default_rng(2).integers(0, side, size=20)
    for verb, label in (("column", "one column of arange (ms)"), ("row", "one row of arange (ms)")):
        read_line = getattr(lib, verb)
        t, got = _timed(lambda f=read_line: [f(a, int(k)) for k in lines], repeat)
        results[label] = t / len(lines) * 1e3
        digests[verb] = hashlib.sha1(b"".join(np.ascontiguousarray(g).tobytes() for g in got)).hexdigest()
    small = np.arange(10**7, dtype="i8")
    s = lib.create(f"{workdir}/small", small.shape, (10**4,), "i8")
    results["write 1e7 i8 in 1000 chunks"] = 80 / _timed(lambda: lib.write(s, small), repeat)[0]
    s = lib.open(f"{workdir}/small")
    t, back = _timed(lambda: lib.read(s), repeat, small.nbytes)
    results["read 1e7 i8 in 1000 chunks"] = 80 / t
    digests["small"] = hashlib.sha1(np.ascontiguousarray(back).tobytes()).hexdigest()
    try:
        t, _ = _timed(lambda: lib.hierarchy(f"{workdir}/tree", 1000), 1)
        results["create 1000 arrays x 3 attrs (s)"] = t
        t, count = _timed(lambda: lib.walk(f"{workdir}/tree"), repeat)
        results["walk 1000 arrays (s)"] = t
        digests["walk"] = str(count)
    except NotImplementedError:
        pass
    return {"results": results, "digests": digests}


# ---------------------------------------------------------------------------------------------- driver side
def _zarr3_python() -> str | None:
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        print(f"creating a zarr-python 3 environment in {VENV} (once) ...", flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
            subprocess.run([python, "-m", "pip", "install", "-q", "-r",
                            os.path.join(HERE, "requirements-zarr3.txt")], check=True)
        except subprocess.CalledProcessError as e:
            print(f"zarr-python 3 unavailable: {e}")
            shutil.rmtree(VENV, ignore_errors=True)
            return None
    return python


def _available(name: str) -> bool:
    module = {"zarr5": "numpy", "zarr2": "zarr", "tensorstore": "tensorstore", "h5py": "h5py"}[name]
    try:
        __import__(module)
    except ImportError:
        return False
    if name == "zarr2":
        import zarr

        return zarr.__version__.startswith("2.")
    return True


def _run_worker(name: str, python: str, args: argparse.Namespace) -> dict | None:
    workdir = tempfile.mkdtemp(prefix=f"bench-{name}-", dir=args.dir)
    try:
        cmd = [python, __file__, "--worker", name, "--workdir", workdir, "--mb", str(args.mb),
               "--repeat", str(args.repeat)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except subprocess.CalledProcessError as e:
        print(f"{name}: failed\n{e.stderr[-2000:]}")
        return None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        _settle()


def _settle() -> None:
    """Let the disk go idle before the next library runs: write back what the last one left dirty
    (and the deletes of its files), so no library pays for another's I/O."""
    os.sync()
    time.sleep(2)
    os.sync()


def _file_system(path: str) -> str:
    """The type and mount options of the file system holding ``path`` (from /proc/mounts), or '?'."""
    try:
        with open("/proc/mounts") as f:
            mounts = [line.split() for line in f]
    except OSError:
        return "?"
    real = os.path.realpath(path)
    best = max((m for m in mounts if real == m[1] or real.startswith(m[1].rstrip("/") + "/")),
               key=lambda m: len(m[1]), default=None)
    return f"{best[2]} {best[3]}" if best else "?"


def _best(a: dict, b: dict) -> dict:
    """Per workload, the better of two runs (higher MB/s, fewer seconds)."""
    results = {}
    for w in a["results"]:
        pick = min if _timed_workload(w) else max
        results[w] = pick(a["results"][w], b["results"].get(w, a["results"][w]))
    return {"results": results, "digests": a["digests"]}


def _timed_workload(w: str) -> bool:
    # measured in seconds or milliseconds (lower is better), not MB/s
    return w.endswith(("(s)", "(ms)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=400, help="size of the large arrays (default 400)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="comma-separated subset of zarr5,zarr2,zarr3,tensorstore,h5py")
    parser.add_argument("--no-zarr3", action="store_true", help="skip zarr-python 3 (no venv)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="run every library this many times, round-robin, and keep each one's best "
                             "(the first process after heavy I/O pays for the kernel's memory compaction)")
    parser.add_argument("--no-convert", action="store_true",
                        help="skip the HDF5 -> zarr conversion of a --mb gzip-1 file (bench_convert.py)")
    parser.add_argument("--dir", help="where the stores are written (default: the system temp directory)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_worker(args.worker, args.workdir, args.mb, args.repeat)))
        return
    names = (args.only or "zarr5,zarr2,zarr3,tensorstore,h5py").split(",")
    pythons: dict[str, str] = {}
    for name in names:
        if name == "zarr3":
            python = None if args.no_zarr3 else _zarr3_python()
        elif _available(name):
            python = sys.executable
        else:
            print(f"{name}: not installed, skipped")
            python = None
        if python is not None:
            pythons[name] = python
    where = args.dir or tempfile.gettempdir()
    print(f"stores under {where} ({_file_system(where)})", flush=True)
    runs: dict[str, dict] = {}
    for _ in range(args.rounds):
        for name, python in pythons.items():
            run = _run_worker(name, python, args)
            if run is not None:
                runs[name] = run if name not in runs else _best(runs[name], run)
    if "zarr5" not in runs:
        raise SystemExit("zarr5 did not run")
    reference = runs["zarr5"]["digests"]
    for name, run in runs.items():
        bad = [k for k, v in run["digests"].items() if reference.get(k) != v]
        print(f"{name}: data {'identical to zarr5' if not bad else 'DIFFERS in ' + ', '.join(bad)}")
    header = "".join(f"{n:>13s}" for n in runs)
    print(f"\n{'workload':38s}{header}   zarr5/peer (MB/s ratio; s, ms: peer/zarr5)")
    for w in WORKLOADS:
        z5 = runs["zarr5"]["results"][w]
        seconds = _timed_workload(w)
        cells = "".join(f"{'-':>13s}" if w not in run["results"] else
                        f"{run['results'][w]:13.3f}" if seconds else f"{run['results'][w]:13.0f}"
                        for run in runs.values())
        ratios = "  ".join(f"{n}={(run['results'][w] / z5 if seconds else z5 / run['results'][w]):.2f}"
                           for n, run in runs.items() if n != "zarr5" and w in run["results"])
        print(f"{w:38s}{cells}   {ratios}")
    if not args.no_convert:
        # the conversion workload: zarr5's copy_all (raw gzip chunks) beside zarr-python 2's and h5py's
        print(f"\nHDF5 -> zarr conversion ({args.mb} MB gzip-1), tools/bench_convert.py:", flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "bench_convert.py"), "--size-mb", str(args.mb),
                        "--no-shuffle", "--only", "zarr5,zarr-python,h5py-copy"], check=False)


if __name__ == "__main__":
    main()
