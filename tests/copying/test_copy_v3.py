"""zarr5.copy / copy_all from real h5py sources straight into Zarr v3 groups."""

from __future__ import annotations

import json
import os

import h5py
import numpy as np
import pytest

import zarr5

TEMP = np.random.default_rng(0).random((5, 3))


def _doc(root, *parts):
    with open(os.path.join(str(root), *parts, "zarr.json")) as f:
        return json.load(f)


@pytest.fixture
def source(tmp_path):
    path = str(tmp_path / "src.h5")
    with h5py.File(path, "w") as f:
        f.attrs["title"] = "hi"
        t = f.create_dataset("time", data=np.arange(5.0))
        t.make_scale("time")
        x = f.create_dataset("x", data=np.arange(3.0))
        x.make_scale("x")
        d = f.create_dataset("g/temp", data=TEMP, chunks=(2, 3), compression="gzip", shuffle=True,
                             fletcher32=True)
        d.dims[0].attach_scale(t)
        d.dims[1].attach_scale(x)
        d.attrs["units"] = "K"
        d.attrs["valid"] = np.arange(3, dtype="i2")
        f["g"].attrs["n"] = 1
        e = f.create_dataset("e", data=np.ones((2, 2), dtype="i4"), maxshape=(None, 2))
        e.dims[0].label = "a"
        f.create_dataset("lz", data=np.arange(10), compression="lzf", chunks=(5,))
        f.create_dataset("s", data=3.5)
    return path


def test_copy_all_into_v3_file(source, tmp_path):
    dest = tmp_path / "d.zarr"
    lines = []
    with h5py.File(source, "r") as src, zarr5.File(str(dest), "w", zarr_format=3) as out:
        n_copied, n_skipped, _ = zarr5.copy_all(src, out, log=lines.append)
    assert n_copied == 7 and n_skipped == 0
    assert any("shuffle, fletcher32" in line and "v3" in line for line in lines)
    root = _doc(dest)
    assert root["zarr_format"] == 3 and root["attributes"]["title"] == "hi"
    assert _doc(dest, "g")["attributes"]["n"] == 1
    temp = _doc(dest, "g", "temp")
    assert temp["node_type"] == "array"
    assert [c["name"] for c in temp["codecs"]] == ["bytes", "gzip"]
    assert temp["dimension_names"] == ["time", "x"]
    assert temp["attributes"]["units"] == "K" and temp["attributes"]["valid"] == [0, 1, 2]
    assert _doc(dest, "time")["dimension_names"] == ["time"]
    assert _doc(dest, "e")["dimension_names"] == ["a", "phony_dim_1"]
    assert _doc(dest, "lz")["dimension_names"] == ["phony_dim_0"]
    # through the facade
    with zarr5.File(str(dest), "r") as f:
        assert np.array_equal(f["g/temp"][...], TEMP)
        assert f["g/temp"].attrs["valid"].dtype == np.int16
        assert f["g/temp"].dims[0].keys() == ["time"]
        assert f["e"].maxshape == (None, 2)
        assert f["s"][()] == 3.5
        assert list(f["lz"][...]) == list(range(10))
    # through the zarr vocabulary
    z = zarr5.open_group(str(dest), mode="r")
    assert np.array_equal(z["g/temp"][:], TEMP)
    assert z["g/temp"].dimension_names == ("time", "x")
    assert z["g/temp"].attrs["units"] == "K"
    assert z.attrs["title"] == "hi"


def test_copy_into_v3_group_of_zarr_vocabulary(source, tmp_path):
    dest = str(tmp_path / "d.zarr")
    root = zarr5.open_group(dest, mode="w", zarr_format=3)
    with h5py.File(source, "r") as src:
        zarr5.copy(src["g"], root, name="g2")
        zarr5.copy(src["e"], root, compressor=None)
    assert _doc(dest, "g2", "temp")["zarr_format"] == 3
    z = zarr5.open_group(dest, mode="r")
    assert np.array_equal(z["g2/temp"][:], TEMP)
    assert np.array_equal(z["e"][:], np.ones((2, 2), dtype="i4"))
    assert z["e"].dimension_names == ("a", "phony_dim_1")


def test_tensorstore_reads_the_copy(source, tmp_path):
    ts = pytest.importorskip("tensorstore")
    dest = str(tmp_path / "d.zarr")
    with h5py.File(source, "r") as src, zarr5.File(dest, "w", zarr_format=3) as out:
        zarr5.copy_all(src, out)
    arr = ts.open({"driver": "zarr3", "kvstore": {"driver": "file", "path": os.path.join(dest, "g", "temp")}},
                  open=True).result()
    assert np.array_equal(arr.read().result(), TEMP)
    assert list(arr.domain.labels) == ["time", "x"]


def test_utf8_strings_copy_into_v3_and_other_vlen_data_is_refused_clearly(tmp_path):
    path = str(tmp_path / "s.h5")
    with h5py.File(path, "w") as f:
        f.create_dataset("names", data=["a", "bé"], dtype=h5py.string_dtype())
    with h5py.File(path, "r") as src, zarr5.File(str(tmp_path / "d.zarr"), "w", zarr_format=3) as out:
        zarr5.copy_all(src, out)
        assert out["names"].asstr()[...].tolist() == ["a", "bé"]
    with h5py.File(path, "w") as f:
        f.create_dataset("codes", data=[b"x", b"yz"], dtype=h5py.string_dtype("ascii"))
    with h5py.File(path, "r") as src, zarr5.File(str(tmp_path / "e.zarr"), "w", zarr_format=3) as out:
        with pytest.raises(TypeError, match="zarr_format=2"):
            zarr5.copy_all(src, out)


def test_convert_hdf5_to_v3_writes_directly(source, tmp_path):
    from zarr5.copying.convert import convert

    dest = str(tmp_path / "v3.zarr")
    convert(source, dest, zarr_format=3)
    assert not os.path.exists(dest + ".v2-staging")
    assert _doc(dest, "g", "temp")["dimension_names"] == ["time", "x"]
    assert np.array_equal(zarr5.open_group(dest, mode="r")["g/temp"][:], TEMP)


def test_convert_to_v3_refuses_unstorable_datasets_before_writing(tmp_path, capsys):
    from zarr5.cli import main

    path = str(tmp_path / "s.h5")
    with h5py.File(path, "w") as f:
        x = f.create_dataset("x", data=np.arange(3))
        f.create_dataset("names", data=[b"a", b"bc"], dtype=h5py.string_dtype("ascii"))
        f.create_dataset("refs", data=[x.ref])
        f.create_dataset("words", data=["a", "bé"], dtype=h5py.string_dtype())  # v3 has UTF-8 strings
    dest = str(tmp_path / "d.zarr")
    assert main(["convert", path, dest, "--zarr-format", "3", "-q"]) == 2
    err = capsys.readouterr().err
    assert "1 dataset(s) have no Zarr v3 data type" in err and "/names" in err and "/refs" not in err
    assert "--zarr-format 2" in err and not os.path.exists(dest)
    # leaving it out converts the rest; references are stored as text, as in Zarr v2
    assert main(["convert", path, dest, "--zarr-format", "3", "-q", "--exclude", "/names"]) == 0
    assert zarr5.open_group(dest, mode="r")["x"][:].tolist() == [0, 1, 2]
    with zarr5.File(dest, "r") as f:
        assert f[f["refs"][0]].name == "/x"
    assert zarr5.open_group(dest, mode="r")["words"][:].tolist() == ["a", "bé"]


def test_v3_hierarchy_copies_out_to_hdf5(tmp_path):
    # zarr -> HDF5 reads v3 as it reads v2: values, dtypes (byte order too), attributes, strings,
    # sharded arrays, and the v3 dimension_names as dimension labels
    g = zarr5.open_group(str(tmp_path / "g.zarr"), mode="w", zarr_format=3)
    g.attrs["title"] = "t"
    a = g.create_dataset("a", data=np.arange(12.0).reshape(3, 4), chunks=(2, 2), dimension_names=["y", None])
    a.attrs["units"] = "m"
    g.create_group("sub").create_dataset("names", data=["x", "é"], dtype=str)
    sh = g.create_dataset("sh", shape=(8,), chunks=(2,), shards=(4,), dtype="i2")
    sh[:] = np.arange(8)
    g.create_dataset("be", data=np.arange(3, dtype=">i4"))
    with h5py.File(str(tmp_path / "out.h5"), "w") as h:
        zarr5.copy_all(g, h)
        assert h.attrs["title"] == "t" and h["a"].attrs["units"] == "m"
        assert np.array_equal(h["a"][...], np.arange(12.0).reshape(3, 4))
        assert [d.label for d in h["a"].dims] == ["y", ""]
        assert h["sub/names"].asstr()[...].tolist() == ["x", "é"]
        assert h["sh"][...].tolist() == list(range(8)) and h["sh"].dtype == np.dtype("i2")
        assert h["be"].dtype == np.dtype(">i4") and h["be"][...].tolist() == [0, 1, 2]


def test_strings_copy_between_v2_and_v3_and_other_objects_stay_v2(tmp_path):
    import numcodecs

    g3 = zarr5.open_group(str(tmp_path / "a.zarr"), mode="w", zarr_format=3)
    g3.create_dataset("s", data=["a", "bé"], dtype=str)
    g2 = zarr5.open_group(str(tmp_path / "b.zarr"), mode="w")
    zarr5.copy_all(g3, g2)
    assert g2["s"][:].tolist() == ["a", "bé"] and g2["s"].filters == [numcodecs.VLenUTF8()]
    back = zarr5.open_group(str(tmp_path / "c.zarr"), mode="w", zarr_format=3)
    zarr5.copy_all(g2, back)
    assert back["s"][:].tolist() == ["a", "bé"] and back["s"].zarr_format == 3
    g2.create_dataset("j", shape=(2,), dtype=object, object_codec=numcodecs.JSON())
    out = zarr5.open_group(str(tmp_path / "d.zarr"), mode="w", zarr_format=3)
    with pytest.raises(ValueError, match="zarr_format=2"):
        zarr5.copy(g2["j"], out)
    assert "j" not in out
