"""The Pickle codec runs code when data is read, so opening existing data that uses it is refused
(UnsafeCodecError) on every open path unless the caller passes ``allow_pickle=True``.

The stored chunk here is a real exploit: unpickling it creates a directory. Every refusal is checked
to have happened before any chunk was decoded (the directory never appears).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any

import numcodecs
import numpy as np
import pytest

import zarr5
import zarr5.hierarchy
from zarr5.errors import UnsafeCodecError


class _Exploit:
    """Unpickling this calls os.mkdir(path): code chosen by whoever wrote the chunk."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return os.mkdir, (self.path,)


@pytest.fixture(params=["filter", "compressor"])
def hostile(request, tmp_path) -> tuple[str, str]:
    """(store path, marker path): 'grp/obj' holds a chunk whose unpickling creates the marker."""
    path = str(tmp_path / "hostile.zarr")
    marker = str(tmp_path / "pwned")
    root = zarr5.open_group(path, mode="w")
    root.attrs["about"] = "hostile"
    root.create_dataset("grp/plain", data=np.arange(4), chunks=2)
    if request.param == "filter":
        z = root.create_dataset("grp/obj", shape=2, chunks=2, dtype=object, object_codec=numcodecs.Pickle(),
                                compressor=None)
        z[0] = "placeholder"
    else:
        z = root.create_dataset("grp/obj", shape=2, chunks=2, dtype="i1", compressor=numcodecs.Pickle())
        z[0] = 1
    # the bytes an attacker would store: numcodecs' Pickle.decode is pickle.loads
    (tmp_path / "hostile.zarr" / "grp" / "obj" / "0").write_bytes(pickle.dumps(_Exploit(marker)))
    zarr5.consolidate_metadata(path)
    return path, marker


OPEN_PATHS: dict[str, Callable[[str], Any]] = {
    "open": lambda p: zarr5.open(p, mode="r", path="grp/obj")[...],
    "open r+": lambda p: zarr5.open(p, mode="r+", path="grp/obj")[...],
    "open_array": lambda p: zarr5.open_array(p, mode="r", path="grp/obj")[...],
    "open_array a": lambda p: zarr5.open_array(p, mode="a", path="grp/obj")[...],
    "open_group getitem": lambda p: zarr5.open_group(p, mode="r")["grp"]["obj"][...],
    "open_group path": lambda p: zarr5.open_group(p, mode="r")["grp/obj"][...],
    "open_group getattr": lambda p: zarr5.open_group(p, mode="r").grp.obj[...],
    "open_group values": lambda p: [a[...] for a in zarr5.open_group(p, mode="r", path="grp").values()],
    "open_group arrays": lambda p: [a[...] for _, a in zarr5.open_group(p, mode="r").arrays(recurse=True)],
    "visititems": lambda p: zarr5.open_group(p, mode="r").visititems(lambda n, o: None),
    "tree": lambda p: str(zarr5.open_group(p, mode="r").tree()),
    "group()": lambda p: zarr5.group(p)["grp/obj"][...],
    "Group()": lambda p: zarr5.hierarchy.Group(zarr5.DirectoryStore(p))["grp/obj"][...],
    "Array()": lambda p: zarr5.Array(zarr5.DirectoryStore(p), "grp/obj")[...],
    "require_dataset": lambda p: zarr5.open_group(p).require_dataset("grp/obj", shape=2, dtype=None)[...],
    "open_consolidated": lambda p: zarr5.open_consolidated(p)["grp/obj"][...],
    "open_consolidated path": lambda p: zarr5.open_consolidated(p, path="grp/obj")[...],
    "load array": lambda p: zarr5.load(p, path="grp/obj"),
    "load group": lambda p: zarr5.load(p, path="grp")["obj"],
    "copy": lambda p: zarr5.copy(zarr5.open_group(p, mode="r")["grp"], zarr5.group(), name="c"),
    "copy_all": lambda p: zarr5.copy_all(zarr5.open_group(p, mode="r"), zarr5.group()),
}


@pytest.mark.parametrize("path_name", OPEN_PATHS, ids=list(OPEN_PATHS))
def test_pickle_is_refused_on_every_open_path(hostile, path_name):
    path, marker = hostile
    with pytest.raises(UnsafeCodecError, match=r"grp/obj/\.zarray.*pickle.*allow_pickle=True"):
        OPEN_PATHS[path_name](path)
    assert not os.path.exists(marker), "a refused open still ran the stored code"


def test_other_members_stay_readable(hostile):
    path, marker = hostile
    root = zarr5.open_group(path, mode="r")
    assert root["grp/plain"][...].tolist() == [0, 1, 2, 3]
    assert root.attrs["about"] == "hostile"
    assert sorted(root["grp"]) == ["obj", "plain"]  # listing does not open the array
    assert zarr5.load(path, path="grp")["plain"].tolist() == [0, 1, 2, 3]
    assert not os.path.exists(marker)


ALLOWED_PATHS: dict[str, Callable[[str], Any]] = {
    "open": lambda p: zarr5.open(p, mode="r", path="grp/obj", allow_pickle=True),
    "open_array": lambda p: zarr5.open_array(p, mode="r", path="grp/obj", allow_pickle=True),
    "open_group": lambda p: zarr5.open_group(p, mode="r", allow_pickle=True)["grp"]["obj"],
    "open_consolidated": lambda p: zarr5.open_consolidated(p, allow_pickle=True)["grp/obj"],
    "Array": lambda p: zarr5.Array(zarr5.DirectoryStore(p), "grp/obj", allow_pickle=True),
    "pickled": lambda p: pickle.loads(pickle.dumps(zarr5.open_array(p, path="grp/obj", allow_pickle=True))),
    "view": lambda p: zarr5.open_array(p, path="grp/obj", allow_pickle=True).view(),
}


@pytest.mark.parametrize("path_name", ALLOWED_PATHS, ids=list(ALLOWED_PATHS))
def test_allow_pickle_opts_in_and_then_the_code_runs(hostile, path_name):
    path, marker = hostile
    z = ALLOWED_PATHS[path_name](path)
    assert not os.path.exists(marker)  # opening decodes nothing
    try:
        z[...]
    except Exception:  # noqa: S110 - what the exploit returns is no chunk; only its side effect matters
        pass
    assert os.path.exists(marker), "this is what allow_pickle=True lets stored data do"


def test_arrays_the_caller_creates_with_pickle_need_no_opt_in():
    # the caller chose the codec, so the array it gets back may use it; reopening needs the opt-in
    store = zarr5.MemoryStore()
    z = zarr5.empty(3, dtype=object, object_codec=numcodecs.Pickle(), store=store)
    z[0] = {"a": 1}
    assert z[0] == {"a": 1}
    root = zarr5.group()
    g = root.create_dataset("p", shape=2, dtype=object, object_codec=numcodecs.Pickle())
    g[1] = [1, 2]
    assert g[1] == [1, 2]
    with pytest.raises(UnsafeCodecError):
        root["p"]
    # copying from a source opened with the opt-in writes a destination the copier created
    dest = zarr5.group()
    zarr5.copy(zarr5.open_array(store, allow_pickle=True), dest, name="copied")
    assert zarr5.open_group(dest.store, allow_pickle=True)["copied"][0] == {"a": 1}
