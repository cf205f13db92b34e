"""Moving encoded chunks between HDF5 and zarr unchanged, and the chunk-aligned blocks of slow copies.

HDF5 stores a chunked dataset's chunks full-size, edge chunks padded, exactly as Zarr v2 does; when
every filter of the HDF5 pipeline has a byte-compatible codec (``zarr5.h5.filters.RAW_FILTERS``) a chunk
is copied as it lies. A chunk HDF5 stored with some optional filter skipped (its filter mask) is decoded
by the filters that did run and re-encoded by the whole pipeline.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from typing import Any

from numcodecs.abc import Codec

from zarr5 import config
from zarr5.metadata.v2 import ArrayMetadata

__all__ = ["blocks", "h5_to_zarr_chunks", "stored_chunks", "zarr_to_h5_chunks"]

_BATCH_BYTES = 64 * 2 ** 20  # encoded bytes held at once: memory stays a few chunks' worth
_BLOCK_BYTES = 32 * 2 ** 20  # decoded bytes per block on the decode / re-encode path


def blocks(shape: tuple[int, ...], chunks: tuple[int, ...], itemsize: int,
           budget: int = _BLOCK_BYTES) -> Iterator[tuple[slice, ...]]:
    """Chunk-aligned regions covering ``shape``, each a whole number of chunks and about ``budget`` bytes.

    Trailing axes grow first, so a block is contiguous in C order and whole chunks are written.
    """
    if not shape:
        yield ()
        return
    block = list(chunks)
    for ax in reversed(range(len(shape))):
        per = math.prod(block) * max(itemsize, 1)
        factor = max(1, budget // max(per, 1))
        full = -(-shape[ax] // chunks[ax]) * chunks[ax]
        block[ax] = min(full, chunks[ax] * factor)
        if block[ax] < full:
            break
    ranges = [range(0, max(n, 1) if n else 0, b) for n, b in zip(shape, block)]
    if any(n == 0 for n in shape):
        return

    def rec(ax: int, prefix: tuple[slice, ...]) -> Iterator[tuple[slice, ...]]:
        if ax == len(shape):
            yield prefix
            return
        for start in ranges[ax]:
            yield from rec(ax + 1, prefix + (slice(start, min(shape[ax], start + block[ax])),))

    yield from rec(0, ())


def _chunk_key(prefix: str, sep: str, coords: tuple[int, ...]) -> str:
    return prefix + (sep.join(map(str, coords)) if coords else "0")


def _encode(codecs: list[Codec], data: Any) -> bytes:
    for c in codecs:
        data = c.encode(data)
    return bytes(memoryview(data))


def _fix_masked(data: bytes, mask: int, codecs: list[Codec]) -> bytes:
    # undo the filters HDF5 did run on this chunk, then run the whole pipeline as zarr expects
    for i in reversed(range(len(codecs))):
        if not mask & (1 << i):
            data = codecs[i].decode(data)
    return _encode(codecs, data)


class _Reader:
    """Reads stored HDF5 chunks: by file offset (os.pread, parallel) when the file is a plain file."""

    def __init__(self, dset: Any) -> None:
        self.dsid = dset.id
        self.fd: int | None = None
        f = dset.file
        if f.driver == "sec2" and os.path.isfile(f.filename):
            self.fd = os.open(f.filename, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            self.base = f.userblock_size  # chunk addresses are relative to the end of the user block

    def read(self, info: Any) -> tuple[int, bytes]:
        if self.fd is None:
            return self.dsid.read_direct_chunk(info.chunk_offset)
        return info.filter_mask, os.pread(self.fd, info.size, info.byte_offset + self.base)

    def check(self, info: Any) -> None:
        # one comparison with HDF5's own reader guards the address arithmetic
        if self.fd is not None and self.read(info)[1] != self.dsid.read_direct_chunk(info.chunk_offset)[1]:
            self.close()

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _chunk_infos(dsid: Any) -> list[Any]:
    infos: list[Any] = []
    try:
        dsid.chunk_iter(infos.append)
    except (AttributeError, NotImplementedError):  # HDF5 before 1.14 has no chunk iterator
        infos = [dsid.get_chunk_info(i) for i in range(dsid.get_num_chunks())]
    return infos


def h5_to_zarr_chunks(dset: Any, codecs: list[Codec], store: Any, path: str, progress: Any = None) -> int:
    """Copy every stored chunk of h5py dataset ``dset`` to the zarr v2 array at ``path``; return count."""
    meta = ArrayMetadata.decode(store[(path + "/" if path else "") + ".zarray"])
    prefix = path + "/" if path else ""
    chunks = dset.chunks
    extra = (0,) * (len(meta.chunks) - len(chunks))  # HDF5 array types: trailing axes, one chunk
    infos = _chunk_infos(dset.id)
    if not infos:
        return 0
    nbytes = math.prod(meta.chunks) * meta.dtype.itemsize
    reader = _Reader(dset)
    reader.check(infos[0])
    pool = config.executor() if reader.fd is not None and config.get("max_workers") != 1 else None
    try:
        batch: list[Any] = []
        size = 0
        for info in infos:
            batch.append(info)
            size += info.size
            if size >= _BATCH_BYTES:
                _flush_in(batch, reader, pool, codecs, store, prefix, meta.dimension_separator, chunks,
                          extra, progress, nbytes)
                batch, size = [], 0
        if batch:
            _flush_in(batch, reader, pool, codecs, store, prefix, meta.dimension_separator, chunks, extra,
                      progress, nbytes)
    finally:
        reader.close()
    return len(infos)


def _flush_in(batch: list[Any], reader: _Reader, pool: Any, codecs: list[Codec], store: Any, prefix: str,
              sep: str, chunks: tuple[int, ...], extra: tuple[int, ...], progress: Any,
              chunk_nbytes: int) -> None:
    raw = list(pool.map(reader.read, batch)) if pool is not None else [reader.read(i) for i in batch]
    items = {}
    for info, (mask, data) in zip(batch, raw):
        if mask:
            data = _fix_masked(data, mask, codecs)
        coords = tuple(o // c for o, c in zip(info.chunk_offset, chunks)) + extra
        items[_chunk_key(prefix, sep, coords)] = data
    store.set_many(items)
    if progress is not None:
        progress.update(len(batch) * chunk_nbytes)


def stored_chunks(store: Any, path: str, meta: ArrayMetadata) -> list[tuple[str, tuple[int, ...]]]:
    """``(key, grid coordinates)`` of the chunks stored for the zarr v2 array at ``path``."""
    prefix = path + "/" if path else ""
    ndim = len(meta.shape)
    if ndim == 0:
        return [(prefix + "0", ())] if prefix + "0" in store else []
    names = [""]
    if meta.dimension_separator == "/":
        for _ in range(ndim):
            names = [f"{n}/{c}".lstrip("/") for n in names for c in store.listdir(prefix + n if n else path)
                     if c.isdigit()]
        found = [(prefix + n, tuple(int(c) for c in n.split("/"))) for n in names]
        return [(k, c) for k, c in found if k in store]
    out = []
    for n in store.listdir(path):
        parts = n.split(".")
        if len(parts) == ndim and all(p.isdigit() for p in parts):
            out.append((prefix + n, tuple(int(p) for p in parts)))
    return out


def zarr_to_h5_chunks(store: Any, path: str, meta: ArrayMetadata, dset: Any, progress: Any = None) -> int:
    """Write every stored chunk of the zarr array at ``path`` into h5py dataset ``dset`` unchanged."""
    keys = stored_chunks(store, path, meta)
    chunks = dset.chunks
    shape = dset.shape
    n = 0
    batch: list[tuple[str, tuple[int, ...]]] = []
    for item in keys + [None]:  # type: ignore[list-item]
        if item is not None:
            batch.append(item)
        if batch and (item is None or len(batch) >= 256):
            values = store.get_many([k for k, _ in batch])
            for key, coords in batch:
                offset = tuple(c * s for c, s in zip(coords[:len(chunks)], chunks))
                # chunks left beyond the extent by a shrinking resize are not HDF5's to hold
                if key in values and all(o < s for o, s in zip(offset, shape)):
                    dset.id.write_direct_chunk(offset, bytes(memoryview(values[key])))
                    n += 1
            if progress is not None:
                progress.update(len(batch) * math.prod(meta.chunks) * meta.dtype.itemsize)
            batch = []
    return n
