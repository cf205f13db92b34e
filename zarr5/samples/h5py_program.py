"""An ordinary h5py program, written for h5py and HDF5 files; ``zarr5 demo`` runs it unchanged on a zarr
store with h5py bound to zarr5 (``zarr5 run --as h5py``).

Usage: h5py_program.py STORE -- prints one line per check, exits 1 if any fails.
"""

import sys

import h5py
import numpy as np

failures = 0


def check(what, ok):
    global failures
    failures += not ok
    print(f"  [{'ok' if ok else 'FAILED'}] {what}")


path = sys.argv[1]
with h5py.File(path, "r+") as f:
    # zarr5's vocabulary answers to h5py's module names while bound; it marks itself for those who ask
    impl = "zarr5" if getattr(h5py, "__zarr5_vocabulary__", False) else "h5py"
    check(f"h5py here is {impl}'s File, h5py API {h5py.__version__}", True)
    temp = f["climate/temperature"]
    check(f"dataset {temp.name} {temp.shape} {temp.dtype}, chunks {temp.chunks}, {temp.compression}",
          temp.shape == (120, 45, 90) and temp.dtype == np.float32 and temp.compression == "gzip")
    check(f"attribute units = {temp.attrs['units']!r}", temp.attrs["units"] == "degC")
    time = temp.dims[0][0]
    check(f"dimension 0 is labelled {temp.dims[0].label!r}, scale {time.name} is a dimension scale",
          temp.dims[0].label == "time" and time.is_scale and time[-1] == 119)
    names = []
    f.visititems(lambda name, obj: names.append(name))
    check(f"visititems walks {len(names)} objects", "climate/temperature" in names and "stations" in names)
    stations = [s.decode() if isinstance(s, bytes) else s for s in f["stations"][:]]
    check(f"variable-length strings read back: {stations}", stations == ["Oslo", "Lima", "Perth"])
    link = f.get("latest", getlink=True)
    check(f"soft link 'latest' -> {link.path}",
          isinstance(link, h5py.SoftLink) and f["latest"].shape == (45, 90))
    mean = temp[:].mean(axis=0)
    anomaly = f.create_dataset("climate/anomaly", data=temp[:] - mean, chunks=(30, 45, 45),
                               compression="gzip", compression_opts=4)
    anomaly.attrs["derived_from"] = temp.name
    check("wrote climate/anomaly (gzip level 4) from the data", abs(float(anomaly[:].mean())) < 1e-3)
    temp.resize(121, axis=0)
    check(f"maxshape {temp.maxshape} kept, resize along time works", temp.shape[0] == 121)
    temp[120] = temp[119]
    check("last time step written", np.array_equal(temp[120], temp[119]))
sys.exit(1 if failures else 0)
