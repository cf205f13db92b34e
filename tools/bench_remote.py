"""Benchmark: zarr5 beside zarr-python 3 against a loopback S3 server (moto), in one run.

    python tools/bench_remote.py [--mb 64] [--arrays 200] [--repeat 3] [--zp3-venv /tmp/zp3venv] [--no-zp3]

Use ``--mb 400`` for a 400 MB array (the default is smaller so the run takes about a minute).

It starts ``python -m moto.server`` on 127.0.0.1 (its own process, so the server does not share a
GIL with the client being timed), writes with zarr5 (Zarr v2 format, which both libraries read):

- a hierarchy of ``--arrays`` small arrays (1,000 int32 each, one chunk) with attributes, with
  and without consolidated metadata;
- one float32 array of ``--mb`` MB in 1 MiB chunks, Blosc-compressed;

then times, median of ``--repeat`` runs, each from a fresh open:

- ``open+attrs``: open the hierarchy and read every array's attributes and shape;
- ``consolidated open+attrs``: the same through ``open_consolidated`` (one request);
- ``consolidated open+attrs+data``: the same, and read every array's data;
- ``read array``: read the whole large array (also reported in MB/s of decoded data).

zarr-python 3 conflicts with the zarr 2.18 of the test environment, so its side runs in a
subprocess of the virtual environment at ``--zp3-venv``, created when missing with
``python -m venv`` and ``pip install -r tools/requirements-zarr3.txt s3fs==2026.9.0`` (pinned).
Both sides read the same bytes from the same
server, and their results are checked against each other. Ratios are zarr-python 3 / zarr5 seconds:
above 1 means zarr5 is faster.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import numpy as np

HOST = "127.0.0.1"
BUCKET = "bench"

# the workloads, written once for both libraries: `zarr` is zarr5 or zarr-python 3
WORKLOADS = r'''
import statistics, time
import numpy as np

def _median(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result

def _walk(group, data):
    total = 0
    for _, arr in sorted(group.arrays()):
        total += int(arr.attrs["id"]) + arr.shape[0]
        if data:
            total += int(arr[:].sum())
    return total

def run_workloads(zarr, opts, repeat, plain_open, consolidated_open):
    base = "s3://%s/" % BUCKET
    results = {}
    results["open+attrs"] = _median(lambda: _walk(plain_open(base + "plain.zarr"), False), repeat)
    results["consolidated open+attrs"] = _median(
        lambda: _walk(consolidated_open(base + "consolidated.zarr"), False), repeat)
    results["consolidated open+attrs+data"] = _median(
        lambda: _walk(consolidated_open(base + "consolidated.zarr"), True), repeat)
    def read():
        a = zarr.open_array(base + "big.zarr", mode="r", storage_options=opts)[:]
        return float(a.astype("f8").sum())
    results["read array"] = _median(read, repeat)
    return {k: [t, r] for k, (t, r) in results.items()}
'''

ZP3_SIDE = r'''
import json, sys
import zarr
opts, repeat, BUCKET = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
exec(sys.argv[4])
def plain(url):
    return zarr.open_group(url, mode="r", storage_options=opts, zarr_format=2, use_consolidated=False)
def consolidated(url):
    return zarr.open_consolidated(url, mode="r", storage_options=opts, zarr_format=2)
out = run_workloads(zarr, opts, repeat, plain, consolidated)
print(json.dumps({"version": zarr.__version__, "results": out}))
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1).close()
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("the moto server did not start (pip install 'moto[server]')") from None
            time.sleep(0.2)


def storage_options(endpoint: str) -> dict[str, Any]:
    return {"endpoint_url": endpoint, "key": "bench", "secret": "bench", "anon": False,
            "client_kwargs": {"region_name": "eu-west-1"}}


def write_data(opts: dict, n_arrays: int, mb: int) -> None:
    import s3fs

    import zarr5

    s3fs.S3FileSystem(**opts).mkdir(BUCKET)
    # the hierarchy is built in memory and uploaded in one batch: the benchmark times reads
    local = zarr5.MemoryStore()
    root = zarr5.group(store=local)
    for i in range(n_arrays):
        arr = root.create_dataset(f"a{i:04d}", data=np.arange(1000, dtype="i4") + i, chunks=(1000,))
        arr.attrs.update({"id": i, "units": "m", "long_name": f"variable number {i}"})
    for name, consolidate in [("plain.zarr", False), ("consolidated.zarr", True)]:
        dest = zarr5.FSStore(f"s3://{BUCKET}/{name}", **opts)
        dest.set_many(dict(local.items()))
        if consolidate:
            zarr5.consolidate_metadata(dest)
    # 1024 x (256 * mb) float32 is mb MiB, in 1 MiB chunks of 256 x 1024
    big = zarr5.open_array(f"s3://{BUCKET}/big.zarr", mode="w", shape=(1024, 256 * mb), chunks=(256, 1024),
                           dtype="f4", storage_options=opts)
    rng = np.random.default_rng(0)
    # rounded normals: compressible like measured data, not like noise
    step = 1024 * 8
    for start in range(0, big.shape[1], step):
        block = rng.standard_normal((big.shape[0], min(step, big.shape[1] - start)), dtype="f4")
        big[:, start:start + step] = np.round(block, 2)


def run_zarr5(opts: dict, repeat: int) -> dict:
    import zarr5

    namespace: dict[str, Any] = {"BUCKET": BUCKET}
    exec(WORKLOADS, namespace)
    run: Callable[..., dict] = namespace["run_workloads"]
    return run(zarr5, opts, repeat,
               lambda url: zarr5.open_group(url, mode="r", storage_options=opts),
               lambda url: zarr5.open_consolidated(url, mode="r", storage_options=opts))


def zp3_python(venv: str) -> str | None:
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        print(f"creating {venv} for zarr-python 3 (python -m venv; pip install the pinned zarr 3.1.6, s3fs)",
              flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
            pins = os.path.join(os.path.dirname(os.path.abspath(__file__)), "requirements-zarr3.txt")
            subprocess.run([python, "-m", "pip", "install", "-q", "-r", pins, "s3fs==2026.9.0"], check=True)
        except (subprocess.CalledProcessError, OSError) as e:
            print(f"zarr-python 3 could not be installed ({e}); timing zarr5 alone")
            return None
    probe = "import zarr, s3fs; assert int(zarr.__version__.split('.')[0]) >= 3"
    check = subprocess.run([python, "-c", probe], capture_output=True)
    if check.returncode:
        print(f"{venv} has no zarr-python 3 with s3fs; timing zarr5 alone")
        return None
    return python


def run_zp3(python: str, opts: dict, repeat: int) -> dict:
    proc = subprocess.run([python, "-c", ZP3_SIDE, json.dumps(opts), str(repeat), BUCKET, WORKLOADS],
                          capture_output=True, text=True, cwd=tempfile.gettempdir())
    if proc.returncode:
        raise SystemExit(f"the zarr-python 3 side failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=64, help="size of the large array in MB (400 in the issue)")
    parser.add_argument("--arrays", type=int, default=200, help="arrays in the hierarchy")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--zp3-venv", default="/tmp/zp3venv")
    parser.add_argument("--no-zp3", action="store_true", help="time zarr5 alone")
    args = parser.parse_args()

    import zarr5

    python = None if args.no_zp3 else zp3_python(args.zp3_venv)
    server, endpoint = start_server()
    try:
        opts = storage_options(endpoint)
        t0 = time.perf_counter()
        write_data(opts, args.arrays, args.mb)
        big = zarr5.open_array(f"s3://{BUCKET}/big.zarr", mode="r", storage_options=opts)
        mb_decoded = big.nbytes / 1e6
        print(f"moto S3 on {endpoint}; wrote {args.arrays} arrays and a {big.shape} float32 array "
              f"({mb_decoded:.0f} MB, {big.nchunks} chunks) with zarr5 in {time.perf_counter() - t0:.1f} s")
        ours = run_zarr5(opts, args.repeat)
        theirs = run_zp3(python, opts, args.repeat) if python else None
    finally:
        server.terminate()
        server.wait(timeout=30)

    other = f"zarr-python {theirs['version']}" if theirs else "zarr-python 3"
    print(f"\nmedian of {args.repeat} runs, seconds; ratio = {other} / zarr5 (above 1: zarr5 faster)")
    print(f"{'workload':32} {'zarr5':>9} {other:>18} {'ratio':>7}")
    for name, (seconds, result) in ours.items():
        line = f"{name:32} {seconds:9.3f}"
        if theirs:
            their_seconds, their_result = theirs["results"][name]
            if not np.isclose(their_result, result):
                raise SystemExit(f"{name}: the libraries disagree ({result} vs {their_result})")
            line += f" {their_seconds:18.3f} {their_seconds / seconds:7.2f}"
        print(line)
    read = ours["read array"][0]
    rates = f"zarr5 {mb_decoded / read:.0f} MB/s"
    if theirs:
        rates += f", {other} {mb_decoded / theirs['results']['read array'][0]:.0f} MB/s"
    print(f"\nread array throughput ({mb_decoded:.0f} MB decoded): {rates}")


if __name__ == "__main__":
    main()
