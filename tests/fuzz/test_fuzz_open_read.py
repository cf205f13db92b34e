"""Fuzzing open and read with hostile metadata documents and chunk bytes (hypothesis).

Each example builds a store from random ``.zarray`` / ``.zgroup`` / ``.zattrs`` / ``.zmetadata``
documents (valid ones with fields replaced, dropped or given wrong types; truncated ones; random JSON;
random bytes) and random chunk bytes (garbage, or valid chunks truncated, extended or bit-flipped),
then opens it every way zarr5 can and reads it. The only exceptions allowed are the documented ones:

- ``MetadataError``: a metadata document is malformed, truncated, of the wrong type or impossible
  (negative shapes, zero chunks, unknown dtype, unknown codec id, invalid codec settings);
- ``CorruptChunkError``: stored chunk bytes do not decode to one chunk of the array;
- ``UnsafeCodecError``: the metadata name the Pickle codec and the caller did not allow it;
- ``ArrayNotFoundError``, ``GroupNotFoundError``, ``PathNotFoundError``, ``ContainsArrayError``,
  ``ContainsGroupError``: the node at a path is missing or of the other kind;
- ``InvalidKeyError``: a key found in the data (a ``.zmetadata`` entry, a listed name) would escape
  the store;
- ``KeyError``: a member that is not there.

All of them are zarr5.errors types (ValueError subclasses) except KeyError. Each must carry a message;
MetadataError and CorruptChunkError must name the key at fault. Any other exception type (TypeError,
OverflowError, a bare ValueError from numpy, ...) fails the test: it means a hostile input reached code
that did not expect it. Examples are derandomized, so every run tries the same cases
(``ZARR5_FUZZ_EXAMPLES=5000`` explores further).
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numcodecs
import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import zarr5
from zarr5.errors import (
    ArrayNotFoundError,
    ContainsArrayError,
    ContainsGroupError,
    CorruptChunkError,
    GroupNotFoundError,
    InvalidKeyError,
    MetadataError,
    PathNotFoundError,
    UnsafeCodecError,
)
from zarr5.metadata.v2 import GroupMetadata, decode_attributes
from zarr5.storage import MemoryStore

DOCUMENTED = (MetadataError, CorruptChunkError, UnsafeCodecError, ArrayNotFoundError, GroupNotFoundError,
              PathNotFoundError, ContainsArrayError, ContainsGroupError, InvalidKeyError, KeyError)

# ZARR5_FUZZ_EXAMPLES=N runs N fresh random examples per test instead, for deeper fuzzing by hand
_DEEP = int(os.environ.get("ZARR5_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=_DEEP or 250, deadline=None, derandomize=not _DEEP, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

# reads stay small whatever shape the metadata claim
_MAX_READ = 4096

# ------------------------------------------------------------------------------------------------
# strategies


def _json_scalars() -> st.SearchStrategy:
    return (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.integers(-3, 10)
            | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8))


json_values = st.recursive(
    _json_scalars(),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4),
    max_leaves=8)

small_ints = st.integers(-2, 12) | st.sampled_from([0, 2**31, 2**62, 2**63, 2**64, 2**70, -(2**63)])
shapes = st.lists(small_ints, max_size=3) | json_values
DTYPES = ["<i4", "<f8", "|b1", "|u1", ">i2", "<c16", "<M8[ns]", "<m8[s]", "<M8", "|S5", "<U3", "|V4", "|O",
          "<x8", "", "float", "int64", "<i9", "|S0", "<U0", "|V0", "<f2", ">u8", "|i1", "<U1000000000000",
          "|S99999999999", [["a", "<i4"], ["b", "<f8", [2]]], [["a", "<i4", [0]]], [["a", "<i4", [-1]]],
          [["a", "|O"]], [["", "<i4"]], [["a", "<i4"], ["a", "<i4"]], "(2,)<i4", "(0,)<i4", "(-1,)<i4",
          "(100000000000,)<i4", [["a", "(2,)<i4"]], [["a", [["b", "<i2"]]]]]
dtypes = st.sampled_from(DTYPES) | json_values

CODECS: list[dict] = [
    {"id": "zlib", "level": 1}, {"id": "gzip", "level": 1}, {"id": "bz2", "level": 1}, {"id": "lzma"},
    {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1, "blocksize": 0},
    {"id": "blosc", "cname": "zstd", "clevel": 1, "shuffle": 2, "blocksize": 0},
    {"id": "lz4", "acceleration": 1}, {"id": "zstd", "level": 1}, {"id": "shuffle", "elementsize": 4},
    {"id": "delta", "dtype": "<i4"}, {"id": "delta", "dtype": "<i4", "astype": "<i2"},
    {"id": "fixedscaleoffset", "offset": 0, "scale": 10, "dtype": "<f8", "astype": "<i4"},
    {"id": "quantize", "digits": 2, "dtype": "<f8"}, {"id": "packbits"},
    {"id": "astype", "encode_dtype": "<i2", "decode_dtype": "<i4"},
    {"id": "categorize", "labels": ["a", "b"], "dtype": "<U1", "astype": "|u1"},
    {"id": "vlen-utf8"}, {"id": "vlen-bytes"}, {"id": "vlen-array", "dtype": "<i4"}, {"id": "json2"},
    {"id": "msgpack2"}, {"id": "pickle"}, {"id": "crc32"}, {"id": "adler32"}, {"id": "fletcher32"},
    {"id": "base64"}, {"id": "bitround", "keepbits": 3}, {"id": "no-such-codec"},
]


@st.composite
def codec_configs(draw: Any) -> Any:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(json_values)
    config = dict(draw(st.sampled_from(CODECS)))
    if choice == 1:
        # one setting replaced by a random value, or a random extra setting
        name = draw(st.sampled_from(sorted(config) + ["extra"]))
        config[name] = draw(json_values)
    return config


compressors = st.none() | codec_configs()
filter_lists = st.none() | st.lists(codec_configs(), max_size=2) | json_values
fill_values = json_values | st.sampled_from(["NaN", "Infinity", "-Infinity", "AAAA", "AAAAAAAAAAA=", "",
                                             "==="])


def _valid_zarray() -> dict:
    return {"zarr_format": 2, "shape": [10, 7], "chunks": [4, 3], "dtype": "<i4",
            "compressor": {"id": "zlib", "level": 1}, "fill_value": 0, "order": "C", "filters": None}


@st.composite
def zarray_docs(draw: Any) -> dict:
    doc = _valid_zarray()
    fields = {"shape": shapes, "chunks": shapes, "dtype": dtypes, "compressor": compressors,
              "fill_value": fill_values, "order": st.sampled_from(["C", "F", "A", ""]) | json_values,
              "filters": filter_lists, "zarr_format": st.sampled_from([2, 3, "2", 2.0, None]),
              "dimension_separator": st.sampled_from([".", "/", None, "", "x"]) | json_values}
    # mostly one field changed, so most documents get far enough for their chunks to be read
    changes = draw(st.sampled_from([0, 1, 1, 1, 1, 2, 2, 3]))
    for name in draw(st.lists(st.sampled_from(sorted(fields)), min_size=changes, max_size=changes,
                              unique=True)):
        doc[name] = draw(fields[name])
    if draw(st.integers(0, 9)) == 0:
        del doc[draw(st.sampled_from(sorted(doc)))]
    shape = doc.get("shape")
    if draw(st.booleans()) and isinstance(shape, list) and all(type(n) is int for n in shape):
        # chunks that fit the shape, so odd shapes (huge, empty) get past the chunk checks
        doc["chunks"] = [min(max(n, 1), 4) for n in shape]
    return doc


def _encode_document(doc: Any) -> bytes:
    return json.dumps(doc, allow_nan=True).encode()


@st.composite
def documents(draw: Any, parsed: st.SearchStrategy) -> bytes:
    """The bytes of a metadata document: usually ``parsed`` as JSON, sometimes damaged or foreign."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.binary(max_size=40))
    if kind == 1:
        return _encode_document(draw(json_values))
    raw = _encode_document(draw(parsed))
    if kind == 2:
        return raw[:draw(st.integers(0, max(0, len(raw) - 1)))]  # truncated
    if kind == 3:
        return raw.replace(b'"', b"'", 1)  # not JSON any more
    return raw


@st.composite
def chunk_bytes(draw: Any) -> bytes:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.binary(max_size=64))
    # a real chunk of some codec, then damaged
    data = np.arange(draw(st.integers(0, 40)), dtype="<i4")
    codec = draw(st.sampled_from([numcodecs.Zlib(1), numcodecs.Blosc(), numcodecs.GZip(1), numcodecs.LZ4(),
                                  numcodecs.Zstd(1), numcodecs.BZ2(1), None]))
    raw = bytes(codec.encode(data)) if codec is not None else data.tobytes()
    if kind == 1 and raw:
        cut = draw(st.integers(0, len(raw) - 1))
        return raw[:cut]
    if kind == 2:
        return raw + draw(st.binary(min_size=1, max_size=8))
    if kind == 3 and raw:
        i = draw(st.integers(0, len(raw) - 1))
        return raw[:i] + bytes([raw[i] ^ (1 << draw(st.integers(0, 7)))]) + raw[i + 1:]
    return raw


attrs_docs = documents(st.dictionaries(st.text(max_size=5), json_values, max_size=4))
group_docs = documents(st.sampled_from([{"zarr_format": 2}]) | st.fixed_dictionaries(
    {"zarr_format": st.sampled_from([2, 3, "2", None, 2.5])}))
CHUNK_KEYS = ["0", "0.0", "1.1", "2.2", "0/0", "1", "0.0.0"]
chunk_maps = st.dictionaries(st.sampled_from(CHUNK_KEYS), chunk_bytes(), max_size=4)


# ------------------------------------------------------------------------------------------------
# exercising a store


def _check_message(e: BaseException) -> None:
    text = str(e)
    assert text, f"{type(e).__name__} without a message"
    if isinstance(e, CorruptChunkError):
        assert "chunk '" in text, f"CorruptChunkError does not name its key: {text}"
    if isinstance(e, MetadataError):
        assert any(k in text for k in (".zarray", ".zgroup", ".zattrs", ".zmetadata")), \
            f"MetadataError does not name its document: {text}"


def _attempt(action: Any) -> Any:
    """Run ``action``; a documented exception is fine (and must be clear), anything else propagates."""
    try:
        return action()
    except DOCUMENTED as e:
        _check_message(e)
        event(type(e).__name__)  # shown by pytest --hypothesis-show-statistics
        return None


def _read_array(z: zarr5.Array) -> None:
    for probe in (lambda: z.shape, lambda: z.dtype, lambda: z.chunks, lambda: z.fill_value,
                  lambda: z.compressor, lambda: z.filters, lambda: z.order, lambda: z.nchunks_initialized,
                  lambda: z.attrs.asdict(), lambda: repr(z), lambda: z.nchunks, lambda: z.cdata_shape,
                  lambda: z.size, lambda: z.nbytes, lambda: repr(z.info), lambda: z.nbytes_stored):
        _attempt(probe)
    corner = tuple(slice(0, min(n, 3)) for n in z.shape)
    if _attempt(lambda: z[corner]) is not None:
        event("array read")
    if _small(z):
        _attempt(lambda: z[...])
        _attempt(lambda: z.oindex[tuple([0] for _ in z.shape)] if z.size else None)
        _attempt(lambda: list(z.islice(0, 2)) if z.ndim else None)


def _small(z: zarr5.Array) -> bool:
    # reading a whole array of a hostile shape would be the caller asking for terabytes; numpy even
    # refuses an empty (0, 2**62) array, so empty axes count as 1 here
    return math.prod(max(n, 1) for n in z.shape) <= _MAX_READ


def _load(store: MemoryStore) -> None:
    node = zarr5.open(store, mode="r")
    if isinstance(node, zarr5.Group) or _small(node):
        zarr5.load(store)


def _walk(obj: Any, depth: int = 0) -> None:
    if isinstance(obj, zarr5.Array):
        _read_array(obj)
        return
    _attempt(lambda: obj.attrs.asdict())
    names = _attempt(lambda: list(obj))
    for name in names or []:
        child = _attempt(lambda name=name: obj[name])
        if child is not None and depth < 3:
            _walk(child, depth + 1)


def _exercise(store: MemoryStore) -> None:
    snapshot = dict(store)
    _attempt(lambda: _read_array(zarr5.open_array(store, mode="r")))
    _attempt(lambda: _walk(zarr5.open(store, mode="r")))
    _attempt(lambda: _walk(zarr5.open_group(store, mode="r")))
    _attempt(lambda: _load(store))
    _attempt(lambda: str(zarr5.open_group(store, mode="r").tree()))
    # reading never changes the store
    assert dict(store) == snapshot


# ------------------------------------------------------------------------------------------------
# the fuzz tests


@FUZZ
@given(zarray=documents(zarray_docs()), attrs=st.none() | attrs_docs, chunks=chunk_maps)
def test_fuzz_array_metadata_and_chunks(zarray, attrs, chunks):
    store = MemoryStore()
    store[".zarray"] = zarray
    if attrs is not None:
        store[".zattrs"] = attrs
    for key, data in chunks.items():
        store[key] = data
    _exercise(store)


@FUZZ
@given(data=st.data())
def test_fuzz_chunk_bytes_of_valid_arrays(data):
    # valid metadata of many codec pipelines, random chunk bytes: every failure is a CorruptChunkError
    dtype = data.draw(st.sampled_from(["<i4", "<f8", "|u1", ">i2", "|b1", "<M8[s]", "|S3", "<U2", "<c8"]))
    compressor = data.draw(st.sampled_from([None, numcodecs.Zlib(1), numcodecs.Blosc(), numcodecs.LZ4(),
                                            numcodecs.Zstd(1), numcodecs.GZip(1), numcodecs.BZ2(1),
                                            numcodecs.LZMA()]))
    filters = data.draw(st.sampled_from([None, [numcodecs.Shuffle(np.dtype(dtype).itemsize)],
                                         [numcodecs.CRC32()], [numcodecs.Adler32()]]))
    order = data.draw(st.sampled_from("CF"))
    store = MemoryStore()
    z = zarr5.zeros((6, 5), chunks=(3, 2), dtype=dtype, compressor=compressor, filters=filters, order=order,
                    store=store)
    for key, raw in data.draw(st.dictionaries(st.sampled_from(["0.0", "1.2", "0.1"]), chunk_bytes(),
                                              min_size=1, max_size=3)).items():
        store[key] = raw
    for sel in ((slice(None), slice(None)), (slice(0, 3), slice(0, 2)), (4, 4), (slice(1, 5), 3)):
        try:
            z[sel]
        except CorruptChunkError as e:
            _check_message(e)


def _payload(codec: Any, items: list) -> bytes:
    if isinstance(codec, numcodecs.JSON):
        return json.dumps(items).encode()
    import msgpack

    try:
        return msgpack.packb(items, use_bin_type=True)
    except (OverflowError, TypeError, ValueError):
        return msgpack.packb(["x", "|O", [2]], use_bin_type=True)


@FUZZ
@given(data=st.data())
def test_fuzz_object_arrays(data):
    # object codecs decode whatever the bytes say: lists, dicts, wrong counts
    codec = data.draw(st.sampled_from([numcodecs.VLenUTF8(), numcodecs.VLenBytes(), numcodecs.JSON(),
                                       numcodecs.MsgPack(), numcodecs.VLenArray("<i4")]))
    store = MemoryStore()
    z = zarr5.empty(5, chunks=2, dtype=object, object_codec=codec, store=store, compressor=None)
    if data.draw(st.booleans()):
        # a well-formed payload of the wrong content: random items, dtype string and shape
        items = data.draw(st.lists(json_values, max_size=3)) + [data.draw(st.sampled_from(["|O", "<i4", 5])),
                                                                  data.draw(shapes)]
        store["0"] = _payload(codec, items)
    else:
        store["0"] = data.draw(chunk_bytes())
    store["1"] = data.draw(st.binary(max_size=40))
    for sel in (slice(None), 0, slice(2, 4)):
        try:
            z[sel]
        except CorruptChunkError as e:
            _check_message(e)


@FUZZ
@given(zgroup=group_docs, attrs=st.none() | attrs_docs, member=documents(zarray_docs()),
       name=st.sampled_from(["a", "b/c", "0"]), chunks=chunk_maps)
def test_fuzz_hierarchies(zgroup, attrs, member, name, chunks):
    store = MemoryStore()
    store[".zgroup"] = zgroup
    if attrs is not None:
        store[".zattrs"] = attrs
    store[f"{name}/.zarray"] = member
    for key, data in chunks.items():
        store[f"{name}/{key}"] = data
    _exercise(store)
    # a group that opens had a valid .zgroup, and valid attributes once they are read
    root = _attempt(lambda: zarr5.open_group(store, mode="r"))
    if root is not None:
        GroupMetadata.decode(zgroup)
        if _attempt(lambda: root.attrs.asdict()) is not None and attrs is not None:
            decode_attributes(attrs)


_GOOD_KEYS = [".zgroup", ".zattrs", "a/.zarray", "a/.zattrs", "g/.zgroup", "a/.zgroup", "g/a/.zarray"]
_BAD_KEYS = ["../x/.zarray", "/abs/.zarray", "a\\b/.zarray", "x//.zgroup", "", "a/\x00/.zarray"]
consolidated_entries = st.dictionaries(
    st.sampled_from(_GOOD_KEYS * 4 + _BAD_KEYS),
    zarray_docs() | json_values | st.just({"zarr_format": 2}), max_size=5).map(
        lambda d: {".zgroup": {"zarr_format": 2}, **d})


@FUZZ
@given(doc=documents(st.fixed_dictionaries({"zarr_consolidated_format": st.sampled_from([1, 1, 2, "1", None]),
                                            "metadata": consolidated_entries | json_values})),
       chunks=chunk_maps)
def test_fuzz_consolidated_metadata(doc, chunks):
    store = MemoryStore()
    store[".zgroup"] = b'{"zarr_format": 2}'
    store[".zmetadata"] = doc
    for key, data in chunks.items():
        store[f"a/{key}"] = data
    snapshot = dict(store)
    _attempt(lambda: _walk(zarr5.open_consolidated(store)))
    _attempt(lambda: _walk(zarr5.open_consolidated(store, mode="r")))
    assert dict(store) == snapshot
