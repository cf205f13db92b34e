"""zarr5's zarr-python-2.18-shaped vocabulary: what ``import zarr`` gives after ``zarr5.install("zarr")``.

Names and module layout only (DESIGN.md §1); the behaviour lives in the engine and ``zarr5.api``.
"""

from zarr5 import *  # noqa: F403 -- start from the mixed namespace; zarr-2's own layout replaces it
from zarr5 import __all__ as _mixed_names
from zarr5.zarr2 import storage

__zarr5_vocabulary__ = True  # tells this module from zarr-python itself
__version__ = "2.18.7"  # the zarr-python API level this vocabulary follows

__all__ = [*_mixed_names, "storage"]
