"""zarr-python 2's rules in the zarr-2 vocabulary (zarr5.zarr2), and zarr5's own rules where they differ:
Pickle decoded unasked (with a switch to refuse it), no broadcasting of written arrays, no backward
steps, zarr 2's reading of ``arr[...]``, swappable ``_filters`` guarded against object arrays."""

from __future__ import annotations

import pickle

import numcodecs
import numpy as np
import pytest

import zarr5
import zarr5.zarr2 as zarr
from zarr5.errors import NegativeStepError, ObjectCodecError, UnsafeCodecError
from zarr5.hdf5lib import real_h5py


@pytest.fixture
def pickled(tmp_path) -> str:
    path = str(tmp_path / "pickled.zarr")
    z = zarr5.open_array(path, mode="w", shape=3, chunks=2, dtype=object, object_codec=numcodecs.Pickle())
    z[:] = np.array([{1, 2}, "a", None], dtype=object)
    return path


def test_zarr2_vocabulary_decodes_pickle_unasked(pickled: str) -> None:
    assert zarr.open_array(pickled, mode="r")[0] == {1, 2}
    assert zarr.open(pickled, mode="r")[1] == "a"
    store = zarr.DirectoryStore(pickled)
    assert zarr.core.Array(store)[0] == {1, 2}
    root = zarr.group(store=zarr.MemoryStore())
    zarr.copy(zarr.open_array(pickled, mode="r"), root, name="copied")
    assert root["copied"][0] == {1, 2}  # a group's members follow the vocabulary too


def test_zarr5_and_h5py_vocabularies_keep_refusing_pickle(pickled: str) -> None:
    with pytest.raises(UnsafeCodecError, match="pickle"):
        zarr5.open_array(pickled, mode="r")
    with pytest.raises(UnsafeCodecError):
        zarr5.Array(zarr5.DirectoryStore(pickled))
    assert zarr5.open_array(pickled, mode="r", allow_pickle=True)[0] == {1, 2}


def test_switch_makes_the_zarr2_vocabulary_refuse_pickle(pickled: str) -> None:
    with zarr5.config.using(zarr2_allow_pickle=False):
        with pytest.raises(UnsafeCodecError):
            zarr.open_array(pickled, mode="r")
        with pytest.raises(UnsafeCodecError):
            zarr.core.Array(zarr.DirectoryStore(pickled))
        assert zarr.open_array(pickled, mode="r", allow_pickle=True)[0] == {1, 2}
    with pytest.raises(UnsafeCodecError):
        zarr.open_array(pickled, mode="r", allow_pickle=False)
    with pytest.raises(ValueError, match="True or False"):
        zarr5.config.set(zarr2_allow_pickle=1)


def test_arrays_and_groups_are_the_vocabularys_classes() -> None:
    root = zarr.group()
    a = root.zeros("a", shape=4)
    sub = root.create_group("sub")
    assert type(a) is zarr.Array and type(root["a"]) is zarr.core.Array
    assert type(root.array("b", [1, 2])) is zarr.Array
    assert type(root.create_dataset("c", data=[1])) is zarr.Array
    assert type(sub) is zarr.Group and type(root["sub"]) is zarr.hierarchy.Group
    assert type(zarr.open_group(root.store)["sub"]) is zarr.Group
    assert type(pickle.loads(pickle.dumps(a))) is zarr.Array
    assert type(a.view()) is zarr.Array
    # zarr5's own top level keeps the engine's classes
    assert type(zarr5.zeros(3)) is zarr5.Array and not isinstance(zarr5.zeros(3), zarr.Array)


def test_written_arrays_must_match_the_selection_shape() -> None:
    z = zarr.zeros((4, 5), chunks=(2, 2), dtype="i4")
    z[0, :] = np.arange(5)
    z[:, 1] = 7  # a scalar fills the selection
    with pytest.raises(ValueError, match=r"expected array with shape \(1, 5\), got \(5,\)"):
        z[0:1] = np.arange(5)
    with pytest.raises(ValueError, match=r"\(4, 5\)"):
        z[:] = np.ones((1, 5))
    z.vindex[[0, 1], [2, 3]] = [8, 9]
    assert z[0, 2] == 8 and z[1, 3] == 9
    # zarr5's own Array broadcasts as numpy does
    n = zarr5.zeros((4, 5), chunks=(2, 2), dtype="i4")
    n[0:1] = np.arange(5)
    assert n[0, 4] == 4


def test_slices_never_step_backwards() -> None:
    z = zarr.array(np.arange(10), chunks=3)
    for call in (lambda: z[::-1], lambda: z.get_basic_selection(slice(8, 2, -2)), lambda: z.oindex[::-1],
                 lambda: z.set_basic_selection(slice(None, None, -1), 0)):
        with pytest.raises(NegativeStepError):
            call()
    assert list(zarr5.array(np.arange(10), chunks=3)[::-3]) == [9, 6, 3, 0]


def test_getitem_reads_selections_as_zarr2_does() -> None:
    z = zarr.array(np.arange(60).reshape(3, 4, 5), chunks=2)
    with pytest.raises(IndexError):
        z[..., [1, 2]]
    with pytest.raises(IndexError):
        z[np.ones(3, dtype=bool)]
    assert z[[0, 2]].shape == (2, 4, 5)  # orthogonal
    assert list(z[[0, 2], [1, 3], [0, 4]]) == [5, 59]  # vectorised
    assert zarr5.array(np.arange(60).reshape(3, 4, 5), chunks=2)[..., [1, 2]].shape == (3, 4, 2)


def test_several_fields_cannot_be_written_at_once() -> None:
    dt = np.dtype([("a", "i4"), ("b", "f8")])
    z = zarr.zeros(3, dtype=dt)
    z["a"] = [1, 2, 3]
    with pytest.raises(IndexError, match="multiple fields"):
        z.set_basic_selection(Ellipsis, np.zeros(3, dtype=dt), fields=["a", "b"])
    assert list(z["a"]) == [1, 2, 3]


def test_swapped_filters_guard_object_arrays() -> None:
    z = zarr.empty(5, chunks=2, dtype=object, object_codec=numcodecs.MsgPack())
    z[:] = ["a", "b", "c", "d", "e"]
    z._filters = None  # zarr 2's private attribute: this array alone now has no object codec
    with pytest.raises(RuntimeError, match="without object codec"):
        z[0] = "x"
    with pytest.raises(ObjectCodecError):
        z[:]
    assert list(zarr.open_array(z.store)[:]) == ["a", "b", "c", "d", "e"]  # nothing stored was touched
    v = zarr.open_array(z.store).view(filters=[])
    with pytest.raises(RuntimeError):
        v[:]


def test_block_slices_starting_outside_the_grid_are_refused() -> None:
    z = zarr.zeros((1000, 10), chunks=(300, 3))
    with pytest.raises(IndexError, match="out of bounds"):
        z.get_block_selection((slice(15, 20), slice(None)))
    with pytest.raises(IndexError):
        z.blocks[4:] = 1
    assert z.blocks[3:].shape == (100, 10) and z.blocks[-4:].shape == (1000, 10)
    assert zarr5.zeros((1000, 10), chunks=(300, 3)).blocks[4:].shape == (0, 10)  # numpy's reading


def test_out_may_be_any_array_like_with_a_shape() -> None:
    z = zarr.array(np.arange(20), chunks=6)
    out = zarr.zeros(5, chunks=2, dtype=z.dtype)
    assert z.get_basic_selection(slice(3, 8), out=out) is out
    assert list(out[:]) == [3, 4, 5, 6, 7]
    with pytest.raises(TypeError):
        z.get_basic_selection(Ellipsis, out=[])
    with pytest.raises(ValueError, match="expected array with shape"):
        z.get_basic_selection(slice(0, 2), out=zarr.zeros(3))


def test_partial_chunk_iterator_plans_contiguous_runs() -> None:
    runs = list(zarr.indexing.PartialChunkIterator((slice(5, 8, 1), slice(2, 4, 1)), (100, 10, 100)))
    assert runs == [(5200, 200, (slice(5, 6, 1), slice(2, 4, 1))),
                    (6200, 200, (slice(6, 7, 1), slice(2, 4, 1))),
                    (7200, 200, (slice(7, 8, 1), slice(2, 4, 1)))]
    flat = np.arange(1000).reshape(100, 10)
    for start, n, sel in zarr.indexing.PartialChunkIterator((slice(2, 4, 1), slice(1, 3, 1)), (100, 10)):
        np.testing.assert_array_equal(flat.reshape(-1)[start:start + n], flat[sel].reshape(-1))
    assert list(zarr.indexing.PartialChunkIterator((0, 0), (10, 10))) == [(0, 1, (slice(0, 1, 1),
                                                                                  slice(0, 1, 1)))]


def test_float_lengths_are_taken_with_a_warning() -> None:
    with pytest.warns(UserWarning, match="not an integer"):
        z = zarr.group().create_dataset("ds", shape=(3.0,), chunks=(2.0,), dtype="u1")
    assert z.shape == (3,) and z.chunks == (2,) and all(type(n) is int for n in z.shape + z.chunks)


def test_structured_fill_value_holding_objects_round_trips_with_zarr_python(tmp_path) -> None:
    zarr_python = pytest.importorskip("zarr", reason="zarr-python 2 is not installed (pip install '.[test]')")
    if getattr(zarr_python, "__zarr5_vocabulary__", False):
        pytest.skip("zarr is bound to zarr5's vocabulary in this process")
    dt = [("x", "<f8"), ("y", object)]
    path = str(tmp_path / "s.zarr")
    a = zarr.open_array(path, mode="w", shape=4, chunks=2, dtype=dt, fill_value=(0.5, None),
                        object_codec=numcodecs.Pickle())
    a[1] = (2.0, {"k": 1})
    assert tuple(a[0]) == (0.5, None)  # the fill value, for a chunk never written
    reopened = zarr.open_array(path, mode="r")
    assert tuple(reopened.fill_value) == (0.5, None) and tuple(reopened[1]) == (2.0, {"k": 1})
    theirs = zarr_python.open_array(path, mode="r")
    assert tuple(theirs.fill_value) == (0.5, None) and tuple(theirs[3]) == (0.5, None)
    with pytest.raises(UnsafeCodecError):
        zarr5.open_array(path, mode="r")  # the fill value is Pickle too: nothing is decoded unasked
    # zarr-python's own store, with its default fill value 0 and several chunks, read by zarr5
    ours = str(tmp_path / "theirs.zarr")
    w = zarr_python.open_array(ours, mode="w", shape=3, chunks=2, dtype=dt, object_codec=numcodecs.Pickle())
    w[0] = (1.0, b"x")
    r = zarr.open_array(ours, mode="r")
    assert tuple(r[0]) == (1.0, b"x") and tuple(r[2]) == tuple(w[2])


def test_copy_from_hdf5_keeps_attributes_as_stored(tmp_path) -> None:
    h5py = real_h5py()
    src = str(tmp_path / "src.h5")
    with h5py.File(src, "w") as f:
        f.create_dataset("x", data=np.arange(6).reshape(2, 3)).attrs["units"] = "m"
    with h5py.File(src, "r") as f:
        ours = zarr.group()
        zarr.copy(f["x"], ours)
        assert dict(ours["x"].attrs) == {"units": "m"}  # zarr 2's copy adds nothing
        native = zarr5.group()
        zarr5.copy(f["x"], native)
        assert native["x"].attrs["_ARRAY_DIMENSIONS"] == ["phony_dim_0", "phony_dim_1"]  # for xarray
        assert native["x"].attrs["units"] == "m"


def test_info_names_the_synchronizer_and_consolidated_store_wants_a_store() -> None:
    g = zarr.group(store=dict(), synchronizer=zarr.ThreadSynchronizer())
    z = g.zeros("bar", shape=3)
    assert dict(g.info_items())["Synchronizer type"].endswith(".ThreadSynchronizer")
    assert dict(z.info_items())["Synchronizer type"].endswith(".ThreadSynchronizer")
    assert "Synchronizer type" not in dict(zarr.zeros(3).info_items())
    with pytest.raises(ValueError):
        zarr.storage.ConsolidatedMetadataStore("data/some.zarr")


def test_astype_and_view_read_through_metadata_held_in_memory() -> None:
    z = zarr.array(np.arange(20, dtype="i1"), chunks=5, filters=[numcodecs.Delta(dtype="i1")])
    f = z.astype("f4")
    assert type(f) is zarr.Array and f.is_view and f.read_only and not z.is_view
    assert f.dtype == np.dtype("f4") and f[:3].dtype == np.dtype("f4") and list(f[17:]) == [17.0, 18.0, 19.0]
    with pytest.raises(zarr.errors.ReadOnlyError):
        f[0] = 1
    v = zarr.zeros(10, chunks=5).view(fill_value=5)
    assert v[-1] == 5 and zarr.open_array(v.store).fill_value == 0  # nothing was written
    assert isinstance(zarr5.array(np.arange(3)).astype("f4"), np.ndarray)  # zarr5's own: a numpy copy
