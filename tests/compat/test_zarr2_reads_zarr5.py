"""Real zarr-python 2.18.7 reads what zarr5 writes, and zarr5 writes the bytes zarr-python would.

Each case runs the same calls through ``zarr5`` and through ``zarr`` into two sibling stores, then checks:

- zarr-python opens zarr5's store and sees the same metadata and values as in its own store (values
  bitwise, object elements by type and value);
- the metadata documents (``.zarray``, ``.zgroup``, ``.zattrs``, ``.zmetadata``) are byte-identical;
- the same chunk keys exist, holding the same bytes (GZip chunks aside: gzip stamps the wall clock).

The oracle is zarr-python itself, so the module is skipped when it is not installed (the ``test`` extra
installs it).
"""

from __future__ import annotations

import json
import pathlib
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from compat_values import canon
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

import zarr5

zarr = pytest.importorskip("zarr", reason="zarr-python 2.18.7 is the oracle here (pip install '.[test]')")
if not zarr.__version__.startswith("2."):
    pytest.skip(f"needs zarr-python 2.x, found {zarr.__version__}", allow_module_level=True)

pytestmark = pytest.mark.filterwarnings(
    "ignore:The NestedDirectoryStore is deprecated:FutureWarning",
    "ignore:missing object_codec for object array:FutureWarning",
)

Writer = Callable[["Case"], tuple[pathlib.Path, pathlib.Path]]
Pairs = dict[str, tuple[pathlib.Path, pathlib.Path]]
META_KEYS = (".zarray", ".zgroup", ".zattrs", ".zmetadata")
STRUCT = np.dtype([("a", "<i4"), ("b", "<f8")])
STRUCT_BE = np.dtype([("a", ">i2"), ("b", ">f4"), ("c", "|S3")])
STRUCT_NESTED = np.dtype([("x", [("y", "<i2"), ("z", "|u1")]), ("w", "<f4"), ("u", "<U3")])
STRUCT_SUBARRAY = np.dtype([("a", "<i4", (2,)), ("b", "<f8", (2, 3)), ("c", "|b1")])
WORDS = ["", "a", "héllo", "日本語", "🙂x", "abcdefg", "Ωmega", "tab\t", "ß"]
BLOBS = [b"", b"a", b"abcde", b"\x00x", b"\xff\xfe", b"xy z", b"12345", b"\x7f"]

# ---------------------------------------------------------------------------------------------------------
# Deterministic values
# ---------------------------------------------------------------------------------------------------------


def make_values(dtype: Any, shape: tuple[int, ...], salt: int = 0) -> np.ndarray:
    """Deterministic values of ``dtype``: full integer ranges, NaN/inf/-0.0, NaT, odd strings."""
    dtype = np.dtype(dtype)
    n = int(np.prod(shape, dtype=np.int64))
    if dtype.fields is not None:
        out = np.zeros(n, dtype=dtype)
        for i, name in enumerate(dtype.names):
            sub = dtype.fields[name][0]
            base, subshape = sub.subdtype if sub.subdtype is not None else (sub, ())
            out[name] = make_values(base, (n, *subshape), salt + i + 1)
        return out.reshape(shape)
    with np.errstate(over="ignore"):
        h = (np.arange(n, dtype=np.uint64) + np.uint64(salt * 7919 + 3)) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(31)
    kind = dtype.kind
    if kind == "b":
        out = h % np.uint64(3) == 0
    elif kind in "iu":
        out = h.astype(dtype)
    elif kind == "f":
        out = (((h % np.uint64(4001)).astype(np.float64) - 2000.0) / 16.0).astype(dtype)
        for i, v in enumerate([np.nan, np.inf, -np.inf, -0.0][: max(0, n - 1)]):
            out[(1 + 2 * i) % n] = v
    elif kind == "c":
        out = np.empty(n, dtype=dtype)
        part = np.dtype(f"f{dtype.itemsize // 2}")
        out.real, out.imag = make_values(part, (n,), salt), make_values(part, (n,), salt + 1)[::-1]
    elif kind in "mM":
        unit = np.datetime_data(dtype)[0]
        out = ((h % np.uint64(100000)).astype(np.int64) - 50000).view(f"{kind}8[{unit}]")
        if n >= 2:
            out[1] = np.array("NaT", dtype=out.dtype)
    elif kind == "S":
        out = np.array([BLOBS[int(v % np.uint64(len(BLOBS)))] for v in h], dtype=dtype)
    elif kind == "U":
        out = np.array([WORDS[int(v % np.uint64(len(WORDS)))] for v in h], dtype=dtype)
    elif kind == "V":
        out = np.resize(h.view(np.uint8), n * dtype.itemsize).view(dtype)
    else:
        raise TypeError(dtype)
    return np.asarray(out, dtype=dtype).reshape(shape)


def obj_array(items: list[Any], shape: tuple[int, ...]) -> np.ndarray:
    """An object array filled element by element (numpy would unpack nested sequences)."""
    out = np.empty(len(items), dtype=object)
    for i, v in enumerate(items):
        out[i] = v
    return out.reshape(shape)


def make_special(kind: str, shape: tuple[int, ...], salt: int = 0) -> np.ndarray:
    """Values of one flavour: object values suited to one object codec, or finite smooth floats."""
    n = int(np.prod(shape, dtype=np.int64))
    if kind == "smooth":
        return (np.sin(np.arange(n) * 0.3 + salt) * 314.159).reshape(shape)
    if kind == "str":
        items: list[Any] = [WORDS[(i + salt) % len(WORDS)] + str(i) * (i % 2) for i in range(n)]
    elif kind == "bytes":
        items = [BLOBS[(i + salt) % len(BLOBS)] * (i % 3) for i in range(n)]
    elif kind == "array":
        items = [np.arange(i % 4, dtype="<i4") * (i - 3) + salt for i in range(n)]
    elif kind == "json":
        pool = ["text", 1, 2.5, None, True, {"k": "v", "n": 1}, "ünï", -(2**40)]
        items = [pool[(i + salt) % len(pool)] for i in range(n)]
    elif kind == "label":
        items = [["red", "green", "blue"][(i + salt) % 3] for i in range(n)]
    else:
        raise ValueError(kind)
    return obj_array(items, shape)


# ---------------------------------------------------------------------------------------------------------
# Cases: creation keywords shared verbatim by both libraries, then a list of writes
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One array: ``create`` keywords, where to write, and which store class holds it."""

    id: str
    kwargs: dict[str, Any]
    writes: tuple[Any, ...] = (Ellipsis,)
    store: str = "directory"
    values: str = ""


def _case(name: str, shape: tuple[int, ...], chunks: Any, dtype: Any, writes: tuple[Any, ...] = (Ellipsis,),
          store: str = "directory", values: str = "", **kwargs: Any) -> Case:
    return Case(name, {"shape": shape, "chunks": chunks, "dtype": dtype, **kwargs}, writes, store, values)


PARTIAL = (np.s_[:4], np.s_[1:3, 1:])  # leaves the last chunk row unwritten, then rewrites part chunks

DTYPES: list[tuple[str, Any]] = [
    ("bool", "|b1"), ("i1", "|i1"), ("u1", "|u1"),
    *[(f"{k}{s}_{o}", f"{'<' if o == 'le' else '>'}{k}{s}")
      for k in "iu" for s in (2, 4, 8) for o in ("le", "be")],
    *[(f"f{s}_{o}", f"{'<' if o == 'le' else '>'}f{s}") for s in (2, 4, 8) for o in ("le", "be")],
    *[(f"c{s}_{o}", f"{'<' if o == 'le' else '>'}c{s}") for s in (8, 16) for o in ("le", "be")],
    ("M8D", "<M8[D]"), ("M8ns", "<M8[ns]"), ("M8s", "<M8[s]"), ("M8ns_be", ">M8[ns]"), ("m8ms", "<m8[ms]"),
    ("S5", "|S5"), ("U7", "<U7"), ("U7_be", ">U7"), ("V4", "|V4"), ("struct", STRUCT),
    ("struct_be", STRUCT_BE),
    ("struct_nested", STRUCT_NESTED), ("struct_subarray", STRUCT_SUBARRAY),
]

FILLS: list[tuple[str, Any, Any]] = [
    ("i2_neg", "<i2", -7), ("i4_be_neg", ">i4", -3), ("u1_max", "|u1", 255), ("i8_min", "<i8", -(2**63)),
    ("u8_max", "<u8", 2**64 - 1), ("bool_true", "|b1", True), ("f2_nan", "<f2", np.nan),
    ("f4_nan", "<f4", np.nan), ("f8_be_nan", ">f8", np.nan), ("f8_posinf", "<f8", np.inf),
    ("f4_neginf", "<f4", -np.inf), ("f8_value", "<f8", 1.5), ("f4_value", "<f4", 0.1),
    ("c8_value", "<c8", 1 + 2j), ("c16_nan_real", "<c16", complex(np.nan, 1.0)),
    ("c16_be_inf_real", ">c16", complex(-np.inf, 2.5)), ("S5_xx", "|S5", b"xx"), ("U7_zz", "<U7", "zz"),
    ("U7_unicode", "<U7", "é日🙂"), ("V4_bytes", "|V4", b"\x01\x02\x03\x04"),
    ("M8ns_nat", "<M8[ns]", np.datetime64("NaT", "ns")), ("M8D_value", "<M8[D]", np.datetime64("2000-01-01")),
    ("m8ms_value", "<m8[ms]", np.timedelta64(1000, "ms")),
    ("struct", STRUCT, np.array((1, 2.5), dtype=STRUCT)[()]),
    ("struct_nested", STRUCT_NESTED, np.array(((-1, 9), 0.5, "ab"), dtype=STRUCT_NESTED)[()]),
    ("i4_zero_default", "<i4", 0),
]

COMPRESSORS: list[tuple[str, Any]] = [
    ("blosc_default", "default"),
    ("blosc_zstd_bitshuffle", Blosc(cname="zstd", clevel=3, shuffle=Blosc.BITSHUFFLE)),
    ("blosc_zlib_noshuffle", Blosc(cname="zlib", clevel=9, shuffle=Blosc.NOSHUFFLE)), ("zlib", Zlib(level=1)),
    ("gzip", GZip(level=5)), ("bz2", BZ2(level=9)), ("lzma", LZMA()), ("zstd", Zstd(level=3)),
    ("lz4", LZ4(acceleration=1)), ("none", None),
]


def build_cases() -> list[Case]:
    """Every array case: dtypes, fill values, orders, separators, compressors, filters, objects, shapes."""
    cases = [_case(f"dtype-{n}", (7, 5), (3, 2), dt) for n, dt in DTYPES]
    cases += [_case(f"fill-{n}", (6, 4), (2, 2), dt, PARTIAL, fill_value=fv) for n, dt, fv in FILLS]
    cases += [_case(f"fill-none-{n}", (5, 3), (2, 2), dt, fill_value=None)
              for n, dt in [("i4", "<i4"), ("f8", "<f8"), ("S5", "|S5"), ("struct", STRUCT)]]
    for n, dt in [("i4", "<i4"), ("f8_be", ">f8"), ("bool", "|b1"), ("U7", "<U7"), ("S5", "|S5"),
                  ("struct", STRUCT_NESTED), ("c8", "<c8")]:
        cases += [_case(f"order-{o}-{n}", (5, 4, 3), (2, 3, 2), dt, (Ellipsis, np.s_[1:4, 1, :2]), order=o)
                  for o in "CF"]
    cases += [_case(f"order-{o}-vlen_utf8", (5, 4), (2, 3), object, values="str", order=o,
                    object_codec=VLenUTF8()) for o in "CF"]
    for sep in (".", "/"):
        cases += [_case(f"sep{sep!r}-2d", (6, 5), (2, 2), "<f8", PARTIAL, fill_value=np.nan,
                        dimension_separator=sep),
                  _case(f"sep{sep!r}-3d-F", (4, 3, 5), (3, 2, 2), ">i2", order="F", dimension_separator=sep)]
    cases += [_case("nested-2d", (6, 5), (2, 2), "<f8", PARTIAL, store="nested", fill_value=np.nan),
              _case("nested-3d-F", (4, 3, 5), (3, 2, 2), ">i2", store="nested", order="F"),
              _case("nested-1d", (10,), (4,), "<i4", store="nested"),
              _case("nested-0d", (), None, "<u4", store="nested")]
    for n, comp in COMPRESSORS:
        cases += [_case(f"compressor-{n}-f8", (20, 10), (8, 4), "<f8", compressor=comp),
                  _case(f"compressor-{n}-i2", (20, 10), (8, 4), "<i2", PARTIAL, compressor=comp)]
    cases += [
        _case("filter-delta", (6, 10), (4, 4), "<i4", filters=[Delta(dtype="<i4")]),
        _case("filter-delta-astype", (6, 10), (4, 4), "<i8", filters=[Delta(dtype="<i8", astype="<i8")]),
        _case("filter-fixedscaleoffset", (8, 6), (3, 4), "<f8", values="smooth",
              filters=[FixedScaleOffset(offset=0, scale=10, dtype="<f8", astype="<i4")]),
        _case("filter-quantize", (8, 6), (3, 4), "<f8", values="smooth",
              filters=[Quantize(digits=2, dtype="<f8")]),
        _case("filter-astype", (8, 6), (3, 4), "<f8", values="smooth",
              filters=[AsType(encode_dtype="<f4", decode_dtype="<f8")]),
        _case("filter-chain", (8, 6), (3, 4), "<f8", values="smooth", compressor=Zlib(level=6),
              filters=[Quantize(digits=3, dtype="<f8"), AsType(encode_dtype="<f4", decode_dtype="<f8")]),
        _case("filter-packbits", (13, 7), (5, 3), "|b1", filters=[PackBits()]),
        _case("filter-categorize-U5", (5, 6), (2, 4), "<U5", values="label",
              filters=[Categorize(labels=["red", "green", "blue"], dtype="<U5", astype="|u1")]),
        _case("filter-categorize-object", (5, 6), (2, 4), object, values="label",
              filters=[Categorize(labels=["red", "green", "blue"], dtype=object, astype="|u1")]),
    ]
    cases += [
        _case("object-vlen_utf8", (11,), (4,), object, values="str", object_codec=VLenUTF8()),
        _case("object-vlen_utf8-2d", (5, 3), (2, 2), object, values="str", object_codec=VLenUTF8()),
        _case("object-vlen_utf8-fill_none", (9,), (4,), object, (np.s_[:4],), values="str",
              object_codec=VLenUTF8(), fill_value=None),
        _case("object-vlen_utf8-fill_empty", (9,), (4,), object, (np.s_[4:8],), values="str",
              object_codec=VLenUTF8(), fill_value=""),
        _case("object-vlen_utf8-fill_zero", (6,), (4,), object, (np.s_[:4],), values="str",
              object_codec=VLenUTF8(), fill_value=0),
        _case("object-vlen_bytes", (9,), (4,), object, values="bytes", object_codec=VLenBytes(),
              fill_value=None),
        _case("object-vlen_array", (7,), (3,), object, values="array", object_codec=VLenArray("<i4"),
              fill_value=None),
        _case("object-json", (8,), (3,), object, values="json", object_codec=JSON(), fill_value=None),
        _case("object-msgpack", (8,), (3,), object, values="json", object_codec=MsgPack(), fill_value=None),
        _case("object-0d", (), None, object, values="str", object_codec=VLenUTF8(), fill_value=None),
        _case("object-dtype-str", (6,), (4,), str, values="str"),
        _case("object-dtype-bytes", (6,), (4,), bytes, values="bytes"),
        _case("object-dtype-array-i4", (6,), (4,), "array:i4", values="array"),
    ]
    cases += [
        _case("shape-0d-f8", (), None, "<f8"),
        _case("shape-0d-unwritten", (), None, "<i2", (), fill_value=42),
        _case("shape-0d-struct", (), None, STRUCT_NESTED),
        _case("shape-0", (0,), (1,), "<i4", ()), _case("shape-0x5", (0, 5), (4, 2), "<i4", (), fill_value=3),
        _case("shape-3x0", (3, 0), (2, 3), "<f8", (), fill_value=np.nan),
        _case("shape-missing", (10, 10), (3, 4), "<i4", (np.s_[0, 0], np.s_[4, 9], np.s_[9, 5:7]),
              fill_value=-1),
        _case("shape-all-missing", (5, 5), (2, 2), "<f4", (), fill_value=7.5),
        _case("shape-chunks-bigger", (5, 3), (10, 10), "<i8"),
        _case("shape-4d", (3, 4, 5, 2), (2, 3, 2, 2), "<f4", (np.s_[1:, :3, 1:4],), fill_value=np.nan),
        _case("shape-unit-chunks", (4, 4), (1, 1), "|u1"),
        _case("shape-zip", (7, 5), (3, 2), ">i4", (np.s_[:4],), store="zip", fill_value=-1),
        _case("shape-zip-object", (9,), (4,), object, store="zip", values="str", object_codec=VLenUTF8()),
    ]
    return cases


CASES = build_cases()
BYTE_CASES = [c for c in CASES if c.store != "zip"]

# ---------------------------------------------------------------------------------------------------------
# Running a case through one library
# ---------------------------------------------------------------------------------------------------------


def values_for(case: Case, dtype: np.dtype, shape: tuple[int, ...], salt: int) -> np.ndarray:
    if case.values:
        return make_special(case.values, shape, salt).astype(dtype)
    return make_values(dtype, shape, salt)


def open_store(lib: Any, kind: str, path: pathlib.Path, mode: str = "w") -> Any:
    """A store of ``kind`` at ``path`` from ``lib`` (``zarr`` or ``zarr5``)."""
    if kind == "nested":
        return lib.NestedDirectoryStore(str(path))
    if kind == "zip":
        return lib.ZipStore(str(path), mode=mode)
    return lib.DirectoryStore(str(path))


def run_case(lib: Any, case: Case, path: pathlib.Path) -> None:
    """Create the case's array with ``lib`` at ``path`` and apply its writes."""
    store = open_store(lib, case.store, path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            z = lib.create(store=store, **case.kwargs)
        for i, sel in enumerate(case.writes):
            target = np.empty(z.shape, dtype=bool)[sel]
            z[sel] = values_for(case, z.dtype, np.shape(target), salt=i)
    finally:
        if case.store == "zip":
            store.close()


def read_keys(kind: str, path: pathlib.Path) -> dict[str, bytes]:
    """Every key of a store as raw bytes, read without either library."""
    if kind == "zip":
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist()}
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Writer:
    """Write each case once with zarr5 and once with zarr; return the two store paths."""
    cache: dict[str, tuple[pathlib.Path, pathlib.Path]] = {}

    def get(case: Case) -> tuple[pathlib.Path, pathlib.Path]:
        if case.id not in cache:
            base = tmp_path_factory.mktemp("case")
            suffix = ".zip" if case.store == "zip" else ".zarr"
            mine, theirs = base / f"zarr5{suffix}", base / f"zarr{suffix}"
            run_case(zarr5, case, mine)
            run_case(zarr, case, theirs)
            cache[case.id] = (mine, theirs)
        return cache[case.id]

    return get


def zarr_open(kind: str, path: pathlib.Path, **kwargs: Any) -> Any:
    """Open a store with zarr-python, read-only."""
    if kind == "zip":
        return zarr.open(zarr.ZipStore(str(path), mode="r"), mode="r", **kwargs)
    return zarr.open(str(path), mode="r", **kwargs)


# ---------------------------------------------------------------------------------------------------------
# Comparisons (both sides through zarr-python)
# ---------------------------------------------------------------------------------------------------------


def attrs_json(node: Any) -> str:
    """A node's attributes as canonical JSON text (NaN and inf included)."""
    return json.dumps(dict(node.attrs), sort_keys=True)


def config(codec: Any) -> Any:
    return None if codec is None else json.loads(json.dumps(codec.get_config()))


def assert_same_array(mine: Any, theirs: Any, where: str = "", values: bool = True) -> None:
    """Two zarr-python arrays agree in metadata and (bitwise) values."""
    assert mine.shape == theirs.shape, where
    assert mine.chunks == theirs.chunks, where
    assert mine.dtype == theirs.dtype and mine.dtype.str == theirs.dtype.str, where
    assert mine.order == theirs.order, where
    assert config(mine.compressor) == config(theirs.compressor), where
    assert [config(f) for f in mine.filters or []] == [config(f) for f in theirs.filters or []], where
    assert getattr(mine, "_dimension_separator", None) == getattr(theirs, "_dimension_separator", None), where
    if mine.dtype == object or theirs.fill_value is None:
        assert canon(mine.fill_value) == canon(theirs.fill_value), where
    else:
        assert np.array(mine.fill_value, dtype=mine.dtype).tobytes() == \
            np.array(theirs.fill_value, dtype=theirs.dtype).tobytes(), where
    assert attrs_json(mine) == attrs_json(theirs), where
    if not values:
        return
    a, b = mine[...], theirs[...]
    assert type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape, where
    if a.dtype == object:
        pairs = enumerate(zip(a.reshape(-1), b.reshape(-1)))
        bad = [(i, x, y) for i, (x, y) in pairs if canon(x) != canon(y)]
        assert not bad, f"{where}: {len(bad)} object elements differ; first (index, zarr5, zarr): {bad[0]!r}"
    else:
        assert a.tobytes() == b.tobytes(), f"{where}: values differ\nzarr5 store: {a!r}\nzarr store: {b!r}"


# ---------------------------------------------------------------------------------------------------------
# Array tests
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_zarr_reads_zarr5_array(case: Case, written: Writer) -> None:
    mine, theirs = written(case)
    assert_same_array(zarr_open(case.store, mine), zarr_open(case.store, theirs), case.id)


@pytest.mark.parametrize("case", BYTE_CASES, ids=[c.id for c in BYTE_CASES])
def test_zarray_bytes_equal(case: Case, written: Writer) -> None:
    """``.zarray`` is byte-for-byte what zarr-python writes for the same ``create`` arguments."""
    mine, theirs = written(case)
    got, exp = (mine / ".zarray").read_bytes(), (theirs / ".zarray").read_bytes()
    assert got.decode() == exp.decode()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_chunk_keys_and_bytes_equal(case: Case, written: Writer) -> None:
    """The same writes leave the same keys, and the chunks hold the same encoded bytes."""
    mine, theirs = written(case)
    got, exp = read_keys(case.store, mine), read_keys(case.store, theirs)
    assert sorted(got) == sorted(exp)
    if case.kwargs.get("compressor").__class__ is GZip:
        return  # gzip headers carry the wall-clock time
    differ = sorted(k for k in exp if k.rsplit("/", 1)[-1] not in META_KEYS and got[k] != exp[k])
    assert not differ, f"keys whose bytes differ: {differ}"


# Creation calls whose ``.zarray`` must match: defaults, chunk guessing, dtype and fill normalisation.
CREATIONS: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    ("create-defaults", "create", ((1000, 1000),), {}),
    ("create-guess-1d-u1", "create", ((1_000_000,),), {"dtype": "u1"}),
    ("create-guess-3d-f4", "create", ((100, 200, 300),), {"dtype": "f4"}),
    ("create-guess-zero-len", "create", ((0, 10),), {"dtype": "i2"}),
    ("create-chunks-int", "create", ((100, 50),), {"chunks": 10, "dtype": "i4"}),
    ("create-chunks-none-axis", "create", ((100, 50),), {"chunks": (None, 5), "dtype": "i4"}),
    ("create-chunks-minus1-axis", "create", ((100, 50),), {"chunks": (-1, 7), "dtype": "i4"}),
    ("create-chunks-false", "create", ((30, 20),), {"chunks": False, "dtype": "i4"}),
    ("create-dtype-int", "create", ((10,),), {"dtype": int}),
    ("create-dtype-float", "create", ((10,),), {"dtype": float}),
    ("create-dtype-bool", "create", ((10,),), {"dtype": bool}),
    ("create-dtype-i4-str", "create", ((10,),), {"dtype": "i4"}),
    ("create-dtype-M8ns", "create", ((10,),), {"dtype": "M8[ns]"}),
    ("create-dtype-U7-fill0", "create", ((10,),), {"dtype": "U7"}),
    ("create-dtype-S5-fill0", "create", ((10,),), {"dtype": "S5"}),
    ("create-dtype-struct-fill0", "create", ((10,),), {"dtype": STRUCT_SUBARRAY}),
    ("create-dtype-str", "create", ((10,),), {"dtype": str}),
    ("create-dtype-bytes", "create", ((10,),), {"dtype": bytes}),
    ("create-dtype-array-i4", "create", ((10,),), {"dtype": "array:i4"}),
    ("create-fill-int-for-float", "create", ((10,),), {"dtype": "f4", "fill_value": 5}),
    ("create-fill-none", "create", ((10,),), {"dtype": "f8", "fill_value": None}),
    ("create-fill-true", "create", ((10,),), {"dtype": bool, "fill_value": 1}),
    ("create-compressor-none", "create", ((10,),), {"compressor": None}),
    ("create-0d", "create", ((),), {"dtype": "f8"}),
    ("zeros", "zeros", ((100, 100),), {"chunks": (10, 10), "dtype": "i4"}),
    ("ones", "ones", ((100,),), {"chunks": 10}),
    ("empty", "empty", ((100,),), {"chunks": 10, "dtype": "u2"}),
    ("full-nan", "full", ((100,),), {"fill_value": np.nan, "chunks": 10}),
    ("array-int64", "array", (np.arange(100).reshape(10, 10),), {}),
    ("array-f4-chunks", "array", (np.ones((20, 30), dtype="f4"),), {"chunks": (7, 8)}),
    ("array-strings-U", "array", (np.array(["a", "bb", "ccc"]),), {}),
    ("array-nested-sep", "array", (np.arange(30).reshape(5, 6),),
     {"chunks": (2, 2), "dimension_separator": "/"}),
]


@pytest.mark.parametrize("name,func,args,kwargs", CREATIONS, ids=[c[0] for c in CREATIONS])
def test_creation_zarray_bytes_equal(tmp_path: pathlib.Path, name: str, func: str, args: tuple[Any, ...],
                                     kwargs: dict[str, Any]) -> None:
    """``zarr5.<func>`` writes the ``.zarray`` that ``zarr.<func>`` writes for the same arguments."""
    docs = []
    for lib in (zarr5, zarr):
        path = tmp_path / lib.__name__
        getattr(lib, func)(*args, store=lib.DirectoryStore(str(path)), **kwargs)
        docs.append((path / ".zarray").read_text())
    assert docs[0] == docs[1]
    z = zarr.open(str(tmp_path / "zarr5"), mode="r")
    # only array() writes data; the rest are all fill (or uninitialised, for fill_value None)
    assert_same_array(z, zarr.open(str(tmp_path / "zarr"), mode="r"), name, values=func == "array")


# ---------------------------------------------------------------------------------------------------------
# Hierarchies: groups, attributes, resize / append, consolidated metadata, zip
# ---------------------------------------------------------------------------------------------------------

ROOT_ATTRS: dict[str, Any] = {
    "title": "zarr5 wrote this", "int": 42, "neg": -17, "bigint": 2**53 + 1, "float": 3.5, "tiny": 1e-300,
    "bool": False, "null": None, "list": [1, "two", 3.0, None, True], "dict": {"a": 1, "b": [1, 2]},
    "nested": {"x": {"y": {"z": [[], {}, [1, [2, [3]]]]}}}, "unicode": "héllo wörld ☃ 日本語 🙂",
    "empty_str": "", "empty_list": [], "empty_dict": {},
}


def build_hierarchy(lib: Any, store: Any, mutate: bool = True) -> None:
    """Groups, attributes of every JSON type, resize (grow and shrink), append, then consolidate.

    ``mutate=False`` (zip stores, which cannot replace a key) writes every key once: no resize/append.
    """
    root = lib.group(store=store)
    root.attrs.update(ROOT_ATTRS)
    b = root.create_group("a").create_group("b")
    b.attrs.update({"level": 2, "tags": ["x", "y"], "ünï": "cödé",
                    "special_floats": [float("nan"), float("inf"), float("-inf")]})
    root.require_group("empty")
    root.create_group("implicit/parents")
    t = root.full("temperature", shape=(4, 6), chunks=(2, 4), dtype="<f4", fill_value=np.nan)
    t[:2] = np.arange(12, dtype="<f4").reshape(2, 6) / 4
    t.attrs.update({"_ARRAY_DIMENSIONS": ["y", "x"], "units": "K", "scale_factor": 0.5})
    w = root.create_dataset("words", shape=(3,), chunks=(2,), dtype=object, object_codec=VLenUTF8())
    w[...] = obj_array(["α", "β", ""], (3,))
    w.attrs["description"] = "vlen-utf8 words"
    if mutate:
        resize_and_append(root)
    lib.consolidate_metadata(store)


def resize_and_append(root: Any) -> None:
    """Grow, append along both axes, shrink then regrow, append to an empty array and to objects."""
    t = root["temperature"]
    t.resize(7, 9)  # grow: new region reads as fill
    t[5:, 7:] = 1.0
    t.append(np.full((2, 9), 2.0, dtype="<f4"))
    t.append(np.full((9, 1), 3.0, dtype="<f4"), axis=1)
    b = root["a/b"]
    s = b.create_dataset("shrink", shape=(10, 10), chunks=(3, 3), dtype="<i8")
    s[...] = np.arange(100).reshape(10, 10)
    s.resize(4, 5)  # shrink: chunks wholly outside the new shape are deleted, overlapping ones kept
    s.resize(8, 8)  # regrow: deleted chunks read as fill, kept chunks still hold their old values
    v = b.zeros("log", shape=(0,), chunks=(4,), dtype="<u2")
    for i in range(3):
        v.append(np.arange(i + 2, dtype="<u2"))
    root["words"].append(obj_array(["δ"], (1,)))


@pytest.fixture(scope="module")
def hierarchies(tmp_path_factory: pytest.TempPathFactory) -> Pairs:
    """The hierarchy written by zarr5 and by zarr into directory, nested and zip stores."""
    out = {}
    base = tmp_path_factory.mktemp("hierarchy")
    for kind in ("directory", "nested", "zip"):
        paths = []
        for lib in (zarr5, zarr):
            path = base / f"{kind}-{lib.__name__}{'.zip' if kind == 'zip' else '.zarr'}"
            store = open_store(lib, kind, path)
            try:
                build_hierarchy(lib, store, mutate=kind != "zip")
            finally:
                if kind == "zip":
                    store.close()
            paths.append(path)
        out[kind] = (paths[0], paths[1])
    return out


def walk(group: Any) -> Iterator[tuple[str, Any]]:
    found: list[tuple[str, Any]] = [("", group)]
    group.visititems(lambda p, obj: found.append((p, obj)))
    yield from sorted(found, key=lambda t: t[0])


def assert_same_hierarchy(mine: Any, theirs: Any) -> None:
    a, b = dict(walk(mine)), dict(walk(theirs))
    assert sorted(a) == sorted(b)
    for path in b:
        assert isinstance(a[path], zarr.Array) == isinstance(b[path], zarr.Array), path
        if isinstance(b[path], zarr.Array):
            assert_same_array(a[path], b[path], path)
        else:
            assert attrs_json(a[path]) == attrs_json(b[path]), path


@pytest.mark.parametrize("kind", ["directory", "nested", "zip"])
def test_zarr_reads_zarr5_hierarchy(kind: str, hierarchies: Pairs) -> None:
    mine, theirs = hierarchies[kind]
    if kind == "zip":
        zm, zt = zarr.ZipStore(str(mine), mode="r"), zarr.ZipStore(str(theirs), mode="r")
        assert_same_hierarchy(zarr.open_group(zm, mode="r"), zarr.open_group(zt, mode="r"))
        assert_same_hierarchy(zarr.open_consolidated(zm, mode="r"), zarr.open_consolidated(zt, mode="r"))
        return
    assert_same_hierarchy(zarr.open_group(str(mine), mode="r"), zarr.open_group(str(theirs), mode="r"))
    assert_same_hierarchy(zarr.open_consolidated(str(mine), mode="r"),
                          zarr.open_consolidated(str(theirs), mode="r"))


def test_resize_append_values(hierarchies: Pairs) -> None:
    """The resized and appended arrays hold what numpy says they should, as zarr-python reads them."""
    root = zarr.open_group(str(hierarchies["directory"][0]), mode="r")
    t = np.full((9, 10), np.nan, dtype="<f4")
    t[:2, :6] = np.arange(12, dtype="<f4").reshape(2, 6) / 4
    t[5:7, 7:9] = 1.0
    t[7:, :9] = 2.0
    t[:, 9] = 3.0
    np.testing.assert_array_equal(root["temperature"][...], t)
    s = np.zeros((8, 8), dtype="<i8")
    s[:6, :6] = np.arange(100).reshape(10, 10)[:6, :6]  # the 3x3 chunks overlapping (4, 5) survive
    np.testing.assert_array_equal(root["a/b/shrink"][...], s)
    np.testing.assert_array_equal(root["a/b/log"][...], np.concatenate([np.arange(i + 2) for i in range(3)]))
    assert root["words"][...].tolist() == ["α", "β", "", "δ"]


def test_grown_array_shows_fill_beyond_old_edge(tmp_path: pathlib.Path) -> None:
    """Growing an array reveals fill where edge chunks had padding: writes must leave padding as fill."""
    paths = []
    for lib in (zarr5, zarr):
        path = tmp_path / lib.__name__
        z = lib.full((3, 5), fill_value=-1, chunks=(2, 4), dtype="<i4", store=lib.DirectoryStore(str(path)))
        z[2:, 4:] = 7  # edge chunk (1, 1): one element in bounds, three of padding
        z[:, :2] = np.arange(6).reshape(3, 2)  # whole-array selection within edge chunk (1, 0)
        z.resize(4, 8)
        paths.append(path)
    expected = np.full((4, 8), -1, dtype="<i4")
    expected[2, 4] = 7
    expected[:3, :2] = np.arange(6).reshape(3, 2)
    np.testing.assert_array_equal(zarr.open(str(paths[1]), mode="r")[...], expected)  # the oracle agrees
    np.testing.assert_array_equal(zarr.open(str(paths[0]), mode="r")[...], expected)


@pytest.mark.parametrize("kind", ["directory", "nested", "zip"])
def test_hierarchy_bytes_equal(kind: str, hierarchies: Pairs) -> None:
    """Every metadata document (incl. .zmetadata) and every chunk is byte-identical to zarr-python's."""
    mine, theirs = (read_keys(kind, p) for p in hierarchies[kind])
    assert sorted(mine) == sorted(theirs)
    meta = sorted(k for k in theirs if k.rsplit("/", 1)[-1] in META_KEYS)
    bad_meta = {k: (mine[k].decode(), theirs[k].decode()) for k in meta if mine[k] != theirs[k]}
    assert not bad_meta, "metadata documents differ (zarr5, zarr):\n" + "\n".join(
        f"--- {k}\n{a}\n+++\n{b}" for k, (a, b) in bad_meta.items())
    bad_chunks = sorted(k for k in theirs if k not in meta and mine[k] != theirs[k])
    assert not bad_chunks, f"chunks differ: {bad_chunks}"
