"""``zarr5.n5``: where zarr-python 2 code finds ``N5Store`` (``from zarr.n5 import N5Store``)."""

from zarr5.codecs.n5 import N5ChunkWrapper
from zarr5.storage.n5 import N5Store

__all__ = ["N5ChunkWrapper", "N5Store"]
