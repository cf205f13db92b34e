"""``zarr.api``: only the synchronous API is provided (``zarr.api.asynchronous`` is not)."""

from zarr5.zarr3.api import synchronous

__all__ = ["synchronous"]
