"""zarr5's zarr-python-3.1-shaped vocabulary: ``import zarr`` after ``zarr5.install("zarr", api=3)``.

Names and module layout only, like the other vocabularies; the behaviour lives in zarr5.api3 over the
engine. The synchronous API only: ``zarr.api.asynchronous`` and the ``Async*`` classes are not provided.
"""

from zarr5.api3.config import config
from zarr5.api3.nodes import Array, Group
from zarr5.zarr3 import api, codecs, dtype, errors, storage
from zarr5.zarr3.api.synchronous import (
    array,
    consolidate_metadata,
    create,
    create_array,
    create_group,
    create_hierarchy,
    empty,
    empty_like,
    from_array,
    full,
    full_like,
    group,
    load,
    ones,
    ones_like,
    open,
    open_array,
    open_consolidated,
    open_group,
    open_like,
    save,
    save_array,
    save_group,
    tree,
    zeros,
    zeros_like,
)

__version__ = "3.1.6"
__zarr5_vocabulary__ = True

__all__ = [
    "Array", "Group", "__version__", "api", "array", "codecs", "config", "consolidate_metadata", "create",
    "dtype", "create_array", "create_group", "create_hierarchy", "empty", "empty_like", "errors",
    "from_array", "full", "full_like", "group", "load", "ones", "ones_like", "open", "open_array",
    "open_consolidated", "open_group", "open_like", "save", "save_array", "save_group", "storage", "tree",
    "zeros", "zeros_like",
]
