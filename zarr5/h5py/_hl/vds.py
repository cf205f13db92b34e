"""``h5py._hl.vds``: virtual datasets have no Zarr equivalent; the names exist so imports succeed,
and building one raises NotImplementedError naming why."""

from typing import Any

__all__ = ["VirtualLayout", "VirtualSource"]


class _NoVirtual:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("virtual datasets have no Zarr equivalent in zarr5; copy the sources "
                                  "into one dataset instead")


class VirtualLayout(_NoVirtual):
    pass


class VirtualSource(_NoVirtual):
    pass
