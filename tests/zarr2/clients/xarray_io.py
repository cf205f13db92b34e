"""xarray's to_zarr / open_zarr (xarray 2025.1.2 takes its zarr-2 path), run with zarr bound to zarr5."""

import sys

import numpy as np
import pandas as pd
import xarray as xr
import zarr

assert getattr(zarr, "__zarr5_vocabulary__", False), zarr
out = sys.argv[1]
ds = xr.Dataset({"t": (("time", "x"), np.arange(12.0).reshape(4, 3), {"units": "K"}),
                 "name": ("x", np.array(["a", "bb", "ccc"], dtype=object))},
                coords={"time": pd.date_range("2000-01-01", periods=4), "x": [10, 20, 30]},
                attrs={"title": "demo"})
ds.to_zarr(out, mode="w", consolidated=True)
more = ds.isel(time=slice(0, 2)).assign_coords(time=pd.date_range("2000-01-05", periods=2))
more.to_zarr(out, append_dim="time", consolidated=True)

back = xr.open_zarr(out)
assert back.sizes["time"] == 6, back
np.testing.assert_array_equal(back["t"].values[:4], ds["t"].values)
np.testing.assert_array_equal(back["t"].values[4:], ds["t"].values[:2])
assert back["t"].attrs["units"] == "K" and back.attrs["title"] == "demo"
assert list(back["name"].values) == ["a", "bb", "ccc"]
assert str(back["time"].values[-1])[:10] == "2000-01-06"

# a dask-chunked dataset written chunk by chunk, then a region rewritten in place
ds[["t"]].chunk({"time": 2}).to_zarr(out + ".chunked", mode="w")
ds[["t"]].isel(time=slice(2, 4)).drop_vars(["x"]).pipe(lambda d: d * 0).to_zarr(
    out + ".chunked", region={"time": slice(2, 4)})
again = xr.open_zarr(out + ".chunked", consolidated=False)
np.testing.assert_array_equal(again["t"].values[:2], ds["t"].values[:2])
assert (again["t"].values[2:] == 0).all()
print("OK xarray", dict(back.sizes))
