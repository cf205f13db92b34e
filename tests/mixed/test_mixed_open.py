"""zarr5.File and zarr5.open on both formats: who opens what, modes, format=, links, reprs, info, tree."""

from __future__ import annotations

import os
from typing import Any

import h5py
import numpy as np
import pytest

import zarr5


@pytest.fixture
def h5file(tmp_path: Any) -> str:
    path = str(tmp_path / "real.h5")
    with h5py.File(path, "w") as f:
        f.create_dataset("g/x", data=np.arange(3.0))
        f["g"].create_group("sub")
        f.attrs["a"] = 1
    return path


def test_new_paths_are_zarr_whatever_the_suffix(tmp_path: Any) -> None:
    for name in ("new.h5", "new.hdf5", "new.zarr", "plain"):
        with zarr5.File(str(tmp_path / name), "w") as f:
            assert type(f) is zarr5.File
        assert zarr5.which_format(tmp_path / name) == "zarr2"
    with zarr5.File(str(tmp_path / "a.h5"), "a") as f:
        assert type(f) is zarr5.File


def test_w_replaces_an_hdf5_file_with_a_zarr_store(h5file: str) -> None:
    with zarr5.File(h5file, "w") as f:
        assert type(f) is zarr5.File
    assert zarr5.which_format(h5file) == "zarr2"


@pytest.mark.parametrize("mode", [None, "r", "r+", "a"])
def test_existing_hdf5_opens_through_h5py(h5file: str, mode: str | None) -> None:
    f = zarr5.File(h5file) if mode is None else zarr5.File(h5file, mode)
    with f:
        assert type(f) is h5py.File
        assert f.mode == ("r" if mode in (None, "r") else "r+")
        np.testing.assert_array_equal(f["g/x"][...], np.arange(3.0))


def test_existing_hdf5_refuses_exclusive_create(h5file: str) -> None:
    with pytest.raises(FileExistsError):
        zarr5.File(h5file, "w-")


def test_format_keyword(tmp_path: Any, h5file: str) -> None:
    path = str(tmp_path / "made.h5")
    with zarr5.File(path, "w", format="hdf5", libver="latest") as f:
        assert type(f) is h5py.File
        f["x"] = np.arange(4)
    assert zarr5.which_format(path) == "hdf5" and h5py.is_hdf5(path)
    with pytest.raises(OSError, match="format='zarr'"):
        zarr5.File(h5file, "r", format="zarr")
    with pytest.raises(ValueError, match="Invalid format"):
        zarr5.File(path, "r", format="netcdf")
    with pytest.raises(TypeError, match="needs a file path"):
        zarr5.File(zarr5.MemoryStore(), "w", format="hdf5")


def test_isinstance_accepts_h5py_objects_in_the_right_classes(h5file: str) -> None:
    with zarr5.File(h5file, "r") as f:
        assert isinstance(f, zarr5.File) and isinstance(f, zarr5.Group)
        assert isinstance(f["g"], zarr5.Group) and not isinstance(f["g"], zarr5.File)
        assert isinstance(f["g/x"], zarr5.Dataset) and not isinstance(f["g/x"], zarr5.Group)
    assert not isinstance(np.arange(3), zarr5.Dataset)


def test_zarr_open_tree_info_accept_hdf5(h5file: str) -> None:
    f = zarr5.open(h5file, mode="r")
    assert type(f) is h5py.File
    x = zarr5.open(h5file, mode="r", path="g/x")
    assert isinstance(x, h5py.Dataset) and x.shape == (3,)
    assert zarr5.tree(h5file).text == "/\n +-- g\n     +-- sub\n     +-- x (3,) float64"
    assert zarr5.tree(f).unicode == "/\n └── g\n     ├── sub\n     └── x (3,) float64"
    report = repr(zarr5.info(f["g/x"]))
    assert "Type        : h5py.Dataset" in report and "Format      : HDF5" in report
    assert "No. groups     : 1" in repr(zarr5.info(h5file))
    f.close()


def test_zarr_open_w_on_hdf5_makes_zarr(h5file: str) -> None:
    g = zarr5.open(h5file, mode="w")
    assert isinstance(g, zarr5.core.Group) and zarr5.which_format(h5file) == "zarr2"


def test_reprs_in_each_vocabulary(tmp_path: Any, h5file: str) -> None:
    path = str(tmp_path / "x.h5")
    with zarr5.File(path, "w") as f:
        d = f.create_dataset("g/x", data=np.arange(3.0))
        f["g"].create_group("y")
        assert repr(f) == '<HDF5 file "x.h5" (mode r+)>'
        assert repr(d) == '<HDF5 dataset "x": shape (3,), type "<f8">'
        assert repr(f["g"]) == '<HDF5 group "/g" (2 members)>'
    assert repr(f) == "<Closed HDF5 file>"
    with zarr5.File(h5file, "r") as real, zarr5.File(path, "r") as fake:
        assert repr(real["g/x"]) == repr(fake["g/x"])  # h5py's own repr, matched by the facade
        assert repr(real["g"]) == repr(fake["g"])
    g = zarr5.open_group(path, mode="r")
    assert repr(g["g/x"]) == "<zarr5.core.Array '/g/x' (3,) float64 read-only>"
    assert repr(g) == "<zarr5.hierarchy.Group '/' read-only>"
    assert "Type               : zarr5.core.Array" in repr(zarr5.info(g["g/x"]))


def test_info_of_a_facade_file_speaks_h5py(tmp_path: Any) -> None:
    path = str(tmp_path / "f.zarr")
    with zarr5.File(path, "w") as f:
        f.create_dataset("d", data=np.zeros((4, 4)), chunks=(2, 2), compression="gzip", maxshape=(None, 4))
        f.create_group("grp")
        report = repr(zarr5.info(f))
        assert "Type         : zarr5.File" in report and "Datasets     : d" in report
        drep = repr(zarr5.info(f["d"]))
        assert "Compression : gzip (4)" in drep and "Max shape   : (None, 4)" in drep
        assert "<table" in zarr5.info(f["d"])._repr_html_()


def test_external_link_from_zarr_to_hdf5(tmp_path: Any, h5file: str) -> None:
    path = str(tmp_path / "links.zarr")
    with zarr5.File(path, "w") as f:
        f["ext"] = zarr5.ExternalLink(os.path.basename(h5file), "/g")  # relative to the zarr store
    with zarr5.File(path, "r") as f:
        target = f["ext/x"]
        assert isinstance(target, h5py.Dataset) and isinstance(target, zarr5.Dataset)
        np.testing.assert_array_equal(target[...], np.arange(3.0))
        assert f.get("ext", getlink=True) == zarr5.ExternalLink("real.h5", "/g")


def test_external_link_from_hdf5_to_zarr_is_kept_but_hdf5_cannot_follow_it(tmp_path: Any) -> None:
    zarr5.open_group(str(tmp_path / "z.zarr"), mode="w").zeros("a", shape=2)
    with h5py.File(tmp_path / "h.h5", "w") as f:
        f["ext"] = h5py.ExternalLink("z.zarr", "/a")
    with zarr5.File(str(tmp_path / "h.h5"), "r") as f:
        link = f.get("ext", getlink=True)
        assert (link.filename, link.path) == ("z.zarr", "/a")
        with pytest.raises(KeyError):
            f["ext"]  # HDF5 opens the target as an HDF5 file; a zarr store is a directory


def test_group_copy_points_to_zarr5_copy_for_hdf5_objects(tmp_path: Any, h5file: str) -> None:
    with zarr5.File(h5file, "r") as real, zarr5.File(str(tmp_path / "c.zarr"), "w") as z:
        with pytest.raises(TypeError, match="use zarr5.copy"):
            z.copy(real["g/x"], z)
        zarr5.copy(real["g/x"], z)
        np.testing.assert_array_equal(z["x"][...], np.arange(3.0))


def test_hdf5_bytes_in_a_file_like_object_open_through_h5py() -> None:
    import io

    stream = io.BytesIO()
    with h5py.File(stream, "w") as h:
        h["x"] = np.arange(5)
    stream.seek(0)
    with zarr5.File(stream) as f:  # read-only, as h5py opens it
        assert isinstance(f, h5py.File) and isinstance(f, zarr5.File)
        assert f["x"][...].tolist() == [0, 1, 2, 3, 4]
    stream.seek(100)
    with zarr5.File(stream, "r+") as f:  # the signature is found whatever the position
        f["y"] = [7]
    stream.seek(0)
    with h5py.File(stream, "r") as h:
        assert sorted(h) == ["x", "y"]


@pytest.mark.parametrize("mode", ["w", "a", "x"])
def test_a_zarr_store_lives_in_an_empty_file_like_object(mode: str) -> None:
    import io

    stream = io.BytesIO()
    with zarr5.File(stream, mode) as f:
        f["x"] = np.arange(3)
    assert stream.getvalue()[:4] == b"PK\x03\x04"  # the single-file container: a ZIP archive
    with zarr5.File(stream, "r") as f:
        assert f["x"][...].tolist() == [0, 1, 2]


@pytest.mark.parametrize("content, mode, fmt", [(b"not hdf5", "r", None), (b"not hdf5", "a", None),
                                                (b"", "r", None), (None, "r", "zarr")])
def test_a_file_like_object_holding_neither_is_refused(content: Any, mode: str, fmt: Any) -> None:
    import io

    if content is None:
        stream = io.BytesIO()
        with h5py.File(stream, "w"):
            pass
        stream.seek(0)
    else:
        stream = io.BytesIO(content)
    before = stream.getvalue()
    with pytest.raises(OSError, match="file signature not found"):
        zarr5.File(stream, mode, format=fmt)
    assert stream.getvalue() == before  # nothing it held is touched
