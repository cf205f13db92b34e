"""The chunk codec pipeline over numcodecs, and codec lookup from metadata configurations.

Contract: a codec is a :class:`numcodecs.abc.Codec` (``encode(buf) -> bytes-like``,
``decode(buf, out=None) -> buffer``, ``get_config() -> dict`` with an ``id``). :mod:`.registry` turns a
stored configuration into a codec (refusing Pickle unless allowed); :mod:`.pipeline` chains filters
and a compressor for one array's chunks.
"""

# registers the N5 block codec with numcodecs, so arrays of N5 stores decode wherever codecs are looked up
from zarr5.codecs import n5 as _n5  # noqa: F401
from zarr5.codecs.pipeline import ChunkPipeline
from zarr5.codecs.registry import UNSAFE_CODEC_IDS, codec_config, get_codec

__all__ = ["UNSAFE_CODEC_IDS", "ChunkPipeline", "codec_config", "get_codec"]
