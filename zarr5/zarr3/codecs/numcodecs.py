"""``zarr.codecs.numcodecs``: numcodecs codecs inside Zarr v3 chains (``numcodecs.<id>``)."""

from zarr5.codecs.v3.objects import NUMCODECS_CLASSES

Delta = NUMCODECS_CLASSES["Delta"]
BitRound = NUMCODECS_CLASSES["BitRound"]
FixedScaleOffset = NUMCODECS_CLASSES["FixedScaleOffset"]
Quantize = NUMCODECS_CLASSES["Quantize"]
Blosc = NUMCODECS_CLASSES["Blosc"]
LZ4 = NUMCODECS_CLASSES["LZ4"]
Zstd = NUMCODECS_CLASSES["Zstd"]
Zlib = NUMCODECS_CLASSES["Zlib"]
GZip = NUMCODECS_CLASSES["GZip"]
BZ2 = NUMCODECS_CLASSES["BZ2"]
LZMA = NUMCODECS_CLASSES["LZMA"]
Shuffle = NUMCODECS_CLASSES["Shuffle"]
CRC32 = NUMCODECS_CLASSES["CRC32"]
CRC32C = NUMCODECS_CLASSES["CRC32C"]
Adler32 = NUMCODECS_CLASSES["Adler32"]
Fletcher32 = NUMCODECS_CLASSES["Fletcher32"]
JenkinsLookup3 = NUMCODECS_CLASSES["JenkinsLookup3"]

__all__ = sorted(NUMCODECS_CLASSES)
