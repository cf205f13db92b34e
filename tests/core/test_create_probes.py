"""Creating nodes: the cheap "nothing lives here" probe keeps every refusal and every byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import zarr5
from zarr5.core.hierarchy import init_array, init_group
from zarr5.errors import ContainsArrayError, ContainsGroupError
from zarr5.metadata.v2 import ArrayMetadata
from zarr5.storage import DirectoryStore, MemoryStore, NestedDirectoryStore

STORES = {
    "memory": lambda tmp: MemoryStore(),
    "directory": lambda tmp: DirectoryStore(tmp / "d"),
    "nested": lambda tmp: NestedDirectoryStore(tmp / "n"),
}
META = ArrayMetadata(shape=(4,), chunks=(2,), dtype="i4", compressor=None, fill_value=0)


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> zarr5.storage.Store:
    return STORES[request.param](tmp_path)


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_existing_nodes_are_refused_and_overwrite_replaces(store, zarr_format: int) -> None:
    root = zarr5.open_group(store, mode="w", zarr_format=zarr_format)
    root.zeros("a", shape=(4,), chunks=(2,), dtype="i4")
    root.create_group("g")
    with pytest.raises(ContainsArrayError):
        root.zeros("a", shape=(4,), chunks=(2,), dtype="i4")
    with pytest.raises(ContainsArrayError):
        root.create_group("a")
    with pytest.raises(ContainsGroupError):
        root.zeros("g", shape=(4,), chunks=(2,), dtype="i4")
    with pytest.raises(ContainsGroupError):
        root.create_group("g")
    a = root.zeros("g", shape=(3,), chunks=(3,), dtype="u1", overwrite=True)
    assert root["g"].shape == (3,) and a.dtype == "u1"
    assert isinstance(root.create_group("a", overwrite=True), zarr5.Group)


def test_a_parent_that_is_an_array_is_refused(store) -> None:
    init_array(store, META, path="x")
    with pytest.raises(ContainsArrayError):
        init_array(store, META, path="x/y")
    with pytest.raises(ContainsArrayError):
        init_group(store, path="x/y/z")
    assert sorted(store) == [".zgroup", "x/.zarray"]


def test_parents_are_made_and_rechecked_for_each_child(store) -> None:
    root = zarr5.open_group(store, mode="w")
    g = root.create_group("g")
    del root["g"]  # behind the handle's back: its next child brings the group back, as in zarr-2
    g.zeros("a", shape=(2,), dtype="i4")
    assert "g" in root and "a" in root["g"]
    init_array(store, META, path="p/q/r")
    assert "p/.zgroup" in store and "p/q/.zgroup" in store


def test_hierarchy_bytes_match_zarr_python_2(tmp_path: Path) -> None:
    zarr = pytest.importorskip("zarr")
    trees = {}
    for name, lib in (("zarr5", zarr5), ("zarr", zarr)):
        path = tmp_path / name
        root = lib.open_group(str(path), mode="w")
        for i in range(3):
            a = root.zeros(f"a{i}", shape=(10,), chunks=(10,), dtype="i4")
            a.attrs.update({"units": "m", "index": i, "scale": 0.5, "é": [float("nan"), None, {}]})
        sub = root.create_group("g/h")
        sub.attrs["x"] = {"nested": [1, 2.5, "s"]}
        trees[name] = {os.path.relpath(os.path.join(d, f), path): Path(d, f).read_bytes()
                       for d, _, files in os.walk(path) for f in files}
    assert trees["zarr5"] == trees["zarr"]
