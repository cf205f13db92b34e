"""Chunk I/O for sharded (Zarr v3 ``sharding_indexed``) arrays.

Indexing works on the inner chunks. A read fetches each touched shard's index with one range read and
then only the inner chunks it needs; a write rewrites only the shards it touches, keeping untouched
inner chunks as the encoded bytes they are (no decode, no re-encode).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

from zarr5 import config
from zarr5.core.chunk_io import ChunkIO, _batches, _map
from zarr5.errors import CorruptChunkError, ReadOnlyError
from zarr5.indexing import ChunkProjection

_Local = tuple[int, ...]


class ShardedChunkIO(ChunkIO):
    """ChunkIO whose stored objects are shards of ``codec.chunks_per_shard`` inner chunks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codec = self.pipeline.sharding
        self.read_chunks = self.codec.inner_chunk_shape
        self._per_shard = self.codec.chunks_per_shard
        self._inner_nbytes = self.meta.dtype.itemsize * int(np.prod(self.read_chunks))

    def _group(self, projections: Iterable[ChunkProjection]) -> dict[tuple[int, ...], list]:
        shards: dict[tuple[int, ...], list[tuple[ChunkProjection, _Local]]] = defaultdict(list)
        for p in projections:
            shard = tuple(c // n for c, n in zip(p.chunk_coords, self._per_shard))
            local = tuple(c % n for c, n in zip(p.chunk_coords, self._per_shard))
            shards[shard].append((p, local))
        return shards

    def _index_ranges(self, keys: list[str]) -> list[tuple[str, int, int | None]]:
        where, nbytes = self.codec.index_range()
        return [(k, -nbytes, None) if where == "suffix" else (k, 0, nbytes) for k in keys]

    def _read_indexes(self, keys: list[str]) -> list[np.ndarray | None]:
        raws = self.store.get_partial_values(self._index_ranges(keys))
        out = []
        for key, raw in zip(keys, raws):
            if raw is not None and len(raw) != self.codec.index_nbytes:
                raise CorruptChunkError(f"shard {key!r} is shorter than its index ({len(raw)} bytes)")
            out.append(None if raw is None else self.codec.decode_index(raw, key))
        return out

    def count_initialized(self) -> int:
        keys = self.stored_chunk_keys()
        empty = np.iinfo(np.uint64).max
        return sum(int((index[..., 0] != empty).sum()) for index in self._read_indexes(keys)
                   if index is not None)

    # reading: the index, then only the inner chunks asked for
    def read(self, projections: Iterable[ChunkProjection], out: np.ndarray, fields: Any = None,
             fresh: bool = False) -> None:
        # ``fresh`` is not used: inner chunks are small and decode inline, with no pool to run ahead of
        shards = self._group(projections)
        for batch in _batches(list(shards.items()), config.get("batch_chunks")):
            keys = [self.chunk_key(shard) for shard, _ in batch]
            wanted: list[tuple[ChunkProjection, str, tuple[int, int] | None]] = []
            for key, index, (_, members) in zip(keys, self._read_indexes(keys), batch):
                for p, local in members:
                    wanted.append((p, key, None if index is None else self.codec.locate(index, local)))
            ranges = [(key, loc[0], loc[1]) for _, key, loc in wanted if loc is not None]
            pieces = iter(self.store.get_partial_values(ranges))
            items = []
            for p, key, loc in wanted:
                data = None if loc is None else next(pieces)
                if loc is not None and (data is None or len(data) != loc[1]):
                    raise CorruptChunkError(f"shard {key!r}: inner chunk {p.chunk_coords} is truncated")
                items.append((p, key, data))
            _map(lambda item: self._read_inner(item[0], item[1], item[2], out, fields), items,
                 self._inner_nbytes)

    def _read_inner(self, p: ChunkProjection, key: str, data: bytes | None, out: np.ndarray,
                    fields: Any) -> None:
        if data is None:
            self.fill_out(p, out, fields)
            return
        chunk = self.codec.decode_inner(data, key)
        if fields is not None:
            chunk = chunk[fields]
        out[p.out_selection] = chunk[p.chunk_selection]

    # writing: one shard at a time, untouched inner chunks kept as encoded bytes
    def write(self, projections: Iterable[ChunkProjection], value: Any, fields: Any = None) -> None:
        if self.store.read_only:
            raise ReadOnlyError("cannot write chunks: the store is read-only")
        def write_shard(item: tuple) -> None:
            shard, members = item
            key = self.chunk_key(shard)
            with self._lock(key):
                self._write_shard(key, members, value, fields)

        _map(write_shard, list(self._group(projections).items()), self.pipeline.nbytes)

    def _write_shard(self, key: str, members: list, value: Any, fields: Any) -> None:
        whole = all(p.is_complete for p, _ in members) and len(members) == self.codec.n_inner
        try:
            # a shard rewritten in full need not be read
            stored = {} if whole else self.codec.split(self.store[key], key)
        except KeyError:
            stored = {}
        for p, local in members:
            def existing(local: _Local = local) -> np.ndarray:
                if local not in stored:
                    return self._fill_chunk()
                chunk = self.codec.decode_inner(stored[local], key)
                return chunk if chunk.flags.writeable else chunk.copy(order=self.meta.order)

            chunk = self.merged_chunk(p, value, fields, existing)
            if not self.write_empty_chunks and self.codec.is_fill_inner(chunk):
                stored.pop(local, None)
            else:
                stored[local] = self.codec.encode_inner(chunk)
        if stored:
            self.store[key] = self.codec.assemble(stored)
        else:
            self.store.delete_many([key])


__all__ = ["ShardedChunkIO"]
