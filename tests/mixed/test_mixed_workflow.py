"""One program over a directory of HDF5 files (written by real h5py) and zarr stores (written by zarr5).

The same content is written both ways; the program only ever calls ``zarr5.File(path, 'r')`` and
``zarr5.open(path, mode='r')``, and must get identical results from every file of the directory.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import h5py
import numpy as np
import pytest

import zarr5


def write_sample(f: Any, lib: Any) -> None:
    """Write one hierarchy through an h5py-vocabulary File (real h5py or zarr5's facade)."""
    f.attrs["title"] = "survey"
    f.attrs["version"] = np.int32(3)
    f.attrs["origin"] = np.array([1.5, -2.0])
    grid = f.create_group("grid")
    temp = grid.create_dataset("temperature", data=np.arange(60, dtype="f4").reshape(6, 10),
                               chunks=(3, 5), compression="gzip", shuffle=True, maxshape=(None, 10))
    temp.attrs["units"] = "K"
    grid.create_dataset("mask", data=np.arange(10) % 3 == 0)
    grid.create_group("empty")
    f.create_dataset("station/ids", data=np.array([7, 11, 13], dtype="<i8"))
    f.create_dataset("station/codes", data=np.array([b"OSL", b"LIM", b"PER"], dtype="S3"))
    f.create_dataset("station/names", data=["Oslo", "Lima", "Perth"], dtype=lib.string_dtype())
    f.create_dataset("scalar", data=np.float64(2.5))
    f["latest"] = lib.SoftLink("/grid/temperature")


def _norm(value: Any) -> Any:
    """A comparable, library-independent form of a value read back."""
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, hashlib.sha1(np.ascontiguousarray(value).tobytes()).hexdigest()
                if value.dtype.kind != "O" else [_norm(v) for v in value.tolist()])
    if isinstance(value, np.generic):
        return (value.dtype.str, value.item())
    return value


def summarize(path: str) -> dict:
    """The one program: everything it learns about a file, through zarr5's APIs only."""
    out: dict[str, Any] = {"objects": []}
    with zarr5.File(path, "r") as f:
        out["root_attrs"] = {k: _norm(v) for k, v in sorted(f.attrs.items())}

        def visit(name: str, obj: Any) -> None:
            # a ported program tells datasets from groups with the h5py vocabulary's classes
            if isinstance(obj, zarr5.Dataset):
                data = obj[()]
                out["objects"].append((name, "dataset", obj.shape, obj.dtype.str, obj.chunks, obj.maxshape,
                                       obj.compression, _norm(data),
                                       {k: _norm(v) for k, v in sorted(obj.attrs.items())}))
            elif isinstance(obj, zarr5.Group):
                out["objects"].append((name, "group", sorted(obj.keys())))
            else:  # pragma: no cover - fails the comparison below
                out["objects"].append((name, type(obj).__name__))

        f.visititems(visit)
        out["latest"] = _norm(f["latest"][...])
        out["names_str"] = list(f["station/names"].asstr()[...])
        out["link"] = repr(f.get("latest", getlink=True))
        out["reprs"] = [repr(f["grid"]), repr(f["grid/temperature"])]
        # h5py-vocabulary trees list soft links as members (h5py's items() follows them)
        out["tree"] = zarr5.tree(f).text
    # the zarr-2 vocabulary's functions accept both, too
    node = zarr5.open(path, mode="r")
    out["window"] = _norm(np.asarray(node["grid/temperature"][1:4, 2:7]))
    out["info_rows"] = [line.split(":")[0].strip() for line in repr(zarr5.info(node["grid/temperature"]))
                        .splitlines()][:1]
    return out


@pytest.fixture
def mixed_dir(tmp_path: Any) -> str:
    for i in range(2):
        with h5py.File(tmp_path / f"run{i}.h5", "w") as f:
            write_sample(f, h5py)
        with zarr5.File(str(tmp_path / f"run{i}.zarr"), "w") as f:
            write_sample(f, zarr5)
    # names do not decide: an HDF5 file with a user block and a zarr store whose name ends in .h5
    with h5py.File(tmp_path / "blocked.h5", "w", userblock_size=512) as f:
        write_sample(f, h5py)
    with zarr5.File(str(tmp_path / "ported.h5"), "w") as f:
        write_sample(f, zarr5)
    return str(tmp_path)


def test_one_program_same_results_from_hdf5_and_zarr(mixed_dir: str) -> None:
    paths = sorted(os.path.join(mixed_dir, n) for n in os.listdir(mixed_dir))
    formats = {os.path.basename(p): zarr5.which_format(p) for p in paths}
    assert formats == {"blocked.h5": "hdf5", "ported.h5": "zarr2", "run0.h5": "hdf5", "run0.zarr": "zarr2",
                       "run1.h5": "hdf5", "run1.zarr": "zarr2"}
    results = {os.path.basename(p): summarize(p) for p in paths}
    reference = results["run0.h5"]
    assert [o[0] for o in reference["objects"]] == [
        "grid", "grid/empty", "grid/mask", "grid/temperature", "scalar", "station", "station/codes",
        "station/ids", "station/names"]
    assert reference["names_str"] == ["Oslo", "Lima", "Perth"]
    for name, result in results.items():
        assert result == reference, name


def test_zarr5_file_hands_hdf5_to_h5py_and_zarr_to_the_facade(mixed_dir: str) -> None:
    with zarr5.File(os.path.join(mixed_dir, "run0.h5"), "r") as f:
        assert type(f) is h5py.File and isinstance(f, zarr5.File)
    with zarr5.File(os.path.join(mixed_dir, "run0.zarr"), "r") as f:
        assert type(f) is zarr5.File and not isinstance(f, h5py.File)


def test_copy_all_from_hdf5_into_a_zarr_file_keeps_the_summary(mixed_dir: str, tmp_path: Any) -> None:
    dest_path = str(tmp_path / "copied.zarr")
    with zarr5.File(os.path.join(mixed_dir, "run0.h5"), "r") as source, zarr5.File(dest_path, "w") as dest:
        zarr5.copy_all(source, dest)
    assert zarr5.which_format(dest_path) == "zarr2"
    copied, original = summarize(dest_path), summarize(os.path.join(mixed_dir, "run0.h5"))
    # copy_all follows the soft link (h5py's items() does), so 'latest' arrives as a dataset
    assert [o for o in copied["objects"] if o[0] != "latest"] == original["objects"]
    for key in ("root_attrs", "latest", "names_str", "window"):
        assert copied[key] == original[key], key
