"""``zarr.core.sync``: ``sync`` runs a coroutine to its end.

zarr5's stores are synchronous, so methods that are coroutines in zarr-python 3 (``store.clear()``)
have already finished when called; ``sync`` then just hands their result back.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

__all__ = ["sync"]


def sync(coro: Any, loop: Any = None, timeout: float | None = None) -> Any:
    if inspect.isawaitable(coro):
        return asyncio.run(asyncio.wait_for(coro, timeout)) if timeout else asyncio.run(coro)  # type: ignore[arg-type]
    return coro
