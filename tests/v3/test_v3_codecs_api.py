"""``codecs=`` through the public creation functions: every v3 codec and sharding layout, written by
zarr5's engine (zarr5.create, open_array, a v3 Group, the h5py vocabulary's create_dataset), opens with
the same values in zarr-python 3 (its own environment, one subprocess for all cases) and tensorstore."""

from __future__ import annotations

import json
import pathlib
import subprocess

import numpy as np
import pytest
from v3_helpers import ZARR3_MISSING, make_data
from v3_helpers import zarr3_python as find_zarr3

import zarr5
from zarr5.codecs.v3.objects import (
    BloscCodec,
    BytesCodec,
    Crc32cCodec,
    GzipCodec,
    ShardingCodec,
    TransposeCodec,
    ZstdCodec,
)
from zarr5.errors import MetadataError

BYTES_LE = {"name": "bytes", "configuration": {"endian": "little"}}
BYTES_BE = {"name": "bytes", "configuration": {"endian": "big"}}

# name -> (shape, chunks, dtype, creation keywords); ``chunks`` is the grid's chunk (the shard, when the
# chain is a sharding codec). Shapes are not multiples of the chunks, so edge chunks are padded.
CASES: dict[str, tuple] = {
    "big_endian_i8": ((12,), (5,), "i8", dict(codecs=[BYTES_BE])),
    "big_endian_f4_object": ((7, 3), (4, 2), "f4", dict(codecs=[BytesCodec(endian="big"),
                                                                GzipCodec(level=2)])),
    "transpose_perm_u2": ((6, 5, 3), (4, 2, 3), "u2", dict(codecs=[
        {"name": "transpose", "configuration": {"order": [2, 0, 1]}}, BYTES_LE])),
    "transpose_object_zstd": ((9, 4), (4, 4), "i4", dict(codecs=[TransposeCodec(order=(1, 0)), BytesCodec(),
                                                                 ZstdCodec(level=3)])),
    "crc32c_u4": ((13,), (5,), "u4", dict(codecs=[BYTES_LE, {"name": "crc32c"}])),
    "zstd_checksum_i8": ((20,), (6,), "i8", dict(codecs=[BYTES_LE, {"name": "zstd", "configuration": {
        "level": 1, "checksum": True}}])),
    "blosc_bitshuffle_f8": ((30,), (8,), "f8", dict(codecs=[BytesCodec(), BloscCodec(
        cname="zstd", clevel=3, shuffle="bitshuffle")])),
    "blosc_tuned_u1": ((33,), (10,), "u1", dict(codecs=["bytes", BloscCodec(cname="lz4")])),
    "gzip_crc_c8": ((11, 6), (5, 5), "c8", dict(codecs=[BYTES_LE, {"name": "gzip", "configuration": {
        "level": 6}}, {"name": "crc32c"}])),
    "shard_start_document": ((20, 18), (6, 8), "i4", dict(codecs=[{"name": "sharding_indexed",
                                                                   "configuration": {
        "chunk_shape": [3, 4], "codecs": [BYTES_LE, {"name": "zstd", "configuration": {"level": 0}}],
        "index_codecs": [BYTES_LE, {"name": "crc32c"}], "index_location": "start"}}])),
    "shard_end_object_be": ((9, 10), (4, 10), ">f8", dict(codecs=[ShardingCodec(
        chunk_shape=(2, 5), codecs=[BytesCodec(endian="big"), Crc32cCodec()], index_codecs=[BytesCodec()])])),
    "shards_kw_start": ((17, 10), (4, 5), "u2", dict(shards={"shape": (8, 10), "index_location": "start"},
                                                     codecs=[TransposeCodec(order=(1, 0)), BytesCodec(),
                                                             BloscCodec(shuffle="bitshuffle")])),
    "sharded_in_sharded": ((16, 16), (16, 16), "i2", dict(codecs=[ShardingCodec(chunk_shape=(8, 8), codecs=[
        {"name": "sharding_indexed", "configuration": {
            "chunk_shape": [4, 4], "codecs": [BYTES_LE, {"name": "gzip", "configuration": {"level": 1}}],
            "index_codecs": [BYTES_LE], "index_location": "start"}}])])),
    "v2_keys_dims": ((5, 5), (2, 2), "i4", dict(codecs=[BYTES_LE], chunk_key_encoding={"name": "v2",
                                                                                     "separator": "."},
                                               dimension_names=["y", "x"])),
    "default_dot_keys": ((5, 5), (2, 2), "i4", dict(codecs=[BYTES_LE, ZstdCodec()],
                                                   chunk_key_encoding=("default", "."))),
    # numcodecs codecs inside v3 chains, as zarr-python 3 spells them (tensorstore reads none of them)
    "numcodecs_delta_lzma_crc32": ((50,), (16,), "i4", dict(codecs=[
        {"name": "numcodecs.delta", "configuration": {"dtype": "<i4"}}, BYTES_LE,
        {"name": "numcodecs.lzma", "configuration": {"preset": 1}}, {"name": "numcodecs.crc32",
                                                                    "configuration": {}}])),
    "numcodecs_scaleoffset_bz2_sharded": ((12, 10), (6, 10), "f8", dict(codecs=[ShardingCodec(
        chunk_shape=(3, 5), codecs=[
            {"name": "numcodecs.fixedscaleoffset", "configuration": {"offset": 0, "scale": 1000,
                                                                     "astype": "<i4"}},
            BYTES_LE, {"name": "numcodecs.shuffle", "configuration": {"elementsize": 4}},
            {"name": "numcodecs.bz2", "configuration": {"level": 1}}])])),
    # zarr-python 3's structured data type (tensorstore has none)
    "structured_fields": ((7,), (3,), [("a", "<f4"), ("b", "u1"), ("c", "<i8")], dict(codecs=[
        BytesCodec(), ZstdCodec(level=2)])),
}
NOT_IN_TENSORSTORE = {name for name in CASES if name.startswith(("numcodecs", "structured"))}

# each case is made through one of the creation routes, in turn, so every route meets several codecs
ROUTES = ("create", "open_array", "group", "h5py")


def _route(name: str) -> str:
    return ROUTES[list(CASES).index(name) % len(ROUTES)]


def _data(name: str) -> np.ndarray:
    shape, _, dtype, _ = CASES[name]
    data = make_data(shape, dtype, seed=sum(map(ord, name)))
    if name == "numcodecs_scaleoffset_bz2_sharded":
        data = np.round(np.nan_to_num(data, nan=1.5, neginf=-2.5) / 1000, 3)  # what 3 decimals keep
    if data.shape[0] > 2:
        data[: data.shape[0] // 3] = 0  # left at the fill value: those chunks are not written
    return data


def _write(root: pathlib.Path, name: str) -> pathlib.Path:
    shape, chunks, dtype, kwargs = CASES[name]
    data = _data(name)
    route = _route(name)
    if "shards" in kwargs:
        chunks = chunks  # the inner chunk; shards= gives the grid
    if route == "create":
        path = root / f"{name}.zarr"
        z = zarr5.create(shape, chunks=chunks, dtype=dtype, store=str(path), zarr_format=3, **kwargs)
    elif route == "open_array":
        path = root / f"{name}.zarr"
        z = zarr5.open_array(str(path), mode="w", shape=shape, chunks=chunks, dtype=dtype, **kwargs)
    elif route == "group":
        path = root / "group.zarr" / name
        g = zarr5.open_group(str(root / "group.zarr"), mode="a", zarr_format=3)
        z = g.create_dataset(name, shape=shape, chunks=chunks, dtype=dtype, **kwargs)
    else:
        from zarr5.h5 import File

        path = root / "h5.zarr" / name
        kwargs = {k: v for k, v in kwargs.items() if k == "codecs"}  # h5py keywords + codecs only
        with File(str(root / "h5.zarr"), "a", zarr_format=3) as f:
            f.create_dataset(name, data=data, chunks=chunks, **kwargs)
        return path
    z[...] = data
    return path


ZARR3_SCRIPT = r"""
import json, sys, traceback, warnings
import numpy as np
import zarr
warnings.simplefilter("ignore")
out = {}
for name, path in json.load(open(sys.argv[1])).items():
    try:
        a = zarr.open_array(path, mode="r")
        np.save(path + ".zarr3.npy", np.asarray(a[...]))
        out[name] = {"dimension_names": a.metadata.dimension_names}
    except Exception:
        out[name] = {"error": traceback.format_exc()}
json.dump(out, open(sys.argv[1] + ".out", "w"))
"""


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pathlib.Path]:
    root = tmp_path_factory.mktemp("codecs_api")
    return {name: _write(root, name) for name in CASES}


@pytest.fixture(scope="module")
def zarr3_read(written: dict[str, pathlib.Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    python = find_zarr3()
    if python is None:
        pytest.skip(ZARR3_MISSING)
    jobs = tmp_path_factory.mktemp("zarr3_jobs") / "jobs.json"
    jobs.write_text(json.dumps({n: str(p) for n, p in written.items()}))
    script = jobs.parent / "read.py"
    script.write_text(ZARR3_SCRIPT)
    proc = subprocess.run([python, str(script), str(jobs)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads((jobs.parent / "jobs.json.out").read_text())


@pytest.mark.parametrize("name", list(CASES))
def test_zarr5_reads_back(written: dict[str, pathlib.Path], name: str) -> None:
    a = zarr5.open_array(str(written[name]), mode="r")
    assert a[...].tobytes() == _data(name).astype(a.dtype).tobytes()


@pytest.mark.parametrize("name", list(CASES))
def test_zarr_python3_reads(written: dict[str, pathlib.Path], zarr3_read: dict, name: str) -> None:
    result = zarr3_read[name]
    assert "error" not in result, result.get("error")
    got = np.load(str(written[name]) + ".zarr3.npy")
    expected = _data(name)
    assert got.shape == expected.shape and got.dtype == np.dtype(CASES[name][2]).newbyteorder("=")
    assert got.astype(expected.dtype).tobytes() == expected.tobytes()
    if "dimension_names" in CASES[name][3]:
        assert result["dimension_names"] == CASES[name][3]["dimension_names"]


@pytest.mark.parametrize("name", sorted(set(CASES) - NOT_IN_TENSORSTORE))
def test_tensorstore_reads(written: dict[str, pathlib.Path], name: str) -> None:
    ts = pytest.importorskip("tensorstore", reason="tensorstore is not installed (pip install '.[test]')")
    store = ts.open({"driver": "zarr3", "kvstore": {"driver": "file", "path": str(written[name])},
                     "open": True}).result()
    got = store.read().result()
    expected = _data(name)
    assert got.shape == expected.shape
    assert got.astype(expected.dtype).tobytes() == expected.tobytes()


def test_every_route_and_codec_is_covered() -> None:
    assert {_route(n) for n in CASES} == set(ROUTES)
    names = set()
    for _, _, _, kwargs in CASES.values():
        stack = list(kwargs.get("codecs", []))
        while stack:
            c = stack.pop()
            doc = c.to_dict() if hasattr(c, "to_dict") else ({"name": c} if isinstance(c, str) else c)
            names.add(doc["name"])
            stack.extend(doc.get("configuration", {}).get("codecs", []))
    assert names >= {"bytes", "transpose", "blosc", "gzip", "zstd", "crc32c", "sharding_indexed"}


# zarr-python 3 writes numcodecs codecs into v3 chains; zarr5 reads what it wrote
NATIVE_NUMCODECS = r"""
import json, sys, warnings
import numpy as np
import zarr
from zarr.codecs.numcodecs import BZ2, LZMA, Adler32, Delta, Quantize, Zlib
warnings.simplefilter("ignore")
root = sys.argv[1]
a = zarr.create_array(root + "/delta.zarr", shape=(30,), chunks=(8,), dtype="i8",
                      filters=[Delta(dtype="<i8")], compressors=[LZMA(preset=2), Adler32()])
a[:] = np.arange(30) * 7 - 50
b = zarr.create_array(root + "/quantize.zarr", shape=(9, 4), chunks=(4, 4), shards=(8, 4), dtype="f4",
                      filters=[Quantize(digits=3)], compressors=[Zlib(level=2), BZ2(level=3)])
b[:] = np.linspace(0, 1, 36, dtype="f4").reshape(9, 4)
np.save(root + "/quantize.npy", b[...])
"""


def test_zarr5_reads_zarr_python3_numcodecs(tmp_path: pathlib.Path) -> None:
    python = find_zarr3()
    if python is None:
        pytest.skip(ZARR3_MISSING)
    (tmp_path / "w.py").write_text(NATIVE_NUMCODECS)
    proc = subprocess.run([python, str(tmp_path / "w.py"), str(tmp_path)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    delta = zarr5.open_array(str(tmp_path / "delta.zarr"), mode="r")
    assert [c["name"] for c in delta.codecs] == ["numcodecs.delta", "bytes", "numcodecs.lzma",
                                                 "numcodecs.adler32"]
    assert delta[...].tolist() == [i * 7 - 50 for i in range(30)]
    quant = zarr5.open_array(str(tmp_path / "quantize.zarr"), mode="r")
    assert quant[...].tobytes() == np.load(tmp_path / "quantize.npy").tobytes()


@pytest.mark.parametrize(("codecs", "message"), [
    ([{"name": "zsstd"}], "unknown codec 'zsstd'"),
    ([BYTES_LE, {"name": "gzip", "configuration": {"level": 12}}], "gzip level 12"),
    ([{"name": "gzip", "configuration": {"level": 1}}], "must follow the array -> bytes codec"),
    ([{"name": "bytes", "configuration": {"endian": "middle"}}], "endian 'middle'"),
    ([{"name": "sharding_indexed", "configuration": {"chunk_shape": [3], "codecs": [BYTES_LE]}}],
     "does not divide"),
])
def test_bad_codec_document_is_named(tmp_path: pathlib.Path, codecs: list, message: str) -> None:
    with pytest.raises(MetadataError, match=message):
        zarr5.create((8,), chunks=(4,), dtype="i4", store=str(tmp_path / "a.zarr"), codecs=codecs)
    assert not (tmp_path / "a.zarr" / "zarr.json").exists()  # nothing written


def test_codecs_refused_where_v2(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="codecs= needs zarr_format=3"):
        zarr5.create((8,), dtype="i4", store=str(tmp_path / "a"), zarr_format=2, codecs=[BYTES_LE])
    with pytest.raises(TypeError, match=r"codecs\[0\]: .* is not a Zarr v3 codec"):
        zarr5.create((8,), dtype="i4", store=str(tmp_path / "b"), codecs=[object()])
    from zarr5.h5 import File

    with File(str(tmp_path / "c.zarr"), "w") as f, pytest.raises(ValueError, match="zarr_format=3"):
        f.create_dataset("x", shape=(4,), dtype="i4", codecs=[BYTES_LE])
    with File(str(tmp_path / "d.zarr"), "w", zarr_format=3) as f, pytest.raises(ValueError, match="not both"):
        f.create_dataset("x", shape=(4,), dtype="i4", compression="gzip", codecs=[BYTES_LE])
