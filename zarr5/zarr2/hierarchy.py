"""``zarr.hierarchy``: the Group class and the functions that make or open groups."""

from zarr5.api.hierarchy import group, open_group
from zarr5.core import Group

__all__ = ["Group", "group", "open_group"]
