"""zarr-2's ``zarr.hierarchy`` module names."""

from zarr5.api.hierarchy import group, open_group
from zarr5.core import Group

__all__ = ["Group", "group", "open_group"]
