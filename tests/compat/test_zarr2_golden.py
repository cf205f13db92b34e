"""zarr5 reads every store real zarr-python 2.18.7 wrote, bit for bit.

The oracle is ``compat/fixtures/zarr-2.18.7/``: stores written by ``compat/make_zarr2_fixtures.py`` plus the
values zarr-python read back from them (``expected/*.npy`` / ``*.json``) and ``manifest.json`` (metadata
exactly as ``.zarray`` holds it). zarr-python is not needed here.
"""

from __future__ import annotations

import base64
import contextlib
import json
import pathlib
import shutil
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from compat_values import canon

import zarr5

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "compat" / "fixtures" / "zarr-2.18.7"
MANIFEST: dict[str, Any] = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))
ARRAYS: list[dict[str, Any]] = MANIFEST["arrays"]
STORES: list[dict[str, Any]] = MANIFEST["stores"]
ARRAY_IDS = [a["id"] for a in ARRAYS]

# ---------------------------------------------------------------------------------------------------------
# Decoding the oracle (written here from the Zarr v2 spec, not borrowed from zarr-python)
# ---------------------------------------------------------------------------------------------------------


def decode_dtype(d: Any) -> np.dtype:
    """The numpy dtype for a ``.zarray`` ``dtype`` entry: a type string or a list of fields."""
    if isinstance(d, str):
        return np.dtype(d)
    fields = []
    for field in d:
        name, typ = field[0], field[1]
        base = decode_dtype(typ)
        fields.append((name, base, tuple(field[2])) if len(field) > 2 else (name, base))
    return np.dtype(fields)


def _float(v: Any, dtype: np.dtype) -> Any:
    special = {"NaN": np.nan, "Infinity": np.inf, "-Infinity": -np.inf}
    return np.array(special.get(v, v), dtype=dtype)[()]


def decode_fill(v: Any, dtype: np.dtype) -> Any:
    """The fill value a ``.zarray`` ``fill_value`` entry stands for, per the Zarr v2 spec."""
    if v is None or dtype.kind == "O":
        return v
    if dtype.kind == "f":
        return _float(v, dtype)
    if dtype.kind == "c":
        out = np.zeros((), dtype=dtype)
        part = np.dtype(f"f{dtype.itemsize // 2}")
        out.real, out.imag = _float(v[0], part), _float(v[1], part)
        return out[()]
    if dtype.kind in "SV":
        raw = base64.standard_b64decode(v)
        if dtype.kind == "S":
            return np.array(raw, dtype=dtype)[()]
        return np.frombuffer(raw.ljust(dtype.itemsize, b"\0"), dtype=dtype)[0]
    if dtype.kind == "U":
        return v
    if dtype.kind in "mM":
        return np.array(v, dtype=np.int64).astype(dtype.str[0] + "i8").view(dtype)[()]
    return np.array(v, dtype=dtype)[()]


def untag(v: Any) -> Any:
    """Invert the generator's ``tag_object``: a JSON-tagged object element back to Python/numpy."""
    if v is None:
        return None
    tag, payload = v
    if tag in ("str", "bool", "int"):
        return payload
    if tag == "float":
        return float(payload)
    if tag == "bytes":
        return base64.b64decode(payload)
    if tag == "list":
        return [untag(x) for x in payload]
    if tag == "tuple":
        return tuple(untag(x) for x in payload)
    if tag == "dict":
        return {k: untag(x) for k, x in payload.items()}
    if tag == "ndarray":
        dt, shape, items = payload
        return np.array([untag(x) for x in items], dtype=dt).reshape(shape)
    raise ValueError(f"unknown tag {tag!r}")


def load_expected(entry: dict[str, Any]) -> np.ndarray:
    """The values zarr-python read back for ``entry``."""
    path = FIXTURES / entry["expected"]
    if path.suffix == ".npy":
        return np.load(path, allow_pickle=False)
    payload = json.loads(path.read_text("utf-8"))
    out = np.empty(len(payload["values"]), dtype=object)
    for i, v in enumerate(payload["values"]):
        out[i] = untag(v)
    return out.reshape(payload["shape"])


def codec_config(codec: Any) -> Any:
    """A codec's JSON config as ``.zarray`` records it (None for no codec; tuples become lists)."""
    return None if codec is None else json.loads(json.dumps(codec.get_config()))


def attrs_json(attrs: Any) -> str:
    return json.dumps(dict(attrs), sort_keys=True, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------------
# Assertions
# ---------------------------------------------------------------------------------------------------------


def assert_values(got: Any, entry: dict[str, Any]) -> None:
    """``got`` (from ``arr[...]``) equals the oracle: dtype exactly, shape, every bit of every element."""
    exp = load_expected(entry)
    assert isinstance(got, np.ndarray), f"arr[...] returned {type(got).__name__}, expected ndarray"
    assert got.dtype == exp.dtype and got.dtype.str == exp.dtype.str, f"dtype {got.dtype!r} != {exp.dtype!r}"
    if exp.dtype.fields is not None:
        assert got.dtype.descr == exp.dtype.descr
    assert got.shape == exp.shape, f"shape {got.shape} != {exp.shape}"
    if exp.dtype == object:
        bad = [(i, g, e) for i, (g, e) in enumerate(zip(got.reshape(-1), exp.reshape(-1)))
               if canon(g) != canon(e)]
        assert not bad, f"{len(bad)} object elements differ, first (flat index, got, expected): {bad[0]!r}"
        return
    g = np.ascontiguousarray(got).reshape(-1).view(np.uint8).reshape(exp.size, exp.dtype.itemsize)
    e = np.ascontiguousarray(exp).reshape(-1).view(np.uint8).reshape(exp.size, exp.dtype.itemsize)
    diff = np.flatnonzero((g != e).any(axis=1)) if exp.size else np.array([], dtype=int)
    if diff.size:
        i = int(diff[0])
        idx = tuple(int(x) for x in np.unravel_index(i, exp.shape)) if exp.shape else ()
        pytest.fail(f"{diff.size}/{exp.size} elements differ bitwise; first at {idx}: "
                    f"got {got.reshape(-1)[i]!r}, expected {exp.reshape(-1)[i]!r}")


def assert_fill(got: Any, entry: dict[str, Any]) -> None:
    """zarr5's ``fill_value`` means the same value as ``.zarray``'s (bitwise for numeric kinds)."""
    dtype = decode_dtype(entry["dtype"])
    exp = decode_fill(entry["fill_value"], dtype)
    if exp is None:
        assert got is None, f"fill_value {got!r}, expected None"
    elif dtype.kind == "O":
        assert canon(got) == canon(exp), f"fill_value {got!r}, expected {exp!r}"
    elif dtype.kind == "U":
        assert isinstance(got, str) and got == exp, f"fill_value {got!r}, expected {exp!r}"
    else:
        assert got is not None, f"fill_value None, expected {exp!r}"
        got_bytes = np.array(got, dtype=dtype).tobytes()
        assert got_bytes == np.array(exp, dtype=dtype).tobytes(), (
            f"fill_value {got!r}, expected {exp!r} ({entry['fill_value_repr']} in zarr-python)")


def assert_metadata(arr: Any, entry: dict[str, Any]) -> None:
    """shape, chunks, dtype, order, compressor, filters, fill_value and attrs match ``.zarray``."""
    assert isinstance(arr, zarr5.Array), f"opened {type(arr).__name__}, expected zarr5.Array"
    assert arr.shape == tuple(entry["shape"])
    assert arr.chunks == tuple(entry["chunks"])
    dtype = decode_dtype(entry["dtype"])
    assert arr.dtype == dtype and arr.dtype.str == dtype.str, f"dtype {arr.dtype!r} != {dtype!r}"
    assert arr.order == entry["order"]
    assert codec_config(arr.compressor) == entry["compressor"]
    filters = None if not arr.filters else [codec_config(f) for f in arr.filters]
    assert filters == entry["filters"]
    assert_fill(arr.fill_value, entry)
    assert attrs_json(arr.attrs) == entry["attrs_json"]


# ---------------------------------------------------------------------------------------------------------
# Opening each kind of store
# ---------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def open_store_root(store: dict[str, Any], **kwargs: Any) -> Iterator[Any]:
    """Yield the root group of a fixture store, opened read-only the way zarr-2 users do."""
    path = FIXTURES / store["name"]
    if store["type"] == "zip":
        zstore = zarr5.ZipStore(str(path), mode="r")
        try:
            yield zarr5.open_group(zstore, mode="r", **kwargs)
        finally:
            zstore.close()
    elif store["type"] == "nested":
        yield zarr5.open_group(zarr5.NestedDirectoryStore(str(path)), mode="r", **kwargs)
    else:
        yield zarr5.open_group(str(path), mode="r", **kwargs)


@contextlib.contextmanager
def open_fixture_array(entry: dict[str, Any]) -> Iterator[Any]:
    """Yield one fixture array: ``zarr5.open(<dir>/<path>)`` for directories, ``path=`` for the zip."""
    if entry["store_type"] == "zip":
        zstore = zarr5.ZipStore(str(FIXTURES / entry["store"]), mode="r")
        try:
            yield zarr5.open(zstore, mode="r", path=entry["path"])
        finally:
            zstore.close()
    else:
        yield zarr5.open(str(FIXTURES / entry["store"] / entry["path"]), mode="r")


def entries_of(store_name: str) -> list[dict[str, Any]]:
    return [a for a in ARRAYS if a["store"] == store_name]


# ---------------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ARRAYS, ids=ARRAY_IDS)
def test_values(entry: dict[str, Any]) -> None:
    with open_fixture_array(entry) as arr:
        assert_values(arr[...], entry)
        if entry["shape"] == []:
            # a 0-d array's () selection is a numpy scalar, as in zarr-python
            exp = load_expected(entry)[()]
            got = arr[()]
            assert type(got) is type(exp), f"arr[()] is {type(got).__name__}, expected {type(exp).__name__}"
            if isinstance(exp, np.generic):
                assert np.asarray(got).tobytes() == np.asarray(exp).tobytes(), f"{got!r} != {exp!r}"
            else:
                assert canon(got) == canon(exp)


@pytest.mark.parametrize("entry", ARRAYS, ids=ARRAY_IDS)
def test_metadata(entry: dict[str, Any]) -> None:
    with open_fixture_array(entry) as arr:
        assert_metadata(arr, entry)


@pytest.mark.parametrize("entry", ARRAYS, ids=ARRAY_IDS)
def test_nchunks_initialized(entry: dict[str, Any]) -> None:
    """Chunk listing finds exactly the chunks zarr-python wrote, whatever the separator."""
    with open_fixture_array(entry) as arr:
        assert arr.nchunks_initialized == len(entry["chunk_keys"]), entry["chunk_keys"]


@pytest.mark.parametrize("store", STORES, ids=[s["name"] for s in STORES])
def test_hierarchy_through_open_group(store: dict[str, Any]) -> None:
    """The root group lists every group and array, each with its attrs, metadata and values."""
    groups = {g["path"]: g for g in MANIFEST["groups"] if g["store"] == store["name"]}
    arrays = {a["path"]: a for a in entries_of(store["name"])}
    with open_store_root(store) as root:
        assert isinstance(root, zarr5.Group)
        assert attrs_json(root.attrs) == store["root_attrs_json"]
        seen_groups, seen_arrays = {""}, set()
        root.visititems(lambda p, obj: (seen_arrays if isinstance(obj, zarr5.Array) else seen_groups).add(p))
        assert seen_groups == set(groups)
        assert seen_arrays == set(arrays)
        for path, g in groups.items():
            node = root[path] if path else root
            assert isinstance(node, zarr5.Group), path
            assert attrs_json(node.attrs) == g["attrs_json"], path
        for path, entry in arrays.items():
            assert_metadata(root[path], entry)
            assert_values(root[path][...], entry)


def test_nested_store_through_nested_directory_store() -> None:
    """Arrays of the NestedDirectoryStore fixture open through ``zarr5.NestedDirectoryStore`` too."""
    store = zarr5.NestedDirectoryStore(str(FIXTURES / "nested.zarr"))
    for entry in entries_of("nested.zarr"):
        arr = zarr5.open(store, mode="r", path=entry["path"])
        assert_metadata(arr, entry)
        assert_values(arr[...], entry)


def test_zip_opens_from_its_path() -> None:
    """As in zarr-python, a path ending in ``.zip`` opens as a ZipStore."""
    root = zarr5.open_group(str(FIXTURES / "store.zip"), mode="r")
    for entry in entries_of("store.zip"):
        assert_metadata(root[entry["path"]], entry)
        assert_values(root[entry["path"]][...], entry)


def test_open_consolidated() -> None:
    name = "hierarchy.zarr"
    root = zarr5.open_consolidated(str(FIXTURES / name), mode="r")
    assert isinstance(root, zarr5.Group)
    for g in MANIFEST["groups"]:
        if g["store"] == name:
            node = root[g["path"]] if g["path"] else root
            assert attrs_json(node.attrs) == g["attrs_json"], g["path"]
    for entry in entries_of(name):
        assert_metadata(root[entry["path"]], entry)
        assert_values(root[entry["path"]][...], entry)


def test_open_consolidated_reads_only_zmetadata(tmp_path: pathlib.Path) -> None:
    """With every .zarray/.zgroup/.zattrs deleted, ``open_consolidated`` still knows the hierarchy."""
    name = "hierarchy.zarr"
    copy = tmp_path / name
    shutil.copytree(FIXTURES / name, copy)
    removed = [p for p in copy.rglob(".z*") if p.name in (".zarray", ".zgroup", ".zattrs")]
    assert removed
    for p in removed:
        p.unlink()
    root = zarr5.open_consolidated(str(copy), mode="r")
    assert attrs_json(root.attrs) == next(s for s in STORES if s["name"] == name)["root_attrs_json"]
    for entry in entries_of(name):
        assert_metadata(root[entry["path"]], entry)
        assert_values(root[entry["path"]][...], entry)


def test_fixtures_cover_the_zarr_v2_surface() -> None:
    """Guard against a regeneration that silently drops a dtype, codec or layout."""
    dtypes = {a["dtype"] for a in ARRAYS if isinstance(a["dtype"], str)}
    for dt in ["|b1", "|i1", "|u1", "|S5", "<U7", ">U7", "|V4", "|O", "<M8[D]", "<M8[ns]", "<M8[s]",
               "<m8[ms]", "<f2", ">f2", "<f4", ">f4", "<f8", ">f8", "<c8", ">c8", "<c16", ">c16"]:
        assert dt in dtypes, dt
    for size in (2, 4, 8):
        for kind in "iu":
            assert {f"<{kind}{size}", f">{kind}{size}"} <= dtypes
    structured = [decode_dtype(a["dtype"]) for a in ARRAYS if not isinstance(a["dtype"], str)]
    assert any(any(dt[n].fields for n in dt.names) for dt in structured), "nested structured dtype"
    assert any(any(dt[n].subdtype for n in dt.names) for dt in structured), "sub-array field"
    compressors = {(a["compressor"] or {}).get("id") for a in ARRAYS}
    assert {"blosc", "zlib", "gzip", "bz2", "lzma", "zstd", "lz4", None} <= compressors
    filters = {f["id"] for a in ARRAYS for f in a["filters"] or []}
    assert {"delta", "fixedscaleoffset", "quantize", "astype", "packbits", "categorize", "vlen-utf8",
            "vlen-bytes", "vlen-array", "json2", "msgpack2"} <= filters
    assert {a["order"] for a in ARRAYS} == {"C", "F"}
    assert {a["dimension_separator"] for a in ARRAYS} == {None, ".", "/"}
    assert {s["type"] for s in STORES} == {"directory", "nested", "zip"}
    assert any(s["consolidated"] for s in STORES)
    assert any(a["shape"] == [] for a in ARRAYS) and any(0 in a["shape"] for a in ARRAYS)
    assert any(a["fill_value"] is None for a in ARRAYS)
    string_fills = {a["fill_value"] for a in ARRAYS if isinstance(a["fill_value"], str)}
    assert {"NaN", "Infinity", "-Infinity"} <= string_fills
