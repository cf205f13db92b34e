"""zarr5.zarr2's storage side: zarr 2's private store modules, ConsolidatedMetadataStore's argument
rules, and copies from HDF5 that carry exactly the source's attributes, as zarr 2's copy does."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import zarr5
import zarr5.zarr2 as zarr
from zarr5.hdf5lib import real_h5py


def test_private_store_modules_that_zarr2_code_imports() -> None:
    store_mod = importlib.import_module("zarr5.zarr2._storage.store")
    v3 = importlib.import_module("zarr5.zarr2._storage.v3")
    context = importlib.import_module("zarr5.zarr2.context")
    assert store_mod.BaseStore is zarr.storage.BaseStore and store_mod.meta_root == "meta/root/"
    assert store_mod.v3_api_available is False
    assert issubclass(v3.KVStoreV3, zarr.storage.KVStore)
    assert set(context.Context.__annotations__) == {"meta_array"}
    with pytest.raises(ValueError):
        store_mod._get_hierarchy_metadata(zarr.storage.KVStore({}))


def test_consolidated_store_refuses_what_is_not_a_store() -> None:
    with pytest.raises(ValueError, match="cannot use builtins.str"):
        zarr.storage.ConsolidatedMetadataStore("some/path")


@pytest.fixture
def h5file(tmp_path):
    with real_h5py().File(tmp_path / "src.h5", "w") as f:
        ds = f.create_dataset("a", data=np.arange(6).reshape(2, 3))
        ds.attrs["units"] = "m"
        yield f


def test_zarr2_copy_from_hdf5_carries_exactly_the_source_attributes(h5file) -> None:
    dest = zarr.group()
    zarr.copy(h5file["a"], dest)
    assert dict(dest["a"].attrs) == {"units": "m"}
    zarr.copy_all(h5file, dest, if_exists="replace")
    assert dict(dest["a"].attrs) == {"units": "m"}
    # zarr5's own copy names the dimensions for xarray; the zarr-2 one does so when asked
    mixed = zarr5.group()
    zarr5.copy(h5file["a"], mixed)
    assert mixed["a"].attrs["_ARRAY_DIMENSIONS"] == ["phony_dim_0", "phony_dim_1"]
    zarr.copy(h5file["a"], dest, name="b", xarray_dims=True)
    assert dest["b"].attrs["_ARRAY_DIMENSIONS"] == ["phony_dim_0", "phony_dim_1"]


def test_zarr2_copy_from_hdf5_takes_zarr_creation_options(h5file) -> None:
    dest = zarr.group()
    zarr.copy(h5file["a"], dest, compressor=zarr.Zlib(9), fill_value=42, order="F", chunks=(1, 3),
              filters=[zarr.Adler32()], without_attrs=True)
    a = dest["a"]
    assert (a.order, a.fill_value, a.chunks, a.compressor, a.filters) == ("F", 42, (1, 3), zarr.Zlib(9),
                                                                          [zarr.Adler32()])
    np.testing.assert_array_equal(a[:], np.arange(6).reshape(2, 3))
    # order alone keeps the HDF5 dataset's own compression
    with real_h5py().File(h5file.filename, "a") as f:
        f.create_dataset("z", data=np.arange(4), compression="gzip", compression_opts=4)
        zarr.copy(f["z"], dest, order="F")
    assert dest["z"].order == "F" and dest["z"].compressor == zarr.Zlib(4)  # HDF5 gzip is zlib's stream
    with pytest.raises(ValueError, match="order must be"):
        zarr.copy(h5file["a"], dest, name="bad", order="X")
    assert "bad" not in dest
