"""Slivers of byte-shuffled Blosc chunks picked from the decoded byte planes (no unshuffle pass):
the items equal numpy's, and every other chunk layout keeps the whole decode."""

from __future__ import annotations

import struct

import numcodecs
import numpy as np
import pytest

import zarr5
from zarr5.codecs.blosc_planes import selection_key, shuffled_layout
from zarr5.codecs.pipeline import ChunkPipeline
from zarr5.errors import CorruptChunkError

Blosc = numcodecs.Blosc
SHAPE = (300, 257)  # 77,100 items: no block size divides the chunk, so the last block is short


def _compressible(dtype, shape, seed=0) -> np.ndarray:
    """Items of ``dtype`` that Blosc compresses (rather than storing a plain copy) and whose bytes all
    tell apart: byte ``p`` of item ``k`` is ``(k * (2p + 1) + 37p + seed) % 256`` (each byte plane repeats
    every 256 items; neighbouring items and the bytes of one item differ)."""
    dtype = np.dtype(dtype)
    k = np.arange(int(np.prod(shape)))[:, None]
    p = np.arange(dtype.itemsize)[None, :]
    raw = ((k * (2 * p + 1) + 37 * p + seed) % 256).astype("u1")
    if dtype.kind == "b":
        raw &= 1
    return np.frombuffer(raw.tobytes(), dtype=dtype).reshape(shape)


def _selections(shape):
    n0, n1 = shape
    return [(slice(None), 0), (slice(None), n1 - 1), (slice(None), 123), (7, slice(None)),
            (slice(None, None, -3), 5), (slice(5, 250, 7), 200), (slice(n0 - 1, None, -1), 256),
            (11, 12), (-1, -1), (slice(3, 3), 4)]


def _pick(pipeline, data, selection, out):
    picked = selection_key(selection, pipeline.chunk_shape)
    assert picked is not None
    return pipeline.decode_selected(data, "1.2", picked[0], picked[1], out)


DTYPES = ["<i2", ">u2", ">i4", "<f4", "<f8", ">i8", "<c8", ">c16", "S5", "S16", "<U3", "M8[ns]",
          [("a", "<i2"), ("b", "S3")], [("x", "<f8"), ("y", ">i8")], [("p", "u1"), ("q", "<f4", (3,))]]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("cname,clevel,blocksize", [("lz4", 5, 0), ("zstd", 1, 0), ("blosclz", 9, 0),
                                                    ("lz4", 5, 4096), ("zlib", 3, 10000)])
def test_picked_items_equal_numpy(dtype, order, cname, clevel, blocksize):
    chunk = np.asarray(_compressible(dtype, SHAPE), order=order)
    pipeline = ChunkPipeline(chunk.dtype, SHAPE, order, None, Blosc(cname, clevel, Blosc.SHUFFLE, blocksize))
    data = pipeline.encode(chunk)
    assert shuffled_layout(data, pipeline.nbytes) is not None
    out = np.full(SHAPE, chunk.reshape(-1)[0], dtype=chunk.dtype, order=order)
    for selection in _selections(SHAPE):
        got = _pick(pipeline, data, selection, out)
        assert got is not None, selection
        expected = np.asarray(chunk[selection], dtype=chunk.dtype)  # a 0-d array for a single item
        assert got.shape == expected.shape and got.dtype == expected.dtype
        assert got.tobytes() == np.ascontiguousarray(expected).tobytes(), selection


@pytest.mark.parametrize("dtype", ["<i4", "<f8", "u1", "?"], ids=str)
@pytest.mark.parametrize("shuffle", [Blosc.NOSHUFFLE, Blosc.BITSHUFFLE, Blosc.AUTOSHUFFLE, Blosc.SHUFFLE])
def test_other_layouts_keep_the_whole_decode(dtype, shuffle):
    # only a byte shuffle of items wider than a byte leaves planes to pick from (AUTOSHUFFLE is the byte
    # shuffle above one byte, the bit shuffle at one byte); the others answer None: decoded whole
    chunk = _compressible(dtype, SHAPE)
    pipeline = ChunkPipeline(chunk.dtype, SHAPE, "C", None, Blosc("lz4", 5, shuffle))
    data = pipeline.encode(chunk)
    got = _pick(pipeline, data, (slice(None), 9), np.empty(SHAPE, chunk.dtype))
    planes = chunk.dtype.itemsize > 1 and shuffle in (Blosc.SHUFFLE, Blosc.AUTOSHUFFLE)
    assert (got is not None) == planes
    if planes:
        np.testing.assert_array_equal(got, chunk[:, 9])
    np.testing.assert_array_equal(pipeline.decode(data, "0.0"), chunk)


def test_plain_copies_and_wide_selections_keep_the_whole_decode():
    pipeline = ChunkPipeline(np.dtype("<i4"), SHAPE, "C", None, Blosc("lz4", 5, Blosc.SHUFFLE))
    noise = np.random.default_rng(1).integers(-2**31, 2**31, size=SHAPE, dtype="i4")
    stored = pipeline.encode(noise)
    assert stored[2] & 0x02  # incompressible: Blosc kept a plain copy, items in place
    out = np.empty(SHAPE, "i4")
    assert _pick(pipeline, stored, (slice(None), 3), out) is None
    packed = pipeline.encode(_compressible("<i4", SHAPE))
    assert _pick(pipeline, packed, (slice(None), slice(0, 30)), out) is None  # a tenth of the chunk


def _shuffled_blosc1(raw: bytes, typesize: int, blocksize: int) -> bytes:
    """A Blosc 1 chunk written by hand: every block byte-shuffled into ``typesize`` planes of
    ``bsz // typesize`` bytes, its last ``bsz % typesize`` bytes as they are, one LZ4 stream per block
    (numcodecs' LZ4 codec, less its 4-byte size prefix). Lets a test make what numcodecs' Blosc never
    writes: a typesize that is not the item size, blocks ending in unshuffled bytes."""
    lz4 = numcodecs.LZ4()
    streams = []
    for start in range(0, len(raw), blocksize):
        block = raw[start:start + blocksize]
        whole = len(block) // typesize * typesize
        planes = np.frombuffer(block[:whole], "u1").reshape(-1, typesize).T.tobytes() + block[whole:]
        packed = bytes(lz4.encode(planes))[4:]
        assert len(packed) != len(planes)  # that length would mean a stored copy
        streams.append(struct.pack("<i", len(packed)) + packed)
    starts, offset = [], 16 + 4 * len(streams)
    for s in streams:
        starts.append(offset)
        offset += len(s)
    flags = 0x01 | 0x10 | (1 << 5)  # byte shuffle, blocks not split, lz4's format code
    header = struct.pack("<BBBBIII", 2, 1, flags, typesize, len(raw), blocksize, offset)
    return header + struct.pack(f"<{len(starts)}i", *starts) + b"".join(streams)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype,typesize,blocksize", [("<i2", 3, 3003), ("<i4", 4, 32768), ("<f8", 3, 9999),
                                                      ("S5", 6, 21000), ("<i4", 8, 8000), ("<c16", 16, 65536),
                                                      ("<c16", 5, 25000)])
def test_trailing_bytes_of_a_block_are_read_in_place(order, dtype, typesize, blocksize):
    # another writer's typesize: blocks of bsz % typesize != 0 bytes end in unshuffled bytes
    shape = (301, 301)
    chunk = np.asarray(_compressible(dtype, shape, seed=4), order=order)
    raw = chunk.tobytes(order=order)
    assert len(raw) % blocksize % typesize or typesize == np.dtype(dtype).itemsize
    data = _shuffled_blosc1(raw, typesize, blocksize)
    pipeline = ChunkPipeline(chunk.dtype, shape, order, None, Blosc("lz4", 5, Blosc.SHUFFLE))
    np.testing.assert_array_equal(pipeline.decode(data, "0.0"), chunk)  # c-blosc reads it as written
    out = np.empty(shape, chunk.dtype, order=order)
    for selection in _selections(shape):
        got = _pick(pipeline, data, selection, out)
        assert got is not None
        assert got.tobytes() == np.ascontiguousarray(chunk[selection]).tobytes(), selection


def test_a_header_that_does_not_add_up_is_left_to_the_whole_decode():
    pipeline = ChunkPipeline(np.dtype("<i4"), SHAPE, "C", None, Blosc("lz4", 5, Blosc.SHUFFLE))
    data = pipeline.encode(_compressible("<i4", SHAPE))
    out = np.empty(SHAPE, "i4")
    for offset, value in [(4, 123), (8, 6), (8, 0), (12, 99)]:  # nbytes, blocksize (not items), cbytes
        bad = bytearray(data)
        bad[offset:offset + 4] = value.to_bytes(4, "little")
        assert _pick(pipeline, bytes(bad), (slice(None), 1), out) is None
    for offset, value in [(0, 3), (2, data[2] | 0x08), (3, 1)]:  # a later format, an unknown flag, typesize 1
        bad = bytearray(data)
        bad[offset] = value
        assert _pick(pipeline, bytes(bad), (slice(None), 1), out) is None
    assert _pick(pipeline, data[:-5], (slice(None), 1), out) is None


@pytest.fixture(params=[("<i4", "C", (slice(None), 1234)), ("<f8", "F", (1234, slice(None))),
                        ([("a", "<i2"), ("b", "<f8")], "C", (slice(None), 700))],
                ids=["i4-C-column", "f8-F-row", "struct-C-column"])
def sliver_array(request):
    dtype, order, sliver = request.param
    shape = (2100, 1900)
    a = _compressible(dtype, shape, seed=2)
    z = zarr5.array(a, chunks=(1000, 800), order=order, compressor=Blosc("lz4", 5, Blosc.SHUFFLE))
    return a, z, sliver


def test_slivers_of_arrays_equal_numpy(sliver_array):
    # whole columns (rows of F-order chunks) touch every block of each chunk, edge chunks included
    a, z, sliver = sliver_array
    axis = 0 if isinstance(sliver[1], int) else 1
    for k in (0, 5, 799, 800, 1234, 1899):
        line = (slice(None), k) if axis == 1 else (k, slice(None))
        np.testing.assert_array_equal(z[line], a[line])
        np.testing.assert_array_equal(z[line[0], line[1]], a[line])
    np.testing.assert_array_equal(z[sliver], a[sliver])
    strided = (slice(None, None, -5), 3) if axis == 1 else (3, slice(None, None, -5))
    np.testing.assert_array_equal(z[strided], a[strided])
    if a.dtype.names:
        np.testing.assert_array_equal(z.get_basic_selection(sliver, fields="b"), a["b"][sliver])
        np.testing.assert_array_equal(z[sliver]["a"], a["a"][sliver])


def test_a_corrupt_chunk_is_named(sliver_array):
    a, z, sliver = sliver_array
    # a chunk the sliver crosses
    key = f"1.{sliver[1] // 800}" if sliver[0] == slice(None) else f"{sliver[0] // 1000}.1"
    stored = bytearray(z.store[key])
    assert shuffled_layout(stored, z._io.pipeline.nbytes) is not None
    stored[40:len(stored) - 10] = b"\xff" * (len(stored) - 50)  # the compressed streams are garbage
    z.store[key] = bytes(stored)
    with pytest.raises(CorruptChunkError, match=repr(key)):
        z[sliver]
    z.store[key] = bytes(stored[:len(stored) // 2])  # truncated: the whole decode reports it
    with pytest.raises(CorruptChunkError, match=repr(key)):
        z[sliver]


def test_positions_are_cached_within_bounds():
    from zarr5.codecs import blosc_planes

    shape = (1000, 1000)
    first = blosc_planes.plane_positions(shape, "C", 4, ((0, 1000, 1), 5), 524288, 4)
    assert blosc_planes.plane_positions(shape, "C", 4, ((0, 1000, 1), 5), 524288, 4) is first
    for j in range(100):  # more columns than the cache holds: the oldest are dropped
        blosc_planes.plane_positions(shape, "C", 4, ((0, 1000, 1), j), 524288, 4)
    assert len(blosc_planes._positions) <= blosc_planes._CACHED_SELECTIONS
    wide = ((0, 1000, 1), (0, 20, 1))  # 20 columns of 8-byte items: 1.28 MB of positions, not kept
    positions, picked = blosc_planes.plane_positions(shape, "C", 8, wide, 524288, 8)
    assert picked == (1000, 20) and positions.nbytes > blosc_planes._CACHED_BYTES
    assert (shape, "C", 8, wide, 524288, 8) not in blosc_planes._positions
