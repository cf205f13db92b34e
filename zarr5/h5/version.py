"""``h5py.version``: version facts h5py programs print or compare."""

from __future__ import annotations

import sys
from typing import Any

import numpy

from zarr5.release import __version__ as _zarr5_version

__all__ = ["version"]


class _Version:
    """zarr5's answer to ``h5py.version``: the h5py API level it follows, and its own version."""

    version = "3.16.0"  # the h5py API level the facade follows
    version_tuple = (3, 16, 0)
    api_version = "3.16"
    api_version_tuple = (3, 16)
    numpy_version = numpy.__version__
    python_version = sys.version
    zarr5_version = _zarr5_version

    def info(self) -> str:
        return (f"Summary of the zarr5 h5py facade\n  h5py API   {self.version}\n"
                f"  zarr5      {self.zarr5_version}\n  Python     {self.python_version}\n"
                f"  numpy      {self.numpy_version}")

    def __repr__(self) -> str:
        return f"<zarr5 h5py facade, h5py API {self.version}>"

    def __getattr__(self, name: str) -> Any:
        # the HDF5 behind .h5 files is the real h5py's (as zarr5.h5py.version answers), looked up on use
        if name in ("hdf5_version", "hdf5_version_tuple", "hdf5_built_version_tuple"):
            from zarr5.hdf5lib import real_h5py

            return getattr(real_h5py().version, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


version = _Version()
