"""What the stores backed by a network service share: lazy client imports and outage errors."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from types import ModuleType

from zarr5.errors import StoreUnreachableError


def import_client(module: str, store: str, package: str) -> ModuleType:
    """Import a service's client library, or say which package ``store`` needs."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f"{store} needs the '{package}' package: pip install {package}") from e


@contextlib.contextmanager
def outage(errors: tuple[type[BaseException], ...], server: str, doing: str) -> Iterator[None]:
    """Turn the client's connection errors into :class:`StoreUnreachableError` naming ``server``
    and what was being done (``"reading key 'a/0.0'"``)."""
    try:
        yield
    except errors as e:
        raise StoreUnreachableError(f"{server} did not answer while {doing}: {e}") from e


def describe_keys(keys: list[str]) -> str:
    """``"key 'a'"`` or ``"3 keys ('a', 'b', ...)"`` for error messages about a batch."""
    if len(keys) == 1:
        return f"key {keys[0]!r}"
    shown = ", ".join(repr(k) for k in keys[:3])
    return f"{len(keys)} keys ({shown}{', ...' if len(keys) > 3 else ''})"
