"""Shared by the v3 tests: the interop cases, test data, and a directory reader/writer over the v3 format
layer alone (zarr.json + chunk files written and read with zarr5's codecs, no engine)."""

from __future__ import annotations

import functools
import itertools
import os
import pathlib
import subprocess
from typing import Any

import numcodecs
import numpy as np

from zarr5.codecs.v3 import V3Pipeline
from zarr5.metadata.v3 import ArrayMetadataV3, GroupMetadataV3, build_v3_metadata

BYTES_LE = {"name": "bytes", "configuration": {"endian": "little"}}
CRC = {"name": "crc32c"}


# zarr-python 3 cannot be installed beside zarr-python 2 (a test dependency), so it has its own interpreter,
# built by tools/install_test_deps.sh with the versions the golden documents were written with
ZARR3_VENV = pathlib.Path(__file__).resolve().parents[2] / ".venvs" / "zarr3"
ZARR3_MISSING = ("zarr-python 3 is not installed: run tools/install_test_deps.sh (builds .venvs/zarr3 "
                 "with zarr==3.1.6), or set ZARR5_ZARR3_PYTHON to a python with zarr 3")


@functools.cache
def zarr3_python() -> str | None:
    """The python of an environment with zarr-python 3, or None (the tests skip with ``ZARR3_MISSING``).

    ZARR5_ZARR3_PYTHON if set, else ``.venvs/zarr3`` in the checkout. Nothing is installed here.
    """
    candidate = os.environ.get("ZARR5_ZARR3_PYTHON") or str(ZARR3_VENV / "bin" / "python")
    if not os.access(candidate, os.X_OK):
        return None
    probe = subprocess.run([candidate, "-c", "import zarr; assert zarr.__version__.startswith('3')"],
                           capture_output=True)
    return candidate if probe.returncode == 0 else None


def make_data(shape: tuple[int, ...], dtype: Any, seed: int = 0) -> np.ndarray:
    """Deterministic values of every kind the dtype holds (negative, large, NaN for floats)."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    if dt.kind == "b":
        a = rng.integers(0, 2, n).astype(bool)
    elif dt.kind in "iu":
        info = np.iinfo(dt)
        a = rng.integers(info.min, info.max, n, dtype=dt, endpoint=True)
    elif dt.kind == "f":
        a = (rng.standard_normal(n) * 1000).astype(dt)
        if n > 3:
            a[1], a[2] = np.nan, -np.inf
    elif dt.kind == "c":
        a = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dt)
    else:
        a = rng.integers(0, 256, n * dt.itemsize, dtype=np.uint8).view(dt)
    return a.reshape(shape)


# name -> (build_v3_metadata keyword arguments); every case is read and written by zarr5, zarr-python 3 and
# tensorstore. Shapes are not multiples of the chunks so edge chunks are padded.
INTEROP_CASES: dict[str, dict] = {
    "plain_i4": dict(shape=(10, 7), chunks=(4, 3), dtype="i4", compressor=None),
    "transpose_f8": dict(shape=(9, 5, 4), chunks=(4, 3, 4), dtype="f8", compressor=None, order="F"),
    "transpose_perm_u2": dict(shape=(6, 5, 3), chunks=(4, 2, 3), dtype="u2", codecs=[
        {"name": "transpose", "configuration": {"order": [2, 0, 1]}}, BYTES_LE]),
    "blosc_u2": dict(shape=(50, 9), chunks=(16, 4), dtype="u2",
                     compressor=numcodecs.Blosc("lz4", 5, numcodecs.Blosc.SHUFFLE)),
    "blosc_bitshuffle_f4": dict(shape=(30,), chunks=(8,), dtype="f4", fill_value=np.nan,
                                compressor=numcodecs.Blosc("zstd", 3, numcodecs.Blosc.BITSHUFFLE)),
    "blosc_noshuffle_i1": dict(shape=(33,), chunks=(10,), dtype="i1",
                               compressor=numcodecs.Blosc("zlib", 1, numcodecs.Blosc.NOSHUFFLE)),
    "gzip_f4": dict(shape=(11, 6), chunks=(5, 5), dtype="f4", compressor=numcodecs.GZip(6),
                    fill_value=-1.5),
    "zstd_c16": dict(shape=(7, 3), chunks=(3, 3), dtype="c16", compressor=numcodecs.Zstd(3),
                     fill_value=1 + 2j),
    "zstd_checksum_i8": dict(shape=(20,), chunks=(6,), dtype="i8",
                             codecs=[BYTES_LE, {"name": "zstd", "configuration": {"level": 1,
                                                                                  "checksum": True}}]),
    "crc32c_u4": dict(shape=(13,), chunks=(5,), dtype="u4", codecs=[BYTES_LE, CRC]),
    "big_endian_i8": dict(shape=(12,), chunks=(5,), dtype=">i8", compressor=None),
    "default_bool": dict(shape=(6, 6), chunks=(4, 4), dtype="bool"),
    "default_int8": dict(shape=(6, 6), chunks=(4, 4), dtype="i1", fill_value=-3),
    "default_int16": dict(shape=(17,), chunks=(4,), dtype="i2"),
    "default_uint8": dict(shape=(17,), chunks=(4,), dtype="u1", fill_value=255),
    "default_uint32": dict(shape=(17,), chunks=(4,), dtype="u4"),
    "default_uint64": dict(shape=(17,), chunks=(4,), dtype="u8", fill_value=2**64 - 1),
    "default_float16": dict(shape=(17,), chunks=(4,), dtype="f2", fill_value=np.inf),
    "default_complex64": dict(shape=(5, 5), chunks=(2, 3), dtype="c8"),
    "v2_keys": dict(shape=(5, 5), chunks=(2, 2), dtype="i4", chunk_key_encoding=("v2", ".")),
    "default_dot_keys": dict(shape=(5, 5), chunks=(2, 2), dtype="i4", chunk_key_encoding=("default", ".")),
    "zero_d": dict(shape=(), chunks=(), dtype="f8", fill_value=3.0),
    "sharded_end": dict(shape=(20, 18), chunks=(3, 4), shards=(6, 8), dtype="i4",
                        compressor=numcodecs.Blosc("zstd", 5, numcodecs.Blosc.SHUFFLE)),
    "sharded_start": dict(shape=(20, 18), chunks=(3, 4), shards=(6, 8), dtype="f4", index_location="start",
                          compressor=numcodecs.GZip(1)),
    "sharded_nested": dict(shape=(17, 10), chunks=(4, 5), shards=(8, 10), dtype="u2", codecs=[
        {"name": "transpose", "configuration": {"order": [1, 0]}}, BYTES_LE,
        {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 3, "shuffle": "bitshuffle"}}, CRC]),
    "sharded_in_sharded": dict(shape=(16, 16), chunks=(8, 8), shards=(16, 16), dtype="i2", codecs=[
        {"name": "sharding_indexed", "configuration": {
            "chunk_shape": [4, 4], "codecs": [BYTES_LE, {"name": "gzip", "configuration": {"level": 1}}],
            "index_codecs": [BYTES_LE], "index_location": "start"}}]),
    "sharded_big_endian_no_crc": dict(shape=(9,), chunks=(2,), dtype=">f8", shards=(4,), compressor=None),
}


# the zarr-2-style arguments equivalent to each golden document zarr-python 3 wrote (see golden/README.md)
GOLDEN_ARGS = {
    "f4_nan_dims_attrs": lambda: build_v3_metadata(
        (10, 7), (4, 4), "f4", np.nan, dimension_names=["x", None],
        attributes={"u": 1, "s": "t", "nested": {"a": [1, 2.5, None]}}),
    "i2_sharded_blosc": lambda: build_v3_metadata(
        (10, 7), (2, 2), "i2", shards=(4, 4), compressor=numcodecs.Blosc("zstd", 5, numcodecs.Blosc.SHUFFLE)),
    "c16_v2_keys": lambda: build_v3_metadata((5,), (2,), "c16", 1 + 2j, chunk_key_encoding=("v2", ".")),
    "bool_0d": lambda: build_v3_metadata((), (), "bool"),
    "u8_no_compressor": lambda: build_v3_metadata((3,), (3,), "u8", compressor=None),
    "u1_gzip": lambda: build_v3_metadata((100,), (30,), "u1", 7, compressor=numcodecs.GZip(3)),
    "i8_zstd_checksum": lambda: build_v3_metadata((4, 4), (2, 2), "i8",
                                                  compressor=numcodecs.Zstd(5, checksum=True)),
    "f8_sharded_start": lambda: build_v3_metadata((8, 8), (2, 4), "f8", shards=(4, 8),
                                                  index_location="start"),
    "f2_neg_inf": lambda: build_v3_metadata((6,), (4,), "f2", -np.inf),
    "i4_transpose": lambda: build_v3_metadata((6, 4), (3, 2), "i4", order="F", compressor=None),
    "group_attrs": lambda: GroupMetadataV3({"title": "x", "n": [1, 2]}),
}


def case_meta(name: str) -> ArrayMetadataV3:
    """The metadata of interop case ``name`` (dimension names on every case of 2 or more axes)."""
    kwargs = dict(INTEROP_CASES[name])
    shape = kwargs.pop("shape")
    chunks = kwargs.pop("chunks")
    dtype = kwargs.pop("dtype")
    if len(shape) >= 2:
        kwargs.setdefault("dimension_names", [f"d{i}" for i in range(len(shape) - 1)] + [None])
    meta = build_v3_metadata(shape, chunks, dtype, **kwargs)
    if name == "sharded_big_endian_no_crc":
        conf = dict(meta.codecs[0]["configuration"], index_codecs=[BYTES_LE])
        meta = meta.replace(codecs=({"name": "sharding_indexed", "configuration": conf},))
    return meta


def case_data(name: str) -> np.ndarray:
    """The values every implementation writes for interop case ``name``."""
    meta = case_meta(name)
    data = make_data(meta.shape, meta.dtype, seed=sum(map(ord, name)))
    if data.ndim >= 1 and data.shape[0] > 2:
        # a region left at the fill value, so implementations must agree on leaving chunks out
        data[: data.shape[0] // 3] = meta.fill_value
    return data


# the format layer as a directory store ------------------------------------------------------------------


def grid(meta: ArrayMetadataV3) -> list[tuple[int, ...]]:
    """Every chunk position of the array's grid, in C order."""
    return list(itertools.product(*(range(-(-s // c)) for s, c in zip(meta.shape, meta.chunks))))


def _region(meta: ArrayMetadataV3, coords: tuple[int, ...]) -> tuple[tuple[slice, ...], tuple[slice, ...]]:
    src = tuple(slice(i * c, min((i + 1) * c, n)) for i, c, n in zip(coords, meta.chunks, meta.shape))
    return src, tuple(slice(0, s.stop - s.start) for s in src)


def write_store(path: pathlib.Path, meta: ArrayMetadataV3, data: np.ndarray | None,
                partial_shards: bool = False) -> None:
    """Write ``zarr.json`` and, unless ``data`` is None, every chunk that is not all fill value.

    With ``partial_shards`` a sharded array's shards are built the way the engine will: each inner chunk
    encoded alone (``encode_inner``), fill chunks left out, then ``assemble``.
    """
    path.mkdir(parents=True, exist_ok=True)
    (path / "zarr.json").write_bytes(meta.encode())
    if data is None:
        return
    pipe = V3Pipeline(meta)
    for coords in grid(meta):
        chunk = np.full(meta.chunks, meta.fill_value, dtype=meta.dtype)
        src, dst = _region(meta, coords)
        chunk[dst] = data[src]
        if pipe.is_fill(chunk, meta.fill_value):
            continue
        if partial_shards and pipe.sharding is not None:
            sc = pipe.sharding
            parts = {}
            for inner in sc.inner_coords():
                piece = chunk[sc.inner_selection(inner)]
                if not sc.is_fill_inner(piece):
                    parts[inner] = sc.encode_inner(piece)
            encoded = sc.assemble(parts)
        else:
            encoded = pipe.encode(chunk)
        target = path / meta.chunk_key(coords)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(encoded)


def read_store(path: pathlib.Path, partial_shards: bool = True) -> np.ndarray:
    """Read the array at ``path``; shards through one index range read then one read per inner chunk."""
    meta = ArrayMetadataV3.decode((path / "zarr.json").read_bytes(), str(path / "zarr.json"))
    pipe = V3Pipeline(meta)
    out = np.full(meta.shape, meta.fill_value, dtype=meta.dtype)
    for coords in grid(meta):
        key = meta.chunk_key(coords)
        file = path / key
        if not file.exists():
            continue
        src, dst = _region(meta, coords)
        sc = pipe.sharding
        if sc is not None and partial_shards:
            out[src] = _read_shard_partially(sc, file, key, meta)[dst]
        else:
            out[src] = pipe.decode(file.read_bytes(), key)[dst]
    return out


def _read_shard_partially(sc: Any, file: pathlib.Path, key: str, meta: ArrayMetadataV3) -> np.ndarray:
    shard = np.full(meta.chunks, meta.fill_value, dtype=meta.dtype)
    kind, n = sc.index_range()
    with open(file, "rb") as f:
        if kind == "suffix":
            f.seek(-n, os.SEEK_END)
        index = sc.decode_index(f.read(n), key)
        for inner in sc.inner_coords():
            where = sc.locate(index, inner)
            if where is None:
                continue
            f.seek(where[0])
            sc.decode_inner(f.read(where[1]), f"{key} {list(inner)}", out=shard[sc.inner_selection(inner)])
    return shard
