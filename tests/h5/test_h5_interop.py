"""One engine, two vocabularies: what the h5py facade writes opens through zarr5's zarr vocabulary and
through zarr-python 2.18, reserved attributes stay hidden, and isinstance works both ways."""

from __future__ import annotations

import numpy as np
import pytest

import zarr5


@pytest.fixture
def written(tmp_path):
    path = str(tmp_path / "data.h5")
    with zarr5.File(path, "w") as f:
        g = f.create_group("grp", track_order=True)
        d = g.create_dataset("temp", data=np.arange(12.0).reshape(3, 4), chunks=(2, 2), maxshape=(None, 4),
                             compression="gzip", shuffle=True)
        d.attrs["units"] = "K"
        d.attrs["scale"] = np.float32(0.5)
        d.dims[0].label = "time"
        g["names"] = ["a", "bc"]
        f["link"] = zarr5.SoftLink("/grp/temp")
    return path


def test_zarr_vocabulary_reads_it(written) -> None:
    root = zarr5.open_group(written, mode="r")
    temp = root["grp/temp"]
    np.testing.assert_array_equal(temp[...], np.arange(12.0).reshape(3, 4))
    assert temp.chunks == (2, 2)
    # reserved attributes are hidden; xarray's dimension names and user attributes are not
    assert dict(temp.attrs) == {"units": "K", "scale": 0.5, "_ARRAY_DIMENSIONS": ["time", "phony_dim_1"]}
    assert list(root["grp"].attrs) == []
    assert list(root["grp"]["names"][...]) == ["a", "bc"]


def test_zarr_python_reads_it(written) -> None:
    zarr = pytest.importorskip("zarr")
    # data.h5 is one file, a ZIP archive: zarr-python opens it through its ZipStore
    root = zarr.open_group(zarr.storage.ZipStore(written, mode="r"), mode="r")
    np.testing.assert_array_equal(root["grp/temp"][...], np.arange(12.0).reshape(3, 4))
    assert root["grp/temp"].attrs["units"] == "K"
    assert list(root["grp/names"][...]) == ["a", "bc"]


def test_h5_reads_zarr_python_store(tmp_path) -> None:
    zarr = pytest.importorskip("zarr")
    root = zarr.open_group(str(tmp_path / "z.zarr"), mode="w")
    a = root.zeros("x", shape=(4,), chunks=(2,), dtype="i4")
    a[:] = [1, 2, 3, 4]
    a.attrs["n"] = 3
    a.attrs["l"] = ["u", "v"]
    with zarr5.File(str(tmp_path / "z.zarr"), "r") as f:
        d = f["x"]
        np.testing.assert_array_equal(d[...], [1, 2, 3, 4])
        assert d.attrs["n"] == 3 and isinstance(d.attrs["n"], np.int64)
        assert list(d.attrs["l"]) == ["u", "v"]
        assert d.chunks == (2,) and d.maxshape == (4,)


def test_stale_type_record_is_ignored(written) -> None:
    # a zarr-vocabulary writer replaces the value: the recorded h5py type no longer applies
    root = zarr5.open_group(written, mode="r+")
    root["grp/temp"].attrs["scale"] = "now text"
    with zarr5.File(written, "r") as f:
        assert f["grp/temp"].attrs["scale"] == "now text"


def test_isinstance_in_both_vocabularies(written) -> None:
    with zarr5.File(written, "r") as f:
        assert isinstance(f, zarr5.Group) and isinstance(f["grp"], zarr5.Group)
        assert isinstance(f["grp/temp"], zarr5.Dataset)
        assert not isinstance(f["grp/temp"], zarr5.Group)
    z = zarr5.open_group(written, mode="r")
    assert isinstance(z, zarr5.Group) and isinstance(z["grp/temp"], zarr5.Array)
    assert isinstance(z["grp/temp"], zarr5.Dataset)
    # zarr-2 code constructs groups through the same name
    store = zarr5.MemoryStore()
    zarr5.group(store=store)
    g = zarr5.Group(store)
    assert isinstance(g, zarr5.core.Group)


def test_failed_create_damages_nothing(written) -> None:
    with zarr5.File(written, "a") as f:
        before = f["grp/temp"][...]
        with pytest.raises(ValueError):
            f.create_dataset("grp/temp", data=[1])
        with pytest.raises(ValueError):
            f.create_dataset("bad", (4,), "f4", compression="gzip", compression_opts=14)
        assert "bad" not in f
        np.testing.assert_array_equal(f["grp/temp"][...], before)
        assert f["grp/temp"].maxshape == (None, 4)


def test_store_objects_and_zip(tmp_path) -> None:
    store = zarr5.MemoryStore()
    with zarr5.File(store, "w") as f:
        f["x"] = np.arange(3)
    with zarr5.File(store, "r") as f:
        np.testing.assert_array_equal(f["x"][...], np.arange(3))
    path = str(tmp_path / "a.zip")
    with zarr5.File(path, "w") as f:
        f["x"] = np.arange(3)
    with zarr5.File(path, "r") as f:
        np.testing.assert_array_equal(f["x"][...], np.arange(3))
    assert zarr5.is_hdf5(path) and not zarr5.is_hdf5(str(tmp_path / "nothing"))
