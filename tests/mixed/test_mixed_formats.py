"""zarr5.which_format: the format a path holds, decided by content (signature and keys), never by name."""

from __future__ import annotations

import os
import zipfile
from typing import Any

import h5py
import pytest

import zarr5
from zarr5.formats import HDF5_SIGNATURE, hdf5_superblock_offset


def test_hdf5_by_signature_not_by_name(tmp_path: Any) -> None:
    with h5py.File(tmp_path / "a.zarr", "w") as f:  # an HDF5 file with a misleading name
        f["x"] = 1
    assert zarr5.which_format(str(tmp_path / "a.zarr")) == "hdf5"
    assert zarr5.which_format(tmp_path / "a.zarr") == "hdf5"  # os.PathLike
    assert zarr5.which_format(os.fsencode(tmp_path / "a.zarr")) == "hdf5"  # bytes
    (tmp_path / "b.h5").write_bytes(b"not hdf5 at all, only the name is")
    assert zarr5.which_format(str(tmp_path / "b.h5")) is None


@pytest.mark.parametrize("userblock", [512, 1024, 4096])
def test_hdf5_after_a_user_block(tmp_path: Any, userblock: int) -> None:
    path = tmp_path / "ub.h5"
    with h5py.File(path, "w", userblock_size=userblock) as f:
        f["x"] = [1, 2]
    assert hdf5_superblock_offset(path) == userblock
    assert zarr5.which_format(path) == "hdf5"
    with zarr5.File(str(path), "r") as f:  # and it opens as HDF5
        assert list(f["x"][...]) == [1, 2]


def test_signature_only_at_allowed_offsets(tmp_path: Any) -> None:
    path = tmp_path / "odd.bin"
    path.write_bytes(b"\0" * 100 + HDF5_SIGNATURE + b"\0" * 1000)  # 100 is not a user-block size
    assert zarr5.which_format(path) is None
    path.write_bytes(b"\0" * 2048 + HDF5_SIGNATURE)
    assert hdf5_superblock_offset(path) == 2048


def test_zarr2_zarr3_n5_and_zip(tmp_path: Any) -> None:
    zarr5.open_group(str(tmp_path / "v2.h5"), mode="w")  # a zarr store whose name ends in .h5
    zarr5.open_array(str(tmp_path / "arr.zarr"), mode="w", shape=3)
    zarr5.open_group(str(tmp_path / "v3.zarr"), mode="w", zarr_format=3)
    zarr5.group(store=zarr5.N5Store(str(tmp_path / "c.n5"))).zeros("x", shape=2)
    with zarr5.ZipStore(str(tmp_path / "s.zip"), mode="w") as store:
        zarr5.group(store=store)
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as zf:
        zf.writestr("readme.txt", "no zarr here")
    assert {n: zarr5.which_format(tmp_path / n) for n in sorted(os.listdir(tmp_path))} == {
        "arr.zarr": "zarr2", "c.n5": "n5", "other.zip": None, "s.zip": "zarr2", "v2.h5": "zarr2",
        "v3.zarr": "zarr3"}


def test_nothing_or_something_else(tmp_path: Any) -> None:
    assert zarr5.which_format(tmp_path / "missing") is None
    assert zarr5.which_format(tmp_path) is None  # an empty directory
    (tmp_path / "attributes.json").write_text('{"units": "m"}')  # not an N5 root: no "n5" version
    assert zarr5.which_format(tmp_path) is None
    with pytest.raises(TypeError, match="which_format expects a path"):
        zarr5.which_format(3.5)


def test_stores_mappings_and_urls() -> None:
    assert zarr5.which_format({}) is None
    store = zarr5.MemoryStore()
    zarr5.group(store=store)
    assert zarr5.which_format(store) == "zarr2"
    assert zarr5.which_format({"zarr.json": b"{}"}) == "zarr3"
    pytest.importorskip("fsspec")
    zarr5.open_group("memory://issue10_formats/g.zarr", mode="w")
    assert zarr5.which_format("memory://issue10_formats/g.zarr") == "zarr2"
    assert zarr5.which_format("memory://issue10_formats/none") is None
