"""Current xarray and anndata, unmodified, on zarr5's zarr-python-3 vocabulary bound as ``zarr`` (Zarr
format 3), in an interpreter where zarr-python is not installed at all (.venvs/clients-zarr3, built by
tools/install_test_deps.sh). Each program runs in that interpreter; zarr5 comes from this checkout."""

from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venvs" / "clients-zarr3" / "bin" / "python"
pytestmark = pytest.mark.skipif(not PYTHON.exists(),
                                reason="run tools/install_test_deps.sh: .venvs/clients-zarr3 missing")

BIND = "import zarr5\nzarr5.install('zarr', api=3)\n"

XARRAY = BIND + r"""
import json
import numpy as np
import xarray as xr
ds = xr.Dataset({"t": (("time", "x"), np.arange(12.0).reshape(4, 3), {"units": "K"}),
                 "n": ("x", np.array([1, 2, 3], dtype="i4")),
                 "s": ("x", np.array(["a", "bé", ""], dtype=object))},
                coords={"time": np.arange(4), "x": [10, 20, 30]}, attrs={"title": "demo"})
ds.to_zarr("out.zarr", mode="w", zarr_format=3)
assert json.load(open("out.zarr/t/zarr.json"))["zarr_format"] == 3
assert json.load(open("out.zarr/t/zarr.json"))["dimension_names"] == ["time", "x"]
back = xr.open_zarr("out.zarr")
xr.testing.assert_identical(ds, back.load())
ds.isel(time=slice(0, 2)).to_zarr("app.zarr", mode="w", zarr_format=3)
ds.isel(time=slice(2, 4)).to_zarr("app.zarr", append_dim="time")
xr.testing.assert_identical(ds, xr.open_zarr("app.zarr").load())
ds[["t"]].to_zarr("reg.zarr", mode="w", zarr_format=3, encoding={"t": {"chunks": (2, 3)}})
part = (ds[["t"]].isel(time=slice(1, 3)) * 0 - 1).drop_vars("x")
part.to_zarr("reg.zarr", region={"time": slice(1, 3)})
got = xr.open_zarr("reg.zarr").t.values
assert (got[1:3] == -1).all() and (got[0] == ds.t.values[0]).all()
print("OK", xr.__version__)
"""

ANNDATA = BIND + r"""
import json
import numpy as np
import pandas as pd
import scipy.sparse as sp
import anndata as ad
ad.settings.zarr_write_format = 3
X = sp.random(20, 8, density=0.3, format="csr", random_state=0, dtype=np.float32)
a = ad.AnnData(X=X, obs=pd.DataFrame({"cell": [f"c{i}" for i in range(20)], "n": np.arange(20)},
                                     index=[f"o{i}" for i in range(20)]),
               var=pd.DataFrame(index=[f"g{i}" for i in range(8)]),
               obsm={"pca": np.arange(40.0).reshape(20, 2)}, layers={"dense": X.toarray()},
               uns={"note": "hi", "k": 3, "nested": {"v": np.arange(3)}})
a.obs["cat"] = pd.Categorical(["a", "b"] * 10)
a.write_zarr("a.zarr")
assert json.load(open("a.zarr/zarr.json"))["zarr_format"] == 3
b = ad.read_zarr("a.zarr")
assert (b.X != a.X).nnz == 0
pd.testing.assert_frame_equal(a.obs, b.obs)
pd.testing.assert_frame_equal(a.var, b.var)
np.testing.assert_array_equal(a.obsm["pca"], b.obsm["pca"])
np.testing.assert_array_equal(a.layers["dense"], b.layers["dense"])
assert b.uns["note"] == "hi" and b.uns["k"] == 3 and list(b.uns["nested"]["v"]) == [0, 1, 2]
print("OK", ad.__version__)
"""


def _run(code: str, cwd: pathlib.Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ZARR"))}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([str(PYTHON), "-c", code], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_no_zarr_python_in_the_client_interpreter(tmp_path: pathlib.Path) -> None:
    out = _run("import importlib.util; print(importlib.util.find_spec('zarr'))", tmp_path)
    assert out.strip() == "None"


def test_xarray_to_zarr_open_zarr_format_3(tmp_path: pathlib.Path) -> None:
    assert _run(XARRAY, tmp_path).startswith("OK")


def test_anndata_write_read_zarr_format_3(tmp_path: pathlib.Path) -> None:
    assert _run(ANNDATA, tmp_path).startswith("OK")
