"""An ordinary anndata program (``.h5ad`` through h5py); ``zarr5 demo`` runs it unchanged with h5py bound
to zarr5, so the ``.h5ad`` file it writes is a single-file zarr store.

Usage: anndata_program.py PATH -- prints one line per check, exits 1 if any fails.
"""

import sys
from importlib.metadata import version

import anndata
import numpy as np
import pandas as pd
from scipy import sparse

failures = 0


def check(what, ok):
    global failures
    failures += not ok
    print(f"  [{'ok' if ok else 'FAILED'}] {what}")


path = sys.argv[1]
counts = sparse.random(5, 4, density=0.5, format="csr", random_state=0, dtype=np.float32)
obs = pd.DataFrame({"cell_type": pd.Categorical(list("TBTNB"))},
                   index=[f"cell{i}" for i in range(5)])
adata = anndata.AnnData(X=counts, obs=obs, var=pd.DataFrame(index=["CD3E", "CD19", "NKG7", "MS4A1"]),
                        layers={"dense": counts.toarray()}, uns={"study": "zarr5 demo"})
adata.write_h5ad(path, compression="gzip")
back = anndata.read_h5ad(path)
name = path.rsplit("/", 1)[-1]
check(f"anndata {version('anndata')} wrote {name} and reads it back: {back.n_obs} x {back.n_vars}, sparse X, "
      "categorical obs", (back.X != counts).nnz == 0 and back.obs["cell_type"].tolist() == list("TBTNB"))
backed = anndata.read_h5ad(path, backed="r+")
backed.obs["score"] = np.arange(5.0)
backed.write()
rows = backed[backed.obs["cell_type"] == "T"].to_memory()
backed.file.close()
check(f"backed mode reads a subset lazily ({rows.n_obs} T cells) and r+ adds obs['score']",
      np.array_equal(rows.layers["dense"], counts.toarray()[[0, 2]])
      and anndata.read_h5ad(path).obs["score"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0])
sys.exit(1 if failures else 0)
