"""``zarr.core``: the few internal modules programs import from (``zarr.core.dtype``)."""
