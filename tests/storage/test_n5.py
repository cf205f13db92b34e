"""N5Store: the store contract, the N5 layout on disk, the block codec, and interop with zarr-python 2.18."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import pickle
import struct
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numcodecs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numcodecs.compat import ensure_ndarray_like

import zarr5
from zarr5.codecs.n5 import N5ChunkWrapper
from zarr5.errors import CorruptChunkError, InvalidKeyError, MetadataError, ReadOnlyError, UnsafeCodecError
from zarr5.storage import N5Store, normalize_store_arg
from zarr5.storage.n5 import compressor_to_n5, compressor_to_zarr

from . import contract
from .contract import StoreContract

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import zarr  # zarr-python 2.18.7, the reference implementation
    from zarr.n5 import N5ChunkWrapper as ZarrN5ChunkWrapper
    from zarr.n5 import N5Store as ZarrN5Store

pytestmark = pytest.mark.filterwarnings("ignore:The N5Store is deprecated:FutureWarning")


def _doc(obj: Any) -> bytes:
    # how both zarr-python 2.18 and N5Store format the documents they return
    return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=True, separators=(",", ": ")).encode()


GROUP_DOC = _doc({"zarr_format": 2})
ARRAY_DOC = _doc({
    "zarr_format": 2, "shape": [16], "chunks": [8], "dtype": "|u1", "fill_value": 0, "order": "C",
    "filters": None, "dimension_separator": ".",
    "compressor": {"id": "n5_wrapper", "compressor_config": None, "dtype": "|u1", "chunk_shape": [8]},
})
# the contract's tree with metadata N5 can hold ('{}' is no .zarray), in the form the store reads back
N5_TREE = {**contract.TREE, ".zgroup": GROUP_DOC, "a/.zgroup": GROUP_DOC, "a/b/.zarray": ARRAY_DOC}


@contextlib.contextmanager
def codec_of(cls: type) -> Iterator[None]:
    """Make ``cls`` the numcodecs 'n5_wrapper' while the block: each library then decodes with its own."""
    registry = numcodecs.registry.codec_registry
    old = registry.get("n5_wrapper")
    registry["n5_wrapper"] = cls
    try:
        yield
    finally:
        registry["n5_wrapper"] = old


@pytest.fixture(autouse=True)
def _zarr5_codec() -> Iterator[None]:
    # importing zarr-python registers its wrapper over ours; zarr5's side of every test uses zarr5's
    with codec_of(N5ChunkWrapper):
        yield


def _files(root: str) -> dict[str, bytes]:
    found = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            found[os.path.relpath(path, root).replace(os.sep, "/")] = Path(path).read_bytes()
    return found


def _attributes(root: str, node: str = "") -> dict:
    return json.loads(Path(root, node, "attributes.json").read_bytes())


# the contract ------------------------------------------------------------------------------------------


class TestN5Store(StoreContract):
    """The contract, run over a tree whose metadata documents N5 can hold.

    N5 keeps a node's ``.zarray``/``.zgroup``/``.zattrs`` in one ``attributes.json``, so the contract's
    ``'a/b/.zarray': b'{}'`` cannot be stored (it is no array) and documents read back in one canonical
    form. Every contract test therefore runs over ``N5_TREE``: the same keys, with metadata values
    given in that form. Two tests are replaced, see their docstrings.
    """

    @pytest.fixture
    def store(self, tmp_path: Path) -> N5Store:
        return N5Store(tmp_path / "store.n5")

    @pytest.fixture(autouse=True)
    def _n5_tree(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(contract, "TREE", N5_TREE)

    def _fill(self, store: zarr5.storage.Store, tree: dict[str, bytes] | None = None) -> None:
        super()._fill(store, N5_TREE if tree is None else tree)

    def reopen(self, store: N5Store) -> N5Store:
        store.close()
        return N5Store(store.path)

    def open_read_only(self, store: N5Store) -> N5Store:
        return N5Store(store.path, read_only=True)

    def test_getsize(self, store: N5Store) -> None:
        """Sizes are bytes on disk: a metadata key's size is its node's whole attributes.json."""
        self._fill(store)
        on_disk = _files(store.path)
        array_doc = len(on_disk["a/b/attributes.json"])
        assert store.getsize("a/c") == 100
        assert store.getsize("a/b/.zarray") == array_doc
        assert store.getsize("a/b") == array_doc + 8 + 9
        # one level, as zarr-2 counts: the files directly in the node's directory
        assert store.getsize("a") == len(on_disk["a/attributes.json"]) + 100
        assert store.getsize() == len(on_disk["attributes.json"])
        assert store.getsize("missing") == 0

    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors])
    @given(keys=st.sets(st.lists(st.sampled_from(["a", "b", "c", "0", "x.1", "x y", "é"]), min_size=1,
                                 max_size=4).map("/".join), max_size=8))
    def test_listdir_matches_model(self, store: N5Store, keys: set[str]) -> None:
        """The contract's model, without '.zarray' segments: their values here are no array metadata."""
        store.clear()
        keys = {k for k in keys if not any(o.startswith(k + "/") for o in keys)}
        store.set_many({k: k.encode() for k in keys})
        assert sorted(store) == sorted(keys)
        for path in {""} | {k.rsplit("/", 1)[0] for k in keys if "/" in k}:
            assert store.listdir(path) == contract._model_listdir(keys, path), path


# layout on disk ----------------------------------------------------------------------------------------


def test_layout_on_disk(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "c.n5")
    root = zarr5.group(store=store)
    root.attrs["title"] = "demo"
    z = root.zeros("g/arr", shape=(5, 7, 2), chunks=(2, 3, 2), dtype="u2", compressor=None)
    z[:] = np.arange(70, dtype="u2").reshape(5, 7, 2)
    z.attrs["unit"] = "nm"
    files = _files(store.path)
    assert _attributes(store.path) == {"n5": "2.0.0", "title": "demo"}
    assert _attributes(store.path, "g") == {}  # the version lives at the root only
    assert _attributes(store.path, "g/arr") == {
        "dimensions": [2, 7, 5], "blockSize": [2, 3, 2], "dataType": "uint16",
        "compression": {"type": "raw"}, "unit": "nm"}
    # chunk (i, j, k) is file k/j/i: reversed axes, nested directories
    assert sorted(k for k in files if k.startswith("g/arr/") and "attributes" not in k) == sorted(
        f"g/arr/{k}/{j}/{i}" for i in range(3) for j in range(3) for k in range(1))
    block = files["g/arr/0/2/1"]  # chunk (1, 2, 0): rows 2-3, columns 6-8 (one inside), both planes
    assert struct.unpack(">HHIII", block[:16]) == (0, 3, 2, 3, 2)
    expected = np.zeros((2, 3, 2), ">u2")
    expected[:, :1] = z[2:4, 6:7]
    assert block[16:] == expected.tobytes()  # big-endian, C order, the whole chunk
    # the Zarr view never shows attributes.json
    assert store.listdir() == [".zattrs", ".zgroup", "g"]
    assert store.listdir("g") == [".zgroup", "arr"]
    assert store.listdir("g/arr")[:4] == [".zarray", ".zattrs", "0.0.0", "0.1.0"]
    assert "g/arr/1.2.0" in store and "g/arr/0/2/1" in store
    assert json.loads(store["g/arr/.zattrs"]) == {"unit": "nm"}
    assert store.list_prefix("g") == sorted(store.list_prefix("g"))
    assert len(store) == len(files) + 2  # root and g/arr each have .zattrs beside their document


def test_metadata_documents_read_back(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "c.n5")
    z = zarr5.zeros((10, 3), chunks=(4, 2), dtype=">f8", store=store, path="x", compressor=numcodecs.Zlib(3))
    meta = json.loads(store["x/.zarray"])
    assert meta == {
        "zarr_format": 2, "shape": [10, 3], "chunks": [4, 2], "dtype": "<f8", "fill_value": 0, "order": "C",
        "filters": None, "dimension_separator": ".",
        "compressor": {"id": "n5_wrapper", "compressor_config": {"id": "zlib", "level": 3}, "dtype": "<f8",
                       "chunk_shape": [4, 2]}}
    assert type(z.compressor) is N5ChunkWrapper and z.dtype == np.dtype("<f8")
    assert store["x/.zarray"] == _doc(meta) and store[".zgroup"] == GROUP_DOC
    assert "x/.zattrs" not in store and ".zarray" not in store and "x/.zgroup" not in store
    with pytest.raises(KeyError):
        store["x/.zattrs"]
    # the engine writes back the document it read (resize): the wrapper is peeled off again
    z.resize(12, 3)
    assert _attributes(store.path, "x")["compression"] == {"type": "gzip", "level": 3, "useZlib": True}
    assert _attributes(store.path, "x")["dimensions"] == [3, 12]


def test_attributes_and_node_documents_share_a_file(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "c.n5")
    z = zarr5.zeros(4, chunks=2, dtype="i1", store=store, path="a")
    z.attrs.update(b=[1, 2], c={"d": None})
    z.attrs["nan"] = float("nan")
    assert set(z.attrs) == {"b", "c", "nan"} and np.isnan(zarr5.open_array(store, path="a").attrs["nan"])
    del z.attrs["b"]
    doc = _attributes(store.path, "a")
    assert "b" not in doc and doc["c"] == {"d": None} and doc["dataType"] == "int8"
    del store["a/.zattrs"]  # only the user attributes go
    assert "a/.zattrs" not in store and "a/.zarray" in store
    with pytest.raises(KeyError):
        del store["a/.zattrs"]
    store["a/.zattrs"] = b"{}"  # empty attributes: nothing to add
    assert "a/.zattrs" not in store
    # a .zgroup written over an array turns it into a group and keeps its attributes
    store["a/.zattrs"] = b'{"k": 1}'
    store["a/.zgroup"] = GROUP_DOC
    assert _attributes(store.path, "a") == {"k": 1}
    assert "a/.zarray" not in store and "a/.zgroup" in store
    del store["a/.zgroup"]  # a node's attributes live in its document, so they go with it
    assert not os.path.exists(os.path.join(store.path, "a"))
    with pytest.raises(KeyError):
        del store["a/.zarray"]
    # so does .zarray of a group, as in zarr 2 (N5 has one document per node, whatever it holds)
    store["a/.zgroup"] = GROUP_DOC
    del store["a/.zarray"]
    assert "a/.zgroup" not in store
    # the root keeps a version another N5 writer put there
    Path(store.path, "attributes.json").write_text('{"n5": "4.0.0"}')
    store[".zgroup"] = GROUP_DOC
    assert _attributes(store.path) == {"n5": "4.0.0"}


def test_concurrent_metadata_writes_lose_nothing(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "c.n5")
    zarr5.zeros(4, chunks=2, dtype="i4", store=store, path="a")
    meta = store["a/.zarray"]

    def write(i: int) -> None:
        for _ in range(20):
            if i % 2:
                store["a/.zarray"] = meta
            else:
                store.set_many({"a/.zattrs": json.dumps({"writer": i}).encode(), f"a/{i}": b"x"})

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    doc = _attributes(store.path, "a")
    assert doc["dimensions"] == [4] and doc["writer"] in (0, 2)
    assert not [n for n in os.listdir(os.path.join(store.path, "a")) if n.endswith(".partial")]


def test_normalize_keys_and_pickle(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "c.n5", normalize_keys=True)
    store["G/.ZGROUP"] = GROUP_DOC
    store["G/X/0.1"] = b"chunk"
    assert os.path.isfile(os.path.join(store.path, "g", "x", "1", "0"))
    assert "g/.zgroup" in store and store["g/x/0.1"] == b"chunk"
    copy = pickle.loads(pickle.dumps(store))
    assert type(copy) is N5Store and copy == store and copy["G/X/0.1"] == b"chunk"
    assert repr(store) == f"<zarr5.storage.N5Store: {store.path!r}>"


# refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"fill_value": 5}, "fill_value 5"),
    ({"fill_value": float("nan"), "dtype": "f4"}, "fill_value 'NaN'"),
    ({"order": "F"}, "C order"),
    ({"filters": [numcodecs.Delta("i4")]}, "no filters"),
    ({"dtype": "bool"}, "no dataType for dtype '|b1'"),
    ({"dtype": "c8"}, "no dataType"),
    ({"dtype": "U3"}, "no dataType"),
    ({"dimension_separator": "/"}, "dimension_separator '/'"),
])
def test_what_n5_cannot_hold_is_refused(tmp_path: Path, kwargs: dict, match: str) -> None:
    store = N5Store(tmp_path / "c.n5")
    kwargs = {"dtype": "i4", **kwargs}
    with pytest.raises(ValueError, match=match):
        zarr5.create((4, 4), chunks=(2, 2), store=store, path="a", **kwargs)
    assert "a/.zarray" not in store


def test_fill_value_can_only_stay_zero(tmp_path: Path) -> None:
    z = zarr5.empty((4,), chunks=2, dtype="f8", store=N5Store(tmp_path / "c.n5"), fill_value=None)
    assert z.fill_value == 0
    with pytest.raises(ValueError, match="fill_value 3"):
        z.fill_value = 3
    assert zarr5.open_array(z.store).fill_value == 0


def test_bad_keys_and_documents_refused(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "c.n5")
    store[".zgroup"] = GROUP_DOC
    for key in ["attributes.json/x", "attributes.json/attributes.json"]:
        with pytest.raises(InvalidKeyError, match="N5's metadata file"):
            store[key] = b"{}"
        with pytest.raises(InvalidKeyError):
            del store[key]
    # a node's own document may be named (zarr 2 allows it): it must be a JSON object
    for bad in [b"{", b"[]"]:
        with pytest.raises(MetadataError, match="a/attributes.json"):
            store["a/attributes.json"] = bad
        with pytest.raises(MetadataError, match="a/attributes.json"):
            store.set_many({"b/0": b"1", "a/attributes.json": bad})
    assert not os.path.exists(os.path.join(store.path, "a")) and "b/0" not in store
    # N5's own document reads under its name (zarr-2 code does that), but is never listed
    assert json.loads(store["attributes.json"]) == {"n5": "2.0.0"} and "attributes.json" in store
    assert "a/attributes.json" not in store and "attributes.json/x" not in store
    with pytest.raises(KeyError):
        store["a/attributes.json"]
    with pytest.raises(InvalidKeyError):
        store["attributes.json/x"]
    with pytest.raises(InvalidKeyError):
        store.listdir("attributes.json")
    assert list(store) == [".zgroup"]  # attributes.json is never listed
    for bad in ["{", "[]", '"x"']:
        with pytest.raises(MetadataError, match=r"a/\.zarray"):
            store["a/.zarray"] = bad.encode()
    with pytest.raises(MetadataError, match="zarr_format"):
        store["a/.zgroup"] = b'{"zarr_format": 3}'
    with pytest.raises(ValueError, match="'dimensions', 'n5' are N5 keywords"):
        store[".zattrs"] = b'{"n5": 1, "dimensions": [1], "fine": 2}'
    # a batch with one bad document writes nothing
    with pytest.raises(ValueError):
        store.set_many({"b/0": b"1", "b/.zattrs": b'{"compression": 1}'})
    assert list(store) == [".zgroup"]
    with pytest.raises(ValueError, match="only supports '.'"):
        N5Store(tmp_path / "d.n5", dimension_separator="/")
    assert N5Store(tmp_path / "d.n5", dimension_separator=None).dimension_separator == "."
    store = N5Store(tmp_path / "e.n5")
    store["a/attributes.json"] = b'{"foo": "bar"}'
    assert "a/.zgroup" in store and json.loads(store["a/.zattrs"]) == {"foo": "bar"}
    del store["a/attributes.json"]
    assert "a/.zgroup" not in store
    with pytest.raises(KeyError):
        del store["a/attributes.json"]


@pytest.mark.parametrize("name", [".zarray", ".zgroup", ".zattrs"])
def test_deleting_any_zarr_document_of_a_raw_document_removes_it(tmp_path: Path, name: str) -> None:
    # zarr 2's N5Store test: a node's document written as such goes with any of its Zarr documents
    store = N5Store(tmp_path / "c.n5")
    store["attributes.json"] = b'{"foo": "bar"}'
    del store[name]
    assert "attributes.json" not in store and list(store) == []


def test_corrupt_attributes_json_is_named(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "c.n5")
    zarr5.zeros(4, chunks=2, store=store, path="a")
    bad = Path(store.path, "a", "attributes.json")
    bad.write_text('{"dimensions": [4], ')
    for probe in [lambda: store["a/.zarray"], lambda: "a/.zarray" in store, lambda: list(store),
                  lambda: zarr5.open_array(store, path="a")]:
        with pytest.raises(MetadataError, match="attributes.json"):
            probe()
    bad.write_text('{"dimensions": [4], "blockSize": [2], "dataType": "object"}')
    with pytest.raises(MetadataError, match="dataType 'object'"):
        store["a/.zarray"]


def test_read_only(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "c.n5")
    zarr5.zeros(4, chunks=2, store=store, path="a")[:] = 1
    ro = N5Store(store.path, read_only=True)
    for attempt in [lambda: ro.__setitem__("a/.zattrs", b"{}"), lambda: ro.__delitem__("a/.zarray"),
                    lambda: ro.set_many({"a/.zgroup": GROUP_DOC})]:
        with pytest.raises(ReadOnlyError):
            attempt()
    assert zarr5.open_array(ro, path="a", mode="r")[:].tolist() == [1, 1, 1, 1]


# compression mapping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "n5"), [
    (None, {"type": "raw"}),
    (numcodecs.GZip(5), {"type": "gzip", "level": 5, "useZlib": False}),
    (numcodecs.Zlib(2), {"type": "gzip", "level": 2, "useZlib": True}),
    (numcodecs.BZ2(7), {"type": "bzip2", "blockSize": 7}),
    (numcodecs.LZMA(preset=3), {"type": "xz", "preset": 3}),
    (numcodecs.Blosc("zstd", 3, numcodecs.Blosc.BITSHUFFLE),
     {"type": "blosc", "cname": "zstd", "clevel": 3, "shuffle": 2, "blocksize": 0, "nthreads": 1}),
    (numcodecs.Zstd(4), {"type": "zstd", "level": 4, "checksum": False}),
], ids=["raw", "gzip", "zlib", "bzip2", "xz", "blosc", "zstd"])
def test_compression_mapping_round_trips(codec: Any, n5: dict) -> None:
    config = None if codec is None else codec.get_config()
    assert compressor_to_n5(config) == n5
    assert compressor_to_zarr(n5) == config
    wrapped = {"id": "n5_wrapper", "compressor_config": config, "dtype": "<i4", "chunk_shape": [2]}
    assert compressor_to_n5(wrapped) == n5


def test_compression_defaults_and_oddities() -> None:
    # N5 defaults when parameters are left out (Java writes them, older files may not)
    assert compressor_to_zarr({"type": "gzip"}) == {"id": "gzip", "level": -1}
    assert compressor_to_zarr({"type": "bzip2"}) == {"id": "bz2", "level": 9}
    assert compressor_to_zarr({"type": "xz"})["preset"] == 6
    assert compressor_to_n5(numcodecs.LZMA().get_config()) == {"type": "xz", "preset": 6}
    # zarr-python 2.18 copies the codec id into configurations it passes through
    assert compressor_to_zarr({"type": "zstd", "id": "zstd", "level": 1}) == {"id": "zstd", "level": 1}
    with pytest.warns(RuntimeWarning, match="Java N5"):
        assert compressor_to_n5({"id": "lz4", "acceleration": 1}) == {"type": "lz4", "acceleration": 1}
    with pytest.warns(RuntimeWarning, match="not N5's xz"):
        n5 = compressor_to_n5(numcodecs.LZMA(format=2, preset=1).get_config())
    assert compressor_to_zarr(n5) == numcodecs.LZMA(format=2, preset=1).get_config()
    with pytest.raises(MetadataError, match="LZ4 block stream"):
        compressor_to_zarr({"type": "lz4", "blockSize": 65536})
    with pytest.raises(UnsafeCodecError):
        compressor_to_zarr({"type": "pickle"})
    with pytest.raises(MetadataError, match="'type'"):
        compressor_to_zarr({"level": 1})


# the block codec -----------------------------------------------------------------------------------------


def test_block_header_matches_the_spec_example() -> None:
    # N5's README: a 3-d uint16 block of 1x2x3 pixels (N5 order) holding 1..6, raw
    codec = N5ChunkWrapper("<u2", (3, 2, 1))
    block = codec.encode(np.arange(1, 7, dtype="<u2").reshape(3, 2, 1))
    assert block == bytes.fromhex("0000 0003 00000001 00000002 00000003 0001 0002 0003 0004 0005 0006")
    assert codec.decode(block).tolist() == np.arange(1, 7).reshape(3, 2, 1).tolist()


@pytest.mark.parametrize("compressor", [None, numcodecs.GZip(), numcodecs.Blosc(), numcodecs.BZ2(),
                                        numcodecs.LZMA(), numcodecs.Zstd(), numcodecs.LZ4()],
                         ids=["raw", "gzip", "blosc", "bz2", "xz", "zstd", "lz4"])
@pytest.mark.parametrize("dtype", ["u1", "<i2", ">u4", "<i8", "<f4", ">f8"])
def test_codec_round_trip(compressor: Any, dtype: str) -> None:
    chunk = (np.arange(24) * 37 - 100).astype(dtype).reshape(2, 3, 4)
    codec = N5ChunkWrapper(dtype, (2, 3, 4), compressor=compressor)
    assert numcodecs.get_codec(codec.get_config()) == codec
    block = codec.encode(chunk)
    assert block[:16] == struct.pack(">HHIII", 0, 3, 4, 3, 2)
    assert np.array_equal(codec.decode(block), chunk) and codec.decode(block).dtype == np.dtype(dtype)
    out = np.empty((2, 3, 4), dtype)
    assert codec.decode(block, out=out) is out and np.array_equal(out, chunk)
    # the same block as zarr-python 2.18 encodes it, and each decodes the other's
    theirs = ZarrN5ChunkWrapper(dtype, (2, 3, 4), compressor=compressor)
    assert _without_gzip_time(theirs.encode(chunk.copy())) == _without_gzip_time(block)
    assert np.array_equal(ensure_ndarray_like(theirs.decode(block)).view(dtype).reshape(2, 3, 4), chunk)
    assert np.array_equal(codec.decode(theirs.encode(chunk.copy())), chunk)


def _without_gzip_time(block: bytes) -> bytes:
    # a gzip stream records when it was written (bytes 4-7): two encodes a second apart differ there
    body = block[16:]
    if body[:2] == b"\x1f\x8b":
        body = body[:4] + b"\0\0\0\0" + body[8:]
    return block[:16] + body


def test_codec_reads_truncated_and_varlength_blocks() -> None:
    codec = N5ChunkWrapper("<i4", (3, 4), compressor=numcodecs.GZip())
    edge = np.array([[1, 2], [3, 4]], ">i4")  # what Java writes at the array's end: only what exists
    block = struct.pack(">HHII", 0, 2, 2, 2) + gzip.compress(edge.tobytes())
    expected = np.zeros((3, 4), "<i4")
    expected[:2, :2] = edge
    assert np.array_equal(codec.decode(block), expected)
    out = np.full((3, 4), -1, "<i4")
    codec.decode(block, out=out)
    assert np.array_equal(out, expected)
    raw = N5ChunkWrapper("<i4", (3, 4))
    varlength = struct.pack(">HHIII", 1, 2, 2, 2, 4) + edge.tobytes()
    assert np.array_equal(raw.decode(varlength), expected)


@pytest.mark.parametrize(("block", "match"), [
    (b"\x00\x00", "shorter than its header"),
    (struct.pack(">HHI", 0, 2, 4), "shorter than its 12-byte header"),
    (struct.pack(">HH", 2, 0), "mode 2 is not supported"),
    (struct.pack(">HHII", 0, 2, 4, 4) + b"\x00" * 7, "holds 7 bytes"),
    (struct.pack(">HHI", 0, 1, 4) + b"\x00" * 8, "does not fit"),
    (struct.pack(">HHII", 0, 2, 5, 3) + b"\x00" * 60, "does not fit"),
    (struct.pack(">HHIII", 1, 2, 2, 2, 9) + b"\x00" * 16, "varlength"),
])
def test_codec_refuses_bad_blocks(block: bytes, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        N5ChunkWrapper("<i4", (4, 4)).decode(block)


def test_codec_refusals_and_repr() -> None:
    with pytest.raises(UnsafeCodecError):
        N5ChunkWrapper("<i4", (2,), {"id": "pickle"})
    with pytest.raises(ValueError, match="not both"):
        N5ChunkWrapper("<i4", (2,), {"id": "zlib"}, numcodecs.Zlib())
    with pytest.raises(ValueError, match="fixed-size"):
        N5ChunkWrapper(object, (2,))
    assert N5ChunkWrapper("<i4", (2,), {"id": "raw"}).compressor_config is None
    assert repr(N5ChunkWrapper("u1", [2, 3], compressor=numcodecs.Zlib(1))) == (
        "N5ChunkWrapper(dtype='|u1', chunk_shape=(2, 3), compressor=Zlib(level=1))")
    assert numcodecs.get_codec({"id": "n5_wrapper", "dtype": "<i2", "chunk_shape": [2]}).dtype == "<i2"


def test_corrupt_block_names_its_key(tmp_path: Path) -> None:
    z = zarr5.zeros((4, 4), chunks=(2, 2), dtype="i4", store=N5Store(tmp_path / "c.n5"))
    z[:] = 1
    Path(z.store.path, "1", "0").write_bytes(b"\x00\x00\x00\x02\x00")  # chunk (0, 1)
    with pytest.raises(CorruptChunkError, match="'0.1'"):
        z[:]


# the engine over N5 --------------------------------------------------------------------------------------


def test_tutorial_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    zarr_ = zarr5  # the tutorial is written for `import zarr5 as zarr`
    store = zarr_.N5Store("data/example.n5")
    root = zarr_.group(store=store)
    z = root.zeros("foo/bar", shape=(1000, 1000), chunks=(100, 100), dtype="i4")
    z[:] = 42
    assert z.nchunks_initialized == 100 and int(z[999, 999]) == 42
    assert os.path.isfile("data/example.n5/foo/bar/9/9") and os.path.isfile("data/example.n5/attributes.json")
    root = zarr_.open("data/example.n5", mode="w")
    assert isinstance(root, zarr_.Group) and isinstance(root.store, zarr_.N5Store)
    assert _files("data/example.n5") == {"attributes.json": _doc({"n5": "2.0.0"})}


def test_paths_ending_in_n5_open_an_n5_store(tmp_path: Path) -> None:
    assert type(normalize_store_arg(str(tmp_path / "x.n5"))) is N5Store
    assert type(normalize_store_arg(tmp_path / "x.zarr")) is zarr5.DirectoryStore
    from zarr5.n5 import N5Store as Shim

    assert Shim is N5Store


def test_engine_features_over_n5(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "c.n5")
    root = zarr5.group(store=store)
    a = root.create_dataset("g/a", data=np.arange(35, dtype="f4").reshape(5, 7), chunks=(2, 3))
    root["g"].attrs["x"] = 1
    assert sorted(root.group_keys()) == ["g"] and list(root["g"].array_keys()) == ["a"]
    assert a.nchunks_initialized == 9 and a.nbytes_stored == store.getsize("g/a")
    assert np.array_equal(a.oindex[[0, 4], [1, 6]], [[1, 6], [29, 34]])
    a.resize(6, 8)
    a[5, 7] = -1
    assert a[:5, :7].sum() == np.arange(35).sum() and a[5, 7] == -1
    root.move("g/a", "b")
    assert np.array_equal(zarr5.open_array(store, path="b")[:5, :7], np.arange(35).reshape(5, 7))
    # the Zarr view makes the generic tools work: consolidate, copy_store into another store
    zarr5.consolidate_metadata(store)
    assert zarr5.open_consolidated(store)["g"].attrs["x"] == 1
    copy = zarr5.MemoryStore()
    zarr5.copy_store(store, copy)
    assert np.array_equal(zarr5.open_array(copy, path="b")[:], zarr5.open_array(store, path="b")[:])
    del root["b"]
    assert not os.path.exists(os.path.join(store.path, "b"))


# interop with zarr-python 2.18.7 -------------------------------------------------------------------------

DTYPES = ["u1", "i1", "<u2", ">i2", "<u4", "<i4", "<u8", ">i8", "<f4", ">f8"]
CASES = [((7, 11), (3, 4)), ((10,), (4,)), ((5, 3, 6), (2, 3, 4))]
COMPRESSORS = [None, numcodecs.GZip(3), numcodecs.Zlib(1), numcodecs.BZ2(2), numcodecs.LZMA(preset=1),
               numcodecs.Blosc("lz4", 5, numcodecs.Blosc.SHUFFLE), numcodecs.Zstd(2)]
COMPRESSOR_IDS = ["raw", "gzip", "zlib", "bz2", "xz", "blosc", "zstd"]


def _data(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    values = np.arange(int(np.prod(shape)), dtype="i8") * 7 - 50
    if np.dtype(dtype).kind == "u":
        values = np.abs(values)
    return values.astype(dtype).reshape(shape)


def _write_zarr5(path: Path, dtype: str, compressor: Any) -> dict[str, np.ndarray]:
    root = zarr5.group(store=N5Store(path))
    root.attrs.update(owner="zarr5", nested={"a": [1, 2.5, None]})
    expected = {}
    for i, (shape, chunks) in enumerate(CASES):
        data = _data(shape, dtype)
        z = root.zeros(f"grp{i}/sub/arr", shape=shape, chunks=chunks, dtype=dtype, compressor=compressor)
        z[...] = data
        z.attrs["index"] = i
        assert type(z.compressor) is N5ChunkWrapper
        expected[f"grp{i}/sub/arr"] = data
    return expected


def _write_zarr(path: Path, dtype: str, compressor: Any) -> dict[str, np.ndarray]:
    with codec_of(ZarrN5ChunkWrapper):
        root = zarr.group(store=ZarrN5Store(str(path)))
        root.attrs.update(owner="zarr", nested={"a": [1, 2.5, None]})
        expected = {}
        for i, (shape, chunks) in enumerate(CASES):
            data = _data(shape, dtype)
            z = root.zeros(f"grp{i}/sub/arr", shape=shape, chunks=chunks, dtype=dtype, compressor=compressor)
            z[...] = data
            z.attrs["index"] = i
            expected[f"grp{i}/sub/arr"] = data
    return expected


def _check_with_zarr(path: Path, expected: dict[str, np.ndarray], owner: str) -> None:
    with codec_of(ZarrN5ChunkWrapper):
        root = zarr.open_group(ZarrN5Store(str(path)), mode="r")
        assert root.attrs.asdict() == {"owner": owner, "nested": {"a": [1, 2.5, None]}}
        assert sorted(root.group_keys()) == [f"grp{i}" for i in range(len(CASES))]
        for i, (name, data) in enumerate(expected.items()):
            z = root[name]
            assert type(z.compressor) is ZarrN5ChunkWrapper
            assert z.shape == data.shape and z.dtype == data.dtype.newbyteorder("=")
            corner = tuple(slice(1, None) for _ in data.shape)  # crosses chunk edges, ends on a part chunk
            assert np.array_equal(z[...], data) and np.array_equal(z[corner], data[corner])
            assert z.attrs["index"] == i


def _check_with_zarr5(path: Path, expected: dict[str, np.ndarray], owner: str) -> None:
    root = zarr5.open_group(N5Store(path), mode="r")
    assert root.attrs.asdict() == {"owner": owner, "nested": {"a": [1, 2.5, None]}}
    assert sorted(root.group_keys()) == [f"grp{i}" for i in range(len(CASES))]
    for i, (name, data) in enumerate(expected.items()):
        z = root[name]
        assert type(z.compressor) is N5ChunkWrapper
        assert z.shape == data.shape and z.dtype == data.dtype.newbyteorder("=")
        corner = tuple(slice(1, None) for _ in data.shape)  # crosses chunk edges, ends on a part chunk
        assert np.array_equal(z[...], data) and np.array_equal(z[corner], data[corner])
        assert z.attrs["index"] == i


@pytest.mark.parametrize("dtype", DTYPES)
def test_zarr5_writes_zarr_reads(tmp_path: Path, dtype: str) -> None:
    expected = _write_zarr5(tmp_path / "c.n5", dtype, numcodecs.Blosc())
    _check_with_zarr(tmp_path / "c.n5", expected, "zarr5")


@pytest.mark.parametrize("dtype", DTYPES)
def test_zarr_writes_zarr5_reads(tmp_path: Path, dtype: str) -> None:
    expected = _write_zarr(tmp_path / "c.n5", dtype, numcodecs.Blosc())
    _check_with_zarr5(tmp_path / "c.n5", expected, "zarr")


@pytest.mark.parametrize("compressor", COMPRESSORS, ids=COMPRESSOR_IDS)
def test_compressors_both_ways(tmp_path: Path, compressor: Any) -> None:
    ours = _write_zarr5(tmp_path / "ours.n5", "<i4", compressor)
    _check_with_zarr(tmp_path / "ours.n5", ours, "zarr5")
    theirs = _write_zarr(tmp_path / "theirs.n5", "<i4", compressor)
    _check_with_zarr5(tmp_path / "theirs.n5", theirs, "zarr")
    our_files, their_files = _files(str(tmp_path / "ours.n5")), _files(str(tmp_path / "theirs.n5"))
    assert sorted(our_files) == sorted(their_files)  # the same files...
    their_arr = json.loads(their_files["grp0/sub/arr/attributes.json"])
    our_arr = json.loads(our_files["grp0/sub/arr/attributes.json"])
    their_arr["compression"].pop("id", None)  # zarr-python copies the codec id into passed-through configs
    our_arr["compression"].pop("nthreads", None)  # which Java's n5-blosc reads and zarr-python ignores
    assert our_arr == their_arr
    if compressor is None or compressor.codec_id in ("zlib", "bz2", "lzma", "blosc", "zstd"):
        # ...and, where the compressor is deterministic, the same bytes in every block
        assert {k: v for k, v in our_files.items() if "attributes" not in k} == {
            k: v for k, v in their_files.items() if "attributes" not in k}


def test_zarr_reads_what_zarr5_appends_and_resizes(tmp_path: Path) -> None:
    path = tmp_path / "c.n5"
    z = zarr5.zeros((3, 5), chunks=(2, 2), dtype="<u2", store=N5Store(path), path="a")
    z[:] = 1
    z.append(np.full((2, 5), 2, "<u2"))
    with codec_of(ZarrN5ChunkWrapper):
        theirs = zarr.open_array(ZarrN5Store(str(path)), path="a", mode="r+")
        assert theirs.shape == (5, 5) and theirs[:].sum() == 15 + 20
        theirs[4, 4] = 9
        theirs.attrs["by"] = "zarr"
    again = zarr5.open_array(N5Store(path), path="a")
    assert again[4, 4] == 9 and again.attrs.asdict() == {"by": "zarr"}


@pytest.mark.parametrize("compressor", [None, numcodecs.Blosc()], ids=["raw", "blosc"])
def test_zarr_python_runs_on_our_codec(tmp_path: Path, compressor: Any) -> None:
    # whichever library is imported last owns 'n5_wrapper'; zarr-python must work on ours too
    data = _data((5, 7), ">i2")
    for name, cls in [("theirs", ZarrN5ChunkWrapper), ("ours", N5ChunkWrapper)]:
        with codec_of(cls):
            z = zarr.zeros((5, 7), chunks=(2, 3), dtype=">i2", compressor=compressor,
                           store=ZarrN5Store(str(tmp_path / f"{name}.n5")))
            assert type(z.compressor) is cls
            z[...] = data
            z[4, 6] = -7
            assert z[4, 6] == -7 and np.array_equal(z[:4, :6], data[:4, :6])
    assert _files(str(tmp_path / "ours.n5")) == _files(str(tmp_path / "theirs.n5"))


def test_root_array_interop(tmp_path: Path) -> None:
    # a root array carries the n5 version too (zarr-python requires it there)
    path = tmp_path / "c.n5"
    zarr5.array(np.arange(10, dtype="i2"), chunks=3, store=N5Store(path))
    assert _attributes(str(path))["n5"] == "2.0.0"
    with codec_of(ZarrN5ChunkWrapper):
        assert zarr.open_array(ZarrN5Store(str(path)), mode="r")[:].tolist() == list(range(10))
        zarr.array(np.arange(5, dtype="f4"), chunks=2, store=ZarrN5Store(str(tmp_path / "d.n5")))
    assert zarr5.open_array(N5Store(tmp_path / "d.n5"))[:].tolist() == [0, 1, 2, 3, 4]


# a container as Java N5 writes it ------------------------------------------------------------------------


def _java_style_container(root: Path, data: np.ndarray, block: tuple[int, ...]) -> None:
    """Write ``data`` (zarr axis order) as n5-java does: compact JSON, gzip level -1, cut edge blocks."""
    root.mkdir()
    (root / "attributes.json").write_text('{"n5":"4.0.0"}')
    (root / "em").mkdir()  # a group with attributes but no version
    (root / "em" / "attributes.json").write_text('{"pixelResolution":{"unit":"nm","dimensions":[4,4]}}')
    ds = root / "em" / "raw"
    ds.mkdir()
    attrs = {"dataType": "uint16", "compression": {"type": "gzip", "useZlib": False, "level": -1},
             "blockSize": list(block[::-1]), "dimensions": list(data.shape[::-1]),
             "downsamplingFactors": [1, 1]}
    (ds / "attributes.json").write_text(json.dumps(attrs, separators=(",", ":")))
    for i in range(0, data.shape[0], block[0]):
        for j in range(0, data.shape[1], block[1]):
            part = data[i:i + block[0], j:j + block[1]]
            header = struct.pack(">HHII", 0, 2, part.shape[1], part.shape[0])
            path = ds / str(j // block[1]) / str(i // block[0])
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(header + gzip.compress(part.astype(">u2").tobytes(), compresslevel=6))


def test_reads_a_java_style_container(tmp_path: Path) -> None:
    data = np.arange(7 * 10, dtype="u2").reshape(7, 10)
    _java_style_container(tmp_path / "java.n5", data, (3, 4))
    root = zarr5.open_group(N5Store(tmp_path / "java.n5"), mode="r")
    assert root["em"].attrs["pixelResolution"] == {"unit": "nm", "dimensions": [4, 4]}
    raw = root["em/raw"]
    assert raw.shape == (7, 10) and raw.chunks == (3, 4) and raw.dtype == np.dtype("<u2")
    assert raw.attrs.asdict() == {"downsamplingFactors": [1, 1]}
    assert np.array_equal(raw[:], data) and np.array_equal(raw[6, 8:], data[6, 8:])
    assert raw.nchunks_initialized == 9
    with codec_of(ZarrN5ChunkWrapper):  # zarr-python pads the cut blocks too
        assert np.array_equal(zarr.open_array(ZarrN5Store(str(tmp_path / "java.n5")), path="em/raw")[:], data)
    # writing into it keeps the version and the foreign attributes
    rw = zarr5.open_array(N5Store(tmp_path / "java.n5"), path="em/raw", mode="r+")
    rw[6, 9] = 1000
    rw.attrs["note"] = "edited"
    assert _attributes(str(tmp_path / "java.n5")) == {"n5": "4.0.0"}
    assert _attributes(str(tmp_path / "java.n5"), "em/raw")["downsamplingFactors"] == [1, 1]
    assert zarr5.open_array(N5Store(tmp_path / "java.n5"), path="em/raw")[6, 9] == 1000


def test_pre_1_0_compression_type(tmp_path: Path) -> None:
    store = N5Store(tmp_path / "old.n5")
    os.makedirs(os.path.join(store.path, "a"))
    Path(store.path, "a", "attributes.json").write_text(
        '{"dimensions": [2], "blockSize": [2], "dataType": "int8", "compressionType": "raw"}')
    Path(store.path, "a", "0").write_bytes(struct.pack(">HHI", 0, 1, 2) + b"\x05\xfb")
    z = zarr5.open_array(store, path="a", mode="r")
    assert z[:].tolist() == [5, -5] and z.attrs.asdict() == {}


def test_refused_overwrite_keeps_existing_array(tmp_path) -> None:
    """overwrite=True with metadata N5 cannot hold must not delete what is stored."""
    import zarr5

    path = str(tmp_path / "keep.n5")
    z = zarr5.open(path, mode="w", shape=10, chunks=5, dtype="i4")
    z[:] = 3
    with pytest.raises(ValueError, match="fill_value"):
        zarr5.create(10, store=path, overwrite=True, fill_value=5)
    assert zarr5.open(path, mode="r")[:].tolist() == [3] * 10


def test_block_codec_docstring_example_runs() -> None:
    import doctest

    import zarr5.codecs.n5

    assert doctest.testmod(zarr5.codecs.n5).failed == 0


def test_structured_dtypes_are_refused_with_type_error_before_anything_is_written(tmp_path: Path) -> None:
    # zarr 2's N5Store raises TypeError for them too
    store = N5Store(tmp_path / "c.n5")
    with pytest.raises(TypeError, match="structured"):
        zarr5.zeros(3, dtype=[("a", "i4"), ("b", "f8")], store=store, path="s")
    assert "s/.zarray" not in store
