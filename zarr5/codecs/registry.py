"""Codec lookup: a metadata codec configuration to a numcodecs Codec, refusing unsafe codecs by default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numcodecs
from numcodecs.abc import Codec

from zarr5.errors import MetadataError, UnsafeCodecError

__all__ = ["UNSAFE_CODEC_IDS", "codec_config", "get_codec"]

# codecs whose decode can run arbitrary code that the stored bytes choose
UNSAFE_CODEC_IDS = frozenset({"pickle"})


def get_codec(config: Mapping[str, Any], *, allow_pickle: bool = False, key: str = "") -> Codec:
    """Return the numcodecs codec that ``config`` (a dict with an ``id``) describes.

    Parameters
    ----------
    config : mapping
        A codec configuration as stored in ``.zarray`` (``compressor`` or an entry of ``filters``).
    allow_pickle : bool
        Pickle runs code on decode, so it is refused unless this is true.
    key : str
        The metadata key the configuration came from, named in errors.

    Raises
    ------
    MetadataError
        Naming the codec id and ``key`` when the id is missing, unknown, or its settings are invalid.
    UnsafeCodecError
        For Pickle without ``allow_pickle=True``.

    Examples
    --------
    >>> get_codec({'id': 'zlib', 'level': 1})
    Zlib(level=1)
    """
    where = f"{key}: " if key else ""
    if not isinstance(config, Mapping):
        raise MetadataError(f"{where}codec configuration must be a JSON object, not {config!r}")
    codec_id = config.get("id")
    if not isinstance(codec_id, str):
        raise MetadataError(f"{where}codec configuration {dict(config)!r} has no string 'id'")
    if codec_id in UNSAFE_CODEC_IDS and not allow_pickle:
        raise UnsafeCodecError(
            f"{where}codec {codec_id!r} can run arbitrary code when data is read, so it is refused; "
            f"open with allow_pickle=True if you trust this data")
    try:
        codec = numcodecs.get_codec(dict(config))
        # some codecs check settings only when used; their repr (which .info shows) fails on bad ones first
        repr(codec)
        return codec
    except Exception as e:  # unknown ids raise ValueError/KeyError; bad settings raise anything
        if codec_id not in numcodecs.registry.codec_registry:
            raise MetadataError(f"{where}unknown codec id {codec_id!r} (is the package that provides it "
                                f"installed?)") from e
        raise MetadataError(f"{where}invalid configuration for codec {codec_id!r}: {dict(config)!r}: "
                            f"{e}") from e


def codec_config(codec: Codec) -> dict:
    """Return the configuration of ``codec`` as stored in metadata (``codec.get_config()``)."""
    if not isinstance(codec, Codec):
        raise TypeError(f"expected a numcodecs Codec, not {type(codec).__name__}: {codec!r}")
    return codec.get_config()
