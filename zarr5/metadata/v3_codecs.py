"""Zarr v3 codec configurations: validation, normalisation, and translation from numcodecs.

A v3 array's ``codecs`` is a chain: any number of array -> array codecs (``transpose``), exactly one
array -> bytes codec (``bytes`` or ``sharding_indexed``; ``vlen-utf8`` for strings), then any number
of bytes -> bytes codecs
(``blosc``, ``gzip``, ``zstd``, ``crc32c``). :func:`parse_codecs` checks a chain against the data type
and chunk shape it encodes and returns it normalised: every entry a ``{"name": ..., "configuration":
{...}}`` dict (the configuration possibly empty) with its keys in the order zarr-python 3 writes them.
Nothing here encodes data; :mod:`zarr5.codecs.v3` does, from the normalised dicts.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

import numpy as np

from zarr5.errors import MetadataError

__all__ = [
    "ARRAY_ARRAY",
    "ARRAY_BYTES",
    "BYTES_BYTES",
    "NUMCODECS_ARRAY_ARRAY",
    "NUMCODECS_BYTES_BYTES",
    "NUMCODECS_PREFIX",
    "codec_from_numcodecs",
    "default_index_codecs",
    "parse_codecs",
    "unparse_codec",
]

ARRAY_ARRAY = frozenset({"transpose"})
# numcodecs codecs inside v3 chains, as zarr-python 3 writes them ("numcodecs.<id>", no "id" key)
NUMCODECS_PREFIX = "numcodecs."
NUMCODECS_ARRAY_ARRAY = frozenset({"delta", "bitround", "fixedscaleoffset", "quantize"})
NUMCODECS_BYTES_BYTES = frozenset({"blosc", "lz4", "zstd", "zlib", "gzip", "bz2", "lzma", "shuffle", "crc32",
                                   "crc32c", "adler32", "fletcher32", "jenkins_lookup3"})
ARRAY_BYTES = frozenset({"bytes", "sharding_indexed", "vlen-utf8"})
BYTES_BYTES = frozenset({"blosc", "gzip", "zstd", "crc32c"})
# a shard index must have one encoded size, so only codecs of fixed output size may encode it
_INDEX_CODECS = frozenset({"transpose", "bytes", "crc32c"})

# codecs zarr-python 3 writes with an empty configuration object rather than none
_EMPTY_CONFIG_WRITTEN = frozenset({"vlen-utf8"})

BLOSC_CNAMES = ("lz4", "lz4hc", "blosclz", "zstd", "snappy", "zlib")
BLOSC_SHUFFLES = ("noshuffle", "shuffle", "bitshuffle")
_ZSTD_LEVELS = (-131072, 22)


def _is_int(x: Any) -> TypeGuard[int]:  # numpy integers too; bool is no integer here
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def _entry(value: Any, field: str) -> tuple[str, dict]:
    # a codec is {"name": ..., "configuration": {...}} or, in the spec's short form, just its name
    if isinstance(value, str):
        return value, {}
    if not isinstance(value, Mapping) or not isinstance(value.get("name"), str):
        raise MetadataError(f"{field}: {value!r} must be a codec: an object with a string 'name'"[:300])
    extra = set(value) - {"name", "configuration", "must_understand"}
    if extra:
        raise MetadataError(f"{field}: codec {value['name']!r} has unknown keys {sorted(extra)}")
    config = value.get("configuration", {})
    if not isinstance(config, Mapping):
        raise MetadataError(f"{field}: configuration of codec {value['name']!r} must be an object, "
                            f"not {config!r}")
    return value["name"], dict(config)


def _only(config: dict, allowed: Sequence[str], name: str, field: str) -> None:
    extra = set(config) - set(allowed)
    if extra:
        raise MetadataError(f"{field}: codec {name!r} has unknown configuration keys {sorted(extra)}")


# one parse_* per codec: each returns the normalised configuration ----------------------------------


def parse_bytes(config: dict, dtype: np.dtype, field: str) -> dict:
    """Return the ``bytes`` configuration; ``endian`` is required when an item has more than one byte."""
    _only(config, ("endian",), "bytes", field)
    if "endian" not in config:
        if dtype.itemsize > 1 and dtype.kind != "V":
            raise MetadataError(f"{field}: codec 'bytes' needs 'endian' ('little' or 'big') for "
                                f"{dtype.itemsize}-byte items")
        return {}
    if config["endian"] not in ("little", "big"):
        raise MetadataError(f"{field}: bytes endian {config['endian']!r} must be 'little' or 'big'")
    return {"endian": config["endian"]}


def parse_transpose(config: dict, ndim: int, field: str) -> dict:
    """Return the ``transpose`` configuration: ``order`` a permutation of the axes.

    The strings ``'C'`` and ``'F'`` of early drafts are read as the identity and the reversal.
    """
    _only(config, ("order",), "transpose", field)
    order = config.get("order")
    if order == "C":
        order = list(range(ndim))
    elif order == "F":
        order = list(range(ndim))[::-1]
    if (not isinstance(order, (list, tuple)) or not all(_is_int(i) for i in order)
            or sorted(order) != list(range(ndim))):
        raise MetadataError(f"{field}: transpose order {config.get('order')!r} must be a permutation of "
                            f"{list(range(ndim))}")
    return {"order": [int(i) for i in order]}


def parse_blosc(config: dict, itemsize: int, field: str) -> dict:
    """Return the ``blosc`` configuration; ``typesize`` defaults to the item size, ``blocksize`` to 0."""
    _only(config, ("typesize", "cname", "clevel", "shuffle", "blocksize"), "blosc", field)
    for required in ("cname", "clevel", "shuffle"):
        if required not in config:
            raise MetadataError(f"{field}: codec 'blosc' is missing {required!r}")
    cname, clevel, shuffle = config["cname"], config["clevel"], config["shuffle"]
    typesize = config.get("typesize", itemsize)
    blocksize = config.get("blocksize", 0)
    if cname not in BLOSC_CNAMES:
        raise MetadataError(f"{field}: blosc cname {cname!r} must be one of {', '.join(BLOSC_CNAMES)}")
    if not _is_int(clevel) or not 0 <= clevel <= 9:
        raise MetadataError(f"{field}: blosc clevel {clevel!r} must be an integer in 0..9")
    if shuffle not in BLOSC_SHUFFLES:
        raise MetadataError(f"{field}: blosc shuffle {shuffle!r} must be one of {', '.join(BLOSC_SHUFFLES)}")
    if not _is_int(typesize) or not 1 <= typesize <= 255:
        raise MetadataError(f"{field}: blosc typesize {typesize!r} must be an integer in 1..255")
    if not _is_int(blocksize) or blocksize < 0:
        raise MetadataError(f"{field}: blosc blocksize {blocksize!r} must be a non-negative integer")
    return {"typesize": int(typesize), "cname": cname, "clevel": int(clevel), "shuffle": shuffle,
            "blocksize": int(blocksize)}


def parse_gzip(config: dict, field: str) -> dict:
    """Return the ``gzip`` configuration: ``level`` in 0..9."""
    _only(config, ("level",), "gzip", field)
    level = config.get("level")
    if not _is_int(level) or not 0 <= level <= 9:
        raise MetadataError(f"{field}: gzip level {level!r} must be an integer in 0..9")
    return {"level": int(level)}


def parse_zstd(config: dict, field: str) -> dict:
    """Return the ``zstd`` configuration: ``level`` an integer, ``checksum`` a bool (default false)."""
    _only(config, ("level", "checksum"), "zstd", field)
    level = config.get("level", 0)
    checksum = config.get("checksum", False)
    if not _is_int(level) or not _ZSTD_LEVELS[0] <= level <= _ZSTD_LEVELS[1]:
        raise MetadataError(f"{field}: zstd level {level!r} must be an integer in "
                            f"{_ZSTD_LEVELS[0]}..{_ZSTD_LEVELS[1]}")
    if not isinstance(checksum, bool):
        raise MetadataError(f"{field}: zstd checksum {checksum!r} must be true or false")
    return {"level": int(level), "checksum": checksum}


def parse_numcodecs(name: str, config: dict, dtype: np.dtype, field: str) -> tuple[dict, np.dtype]:
    """Return the configuration of a ``numcodecs.<id>`` codec (checked by building it) and the dtype of
    what it hands on; what zarr-python 3 fills from the array (a shuffle's ``elementsize``, the ``dtype``
    of fixedscaleoffset and quantize) is filled the same way."""
    import numcodecs

    cid = name[len(NUMCODECS_PREFIX):]
    config = {k: v for k, v in config.items() if k != "id"}
    if cid == "shuffle":
        config.setdefault("elementsize", dtype.itemsize)
    elif cid in ("fixedscaleoffset", "quantize"):
        config.setdefault("dtype", dtype.str)
    try:
        numcodecs.get_codec({"id": cid, **config})
    except Exception as e:  # numcodecs raises anything on a bad configuration
        raise MetadataError(f"{field}: codec {name!r} has a bad configuration {config!r}: "
                            f"{type(e).__name__}: {e}"[:400]) from e
    out = dtype
    if cid in ("delta", "fixedscaleoffset") and config.get("astype") is not None:
        out = np.dtype(config["astype"])
    for key in ("dtype",) if cid in ("delta", "fixedscaleoffset", "quantize") else ():
        if key in config and np.dtype(config[key]) != dtype:
            raise MetadataError(f"{field}: codec {name!r} is for dtype {config[key]!r}, not the array's "
                                f"{dtype}")
    return config, out


def parse_sharding(config: dict, dtype: np.dtype, shape: tuple[int, ...], field: str) -> dict:
    """Return the ``sharding_indexed`` configuration, its inner and index chains checked recursively.

    ``chunk_shape`` must divide the shard shape; ``index_codecs`` defaults to little-endian bytes and
    crc32c, ``index_location`` to ``'end'``.
    """
    _only(config, ("chunk_shape", "codecs", "index_codecs", "index_location"), "sharding_indexed", field)
    inner = config.get("chunk_shape")
    if (not isinstance(inner, (list, tuple)) or not all(_is_int(n) and n > 0 for n in inner)
            or len(inner) != len(shape)):
        raise MetadataError(f"{field}: sharding chunk_shape {inner!r} must be {len(shape)} positive integers")
    inner = tuple(int(n) for n in inner)
    if any(s % c for s, c in zip(shape, inner)):
        raise MetadataError(f"{field}: sharding chunk_shape {list(inner)} does not divide the shard shape "
                            f"{list(shape)}")
    if "codecs" not in config:
        raise MetadataError(f"{field}: codec 'sharding_indexed' is missing 'codecs'")
    codecs = parse_codecs(config["codecs"], dtype, inner, f"{field}.configuration.codecs")
    index_shape = tuple(s // c for s, c in zip(shape, inner)) + (2,)
    index_codecs = parse_codecs(config.get("index_codecs", default_index_codecs()), np.dtype("u8"),
                                index_shape, f"{field}.configuration.index_codecs")
    for i, codec in enumerate(index_codecs):
        if codec["name"] not in _INDEX_CODECS:
            raise MetadataError(f"{field}.configuration.index_codecs[{i}]: codec {codec['name']!r} cannot "
                                f"encode a shard index, whose size must be fixed; use "
                                f"{', '.join(sorted(_INDEX_CODECS))}")
    location = config.get("index_location", "end")
    if location not in ("start", "end"):
        raise MetadataError(f"{field}: index_location {location!r} must be 'start' or 'end'")
    return {"chunk_shape": list(inner), "codecs": list(codecs), "index_codecs": list(index_codecs),
            "index_location": location}


def default_index_codecs() -> list[dict]:
    """Return the index codecs zarr-python 3 and tensorstore write by default: bytes, then crc32c."""
    return [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}]


def unparse_codec(codec: Mapping[str, Any]) -> dict:
    """Return ``codec`` as zarr-python 3 writes it: an empty configuration left out, nested chains too."""
    config = dict(codec.get("configuration") or {})
    if codec["name"] == "sharding_indexed":
        config["codecs"] = [unparse_codec(c) for c in config.get("codecs", [])]
        config["index_codecs"] = [unparse_codec(c) for c in config.get("index_codecs", [])]
    keep = config or codec["name"] in _EMPTY_CONFIG_WRITTEN or codec["name"].startswith(NUMCODECS_PREFIX)
    return {"name": codec["name"], "configuration": config} if keep else {"name": codec["name"]}


# the chain -----------------------------------------------------------------------------------------


def parse_codecs(value: Any, dtype: np.dtype, shape: tuple[int, ...],
                 field: str = "codecs") -> tuple[dict, ...]:
    """Return the codec chain ``value`` for chunks of ``shape`` and ``dtype``, checked and normalised.

    Raises
    ------
    MetadataError
        Naming the entry (``codecs[2]``, ``codecs[0].configuration.codecs[1]``) that is unknown,
        misconfigured or out of place, or the chain when it lacks its one array -> bytes codec.

    Examples
    --------
    >>> parse_codecs([{'name': 'transpose', 'configuration': {'order': 'F'}}, 'bytes'],
    ...              np.dtype('u1'), (2, 3))
    ({'name': 'transpose', 'configuration': {'order': [1, 0]}}, {'name': 'bytes', 'configuration': {}})
    """
    if not isinstance(value, (list, tuple)):
        raise MetadataError(f"{field}: {value!r} must be a list of codecs"[:300])
    out: list[dict] = []
    stage = "array"  # which kind of codec may come next: array -> array until array -> bytes is met
    for i, item in enumerate(value):
        where = f"{field}[{i}]"
        name, config = _entry(item, where)
        numcodec = name[len(NUMCODECS_PREFIX):] if name.startswith(NUMCODECS_PREFIX) else None
        if numcodec in NUMCODECS_ARRAY_ARRAY:
            if stage != "array":
                raise MetadataError(f"{where}: array -> array codec {name!r} must come before the "
                                    f"array -> bytes codec")
            config, dtype = parse_numcodecs(name, config, dtype, where)
        elif numcodec in NUMCODECS_BYTES_BYTES:
            if stage != "bytes":
                raise MetadataError(f"{where}: bytes -> bytes codec {name!r} must follow the array -> bytes "
                                    f"codec ('bytes', 'sharding_indexed' or 'vlen-utf8')")
            config, _ = parse_numcodecs(name, config, dtype, where)
        elif name in ARRAY_ARRAY:
            if stage != "array":
                raise MetadataError(f"{where}: array -> array codec {name!r} must come before the "
                                    f"array -> bytes codec")
            config = parse_transpose(config, len(shape), where)
            shape = tuple(shape[j] for j in config["order"])
        elif name in ARRAY_BYTES:
            if stage != "array":
                raise MetadataError(f"{where}: a second array -> bytes codec {name!r}; a chain has exactly "
                                    f"one")
            strings = dtype == np.dtype(object)
            if strings != (name == "vlen-utf8"):
                raise MetadataError(f"{where}: codec {name!r} cannot encode {'strings' if strings else dtype}"
                                    f"; strings take 'vlen-utf8', fixed-size items 'bytes' or "
                                    f"'sharding_indexed'")
            if name == "bytes":
                config = parse_bytes(config, dtype, where)
            elif name == "vlen-utf8":
                _only(config, (), name, where)
            else:
                config = parse_sharding(config, dtype, shape, where)
            stage = "bytes"
        elif name in BYTES_BYTES:
            if stage != "bytes":
                raise MetadataError(f"{where}: bytes -> bytes codec {name!r} must follow the array -> bytes "
                                    f"codec ('bytes', 'sharding_indexed' or 'vlen-utf8')")
            if name == "blosc":
                config = parse_blosc(config, dtype.itemsize, where)
            elif name == "gzip":
                config = parse_gzip(config, where)
            elif name == "zstd":
                config = parse_zstd(config, where)
            else:
                _only(config, (), name, where)
        else:
            known = sorted(ARRAY_ARRAY | ARRAY_BYTES | BYTES_BYTES)
            raise MetadataError(f"{where}: unknown codec {name!r}; this library knows {', '.join(known)} "
                                f"and numcodecs.<id> for "
                                f"{', '.join(sorted(NUMCODECS_ARRAY_ARRAY | NUMCODECS_BYTES_BYTES))}")
        out.append({"name": name, "configuration": config})
    if stage != "bytes":
        raise MetadataError(f"{field}: the chain {[c['name'] for c in out]} has no array -> bytes codec "
                            f"('bytes', 'sharding_indexed' or 'vlen-utf8')")
    return tuple(out)


# numcodecs -> v3 -----------------------------------------------------------------------------------


def codec_from_numcodecs(codec: Any, itemsize: int) -> dict:
    """Return the v3 bytes -> bytes codec for a zarr-2 ``compressor`` (a numcodecs Codec or its config).

    Blosc, GZip and Zstd have v3 counterparts; Zlib does not (v3's gzip reads only gzip streams), nor
    does anything else.

    Raises
    ------
    ValueError
        Naming the compressor when v3 has no codec for it.

    Examples
    --------
    >>> import numcodecs
    >>> codec_from_numcodecs(numcodecs.GZip(level=3), 4)
    {'name': 'gzip', 'configuration': {'level': 3}}
    """
    config = codec if isinstance(codec, Mapping) else getattr(codec, "get_config", lambda: None)()
    if not isinstance(config, Mapping) or not isinstance(config.get("id"), str):
        raise ValueError(f"compressor {codec!r} is neither a numcodecs Codec nor a codec configuration")
    cid = config["id"]
    if cid == "blosc":
        shuffle = config.get("shuffle", 1)
        if shuffle == -1:  # AUTOSHUFFLE, as numcodecs resolves it: bit-shuffle for 1-byte items
            shuffle = 2 if itemsize == 1 else 1
        if shuffle not in (0, 1, 2):
            raise ValueError(f"compressor {codec!r}: blosc shuffle {shuffle!r} is not 0, 1, 2 or -1")
        return {"name": "blosc", "configuration": {
            "typesize": itemsize, "cname": config.get("cname", "lz4"), "clevel": config.get("clevel", 5),
            "shuffle": BLOSC_SHUFFLES[shuffle], "blocksize": config.get("blocksize", 0)}}
    if cid == "gzip":
        return {"name": "gzip", "configuration": {"level": config.get("level", 1)}}
    if cid == "zstd":
        return {"name": "zstd", "configuration": {"level": config.get("level", 0),
                                                  "checksum": bool(config.get("checksum", False))}}
    hint = "; GZip(level) is the v3 equivalent" if cid == "zlib" else ""
    raise ValueError(f"compressor {codec!r} (id {cid!r}) has no Zarr v3 core codec; v3 compresses with "
                     f"Blosc, GZip or Zstd{hint}")

