"""Differential tests: Dataset behaviour, real h5py vs zarr5 (see h5_differential.py)."""

from __future__ import annotations

import numpy as np
import pytest
from h5_differential import check

import zarr5


def dset_create_shape_dtype(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (6, 10), dtype="i2")
        s = f.create_dataset("s", (), dtype="f8")
        return [d.shape, d.dtype.str, d.size, d.nbytes, d.ndim, len(d), d.chunks, d.maxshape, d.fillvalue,
                s.shape, s.chunks, d.compression, d.shuffle, d.fletcher32, d.scaleoffset]


def dset_create_from_data(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", data=np.arange(30, dtype="f4"), shape=(10, 3))
        f["i"] = 5
        f["l"] = [1.5, 2.5]
        return d[...], f["i"][()], f["l"][...], f["i"].shape


def dset_create_incompatible(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", shape=4, data=np.arange(3))


def dset_create_missing_shape(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d")


def dset_create_fixed_unicode(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (3,), dtype="U4")


def dset_chunks(h5, path):
    with h5.File(path, "w") as f:
        a = f.create_dataset("a", (100,), "f4", chunks=(10,))
        b = f.create_dataset("b", (100,), "f4", chunks=10)
        c = f.create_dataset("c", (20, 30), "f4", maxshape=(None, 60))
        return a.chunks, b.chunks, c.chunks is not None, c.maxshape


def dset_chunks_too_big(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (100,), "f4", chunks=(200,))


def dset_chunks_scalar(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (), "f4", chunks=(5,))


def dset_chunks_false_maxshape(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (10,), "f4", maxshape=100, chunks=False)


def dset_compression(h5, path):
    with h5.File(path, "w") as f:
        g = f.create_dataset("g", (20, 30), "f4", compression="gzip", compression_opts=9, shuffle=True)
        g2 = f.create_dataset("g2", (20, 30), "f4", compression=7)
        lz = f.create_dataset("lz", data=np.arange(100), compression="lzf", fletcher32=True)
        return [g.compression, g.compression_opts, g.shuffle, g2.compression, g2.compression_opts,
                lz.compression, lz.compression_opts, lz.fletcher32, lz[...], lz.chunks is not None]


def dset_compression_bad_level(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (20, 30), "f4", compression="gzip", compression_opts=14)


def dset_lzf_opts(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (20, 30), "f4", compression="lzf", compression_opts=4)


def dset_scaleoffset_float_needs_factor(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (20,), float, scaleoffset=True)


def dset_fillvalue(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (10,), "f4", fillvalue=4.0)
        return d[0], d[...], d.fillvalue


def dset_fillvalue_compound_bad(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (10,), dtype=[("a", "i"), ("b", "f")], fillvalue=42)


def dset_indexing(h5, path):
    with h5.File(path, "w") as f:
        a = np.arange(60).reshape(3, 4, 5)
        d = f.create_dataset("d", data=a, chunks=(2, 3, 2))
        return [d[1], d[1, 2, 3], d[:, 1:3, ::2], d[..., 0], d[0, [1, 3]], d[a[:, 0, 0] > 10], d[()].shape,
                d[-1, -1], d[1:1].shape, d[a > 50]]


def dset_index_negative_step(h5, path):
    with h5.File(path, "w") as f:
        return f.create_dataset("d", data=np.arange(10))[::-1]


def dset_index_out_of_range(h5, path):
    with h5.File(path, "w") as f:
        return f.create_dataset("d", data=np.arange(10))[20]


def dset_index_float(h5, path):
    with h5.File(path, "w") as f:
        return f.create_dataset("d", data=np.arange(10))[1.5]


def dset_index_newaxis(h5, path):
    with h5.File(path, "w") as f:
        return f.create_dataset("d", data=np.arange(10))[np.newaxis, :]


def dset_scalar(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", data=3.5)
        return d[()], d[...], d.shape


def dset_scalar_slice(h5, path):
    with h5.File(path, "w") as f:
        return f.create_dataset("d", data=3.5)[0:1]


def dset_write(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (4, 5), "i4")
        d[0] = 7
        d[1, 1:3] = [8, 9]
        d[:, 4] = np.arange(4)
        d[2:, :2] = np.ones((2, 2))
        return d[...]


def dset_write_bad_broadcast(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (10, 2), "f4")
        d[:, 1] = np.zeros((10, 1))


def dset_resize(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (2, 3), "i4", maxshape=(None, 3), data=np.ones((2, 3), "i4"))
        d.resize(5, axis=0)
        a = d[...]
        d.resize((1, 3))
        return a, d.shape, d.maxshape


def dset_resize_seen_by_other_handles(h5, path):
    # each read and write takes the shape from the stored metadata, so every handle sees a resize
    with h5.File(path, "w") as f:
        a = f.create_dataset("d", data=np.arange(4), maxshape=(None,), chunks=(2,))
        b = f["d"]
        before = b[...]
        a.resize((7,))
        b[5] = 50
        after = (b.shape, a.shape, b[...], a[4:7])
        b.resize((3,))
        return before, after, a.shape, a[...], b[-1], len(a)


def dset_resize_over_max(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (2, 3), "i4", maxshape=(4, 3)).resize((5, 3))


def dset_resize_contiguous(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (2, 3), "i4").resize((5, 3))


def dset_resize_bad_axis(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (2, 3), "i4", maxshape=(None, 3)).resize(5, axis=2)


def dset_require(h5, path):
    with h5.File(path, "w") as f:
        d = f.require_dataset("d", (10, 3), "i4")
        return [f.require_dataset("d", (10, 3), "i2") == d,
                f.require_dataset(b"d", (10, 3), "i4", exact=True).dtype.str]


def dset_require_shape_conflict(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (10, 3), "f")
        f.require_dataset("d", (10, 4), "f")


def dset_require_dtype_conflict(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (10, 3), "f")
        f.require_dataset("d", (10, 3), "S10")


def dset_require_maxshape(h5, path):
    with h5.File(path, "w") as f:
        ds = f.require_dataset("d", shape=(0, 3), maxshape=(None, 3), dtype=int)
        ds.resize(20, axis=0)
        return f.require_dataset("d", shape=(0, 3), maxshape=(None, 3), dtype=int).shape


def dset_like(h5, path):
    with h5.File(path, "w") as f:
        o = f.create_dataset("o", (10,), "f4", maxshape=20, compression="gzip")
        s = f.create_dataset_like("s", o)
        return s.shape, s.maxshape, s.dtype.str, s.compression


def dset_vlen_strings(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (3,), dtype=h5.string_dtype())
        d[0] = "fàilte"
        d[1] = b"bytes"
        a = f.create_dataset("a", (2,), dtype=h5.string_dtype("ascii"), fillvalue=b"fill")
        return [d[0], d[2], d[...], d.asstr()[0], d.asstr()[...], h5.check_string_dtype(d.dtype), a[1],
                a.fillvalue, d.fillvalue, a.asstr()[...]]


def dset_vlen_ascii_nonascii(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (3,), dtype=h5.string_dtype("ascii"))[0] = "fàilte"


def dset_string_inference(h5, path):
    with h5.File(path, "w") as f:
        f["s"] = "text"
        f["b"] = b"bytes"
        f["l"] = ["a", "bc"]
        f["n"] = np.bytes_("fixed")
        return [h5.check_string_dtype(f[k].dtype) for k in "sbln"] + [f["n"][()], f["l"][...]]


def dset_fixed_strings(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (4,), dtype=h5.string_dtype("utf-8", 5))
        d[0] = "cù"
        d[1] = "cù".encode()
        return d[0], d.asstr()[0], d.dtype.str, h5.check_string_dtype(d.dtype)


def dset_astype_fields(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", data=np.arange(10, dtype="i2"))
        rec = np.zeros(4, dtype=[("x", "f8"), ("y", "i4")])
        rec["x"] = [1, 2, 3, 4]
        r = f.create_dataset("r", data=rec)
        return [d.astype("f4")[2:4], len(d.astype("f4")), np.asarray(d.astype("f8")).dtype.str,
                r.fields("x")[...], r.fields(["y"])[:2], r["x"], r[1]]


def dset_read_write_direct(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", data=np.arange(10, dtype="i8"))
        out = np.zeros(20, "i8")
        d.read_direct(out, np.s_[0:5], np.s_[10:15])
        d.write_direct(np.full(3, 9, "i8"), None, np.s_[0:3])
        return out, d[...]


def dset_read_direct_bad(h5, path):
    with h5.File(path, "w") as f:
        f.create_dataset("d", (100,), "i8").read_direct(np.ones(200))


def dset_iter(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", data=np.arange(6).reshape(3, 2))
        return [row for row in d]


def dset_iter_scalar(h5, path):
    with h5.File(path, "w") as f:
        return list(f.create_dataset("d", data=1))


def dset_iter_chunks(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (100, 100), chunks=(32, 64), dtype="f4")
        return list(d.iter_chunks()), list(d.iter_chunks(np.s_[96, 19:67]))


def dset_empty(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", dtype="i4")
        e = f.create_dataset("e", data=h5.Empty("f8"))
        return d.shape, d.maxshape, d.chunks, d[()], e[()], e.dtype.str, d.size


def dset_enum(h5, path):
    with h5.File(path, "w") as f:
        dt = h5.enum_dtype({"RED": 0, "GREEN": 1, "BLUE": 42}, basetype="i4")
        d = f.create_dataset("d", (4,), dtype=dt)
        d[1] = 42
        return h5.check_enum_dtype(d.dtype), d[...], h5.check_enum_dtype(f["d"].dtype)


def dset_vlen_arrays(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (3,), dtype=h5.vlen_dtype("i4"))
        d[0] = [1, 2, 3]
        d[1] = np.arange(5)
        return [list(x) for x in d[:2]], h5.check_vlen_dtype(d.dtype).str


def dset_subarray(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (10,), dtype="(3,)f8")
        d[4] = [1, 2, 3]
        return d.shape, d.dtype.str, d[...].shape, d[4], d[2:8:2].shape


def dset_repr(h5, path):
    with h5.File(path, "w") as f:
        return repr(f.create_dataset("d", (4,), dtype="<i4"))


def dset_dims(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (4, 3), "f4")
        x = f.create_dataset("x", data=np.arange(3.0))
        x.make_scale("xs")
        d.dims[1].attach_scale(x)
        d.dims[0].label = "rows"
        return [d.dims[0].label, d.dims[1].label, len(d.dims), len(d.dims[1]), d.dims[1].keys(),
                d.dims[1]["xs"].name, x.is_scale, d.is_scale, d.dims[1][0].name]


SNIPPETS = [v for k, v in dict(globals()).items() if k.startswith("dset_") and callable(v)]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.__name__)
def test_same_as_h5py(snippet, tmp_path) -> None:
    check(snippet, tmp_path)


def test_subarray_field_assignment_and_vlen_shapes(tmp_path) -> None:
    """Sub-array fields take (n, 3) values; vlen reads carry h5py's dtype; a numeric array's last axis
    is the sequence when written to a vlen dataset."""
    def snippet(h5, path):
        with h5.File(path, "w") as f:
            dt = np.dtype([("weight", (np.float64, 3)), ("kind", np.uint8)])
            ds = f.create_dataset("c", (4,), dtype=dt)
            ds["weight"] = np.arange(12.0).reshape(4, 3)
            ds["kind"] = np.arange(4)
            v = f.create_dataset("v", (2, 2), dtype=h5.vlen_dtype(int))
            v[:, :] = np.array([[np.arange(2), np.arange(2)], [np.arange(2), np.arange(2)]])
            v[0, 0] = np.arange(3)
            again = f.create_dataset("again", (1,), v[()].dtype)
            return [ds[...].tolist(), [x.tolist() for x in v[...].ravel()],
                    h5.check_vlen_dtype(again.dtype) == np.dtype(int), v[()].dtype.metadata is not None]

    check(snippet, tmp_path)


LAYOUTS = [np.dtype("i4,f8,i2", align=True),
           np.dtype({"names": ["f1", "f2", "f3"], "formats": ["<f4", "<i4", "<f8"], "offsets": [0, 16, 8]}),
           np.dtype({"names": ["f0", "f1", "f2", "f3"], "formats": ["<f8", "<u8", "<u4", "<u2"],
                     "offsets": [25, 9, 0, 5], "itemsize": 39})]


def test_compound_layouts_zarr_cannot_spell(tmp_path) -> None:
    """Aligned, out-of-order and gapped compounds keep their exact layout, values, fills and attributes."""
    def snippet(h5, path):
        out = []
        with h5.File(path, "w") as f:
            for i, dt in enumerate(LAYOUTS):
                data = np.zeros(10, dtype=dt)
                for n in dt.names:
                    data[n] = np.arange(10) * (i + 1)
                f[f"d{i}"] = data
                ds = f.create_dataset(f"e{i}", (4,), dtype=dt, fillvalue=data[3])
                ds[1] = data[5]
                f.attrs.create(f"a{i}", data[:2])
                d = f[f"d{i}"]
                out.append([d[...].tolist(), d.dtype == dt, d[2:4][dt.names[0]].tolist(), ds[...].tolist(),
                            ds.fillvalue.tolist(), d[...].tobytes()])  # padding bytes read as zeros
        with h5.File(path, "r") as f:
            out.append([f.attrs[f"a{i}"].tolist() for i in range(len(LAYOUTS))])
        return out

    check(snippet, tmp_path)


def test_packed_compound_reads_in_zarr_python(tmp_path) -> None:
    zarr = pytest.importorskip("zarr")
    path = str(tmp_path / "c.zarr")
    with zarr5.File(path, "w") as f:
        data = np.zeros(3, dtype=LAYOUTS[1])
        data["f2"] = [7, 8, 9]
        f["d"] = data
    z = zarr.open_array(path + "/d", mode="r")
    assert z.dtype.names == ("f1", "f2", "f3") and z["f2"].tolist() == [7, 8, 9]


def test_half_precision_complex_stays_a_compound(tmp_path) -> None:
    def snippet(h5, path):
        with h5.File(path, "w") as f:
            c32 = np.dtype([("r", np.float16), ("i", np.float16)])
            d = f.create_dataset("x", (3,), c32)
            d[0] = (1.5, 2.5)
            return [d.dtype == c32, d[...].tolist()]

    check(snippet, tmp_path)
