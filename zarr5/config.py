"""Runtime settings: the one concurrency budget shared by chunk I/O and codecs, and the zarr-2
vocabulary's codec policy.

``zarr2_allow_pickle`` (default True): whether arrays opened through the zarr-2 vocabulary decode the
Pickle codec without being asked, as zarr-python 2 does. ``zarr5.config.set(zarr2_allow_pickle=False)``
makes them refuse it as zarr5's h5py vocabulary always does (an ``allow_pickle=`` argument still wins).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

_lock = threading.Lock()
# batches of a few chunks per worker keep fetched bytes hot in cache while they are decoded
_settings: dict[str, Any] = {"max_workers": min(32, os.cpu_count() or 1), "batch_chunks": 16,
             # chunks smaller than this are coded inline: threads only pay off for larger ones
             "min_parallel_bytes": 256 * 1024,
             # zarr 2 decodes Pickle unasked; who chose its vocabulary chose that (docs: pickle policy)
             "zarr2_allow_pickle": True}
_executor: ThreadPoolExecutor | None = None


def get(name: str) -> Any:
    """Return the current value of setting ``name`` ('max_workers', 'batch_chunks', 'min_parallel_bytes',
    'zarr2_allow_pickle')."""
    return _settings[name]


def set(**settings: Any) -> None:  # noqa: A001 - mirrors dask.config.set
    """Change settings; unknown names raise KeyError naming them."""
    global _executor
    for name, value in settings.items():
        if name not in _settings:
            raise KeyError(f"unknown zarr5 setting {name!r}; known: {sorted(_settings)}")
        if isinstance(_settings[name], bool):
            if not isinstance(value, bool):
                raise ValueError(f"setting {name!r} must be True or False, not {value!r}")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"setting {name!r} must be a positive int, not {value!r}")
    with _lock:
        if "max_workers" in settings and settings["max_workers"] != _settings["max_workers"]:
            old, _executor = _executor, None
            if old is not None:
                old.shutdown(wait=False)
        _settings.update(settings)


@contextlib.contextmanager
def using(**settings: Any) -> Iterator[None]:
    """Temporarily change settings, e.g. ``with zarr5.config.using(max_workers=1): ...``."""
    previous = {name: _settings[name] for name in settings}
    set(**settings)
    try:
        yield
    finally:
        set(**previous)


def executor() -> ThreadPoolExecutor:
    """Return the shared thread pool, created on first use with ``max_workers`` threads."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(_settings["max_workers"], thread_name_prefix="zarr5")
        return _executor


def _reset_after_fork() -> None:
    # a forked child inherits the pool object but not its threads
    global _executor
    _executor = None


os.register_at_fork(after_in_child=_reset_after_fork)
