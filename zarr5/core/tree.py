"""``tree()``: a drawing of a hierarchy, with Unicode box lines and a plain-ASCII fallback."""

from __future__ import annotations

from typing import Any

_UNICODE = ("├── ", "└── ", "│   ", "    ")
_ASCII = ("+-- ", "`-- ", "|   ", "    ")


def _label(name: str, node: Any) -> str:
    if hasattr(node, "shape") and hasattr(node, "dtype"):
        return f"{name} {tuple(node.shape)} {node.dtype}"
    return name


def _children(node: Any) -> list[tuple[str, Any]]:
    if hasattr(node, "shape") or not hasattr(node, "items"):
        return []
    return sorted(node.items(), key=lambda kv: kv[0])


def render_tree(node: Any, level: int | None = None, ascii_only: bool = False) -> str:
    """Draw ``node`` (a zarr5 or h5py group, or any object with ``items()``) and its members."""
    branch, last, pipe, space = _ASCII if ascii_only else _UNICODE
    name = getattr(node, "name", None) or "/"
    root = "/" if name == "/" else name.rstrip("/").rsplit("/", 1)[-1]
    lines = [_label(root, node)]

    def walk(current: Any, indent: str, depth: int) -> None:
        if level is not None and depth >= level:
            return
        members = _children(current)
        for i, (child_name, child) in enumerate(members):
            is_last = i == len(members) - 1
            lines.append(indent + (last if is_last else branch) + _label(child_name, child))
            walk(child, indent + (space if is_last else pipe), depth + 1)

    walk(node, " ", 0)
    return "\n".join(lines)


class TreeViewer:
    """What ``tree()`` returns: prints as the drawing (Unicode, or ASCII where it cannot encode)."""

    def __init__(self, node: Any, expand: bool = False, level: int | None = None) -> None:
        self.node = node
        self.expand = expand
        self.level = level

    @property
    def text(self) -> str:
        return render_tree(self.node, self.level, ascii_only=True)

    @property
    def unicode(self) -> str:
        return render_tree(self.node, self.level)

    def __repr__(self) -> str:
        return self.unicode

    def __str__(self) -> str:
        import sys

        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        try:
            self.unicode.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            return self.text
        return self.unicode
