"""Files that are files: where File(name) puts the data (one ZIP file, a directory, memory, a stream)."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

import zarr5
from zarr5.storage import DirectoryStore


def _write(name: object, mode: str = "w", **kwds: object) -> None:
    with zarr5.File(name, mode, **kwds) as f:
        f.create_dataset("g/x", data=np.arange(100), chunks=(10,), compression="gzip")
        f.attrs["a"] = 1


def _check(name: object, **kwds: object) -> None:
    with zarr5.File(name, "r", **kwds) as f:
        np.testing.assert_array_equal(f["g/x"][...], np.arange(100))
        assert f.attrs["a"] == 1


@pytest.mark.parametrize("suffix", [".h5", ".nwb", ".zip", ""])
def test_a_new_path_is_one_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"data{suffix}"
    _write(path)
    assert path.is_file() and os.path.getsize(path) > 0
    assert zipfile.ZipFile(path).testzip() is None
    moved = tmp_path / "moved.h5"
    shutil.copy(path, tmp_path / "copy.h5")
    shutil.move(path, moved)
    _check(moved)
    _check(tmp_path / "copy.h5")
    os.remove(moved)
    assert not moved.exists()


def test_zarr_python_and_fsspec_read_it(tmp_path: Path) -> None:
    path = str(tmp_path / "data.h5")
    _write(path)
    zarr = pytest.importorskip("zarr")
    root = zarr.open_group(zarr.storage.ZipStore(path, mode="r"), mode="r")
    np.testing.assert_array_equal(root["g/x"][...], np.arange(100))
    fsspec = pytest.importorskip("fsspec")
    mapper = fsspec.get_mapper(f"zip::file://{path}")
    root = zarr.open_group(mapper, mode="r")
    np.testing.assert_array_equal(root["g/x"][:5], np.arange(5))


@pytest.mark.parametrize("name", ["data.zarr", "existing-dir.h5"])
def test_dot_zarr_and_existing_directories_stay_directories(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.startswith("existing"):
        path.mkdir()
    _write(path)
    assert path.is_dir() and (path / ".zgroup").is_file()
    _check(path)
    with zarr5.File(path, "a") as f:
        f["g/x"][0] = 5
    assert path.is_dir() and (path / "g" / "x" / "0").is_file()


def test_an_explicit_store_is_used_as_given(tmp_path: Path) -> None:
    store = DirectoryStore(str(tmp_path / "any-name.h5"))
    _write(store)
    assert (tmp_path / "any-name.h5").is_dir()


def test_reopening_for_writing_appends_one_chunk(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    with zarr5.File(path, "w") as f:
        f.create_dataset("x", data=np.arange(10_000), chunks=(10,))  # 1,000 chunks
    before = path.read_bytes()
    with zarr5.File(path, "a") as f:
        f["x"][15] = -1
    after = path.read_bytes()
    assert after[:len(before)] == before  # nothing rewritten
    assert len(after) - len(before) < 80_000  # one chunk and one directory of ~1,000 entries
    with zarr5.File(path, "r") as f:
        assert f["x"][15] == -1 and f["x"][16] == 16


def test_an_unreadable_file_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.h5"
    path.write_bytes(b"not a zip, not hdf5")
    for mode in ("r", "r+", "a"):
        with pytest.raises(OSError, match="not a zarr store"):
            zarr5.File(path, mode)
    assert path.read_bytes() == b"not a zip, not hdf5"
    _write(path)  # 'w' replaces whatever it held, as in h5py
    _check(path)


def test_same_file_twice_in_one_process(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    with zarr5.File(path, "w") as w:
        w["x"] = [1, 2]
        with zarr5.File(path, "r") as r:  # shares the open file, as HDF5 does
            assert r["x"][...].tolist() == [1, 2]
        with pytest.raises(OSError):
            zarr5.File(path, "w")  # HDF5: unable to truncate a file which is already open
    with zarr5.File(path, "r") as r, pytest.raises(OSError, match="read-only"):
        zarr5.File(path, "r+")
    with zarr5.File(path, "a") as f:  # released by the closes above
        assert f["x"][...].tolist() == [1, 2]


def test_a_failed_open_does_not_keep_the_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.h5"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("unrelated", b"x")
    with pytest.raises(OSError, match="no zarr group"):
        zarr5.File(path, "r")
    _write(path)  # 'w' would be refused if the failed open still held it
    _check(path)


def test_file_like_objects(tmp_path: Path) -> None:
    buf = io.BytesIO()
    _write(buf)
    _check(io.BytesIO(buf.getvalue()))
    assert zipfile.ZipFile(io.BytesIO(buf.getvalue())).testzip() is None
    with open(tmp_path / "stream.h5", "w+b") as fh:
        _write(fh)
        assert not fh.closed  # the caller's object stays open, as with h5py
    _check(tmp_path / "stream.h5")
    with open(tmp_path / "stream.h5", "rb") as fh:
        with zarr5.File(fh, "r") as f:
            assert f.driver == "fileobj" and f.filename == repr(fh)
            assert f["g/x"][3] == 3


def test_in_memory(tmp_path: Path) -> None:
    f = zarr5.File.in_memory()
    f["x"] = np.arange(4)
    assert f.mode == "r+" and f.driver == "core"
    f.close()
    assert not list(tmp_path.iterdir())
    buf = io.BytesIO()
    _write(buf)
    with zarr5.File.in_memory(buf.getvalue()) as g:  # from a file image
        np.testing.assert_array_equal(g["g/x"][...], np.arange(100))
        g["more"] = [1]


def test_in_memory_image_of_hdf5_goes_to_h5py() -> None:
    h5py = zarr5.hdf5lib.real_h5py()
    stream = io.BytesIO()
    with h5py.File(stream, "w") as h:
        h["x"] = np.arange(3)
    f = zarr5.File.in_memory(stream.getvalue())
    assert isinstance(f, h5py.File) and f["x"][...].tolist() == [0, 1, 2]
    f.close()


def test_core_driver(tmp_path: Path) -> None:
    path = tmp_path / "core.h5"
    _write(path, driver="core", backing_store=False)
    assert not path.exists()
    _write(path, driver="core")  # h5py's default backing_store=True writes the file at close
    assert path.is_file()
    _check(path)
    _check(path, driver="core")
    with zarr5.File(path, "a", driver="core", backing_store=False) as f:
        f["g/x"][0] = 99  # changed in memory only
    _check(path)


def test_a_file_dropped_unclosed_is_closed_and_readable(tmp_path: Path) -> None:
    import gc

    path = tmp_path / "dropped.h5"
    f = zarr5.File(path, "w")
    f["x"] = np.arange(5)
    del f
    # HDF5 closes a file whose last handle goes; so does zarr5: the File's finalizer writes its cached
    # chunks back, which releases the store, whose own finalizer writes the directory
    gc.collect()
    gc.collect()
    assert zipfile.ZipFile(path).testzip() is None
    _write(path)  # not held open any more


def test_a_linked_file_outlives_the_file_that_links_to_it(tmp_path: Path) -> None:
    with zarr5.File(tmp_path / "target.h5", "w") as t:
        t["data"] = np.arange(3)
    f = zarr5.File(tmp_path / "main.h5", "w")
    f["ext"] = zarr5.ExternalLink("target.h5", "/data")
    d = f["ext"]
    f.close()
    assert d and d[...].tolist() == [0, 1, 2]  # HDF5 keeps the linked file open for its objects
    d.file.close()
    assert not d
    _write(tmp_path / "target.h5")  # released: 'w' may replace it


def test_other_processes_read_while_it_is_open(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "shared.h5"
    read = ("import sys, zarr5\n"
            "with zarr5.File(sys.argv[1], 'r') as f: print(f['x'][...].tolist())")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}

    def other_reads() -> str:
        return subprocess.run([sys.executable, "-c", read, str(path)], env=env, capture_output=True,
                              text=True, check=True).stdout.strip()

    with zarr5.File(path, "w") as f:
        f["x"] = [1, 2]
        f.flush()  # other processes see a writer's changes from its last flush, as without SWMR
        f["x"][0] = 9
        assert other_reads() == "[1, 2]"
    with zarr5.File(path, "r") as f:  # and readers read side by side
        assert other_reads() == "[9, 2]" and f["x"][0] == 9
