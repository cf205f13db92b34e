"""``zarr.core.group``: the group class and its metadata object."""

from zarr5.api3.metadata import ConsolidatedMetadata, GroupMetadata
from zarr5.api3.nodes import Group

__all__ = ["ConsolidatedMetadata", "Group", "GroupMetadata"]
