"""anndata, ome-zarr, xarray and dask on zarr5's zarr-2 vocabulary, with no zarr-python installed.

Each program in ``clients/`` runs in ``.venvs/clients-zarr2`` (built by tools/install_test_deps.sh from
the pinned set in tools/clients-zarr2.txt, which leaves zarr-python out) through ``python -m zarr5 run
--as zarr``, so the library's own ``import zarr`` gets ``zarr5.zarr2``. The program checks what it reads
back; this test then opens what it wrote with the real zarr-python 2.18.7 of the main interpreter.
"""

from __future__ import annotations

import os
import pathlib
import subprocess

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
VENV_PYTHON = ROOT / ".venvs" / "clients-zarr2" / "bin" / "python"
PROGRAMS = pathlib.Path(__file__).parent / "clients"

zarr = pytest.importorskip("zarr", reason="the store checks need zarr-python 2.18.7 (pip install '.[test]')")


def run_client(program: str, out: pathlib.Path) -> str:
    if not VENV_PYTHON.exists():
        pytest.skip("run tools/install_test_deps.sh: .venvs/clients-zarr2 missing")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([str(VENV_PYTHON), "-m", "zarr5", "run", "--as", "zarr", str(PROGRAMS / program),
                           str(out)], capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, f"{program} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_the_venv_has_no_zarr_python() -> None:
    if not VENV_PYTHON.exists():
        pytest.skip("run tools/install_test_deps.sh: .venvs/clients-zarr2 missing")
    proc = subprocess.run([str(VENV_PYTHON), "-c", "import zarr"], capture_output=True, text=True)
    assert proc.returncode != 0 and "No module named 'zarr'" in proc.stderr


def test_anndata_write_zarr_read_zarr(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "adata.zarr"
    assert "OK anndata (4, 3)" in run_client("anndata_io.py", out)
    g = zarr.open_group(str(out), mode="r")
    assert g.attrs["encoding-type"] == "anndata"
    np.testing.assert_array_equal(g["X"][:], np.arange(12, dtype="f4").reshape(4, 3))
    assert g["obs"].attrs["encoding-type"] == "dataframe"
    assert list(g["obs/cell"][:]) == ["a", "b", "c", "d"]
    assert g["layers/sparse"].attrs["encoding-type"] == "csr_matrix"
    assert list(g["extra/v"][:]) == [0.5, 1.5]


def test_ome_zarr_writer_and_reader(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "image.zarr"
    assert "OK ome-zarr [(2, 64, 64), (2, 32, 32)" in run_client("ome_zarr_io.py", out)
    g = zarr.open_group(str(out), mode="r")
    multiscales = g.attrs["multiscales"][0]
    assert [a["name"] for a in multiscales["axes"]] == ["c", "y", "x"]
    level0 = g[multiscales["datasets"][0]["path"]]
    assert level0.shape == (2, 64, 64) and level0.chunks == (1, 32, 32) and level0.dtype == np.uint8
    expected = np.random.default_rng(0).integers(0, 255, size=(2, 64, 64), dtype=np.uint8)
    np.testing.assert_array_equal(level0[:], expected)
    assert g["labels"].attrs["labels"] == ["mask"]
    np.testing.assert_array_equal(g["labels/mask/0"][:], (expected[0] > 128).astype(np.uint8))


def test_xarray_to_zarr_open_zarr(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "ds.zarr"
    assert "OK xarray" in run_client("xarray_io.py", out)
    g = zarr.open_consolidated(str(out), mode="r")  # the consolidated metadata cover the appended rows
    assert g["t"].shape == (6, 3) and g["t"].attrs["_ARRAY_DIMENSIONS"] == ["time", "x"]
    np.testing.assert_array_equal(g["t"][4:], np.arange(6.0).reshape(2, 3))
    assert list(g["name"][:]) == ["a", "bb", "ccc"]
    chunked = zarr.open_group(str(out) + ".chunked", mode="r")
    assert chunked["t"].chunks == (2, 3)
    assert (chunked["t"][2:] == 0).all() and (chunked["t"][:2] == np.arange(6.0).reshape(2, 3)).all()


def test_dask_to_zarr_from_zarr(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "x.zarr"
    assert "OK dask (10, 10)" in run_client("dask_io.py", out)
    expected = np.arange(100).reshape(10, 10)
    for path in (str(out), str(out) + ".direct"):
        a = zarr.open_array(path, mode="r")
        assert a.chunks == (5, 5)
        np.testing.assert_array_equal(a[:], expected)
    np.testing.assert_array_equal(zarr.open_group(str(out) + ".group", mode="r")["sub/arr"][:], expected)
