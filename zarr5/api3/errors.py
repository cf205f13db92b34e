"""zarr-python 3's exceptions where they differ from zarr-2's: a missing node is also a
``FileNotFoundError`` (``NodeNotFoundError``). Each class is also zarr5's own, so ``except
zarr5.errors.GroupNotFoundError`` keeps working."""

from __future__ import annotations

from zarr5 import errors as _errors

__all__ = ["ArrayNotFoundError", "GroupNotFoundError", "NodeNotFoundError", "node_not_found"]


class NodeNotFoundError(_errors.PathNotFoundError, FileNotFoundError):
    """No array or group where one was asked for."""


class ArrayNotFoundError(_errors.ArrayNotFoundError, NodeNotFoundError):
    """No array at the path."""


class GroupNotFoundError(_errors.GroupNotFoundError, NodeNotFoundError):
    """No group at the path."""


def node_not_found(kind: str, store: object, path: str) -> NodeNotFoundError:
    """The error zarr-python 3 raises for a missing ``kind`` ('array', 'group' or 'node')."""
    cls = {"array": ArrayNotFoundError, "group": GroupNotFoundError}.get(kind, NodeNotFoundError)
    err = cls(path)
    err.args = (f"no {kind} found in {store!r} at path {path!r}",)
    return err
