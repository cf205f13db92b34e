"""The h5py facade over Zarr v3 stores: File(..., zarr_format=3), v3 nodes, attributes in zarr.json."""

from __future__ import annotations

import json
import os

import h5py
import numcodecs
import numpy as np
import pytest

import zarr5


def _doc(root, *parts):
    with open(os.path.join(str(root), *parts, "zarr.json")) as f:
        return json.load(f)


def _make(path):
    with zarr5.File(path, "w", zarr_format=3) as f:
        f.attrs["title"] = "run 1"
        g = f.create_group("g/h")
        g.attrs["n"] = np.int16(3)
        d = g.create_dataset("x", data=np.arange(12.0).reshape(3, 4), chunks=(2, 2), compression="gzip")
        d.attrs["units"] = "m"
        t = f.create_dataset("t", data=np.arange(3.0))
        t.make_scale("time")
        d.dims[0].attach_scale(t)
        d.dims[1].label = "y"
        r = f.create_dataset("r", shape=(5,), maxshape=(None,), dtype="i2", fillvalue=7)
        r.resize((8,))
        f.create_dataset("b", data=np.array([1, 2], dtype=">u4"), compression=numcodecs.Zstd(level=3))


def test_new_file_writes_v3_documents(tmp_path):
    path = tmp_path / "a.zarr"
    _make(str(path))
    assert not (path / ".zgroup").exists() and not (path / ".zattrs").exists()
    root = _doc(path)
    assert root["zarr_format"] == 3 and root["node_type"] == "group"
    assert root["attributes"]["title"] == "run 1"
    assert _doc(path, "g")["node_type"] == "group"
    x = _doc(path, "g", "h", "x")
    assert x["node_type"] == "array" and x["data_type"] == "float64"
    assert [c["name"] for c in x["codecs"]] == ["bytes", "gzip"]
    assert x["attributes"]["units"] == "m"
    # zarr5's reserved attributes live in the same document
    assert x["attributes"]["_zarr5_filters"]["compression"] == "gzip"
    assert x["attributes"]["_ARRAY_DIMENSIONS"] == ["t", "y"]
    assert x["dimension_names"] == ["t", "y"]
    assert _doc(path, "r")["attributes"]["_zarr5_maxshape"] == [None]
    assert not any(name.endswith((".zattrs", ".zarray", ".zgroup")) for _, _, names in os.walk(path)
                   for name in names)


def test_facade_round_trip(tmp_path):
    path = str(tmp_path / "a.zarr")
    _make(path)
    with zarr5.File(path, "r") as f:
        assert f.attrs["title"] == "run 1"
        assert f["g/h"].attrs["n"] == 3 and f["g/h"].attrs["n"].dtype == np.int16
        x = f["g/h/x"]
        assert np.array_equal(x[...], np.arange(12.0).reshape(3, 4))
        assert x.chunks == (2, 2) and x.compression == "gzip" and x.compression_opts == 4
        # HDF5's dimension-scale attributes are listed as h5py lists them
        assert set(x.attrs) == {"units", "DIMENSION_LIST", "DIMENSION_LABELS"} and x.attrs["units"] == "m"
        assert x.dims[0].keys() == ["time"] and x.dims[1].label == "y"
        r = f["r"]
        assert r.maxshape == (None,) and r.shape == (8,) and r.fillvalue == 7
        assert list(r[...]) == [7] * 8
        # v3 data types carry no byte order (the bytes codec does): the values come back native
        assert f["b"].dtype.newbyteorder("=") == np.dtype("u4") and list(f["b"][...]) == [1, 2]
    with zarr5.File(path, "a") as f:  # an existing v3 store is detected; new nodes are v3
        f.create_dataset("more/y", data=np.ones(3, dtype="i1"))
    assert _doc(path, "more")["node_type"] == "group"
    assert _doc(path, "more", "y")["data_type"] == "int8"


def test_zarr_vocabulary_reads_same(tmp_path):
    path = str(tmp_path / "a.zarr")
    _make(path)
    z = zarr5.open_group(path, mode="r")
    assert z.attrs["title"] == "run 1"
    x = z["g/h/x"]
    assert x.zarr_format == 3
    assert np.array_equal(x[:], np.arange(12.0).reshape(3, 4))
    assert x.dimension_names == ("t", "y")
    assert x.attrs["units"] == "m" and not any(k.startswith("_zarr5_") for k in x.attrs)


def test_mixed_format_is_refused_when_asked(tmp_path):
    path = str(tmp_path / "a.zarr")
    _make(path)
    with pytest.raises(ValueError, match="v3"):
        zarr5.File(path, "r", zarr_format=2)
    with pytest.raises(ValueError, match="zarr_format"):
        zarr5.File(str(tmp_path / "b.zarr"), "w", zarr_format=4)
    with zarr5.File(str(tmp_path / "c.zarr"), "w") as f:  # the default stays v2
        f["x"] = np.arange(3)
    assert (tmp_path / "c.zarr" / ".zgroup").exists()


@pytest.mark.parametrize("kwds, error, word", [
    ({"shape": (2,), "dtype": h5py.string_dtype("ascii")}, TypeError, "variable-length"),
    ({"shape": (2,), "dtype": h5py.vlen_dtype("i4")}, TypeError, "variable-length"),
    ({"shape": (2,), "dtype": "S4"}, TypeError, "S4"),
    ({"shape": (2,), "dtype": [("a", "i4"), ("b", "f8")]}, TypeError, "v3"),
    ({"shape": (8,), "dtype": "f4", "shuffle": True}, ValueError, "shuffle"),
    ({"shape": (8,), "dtype": "f4", "fletcher32": True}, ValueError, "fletcher32"),
    ({"shape": (8,), "dtype": "f4", "scaleoffset": 2}, ValueError, "scaleoffset"),
    ({"shape": (8,), "dtype": "f4", "compression": "lzf"}, ValueError, "lzf"),
])
def test_v3_refuses_what_it_cannot_express(tmp_path, kwds, error, word):
    with zarr5.File(str(tmp_path / "a.zarr"), "w", zarr_format=3) as f:
        with pytest.raises(error, match=word) as info:
            f.create_dataset("bad", **kwds)
        assert "zarr_format=2" in str(info.value)
        assert "bad" not in f


def test_utf8_strings_are_v3_strings(tmp_path):
    with zarr5.File(str(tmp_path / "a.zarr"), "w", zarr_format=3) as f:
        d = f.create_dataset("names", data=["a", "bé", ""], dtype=h5py.string_dtype())
        d[2] = "new"
        assert d[...].tolist() == [b"a", "bé".encode(), b"new"]  # h5py reads vlen strings as bytes
        assert d.asstr()[...].tolist() == ["a", "bé", "new"]
        assert h5py.check_string_dtype(d.dtype).encoding == "utf-8"
    doc = json.loads((tmp_path / "a.zarr" / "names" / "zarr.json").read_text())
    assert doc["data_type"] == "string" and doc["codecs"][0]["name"] == "vlen-utf8"
    assert zarr5.open_array(str(tmp_path / "a.zarr" / "names"), mode="r")[:].tolist() == ["a", "bé", "new"]


def test_copy_within_v3_file_keeps_attributes(tmp_path):
    path = str(tmp_path / "a.zarr")
    _make(path)
    with zarr5.File(path, "a") as f:
        f.copy("g", "g2")
        f.copy("g/h/x", "x_bare", without_attrs=True)
        assert np.array_equal(f["g2/h/x"][...], f["g/h/x"][...])
        # the copy keeps its dimension scales, listed as HDF5's attributes as h5py lists them
        assert set(f["g2/h/x"].attrs) == {"units", "DIMENSION_LIST", "DIMENSION_LABELS"}
        assert f["g2/h/x"].attrs["units"] == "m"
        assert f["g2/h"].attrs["n"] == 3
        assert dict(f["x_bare"].attrs) == {}
    assert _doc(path, "g2", "h")["zarr_format"] == 3


def test_big_endian_dataset_keeps_its_byte_order(tmp_path) -> None:
    """v3 keeps the dtype native and the byte order in the bytes codec; h5py reports the stored order."""
    path = str(tmp_path / "be.zarr")
    with zarr5.File(path, "w", zarr_format=3) as f:
        x = f.create_dataset("x", data=np.arange(6, dtype=">i4"), chunks=(4,))
        x[1] = 7
        assert x.dtype == np.dtype(">i4") and x[...].dtype == np.dtype(">i4")
    with zarr5.File(path, "r") as f:
        assert f["x"].dtype == np.dtype(">i4")
        assert f["x"][...].tolist() == [0, 7, 2, 3, 4, 5] and f["x"][1:3].dtype == np.dtype(">i4")
