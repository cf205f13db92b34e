"""anndata's write_zarr / read_zarr, run with zarr bound to zarr5 (tests/zarr2/test_zarr2_clients.py)."""

import sys

import anndata as ad
import numpy as np
import pandas as pd
import scipy.sparse as sp
import zarr

assert getattr(zarr, "__zarr5_vocabulary__", False), zarr  # the run binds zarr5, never zarr-python
out = sys.argv[1]
X = np.arange(12, dtype="f4").reshape(4, 3)
obs = pd.DataFrame({"cell": ["a", "b", "c", "d"], "n": [1, 2, 3, 4]}, index=[f"c{i}" for i in range(4)])
a = ad.AnnData(X=X, obs=obs, var=pd.DataFrame(index=["g1", "g2", "g3"]))
a.obs["cat"] = pd.Categorical(["x", "y", "x", "y"])
a.uns["meta"] = {"k": 1, "s": "text", "arr": np.arange(3)}
a.obsm["pca"] = np.ones((4, 2))
a.layers["sparse"] = sp.csr_matrix(np.eye(4, 3, dtype="f8"))
a.write_zarr(out)

b = ad.read_zarr(out)
np.testing.assert_array_equal(b.X, X)
assert list(b.obs_names) == ["c0", "c1", "c2", "c3"] and list(b.var_names) == ["g1", "g2", "g3"]
assert list(b.obs["cell"]) == ["a", "b", "c", "d"] and list(b.obs["n"]) == [1, 2, 3, 4]
assert list(b.obs["cat"]) == ["x", "y", "x", "y"] and isinstance(b.obs["cat"].dtype, pd.CategoricalDtype)
assert b.uns["meta"]["k"] == 1 and b.uns["meta"]["s"] == "text"
np.testing.assert_array_equal(b.uns["meta"]["arr"], np.arange(3))
np.testing.assert_array_equal(b.obsm["pca"], np.ones((4, 2)))
assert sp.issparse(b.layers["sparse"])
np.testing.assert_array_equal(b.layers["sparse"].toarray(), np.eye(4, 3))

# one element at a time, through the group API anndata's own code uses
g = zarr.open_group(out, mode="a")
ad.experimental.write_elem(g, "extra", pd.DataFrame({"v": [0.5, 1.5]}, index=["p", "q"]))
back = ad.experimental.read_elem(g["extra"])
assert list(back["v"]) == [0.5, 1.5] and list(back.index) == ["p", "q"]
print("OK anndata", b.shape)
