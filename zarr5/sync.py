"""zarr-2's ``zarr.sync`` module names."""

from zarr5.core.sync import ProcessSynchronizer, ThreadSynchronizer

__all__ = ["ProcessSynchronizer", "ThreadSynchronizer"]
