"""An ordinary h5netcdf program (netCDF-4 through h5py); ``zarr5 demo`` runs it unchanged with h5py bound
to zarr5, so the ``.nc`` file it writes is a single-file zarr store.

Usage: h5netcdf_program.py PATH -- prints one line per check, exits 1 if any fails.
"""

import sys

import h5netcdf
import numpy as np

failures = 0


def check(what, ok):
    global failures
    failures += not ok
    print(f"  [{'ok' if ok else 'FAILED'}] {what}")


path = sys.argv[1]
temps = np.arange(12, dtype="f4").reshape(4, 3)
with h5netcdf.File(path, "w") as f:
    f.dimensions = {"time": None, "station": 3}
    f.attrs["title"] = "zarr5 demo"
    time = f.create_variable("time", ("time",), "i8")
    time.attrs["units"] = "days since 2026-01-01"
    t = f.create_variable("temperature", ("time", "station"), "f4", compression="gzip")
    t.attrs["units"] = "degC"
    f.resize_dimension("time", 4)
    time[:] = np.arange(4)
    t[:] = temps
with h5netcdf.File(path, "a") as f:
    f.resize_dimension("time", 5)
    f["time"][4] = 4
    f["temperature"][4] = temps[-1] + 1
with h5netcdf.File(path, "r") as f:
    t = f["temperature"]
    name = path.rsplit("/", 1)[-1]
    check(f"h5netcdf {h5netcdf.__version__} wrote {name}, read back: {t.dimensions} {t.shape} {t.dtype}",
          t.dimensions == ("time", "station") and t.shape == (5, 3))
    check(f"unlimited dimension grew in append mode: time = {f['time'][:].tolist()}",
          f.dimensions["time"].isunlimited() and f["time"][:].tolist() == [0, 1, 2, 3, 4])
    check(f"values and attributes kept: units {t.attrs['units']!r}, title {f.attrs['title']!r}",
          np.array_equal(t[:4], temps) and np.array_equal(t[4], temps[-1] + 1) and t.attrs["units"] == "degC")
sys.exit(1 if failures else 0)
