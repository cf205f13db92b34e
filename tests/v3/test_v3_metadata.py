"""Zarr v3 metadata: data types, fill values, zarr.json documents (byte for byte as zarr-python 3 writes
them), chunk keys, creation from zarr-2-style arguments, and a MetadataError naming key and field for
every kind of malformed document."""

from __future__ import annotations

import dataclasses
import doctest
import json
import math
import pathlib

import numcodecs
import numpy as np
import pytest
from v3_helpers import GOLDEN_ARGS

import zarr5.metadata.v3 as v3_mod
import zarr5.metadata.v3_codecs as v3_codecs_mod
import zarr5.metadata.v3_dtypes as v3_dtypes_mod
from zarr5.errors import MetadataError
from zarr5.metadata.v3 import ArrayMetadataV3, GroupMetadataV3, build_v3_metadata, parse_node
from zarr5.metadata.v3_dtypes import (
    DATA_TYPES,
    decode_data_type,
    decode_fill_value_v3,
    encode_data_type,
    encode_fill_value_v3,
    normalize_dtype_v3,
)

GOLDEN = pathlib.Path(__file__).parent / "golden"

def doc(**changes: object) -> dict:
    """A valid array document with ``changes`` applied (a value of ... deletes the field)."""
    base = json.loads(build_v3_metadata((10, 8), (5, 4), "i4", compressor=numcodecs.GZip(1)).encode())
    for name, value in changes.items():
        if value is ...:
            base.pop(name, None)
        else:
            base[name] = value
    return base


# golden documents ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLDEN_ARGS))
def test_writes_golden_documents_byte_for_byte(name: str) -> None:
    assert GOLDEN_ARGS[name]().encode() == (GOLDEN / f"{name}.json").read_bytes()


@pytest.mark.parametrize("name", sorted(GOLDEN_ARGS))
def test_reads_golden_documents(name: str) -> None:
    data = (GOLDEN / f"{name}.json").read_bytes()
    meta = parse_node(data, f"{name}/zarr.json")
    assert meta == GOLDEN_ARGS[name]()
    assert meta.encode() == data


def test_golden_details() -> None:
    meta = parse_node((GOLDEN / "f4_nan_dims_attrs.json").read_bytes())
    assert isinstance(meta, ArrayMetadataV3)
    assert math.isnan(meta.fill_value) and meta.fill_value.dtype == np.float32
    assert meta.dimension_names == ("x", None)
    assert meta.attributes["nested"] == {"a": [1, 2.5, None]}
    sharded = parse_node((GOLDEN / "i2_sharded_blosc.json").read_bytes())
    assert sharded.chunks == sharded.shards == (4, 4) and sharded.inner_chunk_shape == (2, 2)
    assert [c["name"] for c in sharded.sharding["index_codecs"]] == ["bytes", "crc32c"]
    assert parse_node((GOLDEN / "i4_transpose.json").read_bytes()).order == "F"


def test_reads_tensorstore_style_document() -> None:
    # tensorstore writes sorted keys, no attributes, and chunk_key_encoding without configuration
    text = ('{"chunk_grid":{"configuration":{"chunk_shape":[4,4]},"name":"regular"},"chunk_key_encoding":'
            '{"name":"default"},"codecs":[{"configuration":{"endian":"little"},"name":"bytes"}],'
            '"data_type":"int16","fill_value":0,"node_type":"array","shape":[10,7],"zarr_format":3}')
    meta = ArrayMetadataV3.decode(text)
    assert meta.separator == "/" and meta.attributes == {} and meta.dimension_names is None
    assert meta == build_v3_metadata((10, 7), (4, 4), "i2", compressor=None)


# data types -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATA_TYPES) + ["r8", "r24", "r128"])
def test_data_type_names_round_trip(name: str) -> None:
    dtype, spelling = decode_data_type(name)
    assert spelling == "r"
    assert encode_data_type(dtype) == name
    assert normalize_dtype_v3(name) == dtype


def test_numpy_dtypes_map_to_v3_names() -> None:
    assert encode_data_type(np.dtype(">f8")) == "float64"
    assert normalize_dtype_v3(">u2") == np.dtype("u2")
    assert encode_data_type(np.dtype("V5")) == "r40"
    assert decode_data_type({"name": "uint8"}) == (np.dtype("u1"), "r")


def test_raw_bytes_extension_spelling_is_kept() -> None:
    obj = {"name": "raw_bytes", "configuration": {"length_bytes": 3}}
    dtype, spelling = decode_data_type(obj)
    assert dtype == np.dtype("V3") and spelling == "raw_bytes"
    assert encode_data_type(dtype, spelling) == obj
    meta = ArrayMetadataV3.decode(doc(data_type=obj, fill_value="AAEC", codecs=["bytes"]))
    assert meta.fill_value.tobytes() == b"\x00\x01\x02"
    again = json.loads(meta.encode())
    assert again["data_type"] == obj and again["fill_value"] == "AAEC"


@pytest.mark.parametrize("dtype", ["U5", "S3", "M8[ns]", "m8[s]", [("a", "i4", (2,))], [("a", [("b", "i1")])],
                                   [("s", "U3")], "(2,)i4", "g"])
def test_unsupported_numpy_dtypes_are_refused(dtype: object) -> None:
    with pytest.raises(ValueError, match="not a Zarr v3 data type"):
        normalize_dtype_v3(dtype)
    with pytest.raises(ValueError, match="not a Zarr v3 data type"):
        build_v3_metadata((4,), (2,), dtype)


@pytest.mark.parametrize("dtype", ["O", str, "string"])
def test_object_items_are_the_string_data_type(dtype: object) -> None:
    assert normalize_dtype_v3(dtype) == np.dtype(object)
    meta = build_v3_metadata((4,), (2,), dtype)
    doc = json.loads(meta.encode())
    assert doc["data_type"] == "string" and doc["fill_value"] == ""
    assert doc["codecs"][0] == {"name": "vlen-utf8", "configuration": {}}


@pytest.mark.parametrize("bad", ["float128", "r12", "r0", "r", "r08", "text", 3, None,
                                 {"name": "raw_bytes", "configuration": {"length_bytes": 0}},
                                 {"name": "int32", "configuration": {"x": 1}}])
def test_unknown_data_types(bad: object) -> None:
    with pytest.raises(MetadataError, match="data_type"):
        decode_data_type(bad)


# fill values ----------------------------------------------------------------------------------------

FILL_CASES = [
    # dtype, JSON as read, value expected, JSON as written
    ("bool", True, np.bool_(True), True),
    ("int8", -128, np.int8(-128), -128),
    ("uint64", 2**64 - 1, np.uint64(2**64 - 1), 2**64 - 1),
    ("int32", 5.0, np.int32(5), 5),
    ("float32", "NaN", np.float32("nan"), "NaN"),
    ("float64", "Infinity", np.inf, "Infinity"),
    ("float16", "-Infinity", np.float16(-np.inf), "-Infinity"),
    ("float32", "0x7fc00000", np.float32("nan"), "NaN"),
    ("float32", "0x3f800000", np.float32(1.0), 1.0),
    ("float16", "0x3c00", np.float16(1.0), 1.0),
    ("float64", "0x7ff8000000000000", np.nan, "NaN"),
    ("float64", -0.0, -0.0, -0.0),
    ("float32", 0.1, np.float32(0.1), float(np.float32(0.1))),
    ("complex64", [1.0, "NaN"], np.complex64(complex(1, math.nan)), [1.0, "NaN"]),
    ("complex128", ["0x3ff0000000000000", "-Infinity"], complex(1, -math.inf), [1.0, "-Infinity"]),
    ("r16", [1, 255], np.frombuffer(b"\x01\xff", "V2")[0], [1, 255]),
]


@pytest.mark.parametrize(("name", "obj", "expected", "written"), FILL_CASES)
def test_fill_values_read_and_write(name: str, obj: object, expected: object, written: object) -> None:
    dtype, _ = decode_data_type(name)
    value = decode_fill_value_v3(obj, dtype)
    assert isinstance(value, np.generic) and value.dtype == dtype
    assert np.asarray(value).tobytes() == np.asarray(expected, dtype=dtype).tobytes() or (
        dtype.kind in "fc" and np.isnan(value).any() and np.isnan(np.asarray(expected, dtype)).any())
    assert encode_fill_value_v3(value, dtype) == written
    # and through a whole document
    meta = ArrayMetadataV3(shape=(3,), dtype=dtype, chunk_shape=(2,), fill_value=value, codecs=("bytes",)
                           if dtype.itemsize == 1 or dtype.kind == "V" else None)
    assert json.loads(meta.encode())["fill_value"] == written
    back = ArrayMetadataV3.decode(meta.encode()).fill_value
    assert np.asarray(back).tobytes() == np.asarray(value).tobytes()


def test_nan_payloads_survive_as_hex() -> None:
    odd = np.array(0x7FC00001, dtype=np.uint32).view(np.float32)[()]
    assert encode_fill_value_v3(odd, np.dtype("f4")) == "0x7fc00001"
    neg = -np.float64("nan")
    assert encode_fill_value_v3(neg, np.dtype("f8")) == "0xfff8000000000000"
    back = decode_fill_value_v3("0x7fc00001", np.dtype("f4"))
    assert back.tobytes() == odd.tobytes()


BAD_FILLS = [
    ("int32", None), ("int32", "abc"), ("int32", 1.5), ("uint8", 256), ("int8", -129), ("int32", True),
    ("bool", 1), ("bool", "true"), ("float32", "nan"), ("float32", "0x7fc0"), ("float32", "0xzzzzzzzz"),
    ("float32", 1e39), ("float64", [1.0]), ("complex64", [1.0]), ("complex64", 1.0), ("r16", [1, 256]),
    ("r16", [1]), ("r16", "AQI="),
]


@pytest.mark.parametrize(("name", "obj"), BAD_FILLS)
def test_bad_fill_values(name: str, obj: object) -> None:
    dtype, _ = decode_data_type(name)
    with pytest.raises(MetadataError, match="fill_value"):
        decode_fill_value_v3(obj, dtype)


@pytest.mark.parametrize(("dtype", "value"), [("u1", -1), ("i4", 1.5), ("bool", 2), ("V2", b"abc"),
                                              ("V2", "ab"), ("f4", "x"), ("i2", [1, 2])])
def test_bad_creation_fill_values(dtype: str, value: object) -> None:
    with pytest.raises(ValueError, match="fill_value"):
        build_v3_metadata((4,), (2,), dtype, value)


# documents: every data type round trips -------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATA_TYPES) + ["r24"])
def test_every_data_type_round_trips(name: str) -> None:
    dtype, _ = decode_data_type(name)
    fill = b"xyz" if dtype.kind == "V" else (1 if dtype.kind != "b" else True)
    meta = build_v3_metadata((7, 3), (4, 2), dtype, fill, dimension_names=("a", "b"), attributes={"k": name})
    back = ArrayMetadataV3.decode(meta.encode())
    assert back == meta and hash(back) == hash(meta)
    assert back.dtype == dtype
    assert np.asarray(back.fill_value).tobytes() == np.asarray(meta.fill_value).tobytes()
    assert json.loads(meta.encode())["data_type"] == name


def test_document_layout() -> None:
    meta = build_v3_metadata((4,), (2,), "i4")
    text = meta.encode().decode()
    assert text.startswith('{\n  "shape": [\n    4\n  ],\n  "data_type": "int32",')
    assert list(json.loads(text)) == [
        "shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value", "codecs", "attributes",
        "zarr_format", "node_type", "storage_transformers"]


def test_attributes_with_nan_and_numpy_values() -> None:
    meta = build_v3_metadata((4,), (2,), "i4").with_attributes(
        {"nan": float("nan"), "np": np.int64(3), "arr": np.arange(2), "flag": np.bool_(True)})
    text = meta.encode().decode()
    assert '"nan": NaN' in text and '"np": 3' in text and '"flag": true' in text
    assert json.loads(text)["attributes"]["arr"] == [0, 1]


# properties, replace, chunk keys ----------------------------------------------------------------------


def test_engine_properties() -> None:
    meta = build_v3_metadata((10, 8), (5, 4), "f8")
    assert (meta.chunks, meta.order, meta.zarr_format, meta.node_type) == ((5, 4), "C", 3, "array")
    assert meta.sharding is None and meta.shards is None and meta.inner_chunk_shape == (5, 4)
    assert build_v3_metadata((10, 8), (5, 4), "f8", order="F").order == "F"
    assert build_v3_metadata((10,), (5,), "f8", order="F").codecs[0]["name"] == "bytes"  # 1-d: nothing to do
    partial = build_v3_metadata((2, 3, 4), (2, 3, 4), "f8", codecs=[
        {"name": "transpose", "configuration": {"order": [1, 0, 2]}}, BYTES])
    assert partial.order == "C"


def test_frozen_and_replace() -> None:
    meta = build_v3_metadata((10,), (5,), "f8")
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.shape = (3,)  # type: ignore[misc]
    bigger = meta.replace(shape=(20,))
    assert bigger.shape == (20,) and meta.shape == (10,)
    assert meta.replace(chunk_key_encoding="v2").separator == "."
    with pytest.raises(MetadataError, match="chunk_shape"):
        meta.replace(chunk_shape=(0,))


def test_with_attributes() -> None:
    meta = build_v3_metadata((10,), (5,), "f8", attributes={"a": 1})
    new = meta.with_attributes({"b": [1, 2]})
    assert new.attributes == {"b": [1, 2]} and meta.attributes == {"a": 1}
    with pytest.raises(TypeError, match="'bad'"):
        meta.with_attributes({"bad": object()})
    with pytest.raises(TypeError, match="strings"):
        meta.with_attributes({1: 2})
    group = GroupMetadataV3({"x": 1})
    assert group.with_attributes({"y": 2}).attributes == {"y": 2} and group.attributes == {"x": 1}
    with pytest.raises(TypeError, match="'z'"):
        group.with_attributes({"z": {1, 2}})


@pytest.mark.parametrize(("encoding", "coords", "key"), [
    (("default", "/"), (1, 2), "c/1/2"), (("default", "/"), (), "c"), (("default", "."), (0, 10), "c.0.10"),
    (("v2", "."), (1, 2), "1.2"), (("v2", "."), (), "0"), (("v2", "/"), (3, 0), "3/0"),
])
def test_chunk_keys(encoding: tuple[str, str], coords: tuple[int, ...], key: str) -> None:
    shape = (100,) * len(coords)
    meta = build_v3_metadata(shape, (1,) * len(coords), "u1", chunk_key_encoding=encoding)
    assert meta.chunk_key(coords) == key
    assert meta.parse_chunk_key(key) == coords


@pytest.mark.parametrize("key", ["zarr.json", "c/1", "c/1/2/3", "c/a/1", "1.2", "c/01/2", "c/-1/2", "d/1/2"])
def test_parse_chunk_key_rejects(key: str) -> None:
    assert build_v3_metadata((10, 10), (2, 2), "u1").parse_chunk_key(key) is None


# malformed documents ------------------------------------------------------------------------------------

BYTES = {"name": "bytes", "configuration": {"endian": "little"}}
SHARD = {"name": "sharding_indexed", "configuration": {"chunk_shape": [5, 2], "codecs": [BYTES]}}
MALFORMED = [
    # (document changes, words the message must hold besides the key)
    (dict(zarr_format=2), ["zarr_format"]),
    (dict(zarr_format=...), ["zarr_format"]),
    (dict(node_type="group"), ["node_type"]),
    (dict(shape=...), ["shape"]),
    (dict(shape=[10, -8]), ["shape"]),
    (dict(shape="10"), ["shape"]),
    (dict(data_type="float128"), ["data_type", "float128"]),
    (dict(data_type="r12"), ["data_type", "r12"]),
    (dict(chunk_grid={"name": "rectilinear", "configuration": {"chunk_shape": [5, 4]}}), ["chunk_grid"]),
    (dict(chunk_grid={"name": "regular", "configuration": {"chunk_shape": [5, 0]}}), ["chunk_grid"]),
    (dict(chunk_grid={"name": "regular", "configuration": {"chunk_shape": [5]}}), ["chunk_grid"]),
    (dict(chunk_grid={"name": "regular"}), ["chunk_grid"]),
    (dict(chunk_key_encoding={"name": "nested"}), ["chunk_key_encoding"]),
    (dict(chunk_key_encoding={"name": "default", "configuration": {"separator": "-"}}),
     ["chunk_key_encoding"]),
    (dict(fill_value=None), ["fill_value"]),
    (dict(fill_value="NaN"), ["fill_value"]),
    (dict(codecs=...), ["codecs"]),
    (dict(codecs={"name": "bytes"}), ["codecs"]),
    (dict(codecs=[BYTES, {"name": "lz5"}]), ["codecs[1]", "unknown codec", "lz5"]),
    (dict(codecs=[{"name": "gzip", "configuration": {"level": 1}}]), ["codecs[0]", "gzip"]),
    (dict(codecs=[{"name": "transpose", "configuration": {"order": [0, 1]}}]),
     ["codecs", "no array -> bytes"]),
    (dict(codecs=[BYTES, BYTES]), ["codecs[1]", "second array -> bytes"]),
    (dict(codecs=[BYTES, {"name": "transpose", "configuration": {"order": [0, 1]}}]), ["codecs[1]"]),
    (dict(codecs=[{"name": "transpose", "configuration": {"order": [0, 0]}}, BYTES]), ["codecs[0]", "order"]),
    (dict(codecs=["bytes"]), ["codecs[0]", "endian"]),
    (dict(codecs=[{"name": "bytes", "configuration": {"endian": "middle"}}]), ["codecs[0]", "endian"]),
    (dict(codecs=[{"name": "bytes", "configuration": {"endian": "little", "x": 1}}]), ["codecs[0]", "'x'"]),
    (dict(codecs=[BYTES, {"name": "blosc", "configuration": {"cname": "lz9", "clevel": 1,
                                                              "shuffle": "shuffle"}}]),
     ["codecs[1]", "cname"]),
    (dict(codecs=[BYTES, {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 1}}]),
     ["codecs[1]", "shuffle"]),
    (dict(codecs=[BYTES, {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 1,
                                                              "shuffle": "byteshuffle"}}]),
     ["codecs[1]", "shuffle"]),
    (dict(codecs=[BYTES, {"name": "gzip", "configuration": {"level": 10}}]), ["codecs[1]", "level"]),
    (dict(codecs=[BYTES, {"name": "gzip"}]), ["codecs[1]", "level"]),
    (dict(codecs=[BYTES, {"name": "zstd", "configuration": {"level": 3, "checksum": "yes"}}]),
     ["codecs[1]", "checksum"]),
    (dict(codecs=[BYTES, {"name": "crc32c", "configuration": {"location": "start"}}]),
     ["codecs[1]", "location"]),
    (dict(codecs=[BYTES, {"name": "crc32c", "extra": 1}]), ["codecs[1]", "extra"]),
    (dict(codecs=[{"name": "sharding_indexed", "configuration": {"chunk_shape": [3, 4], "codecs": [BYTES]}}]),
     ["codecs[0]", "does not divide"]),
    (dict(codecs=[{"name": "sharding_indexed", "configuration": {"chunk_shape": [5, 4]}}]),
     ["codecs[0]", "codecs"]),
    (dict(codecs=[{"name": "sharding_indexed", "configuration": {"chunk_shape": [5, 4],
                                                                 "codecs": ["gzip"]}}]),
     ["codecs[0].configuration.codecs[0]"]),
    (dict(codecs=[{"name": "sharding_indexed", "configuration": {
        "chunk_shape": [5, 4], "codecs": [BYTES], "index_codecs": [BYTES, {"name": "gzip", "configuration": {
            "level": 1}}]}}]), ["codecs[0].configuration.index_codecs[1]", "fixed"]),
    (dict(codecs=[{"name": "sharding_indexed", "configuration": {
        "chunk_shape": [5, 4], "codecs": [BYTES], "index_location": "middle"}}]), ["index_location"]),
    (dict(dimension_names=["x"]), ["dimension_names"]),
    (dict(dimension_names=["x", 3]), ["dimension_names"]),
    (dict(attributes=[1, 2]), ["attributes"]),
    (dict(storage_transformers=[{"name": "sharding"}]), ["storage_transformers"]),
    (dict(extra_field=1), ["extra_field"]),
    (dict(extra_field={"must_understand": True}), ["extra_field"]),
]


@pytest.mark.parametrize(("changes", "words"), MALFORMED, ids=[str(i) for i in range(len(MALFORMED))])
def test_malformed_documents_name_key_and_field(changes: dict, words: list[str]) -> None:
    key = "group/arr/zarr.json"
    with pytest.raises(MetadataError) as info:
        ArrayMetadataV3.decode(json.dumps(doc(**changes)).encode(), key)
    message = str(info.value)
    assert message.startswith(key + ": ")
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("data", [b"", b"{", b"[1, 2]", b"\xff\xfe", b"null", "not json"])
def test_not_a_json_object(data: bytes | str) -> None:
    with pytest.raises(MetadataError, match="a/zarr.json"):
        ArrayMetadataV3.decode(data, "a/zarr.json")
    with pytest.raises(MetadataError, match="a/zarr.json"):
        parse_node(data, "a/zarr.json")


def test_fields_not_to_be_understood_are_skipped() -> None:
    meta = ArrayMetadataV3.decode(doc(future={"must_understand": False, "x": 1}))
    assert "future" not in json.loads(meta.encode())
    group = GroupMetadataV3.decode({"zarr_format": 3, "node_type": "group", "attributes": {"a": 1},
                                    "consolidated_metadata": {"kind": "inline", "must_understand": False,
                                                              "metadata": {}}})
    assert group.attributes == {"a": 1}


def test_codecs_short_forms_are_normalised() -> None:
    meta = ArrayMetadataV3.decode(doc(codecs=[{"name": "transpose", "configuration": {"order": "F"}}, BYTES,
                                              "crc32c"]))
    assert meta.codecs == ({"name": "transpose", "configuration": {"order": [1, 0]}}, BYTES,
                           {"name": "crc32c", "configuration": {}})
    assert json.loads(meta.encode())["codecs"][2] == {"name": "crc32c"}
    blosc = ArrayMetadataV3.decode(doc(codecs=[BYTES, {"name": "blosc", "configuration": {
        "cname": "lz4", "clevel": 1, "shuffle": "shuffle"}}]))
    assert blosc.codecs[1]["configuration"] == {"typesize": 4, "cname": "lz4", "clevel": 1,
                                                "shuffle": "shuffle", "blocksize": 0}
    sharded = ArrayMetadataV3.decode(doc(codecs=[SHARD]))
    # nested chains are normalised too; the document leaves empty configurations out, as zarr-python 3 does
    assert sharded.sharding["index_codecs"] == [BYTES, {"name": "crc32c", "configuration": {}}]
    assert json.loads(sharded.encode())["codecs"][0]["configuration"]["index_codecs"][1] == {"name": "crc32c"}
    assert sharded.sharding["index_location"] == "end"


# groups and parse_node --------------------------------------------------------------------------------------


def test_groups() -> None:
    group = GroupMetadataV3({"a": [1, 2]})
    assert group.encode() == (b'{\n  "attributes": {\n    "a": [\n      1,\n      2\n    ]\n  },\n'
                              b'  "zarr_format": 3,\n  "node_type": "group"\n}')
    assert GroupMetadataV3.decode(group.encode()) == group
    assert GroupMetadataV3.decode('{"zarr_format": 3, "node_type": "group"}').attributes == {}
    assert (group.zarr_format, group.node_type) == (3, "group")
    for bad, word in [({"zarr_format": 3, "node_type": "array"}, "node_type"),
                      ({"zarr_format": 2, "node_type": "group"}, "zarr_format"),
                      ({"zarr_format": 3, "node_type": "group", "attributes": 1}, "attributes"),
                      ({"zarr_format": 3, "node_type": "group", "x": 1}, "'x'")]:
        with pytest.raises(MetadataError, match=f"g/zarr.json: .*{word}"):
            GroupMetadataV3.decode(bad, "g/zarr.json")


def test_parse_node() -> None:
    assert isinstance(parse_node(GroupMetadataV3().encode()), GroupMetadataV3)
    assert isinstance(parse_node(build_v3_metadata((1,), (1,), "u1").encode()), ArrayMetadataV3)
    for node_type in ("link", None):
        with pytest.raises(MetadataError, match="x/zarr.json: node_type"):
            parse_node({"zarr_format": 3, "node_type": node_type}, "x/zarr.json")


# creation from zarr-2-style arguments ----------------------------------------------------------------------


def test_build_defaults_are_zarr_python_3_defaults() -> None:
    meta = build_v3_metadata((100, 100), (10, 10), "f8")
    assert meta.codecs == (BYTES, {"name": "zstd", "configuration": {"level": 0, "checksum": False}})
    assert meta.fill_value == 0 and meta.chunk_key_encoding == "default" and meta.separator == "/"
    assert build_v3_metadata((4,), (2,), "u1").codecs[0] == {"name": "bytes", "configuration": {}}


@pytest.mark.parametrize(("compressor", "itemsize", "expected"), [
    (numcodecs.Blosc("lz4", 5, numcodecs.Blosc.SHUFFLE), 4,
     {"typesize": 4, "cname": "lz4", "clevel": 5, "shuffle": "shuffle", "blocksize": 0}),
    (numcodecs.Blosc("zstd", 1, numcodecs.Blosc.AUTOSHUFFLE), 1,
     {"typesize": 1, "cname": "zstd", "clevel": 1, "shuffle": "bitshuffle", "blocksize": 0}),
    (numcodecs.Blosc("zstd", 1, numcodecs.Blosc.AUTOSHUFFLE, blocksize=256), 8,
     {"typesize": 8, "cname": "zstd", "clevel": 1, "shuffle": "shuffle", "blocksize": 256}),
    (numcodecs.Blosc("blosclz", 9, numcodecs.Blosc.NOSHUFFLE), 2,
     {"typesize": 2, "cname": "blosclz", "clevel": 9, "shuffle": "noshuffle", "blocksize": 0}),
    ({"id": "gzip", "level": 9}, 4, {"level": 9}),
    (numcodecs.Zstd(level=-3), 4, {"level": -3, "checksum": False}),
])
def test_build_maps_numcodecs_compressors(compressor: object, itemsize: int, expected: dict) -> None:
    meta = build_v3_metadata((10,), (5,), f"u{itemsize}", compressor=compressor)
    assert meta.codecs[1]["configuration"] == expected


@pytest.mark.parametrize("compressor", [numcodecs.Zlib(1), numcodecs.LZ4(), numcodecs.BZ2(), "gzip", 3])
def test_build_refuses_compressors_without_v3_codec(compressor: object) -> None:
    with pytest.raises(ValueError, match="compressor"):
        build_v3_metadata((10,), (5,), "i4", compressor=compressor)


def test_build_refusals() -> None:
    with pytest.raises(ValueError, match="filters"):
        build_v3_metadata((10,), (5,), "i4", filters=[numcodecs.Delta("i4")])
    with pytest.raises(ValueError, match="shards"):
        build_v3_metadata((10,), (5,), "i4", shards=(12,))
    with pytest.raises(ValueError, match="shards"):
        build_v3_metadata((10, 10), (5, 5), "i4", shards=(10,))
    with pytest.raises(ValueError, match="order"):
        build_v3_metadata((10,), (5,), "i4", order="K")
    for chunks in [(-1,), (0,), (5, 5)]:
        with pytest.raises(ValueError, match="chunks"):
            build_v3_metadata((10,), chunks, "i4")
    with pytest.raises(ValueError, match="index_location"):
        build_v3_metadata((10,), (5,), "i4", shards=(10,), index_location="middle")
    with pytest.raises(ValueError, match="either codecs or compressor"):
        build_v3_metadata((10,), (5,), "i4", codecs=[BYTES], compressor=numcodecs.GZip())
    with pytest.raises(MetadataError, match="unknown codec"):
        build_v3_metadata((10,), (5,), "i4", codecs=[BYTES, {"name": "lzma"}])
    with pytest.raises(MetadataError, match="dimension_names"):
        build_v3_metadata((10,), (5,), "i4", dimension_names=["a", "b"])


def test_build_details() -> None:
    big = build_v3_metadata((10,), (5,), ">f4", compressor=None)
    assert big.dtype == np.dtype("f4")
    assert big.codecs == ({"name": "bytes", "configuration": {"endian": "big"}},)
    empty = build_v3_metadata((0, 5), (0, 5), "i4")
    assert empty.chunk_shape == (1, 5)
    v2 = build_v3_metadata((10, 10), (5, 5), "i4", chunk_key_encoding="v2")
    assert (v2.separator, v2.chunk_key((1, 0))) == (".", "1.0")
    sharded_f = build_v3_metadata((8, 8), (2, 2), "i4", order="F", shards=(4, 4), compressor=None)
    assert sharded_f.order == "C"  # the shard is not transposed; its inner chunks are
    assert [c["name"] for c in sharded_f.sharding["codecs"]] == ["transpose", "bytes"]


def test_docstring_examples() -> None:
    for module in (v3_mod, v3_codecs_mod, v3_dtypes_mod):
        assert doctest.testmod(module).failed == 0


def test_structured_data_type_as_zarr_python_3_writes_it() -> None:
    dt = np.dtype([("a", ">f4"), ("b", "u1"), ("r", "V3")])
    meta = build_v3_metadata((4,), (2,), dt, fill_value=(1.5, 7, b"xyz"))
    doc = json.loads(meta.encode())
    assert doc["data_type"] == {"name": "structured", "configuration": {"fields": [
        ["a", "float32"], ["b", "uint8"],
        ["r", {"name": "raw_bytes", "configuration": {"length_bytes": 3}}]]}}
    assert doc["codecs"][0] == {"name": "bytes"}  # fields are native; no endian for the whole item
    assert isinstance(doc["fill_value"], str)  # base64 of the item's bytes
    again = ArrayMetadataV3.decode(meta.encode())
    assert again.dtype == np.dtype([("a", "<f4"), ("b", "u1"), ("r", "V3")])
    assert again.fill_value.tobytes() == np.array((1.5, 7, b"xyz"), dtype=again.dtype).tobytes()
    with pytest.raises(MetadataError, match="fields must be a list"):
        ArrayMetadataV3.decode(dict(json.loads(meta.encode()), data_type={"name": "structured",
                                                                          "configuration": {"fields": 3}}))
