"""Dataset regions: what an HDF5 region reference selects, as a JSON-able description.

A region is a dict holding the dataset's ``shape`` and a ``select`` kind, mirroring HDF5's dataspace
selections so a region copies to HDF5 and back unchanged:

- ``"all"`` / ``"none"``;
- ``"points"``: ``points``, a list of coordinates, read in the order given;
- ``"slab"``: a regular hyperslab, ``start``, ``stride``, ``count`` and ``block`` per axis;
- ``"blocks"``: ``blocks``, a list of ``[start, end]`` corner pairs (``end`` inclusive), their union.

Reading a region gives h5py's result: the selected elements in row-major order, shaped as the selection
when it is a box of whole rows and columns, else 1-D.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import numpy as np

from zarr5.h5.selection import translate

__all__ = ["check_region", "read_region", "region_from_args", "region_from_json", "region_json",
           "region_shape"]

KINDS = ("all", "none", "points", "slab", "blocks")


def region_from_args(shape: tuple[int, ...], args: Any) -> dict:
    """The region an h5py selection ``args`` (slices, indices, index lists, a mask) makes on ``shape``."""
    args = args if isinstance(args, tuple) else (args,)
    base = {"shape": list(shape)}
    if args == () or (len(args) == 1 and args[0] is Ellipsis):
        return {**base, "select": "all"}
    if not shape:
        raise ValueError("Illegal slicing argument for scalar dataspace")
    kind, sel = translate(args, shape)
    if kind == "mask":
        points = np.argwhere(sel).tolist()
        return {**base, "select": "points", "points": points} if points else {**base, "select": "none"}
    axes: list[np.ndarray] = []
    for s, n in zip(sel, shape):
        if isinstance(s, slice):
            axes.append(np.arange(n)[s])
        elif isinstance(s, (int, np.integer)):
            axes.append(np.array([int(s) % n]))
        else:
            axes.append(np.unique(np.asarray(s)))
    if any(a.size == 0 for a in axes):
        return {**base, "select": "none"}
    if kind == "basic":
        start = [int(a[0]) for a in axes]
        stride = [int(a[1] - a[0]) if a.size > 1 else 1 for a in axes]
        count = [int(a.size) for a in axes]
        return {**base, "select": "slab", "start": start, "stride": stride, "count": count,
                "block": [1] * len(shape)}
    # index lists: the union of the boxes each axis's contiguous runs span
    runs = [_runs(a) for a in axes]
    blocks = [[[r[0] for r in combo], [r[1] for r in combo]] for combo in itertools.product(*runs)]
    return {**base, "select": "blocks", "blocks": blocks}


def _runs(indices: np.ndarray) -> list[tuple[int, int]]:
    """Sorted unique indices as inclusive ``(first, last)`` runs of consecutive values."""
    breaks = np.flatnonzero(np.diff(indices) != 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [indices.size - 1]])
    return [(int(indices[s]), int(indices[e])) for s, e in zip(starts, ends)]


def region_json(path: str, region: dict) -> str:
    """The text a region reference is stored as in a Zarr array or attribute."""
    return json.dumps({"path": path, **region}, separators=(",", ":"))


def region_from_json(text: str) -> tuple[str, dict]:
    """``(path, region)`` from :func:`region_json`'s text; ValueError when it is not one."""
    try:
        doc = json.loads(text)
        path = doc.pop("path")
        if not isinstance(path, str) or doc.get("select") not in KINDS \
                or not isinstance(doc.get("shape"), list):
            raise ValueError
    except (ValueError, KeyError, AttributeError, TypeError):
        raise ValueError(f"not a stored region reference: {text[:80]!r}") from None
    return path, doc


def _coords(region: dict) -> np.ndarray:
    """The coordinates a points, slab or blocks region selects, ``(N, rank)``: row-major for boxes, as
    given for points ("all" and "none" never need them)."""
    rank = len(region["shape"])
    kind = region["select"]
    if kind == "points":
        return np.asarray(region["points"], dtype=np.intp).reshape(-1, rank)
    if kind == "slab":
        slab = zip(region["start"], region["stride"], region["count"], region["block"])
        return _grid([_slab_axis(*v) for v in slab])
    parts = [_grid([np.arange(a, b + 1) for a, b in zip(lo, hi)]) for lo, hi in region["blocks"]]
    if not parts:
        return np.zeros((0, rank), np.intp)
    return np.unique(np.concatenate(parts), axis=0)  # sorted rows: row-major order, overlaps once


def _grid(axes: list[np.ndarray]) -> np.ndarray:
    """Every combination of the per-axis indices, row-major, as ``(N, rank)`` coordinates."""
    return np.stack([g.reshape(-1) for g in np.meshgrid(*axes, indexing="ij")], axis=-1)


def _slab_axis(start: int, stride: int, count: int, block: int) -> np.ndarray:
    return (start + stride * np.arange(count)[:, None] + np.arange(block)[None, :]).reshape(-1)


def region_shape(region: dict) -> tuple[int, ...] | None:
    """h5py's ``regionref.selection``: the selection's shape; 1-D when it is not a box; None for an
    unselected scalar."""
    shape = tuple(region["shape"])
    kind = region["select"]
    if kind == "all":
        return shape
    if kind == "none":
        return None if not shape else (0,) * len(shape)
    if kind == "slab":
        return tuple(c * b for c, b in zip(region["count"], region["block"]))
    coords = _coords(region)
    n = len(coords)
    if kind == "points" or n == 0:
        return (n,) if kind == "points" else (0,) * len(shape)
    # HDF5's rule: per axis, N over the points left in the lowest plane; 1-D unless they multiply to N
    dims = tuple(n // int(np.count_nonzero(coords[:, axis] == coords[:, axis].min()))
                 for axis in range(len(shape)))
    return dims if int(np.prod(dims)) == n else (n,)


def check_region(region: dict, shape: tuple[int, ...]) -> None:
    """ValueError unless the region lies inside a dataset of ``shape`` (a stored region is data, and
    may be hostile: nothing it names may reach beyond the dataset)."""
    rank = len(shape)

    def inside(lo: Any, hi: Any) -> bool:
        return len(lo) == rank == len(hi) and all(0 <= a <= b < n for a, b, n in zip(lo, hi, shape))

    kind = region["select"]
    ok = True
    if kind == "slab":
        parts: list[Any] = [region.get(k) for k in ("start", "stride", "count", "block")]
        ok = all(isinstance(p, list) and len(p) == rank and all(isinstance(v, int) for v in p) for p in parts)
        if ok:
            start, stride, count, block = parts
            ok = all(c >= 1 and b >= 1 and (t >= b or c == 1) for t, c, b in zip(stride, count, block)) and \
                inside(start, [s + t * (c - 1) + b - 1 for s, t, c, b in zip(start, stride, count, block)])
    elif kind == "blocks":
        ok = isinstance(region.get("blocks"), list) and all(
            isinstance(b, list) and len(b) == 2 and inside(b[0], b[1]) for b in region["blocks"])
    elif kind == "points":
        ok = isinstance(region.get("points"), list) and all(
            isinstance(p, list) and inside(p, p) for p in region["points"])
    if not ok:
        raise ValueError(f"region reference selects outside the dataset's shape {shape}: {region}"[:300])


def read_region(array: Any, region: dict) -> Any:
    """The values a region selects from a zarr5 array, shaped as h5py returns them (None: no data)."""
    check_region(region, tuple(array.shape))
    shape = region_shape(region)
    kind = region["select"]
    if shape is None:
        return None
    if kind == "all":
        whole = array.get_basic_selection(())
        return whole if isinstance(whole, np.ndarray) else np.asarray(whole, dtype=array.dtype)  # 0-d too
    if kind == "none":
        return np.zeros(shape, dtype=array.dtype)
    if kind == "slab" and all(b == 1 for b in region["block"]):
        sel = tuple(slice(s, s + t * (c - 1) + 1, t) for s, t, c in
                    zip(region["start"], region["stride"], region["count"]))
        return array.get_basic_selection(sel)
    coords = _coords(region)
    values = array.get_coordinate_selection(tuple(coords.T)) if len(coords) else \
        np.zeros((0,), dtype=array.dtype)
    return values.reshape(shape)
