"""Zarr v3 codecs: round trips for every data type and codec, the sharding codec's parts (index, inner
chunks, assemble/split), decoding into a caller's array, and CorruptChunkError naming the key for every
kind of bad stored data."""

from __future__ import annotations

import doctest
import importlib

import numcodecs
import numpy as np
import pytest
from v3_helpers import make_data

import zarr5
from zarr5.codecs.v3 import EMPTY, CodecChain, ShardCodec, V3Pipeline, crc32c, is_fill
from zarr5.codecs.v3.bytes_codecs import BloscCodec, _crc32c_python
from zarr5.errors import CorruptChunkError
from zarr5.metadata.v3 import ArrayMetadataV3, build_v3_metadata

BYTES = {"name": "bytes", "configuration": {"endian": "little"}}
BIG = {"name": "bytes", "configuration": {"endian": "big"}}
CRC = {"name": "crc32c"}


def blosc(shuffle: str, cname: str = "lz4") -> dict:
    return {"name": "blosc", "configuration": {"cname": cname, "clevel": 5, "shuffle": shuffle}}


def shard(inner: list, location: str = "end", chunk_shape: list | None = None,
          index: list | None = None) -> dict:
    return {"name": "sharding_indexed", "configuration": {
        "chunk_shape": chunk_shape or [2, 3], "codecs": inner, "index_codecs": index or [BYTES, CRC],
        "index_location": location}}


DTYPES = ["bool", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16", "V3"]
CHAINS = {
    "bytes": [BYTES],
    "big": [BIG],
    "transpose": [{"name": "transpose", "configuration": {"order": [1, 0]}}, BYTES],
    "transpose_twice": [{"name": "transpose", "configuration": {"order": [1, 0]}},
                        {"name": "transpose", "configuration": {"order": [1, 0]}}, BIG],
    "blosc_shuffle": [BYTES, blosc("shuffle")],
    "blosc_bitshuffle": [BYTES, blosc("bitshuffle", "zstd")],
    "blosc_noshuffle": [BYTES, blosc("noshuffle", "blosclz")],
    "gzip": [BYTES, {"name": "gzip", "configuration": {"level": 5}}],
    "zstd": [BYTES, {"name": "zstd", "configuration": {"level": 3, "checksum": False}}],
    "zstd_checksum_crc": [BIG, {"name": "zstd", "configuration": {"level": 1, "checksum": True}}, CRC],
    "crc32c": [BYTES, CRC],
    "shard_end": [shard([BYTES, {"name": "gzip", "configuration": {"level": 1}}])],
    "shard_start": [shard([BYTES], "start")],
    "shard_nested": [shard(
        [{"name": "transpose", "configuration": {"order": [1, 0]}}, BIG, blosc("shuffle"), CRC], "start",
        index=[{"name": "transpose", "configuration": {"order": [2, 1, 0]}}, BIG, CRC])],
    "shard_in_shard": [shard([shard([BYTES, CRC], chunk_shape=[1, 3])], chunk_shape=[2, 3])],
    "shard_then_crc": [shard([BYTES]), CRC],
}


def meta_for(dtype: str, chain: list, shape: tuple[int, int] = (4, 6),
             fill: object = None) -> ArrayMetadataV3:
    return ArrayMetadataV3(shape=(20, 20), dtype=np.dtype(dtype), chunk_shape=shape, fill_value=fill,
                           codecs=tuple(chain))


def _bytes_of(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a).tobytes()


# round trips ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("chain", list(CHAINS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_every_codec_round_trips_every_dtype(dtype: str, chain: str) -> None:
    codecs = CHAINS[chain]
    if np.dtype(dtype).itemsize == 1 or np.dtype(dtype).kind == "V":
        codecs = _strip_endian(codecs)
    pipe = V3Pipeline(meta_for(dtype, codecs))
    chunk = make_data((4, 6), dtype, seed=len(chain))
    encoded = pipe.encode(chunk)
    assert isinstance(encoded, bytes)
    assert _bytes_of(pipe.decode(encoded, "c/0/0")) == _bytes_of(chunk)
    out = np.empty((4, 6), dtype=np.dtype(dtype), order=pipe.order)
    assert pipe.decode(encoded, "c/0/0", out=out) is out
    assert _bytes_of(out) == _bytes_of(chunk)


def _strip_endian(codecs: list) -> list:
    # one-byte items may go without an endian; written that way here to cover it
    out = []
    for c in codecs:
        if c["name"] == "bytes":
            out.append({"name": "bytes"})
        elif c["name"] == "sharding_indexed":
            conf = dict(c["configuration"], codecs=_strip_endian(c["configuration"]["codecs"]))
            out.append({"name": c["name"], "configuration": conf})
        else:
            out.append(c)
    return out


def test_stored_layouts() -> None:
    a = np.arange(6, dtype="u2").reshape(2, 3)
    assert V3Pipeline(meta_for("u2", [BYTES], (2, 3))).encode(a) == a.astype("<u2").tobytes()
    assert V3Pipeline(meta_for("u2", [BIG], (2, 3))).encode(a) == a.astype(">u2").tobytes()
    transposed = V3Pipeline(meta_for("u2", CHAINS["transpose"], (2, 3))).encode(a)
    assert transposed == a.T.astype("<u2").tobytes()
    assert V3Pipeline(meta_for("u2", [BYTES, CRC], (2, 3))).encode(a) == (
        a.tobytes() + crc32c(a.tobytes()).to_bytes(4, "little"))
    gz = V3Pipeline(meta_for("u2", CHAINS["gzip"], (2, 3))).encode(a)
    assert gz[:2] == b"\x1f\x8b"  # a gzip stream, not zlib's
    assert numcodecs.GZip().decode(gz) == a.tobytes()
    zs = V3Pipeline(meta_for("u2", CHAINS["zstd"], (2, 3))).encode(a)
    assert bytes(numcodecs.Zstd().decode(zs)) == a.tobytes()


def test_blosc_typesize_shuffles_items() -> None:
    a = np.arange(1000, dtype="i4").reshape(10, 100)
    meta = build_v3_metadata((10, 100), (10, 100), "i4", compressor=numcodecs.Blosc("lz4", 5, 1))
    encoded = V3Pipeline(meta).encode(a)
    # numcodecs, given 4-byte items, shuffles the same way; a 1-byte view would not
    assert encoded == numcodecs.Blosc("lz4", 5, 1).encode(a)
    assert encoded[3] == 4  # the Blosc header's typesize byte


def test_decode_into_f_ordered_out_through_transpose_and_blosc(monkeypatch: pytest.MonkeyPatch) -> None:
    meta = build_v3_metadata((8, 6), (4, 3), "f8", order="F", compressor=numcodecs.Blosc("zstd", 1, 1))
    pipe = V3Pipeline(meta)
    chunk = make_data((4, 3), "f8")
    encoded = pipe.encode(chunk)
    out = np.zeros((4, 3), order="F")
    with monkeypatch.context() as m:
        # an F-ordered out is the transposed chunk's C-ordered memory: Blosc fills it with no copy
        m.setattr(BloscCodec, "decode", lambda *a: pytest.fail("decoded through a temporary"))
        assert pipe.decode(encoded, "c/0/0", out=out) is out
    assert _bytes_of(out) == _bytes_of(chunk)
    # a C-ordered out works as well, through a copy
    out_c = np.zeros((4, 3))
    assert _bytes_of(pipe.decode(pipe.encode(chunk), "c/0/0", out=out_c)) == _bytes_of(chunk)


def test_pipeline_attributes_and_caller_errors() -> None:
    pipe = V3Pipeline(build_v3_metadata((10, 10), (4, 5), "i2"))
    assert (pipe.dtype, pipe.chunk_shape, pipe.order, pipe.nbytes, pipe.size) == (np.dtype("i2"), (4, 5), "C",
                                                                                 40, 20)
    assert pipe.sharding is None
    with pytest.raises(ValueError, match="shape"):
        pipe.encode(np.zeros((4, 4), "i2"))
    data = pipe.encode(np.zeros((4, 5), "i2"))
    with pytest.raises(ValueError, match="out has shape"):
        pipe.decode(data, "k", out=np.zeros((4, 4), "i2"))
    with pytest.raises(ValueError, match="out has shape"):
        pipe.decode(data, "k", out=np.zeros((4, 5), "i4"))
    ro = np.zeros((4, 5), "i2")
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        pipe.decode(data, "k", out=ro)
    # values are cast to the dtype on encode, as the v2 pipeline does
    assert _bytes_of(pipe.decode(pipe.encode(np.ones((4, 5))), "k")) == _bytes_of(np.ones((4, 5), "i2"))


def test_is_fill() -> None:
    assert is_fill(np.full((2, 2), np.nan, "f4"), np.float32("nan"))
    assert not is_fill(np.array([0.0, -0.0]), 0.0)
    assert is_fill(np.zeros(3, "c16"), 0)
    assert not is_fill(np.array([1 + 1j, 0]), 0)
    assert is_fill(np.frombuffer(b"ab" * 3, "V2"), b"ab")
    assert is_fill(np.frombuffer(b"abc" * 2, "V3"), np.frombuffer(b"abc", "V3")[0])
    assert not is_fill(np.frombuffer(b"abcabd", "V3"), b"abc")
    assert is_fill(np.ones((3, 3), bool)[:, ::2], True)
    assert not is_fill(np.zeros(3), None)
    assert is_fill(np.zeros(0, "u8"), 5)
    assert V3Pipeline(build_v3_metadata((4,), (4,), "u8")).is_fill(np.full(4, 2**64 - 1, "u8"), 2**64 - 1)


def test_crc32c_implementations_agree() -> None:
    data = bytes(range(256)) * 5
    assert crc32c(b"123456789") == _crc32c_python(b"123456789") == 0xE3069283  # the standard check value
    assert crc32c(data) == _crc32c_python(data)
    assert crc32c(b"") == 0


# corrupt data ---------------------------------------------------------------------------------------------


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


@pytest.mark.parametrize(("chain", "damage", "words"), [
    ("bytes", lambda d: d[:-1], ["decodes to 47 bytes"]),
    ("bytes", lambda d: d + b"x", ["49 bytes"]),
    ("crc32c", lambda d: _flip(d, 3), ["CRC32C"]),
    ("crc32c", lambda d: d[:3], ["truncated"]),
    ("blosc_shuffle", lambda d: d[:-1], ["Blosc header"]),
    ("blosc_shuffle", lambda d: d[:10], ["truncated"]),
    ("gzip", lambda d: d[:-5], ["could not be decoded"]),
    ("gzip", lambda d: b"not gzip at all", ["could not be decoded"]),
    ("zstd", lambda d: b"\x00" * 20, ["could not be decoded"]),
    ("zstd_checksum_crc", lambda d: _flip(d, len(d) - 1), ["CRC32C"]),
])
def test_corrupt_chunks_name_their_key(chain: str, damage: object, words: list[str]) -> None:
    pipe = V3Pipeline(meta_for("i2", CHAINS[chain]))
    data = damage(pipe.encode(make_data((4, 6), "i2")))  # type: ignore[operator]
    for out in (None, np.empty((4, 6), "i2")):
        with pytest.raises(CorruptChunkError) as info:
            pipe.decode(data, "arr/c/3/4", out=out)
        assert "arr/c/3/4" in str(info.value)
        for word in words:
            assert word in str(info.value)


# sharding -------------------------------------------------------------------------------------------------


@pytest.fixture(params=["end", "start"])
def sharded(request: pytest.FixtureRequest) -> V3Pipeline:
    meta = build_v3_metadata((12, 12), (2, 3), "i4", fill_value=-1, shards=(4, 6),
                             index_location=request.param, compressor=numcodecs.Zstd(1))
    return V3Pipeline(meta)


def test_shard_codec_attributes(sharded: V3Pipeline) -> None:
    sc = sharded.sharding
    assert isinstance(sc, ShardCodec)
    assert (sc.inner_chunk_shape, sc.chunks_per_shard, sc.n_inner) == ((2, 3), (2, 2), 4)
    assert sc.index_nbytes == 4 * 16 + 4
    assert sc.index_range() == ({"end": "suffix", "start": "prefix"}[sc.index_location], 68)
    assert list(sc.inner_coords()) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert sc.inner_selection((1, 1)) == (slice(2, 4), slice(3, 6))


def test_shard_index_round_trip(sharded: V3Pipeline) -> None:
    sc = sharded.sharding
    index = sc.empty_index()
    assert index.shape == (2, 2, 2) and index.dtype == np.uint64 and (index == EMPTY).all()
    index[1, 0] = (68, 10)
    raw = sc.encode_index(index)
    assert len(raw) == sc.index_nbytes
    back = sc.decode_index(raw, "c/0/0")
    assert (back == index).all() and back.flags.writeable
    assert sc.locate(back, (1, 0)) == (68, 10) and sc.locate(back, (0, 0)) is None
    with pytest.raises(ValueError, match="shape"):
        sc.encode_index(np.zeros((2, 2), "u8"))


def test_assemble_split_and_partial_reads(sharded: V3Pipeline) -> None:
    sc = sharded.sharding
    parts = {(0, 1): sc.encode_inner(np.full((2, 3), 5, "i4")),
             (1, 0): sc.encode_inner(np.arange(6, dtype="i4").reshape(2, 3))}
    shard = sc.assemble(parts)
    assert len(shard) == sc.index_nbytes + sum(map(len, parts.values()))
    # one range read for the index, one per needed inner chunk
    kind, n = sc.index_range()
    index = sc.decode_index(shard[-n:] if kind == "suffix" else shard[:n], "a/c/0/0")
    off, size = sc.locate(index, (1, 0))
    assert (sc.decode_inner(shard[off:off + size], "a/c/0/0 [1, 0]") == np.arange(6).reshape(2, 3)).all()
    assert sc.locate(index, (0, 0)) is None
    # split gives back exactly the encoded inner chunks; re-assembling them is the same shard
    assert sc.split(shard, "a/c/0/0") == parts
    assert sc.assemble(sc.split(shard, "a/c/0/0")) == shard
    # rewrite: untouched inner chunks are reused as bytes, one is replaced, one removed
    changed = dict(sc.split(shard, "a/c/0/0"))
    changed[(1, 1)] = sc.encode_inner(np.full((2, 3), 9, "i4"))
    del changed[(0, 1)]
    whole = sharded.decode(sc.assemble(changed), "a/c/0/0")
    expected = np.full((4, 6), -1, "i4")
    expected[2:, :3] = np.arange(6).reshape(2, 3)
    expected[2:, 3:] = 9
    assert (whole == expected).all()
    # the full shard decode fills what is not stored
    full = sharded.decode(shard, "a/c/0/0")
    assert (full[:2, :3] == -1).all() and (full[:2, 3:] == 5).all()


def test_shard_encode_leaves_fill_inner_chunks_out(sharded: V3Pipeline) -> None:
    sc = sharded.sharding
    data = np.full((4, 6), -1, "i4")
    assert len(sharded.encode(data)) == sc.index_nbytes  # only the index: every inner chunk is fill
    data[3, 5] = 7
    encoded = sharded.encode(data)
    assert list(sc.split(encoded, "k")) == [(1, 1)]
    assert (sharded.decode(encoded, "k") == data).all()
    assert sc.is_fill_inner(np.full((2, 3), -1, "i4")) and not sc.is_fill_inner(np.zeros((2, 3), "i4"))


def test_assemble_refuses_coordinates_outside_the_shard(sharded: V3Pipeline) -> None:
    sc = sharded.sharding
    for coords in [(2, 0), (0, -1), (0,)]:
        with pytest.raises(ValueError, match="outside"):
            sc.assemble({coords: b"x"})
    with pytest.raises(ValueError, match="inner chunk has shape"):
        sc.encode_inner(np.zeros((3, 3), "i4"))
    data = sc.encode_inner(np.zeros((2, 3), "i4"))
    for out in (np.zeros((3, 3), "i4"), np.zeros((2, 3), "i8"), np.zeros((2, 3), "i4")[::-1].copy()[:0]):
        with pytest.raises(ValueError, match="out has shape"):
            sc.decode_inner(data, "k", out=out)


def test_sharding_is_exposed_only_when_it_is_the_whole_chain() -> None:
    assert V3Pipeline(meta_for("i4", CHAINS["shard_then_crc"])).sharding is None
    assert V3Pipeline(meta_for("i4", CHAINS["shard_end"])).sharding is not None
    nested = V3Pipeline(meta_for("i4", CHAINS["shard_in_shard"])).sharding
    assert isinstance(nested.inner.array_bytes, ShardCodec)  # the inner chunks are shards themselves


def _shard_bytes(pipe: V3Pipeline) -> bytes:
    return pipe.encode(np.arange(24, dtype="i4").reshape(4, 6))


@pytest.mark.parametrize(("location", "damage", "words"), [
    ("end", lambda sc, d: d[:10], ["truncated"]),
    ("end", lambda sc, d: _flip(d, len(d) - 6), ["CRC32C", "shard index"]),
    ("start", lambda sc, d: _flip(d, 1), ["CRC32C", "shard index"]),
    ("end", lambda sc, d: d[:-sc.index_nbytes] + _index(sc, {(0, 0): (10**6, 10)}), ["outside"]),
    ("start", lambda sc, d: _index(sc, {(0, 0): (0, 10)}) + d[sc.index_nbytes:], ["outside"]),
    ("end", lambda sc, d: d[:-sc.index_nbytes] + _index(sc, {(0, 0): (0, 2**64 - 1)}), ["only one"]),
    ("end", lambda sc, d: _flip(d, 0), ["[0, 0]"]),  # the first inner chunk's own checksum
])
def test_corrupt_shards_name_their_key(location: str, damage: object, words: list[str]) -> None:
    pipe = V3Pipeline(meta_for("i4", [shard([BYTES, CRC], location)]))
    sc = pipe.sharding
    data = damage(sc, _shard_bytes(pipe))  # type: ignore[operator]
    # split reads only the index; the inner chunks' own damage shows when they are decoded
    calls = [pipe.decode] if words == ["[0, 0]"] else [pipe.decode, sc.split]
    for call in calls:
        with pytest.raises(CorruptChunkError) as info:
            call(data, "arr/c/1/2")
        assert "arr/c/1/2" in str(info.value)
        for word in words:
            assert word in str(info.value), str(info.value)


def _index(sc: ShardCodec, entries: dict) -> bytes:
    index = sc.empty_index()
    for coords, value in entries.items():
        index[coords] = value
    return sc.encode_index(index)


def test_decode_index_checks_its_size() -> None:
    sc = V3Pipeline(meta_for("i4", [shard([BYTES])])).sharding
    with pytest.raises(CorruptChunkError, match="'s/c/0': its index has 3 bytes; expected 68"):
        sc.decode_index(b"abc", "s/c/0")


def test_codec_chain_needs_an_array_to_bytes_codec() -> None:
    with pytest.raises(ValueError, match="no array -> bytes"):
        CodecChain([CRC], np.dtype("u1"), (2,), 0)
    with pytest.raises(ValueError, match="unknown"):
        CodecChain([{"name": "lzma"}], np.dtype("u1"), (2,), 0)


@pytest.mark.parametrize("module", ["array_codecs", "bytes_codecs", "chain", "sharding", "fill", "pipeline"])
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(f"zarr5.codecs.v3.{module}")
    assert doctest.testmod(mod).failed == 0


@pytest.mark.parametrize("compressor", [numcodecs.GZip(1), numcodecs.Zstd(1)], ids=["gzip", "zstd"])
def test_decompression_bomb_refused_at_chunk_size(compressor) -> None:
    store = zarr5.MemoryStore()
    z = zarr5.open_array(store=store, mode="w", shape=(1000,), chunks=(1000,), dtype="u1", zarr_format=3,
                         compressor=compressor)
    z[:] = 3
    key = next(k for k in store if k.startswith("c"))
    store[key] = compressor.encode(np.zeros(2 * 10**8, "u1"))  # 200 MB of zeros in a 1000-byte chunk
    with pytest.raises(CorruptChunkError, match="1000"):
        z[:]
