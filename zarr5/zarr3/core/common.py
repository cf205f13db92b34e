"""``zarr.core.common``: the type names programs import from it."""

from typing import Literal

AccessModeLiteral = Literal["r", "r+", "a", "w", "w-"]
ZarrFormat = Literal[2, 3]
JSON = object

__all__ = ["JSON", "AccessModeLiteral", "ZarrFormat"]
