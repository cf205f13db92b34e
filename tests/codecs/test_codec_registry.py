"""zarr5.codecs.registry: codec lookup by configuration, unknown ids named, Pickle refused by default."""

from __future__ import annotations

import doctest

import numcodecs
import pytest

from zarr5.codecs import registry
from zarr5.codecs.registry import codec_config, get_codec
from zarr5.errors import MetadataError, UnsafeCodecError


def test_docstring_examples_run():
    failures, _ = doctest.testmod(registry)
    assert failures == 0


@pytest.mark.parametrize("codec", [numcodecs.Blosc(cname="zstd", clevel=3, shuffle=2),
                                   numcodecs.Zlib(level=1),
                                   numcodecs.GZip(), numcodecs.BZ2(), numcodecs.LZMA(), numcodecs.Zstd(),
                                   numcodecs.LZ4(), numcodecs.Delta(dtype="<i4"), numcodecs.VLenUTF8(),
                                   numcodecs.VLenBytes(), numcodecs.VLenArray("<f4"), numcodecs.JSON(),
                                   numcodecs.MsgPack(), numcodecs.Categorize(["a", "b"], dtype=object),
                                   numcodecs.FixedScaleOffset(offset=1, scale=2, dtype="f8", astype="u1"),
                                   numcodecs.Quantize(digits=3, dtype="f4"), numcodecs.PackBits(),
                                   numcodecs.AsType(encode_dtype="f4", decode_dtype="f8")])
def test_round_trip_config(codec):
    config = codec_config(codec)
    assert config == codec.get_config()
    got = get_codec(config)
    assert type(got) is type(codec) and got.get_config() == config


def test_config_not_mutated():
    config = {"id": "zlib", "level": 3}
    get_codec(config)
    assert config == {"id": "zlib", "level": 3}


def test_unknown_id_named_with_key():
    with pytest.raises(MetadataError) as info:
        get_codec({"id": "no-such-codec"}, key="data/.zarray")
    assert "'no-such-codec'" in str(info.value) and "data/.zarray" in str(info.value)


@pytest.mark.parametrize("config", [{}, {"id": 3}, "zlib", None, {"level": 1}])
def test_missing_id(config):
    with pytest.raises(MetadataError, match="k/.zarray"):
        get_codec(config, key="k/.zarray")


def test_bad_settings_named():
    with pytest.raises(MetadataError) as info:
        get_codec({"id": "zlib", "nonsense": 1}, key="a/.zarray")
    assert "'zlib'" in str(info.value) and "a/.zarray" in str(info.value)


def test_pickle_refused_unless_allowed():
    with pytest.raises(UnsafeCodecError) as info:
        get_codec({"id": "pickle", "protocol": 5}, key="p/.zarray")
    msg = str(info.value)
    assert "allow_pickle=True" in msg and "p/.zarray" in msg and "'pickle'" in msg
    assert isinstance(get_codec({"id": "pickle", "protocol": 5}, allow_pickle=True), numcodecs.Pickle)


def test_unsafe_is_a_value_error():
    # zarr-2 style code catches ValueError for bad metadata; the refusal is one too
    assert issubclass(UnsafeCodecError, ValueError)


def test_codec_config_rejects_non_codecs():
    with pytest.raises(TypeError, match="Codec"):
        codec_config({"id": "zlib"})  # type: ignore[arg-type]
