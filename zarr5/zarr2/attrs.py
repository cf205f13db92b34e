"""``zarr.attrs``: the attribute set of an array or group."""

from zarr5.core import Attributes

__all__ = ["Attributes"]
