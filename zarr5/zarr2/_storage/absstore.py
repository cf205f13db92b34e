"""``zarr._storage.absstore``: the Azure Blob Storage store."""

from zarr5.storage.abs import ABSStore

__all__ = ["ABSStore"]
