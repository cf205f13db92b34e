"""HDF5 -> zarr5 -> HDF5 over the whole corpus: h5diff finds nothing, and neither does a full walk."""

from __future__ import annotations

import os
import shutil
import subprocess

import h5py
import numpy as np
import pytest

import zarr5
from tests.copying.h5compare import differences

CORPUS = ["dtypes", "attrs", "filters", "links", "dims", "order", "userblock", "plugins", "refs",
          "h5py_compound-dtype-complex", "h5py_vlen_string_dset", "h5py_vlen_string_dset_utc",
          "h5py_vlen_string_s390x"]
# LZF is h5py's own filter: a stand-alone h5diff cannot read it (compared by the walk instead)
H5PY_ONLY_FILTERS = {"filters": ["/lzf"]}


def _plugin_env() -> dict:
    env = dict(os.environ)
    try:
        import hdf5plugin
    except ImportError:
        return env
    env["HDF5_PLUGIN_PATH"] = hdf5plugin.PLUGIN_PATH
    return env


def round_trip(src: str, tmp_path) -> tuple[str, str]:
    store = str(tmp_path / "copy.zarr")
    back = str(tmp_path / "back.h5")
    # external links name files relative to the file holding them: keep the neighbours beside the copies
    for name in os.listdir(os.path.dirname(src)):
        shutil.copyfile(os.path.join(os.path.dirname(src), name), tmp_path / name)
    src = str(tmp_path / os.path.basename(src))  # so relative external links name the same files here
    with h5py.File(src, "r") as s, zarr5.File(store, "w") as d:
        zarr5.copy_all(s, d)
    with zarr5.File(store, "r") as s, h5py.File(back, "w", track_order=s.track_order or None) as d:
        zarr5.copy_all(s, d)
    return store, back


@pytest.mark.parametrize("name", CORPUS)
def test_copy_round_trip_h5diff_and_walk(corpus, tmp_path, name):
    if name not in corpus:
        pytest.skip(f"{name} not in this corpus (hdf5plugin or h5py's test data missing)")
    src = corpus[name]
    _, back = round_trip(src, tmp_path)
    assert differences(src, back) == []
    if shutil.which("h5diff") is None:
        pytest.skip("h5diff is not installed (Debian's hdf5-tools: run tools/install_test_deps.sh); "
                    "the walk above compared the files")
    excluded = [a for p in H5PY_ONLY_FILTERS.get(name, []) for a in ("--exclude-path", p)]
    run = subprocess.run(["h5diff", "-c", *excluded, src, back], capture_output=True, text=True,
                         env=_plugin_env())
    assert run.returncode == 0, run.stdout + run.stderr


def test_copy_hard_links_stay_shared(corpus, tmp_path):
    store, back = round_trip(corpus["links"], tmp_path)
    with zarr5.File(store, "r") as z:
        assert isinstance(z.get("hard_ds", getlink=True), zarr5.HardLink)
        assert z.get("soft_abs", getlink=True) == zarr5.SoftLink("/data/values")
        assert z.get("external", getlink=True) == zarr5.ExternalLink("attrs.h5", "/d")
        # the data is stored once: the second name holds no array of its own
        assert not os.path.exists(os.path.join(store, "hard_ds", ".zarray"))
        assert list(z["hard_ds"][:]) == list(range(10))
    with h5py.File(back, "r") as f:
        assert f["hard_ds"].id == f["data/values"].id
        assert f["hard_group"].id == f["data"].id


def test_copy_expand_soft_copies_targets(corpus, tmp_path):
    with h5py.File(corpus["links"], "r") as s, zarr5.File(str(tmp_path / "x.zarr"), "w") as d:
        zarr5.copy_all(s, d, expand_soft=True)
        assert isinstance(d.get("soft_abs", getlink=True), zarr5.HardLink)
        assert list(d["soft_abs"][:]) == list(range(10))
        assert d.get("dangling", getlink=True) == zarr5.SoftLink("/nowhere")  # nothing to expand


def test_external_link_names_are_kept_as_written_by_default(tmp_path):
    """HDF5's own copy keeps an external link's text; so does zarr5's unless asked to rewrite it."""
    (tmp_path / "out").mkdir()
    src = str(tmp_path / "main.h5")
    with h5py.File(src, "w") as f:
        f["ext"] = h5py.ExternalLink("parts/target.h5", "/d")
    with h5py.File(src, "r") as s, zarr5.File(str(tmp_path / "out" / "main.zarr"), "w") as d:
        zarr5.copy_all(s, d)
        assert d.get("ext", getlink=True) == zarr5.ExternalLink("parts/target.h5", "/d")
        with h5py.File(str(tmp_path / "out" / "back.h5"), "w") as back:
            zarr5.copy_all(d, back)
            assert back.get("ext", getlink=True).filename == "parts/target.h5"


def test_relative_external_links_follow_the_copy(tmp_path):
    """With rewrite_external_links=True a relative external file name is rewritten when the copy lives
    elsewhere, so it still names the same file; both the zarr copy and the HDF5 copy of the copy
    resolve it."""
    (tmp_path / "archive" / "parts").mkdir(parents=True)
    (tmp_path / "out" / "zarr").mkdir(parents=True)
    with h5py.File(tmp_path / "archive" / "parts" / "target.h5", "w") as t:
        t.create_dataset("d", data=np.arange(5))
    src = str(tmp_path / "archive" / "main.h5")
    with h5py.File(src, "w") as f:
        f["ext"] = h5py.ExternalLink("parts/target.h5", "/d")
        f["gone"] = h5py.ExternalLink("missing.h5", "/x")  # dangling: kept as written
        f["abs"] = h5py.ExternalLink(str(tmp_path / "archive" / "parts" / "target.h5"), "/d")
    store = str(tmp_path / "out" / "zarr" / "main.zarr")
    lines: list = []
    with h5py.File(src, "r") as s, zarr5.File(store, "w") as d:
        zarr5.copy_all(s, d, log=lines.append, rewrite_external_links=True)
    assert any("rewritten as '../../archive/parts/target.h5'" in line for line in lines)
    with zarr5.File(store, "r") as z:
        assert z.get("ext", getlink=True) == zarr5.ExternalLink("../../archive/parts/target.h5", "/d")
        assert z.get("gone", getlink=True) == zarr5.ExternalLink("missing.h5", "/x")
        assert z.get("abs", getlink=True).filename == str(tmp_path / "archive" / "parts" / "target.h5")
        assert list(z["ext"][...]) == list(range(5))
    back = str(tmp_path / "back.h5")
    with zarr5.File(store, "r") as s, h5py.File(back, "w") as d:
        zarr5.copy_all(s, d, rewrite_external_links=True)
    with h5py.File(back, "r") as b:
        assert b.get("ext", getlink=True).filename == "archive/parts/target.h5"
        assert list(b["ext"][...]) == list(range(5))
