"""An h5py program in the style of h5netcdf and hdmf: low-level calls through ``.id`` and ``h5py.h5*``.

Run as ``python lowlevel_client.py PATH`` with the real h5py, or ``python -m zarr5 run --as h5py
lowlevel_client.py PATH`` with zarr5 bound as h5py; it prints one JSON document of what it saw, which
the test compares between the two runs.
"""

import json
import sys

import h5py
import numpy as np
from h5py._hl.dataset import AsStrView, AsTypeView  # noqa: F401 -- anndata's import
from h5py.h5p import CRT_ORDER_INDEXED, CRT_ORDER_TRACKED

out = {}
with h5py.File(sys.argv[1], "w", track_order=True) as f:
    out["name"] = h5py.__name__
    out["version_ok"] = h5py.version.version_tuple[:2] >= (3, 7) and isinstance(h5py.__version__, str)
    out["hdf5_version"] = isinstance(h5py.version.hdf5_version, str)
    out["ros3"] = bool(h5py.get_config().ros3)
    gcpl = f.id.get_create_plist()
    flags = gcpl.get_attr_creation_order()
    out["track_order"] = [bool(flags & CRT_ORDER_TRACKED), bool(flags & CRT_ORDER_INDEXED)]
    g = f.create_group("plain", track_order=False)
    out["plain_order"] = g.id.get_create_plist().get_link_creation_order()

    # a dataset through h5t / h5s / h5p / h5d, as h5netcdf writes classic strings
    tid = h5py.h5t.C_S1.copy()
    tid.set_size(5)
    tid.set_strpad(h5py.h5t.STR_NULLTERM)
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_chunk((2,))
    sid = h5py.h5s.create_simple((3,), (h5py.h5s.UNLIMITED,))
    did = h5py.h5d.create(f.id, b"chars", tid, sid, dcpl=dcpl)
    did.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([b"ab", b"cde", b"fghij"], dtype="S5"),
              mtype=did.get_type())
    out["chars"] = [x.decode() for x in f["chars"][()]]
    out["chars_maxshape"] = list(f["chars"].maxshape)
    out["chars_chunks"] = list(f["chars"].chunks)
    out["chars_class"] = f["chars"].id.get_type().get_class() == h5py.h5t.STRING
    out["strpad"] = tid.get_strpad() == h5py.h5t.STR_NULLTERM

    # a committed enum through h5t, used by a dataset and an attribute (h5netcdf's EnumType)
    base = h5py.h5t.py_create(np.dtype("u1"))
    etid = h5py.h5t.enum_create(base)
    for name, val in (("clear", 0), ("cloudy", 1), ("rain", 2)):
        etid.enum_insert(name.encode(), val)
    etid.commit(f.id, b"weather_t")
    wt = f["weather_t"]
    out["enum_class"] = wt.id.get_class() == h5py.h5t.ENUM
    out["enum_map"] = h5py.check_enum_dtype(wt.dtype)
    h5py.h5d.create(f.id, b"sky", wt.id.copy(), h5py.h5s.create_simple((4,)))
    out["sky_same_type"] = f["sky"].id.get_type() == wt.id
    out["sky_enum"] = h5py.check_enum_dtype(f["sky"].dtype)
    aid = h5py.h5a.create(f["sky"].id, b"_FillValue", wt.id.copy(), h5py.h5s.create_simple((1,)))
    aid.write(np.array([2], dtype="u1"), mtype=aid.get_type())
    out["fill_attr"] = f["sky"].attrs["_FillValue"].tolist()

    # a scalar string attribute through h5a, replaced once (h5netcdf's _NCProperties)
    for text in (b"first", b"second value"):
        stid = h5py.h5t.C_S1.copy()
        stid.set_size(len(text))
        stid.set_cset(h5py.h5t.CSET_ASCII)
        if h5py.h5a.exists(f.id, b"props"):
            h5py.h5a.delete(f.id, b"props")
        sa = h5py.h5a.create(f.id, b"props", stid, h5py.h5s.create(h5py.h5s.SCALAR))
        sa.write(np.array(text), mtype=sa.get_type())
    out["props"] = f.attrs["props"].decode()
    out["props_id"] = [str(f.attrs.get_id("props").dtype), list(f.attrs.get_id("props").shape)]

    # identity, validity, extend, storage size, filters (hdmf)
    d = f.create_dataset("grow", shape=(2, 3), maxshape=(None, 3), chunks=(1, 3), dtype="i4")
    out["same_id"] = d.id == f["grow"].id and hash(d.id) == hash(f["/grow"].id)
    out["other_id"] = d.id != f["chars"].id
    cache = {d.id: "grow"}
    out["cache_hit"] = cache.get(f["grow"].id)
    d.id.extend((5, 3))
    d.id.extend((4, 3))  # never shrinks
    out["extended"] = list(d.shape)
    d[4] = np.arange(3).reshape(1, 3)  # h5py broadcasts a (1, n) row onto one row
    out["row"] = d[4].tolist()
    out["storage_positive"] = d.id.get_storage_size() > 0
    out["deflate"] = h5py.filters.h5z.FILTER_DEFLATE
    out["deflate_avail"] = bool(h5py.filters.h5z.filter_avail(h5py.filters.h5z.FILTER_DEFLATE))
    z = f.create_dataset("zipped", data=np.arange(10), chunks=(5,), compression="gzip", compression_opts=3)
    zcpl = z.id.get_create_plist()
    out["zipped_filters"] = [zcpl.get_filter(i)[0] for i in range(zcpl.get_nfilters())]
    out["zipped_chunk"] = list(zcpl.get_chunk())

    # dimension scales through h5ds, read back as HDF5's attributes (h5netcdf's dimensions)
    x = f.create_dataset("x", data=np.arange(3.0))
    x.make_scale("x")
    v = f.create_dataset("v", data=np.zeros((3, 2)))
    v.dims[0].attach_scale(x)
    out["is_scale"] = [bool(h5py.h5ds.is_scale(x.id)), bool(h5py.h5ds.is_scale(v.id))]
    out["scale_class"] = x.attrs["CLASS"].decode()
    out["scale_name"] = x.attrs["NAME"].decode()
    out["ref_list"] = [[f[r].name, int(a)] for r, a in x.attrs["REFERENCE_LIST"]]
    out["dim_list"] = [[f[r].name for r in refs] for refs in v.attrs["DIMENSION_LIST"]]
    out["v_attr_names"] = sorted(v.attrs)
    out["attr_dtype"] = str(v.attrs.get_id("DIMENSION_LIST").shape)

    saved = d.id
out["valid_after_close"] = saved.valid
out["bool_after_close"] = bool(saved)
print(json.dumps(out, sort_keys=True))
