"""``zarr.codecs``: zarr-python 2 re-exports numcodecs here (``from zarr.codecs import Blosc``)."""

from types import ModuleType as _ModuleType

import numcodecs as _numcodecs
from numcodecs import *  # noqa: F403 -- the whole numcodecs namespace, as zarr 2 gives it
from numcodecs import BZ2, AsType, Blosc, Delta, Pickle, Zlib, Zstd, get_codec  # noqa: F401
from numcodecs.registry import codec_registry  # noqa: F401

# what ``from zarr.codecs import *`` (and so the top level) takes: codecs and functions, not numcodecs'
# submodules, which would shadow zarr's own ``errors`` and ``version``
__all__ = sorted(name for name, value in vars(_numcodecs).items()
                 if not name.startswith("_") and not isinstance(value, _ModuleType))
