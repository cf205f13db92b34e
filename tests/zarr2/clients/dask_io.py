"""dask's to_zarr / from_zarr, run with zarr bound to zarr5 (tests/zarr2/test_zarr2_clients.py)."""

import sys

import dask.array as da
import numpy as np
import zarr

assert getattr(zarr, "__zarr5_vocabulary__", False), zarr
out = sys.argv[1]
x = da.arange(100, chunks=10).reshape(10, 10).rechunk((5, 5))
x.to_zarr(out, overwrite=True)
y = da.from_zarr(out)
assert y.chunks == ((5, 5), (5, 5))
np.testing.assert_array_equal(y.compute(), x.compute())

# a component inside a group, and a zarr array given directly as the target
x.to_zarr(out + ".group", component="sub/arr", overwrite=True)
np.testing.assert_array_equal(da.from_zarr(out + ".group", component="sub/arr").compute(), x.compute())
target = zarr.zeros((10, 10), chunks=(5, 5), dtype="i8", store=out + ".direct")
x.to_zarr(target)
np.testing.assert_array_equal(target[:], x.compute())
print("OK dask", y.shape)
