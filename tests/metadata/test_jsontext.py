"""zarr5.metadata.jsontext: the fast indented encoder writes exactly what json.dumps writes, or declines."""

from __future__ import annotations

import enum
import json
import math
from collections import OrderedDict
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarr5.metadata import v2, v3
from zarr5.metadata.jsontext import make_indented_encoder

V2_FAST = make_indented_encoder(4, sort_keys=True)
V3_FAST = make_indented_encoder(2, sort_keys=False)


def v2_reference(obj: Any) -> str:
    return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=True, separators=(",", ": "),
                      cls=v2._NumpyEncoder)


def v3_reference(obj: Any) -> str:
    return json.dumps(obj, indent=2, allow_nan=True, default=v3._json_default)


class Color(enum.IntEnum):
    RED = 1


class Half(float):
    def __repr__(self) -> str:  # json ignores a subclass's repr; so must the fast encoder
        return "half"


WEIRD_STRINGS = ["", "a", "é", "ünïcödé", "日本語", "\U0001f600", "tab\there", 'quote"back\\slash',
                 "\x00\x01\x1f\x7f", "line\nbreak\r", "\u2028\u2029", "/slash", "\ud800"]
WEIRD_FLOATS = [0.0, -0.0, 0.1, 1e-300, 5e-324, 1.7976931348623157e308, 1e16, 123456789.123, -2.5,
                math.nan, math.inf, -math.inf, Half(0.5)]
WEIRD_INTS = [0, -1, 2**31, 2**63, -(2**64) - 1, 10**40, Color.RED]

CASES: list[Any] = [
    {}, [], (), "", None, True, False, 0, 1.5,
    {"a": {}}, {"a": []}, [[]], [{}], [[], {}], [[[[]]]],
    {"zarr_format": 2, "shape": [10], "chunks": [10], "dtype": "<i4", "fill_value": 0, "order": "C",
     "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1, "blocksize": 0},
     "filters": None},
    [{"b": 1, "a": [1, 2, {"z": None, "y": [True, False]}]}, {"c": (1, (2, 3))}],
    {s: s for s in WEIRD_STRINGS},
    {"floats": WEIRD_FLOATS, "ints": WEIRD_INTS},
    {"B": 1, "a": 2, "_": 3, "A": 4, "b": 5, "é": 6, "\x00": 7},
    OrderedDict([("z", 1), ("a", 2)]),
    # subclasses of str and float json writes natively (not through its default hook)
    [np.str_("x"), np.float64(0.1), np.float64("nan")], {np.str_("k"): np.float64(1e300)},
    *WEIRD_STRINGS, *WEIRD_FLOATS, *WEIRD_INTS,
]


@pytest.mark.parametrize("obj", CASES, ids=range(len(CASES)))
def test_plain_trees_match_json_dumps(obj: Any) -> None:
    assert V2_FAST(obj) == v2_reference(obj)
    assert V3_FAST(obj) == v3_reference(obj)
    assert v2.encode_json(obj) == v2_reference(obj).encode("ascii")
    assert v3.encode_json_v3(obj) == v3_reference(obj).encode("ascii")


# values json only writes through its default hook, keys it spells itself, cycles, deep nesting
DECLINED: list[Any] = [
    np.int64(3), np.float32(0.5), np.bool_(True), np.arange(3), {"a": np.int32(1)}, [np.uint8(7)],
    {1: "a"}, {1.5: "a"}, {None: "a"}, {True: "a"},
]


@pytest.mark.parametrize("obj", DECLINED, ids=range(len(DECLINED)))
def test_declines_what_json_dumps_converts_and_callers_agree(obj: Any) -> None:
    assert V2_FAST(obj) is None
    assert v2.encode_json(obj) == v2_reference(obj).encode("ascii")
    assert v3.encode_json_v3(obj) == v3_reference(obj).encode("ascii")


def test_deep_trees_fall_back_to_the_same_text() -> None:
    deep: Any = 1
    for _ in range(100):
        deep = [deep, {"k": deep}] if isinstance(deep, int) else [deep]
    assert V2_FAST(deep) is None
    assert v2.encode_json(deep) == v2_reference(deep).encode("ascii")


@pytest.mark.parametrize("obj", [{"a": object()}, {1: 2, "a": 3}, [set()]])
def test_errors_are_json_dumps_errors(obj: Any) -> None:
    with pytest.raises(TypeError) as expected:
        v2_reference(obj)
    with pytest.raises(TypeError) as got:
        v2.encode_json(obj)
    assert str(got.value) == str(expected.value)


def test_circular_reference_raises_like_json_dumps() -> None:
    loop: list = []
    loop.append(loop)
    cyclic: dict = {"a": {}}
    cyclic["a"]["b"] = cyclic
    for obj in (loop, cyclic):
        with pytest.raises(ValueError, match="Circular reference"):
            v2.encode_json(obj)
        with pytest.raises(ValueError, match="Circular reference"):
            v3.encode_json_v3(obj)


_scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
            | st.floats(allow_nan=True, allow_infinity=True) | st.text())
_trees = st.recursive(
    _scalars,
    lambda children: (st.lists(children, max_size=5) | st.tuples(children, children)
                      | st.dictionaries(st.text(max_size=8), children, max_size=5)),
    max_leaves=40,
)


@settings(max_examples=500, deadline=None)
@given(_trees)
def test_random_trees_match_json_dumps(obj: Any) -> None:
    assert V2_FAST(obj) == v2_reference(obj)
    assert V3_FAST(obj) == v3_reference(obj)
