"""The examples in the storage modules' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["base", "memory", "directory", "zip", "sqlite", "dbm", "lmdb", "cache", "consolidated", "resolve"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"zarr5.storage.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
