"""``zarr.version``: the zarr-python API level this vocabulary follows."""

version = __version__ = "2.18.7"
version_tuple = __version_tuple__ = (2, 18, 7)
