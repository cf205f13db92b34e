"""``h5py._hl.compat``: file names to and from bytes, as h5py encodes them."""

import os
from typing import Any

__all__ = ["filename_decode", "filename_encode"]


def filename_encode(filename: Any) -> bytes:
    return os.fsencode(filename)


def filename_decode(filename: Any) -> str:
    return os.fsdecode(filename)
