"""Differential tests: File modes and Group behaviour, real h5py vs zarr5 (see h5_differential.py)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from h5_differential import check

import zarr5


def _make(h5, path):
    with h5.File(path, "w") as f:
        f.create_group("a/b")
        f["a/x"] = np.arange(6)
        f.attrs["t"] = 1


def file_default_mode(h5, path):
    _make(h5, path)
    with h5.File(path) as f:
        return f.mode, sorted(f), bool(f)


def file_missing(h5, path):
    return h5.File(path + ".missing", "r")


def file_missing_rplus(h5, path):
    return h5.File(path + ".missing", "r+")


def file_exists_wminus(h5, path):
    _make(h5, path)
    return h5.File(path, "w-")


def file_exists_x(h5, path):
    _make(h5, path)
    return h5.File(path, "x")


def file_bad_mode(h5, path):
    return h5.File(path, "q")


def file_truncate_w(h5, path):
    _make(h5, path)
    with h5.File(path, "w") as f:
        return list(f), list(f.attrs)


def file_append(h5, path):
    _make(h5, path)
    with h5.File(path, "a") as f:
        f.create_group("c")
    with h5.File(path, "r") as f:
        return sorted(f)


def file_readonly_create_group(h5, path):
    _make(h5, path)
    with h5.File(path, "r") as f:
        f.create_group("new")


def file_readonly_write_data(h5, path):
    _make(h5, path)
    with h5.File(path, "r") as f:
        f["a/x"][0] = 5


def file_readonly_write_attr(h5, path):
    _make(h5, path)
    with h5.File(path, "r") as f:
        f.attrs["n"] = 1


def file_readonly_delete(h5, path):
    _make(h5, path)
    with h5.File(path, "r") as f:
        del f["a"]


def file_closed(h5, path):
    f = h5.File(path, "w")
    g = f.create_group("g")
    f.close()
    return bool(f), bool(g), "g" in f, repr(f)


def group_create_exists(h5, path):
    with h5.File(path, "w") as f:
        f.create_group("g")
        f.create_group("g")


def group_create_bad_name(h5, path):
    with h5.File(path, "w") as f:
        f.create_group(1.0)


def group_intermediate(h5, path):
    with h5.File(path, "w") as f:
        g = f.create_group(b"p/q/r")
        return g.name, g.parent.name, sorted(f["p"])


def group_require(h5, path):
    with h5.File(path, "w") as f:
        g = f.require_group("g")
        return f.require_group("g") == g, g.name


def group_require_conflict(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (1,), "f4")
        f.require_group("d")


def group_getitem_missing(h5, path):
    with h5.File(path, "w") as f:
        return f["nope"]


def group_getitem_type(h5, path):
    with h5.File(path, "w") as f:
        return f[0]


def group_contains(h5, path):
    with h5.File(path, "w") as f:
        f.create_group("x/y")
        f["d"] = 1
        return ["x" in f, b"x" in f, "/x/y" in f, "x//y/" in f, "." in f, "/" in f, "" in f,
                "nope" in f, "d/" in f, "x/nope" in f]


def group_len_iter_order(h5, path):
    with h5.File(path, "w") as f:
        for n in ["b", "a", "C", "10", "9"]:
            f.create_group(n)
        return len(f), list(f), list(reversed(f)), list(f.keys())


def group_track_order(h5, path):
    with h5.File(path, "w") as f:
        g = f.create_group("g", track_order=True)
        for n in ["b", "a", "c"]:
            g[n] = [1]
        del g["a"]
        g.create_group("a")
        return list(g)


def group_delete(h5, path):
    with h5.File(path, "w") as f:
        f.create_group("g")
        del f["g"]
        return "g" in f, len(f)


def group_delete_missing(h5, path):
    with h5.File(path, "w") as f:
        del f["g"]


def group_get(h5, path):
    with h5.File(path, "w") as f:
        f.create_group("g")
        f["d"] = [1, 2]
        f["t"] = np.dtype("i2")
        f["s"] = h5.SoftLink("/g")
        f["e"] = h5.ExternalLink("other.h5", "/x")
        return [f.get("nope", 7), f.get("g", getclass=True), f.get("d", getclass=True),
                f.get("t", getclass=True), f.get("s", getlink=True, getclass=True),
                f.get("e", getlink=True, getclass=True), f.get("g", getlink=True, getclass=True),
                f.get("s", getlink=True).path, f.get("e", getlink=True).filename]


def group_setitem_exists(h5, path):
    with h5.File(path, "w") as f:
        f["d"] = 1
        f["d"] = 2


def group_softlinks(h5, path):
    with h5.File(path, "w") as f:
        g = f.create_group("g")
        g["data"] = [1, 2, 3]
        f["abs"] = h5.SoftLink("/g/data")
        g["rel"] = h5.SoftLink("data")
        f["dangling"] = h5.SoftLink("/nowhere")
        return [f["abs"][...], f["g/rel"][...], "dangling" in f, f.get("dangling"), sorted(f),
                f["abs"].name]


def group_dangling_getitem(h5, path):
    with h5.File(path, "w") as f:
        f["dangling"] = h5.SoftLink("/nowhere")
        return f["dangling"]


def group_external_link(h5, path):
    other = path + ".other"
    with h5.File(other, "w") as o:
        o.create_group("grp").attrs["v"] = 3
    with h5.File(path, "w") as f:
        f["ext"] = h5.ExternalLink(other, "/grp")
        g = f["ext"]
        return g.name, g.attrs["v"], g.file != f


def group_external_link_found_beside_the_linking_file(h5, path):
    # HDF5 looks beside the linking file before the working directory, and names the target by that path
    here = os.path.dirname(path)
    sub = os.path.join(here, "sub")
    os.makedirs(sub)
    for where, value in ((here, 1), (sub, 2)):
        with h5.File(os.path.join(where, "target.h5"), "w") as t:
            t["v"] = value
    with h5.File(os.path.join(sub, "main.h5"), "w") as f:
        f["e"] = h5.ExternalLink("target.h5", "/v")
    cwd = os.getcwd()
    os.chdir(here)
    try:
        with h5.File(os.path.join("sub", "main.h5"), "r") as f:
            return int(f["e"][()]), os.path.relpath(f["e"].file.filename, here)
    finally:
        os.chdir(cwd)


def group_hard_link(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", data=[1, 2])
        f["alias"] = d
        return f["alias"][...], type(f.get("alias", getlink=True)).__name__


def group_visit(h5, path):
    with h5.File(path, "w") as f:
        for n in ["b/x", "a/z", "a/y", "z-", "z/q"]:
            f.create_group(n)
        f["b/d"] = 1
        f["s"] = h5.SoftLink("/a")
        names = []
        f.visit(names.append)
        items = []
        f.visititems(lambda n, o: items.append((n, type(o).__name__)))
        links = []
        f.visititems_links(lambda n, lk: links.append((n, type(lk).__name__)))
        stop = f.visit(lambda n: n if n.endswith("y") else None)
        return names, items, links, stop


def group_move(h5, path):
    with h5.File(path, "w") as f:
        f.create_group("x").attrs["k"] = 1
        f.move("x", "y/z")
        f["s"] = h5.SoftLink("/y")
        f.move("s", "t")
        f.move("t", "t")
        return sorted(f), f["y/z"].attrs["k"], f.get("t", getlink=True).path


def group_move_conflict(h5, path):
    with h5.File(path, "w") as f:
        f.create_group("x")
        f.create_group("y")
        f.move("x", "y")


def group_copy(h5, path):
    with h5.File(path, "w") as f, h5.File(path + ".2", "w") as f2:
        g = f.create_group("g")
        g["d"] = np.arange(4)
        g["d"].attrs["u"] = "unit"
        g.create_group("sub")["e"] = [1]
        g["s"] = h5.SoftLink("/g/d")
        f.copy("g", "h")
        f.copy(g, f2)
        f.copy(g, "shallow", shallow=True)
        f.copy("g/d", "plain", without_attrs=True)
        f.copy(g, "expanded", expand_soft=True)
        return [sorted(f["h"]), f["h/d"][...], f["h/d"].attrs["u"], sorted(f2["g"]), len(f["shallow/sub"]),
                list(f["plain"].attrs), f.get("expanded/s", getlink=True).__class__.__name__,
                f["expanded/s"][...]]


def group_copy_expand_refs(h5, path):
    # references point at copies: a target inside the copied tree at its copy there, any other at one
    # copy per target, made at the root of the destination (HDF5 names it ~obj_pointed_by_<n>).
    # (Reference datasets copied within one file keep their targets in HDF5; zarr5 expands them too,
    # so only the copy to another file reads them here.)
    def named(name):
        return "~obj_pointed_by_N" if "~obj_pointed_by_" in name else name

    with h5.File(path, "w") as f, h5.File(path + ".2", "w") as f2:
        g = f.create_group("g")
        g["inner"] = [1, 2]
        f["outer"] = [3, 4, 5]
        g.attrs["to_outer"] = f["outer"].ref
        g.attrs["both"] = np.array([f["outer"].ref, g["inner"].ref], dtype=h5.ref_dtype)
        refs = g.create_dataset("refs", (2,), dtype=h5.ref_dtype)
        refs[0] = f["outer"].ref
        refs[1] = g["inner"].ref
        f.copy(g, "h", expand_refs=True)
        f.copy(g, f2, "c", expand_refs=True)
        h, c = f["h"], f2["c"]
        out = f[h.attrs["to_outer"]]
        inner_copy = f[h.attrs["both"][1]]
        outer_in_f2 = f2[c.attrs["to_outer"]]
        return [out[...], named(out.name), out == f["outer"], f[h.attrs["both"][0]] == out,
                inner_copy.name, inner_copy[...], outer_in_f2[...], named(outer_in_f2.name),
                f2[c["refs"][1]].name, f2[c["refs"][0]] == outer_in_f2, sorted(named(n) for n in f2),
                f[g.attrs["to_outer"]].name, f[g["refs"][1]].name]


def group_copy_exists(h5, path):
    with h5.File(path, "w") as f:
        f.create_group("g")
        f.create_group("h")
        f.copy("g", "h")


def group_mapping_methods(h5, path):
    with h5.File(path, "w") as f:
        g = f.create_group("g")
        g.update({"a": np.array([1]), "b": np.array([2])})
        popped = g.pop("a")
        # the popped object is unlinked: HDF5 keeps it readable while open, zarr5 does not (docs)
        return sorted(g), popped is not None, g.pop("zz", 9)


def group_repr_closed(h5, path):
    f = h5.File(path, "w")
    g = f.create_group("g")
    d = f.create_dataset("d", (4,), "i4")
    f.close()
    return repr(g), repr(d)


def group_anonymous(h5, path):
    with h5.File(path, "w") as f:
        g = f.create_group(None)
        d = f.create_dataset(None, (2,), "i4")
        return g.name, d.name, len(f)


SNIPPETS = [v for k, v in dict(globals()).items() if k.startswith(("file_", "group_")) and callable(v)]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.__name__)
def test_same_as_h5py(snippet, tmp_path) -> None:
    check(snippet, tmp_path)


def test_copy_expand_refs_within_one_file_and_of_the_root(tmp_path) -> None:
    with zarr5.File(str(tmp_path / "f.zarr"), "w") as f, zarr5.File(str(tmp_path / "f2.zarr"), "w") as f2:
        g = f.create_group("g")
        g["inner"] = [1, 2]
        f["outer"] = [3, 4, 5]
        refs = g.create_dataset("refs", (3,), dtype=zarr5.ref_dtype)
        refs[0] = f["outer"].ref
        refs[1] = g["inner"].ref  # refs[2] stays null
        g.attrs["gone"] = f.create_dataset("tmp", data=[0]).ref
        del f["tmp"]
        f.copy(g, "h", expand_refs=True)
        h = f["h"]
        # zarr5 expands reference datasets in a same-file copy too (HDF5 leaves those unchanged)
        assert f[h["refs"][1]].name == "/h/inner"
        assert f[h["refs"][0]].name.startswith("/~obj_pointed_by_")
        assert not h["refs"][2]
        assert h.attrs["gone"]  # a dangling reference is copied as it is
        f.copy("/", f2, "all", expand_refs=True)
        # the whole tree was copied: every target has its copy inside it, and nothing else is made
        assert f2[f2["all/g/refs"][0]].name == "/all/outer"
        assert f2[f2["all/h/refs"][1]].name == "/all/h/inner"
        assert sorted(f2) == ["all"]
        assert f2[f2["all/h/refs"][0]].name.startswith("/all/~obj_pointed_by_")
