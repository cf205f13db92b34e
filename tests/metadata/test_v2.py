"""zarr5.metadata.v2: documents byte-identical to zarr-python 2.18's, and malformed ones refused by name."""

from __future__ import annotations

import doctest
import json
import warnings
from typing import Any

import numcodecs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarr5.errors import MetadataError
from zarr5.metadata import v2
from zarr5.metadata.dtypes import normalize_dtype, normalize_fill_value
from zarr5.metadata.v2 import (
    ARRAY_KEY,
    ATTRS_KEY,
    CONSOLIDATED_KEY,
    GROUP_KEY,
    ArrayMetadata,
    GroupMetadata,
    decode_attributes,
    decode_consolidated,
    encode_attributes,
    encode_consolidated,
)


def oracle(module: str = "zarr") -> Any:
    """zarr-python 2.18.7's ``module``, imported by the comparisons alone: only they skip without it."""
    return pytest.importorskip(module, reason="zarr-python 2.18.7, the oracle of this comparison, is not "
                                              "installed (pip install '.[test]')")

NESTED = [("a", "<i4"), ("b", [("c", ">f8"), ("d", "S3")]), ("e", "<u2", (2,))]

# (dtype, fill_value, extra zarr.create keywords): a spread of what zarr-python writes
SPREAD = [
    ("i4", 0, {}),
    ("<f8", np.nan, {"order": "F"}),
    (">f4", -np.inf, {"compressor": None}),
    ("f2", 0.1, {"compressor": numcodecs.Zstd(level=3)}),
    ("c16", 1 - 2j, {}),
    ("?", True, {}),
    (">u8", 2**64 - 1, {"dimension_separator": "/"}),
    ("i1", -5, {"dimension_separator": "."}),
    ("S5", b"hi", {}),
    ("U3", "\u00e9\u4e2d", {}),
    ("V4", b"\x00\x01\x02\xff", {}),
    ("<M8[ns]", np.datetime64("NaT"), {}),
    (">m8[s]", 30, {}),
    (NESTED, 0, {}),
    ([("x", "f4"), ("y", "f4")], (np.nan, 1.0), {}),
    ("i4", None, {}),
    (str, None, {}),
    (str, "", {"compressor": numcodecs.Zlib(level=1)}),
    (bytes, None, {}),
    ("array:i8", None, {}),
    (object, None, {"object_codec": numcodecs.JSON()}),
    (object, 0, {"object_codec": numcodecs.MsgPack()}),
    (object, None, {"object_codec": numcodecs.Pickle()}),
    ("i4", 3, {"filters": [numcodecs.Delta(dtype="i4")], "compressor": numcodecs.LZMA()}),
    ("f8", 0, {"filters": [numcodecs.FixedScaleOffset(offset=1, scale=10, dtype="f8", astype="i2"),
                           numcodecs.Quantize(digits=2, dtype="f8")]}),
    ("(2,3)f4", 1.5, {}),
]


def _zarr_zarray(shape, chunks, dtype, fill_value, **kwargs) -> bytes:
    zarr = oracle()
    store: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zarr.create(shape=shape, chunks=chunks, dtype=dtype, fill_value=fill_value, store=store, **kwargs)
    return store[".zarray"]


def _mine(shape, chunks, dtype, fill_value, **kwargs) -> ArrayMetadata:
    dt, codec = normalize_dtype(dtype, kwargs.get("object_codec"))
    compressor = kwargs.get("compressor", numcodecs.Blosc())
    filters = ([codec.get_config()] if codec else []) + [f.get_config() for f in kwargs.get("filters", [])]
    sep = kwargs.get("dimension_separator")
    return ArrayMetadata(shape=shape, chunks=chunks, dtype=dt,
                         compressor=None if compressor is None or shape == () else compressor.get_config(),
                         fill_value=normalize_fill_value(fill_value, dt), order=kwargs.get("order", "C"),
                         filters=filters or None, dimension_separator=sep or ".",
                         explicit_separator=bool(sep))


def test_docstring_examples_run():
    failures, _ = doctest.testmod(v2, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_keys():
    keys = (ARRAY_KEY, GROUP_KEY, ATTRS_KEY, CONSOLIDATED_KEY)
    assert keys == (".zarray", ".zgroup", ".zattrs", ".zmetadata")


@pytest.mark.parametrize("dtype, fill_value, kwargs", SPREAD, ids=lambda x: repr(x)[:40])
def test_zarray_byte_identical_to_zarr(dtype, fill_value, kwargs):
    for shape, chunks in [((20, 7), (6, 7)), ((5,), (5,)), ((0, 3), (1, 3))]:
        ref = _zarr_zarray(shape, chunks, dtype, fill_value, **kwargs)
        mine = _mine(shape, chunks, dtype, fill_value, **kwargs)
        assert mine.encode() == ref
        # and reading zarr's document gives back the same metadata
        back = ArrayMetadata.decode(ref)
        assert back == mine
        assert back.encode() == ref


def test_zero_dim_array_byte_identical():
    ref = _zarr_zarray((), (), "f8", 1.0)
    assert _mine((), (), "f8", 1.0).encode() == ref


def test_zarr_reads_what_we_write():
    zarr = oracle()
    meta = _mine((10, 4), (3, 4), NESTED, 0, order="F", dimension_separator="/")
    store = {".zarray": meta.encode()}
    z = zarr.open_array(store, mode="r")
    assert z.shape == (10, 4) and z.chunks == (3, 4) and z.dtype == np.dtype(NESTED) and z.order == "F"
    assert z._dimension_separator == "/"


def test_subarray_dtype_folded_into_shape():
    meta = ArrayMetadata(shape=(4,), chunks=(2,), dtype=np.dtype("(2,3)i4"), fill_value=0)
    assert meta.shape == (4, 2, 3) and meta.chunks == (2, 2, 3) and meta.dtype == np.dtype("i4")
    assert meta.encode() == _zarr_zarray((4,), (2,), "(2,3)i4", 0, compressor=None)


def test_fields_and_defaults():
    m = ArrayMetadata(shape=[3], chunks=[2], dtype="u2", filters=[])
    assert m.shape == (3,) and m.chunks == (2,) and m.dtype == np.dtype("u2")
    assert m.filters is None and m.compressor is None and m.order == "C"
    assert m.dimension_separator == "." and m.zarr_format == 2 and m.fill_value is None
    doc = json.loads(m.encode())
    assert doc["filters"] is None and "dimension_separator" not in doc


def test_replace_returns_new_object():
    m = ArrayMetadata(shape=(3,), chunks=(2,), dtype=np.dtype("i4"), fill_value=0)
    m2 = m.replace(shape=(9,))
    assert m.shape == (3,) and m2.shape == (9,)
    with pytest.raises(MetadataError, match="negative"):
        m.replace(shape=(-1,))
    with pytest.raises(AttributeError):
        m.shape = (4,)  # type: ignore[misc]


def test_equality_and_hash():
    a = ArrayMetadata(shape=(3,), chunks=(2,), dtype=np.dtype("f8"), fill_value=float("nan"))
    b = ArrayMetadata(shape=(3,), chunks=(2,), dtype=np.dtype("f8"), fill_value=np.nan)
    assert a == b and hash(a) == hash(b)
    assert a != a.replace(order="F")
    assert a == a.replace(explicit_separator=True)


# construction errors ------------------------------------------------------------------------------------

BASE = dict(shape=(4, 4), chunks=(2, 2), dtype=np.dtype("i4"))


@pytest.mark.parametrize("changes, words", [
    ({"shape": (-1, 4)}, ["shape", "-1"]),
    ({"shape": (4.5, 4)}, ["shape"]),
    ({"chunks": (0, 2)}, ["chunks", "0"]),
    ({"chunks": (-2, 2)}, ["chunks", "-2"]),
    ({"chunks": (2,)}, ["chunks", "differ"]),
    ({"order": "K"}, ["order", "'K'"]),
    ({"dimension_separator": "-"}, ["dimension_separator", "'-'"]),
    ({"zarr_format": 3}, ["zarr_format", "3"]),
    ({"compressor": {"level": 1}}, ["compressor"]),
    ({"filters": [{"id": 5}]}, ["filters[0]"]),
    ({"fill_value": "x"}, ["fill_value", "'x'"]),
    ({"dtype": np.dtype(object)}, ["object codec"]),
])
def test_construction_errors_name_the_value(changes, words):
    with pytest.raises(MetadataError) as info:
        ArrayMetadata(**{**BASE, **changes})
    for w in words:
        assert w in str(info.value)


def test_zero_chunk_allowed_on_empty_axis():
    # zarr-python writes chunks [0] for chunks=False on an empty axis; such arrays must open
    ref = _zarr_zarray((0, 3), False, "i4", 0)
    meta = ArrayMetadata.decode(ref)
    assert meta.chunks == (0, 3)
    assert meta.encode() == ref


# decoding errors --------------------------------------------------------------------------------------


def _good_doc() -> dict:
    return json.loads(_mine((4, 4), (2, 2), "<f8", np.nan).encode())


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.update(shape=[-1, 4]), "shape"),
    (lambda d: d.update(shape="4"), "shape"),
    (lambda d: d.update(chunks=[0, 2]), "chunks"),
    (lambda d: d.update(chunks=[2, 2, 2]), "chunks"),
    (lambda d: d.update(chunks=[2.5, 2]), "chunks"),
    (lambda d: d.update(dtype="<q9"), "dtype"),
    (lambda d: d.update(dtype=[["a"]]), "dtype"),
    (lambda d: d.update(fill_value="oops"), "fill_value"),
    (lambda d: d.update(order="X"), "order"),
    (lambda d: d.update(compressor="blosc"), "compressor"),
    (lambda d: d.update(filters={"id": "zlib"}), "filters"),
    (lambda d: d.update(zarr_format=3), "zarr_format"),
    (lambda d: d.update(dimension_separator="|"), "dimension_separator"),
    (lambda d: d.pop("dtype"), "dtype"),
    (lambda d: d.pop("shape"), "shape"),
    (lambda d: d.pop("fill_value"), "fill_value"),
])
def test_decode_errors_name_key_and_field(mutate, field):
    doc = _good_doc()
    mutate(doc)
    with pytest.raises(MetadataError) as info:
        ArrayMetadata.decode(json.dumps(doc).encode(), key="grp/arr/.zarray")
    msg = str(info.value)
    assert "grp/arr/.zarray" in msg and field in msg


@pytest.mark.parametrize("raw", [b"", b"{", b'{"zarr_format": 2', b"\xff\xfe", b"[1, 2]", b"null", b'"x"'])
def test_decode_malformed_json(raw):
    with pytest.raises(MetadataError, match="a/.zarray"):
        ArrayMetadata.decode(raw, key="a/.zarray")


def test_decode_truncated_real_document():
    ref = _zarr_zarray((10,), (5,), "i4", 0)
    for cut in (1, len(ref) // 2, len(ref) - 1):
        with pytest.raises(MetadataError, match=r"\.zarray"):
            ArrayMetadata.decode(ref[:cut])


def test_decode_object_dtype_without_filters():
    doc = _good_doc()
    doc.update(dtype="|O", fill_value=None, filters=None)
    with pytest.raises(MetadataError, match="object codec"):
        ArrayMetadata.decode(json.dumps(doc), key="x/.zarray")


def test_decode_accepts_str_and_mapping_and_missing_filters():
    doc = _good_doc()
    assert ArrayMetadata.decode(json.dumps(doc)) == ArrayMetadata.decode(doc)
    doc.pop("filters")
    assert ArrayMetadata.decode(doc).filters is None
    doc["dimension_separator"] = None
    assert ArrayMetadata.decode(doc).dimension_separator == "."


def test_unknown_codec_id_is_kept_for_the_registry():
    # metadata does not resolve codecs; codecs.registry names unknown ids when the array opens
    doc = _good_doc()
    doc["compressor"] = {"id": "no-such-codec"}
    assert ArrayMetadata.decode(doc).compressor == {"id": "no-such-codec"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=0, max_size=4), st.data())
def test_round_trip_property(shape, data):
    chunks = [data.draw(st.integers(1, 60)) for _ in shape]
    dtype = np.dtype(data.draw(st.sampled_from(["<i2", ">f4", "<c8", "|S3", "<U2", "<M8[s]", "|b1"])))
    fill = data.draw(st.sampled_from([None, 0]))
    meta = ArrayMetadata(shape=tuple(shape), chunks=tuple(chunks), dtype=dtype, fill_value=fill,
                         order=data.draw(st.sampled_from("CF")), compressor={"id": "zlib", "level": 1},
                         dimension_separator=data.draw(st.sampled_from("./")))
    assert ArrayMetadata.decode(meta.encode()) == meta


# groups -----------------------------------------------------------------------------------------------


def test_group_byte_identical_to_zarr():
    zarr = oracle()
    store: dict = {}
    zarr.group(store=store)
    assert GroupMetadata().encode() == store[".zgroup"]
    assert GroupMetadata.decode(store[".zgroup"]) == GroupMetadata()


@pytest.mark.parametrize("raw", [b"{", b"[]", b"{}", b'{"zarr_format": 3}', b'{"zarr_format": "2"}'])
def test_group_decode_errors(raw):
    with pytest.raises(MetadataError, match="g/.zgroup"):
        GroupMetadata.decode(raw, key="g/.zgroup")


# attributes ---------------------------------------------------------------------------------------------


def test_attributes_byte_identical_to_zarr():
    attrs = {"b": [1, 2.5, None, True], "a": {"nested": "\u00e9"}, "n": float("nan"), "i": np.int64(3),
             "f": np.float32(0.5)}
    store: dict = {}
    z = oracle().group(store=store)
    z.attrs.update(attrs)
    assert encode_attributes(attrs) == store[".zattrs"]
    back = decode_attributes(store[".zattrs"])
    assert back["a"] == {"nested": "\u00e9"} and back["i"] == 3


def test_attributes_numpy_values_converted():
    doc = json.loads(encode_attributes({"x": np.arange(3), "y": np.bool_(True), "z": np.str_("s")}))
    assert doc == {"x": [0, 1, 2], "y": True, "z": "s"}


def test_attributes_unencodable_value_names_key():
    with pytest.raises(TypeError, match="'bad'"):
        encode_attributes({"ok": 1, "bad": object()})
    with pytest.raises(TypeError, match="'raw'"):
        encode_attributes({"raw": b"bytes"})
    with pytest.raises(TypeError, match="strings"):
        encode_attributes({1: "x"})


@pytest.mark.parametrize("raw", [b"{", b"[1]", b"3", b"\xff"])
def test_attributes_decode_errors(raw):
    with pytest.raises(MetadataError, match="x/.zattrs"):
        decode_attributes(raw, key="x/.zattrs")


# consolidated -----------------------------------------------------------------------------------------


def test_consolidated_byte_identical_to_zarr():
    zarr = oracle()
    store: dict = {}
    g = zarr.group(store=store)
    g.attrs["title"] = "t"
    g.zeros("a/b", shape=(4,), chunks=(2,))
    zarr.consolidate_metadata(store)
    names = (".zarray", ".zgroup", ".zattrs")
    meta = {k: json.loads(v) for k, v in store.items() if k.rsplit("/", 1)[-1] in names}
    assert encode_consolidated(meta) == store[".zmetadata"]
    assert decode_consolidated(store[".zmetadata"]) == meta


@pytest.mark.parametrize("raw", [b"{}", b'{"zarr_consolidated_format": 1}',
                                 b'{"zarr_consolidated_format": 2, "metadata": {}}', b"x"])
def test_consolidated_decode_errors(raw):
    with pytest.raises(MetadataError, match=".zmetadata"):
        decode_consolidated(raw)
