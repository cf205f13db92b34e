"""zarr5's h5py-shaped vocabulary: what ``import h5py`` gives after ``zarr5.install("h5py")``.

Names and module layout only; the behaviour lives in ``zarr5.h5``.
"""

from zarr5.h5 import *  # noqa: F403 -- the vocabulary is the facade's public names
from zarr5.h5 import __all__ as _facade_names
from zarr5.h5.version import version

__zarr5_vocabulary__ = True  # zarr5.hdf5lib tells this module from the real h5py by it
__version__ = version.version

__all__ = [*_facade_names, "__version__"]
