"""Zarr v3 consolidated metadata as zarr-python 3 writes it: every node's zarr.json inline in the root
group's ``consolidated_metadata``, read by ``open_consolidated`` in one request."""

from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pytest
from v3_helpers import ZARR3_MISSING, zarr3_python

import zarr5
from zarr5.errors import MetadataError
from zarr5.storage import MemoryStore


def _consolidate_like_zarr_python_3(path: str) -> None:
    # what zarr.consolidate_metadata writes: the other nodes' documents, keyed by path, in the root's
    nodes = {}
    for dirpath, _, files in os.walk(path):
        rel = os.path.relpath(dirpath, path)
        if "zarr.json" in files and rel != ".":
            with open(os.path.join(dirpath, "zarr.json")) as f:
                nodes[rel.replace(os.sep, "/")] = json.load(f)
    with open(os.path.join(path, "zarr.json")) as f:
        root = json.load(f)
    root["consolidated_metadata"] = {"kind": "inline", "must_understand": False, "metadata": nodes}
    with open(os.path.join(path, "zarr.json"), "w") as f:
        json.dump(root, f)


def test_inline_consolidated_metadata_is_read_in_place_of_each_node(tmp_path) -> None:
    path = str(tmp_path / "h.zarr")
    g = zarr5.open_group(path, mode="w", zarr_format=3)
    g.create_dataset("a", data=np.arange(4), chunks=(2,))
    g.create_group("sub").create_dataset("b", data=[0.5, 1.5]).attrs["u"] = "m"
    _consolidate_like_zarr_python_3(path)
    os.remove(os.path.join(path, "sub", "b", "zarr.json"))  # only the consolidated copy is left
    c = zarr5.open_consolidated(path, mode="r")
    assert c["a"][:].tolist() == [0, 1, 2, 3]
    assert c["sub/b"][:].tolist() == [0.5, 1.5] and c["sub/b"].attrs["u"] == "m"
    assert sorted(c.group_keys()) == ["sub"]


def test_zarr5_consolidates_a_v3_hierarchy_inline(tmp_path) -> None:
    path = str(tmp_path / "h.zarr")
    g = zarr5.open_group(path, mode="w", zarr_format=3)
    g.create_dataset("a", data=np.arange(3))
    g.create_group("s").create_dataset("b", data=["x", "y"], dtype=str)
    c = zarr5.consolidate_metadata(path)
    assert c["s/b"][:].tolist() == ["x", "y"]
    with open(os.path.join(path, "zarr.json")) as f:
        inline = json.load(f)["consolidated_metadata"]
    assert inline["kind"] == "inline" and sorted(inline["metadata"]) == ["a", "s", "s/b"]
    assert not os.path.exists(os.path.join(path, ".zmetadata"))
    assert zarr5.open_group(path, mode="r")["a"][:].tolist() == [0, 1, 2]  # still a plain v3 group


def test_bad_or_missing_consolidated_metadata() -> None:
    store = MemoryStore()
    zarr5.open_group(store, mode="w", zarr_format=3)
    with pytest.raises(KeyError):
        zarr5.open_consolidated(store)  # nothing consolidated: as zarr-python 2, a missing key
    root = json.loads(store["zarr.json"])
    root["consolidated_metadata"] = {"kind": "inline", "metadata": {"../x": {}}}
    store["zarr.json"] = json.dumps(root).encode()
    with pytest.raises(MetadataError, match="invalid entry"):
        zarr5.open_consolidated(store)


ZARR3 = zarr3_python()


@pytest.mark.skipif(ZARR3 is None, reason=ZARR3_MISSING)
def test_a_hierarchy_zarr_python_3_consolidated(tmp_path) -> None:
    path = str(tmp_path / "z3.zarr")
    code = (f"import warnings, zarr\nwarnings.simplefilter('ignore')\n"
            f"g = zarr.open_group({path!r}, mode='w')\n"
            f"a = g.create_array('a', shape=(4,), chunks=(2,), dtype='i4'); a[:] = [1, 2, 3, 4]\n"
            f"s = g.create_group('sub'); b = s.create_array('b', shape=(2,), dtype=str); b[:] = ['x', 'é']\n"
            f"zarr.consolidate_metadata({path!r})\n")
    subprocess.run([ZARR3, "-c", code], check=True, capture_output=True)
    g = zarr5.open_consolidated(path, mode="r")
    assert g["a"][:].tolist() == [1, 2, 3, 4]
    assert g["sub/b"][:].tolist() == ["x", "é"]


@pytest.mark.skipif(ZARR3 is None, reason=ZARR3_MISSING)
def test_zarr_python_3_opens_what_zarr5_consolidated(tmp_path) -> None:
    path = str(tmp_path / "h.zarr")
    g = zarr5.open_group(path, mode="w", zarr_format=3)
    g.create_group("s").create_dataset("b", data=[1.5, 2.5])
    zarr5.consolidate_metadata(path)
    code = (f"import json, warnings, zarr\nwarnings.simplefilter('ignore')\n"
            f"g = zarr.open_consolidated({path!r})\n"
            f"assert g.metadata.consolidated_metadata is not None\n"
            f"print(json.dumps(g['s/b'][:].tolist()))\n")
    out = subprocess.run([ZARR3, "-c", code], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout) == [1.5, 2.5]
