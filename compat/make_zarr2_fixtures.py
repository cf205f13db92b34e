"""Write the zarr-python 2.18.7 golden fixtures that zarr5 must keep reading forever.

Run with the real zarr-python (``pip install zarr==2.18.7 numcodecs==0.15.1``) from the repository root::

    python compat/make_zarr2_fixtures.py            # wipes and rewrites compat/fixtures/zarr-2.18.7/
    python compat/make_zarr2_fixtures.py --out DIR  # write somewhere else (e.g. to diff a regeneration)

What it writes (all small and deterministic; a rerun gives byte-identical files):

- ``<store>.zarr/`` directory stores, one per theme: ``dtypes`` (every Zarr v2 dtype, both byte orders),
  ``fill_values``, ``order`` (C and F), ``compressors``, ``filters``, ``objects`` (object codecs),
  ``shapes`` (0-d, zero-length axes, missing and partial edge chunks), ``nested`` (NestedDirectoryStore),
  ``slash_sep`` / ``dot_sep`` (DirectoryStore with an explicit ``dimension_separator``) and ``hierarchy``
  (nested groups, JSON attributes, consolidated ``.zmetadata``);
- ``store.zip``: a hierarchy written through ``zarr.ZipStore``. zarr stamps each zip entry with the wall
  clock, so the zip is rewritten entry by entry with a fixed 1980-01-01 timestamp (contents untouched);
  likewise numcodecs' GZip stamps ``time.time()`` into each gzip header, so the gzip module's clock is
  frozen at ``GZIP_MTIME`` while the stores are written;
- ``expected/<store>/<array path>.npy``: the values zarr-python itself reads back from the finished store
  (``np.save``, never pickled). Object arrays use ``.json`` instead: ``{"shape", "values"}`` with the
  values flattened in C order and every element tagged with its type (see ``tag_object``);
- ``manifest.json``: every store, group and array with its metadata exactly as ``.zarray`` holds it
  (dtype, shape, chunks, fill_value, order, compressor, filters, dimension_separator) plus
  ``fill_value_repr`` (``repr`` of what zarr-python exposes), attributes, the chunk keys present in the
  store and the expected-values file.

zarr-python 2.18.7 quirks the fixtures steer around (see compat/README.md): a fill value of -0.0 is stored
as 0.0; a complex fill with an infinite imaginary part decodes as nan+infj; ``nchunks_initialized``
counts ``.zarray`` as a chunk of a 0-d array; with ``fill_value=None`` missing chunks read as
uninitialised memory (such arrays are written in full here).

The fixtures are read back by ``tests/compat/test_zarr2_golden.py``, which needs no zarr-python.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import gzip
import json
import pathlib
import shutil
import types
import warnings
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import numcodecs
import numpy as np
import zarr
from numcodecs import (
    BZ2,
    JSON,
    LZ4,
    LZMA,
    AsType,
    Blosc,
    Categorize,
    Delta,
    FixedScaleOffset,
    GZip,
    MsgPack,
    PackBits,
    Quantize,
    VLenArray,
    VLenBytes,
    VLenUTF8,
    Zlib,
    Zstd,
)

ZARR_VERSION = "2.18.7"
HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "fixtures" / f"zarr-{ZARR_VERSION}"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
GZIP_MTIME = 1_700_000_000.0  # numcodecs GZip stamps chunks with time.time()

# Hand-picked values that exercise the corners of each kind of data.
UNICODE_WORDS = ["", "a", "héllo", "日本語", "🙂x", "abcdefg", "Ωmega", "tab\t", "ß"]
BYTES_WORDS = [b"", b"a", b"abcde", b"\x00x", b"\xff\xfe", b"xy z", b"12345", b"\x7f"]
STRUCT = np.dtype([("a", "<i4"), ("b", "<f8")])
STRUCT_BE = np.dtype([("a", ">i2"), ("b", ">f4"), ("c", "|S3")])
STRUCT_NESTED = np.dtype([("x", [("y", "<i2"), ("z", "|u1")]), ("w", "<f4"), ("u", "<U3")])
STRUCT_SUBARRAY = np.dtype([("a", "<i4", (2,)), ("b", "<f8", (2, 3)), ("c", "|b1")])

# ---------------------------------------------------------------------------------------------------------
# Deterministic data (no random generators: their streams may change between numpy releases)
# ---------------------------------------------------------------------------------------------------------


def _hash_u64(n: int, salt: int) -> np.ndarray:
    """Return ``n`` well-mixed uint64 values (a multiplicative hash of the index, wrapping)."""
    with np.errstate(over="ignore"):
        x = np.arange(n, dtype=np.uint64) + np.uint64(salt * 1000003 + 1)
        x = x * np.uint64(0x9E3779B97F4A7C15)
        x ^= x >> np.uint64(29)
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(32)
    return x


def make_values(dtype: np.dtype | str, shape: tuple[int, ...], salt: int = 0) -> np.ndarray:
    """Return deterministic values of ``dtype`` and ``shape`` that hit each kind's corner cases."""
    dtype = np.dtype(dtype)
    n = int(np.prod(shape, dtype=np.int64))
    if dtype.fields is not None:
        out = np.zeros(n, dtype=dtype)
        for i, name in enumerate(dtype.names):
            sub, _ = dtype.fields[name][:2]
            base, subshape = (sub.subdtype if sub.subdtype is not None else (sub, ()))
            vals = make_values(base, (n, *subshape), salt + i + 1)
            out[name] = vals
        return out.reshape(shape)
    kind = dtype.kind
    h = _hash_u64(n, salt)
    if kind == "b":
        out = (h % np.uint64(3)) == 0
    elif kind in "iu":
        out = h.astype(dtype)  # wrapping cast: covers the whole range, negatives included
        info = np.iinfo(dtype)
        if n >= 2:
            out[0], out[-1] = info.min, info.max
    elif kind == "f":
        with np.errstate(over="ignore"):
            out = ((h % np.uint64(20001)).astype(np.float64) - 10000.0) / 64.0
            out = out.astype(dtype)
        specials = [np.nan, np.inf, -np.inf, -0.0, np.finfo(dtype).max, np.finfo(dtype).smallest_subnormal]
        for i, v in enumerate(specials[: max(0, n - 1)]):
            out[1 + i * 3 % max(1, n - 1)] = v
    elif kind == "c":
        part = np.dtype(f"f{dtype.itemsize // 2}")
        out = np.empty(n, dtype=dtype)
        out.real = make_values(part, (n,), salt)
        out.imag = make_values(part, (n,), salt + 7)[::-1]
    elif kind in "mM":
        unit = np.datetime_data(dtype)[0]
        ints = (h % np.uint64(100000)).astype(np.int64) - 50000
        out = ints.view(f"{kind}8[{unit}]")  # native order; the final cast below sets the byte order
        if n >= 3:
            out[2] = np.array("NaT", dtype=out.dtype)
    elif kind == "S":
        out = np.array([BYTES_WORDS[int(v % np.uint64(len(BYTES_WORDS)))] for v in h], dtype=dtype)
    elif kind == "U":
        out = np.array([UNICODE_WORDS[int(v % np.uint64(len(UNICODE_WORDS)))] for v in h], dtype=dtype)
    elif kind == "V":
        out = np.resize(h.view(np.uint8), n * dtype.itemsize).view(dtype)
    else:
        raise TypeError(f"no value maker for {dtype!r}")
    return np.asarray(out, dtype=dtype).reshape(shape)


def obj_array(items: list[Any], shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Build an object array element by element (numpy would otherwise unpack nested sequences)."""
    out = np.empty(len(items), dtype=object)
    for i, v in enumerate(items):
        out[i] = v
    return out.reshape(shape if shape is not None else (len(items),))


# ---------------------------------------------------------------------------------------------------------
# Tagged JSON for object elements (the expected values of object arrays; never pickle)
# ---------------------------------------------------------------------------------------------------------


def tag_object(v: Any) -> Any:
    """Encode one object element as JSON that keeps its Python/numpy type.

    ``null`` is None; otherwise a two-item list ``[tag, payload]``: ``"str"``, ``"bytes"`` (base64),
    ``"int"``, ``"float"`` (``repr``, so NaN/inf survive), ``"bool"``, ``"list"``/``"tuple"`` (tagged
    items), ``"dict"`` (str keys, tagged values), ``"ndarray"`` (``[dtype.str, shape, tagged flat items]``).
    """
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return ["bool", bool(v)]
    if isinstance(v, (int, np.integer)):
        return ["int", int(v)]
    if isinstance(v, (float, np.floating)):
        return ["float", repr(float(v))]
    if isinstance(v, str):
        return ["str", v]
    if isinstance(v, bytes):
        return ["bytes", base64.b64encode(v).decode("ascii")]
    if isinstance(v, np.ndarray):
        return ["ndarray", [v.dtype.str, list(v.shape), [tag_object(x) for x in v.reshape(-1).tolist()]]]
    if isinstance(v, list):
        return ["list", [tag_object(x) for x in v]]
    if isinstance(v, tuple):
        return ["tuple", [tag_object(x) for x in v]]
    if isinstance(v, dict):
        return ["dict", {str(k): tag_object(x) for k, x in v.items()}]
    raise TypeError(f"cannot tag object element {v!r} ({type(v).__name__})")


# ---------------------------------------------------------------------------------------------------------
# Fixture builders: each takes the store (or root group) and writes its arrays
# ---------------------------------------------------------------------------------------------------------

ALL_DTYPES: list[tuple[str, Any]] = [
    ("bool", "|b1"),
    ("int8", "|i1"), ("uint8", "|u1"),
    ("int16_le", "<i2"), ("int16_be", ">i2"), ("uint16_le", "<u2"), ("uint16_be", ">u2"),
    ("int32_le", "<i4"), ("int32_be", ">i4"), ("uint32_le", "<u4"), ("uint32_be", ">u4"),
    ("int64_le", "<i8"), ("int64_be", ">i8"), ("uint64_le", "<u8"), ("uint64_be", ">u8"),
    ("float16_le", "<f2"), ("float16_be", ">f2"), ("float32_le", "<f4"), ("float32_be", ">f4"),
    ("float64_le", "<f8"), ("float64_be", ">f8"),
    ("complex64_le", "<c8"), ("complex64_be", ">c8"), ("complex128_le", "<c16"), ("complex128_be", ">c16"),
    ("datetime64_D", "<M8[D]"), ("datetime64_ns", "<M8[ns]"), ("datetime64_s", "<M8[s]"),
    ("datetime64_ns_be", ">M8[ns]"), ("timedelta64_ms", "<m8[ms]"), ("timedelta64_ms_be", ">m8[ms]"),
    ("bytes_S5", "|S5"), ("unicode_U7", "<U7"), ("unicode_U7_be", ">U7"), ("void_V4", "|V4"),
    ("struct", STRUCT), ("struct_be", STRUCT_BE), ("struct_nested", STRUCT_NESTED),
    ("struct_subarray", STRUCT_SUBARRAY),
]


def build_dtypes(root: zarr.Group) -> None:
    """One (7, 5) array chunked (3, 2) per Zarr v2 dtype: default Blosc, fill 0, partial edge chunks."""
    for i, (name, dt) in enumerate(ALL_DTYPES):
        z = root.create(name, shape=(7, 5), chunks=(3, 2), dtype=dt, fill_value=0)
        z[...] = make_values(dt, (7, 5), salt=i)


def _fill_case(root: zarr.Group, name: str, dt: Any, fill: Any, salt: int) -> None:
    """A (6, 4) array chunked (2, 2) whose bottom chunk row is never written, so reads show ``fill``."""
    z = root.create(name, shape=(6, 4), chunks=(2, 2), dtype=dt, fill_value=fill)
    z[:4, :] = make_values(dt, (4, 4), salt=salt)


def build_fill_values(root: zarr.Group) -> None:
    """Fill values of every kind; each array leaves chunks unwritten so the fill value shows."""
    cases: list[tuple[str, Any, Any]] = [
        ("i4_zero", "<i4", 0), ("i2_neg", "<i2", -7), ("i4_be_neg", ">i4", -3), ("u1_max", "|u1", 255),
        ("i8_min", "<i8", -(2**63)), ("u8_max", "<u8", 2**64 - 1), ("bool_true", "|b1", True),
        ("f2_nan", "<f2", np.nan), ("f4_nan", "<f4", np.nan), ("f8_nan", "<f8", np.nan),
        ("f8_be_nan", ">f8", np.nan), ("f8_posinf", "<f8", np.inf), ("f4_neginf", "<f4", -np.inf),
        ("f8_negzero", "<f8", -0.0), ("f8_value", "<f8", 1.5), ("f4_value", "<f4", 0.1),
        ("c8_value", "<c8", 1 + 2j), ("c16_nan_real", "<c16", complex(np.nan, 1.0)),
        ("c16_be_inf", ">c16", complex(-np.inf, 2.5)),  # not inf imag: 2.18 decodes (x, inf) as nan+infj
        ("S5_xx", "|S5", b"xx"), ("U7_zz", "<U7", "zz"), ("U7_unicode", "<U7", "é日🙂"),
        ("V4_bytes", "|V4", b"\x01\x02\x03\x04"),
        ("M8ns_nat", "<M8[ns]", np.datetime64("NaT", "ns")),
        ("M8D_value", "<M8[D]", np.datetime64("2000-01-01")),
        ("m8ms_value", "<m8[ms]", np.timedelta64(1000, "ms")),
        ("struct_fill", STRUCT, np.array((1, 2.5), dtype=STRUCT)[()]),
        ("struct_nested_fill", STRUCT_NESTED, np.array(((-1, 9), 0.5, "ab"), dtype=STRUCT_NESTED)[()]),
        ("struct_subarray_zero", STRUCT_SUBARRAY, 0),
    ]
    for i, (name, dt, fill) in enumerate(cases):
        _fill_case(root, name, dt, fill, salt=100 + i)
    # fill_value None: numpy leaves missing chunks uninitialised, so these are written in full
    for i, dt in enumerate(["<i4", "<f8", "|S5", STRUCT]):
        name = f"none_{i}_{np.dtype(dt).kind}"
        z = root.create(name, shape=(5, 3), chunks=(2, 2), dtype=dt, fill_value=None)
        z[...] = make_values(dt, (5, 3), salt=150 + i)


def build_order(root: zarr.Group) -> None:
    """The same data in C and F chunk order, for several dtypes, with partial edge chunks."""
    dts: list[tuple[str, Any]] = [("i4", "<i4"), ("f8_be", ">f8"), ("bool", "|b1"), ("U7", "<U7"),
                                  ("S5", "|S5"), ("struct", STRUCT_NESTED), ("c8", "<c8")]
    for i, (name, dt) in enumerate(dts):
        data = make_values(dt, (5, 4, 3), salt=200 + i)
        for order in "CF":
            z = root.create(f"{name}_{order}", shape=data.shape, chunks=(2, 3, 2), dtype=dt, order=order)
            z[...] = data
    words = obj_array([UNICODE_WORDS[i % len(UNICODE_WORDS)] + str(i) for i in range(20)], (5, 4))
    for order in "CF":
        z = root.create(f"vlen_utf8_{order}", shape=(5, 4), chunks=(2, 3), dtype=object,
                        object_codec=VLenUTF8(), order=order)
        z[...] = words
    for order in "CF":
        z = root.create(f"i2_{order}_zlib", shape=(9, 7), chunks=(4, 4), dtype="<i2", order=order,
                        compressor=Zlib(level=1))
        z[...] = make_values("<i2", (9, 7), salt=230)


COMPRESSORS: list[tuple[str, Any]] = [
    ("blosc_default", "default"),
    ("blosc_zstd_bitshuffle", Blosc(cname="zstd", clevel=3, shuffle=Blosc.BITSHUFFLE)),
    ("blosc_zlib_noshuffle", Blosc(cname="zlib", clevel=9, shuffle=Blosc.NOSHUFFLE)),
    ("blosc_blosclz_blocksize", Blosc(cname="blosclz", clevel=1, shuffle=Blosc.SHUFFLE, blocksize=256)),
    ("zlib", Zlib(level=1)),
    ("gzip", GZip(level=5)),
    ("bz2", BZ2(level=9)),
    ("lzma", LZMA()),
    ("zstd", Zstd(level=3)),
    ("lz4", LZ4(acceleration=1)),
    ("none", None),
]


def build_compressors(root: zarr.Group) -> None:
    """Each compressor over smooth float64 data and wrapping int16 data."""
    smooth = np.sin(np.arange(200, dtype="<f8") / 7.0).reshape(20, 10) * 100.0
    smooth[3, 4] = np.nan
    ints = make_values("<i2", (20, 10), salt=300)
    for name, comp in COMPRESSORS:
        z = root.create(f"{name}_f8", shape=(20, 10), chunks=(8, 4), dtype="<f8", compressor=comp)
        z[...] = smooth
        z = root.create(f"{name}_i2", shape=(20, 10), chunks=(8, 4), dtype="<i2", compressor=comp)
        z[...] = ints


def build_filters(root: zarr.Group) -> None:
    """Each numcodecs filter zarr-python users reach for, alone and chained."""
    steps = np.cumsum(make_values("|i1", (60,), salt=400).astype("<i4") % 5).reshape(6, 10)
    z = root.create("delta_i4", shape=(6, 10), chunks=(4, 4), dtype="<i4", filters=[Delta(dtype="<i4")])
    z[...] = steps
    z = root.create("delta_i8_astype_i2", shape=(6, 10), chunks=(4, 4), dtype="<i8",
                    filters=[Delta(dtype="<i8", astype="<i2")])
    z[...] = steps
    temps = 1000.0 + np.linspace(0.0, 100.0, 48).reshape(8, 6)
    z = root.create("fixedscaleoffset", shape=(8, 6), chunks=(3, 4), dtype="<f8",
                    filters=[FixedScaleOffset(offset=1000, scale=10, dtype="<f8", astype="<u2")])
    z[...] = temps
    noisy = np.sin(np.arange(48) * 0.3).reshape(8, 6) * 3.14159
    z = root.create("quantize", shape=(8, 6), chunks=(3, 4), dtype="<f8",
                    filters=[Quantize(digits=2, dtype="<f8")])
    z[...] = noisy
    z = root.create("astype_f8_as_f4", shape=(8, 6), chunks=(3, 4), dtype="<f8",
                    filters=[AsType(encode_dtype="<f4", decode_dtype="<f8")])
    z[...] = noisy
    z = root.create("chain_quantize_astype", shape=(8, 6), chunks=(3, 4), dtype="<f8",
                    compressor=Zlib(level=6),
                    filters=[Quantize(digits=3, dtype="<f8"), AsType(encode_dtype="<f4", decode_dtype="<f8")])
    z[...] = noisy
    z = root.create("packbits", shape=(13, 7), chunks=(5, 3), dtype="|b1", filters=[PackBits()])
    z[...] = make_values("|b1", (13, 7), salt=401)
    labels = ["red", "green", "blue"]
    colours = np.array([labels[i % 3] for i in range(30)], dtype="<U5").reshape(5, 6)
    z = root.create("categorize_U5", shape=(5, 6), chunks=(2, 4), dtype="<U5",
                    filters=[Categorize(labels=labels, dtype="<U5", astype="|u1")])
    z[...] = colours
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "missing object_codec": Categorize is the codec
        z = root.create("categorize_object", shape=(5, 6), chunks=(2, 4), dtype=object,
                        filters=[Categorize(labels=labels, dtype=object, astype="|u1")])
    z[...] = obj_array(colours.reshape(-1).tolist(), (5, 6))


def build_objects(root: zarr.Group) -> None:
    """Object arrays through each object codec, including the object-array fill values zarr writes."""
    words = [w + "-" + str(i) if i % 4 else w for i, w in enumerate(UNICODE_WORDS * 2)][:11]
    # zarr.array's default fill_value 0 is what most object arrays in the wild carry
    root.array("vlen_utf8", obj_array(words), chunks=(4,), dtype=object, object_codec=VLenUTF8())
    root.array("vlen_utf8_2d", obj_array(words[:10], (5, 2)), chunks=(2, 2), dtype=object,
               object_codec=VLenUTF8())
    z = root.create("vlen_utf8_fill_none", shape=(9,), chunks=(4,), dtype=object, object_codec=VLenUTF8(),
                    fill_value=None)
    z[:4] = obj_array(words[:4])
    z = root.create("vlen_utf8_fill_empty", shape=(9,), chunks=(4,), dtype=object, object_codec=VLenUTF8(),
                    fill_value="")
    z[4:8] = obj_array(words[4:8])
    z = root.create("vlen_utf8_fill_zero_missing", shape=(6,), chunks=(4,), dtype=object,
                    object_codec=VLenUTF8(), fill_value=0)
    z[:4] = obj_array(words[:4])
    blobs = [BYTES_WORDS[i % len(BYTES_WORDS)] * (i % 3) for i in range(9)]
    root.array("vlen_bytes", obj_array(blobs), chunks=(4,), dtype=object, object_codec=VLenBytes(),
               fill_value=None)
    ragged = [np.arange(i % 4, dtype="<i4") * (i - 3) + i for i in range(7)]
    root.array("vlen_array_i4", obj_array(ragged), chunks=(3,), dtype=object,
               object_codec=VLenArray("<i4"), fill_value=None)
    mixed = ["text", 1, 2.5, None, True, {"k": "v", "n": 1}, "ünï", -7]
    root.array("json", obj_array(mixed), chunks=(3,), dtype=object, object_codec=JSON(), fill_value=None)
    packed = ["text", 1, 2.5, None, False, {"k": "v", "n": 1}, "ünï", -(2**40)]
    root.array("msgpack", obj_array(packed), chunks=(3,), dtype=object, object_codec=MsgPack(),
               fill_value=None)
    z = root.create("vlen_utf8_0d", shape=(), dtype=object, object_codec=VLenUTF8(), fill_value=None)
    z[...] = "zero-d ☃"


def build_shapes(root: zarr.Group) -> None:
    """0-d arrays, zero-length axes, chunks bigger than the array, missing and partial edge chunks."""
    z = root.create("scalar_f8", shape=(), dtype="<f8")
    z[...] = 3.25
    root.create("scalar_i2_unwritten", shape=(), dtype="<i2", fill_value=42)
    z = root.create("scalar_U7", shape=(), dtype="<U7", fill_value="")
    z[...] = "héllo"
    z = root.create("scalar_struct", shape=(), dtype=STRUCT_NESTED)
    z[...] = np.array(((3, 4), 1.25, "xyz"), dtype=STRUCT_NESTED)
    root.create("empty_0", shape=(0,), chunks=(1,), dtype="<i4")
    root.create("empty_0x5", shape=(0, 5), chunks=(4, 2), dtype="<i4", fill_value=3)
    root.create("empty_3x0", shape=(3, 0), chunks=(2, 3), dtype="<f8", fill_value=np.nan)
    z = root.create("missing_chunks", shape=(10, 10), chunks=(3, 4), dtype="<i4", fill_value=-1)
    z[0, 0] = 5
    z[4, 9] = 6
    z[9, 5:7] = [7, 8]
    root.create("all_missing", shape=(5, 5), chunks=(2, 2), dtype="<f4", fill_value=7.5)
    z = root.create("edge_1d", shape=(10,), chunks=(3,), dtype="<u2")
    z[...] = np.arange(10, dtype="<u2") * 1000
    z = root.create("chunks_bigger_than_shape", shape=(5, 3), chunks=(10, 10), dtype="<i8")
    z[...] = make_values("<i8", (5, 3), salt=500)
    z = root.create("four_d", shape=(3, 4, 5, 2), chunks=(2, 3, 2, 2), dtype="<f4", fill_value=np.nan)
    z[1:, :3, 1:4, :] = make_values("<f4", (2, 3, 3, 2), salt=501)
    z = root.create("unit_chunks", shape=(4, 4), chunks=(1, 1), dtype="|u1")
    z[...] = np.arange(16, dtype="|u1").reshape(4, 4)
    z = root.create("single_row", shape=(1, 13), chunks=(1, 5), dtype="<i4", fill_value=9)
    z[0, :7] = np.arange(7)


def build_separated(root: zarr.Group) -> None:
    """A few arrays for the separator stores: 1-d, 2-d (missing chunks), 3-d F order, 0-d."""
    z = root.create("a1", shape=(10,), chunks=(4,), dtype="<i4")
    z[...] = np.arange(10)
    z = root.create("a2", shape=(6, 5), chunks=(2, 2), dtype="<f8", fill_value=np.nan)
    z[:4, :3] = make_values("<f8", (4, 3), salt=600)
    z = root.create("a3_F", shape=(4, 3, 5), chunks=(3, 2, 2), dtype=">i2", order="F",
                    compressor=Zstd(level=1))
    z[...] = make_values(">i2", (4, 3, 5), salt=601)
    z = root.create("scalar", shape=(), dtype="<u4")
    z[...] = 123456
    sub = root.create_group("sub")
    z = sub.create("b2", shape=(3, 7), chunks=(2, 3), dtype="<U7")
    z[...] = make_values("<U7", (3, 7), salt=602)


ROOT_ATTRS: dict[str, Any] = {
    "title": "zarr5 golden hierarchy",
    "int": 42, "neg": -17, "bigint": 2**53 + 1, "float": 3.5, "tiny": 1e-300, "bool": False, "null": None,
    "list": [1, "two", 3.0, None, True], "dict": {"a": 1, "b": [1, 2]},
    "nested": {"x": {"y": {"z": [[], {}, [1, [2, [3]]]]}}},
    "unicode": "héllo wörld ☃ 日本語 🙂", "empty_str": "", "empty_list": [], "empty_dict": {},
}


def build_hierarchy(root: zarr.Group) -> None:
    """Nested groups, an empty group, arrays at several depths, attributes of every JSON type."""
    root.attrs.update(ROOT_ATTRS)
    a = root.create_group("a")
    a.attrs["level"] = 1
    b = a.create_group("b")
    b.attrs.update({"level": 2, "tags": ["x", "y"], "ünï": "cödé"})
    c = b.create_group("c")
    c.attrs["special_floats"] = [float("nan"), float("inf"), float("-inf")]
    root.create_group("empty_group")
    root.create_group("implicit/parents/made")
    z = root.create("temperature", shape=(4, 6), chunks=(2, 3), dtype="<f4", fill_value=np.nan)
    z[:2] = np.arange(12, dtype="<f4").reshape(2, 6) / 4
    z.attrs.update({"_ARRAY_DIMENSIONS": ["y", "x"], "units": "K", "scale_factor": 0.5,
                    "valid_range": [0, 400]})
    z = b.create("data", shape=(5,), chunks=(2,), dtype="<i8")
    z[...] = np.arange(5) ** 3
    z.attrs["description"] = "in a/b"
    z = c.create("deep", shape=(2, 2), chunks=(1, 2), dtype="|S5", fill_value=b"xx")
    z[0] = [b"ab", b"cde"]
    root.array("a/names", obj_array(["α", "β", "γ"]), chunks=(2,), dtype=object, object_codec=VLenUTF8())


def build_zip(root: zarr.Group) -> None:
    """The ZipStore hierarchy: a few dtypes, an object array, a nested group, attributes."""
    root.attrs.update({"store": "zip", "n": 3})
    z = root.create("ints", shape=(7, 5), chunks=(3, 2), dtype=">i4", fill_value=-1)
    z[:6] = make_values(">i4", (6, 5), salt=700)
    z = root.create("floats", shape=(9,), chunks=(4,), dtype="<f8", fill_value=np.nan,
                    compressor=Zlib(level=1))
    z[:5] = make_values("<f8", (5,), salt=701)
    root.array("words", obj_array(UNICODE_WORDS), chunks=(4,), dtype=object, object_codec=VLenUTF8())
    g = root.create_group("group/inner")
    g.attrs["unicode"] = "zïp"
    z = g.create("struct", shape=(3, 2), chunks=(2, 2), dtype=STRUCT, order="F")
    z[...] = make_values(STRUCT, (3, 2), salt=702)


# ---------------------------------------------------------------------------------------------------------
# Driver: write each store, reread it with zarr-python, record manifest entries and expected values
# ---------------------------------------------------------------------------------------------------------

DIRECTORY_STORES: list[tuple[str, str, Callable[[zarr.Group], None], dict[str, Any]]] = [
    ("dtypes.zarr", "directory", build_dtypes, {}),
    ("fill_values.zarr", "directory", build_fill_values, {}),
    ("order.zarr", "directory", build_order, {}),
    ("compressors.zarr", "directory", build_compressors, {}),
    ("filters.zarr", "directory", build_filters, {}),
    ("objects.zarr", "directory", build_objects, {}),
    ("shapes.zarr", "directory", build_shapes, {}),
    ("nested.zarr", "nested", build_separated, {}),
    ("slash_sep.zarr", "directory", build_separated, {"dimension_separator": "/"}),
    ("dot_sep.zarr", "directory", build_separated, {"dimension_separator": "."}),
    ("hierarchy.zarr", "directory", build_hierarchy, {"consolidated": True}),
]


META_KEYS = (".zarray", ".zattrs", ".zgroup", ".zmetadata")


def _object_file_payload(values: np.ndarray) -> dict[str, Any]:
    return {"shape": list(values.shape), "dtype": values.dtype.str,
            "values": [tag_object(v) for v in values.reshape(-1)]}


def _attrs_json(attrs: Any) -> str:
    return json.dumps(dict(attrs), sort_keys=True, ensure_ascii=False)


def record_store(out: pathlib.Path, name: str, store_type: str, store: Any, consolidated: bool,
                 manifest: dict[str, Any]) -> None:
    """Reopen ``store`` read-only with zarr-python; save expected values and manifest entries."""
    root = zarr.open_group(store, mode="r")
    manifest["stores"].append({"name": name, "type": store_type, "consolidated": consolidated,
                               "root_attrs_json": _attrs_json(root.attrs)})
    groups: list[tuple[str, Any]] = [("", root)]
    arrays: list[tuple[str, Any]] = []
    root.visititems(lambda p, obj: (arrays if isinstance(obj, zarr.Array) else groups).append((p, obj)))
    for path, g in sorted(groups, key=lambda t: t[0]):
        manifest["groups"].append({"store": name, "path": path, "attrs_json": _attrs_json(g.attrs)})
    for path, z in sorted(arrays, key=lambda t: t[0]):
        meta = json.loads(store[f"{path}/.zarray"])
        values = z[...]
        rel = pathlib.Path("expected") / name / path
        is_object = z.dtype == object
        expected = rel.with_suffix(rel.suffix + (".json" if is_object else ".npy"))
        (out / expected).parent.mkdir(parents=True, exist_ok=True)
        if is_object:
            payload = _object_file_payload(np.asarray(values, dtype=object))
            (out / expected).write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", "utf-8")
        else:
            np.save(out / expected, np.asarray(values), allow_pickle=False)
        manifest["arrays"].append({
            "id": f"{name}/{path}",
            "store": name,
            "store_type": store_type,
            "path": path,
            "dtype": meta["dtype"],
            "shape": meta["shape"],
            "chunks": meta["chunks"],
            "fill_value": meta["fill_value"],
            "fill_value_repr": repr(z.fill_value),
            "order": meta["order"],
            "compressor": meta["compressor"],
            "filters": meta["filters"],
            "dimension_separator": meta.get("dimension_separator"),
            "attrs_json": _attrs_json(z.attrs),
            # listed from the store: zarr 2.18's nchunks_initialized counts .zarray as a chunk of 0-d arrays
            "chunk_keys": sorted(k[len(path) + 1:] for k in store.keys()
                                 if k.startswith(f"{path}/") and k.rsplit("/", 1)[-1] not in META_KEYS),
            "expected": expected.as_posix(),
        })


@contextlib.contextmanager
def frozen_gzip_clock() -> Iterator[None]:
    """Make the gzip module stamp ``GZIP_MTIME`` in its headers, so GZip chunks are reproducible."""
    real = gzip.time
    gzip.time = types.SimpleNamespace(time=lambda: GZIP_MTIME)  # type: ignore[assignment]
    try:
        yield
    finally:
        gzip.time = real


def normalize_zip(path: pathlib.Path) -> None:
    """Rewrite ``path`` with every entry stamped ``ZIP_EPOCH`` so the fixture is byte-reproducible."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    tmp.replace(path)


def write_all(out: pathlib.Path, manifest: dict[str, Any]) -> None:
    """Write every directory store and the zip store, recording each in ``manifest``."""
    for name, store_type, build, opts in DIRECTORY_STORES:
        opts = dict(opts)
        consolidated = bool(opts.pop("consolidated", False))
        if store_type == "nested":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # deprecated in 2.18, still widely used
                store = zarr.NestedDirectoryStore(str(out / name))
        else:
            store = zarr.DirectoryStore(str(out / name), **opts)
        build(zarr.group(store=store, overwrite=True))
        if consolidated:
            zarr.consolidate_metadata(store)
        record_store(out, name, store_type, store, consolidated, manifest)
    zip_path = out / "store.zip"
    with zarr.ZipStore(str(zip_path), mode="w") as zstore:
        build_zip(zarr.group(store=zstore))
    normalize_zip(zip_path)
    with zarr.ZipStore(str(zip_path), mode="r") as zstore:
        record_store(out, "store.zip", "zip", zstore, False, manifest)



def main(argv: list[str] | None = None) -> None:
    """Wipe the fixture directory and write every store, expected-values file and the manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT, help="fixture directory to rewrite")
    args = parser.parse_args(argv)
    if zarr.__version__ != ZARR_VERSION:
        raise SystemExit(f"needs zarr-python {ZARR_VERSION}, found {zarr.__version__}")
    out: pathlib.Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    manifest: dict[str, Any] = {
        "format": 1,
        "generator": "compat/make_zarr2_fixtures.py",
        "zarr_version": zarr.__version__,
        "numcodecs_version": numcodecs.__version__,
        "numpy_version": np.__version__,
        "stores": [], "groups": [], "arrays": [],
    }
    with frozen_gzip_clock():
        write_all(out, manifest)
    text = json.dumps(manifest, indent=1, ensure_ascii=False, allow_nan=False)
    (out / "manifest.json").write_text(text + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    nfiles = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"wrote {len(manifest['arrays'])} arrays, {len(manifest['groups'])} groups in "
          f"{len(manifest['stores'])} stores: {nfiles} files, {total} bytes under {out}")


if __name__ == "__main__":
    main()
