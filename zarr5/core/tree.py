"""``tree()``: a drawing of a hierarchy, with Unicode box lines and a plain-ASCII fallback; in a notebook
with ipytree installed, an ipytree widget (zarr-2's view), the text otherwise."""

from __future__ import annotations

from typing import Any

_UNICODE = ("├── ", "└── ", "│   ", "    ")
_ASCII = ("+-- ", "+-- ", "|   ", "    ")  # zarr 2 marks the last member like the others


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


def tree_widget(node: Any, expand: bool | int = False, level: int | None = None) -> Any:
    """An ``ipytree.Tree`` of ``node`` and its members; ``expand`` opens every node (``True``) or the
    first ``expand`` levels (an int). Raises ImportError naming ipytree when it is not installed."""
    try:
        import ipytree  # type: ignore[import-untyped]
    except ImportError as e:
        raise ImportError(f"{e}: the tree widget needs ipytree (pip install ipytree)") from e

    def make(name: str, obj: Any, depth: int) -> Any:
        is_array = hasattr(obj, "shape")
        opened = depth == 0 or expand is True or (type(expand) is int and depth < expand)
        widget = ipytree.Node(_label(name, obj), opened=opened, disabled=True,
                              icon="table" if is_array else "folder")
        if level is None or depth < level:
            widget.nodes = [make(child_name, child, depth + 1) for child_name, child in _children(obj)]
        return widget

    name = getattr(node, "name", None) or "/"
    tree = ipytree.Tree()
    tree.add_node(make("/" if name == "/" else name.rstrip("/").rsplit("/", 1)[-1], node, 0))
    return tree


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

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        # a notebook shows the ipytree widget when ipytree is there, else (None) the text drawing
        try:
            widget = tree_widget(self.node, expand=self.expand, level=self.level)
        except ImportError:
            return None
        return widget._repr_mimebundle_(**kwargs)

    def __bytes__(self) -> bytes:
        return self.text.encode()

    def __str__(self) -> str:
        import sys

        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        try:
            self.unicode.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            return self.text
        return self.unicode
