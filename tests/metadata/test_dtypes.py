"""zarr5.metadata.dtypes: dtypes and fill values and their JSON forms, against zarr-python 2.18."""

from __future__ import annotations

import doctest
import math
import warnings
from typing import Any

import numcodecs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarr5.errors import MetadataError
from zarr5.metadata import dtypes
from zarr5.metadata.dtypes import (
    decode_dtype,
    decode_fill_value,
    encode_dtype,
    encode_fill_value,
    normalize_dtype,
    normalize_fill_value,
)


def oracle(module: str = "zarr") -> Any:
    """zarr-python 2.18.7's ``module``, imported by the comparisons alone: only they skip without it."""
    return pytest.importorskip(module, reason="zarr-python 2.18.7, the oracle of this comparison, is not "
                                              "installed (pip install '.[test]')")

NESTED = np.dtype([("a", "<i4"), ("b", [("c", ">f8"), ("d", "S3")]), ("e", "<u2", (2, 3))])

# every dtype Zarr v2 allows outside object arrays, both byte orders where they exist
DTYPES = [
    "|b1", "|i1", "|u1", "<i2", ">i2", "<i4", ">i4", "<i8", ">i8", "<u2", ">u2", "<u4", ">u4", "<u8", ">u8",
    "<f2", ">f2", "<f4", ">f4", "<f8", ">f8", "<c8", ">c8", "<c16", ">c16",
    "<M8[ns]", ">M8[ns]", "<M8[D]", "<M8[s]", "<m8[ms]", ">m8[us]", "<m8[Y]",
    "|S1", "|S7", "<U1", ">U5", "|V3", "|V16",
]
STRUCTURED = [
    np.dtype([("x", "<f4"), ("y", ">i8")]),
    np.dtype([("name", "S4"), ("v", "<f8", (3,))]),
    NESTED,
    np.dtype([("t", "<M8[ms]"), ("c", "<c8"), ("u", "<U2"), ("b", "?")]),
]


def test_docstring_examples_run():
    with np.printoptions(legacy=False):
        failures, _ = doctest.testmod(dtypes, optionflags=doctest.ELLIPSIS)
    assert failures == 0


# normalize_dtype ---------------------------------------------------------------------------------------


def test_none_is_float64():
    assert normalize_dtype(None) == (np.dtype("f8"), None)


@pytest.mark.parametrize("arg, codec", [(str, numcodecs.VLenUTF8()), ("str", numcodecs.VLenUTF8()),
                                        (bytes, numcodecs.VLenBytes()), ("bytes", numcodecs.VLenBytes())])
def test_object_shorthands(arg, codec):
    dt, got = normalize_dtype(arg)
    assert dt == np.dtype(object)
    assert got.get_config() == codec.get_config()


@pytest.mark.parametrize("arg, inner", [("array:i8", "<i8"), ("array:<f4", "<f4"), ("array:>u2", ">u2")])
def test_array_shorthand(arg, inner):
    dt, codec = normalize_dtype(arg)
    assert dt == np.dtype(object)
    assert codec.get_config() == {"id": "vlen-array", "dtype": inner}


def test_shorthand_matches_zarr():
    for arg in [str, bytes, "str", "array:i4", "array:<f8"]:
        mine = normalize_dtype(arg)
        theirs = oracle("zarr.util").normalize_dtype(arg, None)
        assert mine[0] == theirs[0]
        assert mine[1].get_config() == theirs[1].get_config()


def test_given_object_codec_wins_over_shorthand():
    codec = numcodecs.JSON()
    assert normalize_dtype(str, codec) == (np.dtype(object), codec)


def test_object_without_codec_refused():
    with pytest.raises(ValueError, match="missing object_codec for object array"):
        normalize_dtype(object)
    with pytest.raises(ValueError, match="missing object_codec"):
        normalize_dtype("O")


def test_object_without_codec_but_filters_accepted():
    assert normalize_dtype(object, filters=[numcodecs.VLenUTF8()]) == (np.dtype(object), None)


@pytest.mark.parametrize("arg", ["M8", "m8", "datetime64", "<M8", np.dtype("m8"), [("a", "i4"), ("t", ">M8")],
                                 "(2,)m8", [("n", [("t", "M8", (2,))])]])
def test_datetime_without_units_refused(arg):
    with pytest.raises(ValueError, match="units") as info:
        normalize_dtype(arg)
    assert "8'" in str(info.value)


@pytest.mark.skipif(not hasattr(np, "dtypes"), reason="numpy < 1.25 has no dtype classes")
def test_numpy_dtype_classes():
    assert normalize_dtype(np.dtypes.Int32DType) == (np.dtype("i4"), None)
    assert normalize_dtype(np.dtypes.Float64DType()) == (np.dtype("f8"), None)


@pytest.mark.parametrize("arg", ["nonsense", "i3", 42, "array:q9"])
def test_invalid_dtype(arg):
    with pytest.raises((ValueError, TypeError)):
        normalize_dtype(arg)


OTHER_ARGS = ["i4", int, float, np.float32, "(2,)i4", complex, "S", "U"]


@pytest.mark.parametrize("arg", DTYPES + STRUCTURED + OTHER_ARGS)
def test_numpy_dtypes_pass_through(arg):
    dt, codec = normalize_dtype(arg)
    assert dt == np.dtype(arg)
    assert codec is None
    assert dt == oracle("zarr.util").normalize_dtype(arg, None)[0]


# encode_dtype / decode_dtype ---------------------------------------------------------------------------


@pytest.mark.parametrize("dt", [np.dtype(d) for d in DTYPES] + STRUCTURED + [np.dtype(object)], ids=str)
def test_dtype_round_trip_and_matches_zarr(dt):
    enc = encode_dtype(dt)
    assert enc == _as_lists(oracle("zarr.meta").Metadata2.encode_dtype(dt))
    assert decode_dtype(enc) == dt
    assert decode_dtype(enc) == oracle("zarr.meta").Metadata2.decode_dtype(enc)


def _as_lists(obj):
    if isinstance(obj, (list, tuple)):
        return [_as_lists(x) for x in obj]
    return obj


def test_structured_json_form():
    assert encode_dtype(NESTED) == [
        ["a", "<i4"], ["b", [["c", ">f8"], ["d", "|S3"]]], ["e", "<u2", [2, 3]]]


def test_typestr_form():
    assert encode_dtype(np.dtype(bool)) == "|b1"
    assert encode_dtype(np.dtype("M8[ns]")) == "<M8[ns]"


@pytest.mark.parametrize("bad", ["<x9", "nonsense", 3, None, [], [["a"]], [["a", "<i4", "x"]], [[1, "<i4"]],
                                 {"a": 1}, [["a", "<q7"]], [["a", "<i4", [-1]]]])
def test_decode_dtype_names_bad_value(bad):
    with pytest.raises(MetadataError) as info:
        decode_dtype(bad)
    assert "dtype" in str(info.value)


# normalize_fill_value ----------------------------------------------------------------------------------

FILL_CASES = [
    ("i4", 0), ("i4", 7), ("u1", 255), (">i8", -3), ("f8", np.nan), ("f4", np.inf), ("f2", -np.inf),
    ("f8", 0.5),
    ("f8", 3), ("c16", 1 + 2j), ("c8", 0), ("?", True), ("?", 0), ("S3", 0), ("S3", b"ab"), ("S3", "ab"),
    ("U3", 0), ("U3", "hé"), ("V2", 0), ("V2", b"\x01\x02"), ("M8[ns]", 0), ("M8[D]", "2020-01-02"),
    ("m8[s]", 12), (NESTED, 0), (STRUCTURED[0], (1.5, 2)), ("(2,)i4", 0), ("i4", None), ("f8", None),
]


@pytest.mark.parametrize("dt, value", FILL_CASES, ids=repr)
def test_normalize_fill_value_matches_zarr(dt, value):
    dt = np.dtype(dt)
    mine = normalize_fill_value(value, dt)
    theirs = oracle("zarr.util").normalize_fill_value(value, dt.base)
    assert type(mine) is type(theirs)
    if theirs is None:
        assert mine is None
    else:
        assert np.asarray(mine).tobytes() == np.asarray(theirs).tobytes()


def test_zero_means_empty_text():
    assert normalize_fill_value(0, np.dtype("U4")) == ""
    assert normalize_fill_value(0, np.dtype("S4")) == b""


def test_object_fill_kept_as_given():
    marker = object()
    assert normalize_fill_value(marker, np.dtype(object)) is marker
    assert normalize_fill_value(0, np.dtype(object)) == 0


@pytest.mark.parametrize("dt, value", [("U3", 5), ("U3", b"ab"), ("i4", "x"), ("u1", 300), ("i4", np.nan),
                                       ("i8", np.inf), ("M8[ns]", "not a date"), ("f8", [1, 2])])
def test_bad_fill_value_names_it(dt, value):
    with pytest.raises(ValueError) as info:
        normalize_fill_value(value, np.dtype(dt))
    assert repr(value) in str(info.value)


# encode_fill_value / decode_fill_value ----------------------------------------------------------------


@pytest.mark.parametrize("dt, value", FILL_CASES, ids=repr)
def test_fill_value_json_matches_zarr_and_round_trips(dt, value):
    dt = np.dtype(dt).base
    value = normalize_fill_value(value, dt)
    enc = encode_fill_value(value, dt)
    assert enc == _as_lists(oracle("zarr.meta").Metadata2.encode_fill_value(value, dt)) or (
        isinstance(enc, str) and enc == oracle("zarr.meta").Metadata2.encode_fill_value(value, dt))
    dec = decode_fill_value(enc, dt)
    theirs = oracle("zarr.meta").Metadata2.decode_fill_value(enc, dt)
    assert repr(dec) == repr(theirs)
    if value is not None:
        assert np.asarray(dec, dtype=dt).tobytes() == np.asarray(value, dtype=dt).tobytes()


@pytest.mark.parametrize("value, expected", [(np.nan, "NaN"), (np.inf, "Infinity"), (-np.inf, "-Infinity"),
                                             (1.5, 1.5)])
def test_float_spellings(value, expected):
    assert encode_fill_value(value, np.dtype("f4")) == expected
    got = decode_fill_value(expected, np.dtype("f4"))
    assert (math.isnan(got) and math.isnan(value)) or got == value


def test_complex_and_bytes_forms():
    assert encode_fill_value(complex(np.nan, -np.inf), np.dtype("c8")) == ["NaN", "-Infinity"]
    assert encode_fill_value(np.void(b"\x00\xff"), np.dtype("V2")) == "AP8="
    assert decode_fill_value("AP8=", np.dtype("V2")).tobytes() == b"\x00\xff"
    assert decode_fill_value("YWI=", np.dtype("S3")) == b"ab"
    value = normalize_fill_value((1, (2.5, b"xy"), [[1, 2, 3], [4, 5, 6]]), NESTED)
    enc = encode_fill_value(value, NESTED)
    assert isinstance(enc, str)
    assert decode_fill_value(enc, NESTED).tobytes() == value.tobytes()


def test_datetime_fill_is_int():
    assert encode_fill_value(np.datetime64("NaT", "ns"), np.dtype("M8[ns]")) == np.iinfo("i8").min
    assert encode_fill_value(np.datetime64(7, "us"), np.dtype(">M8[us]")) == 7
    assert decode_fill_value(86400, np.dtype("M8[s]")) == np.datetime64("1970-01-02", "s")


def test_bool_and_int_fill_types():
    assert encode_fill_value(np.True_, np.dtype(bool)) is True
    assert type(encode_fill_value(np.uint64(2**64 - 1), np.dtype("u8"))) is int


def test_short_void_fill_padded_both_ways():
    assert decode_fill_value("AQ==", np.dtype("V3")).tobytes() == b"\x01\x00\x00"
    assert encode_fill_value(b"\x01", np.dtype("V3")) == "AQAA"


def test_legacy_unencoded_bytes_fill_read():
    # zarr-2 reads a non-base64 value for an S dtype as it is
    assert decode_fill_value(0, np.dtype("S2")) == b"0"


@pytest.mark.parametrize("dt, obj", [("f8", [1]), ("f8", "bogus"), ("c8", 1.0), ("c8", [1.0]), ("i4", "x"),
                                     ("i4", True), ("i4", 1.5), ("?", 2), ("U2", 5), ("V2", 5),
                                     ("V2", "AAAA"), ("S2", ["a", "b"]), ("f8", [1.0, 2.0]),
                                     ("M8[ns]", 1.5), ("u1", 256)])
def test_decode_bad_fill_value_names_it(dt, obj):
    with pytest.raises(MetadataError) as info:
        decode_fill_value(obj, np.dtype(dt))
    assert repr(obj) in str(info.value)


_FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=32)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["<f2", ">f4", "<f8", "<c8", ">c16"]), _FLOATS, _FLOATS)
def test_float_fill_round_trip_property(dt, re, im):
    dt = np.dtype(dt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a float32 too big for float16 becomes inf, with a warning
        value = normalize_fill_value(complex(re, im) if dt.kind == "c" else re, dt)
        back = decode_fill_value(encode_fill_value(value, dt), dt)
    assert np.asarray(back, dt).tobytes() == np.asarray(value, dt).tobytes() or (
        np.isnan(np.asarray(value)).any() and np.isnan(np.asarray(back)).any())


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["|i1", ">i2", "<u4", "<i8", ">u8", "<M8[ns]", ">m8[s]"]), st.data())
def test_int_fill_round_trip_property(dt, data):
    dt = np.dtype(dt)
    info = np.iinfo(dt.newbyteorder("=").str.replace("M8[ns]", "i8").replace("m8[s]", "i8")[:3]
                    if dt.kind in "mM" else dt)
    value = normalize_fill_value(data.draw(st.integers(int(info.min) + 1, int(info.max))), dt)
    assert np.asarray(decode_fill_value(encode_fill_value(value, dt), dt), dt).tobytes() == (
        np.asarray(value, dt).tobytes())
