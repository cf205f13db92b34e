"""``zarr.hierarchy``: the Group class and the functions that make or open groups."""

from zarr5.api.zarr2 import Group, group, open_group

__all__ = ["Group", "group", "open_group"]
