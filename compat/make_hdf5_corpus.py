"""Write a small HDF5 corpus with the real h5py: every HDF5 feature zarr5's copy must carry over.

    python compat/make_hdf5_corpus.py OUTDIR      # writes OUTDIR/*.h5 and prints their names

Each file covers one theme (dtypes, attributes, filters, links, dimension scales, creation order, user
block, plugin filters when hdf5plugin is installed); h5py's own test data files are copied beside them.
Tests generate the corpus into a temporary directory; nothing here is imported by zarr5.
"""

from __future__ import annotations

import os
import shutil
import sys

import h5py
import numpy as np

H5PY_DATA = os.path.join(os.path.dirname(h5py.__file__), "tests", "data_files")


def _dtypes(path: str) -> None:
    rng = np.random.default_rng(1)
    with h5py.File(path, "w") as f:
        for order in "<>":
            for code in ("i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"):
                dt = np.dtype(order + code)
                data = (rng.integers(-50, 50, 37) if dt.kind in "ifc" else rng.integers(0, 99, 37)).astype(dt)
                f.create_dataset(f"num/{code}{'le' if order == '<' else 'be'}", data=data, chunks=(10,),
                                 fillvalue=np.array(3, dt)[()])
        f.create_dataset("bool", data=np.array([True, False, True] * 5), chunks=(4,))
        enum = h5py.enum_dtype({"RED": 0, "GREEN": 1, "BLUE": 42}, basetype="i2")
        f.create_dataset("enum", data=np.array([0, 1, 42, 0], dtype="i2"), dtype=enum)
        f.create_dataset("fixed_S", data=np.array([b"abc", b"", b"hello world"], dtype="S11"))
        u4 = h5py.string_dtype("utf-8", 4)
        f.create_dataset("fixed_utf8", data=np.array(["é".encode(), b"x"], dtype=u4), dtype=u4)
        f.create_dataset("vlen_utf8", data=["α", "beta", "", "γγ"], dtype=h5py.string_dtype("utf-8"),
                         chunks=(3,), maxshape=(None,))
        f.create_dataset("vlen_ascii", data=[b"a", b"bb", b"ccc"], dtype=h5py.string_dtype("ascii"))
        vl = f.create_dataset("vlen_int", shape=(3,), dtype=h5py.vlen_dtype(np.dtype("i4")))
        vl[0], vl[1], vl[2] = np.arange(3), np.arange(0), np.arange(5)
        inner = np.dtype([("x", "<f4"), ("y", ">i2")])
        padded = np.dtype({"names": ["a", "b", "c"], "formats": ["u1", "<f8", inner],
                           "offsets": [0, 8, 16], "itemsize": 32})
        comp = np.zeros(6, dtype=padded)
        comp["a"], comp["b"], comp["c"]["x"] = range(6), np.linspace(0, 1, 6), 7
        f.create_dataset("compound_padded", data=comp, chunks=(4,), fillvalue=np.zeros((), padded)[()])
        arrfield = np.dtype([("id", "<i4"), ("vec", "<f4", (3,)), ("name", "S5")])
        af = np.zeros(4, dtype=arrfield)
        af["vec"], af["name"] = np.arange(12).reshape(4, 3), b"n"
        f.create_dataset("compound_array_field", data=af)
        # layouts a .zarray cannot spell: numpy-aligned (padding named like real fields), out of order
        aligned = np.zeros(5, dtype=np.dtype("i4,f8,i2", align=True))
        aligned["f0"], aligned["f1"], aligned["f2"] = range(5), np.linspace(0, 2, 5), -1
        f.create_dataset("compound_aligned", data=aligned, chunks=(2,), compression="gzip")
        order = np.dtype({"names": ["f1", "f2", "f3"], "formats": ["<f4", "<i4", "<f8"],
                          "offsets": [0, 16, 8]})
        shuffled = np.zeros(4, dtype=order)
        shuffled["f1"], shuffled["f2"], shuffled["f3"] = 1.5, range(4), -2.0
        f.create_dataset("compound_out_of_order", data=shuffled, chunks=(4,))
        f.create_dataset("opaque", data=np.frombuffer(bytes(range(24)), dtype="V8"))  # h5py: opaque
        f.create_dataset("array_type", shape=(5,), dtype=np.dtype(("<i4", (2, 3))), chunks=(2,))
        f["array_type"][...] = np.arange(30).reshape(5, 2, 3)
        f.create_dataset("scalar_f8", data=np.float64(2.5))
        f.create_dataset("scalar_str", data="scalar text", dtype=h5py.string_dtype())
        f.create_dataset("empty_f4", data=h5py.Empty("f4"))
        f.create_dataset("empty_str", data=h5py.Empty(h5py.string_dtype()))
        f.create_dataset("zero_len", shape=(0, 4), dtype="i4", chunks=(2, 2), maxshape=(None, 4))
        f.create_dataset("sparse", shape=(100, 100), dtype="f8", chunks=(10, 10), fillvalue=-1.0)
        f["sparse"][5, 5] = 1.0


def _attrs(path: str) -> None:
    with h5py.File(path, "w") as f:
        for target in (f, f.create_group("g"), f.create_dataset("d", data=np.arange(4))):
            a = target.attrs
            a["int"] = np.int64(-3)
            a.create("be_u2", data=np.array(7, dtype=">u2"))
            a["f2"] = np.float16(1.5)
            a["c16"] = np.complex128(1 + 2j)
            a["bool"] = np.bool_(True)
            a["arr"] = np.arange(6, dtype="<f4").reshape(2, 3)
            a["vlen_str"] = "héllo"
            a.create("vlen_ascii", data=b"bytes", dtype=h5py.string_dtype("ascii"))
            a["str_list"] = ["a", "bc", "déf"]
            a["fixed_S"] = np.bytes_(b"fixed")
            a["fixed_S_arr"] = np.array([b"x", b"yz"], dtype="S2")
            a["empty"] = h5py.Empty("i8")
            a.create("enum", data=np.array(1, dtype="u1"), dtype=h5py.enum_dtype({"a": 0, "b": 1}))
            a["compound"] = np.array((1, 2.0), dtype=[("p", "<i4"), ("q", ">f8")])
            a.create("vlen_int", data=np.array([np.arange(2), np.arange(3)], dtype=object),
                     dtype=h5py.vlen_dtype(np.dtype("i2")))


def _filters(path: str) -> None:
    rng = np.random.default_rng(2)
    smooth = np.cumsum(rng.normal(size=(60, 70)), axis=1).astype("f4")
    with h5py.File(path, "w") as f:
        f.create_dataset("gzip9", data=smooth, chunks=(16, 16), compression="gzip", compression_opts=9)
        f.create_dataset("gzip_shuffle_fletcher", data=smooth, chunks=(25, 30), compression="gzip",
                         shuffle=True, fletcher32=True, maxshape=(None, 140))
        f.create_dataset("fletcher_only", data=np.arange(1000, dtype=">i8"), chunks=(128,), fletcher32=True)
        f.create_dataset("shuffle_only", data=np.arange(1000, dtype="<u2"), chunks=(100,), shuffle=True)
        f.create_dataset("lzf", data=smooth, chunks=(20, 20), compression="lzf")
        f.create_dataset("scaleoffset_int", data=np.arange(500, dtype="i4"), chunks=(50,), scaleoffset=0)
        f.create_dataset("contiguous", data=smooth)
        f.create_dataset("chunked_raw", data=smooth, chunks=(7, 9))
        # incompressible bytes: HDF5 skips the optional deflate filter on some chunks (filter mask)
        noise = rng.integers(0, 256, 40000, dtype="u1")
        masked = f.create_dataset("masked_chunks", data=noise, chunks=(4000,), compression="gzip",
                                  shuffle=True)
        # a chunk stored with deflate skipped (bit 1 of its filter mask), as HDF5 does for optional filters
        masked.id.write_direct_chunk((8000,), noise[8000:12000].tobytes(), filter_mask=0b10)
        f.create_dataset("vlen_gzip", data=["x" * i for i in range(50)], dtype=h5py.string_dtype(),
                         chunks=(10,), compression="gzip")


def _links(path: str, other: str) -> None:
    with h5py.File(path, "w") as f:
        g = f.create_group("data")
        d = g.create_dataset("values", data=np.arange(10), chunks=(5,), compression="gzip")
        f["hard_ds"] = d  # a second name for the same dataset
        f["hard_group"] = g
        f["soft_abs"] = h5py.SoftLink("/data/values")
        g["soft_rel"] = h5py.SoftLink("values")
        f["dangling"] = h5py.SoftLink("/nowhere")
        f["external"] = h5py.ExternalLink(os.path.basename(other), "/d")


def _dims(path: str) -> None:
    """A netCDF-4-like file: coordinate variables as dimension scales attached to a data variable."""
    with h5py.File(path, "w") as f:
        time = f.create_dataset("time", data=np.arange(4, dtype="f8"))
        lat = f.create_dataset("lat", data=np.linspace(-60, 60, 5))
        lon = f.create_dataset("lon", data=np.linspace(0, 300, 6))
        for s in (time, lat, lon):
            s.make_scale(s.name[1:])
            s.attrs["units"] = {"time": "days since 2000-01-01", "lat": "degrees_north",
                                "lon": "degrees_east"}[s.name[1:]]
        temp = f.create_dataset("temp", data=np.arange(120, dtype="f4").reshape(4, 5, 6), chunks=(2, 5, 6),
                                fillvalue=np.float32(-999))
        for i, s in enumerate((time, lat, lon)):
            temp.dims[i].attach_scale(s)
        temp.attrs["units"] = "K"
        labelled = f.create_dataset("labelled", data=np.zeros((2, 3)))
        labelled.dims[0].label = "rows"
        labelled.dims[1].label = "cols"


def _order(path: str) -> None:
    with h5py.File(path, "w", track_order=True) as f:
        for name in ("zeta", "alpha", "mid"):
            f.create_group(name, track_order=True)
        f.create_dataset("beta", data=[1, 2], track_order=True)
        for name in ("z", "a", "m"):
            f.attrs[name] = name
            f["zeta"].attrs[name] = 1
            f["beta"].attrs[name] = 2.0
        f["zeta"].create_dataset("y", data=[0])
        f["zeta"].create_dataset("b", data=[1])


def _userblock(path: str) -> None:
    with h5py.File(path, "w", userblock_size=512) as f:
        f.create_dataset("x", data=np.arange(2000, dtype="i4"), chunks=(300,), compression="gzip")


def _plugins(path: str) -> bool:
    try:
        import hdf5plugin
    except ImportError:
        return False
    data = np.cumsum(np.random.default_rng(3).normal(size=(50, 40)), axis=0)
    with h5py.File(path, "w") as f:
        f.create_dataset("blosc", data=data, chunks=(20, 20),
                         **hdf5plugin.Blosc(cname="zstd", clevel=4, shuffle=hdf5plugin.Blosc.SHUFFLE))
        f.create_dataset("zstd", data=data, chunks=(20, 20), **hdf5plugin.Zstd(clevel=5))
        f.create_dataset("bzip2", data=data, chunks=(20, 20), **hdf5plugin.BZip2(blocksize=5))
        f.create_dataset("lz4", data=data, chunks=(20, 20), **hdf5plugin.LZ4())
    return True


def _refs(path: str) -> None:
    """Object and region references (every selection kind), in datasets and attributes; compounds with
    vlen fields in a dataset and an attribute."""
    data = np.arange(12 * 10, dtype="i4").reshape(12, 10)
    with h5py.File(path, "w", track_order=True) as f:
        regions = f.create_dataset("a_regions", shape=(6,), dtype=h5py.regionref_dtype)
        objects = f.create_dataset("a_objects", shape=(3,), dtype=h5py.ref_dtype)
        g = f.create_group("g")
        x = g.create_dataset("x", data=data, chunks=(4, 5))
        regions[0] = x.regionref[2:8, 1:10:3]
        regions[1] = x.regionref[...]
        regions[2] = x.regionref[data % 5 == 0]
        regions[3] = x.regionref[[0, 1, 4, 5], :3]
        regions[4] = x.regionref[:0]
        objects[0], objects[1] = x.ref, g.ref
        f.create_dataset("scalar_region", data=x.regionref[1:2, 1:2])
        g.attrs["region"] = x.regionref[3:5, 2]
        g.attrs.create("refs", [x.ref, f.ref, h5py.Reference()], dtype=h5py.ref_dtype)
        x.attrs["self"] = x.ref
        rec = np.dtype([("id", "i4"), ("name", h5py.string_dtype()), ("samples", h5py.vlen_dtype("f8"))])
        values = np.array([(1, "first", np.arange(3.0)), (2, "", np.zeros(0))], dtype=rec)
        f.create_dataset("records", data=values, chunks=(1,))
        f.attrs.create("records", values, dtype=rec)
        # references inside compounds, as NWB's tables hold them
        row = np.dtype([("start", "i8"), ("count", "i8"), ("target", h5py.ref_dtype)])
        table = f.create_dataset("table", shape=(3,), dtype=row)
        table[0], table[1] = (0, 2, x.ref), (2, 3, g.ref)
        g.attrs.create("row", np.array([(1, 1, x.ref)], dtype=row)[0], dtype=row)


def make_corpus(outdir: str) -> list[str]:
    """Write the corpus into ``outdir``; return the paths of the files written."""
    os.makedirs(outdir, exist_ok=True)
    out = []
    for name, make in (("dtypes", _dtypes), ("attrs", _attrs), ("filters", _filters), ("dims", _dims),
                       ("order", _order), ("userblock", _userblock), ("refs", _refs)):
        path = os.path.join(outdir, f"{name}.h5")
        make(path)
        out.append(path)
    links = os.path.join(outdir, "links.h5")
    _links(links, os.path.join(outdir, "attrs.h5"))
    out.append(links)
    plugins = os.path.join(outdir, "plugins.h5")
    if _plugins(plugins):
        out.append(plugins)
    if os.path.isdir(H5PY_DATA):
        for name in sorted(os.listdir(H5PY_DATA)):
            if name.endswith(".h5"):
                dst = os.path.join(outdir, f"h5py_{name}")
                shutil.copyfile(os.path.join(H5PY_DATA, name), dst)
                out.append(dst)
    return out


if __name__ == "__main__":
    for p in make_corpus(sys.argv[1] if len(sys.argv) > 1 else "hdf5-corpus"):
        print(p)
