"""zarr5's h5py-shaped vocabulary: what ``import h5py`` gives after ``zarr5.install("h5py")``.

Names and module layout only; the behaviour lives in ``zarr5.h5``. The layout is
h5py's: ``h5py.version``, ``h5py._hl.{files,group,dataset,datatype,attrs,base,dims,filters,selections,
vds,compat}``, ``get_config()`` and the low-level modules ``h5, h5a, h5d, h5ds, h5f, h5g, h5l, h5o, h5p,
h5r, h5s, h5t, h5z``. What each version answer says, and why, is in docs/porting-from-h5py.md.
"""

import importlib

from zarr5.h5 import *  # noqa: F403 -- the vocabulary is the facade's public names
from zarr5.h5 import __all__ as _facade_names
from zarr5.h5.base import HLObject
from zarr5.h5.h5config import get_config
from zarr5.h5py import (  # noqa: F401 -- h5py imports its low-level modules eagerly
    h5,
    h5a,
    h5d,
    h5ds,
    h5f,
    h5g,
    h5l,
    h5o,
    h5p,
    h5r,
    h5s,
    h5t,
    h5z,
)
from zarr5.h5py._bind import bind, unbind
from zarr5.h5py._hl import filters

# a module, as in h5py (the star import above brought the facade's version object under this name)
version = importlib.import_module("zarr5.h5py.version")

__zarr5_vocabulary__ = True  # zarr5.hdf5lib tells this module from the real h5py by it
__zarr5_bind__ = bind  # zarr5.install calls it once the vocabulary holds the name "h5py"
__zarr5_unbind__ = unbind
__version__ = version.version
UNLIMITED = h5s.UNLIMITED

__all__ = [*_facade_names, "HLObject", "UNLIMITED", "__version__", "filters", "get_config", "h5", "h5a",
           "h5d", "h5ds", "h5f", "h5g", "h5l", "h5o", "h5p", "h5r", "h5s", "h5t", "h5z", "version"]
