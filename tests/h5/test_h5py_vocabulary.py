"""zarr5's h5py vocabulary (zarr5.h5py) bound as ``h5py``: module layout, version answers, ``.id``
handles and the low-level modules, checked against the real h5py running the same program.

Binding changes the whole process, so each bound program runs in its own interpreter.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import zarr5

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAM = os.path.join(HERE, "programs", "lowlevel_client.py")


def _run(args: list[str], cwd: str) -> str:
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_lowlevel_program_sees_what_real_h5py_shows(tmp_path):
    # the same unmodified program: once on real h5py and an HDF5 file, once bound to zarr5
    real = json.loads(_run([PROGRAM, str(tmp_path / "real.h5")], str(tmp_path)))
    ours = json.loads(_run(["-m", "zarr5", "run", "--as", "h5py", PROGRAM, str(tmp_path / "ours.zarr")],
                           str(tmp_path)))
    assert real["name"] == "h5py"
    assert {k: ours.get(k) for k in real} == real
    # the store it wrote is plain zarr: zarr-python reads the dataset made through h5d.create
    import zarr

    z = zarr.open_group(str(tmp_path / "ours.zarr"), mode="r")
    assert [bytes(x) for x in z["chars"][:]] == [b"ab", b"cde", b"fghij"]


LAYOUT_PROGRAM = r"""
import json, pickle, numpy as np
import zarr5
zarr5.install("h5py")
import h5py
from h5py._hl.dataset import AsStrView, AsTypeView, FieldsView
from h5py._hl.base import Empty, is_empty_dataspace
from h5py._hl.files import File
from h5py._hl.group import Group, SoftLink
from h5py._hl.datatype import Datatype
from h5py._hl.attrs import AttributeManager
from h5py._hl.dims import DimensionManager
from h5py._hl.selections import MultiBlockSlice
from h5py._hl.vds import VirtualLayout
from h5py import h5, h5a, h5d, h5ds, h5f, h5g, h5l, h5o, h5p, h5r, h5s, h5t, h5z
from h5py.version import hdf5_version, version_tuple
out = {
    "name": h5py.__name__, "version": h5py.__version__, "vt": list(version_tuple[:3]),
    "hdf5": hdf5_version, "cfg": [h5py.get_config().ros3, h5py.get_config().mpi],
    "modules": [h5py.Dataset.__module__, h5py.File.__module__, h5py.Datatype.__module__,
                h5py.h5t.TypeEnumID.__module__],
    "not_dataset": isinstance(np.zeros(1), h5py.Dataset),
    "same_class": [AsStrView is type(None) or AsStrView.__name__, File is h5py.File],
}
f = h5py.File("layout.zarr", "w")
d = f.create_dataset("d", data=np.arange(4))
out["roundtrip"] = pickle.loads(pickle.dumps(d))[()].tolist()
try:
    h5py.File("other.zarr", "w", no_such_keyword=1)
except TypeError as e:
    out["unknown_kw"] = "no_such_keyword" in str(e)
from zarr5.install import uninstall
uninstall("h5py")
out["unbound_module"] = zarr5.Dataset.__module__
print(json.dumps(out))
"""


def test_layout_versions_and_class_homes(tmp_path):
    import h5py as real_h5py

    out = json.loads(_run(["-c", LAYOUT_PROGRAM], str(tmp_path)))
    assert out["name"] == "h5py"
    assert out["version"] == "3.16.0" and out["vt"] == [3, 16, 0]
    assert out["hdf5"] == real_h5py.version.hdf5_version  # the HDF5 zarr5 reads .h5 files with
    assert out["cfg"] == [False, False]
    assert out["modules"] == ["h5py._hl.dataset", "h5py._hl.files", "h5py._hl.datatype", "h5py.h5t"]
    assert out["not_dataset"] is False  # no recursion through the bound name
    assert out["roundtrip"] == [0, 1, 2, 3]
    assert out["unknown_kw"] is True
    assert out["unbound_module"] == "zarr5.h5.dataset"



def test_the_top_level_version_answers_as_the_module_does():
    # zarr5.version (the facade's object, what `import zarr5 as h5py` code reads) names the same HDF5
    # as zarr5.h5py.version, h5py's module: the real h5py's, which reads .h5 files
    import h5py as real_h5py

    import zarr5.h5py

    for name in ("hdf5_version", "hdf5_version_tuple", "hdf5_built_version_tuple"):
        assert getattr(zarr5.version, name) == getattr(zarr5.h5py.version, name)
        assert getattr(zarr5.version, name) == getattr(real_h5py.version, name)
    with pytest.raises(AttributeError, match="no_such_version"):
        _ = zarr5.version.no_such_version


def test_ids_identity_and_validity(tmp_path):
    f = zarr5.File(str(tmp_path / "a.zarr"), "w")
    d = f.create_dataset("a/b", data=np.arange(3))
    f["link"] = d  # a hard link: the same object under two names
    assert d.id == f["a/b"].id == f["link"].id
    assert len({d.id, f["a/b"].id, f["link"].id}) == 1
    assert f["a"].id != d.id and f.id != f["a"].id
    g = zarr5.File(str(tmp_path / "a.zarr"), "r")
    assert g["a/b"].id == d.id  # same store, same object
    g.close()
    handle = d.id
    f.close()
    assert not handle.valid and not handle


def test_attr_handles_report_exact_types(tmp_path):
    f = zarr5.File(str(tmp_path / "a.zarr"), "w")
    f.attrs.create("i2", data=[1, 2, 3], dtype="i2")
    f.attrs["s"] = "text"
    f.attrs["e"] = zarr5.Empty("f4")
    assert (f.attrs.get_id("i2").dtype, f.attrs.get_id("i2").shape) == (np.dtype("i2"), (3,))
    assert zarr5.check_string_dtype(f.attrs.get_id("s").dtype).length is None
    assert f.attrs.get_id("e").shape is None
    with pytest.raises(KeyError, match="missing"):
        f.attrs.get_id("missing")


def test_h5s_rejects_bad_maxshape():
    from zarr5.h5py import h5s

    with pytest.raises(ValueError, match="smaller"):
        h5s.create_simple((4,), (2,))


def test_extend_grows_only_and_broadcast_rows(tmp_path):
    f = zarr5.File(str(tmp_path / "a.zarr"), "w")
    d = f.create_dataset("d", shape=(2, 3), maxshape=(None, 3), dtype="i4")
    d.id.extend((4, 3))
    d.id.extend((3, 3))
    assert d.shape == (4, 3)
    d[1] = np.array([[7, 8, 9]])
    assert d[1].tolist() == [7, 8, 9]
    with pytest.raises(TypeError, match="broadcast"):
        d[1] = np.ones((2, 3))
    assert d[1].tolist() == [7, 8, 9]  # a refused write changes nothing


def test_unknown_file_keyword_is_a_type_error_and_creates_nothing(tmp_path):
    path = tmp_path / "new.zarr"
    with pytest.raises(TypeError, match="'unknown_keyword'"):
        zarr5.File(str(path), "w", unknown_keyword=1)
    assert not path.exists()
    with pytest.raises(TypeError, match="'foo'"):
        zarr5.File(str(path), "w", driver="core", foo=1)
    zarr5.File(str(path), "w", driver="core", backing_store=True).close()  # the driver's own keyword


def _orders_under_config_track_order(h5py, path):
    """Member and attribute orders h5py programs see with ``get_config().track_order = True``."""
    config = h5py.get_config()
    config.track_order = True
    try:
        with h5py.File(path, "w") as f:
            g = f.create_group("g")
            for name in ("zeta", "alpha", "mid"):
                g.create_group(name)
                f.attrs[name] = 1
            d = f.create_dataset("d", data=[1])
            d.attrs["z"], d.attrs["a"] = 1, 2
        with h5py.File(path, "r") as f:
            return list(f["g"]), list(f.attrs), list(f["d"].attrs)
    finally:
        config.track_order = False


def test_config_track_order_is_the_default_for_new_objects(tmp_path):
    from zarr5.hdf5lib import real_h5py

    # h5py applies get_config().track_order to files, groups and datasets created without track_order=
    expected = _orders_under_config_track_order(real_h5py(), str(tmp_path / "real.h5"))
    assert expected == (["zeta", "alpha", "mid"], ["zeta", "alpha", "mid"], ["z", "a"])
    assert _orders_under_config_track_order(zarr5.h5py, str(tmp_path / "ours.h5")) == expected
    with zarr5.h5py.File(str(tmp_path / "ours.h5"), "a") as f:  # back to the default: sorted by name
        f.create_group("later").create_group("b")
        f["later"].create_group("a")
        assert list(f["later"]) == ["a", "b"]
