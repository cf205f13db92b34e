"""The engine: Array, Group, Attributes, chunk I/O and synchronizers."""

from zarr5.core.array import Array
from zarr5.core.attributes import Attributes
from zarr5.core.group import Group
from zarr5.core.sync import ProcessSynchronizer, ThreadSynchronizer

__all__ = ["Array", "Attributes", "Group", "ProcessSynchronizer", "ThreadSynchronizer"]
