"""``zarr5 demo``: zarr5's main job on a built-in sample, end to end.

Writes a small HDF5 file with the real h5py, converts it to a zarr store, runs an unmodified h5py program
(``zarr5/samples/h5py_program.py``) on the store with h5py bound to zarr5, converts the store back to
HDF5 and checks with the real h5py that nothing was lost and the program's writes arrived, then shows the
store through the zarr vocabulary. When h5netcdf or anndata is installed, their sample programs
(``zarr5/samples/h5netcdf_program.py``, ``anndata_program.py``) run unchanged the same way and the files
they write are opened as zarr ZIP stores.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from zarr5.api import open_group
from zarr5.copying.convert import convert
from zarr5.hdf5lib import real_h5py
from zarr5.storage.zip import ZipStore

SAMPLES = Path(__file__).parent / "samples"


def write_sample_hdf5(path: str) -> np.ndarray:
    """The sample HDF5 file, written by HDF5 itself; returns the temperature data."""
    h5py = real_h5py()
    rng = np.random.default_rng(0)
    data = (15 + 10 * rng.standard_normal((120, 45, 90))).astype("f4")
    with h5py.File(path, "w") as f:
        temp = f.create_dataset("climate/temperature", data=data, chunks=(30, 45, 45),
                                maxshape=(None, 45, 90), compression="gzip", compression_opts=4)
        temp.attrs["units"] = "degC"
        time = f.create_dataset("climate/time", data=np.arange(120), maxshape=(None,))
        time.make_scale("time")
        temp.dims[0].attach_scale(time)
        temp.dims[0].label = "time"
        f.create_dataset("climate/last_day", data=data[-1])
        f["latest"] = h5py.SoftLink("/climate/last_day")
        f.create_dataset("stations", data=["Oslo", "Lima", "Perth"], dtype=h5py.string_dtype())
    return data


def _step(title: str) -> None:
    print(f"\n== {title}")


def _run_as_h5py(program: str, *args: str) -> bool:
    """Run the sample ``program`` unchanged with h5py bound to zarr5; print its checks; True if it passed."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(__file__).parent.parent), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    command = [sys.executable, "-m", "zarr5", "run", "--as", "h5py", str(SAMPLES / program), *args]
    ran = subprocess.run(command, env=env, capture_output=True, text=True)
    print(ran.stdout.rstrip())
    if ran.returncode != 0:
        print(ran.stderr, file=sys.stderr)
    return ran.returncode == 0


def demo(path: str | None = None) -> int:
    """Run the demo in ``path`` (default: a new temporary directory); 0 when every check passed."""
    work = Path(path or tempfile.mkdtemp(prefix="zarr5-demo-"))
    work.mkdir(parents=True, exist_ok=True)
    h5_path, store, back = str(work / "sample.h5"), str(work / "sample.zarr"), str(work / "roundtrip.h5")
    for old in (store, back):
        if os.path.exists(old):
            import shutil

            shutil.rmtree(old) if os.path.isdir(old) else os.remove(old)

    _step(f"1. HDF5 written by h5py {real_h5py().__version__}: {h5_path}")
    data = write_sample_hdf5(h5_path)
    print(f"  climate/temperature {data.shape} float32 (gzip), a time dimension scale, strings, a soft link")

    _step(f"2. converted to zarr: {store}")
    copied, skipped, nbytes = convert(h5_path, store, log=lambda msg: None)
    print(f"  {copied} objects copied, {nbytes:,} bytes")

    _step("3. an unmodified h5py program on the zarr store (zarr5 run --as h5py)")
    if not _run_as_h5py("h5py_program.py", store):
        return 1

    _step(f"4. back to HDF5 and read by h5py itself: {back}")
    convert(store, back, log=lambda msg: None)
    h5py = real_h5py()
    with h5py.File(back, "r") as f:
        temp = f["climate/temperature"]
        checks = {
            "original values kept": np.array_equal(temp[:120], data),
            "the program's new row arrived": np.array_equal(temp[120], data[119]),
            "the program's climate/anomaly arrived": np.allclose(f["climate/anomaly"][:], data - data.mean(0),
                                                                 atol=1e-5),
            "compression, maxshape, attributes kept": temp.compression == "gzip" and temp.maxshape[0] is None
            and temp.attrs["units"] == "degC",
            "dimension scale kept": h5py.h5ds.is_scale(f["climate/time"].id)
            and temp.dims[0].label == "time",
        }
    for what, ok in checks.items():
        print(f"  [{'ok' if ok else 'FAILED'}] {what}")
    if not all(checks.values()):
        return 1

    _step("5. the same store through the zarr vocabulary")
    root = open_group(store, mode="r")
    print(root.tree())
    print(root["climate/temperature"].info)

    _step("6. libraries built on h5py, unchanged (zarr5 run --as h5py), when installed")
    for client, name in (("h5netcdf", "sample.nc"), ("anndata", "sample.h5ad")):
        if importlib.util.find_spec(client) is None:
            print(f"  ({client} is not installed: its sample is not run)")
            continue
        target = work / name
        if target.exists():
            target.unlink()
        if not _run_as_h5py(f"{client}_program.py", str(target)):
            return 1
        # the file the library wrote is one ZIP file holding a zarr store: the zarr vocabulary opens it
        with ZipStore(str(target), mode="r") as zipped:
            nodes: list[str] = []
            open_group(zipped, mode="r").visit(nodes.append)
        ok = zipfile.is_zipfile(target) and len(nodes) > 1
        shown = ", ".join(nodes[:4]) + (", ..." if len(nodes) > 4 else "")
        print(f"  [{'ok' if ok else 'FAILED'}] {name} is one file ({target.stat().st_size:,} bytes), "
              f"opened as a zarr ZipStore: {len(nodes)} nodes ({shown})")
        if not ok:
            return 1
    print(f"all checks passed; files in {work}")
    return 0
