"""h5py's storage keywords <-> numcodecs codecs, both directions, driven by one table.

h5py names a dataset's filter pipeline with keywords (``compression``, ``compression_opts``, ``shuffle``,
``fletcher32``, ``scaleoffset``); Zarr v2 names it with codecs (``filters`` then ``compressor``). The
HDF5 pipeline order is scale-offset, shuffle, compression, Fletcher-32; zarr5 keeps that order: the
last codec becomes the Zarr ``compressor`` and the others the Zarr ``filters``, so any zarr reader
decodes the chunks. The h5py spelling is also kept in the reserved attribute ``_zarr5_filters`` so that
names without an exact codec (LZF is stored with LZ4) read back as they were given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numcodecs
import numpy as np
from numcodecs.abc import Codec

__all__ = ["FILTERS", "Pipeline", "decode", "encode", "from_codecs", "to_codecs"]


@dataclass(frozen=True)
class FilterSpec:
    """One HDF5 filter: its h5py name, HDF5 filter id and the numcodecs codec id(s) standing for it."""

    name: str
    filter_id: int
    codec_ids: tuple[str, ...]


# the table: h5py name, HDF5 filter id, codec ids read back as this filter (first = written)
FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec("gzip", 1, ("zlib", "gzip")),
    FilterSpec("shuffle", 2, ("shuffle",)),
    FilterSpec("fletcher32", 3, ("fletcher32",)),
    FilterSpec("scaleoffset", 6, ("fixedscaleoffset",)),
    FilterSpec("lzf", 32000, ("lz4",)),
)
_BY_NAME = {f.name: f for f in FILTERS}
_BY_CODEC = {cid: f for f in FILTERS for cid in f.codec_ids}

# what h5py.filters.encode / decode list: the filters this build can write and read
encode: tuple[str, ...] = tuple(f.name for f in FILTERS)
decode: tuple[str, ...] = encode

_GZIP_DEFAULT = 4
_LEGACY_GZIP_LEVELS = tuple(range(10))  # compression=0..9 means gzip at that level, as in h5py


@dataclass(frozen=True)
class Pipeline:
    """The h5py view of a dataset's filters."""

    compression: str | None = None
    compression_opts: Any = None
    shuffle: bool = False
    fletcher32: bool = False
    scaleoffset: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.compression or self.shuffle or self.fletcher32 or self.scaleoffset is not None)

    @property
    def names(self) -> tuple[str, ...]:
        out = []
        if self.scaleoffset is not None:
            out.append("scaleoffset")
        if self.shuffle:
            out.append("shuffle")
        if self.compression:
            out.append(self.compression)
        if self.fletcher32:
            out.append("fletcher32")
        return tuple(out)

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(_BY_NAME[n].filter_id if n in _BY_NAME else -1 for n in self.names)

    def record(self) -> dict:
        return {k: v for k, v in (("compression", self.compression),
                                  ("compression_opts", self.compression_opts),
                                  ("shuffle", self.shuffle), ("fletcher32", self.fletcher32),
                                  ("scaleoffset", self.scaleoffset)) if v is not None and v is not False}


def parse(dtype: np.dtype, compression: Any = None, compression_opts: Any = None, shuffle: Any = None,
          fletcher32: Any = None, scaleoffset: Any = None) -> tuple[Pipeline, Codec | None]:
    """Check h5py's keywords; return the Pipeline and, for ``compression=<Codec>``, that codec."""
    if compression is None and compression_opts is None and scaleoffset is None \
            and shuffle in (None, False) and fletcher32 in (None, False):
        return _NO_FILTERS, None  # no filter asked for (the usual call)
    codec = None
    if isinstance(compression, Codec):
        codec, compression = compression, None
        if compression_opts is not None:
            raise ValueError("compression_opts cannot be given with a numcodecs codec as compression")
    elif isinstance(compression, (int, np.integer)) and not isinstance(compression, bool):
        level = int(compression)
        if level in _LEGACY_GZIP_LEVELS:
            compression, compression_opts = "gzip", level
        elif level < 0:
            raise ValueError(f"Invalid filter number: {level}")
        else:
            raise ValueError(f"Unknown compression filter number: {level}")
    if compression is not None:
        if compression not in ("gzip", "lzf") and compression in ("szip",):
            raise ValueError(f'Compression filter "{compression}" is unavailable')
        if compression == "gzip":
            if compression_opts is None:
                compression_opts = _GZIP_DEFAULT
            if isinstance(compression_opts, tuple) and len(compression_opts) == 1:
                compression_opts = compression_opts[0]
            if (not isinstance(compression_opts, (int, np.integer)) or isinstance(compression_opts, bool)
                    or not 0 <= compression_opts <= 9):
                raise ValueError(f"GZIP setting must be an integer from 0-9, not {compression_opts!r}")
            compression_opts = int(compression_opts)
        elif compression == "lzf":
            if compression_opts is not None:
                raise ValueError("LZF compression filter accepts no options")
        else:
            raise ValueError(f'Compression filter "{compression}" is unavailable')
    elif compression_opts is not None and codec is None:
        # h5py: options alone mean gzip
        return parse(dtype, "gzip", compression_opts, shuffle, fletcher32, scaleoffset)
    so = None
    if scaleoffset is not None and scaleoffset is not False:
        if dtype.kind not in "iuf":
            raise TypeError(f"scale/offset filter only supported for integer and floating-point types, "
                            f"not {dtype}")
        if scaleoffset is True:
            if dtype.kind == "f":
                raise ValueError("integer scaleoffset must be provided for floating point types")
            so = 0
        elif isinstance(scaleoffset, (int, np.integer)) and scaleoffset >= 0:
            so = int(scaleoffset)
        else:
            raise ValueError(f"scaleoffset must be a non-negative integer or True, not {scaleoffset!r}")
    if fletcher32 not in (None, True, False) or shuffle not in (None, True, False):
        raise TypeError("shuffle and fletcher32 must be True or False")
    return Pipeline(compression, compression_opts, bool(shuffle), bool(fletcher32), so), codec


_NO_FILTERS = Pipeline()


def to_codecs(p: Pipeline, dtype: np.dtype, codec: Codec | None = None) -> tuple[list[Codec], Codec | None]:
    """Return Zarr ``(filters, compressor)`` for the pipeline, in HDF5's order."""
    chain: list[Codec] = []
    if p.scaleoffset is not None and dtype.kind == "f":
        chain.append(numcodecs.FixedScaleOffset(offset=0, scale=10 ** p.scaleoffset, dtype=dtype.str,
                                                astype="<i8"))
    if p.shuffle:
        chain.append(numcodecs.Shuffle(elementsize=max(dtype.itemsize, 1) if not dtype.hasobject else 1))
    if p.compression == "gzip":
        chain.append(numcodecs.Zlib(level=p.compression_opts))
    elif p.compression == "lzf":
        chain.append(numcodecs.LZ4())
    if codec is not None:
        chain.append(codec)
    if p.fletcher32:
        chain.append(numcodecs.Fletcher32())
    if not chain:
        return [], None
    return chain[:-1], chain[-1]


def from_codecs(filters: list | None, compressor: Codec | None, record: dict | None) -> Pipeline:
    """The h5py view of a zarr array's codecs; the reserved ``record`` wins where present."""
    if record:
        return Pipeline(record.get("compression"), record.get("compression_opts"),
                        bool(record.get("shuffle", False)), bool(record.get("fletcher32", False)),
                        record.get("scaleoffset"))
    codecs = [c for c in list(filters or []) + ([compressor] if compressor is not None else [])
              if c.codec_id not in ("vlen-utf8", "vlen-bytes", "vlen-array")]
    compression, opts, shuffle, fletcher, so = None, None, False, False, None
    for c in codecs:
        spec = _BY_CODEC.get(c.codec_id)
        if spec is None:
            compression = compression or c.codec_id  # a zarr-only compressor keeps its codec name
        elif spec.name == "gzip":
            compression, opts = "gzip", getattr(c, "level", None)
        elif spec.name == "shuffle":
            shuffle = True
        elif spec.name == "fletcher32":
            fletcher = True
        elif spec.name == "lzf":
            compression = "lzf"
        elif spec.name == "scaleoffset":
            scale = getattr(c, "scale", 1)
            so = int(round(np.log10(scale))) if scale and scale > 0 else 0
    return Pipeline(compression, opts, shuffle, fletcher, so)


# ---------------------------------------------------------------------------------------------------
# HDF5 filter pipelines (filter id, cd_values) <-> byte-compatible codecs, both directions in one table.
# A chunk HDF5 wrote through these filters is, byte for byte, a chunk these codecs decode (and the
# reverse), so copies between HDF5 and zarr move chunks without decoding them. LZ4 (32004) frames its
# blocks differently from numcodecs' LZ4, LZF has no codec, scale-offset and n-bit pack bits their own
# way: those are decoded and re-encoded.

_BLOSC_CNAMES = ("blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd")


@dataclass(frozen=True)
class RawSpec:
    """One HDF5 filter whose chunks a numcodecs codec reads and writes unchanged."""

    filter_id: int
    codec_id: str
    to_codec: Any  # (cd_values, itemsize) -> Codec
    to_cd: Any  # (Codec config, itemsize, chunk nbytes) -> cd_values


def _blosc_codec(cd: tuple, itemsize: int) -> Codec:
    clevel = int(cd[4]) if len(cd) > 4 else 5
    shuffle = int(cd[5]) if len(cd) > 5 else 1
    cname = _BLOSC_CNAMES[int(cd[6])] if len(cd) > 6 and int(cd[6]) < len(_BLOSC_CNAMES) else "blosclz"
    return numcodecs.Blosc(cname=cname, clevel=clevel, shuffle=shuffle)


def _blosc_cd(cfg: dict, itemsize: int, nbytes: int) -> tuple[int, ...]:
    shuffle = int(cfg.get("shuffle", 1))
    # numcodecs' AUTOSHUFFLE (-1) means byte shuffle unless items are single bytes
    shuffle = (1 if itemsize > 1 else 0) if shuffle < 0 else shuffle
    return (2, 2, itemsize, nbytes, int(cfg.get("clevel", 5)), shuffle,
            _BLOSC_CNAMES.index(cfg.get("cname", "lz4")))


RAW_FILTERS: tuple[RawSpec, ...] = (
    RawSpec(1, "zlib", lambda cd, n: numcodecs.Zlib(level=int(cd[0]) if cd else 6),
            lambda cfg, n, nb: (int(cfg.get("level", 1)),)),
    RawSpec(2, "shuffle", lambda cd, n: numcodecs.Shuffle(elementsize=int(cd[0]) if cd else n),
            lambda cfg, n, nb: (int(cfg.get("elementsize", n)),)),
    RawSpec(3, "fletcher32", lambda cd, n: numcodecs.Fletcher32(), lambda cfg, n, nb: ()),
    RawSpec(32001, "blosc", _blosc_codec, _blosc_cd),
    RawSpec(32015, "zstd", lambda cd, n: numcodecs.Zstd(level=int(cd[0]) if cd else 3),
            lambda cfg, n, nb: (int(cfg.get("level", 3)),)),
    RawSpec(307, "bz2", lambda cd, n: numcodecs.BZ2(level=int(cd[0]) if cd else 9),
            lambda cfg, n, nb: (int(cfg.get("level", 9)),)),
)
_RAW_BY_ID = {r.filter_id: r for r in RAW_FILTERS}
_RAW_BY_CODEC = {r.codec_id: r for r in RAW_FILTERS}
# HDF5 filter ids that need a plugin library (hdf5plugin) for HDF5 itself to read them
PLUGIN_FILTER_IDS = frozenset({32001, 32015, 307, 32004, 32026, 32008})


def codec_for_filter(filter_id: int, cd_values: Any, itemsize: int) -> Codec | None:
    """The codec that reads HDF5 filter ``filter_id``'s chunks unchanged, or None."""
    spec = _RAW_BY_ID.get(int(filter_id))
    return None if spec is None else spec.to_codec(tuple(cd_values or ()), itemsize)


def filter_for_codec(codec: Codec, itemsize: int, chunk_nbytes: int) -> tuple[int, tuple[int, ...]] | None:
    """``(HDF5 filter id, cd_values)`` writing chunks ``codec`` reads unchanged, or None."""
    cfg = codec.get_config()
    spec = _RAW_BY_CODEC.get(cfg.get("id"))
    if spec is None or (cfg.get("id") == "blosc" and cfg.get("cname") not in _BLOSC_CNAMES):
        return None
    return spec.filter_id, spec.to_cd(cfg, itemsize, chunk_nbytes)


# HDF5 filter id -> the h5py create_dataset keyword that asks for it (both directions of copy use this)
def h5py_keywords(pipeline: Any, scaleoffset: Any, other: Any) -> dict:
    """h5py ``create_dataset`` keywords for an HDF5 filter pipeline.

    ``pipeline`` holds ``(filter_id, client_data)`` pairs (extra items are ignored); ``other(fid, cd,
    kws)`` decides what to do with ids outside h5py's own keywords (a plugin codec, a raw filter id).
    """
    kws: dict[str, Any] = {}
    for fid, cd, *_ in pipeline:
        if fid == 1:
            kws["compression"], kws["compression_opts"] = "gzip", cd[0] if cd else _GZIP_DEFAULT
        elif fid == 2:
            kws["shuffle"] = True
        elif fid == 3:
            kws["fletcher32"] = True
        elif fid == 6:
            kws["scaleoffset"] = scaleoffset
        elif fid == 32000:
            kws["compression"] = "lzf"
        else:
            other(fid, cd, kws)
    return kws
