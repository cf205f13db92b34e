"""Interop with tensorstore's zarr3 driver, both ways, for every codec and data type case: tensorstore
reads what zarr5's format layer writes (zarr.json + chunks/shards), and zarr5 reads what tensorstore
writes under the same metadata, or under metadata tensorstore chose itself."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest
from v3_helpers import INTEROP_CASES, case_data, case_meta, read_store, write_store

from zarr5.metadata.v3 import ArrayMetadataV3

ts = pytest.importorskip("tensorstore", reason="tensorstore is not installed (pip install '.[test]')")


def _open(path: pathlib.Path, **spec: object) -> object:
    return ts.open({"driver": "zarr3", "kvstore": {"driver": "file", "path": str(path)}, **spec}).result()


# sharded cases are also written the engine's way: inner chunks encoded one by one, then assembled
WRITES = [(name, False) for name in INTEROP_CASES] + [
    (name, True) for name in INTEROP_CASES if case_meta(name).sharding is not None]


@pytest.mark.parametrize(("name", "partial"), WRITES, ids=[f"{n}-{'inner' if p else 'whole'}"
                                                          for n, p in WRITES])
def test_tensorstore_reads_zarr5(tmp_path: pathlib.Path, name: str, partial: bool) -> None:
    data = case_data(name)
    write_store(tmp_path, case_meta(name), data, partial_shards=partial)
    got = _open(tmp_path, open=True).read().result()
    assert got.dtype == data.dtype and got.shape == data.shape
    assert got.tobytes() == data.tobytes()


@pytest.mark.parametrize("name", list(INTEROP_CASES))
def test_zarr5_reads_tensorstore(tmp_path: pathlib.Path, name: str) -> None:
    data = case_data(name)
    write_store(tmp_path, case_meta(name), None)  # metadata only; tensorstore writes the chunks
    store = _open(tmp_path, open=True)
    store[...] = data
    assert read_store(tmp_path).tobytes() == data.tobytes()
    assert read_store(tmp_path, partial_shards=False).tobytes() == data.tobytes()


@pytest.mark.parametrize("codecs", [
    None,
    [{"name": "sharding_indexed", "configuration": {"chunk_shape": [4, 4]}}],
    [{"name": "sharding_indexed", "configuration": {
        "chunk_shape": [2, 4], "index_location": "start",
        "codecs": [{"name": "bytes", "configuration": {"endian": "big"}}, {"name": "zstd"}]}}],
    [{"name": "transpose", "configuration": {"order": [1, 0]}}, {"name": "bytes"}, {"name": "blosc"}],
], ids=["defaults", "sharded-defaults", "sharded-start", "transpose-blosc-defaults"])
def test_zarr5_reads_tensorstore_own_metadata(tmp_path: pathlib.Path, codecs: list | None) -> None:
    data = np.arange(12 * 16, dtype="<f4").reshape(12, 16)
    metadata: dict = {"shape": [12, 16], "data_type": "float32", "fill_value": 7.5,
                      "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [8, 8]}}}
    if codecs is not None:
        metadata["codecs"] = codecs
    store = _open(tmp_path, create=True, metadata=metadata)
    data[:4] = 7.5
    store[...] = data
    meta = ArrayMetadataV3.decode((tmp_path / "zarr.json").read_bytes())
    assert meta.fill_value == np.float32(7.5)
    assert read_store(tmp_path).tobytes() == data.tobytes()
    # and the document zarr5 would write back (e.g. after an attribute change) still opens in tensorstore
    (tmp_path / "zarr.json").write_bytes(meta.with_attributes({"touched": True}).encode())
    assert _open(tmp_path, open=True).read().result().tobytes() == data.tobytes()
    assert json.loads((tmp_path / "zarr.json").read_bytes())["attributes"] == {"touched": True}
