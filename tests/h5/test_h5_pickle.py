"""Datasets and groups pickle as store + path (for dask workers); a File refuses, as h5py's does."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import zarr5


def test_dataset_and_group_pickle_without_data(tmp_path):
    with zarr5.File(str(tmp_path / "p.h5"), "w") as f:
        d = f.create_dataset("g/x", data=np.arange(100000), chunks=(1000,))
        blob = pickle.dumps(d)
        assert len(blob) < 400  # the path travels, not 800 kB of data
        back = pickle.loads(blob)
        assert back.name == "/g/x" and back.shape == (100000,)
        np.testing.assert_array_equal(back[:10], np.arange(10))
        group = pickle.loads(pickle.dumps(f["g"]))
        assert list(group) == ["x"]
        with pytest.raises(TypeError):
            pickle.dumps(f)


def test_read_only_dataset_stays_read_only_after_pickling(tmp_path):
    path = str(tmp_path / "r.h5")
    with zarr5.File(path, "w") as f:
        f["x"] = np.arange(4)
    with zarr5.File(path, "r") as f:
        back = pickle.loads(pickle.dumps(f["x"]))
    with pytest.raises((ValueError, OSError)):
        back[0] = 1
    assert back[:].tolist() == [0, 1, 2, 3]


def test_dask_reads_a_dataset_by_its_chunks(tmp_path):
    da = pytest.importorskip("dask.array")
    with zarr5.File(str(tmp_path / "d.h5"), "w") as f:
        d = f.create_dataset("x", data=np.arange(60).reshape(6, 10), chunks=(2, 5))
        x = da.from_array(d, chunks=d.chunks)
        assert x.chunks == ((2, 2, 2), (5, 5))
        assert int(x.sum().compute(scheduler="processes", num_workers=2)) == int(np.arange(60).sum())
