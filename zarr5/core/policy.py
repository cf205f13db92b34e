"""What a node's vocabulary allows: the Pickle policy of arrays opened without an explicit choice."""

from __future__ import annotations

from zarr5 import config


def pickle_allowed(choice: bool | None, zarr2_vocabulary: bool) -> bool:
    """The caller's ``allow_pickle`` when given; else False for zarr5's own vocabulary, and for the
    zarr-2 vocabulary its setting (zarr 2 decodes Pickle unasked;
    ``zarr5.config.set(zarr2_allow_pickle=False)`` refuses it)."""
    if choice is not None:
        return bool(choice)
    return zarr2_vocabulary and bool(config.get("zarr2_allow_pickle"))
