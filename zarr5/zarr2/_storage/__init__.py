"""``zarr._storage``: zarr 2's private store modules, which user code and zarr 2's tests import from."""
