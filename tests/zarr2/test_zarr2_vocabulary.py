"""zarr5.zarr2, the zarr-python-2.18-shaped vocabulary: layout, class identities, versions, Group as a
mutable mapping, zarr 2's lenient keywords and the tree widget."""

from __future__ import annotations

import collections.abc
import os
import pathlib
import subprocess
import sys
import warnings

import numcodecs
import numpy as np
import pytest

import zarr5
import zarr5.zarr2 as zarr
from zarr5.hdf5lib import real_h5py

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["core", "hierarchy", "creation", "convenience", "attrs", "errors", "sync",
                                  "util", "meta", "codecs", "indexing", "storage", "n5", "types",
                                  "version"])
def test_zarr2_submodules_are_attributes_of_the_package(name: str) -> None:
    module = getattr(zarr, name)
    assert module.__name__ == f"zarr5.zarr2.{name}"


def test_class_identities() -> None:
    assert type(zarr.group()) is zarr.Group is zarr.hierarchy.Group
    assert type(zarr.zeros(3)) is zarr.Array is zarr.core.Array
    assert type(zarr.group().attrs) is zarr.attrs.Attributes
    assert zarr.errors.ContainsArrayError is zarr5.errors.ContainsArrayError
    assert issubclass(zarr.errors.BoundsCheckError, IndexError)


def test_an_h5py_group_is_not_a_zarr_group(tmp_path: pathlib.Path) -> None:
    with real_h5py().File(tmp_path / "a.h5", "w") as f:
        assert not isinstance(f.create_group("g"), zarr.Group)
    with zarr5.File(tmp_path / "b.zarr", "w") as f:  # zarr5's h5py facade is not zarr-2's Group either
        assert not isinstance(f, zarr.Group)
    assert isinstance(zarr.group(), zarr5.Group)  # the mixed namespace still answers for both kinds


def test_numcodecs_is_reexported_at_the_top_and_in_codecs() -> None:
    assert zarr.Blosc is numcodecs.Blosc and zarr.Zstd is numcodecs.Zstd
    assert zarr.codecs.Zlib is numcodecs.Zlib
    assert zarr.codecs.codec_registry is numcodecs.registry.codec_registry
    # numcodecs' submodules do not shadow zarr's own errors and version modules
    assert zarr.errors.__name__ == "zarr5.zarr2.errors" and zarr.version.__name__ == "zarr5.zarr2.version"


def test_version_answers_under_install() -> None:
    program = ("import zarr5, importlib.metadata as m; zarr5.install('zarr'); import zarr, zarr.hierarchy; "
               "from zarr.storage import DirectoryStore; "
               "print(zarr.__version__, m.version('zarr'), zarr.version.version, type(zarr.group()) is "
               "zarr.hierarchy.Group)")
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["2.18.7", "2.18.7", "2.18.7", "True"]


def test_group_is_a_mutable_mapping() -> None:
    g = zarr.group()
    assert isinstance(g, collections.abc.MutableMapping)
    g["a"] = np.arange(3)
    g.create_group("b")
    popped = g.pop("a")
    assert isinstance(popped, zarr.Array) and sorted(g) == ["b"]
    with pytest.raises(KeyError):
        g.pop("a")
    assert g.pop("a", None) is None
    assert list(g.setdefault("c", [1, 2])[:]) == [1, 2]
    assert list(g.setdefault("c", [9])[:]) == [1, 2]  # an existing member is kept
    g.update({"d": np.ones(2)}, e=[5])
    assert sorted(g) == ["b", "c", "d", "e"]
    name, node = g.popitem()
    assert name == "b" and isinstance(node, zarr.Group) and "b" not in g
    g.clear()
    assert len(g) == 0 and list(g.store) == [".zgroup"]


def test_member_names_may_be_path_like() -> None:
    g = zarr.group()
    g.create_group("a").zeros("x", shape=2)
    assert pathlib.PurePosixPath("a/x") in g
    assert g[pathlib.PurePosixPath("a")]["x"].shape == (2,)
    g.create_group(pathlib.PurePosixPath("b/c"))
    assert "b/c" in g
    del g[pathlib.PurePosixPath("b")]
    assert "b" not in g


def test_unknown_keywords_are_warned_about_and_ignored(tmp_path: pathlib.Path) -> None:
    # seed 002: zarr.open(path, mode='w', shape=..., lazy=True)
    with pytest.warns(UserWarning, match="ignoring keyword argument 'lazy'"):
        z = zarr.open(str(tmp_path / "big.zarr"), mode="w", shape=(1e8, 1e7), dtype="i4", chunks=(1000, 1000),
                      lazy=True)
    assert z.shape == (100_000_000, 10_000_000) and z.nchunks_initialized == 0
    with pytest.warns(UserWarning, match="ignoring keyword argument 'foo'"):
        zarr.zeros(4, foo=1)
    with pytest.warns(UserWarning, match="ignoring keyword argument 'bar'"):
        zarr.group().create_dataset("x", shape=3, bar=2)


def test_h5py_compression_keywords_as_zarr2_reads_them() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = zarr.create(10, compression="zlib", compression_opts=3, fillvalue=4)
    assert z.compressor == numcodecs.Zlib(level=3) and z.fill_value == 4
    assert zarr.create(10, compression=None).compressor is None
    assert zarr.group().create_dataset("g", shape=3, compression="gzip").compressor == numcodecs.GZip()
    with pytest.warns(UserWarning, match="'compression' keyword argument overridden by 'compressor'"):
        z = zarr.create(10, compressor=numcodecs.Zstd(), compression="zlib")
    assert z.compressor == numcodecs.Zstd()
    with pytest.raises(ValueError, match="nope"):
        zarr.create(10, compression="nope")


def test_tree_widget_with_ipytree() -> None:
    ipytree = pytest.importorskip("ipytree", reason="the widget needs ipytree (pip install '.[test]')")
    g = zarr.group()
    g.create_group("a/b")
    g.zeros("a/x", shape=3, dtype="i4")
    viewer = g.tree(expand=True)
    bundle = viewer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    widget = zarr.util.tree_widget(g, expand=True, level=None)
    assert isinstance(widget, ipytree.Tree)
    root = widget.nodes[0]
    assert root.name == "/" and [n.name for n in root.nodes] == ["a"]
    assert [(n.name, n.icon) for n in root.nodes[0].nodes] == [("b", "folder"), ("x (3,) int32", "table")]
    shallow = zarr.util.tree_widget(g, expand=False, level=1).nodes[0]
    assert not shallow.nodes[0].opened and shallow.nodes[0].nodes == ()
    assert "└── a" in repr(viewer)  # the text drawing stays what print() shows


def test_zarr2_helpers() -> None:
    assert zarr.util.buffer_size(np.zeros(4)) == 32
    assert zarr.meta.json_loads(zarr.meta.json_dumps({"b": 1, "a": [1.5]})) == {"a": [1.5], "b": 1}
    assert zarr.util.normalize_shape(5) == (5,)
    with pytest.raises(IndexError, match="too many indices for array; expected 1, got 2"):
        zarr.errors.err_too_many_indices((1, 2), (3,))
    with pytest.raises(zarr.errors.BoundsCheckError):
        zarr.indexing.normalize_integer_selection(5, 3)
