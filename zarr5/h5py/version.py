"""``h5py.version``: the h5py release whose API this vocabulary follows, and the HDF5 behind it.

``version`` / ``version_tuple`` name h5py 3.16.0, the API level zarr5's h5py vocabulary follows
(version-gated client code takes its current-h5py path). ``hdf5_version`` and its tuples are those of
the HDF5 library zarr5 reads real ``.h5`` files with (through the real h5py), looked up on first use.
"""

from collections import namedtuple
from typing import Any

from zarr5.h5.version import version as _facade

_H5PY_VERSION_CLS = namedtuple("_H5PY_VERSION_CLS", "major minor bugfix pre post dev")

version = _facade.version
version_tuple = _H5PY_VERSION_CLS(*_facade.version_tuple, None, None, None)
api_version = "1.8"  # the HDF5 API generation h5py compiles against
api_version_tuple = (1, 8)
numpy_version = _facade.numpy_version
python_version = _facade.python_version
zarr5_version = _facade.zarr5_version
info = _facade.info

_FROM_HDF5 = ("hdf5_version", "hdf5_version_tuple", "hdf5_built_version_tuple")


def __getattr__(name: str) -> Any:
    if name in _FROM_HDF5:
        from zarr5.hdf5lib import real_h5py

        return getattr(real_h5py().version, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
