"""``h5py.h5``: library-wide settings (``get_config``)."""

from zarr5.h5.h5config import H5Config, get_config

__all__ = ["H5Config", "get_config"]
