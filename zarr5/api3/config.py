"""zarr-python 3's runtime configuration (``zarr.config``): dotted keys, ``set`` as a context manager.

Only the keys zarr5 honours change behaviour: ``array.order`` (the order ``info`` reports and new arrays
take) and ``array.write_empty_chunks`` (whether chunks equal to the fill value are written). The rest
are kept so programs that read or set them run.
"""

from __future__ import annotations

import copy
import pprint as _pprint
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

__all__ = ["Config", "config"]

DEFAULTS: dict[str, Any] = {
    "array": {"order": "C", "target_shard_size_bytes": None, "write_empty_chunks": False},
    "async": {"concurrency": 10, "timeout": None},
    "default_zarr_format": 3,
    "json_indent": 2,
    "threading": {"max_workers": None},
}


class _SetContext:
    # the change is made at once; leaving a ``with`` block restores what was there before
    def __init__(self, cfg: Config, previous: dict) -> None:
        self._cfg, self._previous = cfg, previous

    def __enter__(self) -> _SetContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cfg._data = self._previous


class Config:
    """Nested settings read with ``get('array.order')`` and changed with ``set({'array.order': 'F'})``."""

    def __init__(self) -> None:
        self._data = copy.deepcopy(DEFAULTS)

    def get(self, key: str, default: Any = ...) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                if default is ...:
                    raise KeyError(key)
                return default
            node = node[part]
        return copy.deepcopy(node)

    def set(self, arg: Mapping[str, Any] | None = None, **kwargs: Any) -> _SetContext:
        previous = copy.deepcopy(self._data)
        for key, value in {**(arg or {}), **{k.replace("__", "."): v for k, v in kwargs.items()}}.items():
            node = self._data
            parts = key.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
        return _SetContext(self, previous)

    def reset(self) -> None:
        self._data = copy.deepcopy(DEFAULTS)

    def pprint(self, **kwargs: Any) -> None:
        _pprint.pprint(self._data, **kwargs)

    @contextmanager
    def using(self, settings: Mapping[str, Any]) -> Iterator[None]:
        with self.set(settings):
            yield

    @property
    def config(self) -> dict:
        return copy.deepcopy(self._data)


config = Config()
