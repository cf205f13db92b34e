"""``zarr.sync``: the synchronizers an array or group takes."""

from zarr5.core.sync import ProcessSynchronizer, Synchronizer, ThreadSynchronizer

__all__ = ["ProcessSynchronizer", "Synchronizer", "ThreadSynchronizer"]
