"""Hostile and mistaken input through the public API: each a clear exception, nothing stored damaged.

Extends tests/core/test_bad_input.py (which covers one case of each kind) to every open path, every
truncation of every metadata document, every kind of read-only object and every way of writing the
wrong shape. Each refusal is checked against a snapshot of the store taken before the call.
"""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import numcodecs
import numpy as np
import pytest

import zarr5
import zarr5.hierarchy
from zarr5.errors import (
    ContainsArrayError,
    CorruptChunkError,
    InvalidKeyError,
    MetadataError,
    ReadOnlyError,
)
from zarr5.storage import MemoryStore


def _hierarchy() -> MemoryStore:
    store = MemoryStore()
    root = zarr5.group(store)
    root.attrs["title"] = "root"
    z = root.zeros("grp/arr", shape=(10, 10), chunks=(4, 4), dtype="i4")
    z[...] = np.arange(100).reshape(10, 10)
    z.attrs["units"] = "m"
    zarr5.consolidate_metadata(store)
    return store


def _unchanged(store: Any, snapshot: dict) -> None:
    assert dict(store) == snapshot, "a failed call changed the store"


# ------------------------------------------------------------------------------------------------
# corrupt and truncated chunks

CODECS = {"blosc": numcodecs.Blosc(), "zlib": numcodecs.Zlib(1), "gzip": numcodecs.GZip(1),
          "bz2": numcodecs.BZ2(1), "lzma": numcodecs.LZMA(), "lz4": numcodecs.LZ4(),
          "zstd": numcodecs.Zstd(1), "none": None}


@pytest.mark.parametrize("codec", CODECS, ids=list(CODECS))
def test_every_truncation_of_a_chunk_is_a_corrupt_chunk_error(codec):
    store = MemoryStore()
    z = zarr5.array(np.arange(64, dtype="<f8").reshape(8, 8), chunks=(4, 4), compressor=CODECS[codec],
                    store=store, path="x")
    whole = store["x/1.0"]
    for cut in range(len(whole)):
        store["x/1.0"] = whole[:cut]
        with pytest.raises(CorruptChunkError, match=r"'x/1\.0'"):
            z[5, 1]
        assert z[0, 0] == 0 and z[7, 7] == 63  # the other chunks still read
    if codec in ("blosc", "none"):
        # these record or imply their length, so padding is caught too (stream codecs ignore a tail)
        store["x/1.0"] = whole + b"\x00"
        with pytest.raises(CorruptChunkError, match=r"'x/1\.0'"):
            z[4:, :4]


def test_partial_write_into_a_corrupt_chunk_fails_and_leaves_it(tmp_path):
    z = zarr5.zeros((8, 8), chunks=(4, 4), dtype="i4", store=str(tmp_path / "c.zarr"))
    z[...] = 1
    (tmp_path / "c.zarr" / "0.0").write_bytes(b"garbage")
    snapshot = dict(z.store)
    with pytest.raises(CorruptChunkError, match=r"'0\.0'"):
        z[1:3, 1:3] = 5  # the merge needs the old chunk, which cannot be read
    _unchanged(z.store, snapshot)
    z[:4, :4] = 7  # a write that replaces the whole chunk needs no read: the way to repair it
    assert (z[...] == np.where(np.add.outer(np.arange(8), 0) < 4, 0, 0) + np.pad(
        np.full((4, 4), 7), ((0, 4), (0, 4)), constant_values=1)).all()


OBJECT_BOMBS = {
    # 12 bytes claiming 2**28 strings: decoding would allocate (and fill) a 2 GiB object array
    "vlen-utf8": (numcodecs.VLenUTF8(), (2**28).to_bytes(4, "little") + b"\x00" * 8),
    "vlen-bytes": (numcodecs.VLenBytes(), (2**28).to_bytes(4, "little") + b"\x00" * 8),
    "vlen-array": (numcodecs.VLenArray("<i4"), (2**28).to_bytes(4, "little") + b"\x00" * 8),
    # a JSON / MsgPack payload whose recorded shape is 2**28 items
    "json2": (numcodecs.JSON(), json.dumps(["a", "|O", [2**28]]).encode()),
    "msgpack2": (numcodecs.MsgPack(), b"\x93\xa1a\xa2|O\x91\xce\x10\x00\x00\x00"),
}


@pytest.mark.parametrize("name", OBJECT_BOMBS, ids=list(OBJECT_BOMBS))
def test_object_chunks_claiming_huge_counts_are_refused_before_allocating(name):
    codec, payload = OBJECT_BOMBS[name]
    store = MemoryStore()
    z = zarr5.empty(4, chunks=2, dtype=object, object_codec=codec, compressor=None, store=store)
    store["1"] = payload
    tracemalloc.start()
    try:
        with pytest.raises(CorruptChunkError, match="'1'"):
            z[:]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20, f"decoding a {len(payload)}-byte chunk allocated {peak} bytes"


# ------------------------------------------------------------------------------------------------
# malformed and truncated metadata documents

OPENERS: dict[str, Callable[[MemoryStore], Any]] = {
    "open_array": lambda s: zarr5.open_array(s, mode="r", path="grp/arr"),
    "open": lambda s: zarr5.open(s, mode="r", path="grp/arr")[...],
    "open_group": lambda s: zarr5.open_group(s, mode="r")["grp"]["arr"][...],
    "getitem path": lambda s: zarr5.open_group(s, mode="r+")["grp/arr"][...],
    "load": lambda s: zarr5.load(s, path="grp/arr"),
    "tree": lambda s: str(zarr5.open_group(s, mode="r").tree()),
}

# for each document: the calls that must read it, so must refuse it when it is damaged
READERS: dict[str, list[Callable[[MemoryStore], Any]]] = {
    ".zgroup": [lambda s: zarr5.open_group(s, mode="r"), lambda s: zarr5.open(s, mode="r"),
                lambda s: zarr5.group(s), lambda s: zarr5.load(s)],
    "grp/.zgroup": [lambda s: zarr5.open_group(s, mode="r", path="grp"), lambda s: zarr5.open(s, path="grp"),
                    lambda s: zarr5.open_group(s, mode="r")["grp"],
                    lambda s: zarr5.open_group(s, mode="r").grp,
                    lambda s: str(zarr5.open_group(s, mode="r").tree())],
    "grp/arr/.zarray": list(OPENERS.values()),
    ".zattrs": [lambda s: zarr5.open_group(s, mode="r").attrs.asdict(),
                lambda s: zarr5.open_group(s, mode="r+").attrs.__setitem__("new", 1)],
    "grp/arr/.zattrs": [lambda s: dict(zarr5.open_array(s, mode="r", path="grp/arr").attrs),
                        lambda s: zarr5.open_group(s, mode="r")["grp/arr"].attrs["units"],
                        lambda s: zarr5.open_array(s, mode="r+", path="grp/arr").attrs.update(new=1)],
}


@pytest.mark.parametrize("key", READERS)
def test_every_truncation_of_a_metadata_document_is_a_metadata_error(key):
    store = _hierarchy()
    store["grp/.zattrs"] = b'{"ok": true}'
    whole = store[key]
    for cut in range(len(whole)):
        store[key] = whole[:cut]
        snapshot = dict(store)
        for reader in READERS[key]:
            with pytest.raises(MetadataError, match=key.replace(".", r"\.")):
                reader(store)
        # nothing was written, not even by the attribute updates that could not read the document
        _unchanged(store, snapshot)
        if key != "grp/arr/.zarray":
            assert zarr5.open_array(store, mode="r", path="grp/arr")[0, 1] == 1  # the data still read


def test_every_truncation_of_consolidated_metadata_is_a_metadata_error():
    store = _hierarchy()
    whole = store[".zmetadata"]
    for cut in range(0, len(whole), 7):
        store[".zmetadata"] = whole[:cut]
        with pytest.raises(MetadataError, match=r"\.zmetadata"):
            zarr5.open_consolidated(store)


@pytest.mark.parametrize("doc, field", [
    ({"zarr_consolidated_format": 1, "metadata": []}, "metadata"),
    ({"zarr_consolidated_format": 2, "metadata": {}}, "format"),
    ({"metadata": {}}, "format"),
    ([], "JSON object"),
    ({"zarr_consolidated_format": 1, "metadata": {"../up/.zarray": {}}}, "invalid key"),
    ({"zarr_consolidated_format": 1, "metadata": {"a\\b/.zgroup": {}}}, "invalid key"),
    ({"zarr_consolidated_format": 1, "metadata": {".zgroup": 5}}, "JSON object"),
    ({"zarr_consolidated_format": 1, "metadata": {".zgroup": {"zarr_format": 3}}}, "zarr_format"),
])
def test_malformed_consolidated_documents(doc, field):
    store = _hierarchy()
    store[".zmetadata"] = json.dumps(doc).encode()
    with pytest.raises(MetadataError, match=field):
        zarr5.open_consolidated(store)


ZARRAY_DEFECTS = {
    "negative shape": ({"shape": [-10, 10]}, "negative"),
    "shape beyond numpy": ({"shape": [2**63, 10]}, "shape"),
    "shape of strings": ({"shape": ["10", "10"]}, "shape"),
    "shape not a list": ({"shape": 10}, "shape"),
    "zero chunks": ({"chunks": [0, 4]}, "chunks"),
    "negative chunks": ({"chunks": [-4, 4]}, "chunks"),
    "chunks beyond numpy": ({"chunks": [2**64, 4]}, "chunks"),
    "chunks of floats": ({"chunks": [4.0, 4]}, "chunks"),
    "chunks of wrong length": ({"chunks": [4]}, "chunks"),
    "unknown dtype": ({"dtype": "<x4"}, "dtype"),
    "dtype of wrong type": ({"dtype": 4}, "dtype"),
    "empty dtype": ({"dtype": ""}, "dtype"),
    "unknown compressor id": ({"compressor": {"id": "snappy-from-mars"}}, "snappy-from-mars"),
    "compressor without id": ({"compressor": {"level": 1}}, "compressor"),
    "compressor of wrong type": ({"compressor": "zlib"}, "compressor"),
    "invalid compressor setting": ({"compressor": {"id": "zlib", "levle": 1}}, "zlib"),
    "blosc shuffle out of range": ({"compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 7,
                                                   "blocksize": 0}}, "blosc"),
    "unknown filter id": ({"filters": [{"id": "nope"}]}, "nope"),
    "filters of wrong type": ({"filters": {"id": "delta"}}, "filters"),
    "fill value of wrong type": ({"fill_value": "lots"}, "fill_value"),
    "fill value list": ({"fill_value": [1, 2]}, "fill_value"),
    "order": ({"order": "K"}, "order"),
    "zarr_format 3": ({"zarr_format": 3}, "zarr_format"),
    "zarr_format string": ({"zarr_format": "2"}, "zarr_format"),
    "dimension separator": ({"dimension_separator": "|"}, "dimension_separator"),
    "missing dtype": ({"dtype": None}, "dtype"),
}


@pytest.mark.parametrize("defect", ZARRAY_DEFECTS, ids=list(ZARRAY_DEFECTS))
@pytest.mark.parametrize("opener", [k for k in OPENERS if k != "tree"])
def test_impossible_array_metadata_names_key_and_field(defect, opener):
    store = _hierarchy()
    doc = json.loads(store["grp/arr/.zarray"])
    change, field = ZARRAY_DEFECTS[defect]
    doc.update(change)
    doc = {k: v for k, v in doc.items() if v is not None}
    store["grp/arr/.zarray"] = json.dumps(doc).encode()
    snapshot = dict(store)
    with pytest.raises(MetadataError, match=rf"grp/arr/\.zarray.*{field}|{field}.*grp/arr/\.zarray"):
        OPENERS[opener](store)
    _unchanged(store, snapshot)


def test_bad_member_metadata_does_not_hide_as_attribute_error():
    store = _hierarchy()
    store["grp/arr/.zarray"] = b"{"
    root = zarr5.open_group(store, mode="r")
    with pytest.raises(MetadataError, match=r"grp/arr/\.zarray"):
        root.grp.arr  # noqa: B018 - attribute access is the call under test
    assert not hasattr(root, "no_such_member")


@pytest.mark.parametrize("doc", [b"", b"{", b"[]", b"null", b'{"zarr_format": 3}', b'{"zarr_format": "2"}',
                                 b"{}", b"\xff\xfe"])
def test_malformed_zgroup_is_refused_on_every_path(doc):
    store = _hierarchy()
    store["grp/.zgroup"] = doc
    for open_ in (lambda: zarr5.open_group(store, mode="r", path="grp"),
                  lambda: zarr5.open(store, mode="r", path="grp"),
                  lambda: zarr5.open_group(store, mode="r")["grp"],
                  lambda: zarr5.group(store, path="grp"),
                  lambda: zarr5.hierarchy.Group(store, "grp")):
        with pytest.raises(MetadataError, match=r"grp/\.zgroup"):
            open_()


# ------------------------------------------------------------------------------------------------
# keys and member names that would escape the store

# ("a//b" escapes nothing: member names collapse runs of '/', as zarr 2 reads them; tests/core/test_bad_input)
BAD_NAMES = ["..", "../x", "a/../../x", "/../x", "a\\b", "\\x", "a\x00b", "./a", "a/./b", "a/b/.."]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_escaping_member_names_are_refused_everywhere(tmp_path, name):
    path = str(tmp_path / "s.zarr")
    root = zarr5.open_group(path, mode="w")
    root.zeros("a/b", shape=4)
    snapshot = dict(root.store)
    attempts = [
        lambda: root[name], lambda: root.zeros(name, shape=2), lambda: root.create_group(name),
        lambda: root.require_group(name), lambda: root.create_dataset(name, shape=2),
        lambda: root.require_dataset(name, shape=2), lambda: root.array(name, [1, 2]),
        lambda: root.__setitem__(name, [1, 2]), lambda: root.__delitem__(name), lambda: root.move("a", name),
        lambda: root.move(name, "c"), lambda: zarr5.open_array(path, mode="a", path=name, shape=2),
        lambda: zarr5.open_group(path, mode="a", path=name), lambda: zarr5.open(path, mode="a", path=name),
        lambda: zarr5.zeros(2, store=path, path=name), lambda: zarr5.group(path, path=name),
        lambda: zarr5.save_array(path, np.arange(2), path=name),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidKeyError):
            attempt()
    assert name not in root
    _unchanged(root.store, snapshot)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.zarr"]  # nothing written beside the store


def test_hostile_names_listed_by_a_store_are_refused_not_followed(tmp_path):
    # a mapping (or zip file) from elsewhere may list names that escape; walking it refuses them
    hostile = {".zgroup": b'{"zarr_format": 2}', "../evil/.zgroup": b'{"zarr_format": 2}'}
    root = zarr5.open_group(hostile, mode="r")
    with pytest.raises(InvalidKeyError, match=r"'\.\.'"):
        list(root)
    zip_path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(zip_path, "w") as zf:
        zf.writestr(".zgroup", b'{"zarr_format": 2}')
        zf.writestr("../evil/.zgroup", b'{"zarr_format": 2}')
    with pytest.raises(InvalidKeyError):
        str(zarr5.open_group(str(zip_path), mode="r").tree())
    # copying the raw keys into a directory store stops at the first escaping key
    with pytest.raises(InvalidKeyError):
        zarr5.copy_store(hostile, zarr5.DirectoryStore(tmp_path / "dest" / "s.zarr"))
    assert not (tmp_path / "dest" / "evil").exists() and not (tmp_path / "evil").exists()


# ------------------------------------------------------------------------------------------------
# writes to read-only stores, arrays and groups


def _read_only_views(tmp_path) -> dict[str, tuple[Any, Any]]:
    """(label -> (object opened read-only, its store)) over one hierarchy on disk."""
    path = str(tmp_path / "ro.zarr")
    root = zarr5.open_group(path, mode="w")
    root.attrs["k"] = 1
    root.zeros("arr", shape=(6, 6), chunks=(4, 4), dtype="i4")[...] = 3
    zarr5.consolidate_metadata(path)
    ro_store = zarr5.DirectoryStore(path, read_only=True)
    return {
        "open_group r": zarr5.open_group(path, mode="r"),
        "open r": zarr5.open(path, mode="r"),
        "read-only store": zarr5.open_group(ro_store, mode="r+"),
        "consolidated r": zarr5.open_consolidated(path, mode="r"),
    }


GROUP_WRITES: dict[str, Callable[[Any], Any]] = {
    "attrs set": lambda g: g.attrs.__setitem__("x", 1),
    "attrs update": lambda g: g.attrs.update(x=1),
    "attrs put": lambda g: g.attrs.put({}),
    "attrs del": lambda g: g.attrs.__delitem__("k"),
    "create_group": lambda g: g.create_group("new"),
    "require_group": lambda g: g.require_group("new"),
    "zeros": lambda g: g.zeros("new", shape=2),
    "create_dataset": lambda g: g.create_dataset("new", data=[1, 2]),
    "setitem": lambda g: g.__setitem__("new", [1]),
    "delitem": lambda g: g.__delitem__("arr"),
    "move": lambda g: g.move("arr", "moved"),
    "member write": lambda g: g["arr"].__setitem__((0, 0), 9),
    "member fill": lambda g: g["arr"].__setitem__(..., 9),
    "member attrs": lambda g: g["arr"].attrs.__setitem__("x", 1),
    "member resize": lambda g: g["arr"].resize(8, 8),
    "member append": lambda g: g["arr"].append(np.zeros((1, 6), dtype="i4")),
    "member fill_value": lambda g: setattr(g["arr"], "fill_value", 5),
    "member oindex": lambda g: g["arr"].oindex.__setitem__(([0], [0]), 1),
    "member vindex": lambda g: g["arr"].vindex.__setitem__(([0], [0]), 1),
}


@pytest.mark.parametrize("write", GROUP_WRITES, ids=list(GROUP_WRITES))
def test_writes_through_read_only_objects_are_refused(tmp_path, write):
    views = _read_only_views(tmp_path)
    disk = zarr5.DirectoryStore(tmp_path / "ro.zarr")
    snapshot = dict(disk)
    for view in views.values():
        with pytest.raises(ReadOnlyError):
            GROUP_WRITES[write](view)
        _unchanged(disk, snapshot)


def test_consolidated_metadata_refuse_metadata_writes_even_in_r_plus(tmp_path):
    _read_only_views(tmp_path)
    root = zarr5.open_consolidated(str(tmp_path / "ro.zarr"), mode="r+")
    disk = zarr5.DirectoryStore(tmp_path / "ro.zarr")
    snapshot = dict(disk)
    for write in ("attrs set", "create_group", "member attrs", "member resize"):
        with pytest.raises(ReadOnlyError):
            GROUP_WRITES[write](root)
    _unchanged(disk, snapshot)


def test_read_only_zip_store(tmp_path):
    path = str(tmp_path / "z.zip")
    with zarr5.ZipStore(path, mode="w") as store:
        zarr5.group(store).zeros("a", shape=4, chunks=2)
    with zarr5.ZipStore(path, mode="r") as store:
        z = zarr5.open_array(store, mode="r+", path="a")
        with pytest.raises(ReadOnlyError):
            z[0] = 1
        with pytest.raises(ReadOnlyError):
            z.attrs["a"] = 1
        with pytest.raises(ReadOnlyError):
            zarr5.zeros(4, store=store, path="b")


# ------------------------------------------------------------------------------------------------
# writes of the wrong shape

WRONG_SHAPES: dict[str, Callable[[zarr5.Array], Any]] = {
    "basic": lambda z: z.__setitem__((slice(0, 3), slice(0, 3)), np.ones((2, 3))),
    "basic too many": lambda z: z.__setitem__(slice(None), np.ones((10, 10, 2))),
    "set_basic_selection": lambda z: z.set_basic_selection((slice(0, 2), 1), np.ones(3)),
    "orthogonal": lambda z: z.oindex.__setitem__(([0, 2], [1, 2, 3]), np.ones((3, 2))),
    "set_orthogonal_selection": lambda z: z.set_orthogonal_selection(([0], slice(None)), np.ones(9)),
    "coordinate": lambda z: z.vindex.__setitem__(([0, 1], [2, 3]), np.ones(3)),
    "set_coordinate_selection": lambda z: z.set_coordinate_selection(([0, 1], [2, 3]), [1, 2, 3]),
    "mask of wrong shape": lambda z: z.vindex.__setitem__(np.ones((3, 3), dtype=bool), 1),
    "mask values": lambda z: z.set_mask_selection(np.eye(10, dtype=bool), np.ones(9)),
    "block": lambda z: z.blocks.__setitem__((0, 0), np.ones((3, 3))),
    "append ndim": lambda z: z.append(np.ones(10)),
    "append other axis": lambda z: z.append(np.ones((2, 9))),
    "append axis out of range": lambda z: z.append(np.ones((10, 10)), axis=2),
    "resize ndim": lambda z: z.resize(5),
}


@pytest.mark.parametrize("write", WRONG_SHAPES, ids=list(WRONG_SHAPES))
def test_wrong_shape_writes_name_the_shapes_and_change_nothing(write):
    store = MemoryStore()
    z = zarr5.array(np.arange(100).reshape(10, 10), chunks=(4, 4), store=store)
    snapshot = dict(store)
    with pytest.raises((ValueError, IndexError)) as info:
        WRONG_SHAPES[write](z)
    assert any(c.isdigit() for c in str(info.value)), f"the message names no shape: {info.value}"
    _unchanged(store, snapshot)
    assert z.shape == (10, 10)


# ------------------------------------------------------------------------------------------------
# attribute values JSON cannot hold

circular: list = []
circular.append(circular)
BAD_ATTRS = {"set": {1, 2}, "bytes": b"raw", "object": object(), "complex": 1j,
             "datetime": np.datetime64("2020-01-01"), "tuple keys": {(1, 2): 3},
             "nested set": [1, {"a": {2}}], "circular": circular, "function": len,
             "complex array": np.ones(2, dtype=complex)}


@pytest.mark.parametrize("value", BAD_ATTRS.values(), ids=list(BAD_ATTRS))
def test_attribute_values_json_cannot_hold_are_type_errors(value):
    store = MemoryStore()
    root = zarr5.group(store)
    z = root.zeros("a", shape=3)
    for node in (root, z):
        node.attrs["ok"] = 1
    snapshot = dict(store)
    for node in (root, z):
        attrs = node.attrs
        for write in (lambda: attrs.__setitem__("bad", value), lambda: attrs.update(ok=2, bad=value),  # noqa: B023
                      lambda: attrs.put({"bad": value})):  # noqa: B023 - each lambda runs inside the loop
            with pytest.raises(TypeError, match="bad|JSON"):
                write()
        assert attrs.asdict() == {"ok": 1}
    _unchanged(store, snapshot)


def test_attribute_names_that_are_not_strings_warn_and_are_stored_as_their_str():
    # zarr 2's rule (zarr 2.18 warns that it will refuse them one day): the name is stored as str(name)
    z = zarr5.zeros(3)
    z.attrs["kept"] = 0
    for name in (1, None, b"x", ("a",)):
        with pytest.warns(DeprecationWarning, match="only attribute keys of type 'string'"):
            z.attrs[name] = 1
    with pytest.warns(DeprecationWarning, match=repr(str(2.5))):
        z.attrs.update({2.5: 2})
    assert z.attrs.asdict() == {"kept": 0, "1": 1, "None": 1, "b'x'": 1, "('a',)": 1, "2.5": 2}


def test_values_json_can_hold_are_kept():
    z = zarr5.zeros(3)
    z.attrs.update(nan=float("nan"), inf=float("inf"), big=2**80, arr=np.arange(3), f32=np.float32(1.5),
                   nested={"a": [1, None, True]})
    again = zarr5.open_array(z.store, mode="r").attrs
    assert np.isnan(again["nan"]) and again["inf"] == float("inf") and again["big"] == 2**80
    assert again["arr"] == [0, 1, 2] and again["f32"] == 1.5 and again["nested"] == {"a": [1, None, True]}


def test_group_of_an_array_path_is_contains_array_error():
    store = _hierarchy()
    with pytest.raises(ContainsArrayError, match="grp/arr"):
        zarr5.open_group(store, mode="r", path="grp/arr")


def test_huge_virtual_arrays_report_exact_sizes():
    # metadata may describe far more elements than fit in int64; sizes must not wrap around
    z = zarr5.zeros((2**40, 2**40), chunks=(2**20, 2**20), dtype="i1", compressor=None)
    assert z.size == 2**80 and z.nbytes == 2**80 and z.nchunks == 2**40
    assert "1099511627776" in repr(z.info) and z[2**40 - 1, :2].tolist() == [0, 0]
