"""Hypothesis strategies for shapes, chunkings and selections of every indexing mode."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


@st.composite
def shape_chunks(draw: st.DrawFn, min_ndim: int = 0, max_ndim: int = 4, max_len: int = 9) -> tuple:
    ndim = draw(st.integers(min_ndim, max_ndim))
    shape = tuple(draw(st.lists(st.integers(0, max_len), min_size=ndim, max_size=ndim)))
    # chunk lengths that divide, don't divide, and exceed the axis
    chunks = tuple(draw(st.integers(1, max(n, 1) + 2)) for n in shape)
    return shape, chunks


def int_index(n: int) -> st.SearchStrategy:
    return st.integers(-n, n - 1)


def slice_index(n: int, positive_only: bool = False) -> st.SearchStrategy:
    bound = st.none() | st.integers(-n - 3, n + 3)
    steps = st.integers(1, 4) if positive_only else st.integers(-4, 4).filter(bool)
    return st.builds(slice, bound, bound, st.none() | steps)


def int_array(n: int, max_size: int = 7) -> st.SearchStrategy:
    if n == 0:
        return st.just(np.zeros(0, dtype=np.intp))
    return st.lists(int_index(n), max_size=max_size).map(lambda v: np.asarray(v, dtype=np.intp))


def bool_array(n: int) -> st.SearchStrategy:
    return st.lists(st.booleans(), min_size=n, max_size=n).map(lambda v: np.asarray(v, dtype=bool))


@st.composite
def with_ellipsis(draw: st.DrawFn, items: list) -> tuple:
    """Optionally replace a run of full slices by Ellipsis, or drop trailing full slices."""
    full = slice(None)
    how = draw(st.sampled_from(["plain", "ellipsis", "trailing"]))
    if how == "ellipsis":
        i = draw(st.integers(0, len(items)))
        j = draw(st.integers(i, len(items)))
        if all(s == full for s in items[i:j] if isinstance(s, slice)) and all(
            isinstance(s, slice) for s in items[i:j]
        ):
            return tuple(items[:i]) + (Ellipsis,) + tuple(items[j:])
    if how == "trailing":
        while items and isinstance(items[-1], slice) and items[-1] == full:
            items = items[:-1]
    return tuple(items)


@st.composite
def basic_selection(draw: st.DrawFn, shape: tuple[int, ...]) -> tuple:
    items = []
    for n in shape:
        options = [slice_index(n), st.just(slice(None))]
        if n:
            options.append(int_index(n))
        items.append(draw(st.one_of(options)))
    return draw(with_ellipsis(items))


@st.composite
def orthogonal_selection(draw: st.DrawFn, shape: tuple[int, ...]) -> tuple:
    items = []
    for n in shape:
        options = [slice_index(n), int_array(n), bool_array(n), int_array(n).map(list)]
        if n:
            options.append(int_index(n))
        items.append(draw(st.one_of(options)))
    return draw(with_ellipsis(items))


@st.composite
def coordinate_selection(draw: st.DrawFn, shape: tuple[int, ...]) -> tuple:
    bshape = tuple(draw(st.lists(st.integers(0, 4), min_size=0, max_size=3)))
    if 0 in shape and 0 not in bshape:
        bshape = bshape + (0,)
    items = []
    for n in shape:
        if n and draw(st.booleans()) and draw(st.booleans()):
            items.append(draw(int_index(n)))
            continue
        # a shape that broadcasts to bshape: drop some leading axes, set some axes to 1
        lead = draw(st.integers(0, len(bshape)))
        sub = tuple(1 if draw(st.booleans()) and draw(st.booleans()) else k for k in bshape[lead:])
        size = int(np.prod(sub)) if sub else 1
        if n == 0 and size:
            sub, size = bshape, int(np.prod(bshape))
        values = draw(st.lists(int_index(n), min_size=size, max_size=size)) if size else []
        arr = np.asarray(values, dtype=np.intp).reshape(sub)
        items.append(arr.tolist() if draw(st.booleans()) and arr.size else arr)
    return tuple(items)


@st.composite
def block_selection(draw: st.DrawFn, grid: tuple[int, ...]) -> tuple:
    items = []
    for g in grid:
        bound = st.none() | st.integers(-g - 2, g + 2)
        options = [st.builds(slice, bound, bound, st.sampled_from([None, 1]))]
        if g:
            options.append(st.integers(-g, g - 1))
        items.append(draw(st.one_of(options)))
    return draw(with_ellipsis(items))
