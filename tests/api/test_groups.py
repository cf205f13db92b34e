"""The zarr-2 Group API."""

from __future__ import annotations

import numpy as np
import pytest

import zarr5
from zarr5.errors import ContainsArrayError, ContainsGroupError, ReadOnlyError


def _sample():
    root = zarr5.group()
    foo = root.create_group("foo")
    foo.zeros("bar", shape=100, chunks=10, dtype="i8")
    foo.create_group("sub").ones("deep", shape=(2, 2))
    root.array("top", np.arange(3))
    return root


def test_members_and_paths():
    root = _sample()
    assert list(root.keys()) == ["foo", "top"]
    assert list(root.group_keys()) == ["foo"] and list(root.array_keys()) == ["top"]
    assert sorted(root.array_keys(recurse=True)) == ["bar", "deep", "top"]
    assert root["foo/sub/deep"].name == "/foo/sub/deep"
    assert root["foo"]["/top"].name == "/top"
    assert "foo/bar" in root and "nope" not in root
    assert root.foo.bar.shape == (100,)
    with pytest.raises(KeyError):
        root["nope"]
    assert len(root) == 2


def test_visit_order_and_stop():
    root = _sample()
    seen = []
    root.visit(seen.append)
    assert seen == ["foo", "foo/bar", "foo/sub", "foo/sub/deep", "top"]
    assert root.visititems(lambda n, o: n if n.endswith("deep") else None) == "foo/sub/deep"
    assert [v.name for v in _collect(root.visitvalues)] == ["/foo", "/foo/bar", "/foo/sub", "/foo/sub/deep",
                                                             "/top"]


def _collect(visit):
    out = []
    visit(out.append)
    return out


def test_create_require_and_errors():
    root = zarr5.group()
    root.create_group("a")
    with pytest.raises(ContainsGroupError):
        root.create_group("a")
    assert root.require_group("a").name == "/a"
    root.zeros("x", shape=3)
    with pytest.raises(ContainsArrayError):
        root.create_group("x")
    with pytest.raises(ContainsArrayError):
        root.create_group("x/y")
    d = root.require_dataset("x", shape=3, dtype="f8")
    assert d.shape == (3,)
    with pytest.raises(TypeError):
        root.require_dataset("x", shape=4, dtype="f8")
    e = root.create_dataset("e", data=np.arange(4), chunks=2)
    assert e[:].tolist() == [0, 1, 2, 3]
    root["f"] = np.ones(2)
    assert root["f"][:].tolist() == [1.0, 1.0]
    del root["f"]
    assert "f" not in root


def test_move():
    root = _sample()
    root.move("foo/bar", "moved/bar2")
    assert "foo/bar" not in root and root["moved/bar2"].shape == (100,)
    with pytest.raises(ValueError):
        root.move("nope", "x")


def test_read_only_group(tmp_path):
    path = str(tmp_path / "g.zarr")
    zarr5.open_group(path, mode="w").create_group("a")
    g = zarr5.open_group(path, mode="r")
    with pytest.raises(ReadOnlyError):
        g.create_group("b")
    with pytest.raises(ReadOnlyError):
        g.attrs["k"] = 1
    with pytest.raises(ReadOnlyError):
        del g["a"]


def test_attributes_api():
    root = zarr5.group()
    root.attrs["foo"] = "bar"
    root.attrs.update(a=1, b=[1, 2])
    assert root.attrs.asdict() == {"foo": "bar", "a": 1, "b": [1, 2]}
    root.attrs.put({"only": True})
    assert dict(root.attrs) == {"only": True}
    with pytest.raises(TypeError):
        root.attrs["bad"] = object()
    assert dict(root.attrs) == {"only": True}
    del root.attrs["only"]
    assert len(root.attrs) == 0


def test_tree_and_info():
    root = _sample()
    text = repr(root.tree())
    assert text.splitlines()[0] == "/"
    assert " ├── foo" in text and "bar (100,) int64" in text
    assert "+-- foo" in root.tree().text
    info = repr(root.info)
    assert "No. members : 2" in info and "Groups      : foo" in info


def test_group_context_manager_closes_store(tmp_path):
    store = zarr5.ZipStore(str(tmp_path / "g.zip"), mode="w")
    with zarr5.group(store) as g:
        g.zeros("z", shape=4)[:] = 1
    with zarr5.group(zarr5.ZipStore(str(tmp_path / "g.zip"), mode="r")) as g:
        assert g["z"][:].tolist() == [1.0] * 4


def test_errors_survive_pickling_with_their_message():
    # a worker process sends its error back pickled: the message must not be formatted twice
    import pickle

    from zarr5.errors import ArrayNotFoundError, ContainsGroupError

    for err in (ContainsGroupError("a/b"), ArrayNotFoundError("x")):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and str(back) == str(err) and back.args == err.args
