"""Key and path checking and value conversion shared by every store."""

from __future__ import annotations

import numpy as np
import pytest

from zarr5.errors import InvalidKeyError
from zarr5.storage import ensure_bytes, normalize_key, normalize_path


@pytest.mark.parametrize("key", ["a", "a/b", ".zarray", "a/b/0.0", "x y/ü", "..a", "a..", "...", "a/.b"])
def test_normalize_key_accepts(key: str) -> None:
    assert normalize_key(key) == key


@pytest.mark.parametrize("key", ["", "/a", "a/", "a//b", ".", "..", "a/../b", "./a", "a\\b", "a\x00"])
def test_normalize_key_refuses(key: str) -> None:
    with pytest.raises(InvalidKeyError, match="invalid store key"):
        normalize_key(key)


def test_normalize_key_type() -> None:
    with pytest.raises(TypeError, match="must be str"):
        normalize_key(b"a")  # type: ignore[arg-type]


@pytest.mark.parametrize(("path", "expected"), [
    (None, ""), ("", ""), ("/", ""), ("//", ""), ("/a/b/", "a/b"), ("a", "a"),
])
def test_normalize_path(path: str | None, expected: str) -> None:
    assert normalize_path(path) == expected


@pytest.mark.parametrize("path", ["a//b", "../a", "a/./b", "a\\b"])
def test_normalize_path_refuses(path: str) -> None:
    with pytest.raises(InvalidKeyError, match="invalid path"):
        normalize_path(path)


def test_ensure_bytes() -> None:
    assert ensure_bytes(b"x") == b"x"
    assert ensure_bytes(bytearray(b"xy")) == b"xy"
    assert ensure_bytes(np.array([[1, 2], [3, 4]], "<i2").T) == np.array([1, 3, 2, 4], "<i2").tobytes()
    with pytest.raises(TypeError, match="object array"):
        ensure_bytes(np.array(["a"], dtype=object))
    with pytest.raises(TypeError, match="str"):
        ensure_bytes("text")
