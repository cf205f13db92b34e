"""Converted stores open in zarr-python 2 and xarray; the ``zarr5 convert`` / ``tree`` / ``info`` CLI."""

from __future__ import annotations

import json
import os

import h5py
import numpy as np
import pytest

import zarr5
from zarr5.cli import main


def _convert(src: str, dest: str) -> None:
    with h5py.File(src, "r") as s, zarr5.File(dest, "w") as d:
        zarr5.copy_all(s, d)


@pytest.mark.parametrize("name", ["dtypes", "filters", "dims", "plugins"])
def test_converted_store_opens_in_zarr_python(corpus, tmp_path, name):
    zarr2 = pytest.importorskip("zarr")
    if name not in corpus:
        pytest.skip("hdf5plugin not installed")
    dest = str(tmp_path / "c.zarr")
    _convert(corpus[name], dest)
    root = zarr2.open_group(dest, mode="r")
    with h5py.File(corpus[name], "r") as f:
        def check(path: str, obj) -> None:
            if not isinstance(obj, h5py.Dataset) or obj.shape is None or obj.dtype.kind == "O":
                return
            if obj.dtype.subdtype is not None or obj.dtype.names is not None:
                return  # trailing axes / structured views: compared by the round-trip walk
            got = root[path][...]
            assert np.array_equal(got.view(obj.dtype) if got.dtype.kind == "V" else got, obj[()]), path
        f.visititems(check)
    if name == "dtypes":
        assert list(root["vlen_utf8"][:]) == ["α", "beta", "", "γγ"]


def test_netcdf_like_sample_opens_in_xarray(corpus, tmp_path):
    xr = pytest.importorskip("xarray", reason="xarray not installed")
    dest = str(tmp_path / "nc.zarr")
    assert main(["convert", corpus["dims"], dest, "-q"]) == 0
    ds = xr.open_zarr(dest, consolidated=False, mask_and_scale=False, decode_times=False)
    assert ds["temp"].dims == ("time", "lat", "lon")
    assert ds["labelled"].dims == ("rows", "cols")
    assert set(ds.coords) == {"time", "lat", "lon"}
    assert np.array_equal(ds["temp"].values, np.arange(120, dtype="f4").reshape(4, 5, 6))
    assert ds["lat"].attrs["units"] == "degrees_north"


def test_convert_zarr_format_3_has_dimension_names(corpus, tmp_path):
    dest = str(tmp_path / "v3.zarr")
    assert main(["convert", corpus["dims"], dest, "--zarr-format", "3", "-q"]) == 0
    meta = json.loads(open(os.path.join(dest, "temp", "zarr.json")).read())
    assert meta["dimension_names"] == ["time", "lat", "lon"]
    assert np.array_equal(zarr5.open_group(dest, mode="r")["temp"][:],
                          np.arange(120, dtype="f4").reshape(4, 5, 6))


def test_convert_both_ways_with_options(corpus, tmp_path, capsys):
    z = str(tmp_path / "f.zarr")
    assert main(["convert", corpus["filters"], z, "--compressor", "zstd:2", "--chunks", "10,10",
                 "--include", "/gzip*", "--exclude", "/gzip9"]) == 0
    out = capsys.readouterr().out
    assert "copy /gzip_shuffle_fletcher (60, 70) float32" in out and "/gzip9" not in out
    root = zarr5.open_group(z, mode="r")
    assert list(root.array_keys()) == ["gzip_shuffle_fletcher"]
    assert root["gzip_shuffle_fletcher"].chunks == (10, 10)
    back = str(tmp_path / "back.h5")
    assert main(["convert", z, back, "-q"]) == 0
    with h5py.File(back, "r") as f, h5py.File(corpus["filters"], "r") as g:
        # the recorded HDF5 pipeline comes back, whatever the zarr codecs were
        assert f["gzip_shuffle_fletcher"].compression == "gzip" and f["gzip_shuffle_fletcher"].fletcher32
        assert np.array_equal(f["gzip_shuffle_fletcher"][:], g["gzip_shuffle_fletcher"][:])
    assert main(["convert", z, str(tmp_path / "again.zarr"), "-q"]) == 0  # zarr -> zarr


def test_convert_dry_run_tree_info(corpus, tmp_path, capsys):
    dest = str(tmp_path / "dry.zarr")
    assert main(["convert", corpus["dims"], dest, "--dry-run"]) == 0
    assert "dry run: 5 copied, 0 skipped" in capsys.readouterr().out and not os.path.exists(dest)
    assert main(["tree", corpus["dims"]]) == 0
    assert "temp (4, 5, 6) float32" in capsys.readouterr().out
    main(["convert", corpus["dims"], dest, "-q"])
    assert main(["info", dest]) == 0
    assert "/temp  shape=(4, 5, 6)" in capsys.readouterr().out


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_tree_and_info_of_an_array_inside_a_store(tmp_path, capsys, zarr_format):
    store = str(tmp_path / "data.zarr")
    root = zarr5.open_group(store, mode="w", zarr_format=zarr_format)
    root.create_group("a").create_dataset("b", data=np.arange(6, dtype="i2"), chunks=(4,))
    root.create_dataset("c", shape=(2, 3), dtype="f4")
    assert main(["info", store + "/a/b"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{store}/a/b: zarr array (v{zarr_format})"
    assert len(out) == 2 and out[1].startswith("b  shape=(6,) dtype=int16 chunks=(4,)")
    assert main(["tree", store + "/a/b"]) == 0
    assert capsys.readouterr().out == "b (6,) int16\n"
    assert main(["info", store + "/a"]) == 0  # a group inside the store: its arrays
    assert capsys.readouterr().out.splitlines()[1].startswith("/b  shape=(6,)")


def test_tree_and_info_of_a_file_the_h5py_vocabulary_wrote(tmp_path, capsys):
    # a new path not ending in .zarr is one ZIP file holding the store: known by its content, not its name
    import zarr5.h5py

    path = str(tmp_path / "made.h5")
    with zarr5.h5py.File(path, "w") as f:
        f.create_dataset("g/d", data=np.arange(3, dtype="i2"))
    assert main(["info", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: zarr store (v2)" and out[1].startswith("/g/d  shape=(3,) dtype=int16")
    assert main(["tree", path]) == 0
    assert "d (3,) int16" in capsys.readouterr().out


def test_convert_refuses_bad_sources(tmp_path, capsys):
    assert main(["convert", str(tmp_path / "missing.h5"), str(tmp_path / "x.zarr")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    junk = tmp_path / "junk.h5"
    junk.write_bytes(b"not hdf5 at all")
    assert main(["convert", str(junk), str(tmp_path / "x.zarr")]) == 2
    assert "neither an HDF5 file" in capsys.readouterr().err
    (tmp_path / "plain").mkdir()
    assert main(["info", str(tmp_path / "plain")]) == 2
    assert "not a zarr store" in capsys.readouterr().err


def test_convert_refuses_existing_destination_and_finds_userblock(corpus, tmp_path, capsys):
    dest = tmp_path / "u.zarr"
    assert main(["convert", corpus["userblock"], str(dest), "-q"]) == 0
    assert main(["convert", corpus["userblock"], str(dest)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["convert", corpus["userblock"], str(dest), "--resume"]) == 0
    assert "skip /x (2000,) int32" in capsys.readouterr().out
