"""Zarr v3 codecs: ``bytes``, ``transpose``, ``blosc``, ``gzip``, ``zstd``, ``crc32c``, ``sharding_indexed``.

Contract (see :mod:`.base`): array -> array, array -> bytes and bytes -> bytes codecs, chained by
:class:`.chain.CodecChain` from the normalised configurations that
:func:`zarr5.metadata.v3_codecs.parse_codecs` returns. :class:`.pipeline.V3Pipeline` gives one array's
chunks the interface of the v2 ``ChunkPipeline``; its ``sharding`` (a :class:`.sharding.ShardCodec`)
reads and writes shards an inner chunk at a time. Nothing here does store I/O.
"""

from zarr5.codecs.v3.bytes_codecs import crc32c
from zarr5.codecs.v3.chain import CodecChain
from zarr5.codecs.v3.fill import is_fill
from zarr5.codecs.v3.pipeline import V3Pipeline
from zarr5.codecs.v3.sharding import EMPTY, ShardCodec

__all__ = ["EMPTY", "CodecChain", "ShardCodec", "V3Pipeline", "crc32c", "is_fill"]
