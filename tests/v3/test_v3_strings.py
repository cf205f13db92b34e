"""Zarr v3 strings: zarr-python 3's ``string`` data type with the ``vlen-utf8`` codec, written and read
by zarr5 and checked against real zarr-python 3 (in its own environment, see v3_helpers)."""

from __future__ import annotations

import json
import subprocess

import numcodecs
import numpy as np
import pytest
from v3_helpers import ZARR3_MISSING, zarr3_python

import zarr5
from zarr5.errors import MetadataError
from zarr5.metadata.v3 import ArrayMetadataV3
from zarr5.storage import MemoryStore

WORDS = np.array(["a", "bb", "", "dddd", "é ü ß", "日本", "x" * 300], dtype=object)


def test_round_trip_and_the_document_zarr_python_3_writes(tmp_path) -> None:
    a = zarr5.create(shape=(7,), chunks=(3,), dtype=str, zarr_format=3, store=str(tmp_path / "s"))
    a[:] = WORDS
    doc = json.loads((tmp_path / "s" / "zarr.json").read_text())
    assert doc["data_type"] == "string" and doc["fill_value"] == ""
    assert doc["codecs"] == [{"name": "vlen-utf8", "configuration": {}},
                             {"name": "zstd", "configuration": {"level": 0, "checksum": False}}]
    b = zarr5.open_array(str(tmp_path / "s"), mode="r")
    assert b.dtype == object and b.fill_value == ""
    assert b[...].tolist() == WORDS.tolist()
    assert b[2:5].tolist() == WORDS[2:5].tolist()
    # a chunk's bytes are numcodecs' VLenUTF8 encoding (then zstd), as zarr-python 3's
    raw = numcodecs.Zstd().decode((tmp_path / "s" / "c" / "1").read_bytes())
    assert numcodecs.VLenUTF8().decode(raw).tolist() == WORDS[3:6].tolist()


def test_two_dimensional_f_order_partial_writes_and_empty_chunks() -> None:
    store = MemoryStore()
    z = zarr5.zeros((4, 3), chunks=(2, 2), dtype=str, zarr_format=3, store=store, order="F",
                    write_empty_chunks=False)
    z[1:3, 1:] = [["p", "q"], ["r", "s"]]
    expected = np.full((4, 3), "", dtype=object)
    expected[1:3, 1:] = [["p", "q"], ["r", "s"]]
    assert z[...].tolist() == expected.tolist()
    z[1:3, 1:] = ""
    assert sorted(store) == ["zarr.json"]  # chunks of only the fill value are not kept


def test_bad_values_and_arguments_are_refused_naming_them() -> None:
    store = MemoryStore()
    a = zarr5.create(shape=(3,), chunks=(2,), dtype=str, zarr_format=3, store=store)
    a[:] = ["keep", "these", "words"]
    with pytest.raises(TypeError, match="5"):
        a[1:] = [5, "x"]
    assert a[:].tolist() == ["keep", "these", "words"]  # nothing half written
    with pytest.raises(ValueError, match="strings"):
        zarr5.create(shape=(3,), dtype=object, object_codec=numcodecs.JSON(), zarr_format=3,
                     store=MemoryStore())
    with pytest.raises(ValueError, match="shard"):
        zarr5.create(shape=(4,), chunks=(2,), shards=(4,), dtype=str, zarr_format=3, store=MemoryStore())
    with pytest.raises(ValueError, match="fill_value 3"):
        zarr5.create(shape=(3,), dtype=str, fill_value=3, zarr_format=3, store=MemoryStore())


def test_a_string_array_needs_the_string_codec() -> None:
    doc = {"zarr_format": 3, "node_type": "array", "shape": [2], "data_type": "string",
           "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}},
           "chunk_key_encoding": {"name": "default"}, "fill_value": "",
           "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]}
    with pytest.raises(MetadataError, match="vlen-utf8"):
        ArrayMetadataV3.decode(json.dumps(doc).encode())
    doc["codecs"] = [{"name": "vlen-utf8"}]
    doc["fill_value"] = 0
    with pytest.raises(MetadataError, match="fill_value"):
        ArrayMetadataV3.decode(json.dumps(doc).encode())
    doc["fill_value"] = "-"
    assert ArrayMetadataV3.decode(json.dumps(doc).encode()).fill_value == "-"
    doc["data_type"], doc["fill_value"] = "int32", 0
    with pytest.raises(MetadataError, match="vlen-utf8"):
        ArrayMetadataV3.decode(json.dumps(doc).encode())


ZARR3 = zarr3_python()
needs_zarr3 = pytest.mark.skipif(ZARR3 is None, reason=ZARR3_MISSING)


def _zarr3(code: str) -> object:
    out = subprocess.run([ZARR3, "-c", "import json, numpy as np, zarr\n" + code], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


@needs_zarr3
def test_zarr_python_3_reads_zarr5_strings_and_zarr5_reads_its(tmp_path) -> None:
    ours, theirs = str(tmp_path / "ours"), str(tmp_path / "theirs")
    a = zarr5.create(shape=(7,), chunks=(3,), dtype=str, zarr_format=3, store=ours)
    a[:] = WORDS
    got = _zarr3(f"a = zarr.open_array({ours!r}, mode='r')\n"
                 f"print(json.dumps([str(a.dtype), [str(x) for x in a[:]], a.fill_value]))")
    assert got[1] == WORDS.tolist() and got[2] == ""
    _zarr3(f"a = zarr.create_array({theirs!r}, shape=(3, 4), chunks=(2, 3), dtype=str)\n"
           f"a[:] = np.array([['r%dc%d' % (i, j) for j in range(4)] for i in range(3)])\n"
           f"a[1, 1] = 'ü'\n"
           f"print('[]')")
    b = zarr5.open_array(theirs, mode="r+")
    expected = [[f"r{i}c{j}" for j in range(4)] for i in range(3)]
    expected[1][1] = "ü"
    assert b[...].tolist() == expected
    b[2, :2] = ["new", "words"]
    back = _zarr3(f"a = zarr.open_array({theirs!r}, mode='r')\n"
                  f"print(json.dumps([str(x) for x in a[2]]))")
    assert back == ["new", "words", "r2c2", "r2c3"]
