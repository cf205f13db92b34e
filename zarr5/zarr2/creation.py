"""``zarr.creation``: the functions that make or open arrays."""

from numcodecs.registry import codec_registry  # noqa: F401 -- zarr 2 has it in this namespace

from zarr5.api.zarr2 import (
    array,
    create,
    empty,
    empty_like,
    full,
    full_like,
    ones,
    ones_like,
    open_array,
    open_like,
    zeros,
    zeros_like,
)

__all__ = ["array", "create", "empty", "empty_like", "full", "full_like", "ones", "ones_like", "open_array",
           "open_like", "zeros", "zeros_like"]
