"""Fresh result buffers: the kernel faults their pages in on a helper thread, ahead of the decoders.

A new array's memory is mapped lazily: the first write to each page traps into the kernel, which
zeroes it. For a large read that zeroing is a memory-bound pass of its own, paid inside the decode
threads. Asking the kernel to populate the pages (``MADV_POPULATE_WRITE``, Linux 5.14+) from one more
thread overlaps it with decoding. Populating never changes a page's contents, so racing the decoders
is harmless; elsewhere (other systems, older kernels) nothing happens.
"""

from __future__ import annotations

import contextlib
import ctypes
import mmap
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

_MADV_POPULATE_WRITE = 23
# below this the zeroing is too short to be worth a thread
MIN_BYTES = 64 << 20
# populate in steps, so the helper stays just ahead of the decoders rather than racing to the end
_STEP = 8 << 20


def _load_madvise() -> Any:
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    fn.restype = ctypes.c_int
    return fn


_madvise = _load_madvise()


def _populate(start: int, stop: int) -> None:
    addr = start - start % mmap.PAGESIZE
    while addr < stop:
        n = min(_STEP, stop - addr)
        if _madvise(addr, n, _MADV_POPULATE_WRITE) != 0:
            return  # an older kernel (EINVAL) or no memory to spare: the decoders fault pages as usual
        addr += n


@contextlib.contextmanager
def prefaulted(buffer: np.ndarray) -> Iterator[None]:
    """Run the block while a helper thread faults in ``buffer``'s pages (a large fresh array)."""
    if _madvise is None or buffer.nbytes < MIN_BYTES:
        yield
        return
    start = buffer.ctypes.data
    helper = threading.Thread(target=_populate, args=(start, start + buffer.nbytes), daemon=True,
                              name="zarr5-prefault")
    helper.start()
    try:
        yield
    finally:
        helper.join()  # the buffer may be freed once we return: never populate past that
