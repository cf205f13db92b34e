"""zarr-python 3's synchronous API over zarr5's engine: the behaviour behind the ``zarr5.zarr3``
vocabulary (nodes, creation functions, stores, configuration)."""
