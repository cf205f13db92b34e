"""h5py's special dtypes (vlen strings, vlen sequences, enums) and their Zarr v2 spelling.

h5py marks a numpy dtype as special through ``dtype.metadata``: ``{'vlen': str}`` is a variable-length
UTF-8 string, ``{'vlen': bytes}`` a variable-length ASCII string, ``{'vlen': np.dtype('i4')}`` a
variable-length sequence, ``{'enum': {...}}`` an integer enum, ``{'h5py_encoding': 'utf-8'}`` a
fixed-length UTF-8 string. Zarr v2 spells the first three with object codecs (VLenUTF8, VLenBytes,
VLenArray) and has no spelling for the last two, which zarr5 keeps in the reserved attribute
``_zarr5_h5type`` (see docs/porting-from-h5py.md).

Both directions live here side by side: :func:`to_zarr` and :func:`from_zarr`.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from typing import Any

import numcodecs
import numpy as np

from zarr5.h5.refs import Reference, RegionReference
from zarr5.metadata.dtypes import decode_dtype, encode_dtype

__all__ = [
    "check_complex_dtype", "check_dtype", "check_enum_dtype", "check_opaque_dtype", "check_ref_dtype",
    "check_string_dtype", "complex_compat_dtype", "check_vlen_dtype", "enum_dtype", "from_zarr",
    "is_record_dtype", "opaque_dtype", "special_dtype", "string_dtype",
    "string_info", "to_zarr", "vlen_dtype",
]

string_info = namedtuple("string_info", ["encoding", "length"])

_ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "ascii": "ascii"}


def string_dtype(encoding: str = "utf-8", length: int | None = None) -> np.dtype:
    """A string dtype: variable-length (``length=None``, an object dtype) or fixed-length bytes."""
    enc = _ENCODINGS.get(str(encoding).lower())
    if enc is None:
        raise ValueError(f"Invalid encoding ({encoding!r}); 'utf-8' or 'ascii' allowed")
    if length is None:
        return np.dtype("O", metadata={"vlen": str if enc == "utf-8" else bytes})
    if not isinstance(length, (int, np.integer)) or isinstance(length, bool):
        raise TypeError(f"length must be integer or None (got {length!r})")
    return np.dtype(f"|S{int(length)}", metadata={"h5py_encoding": enc})


def vlen_dtype(basetype: Any) -> np.dtype:
    """A variable-length sequence of ``basetype`` (an object dtype)."""
    return np.dtype("O", metadata={"vlen": np.dtype(basetype)})


def enum_dtype(values_dict: dict, basetype: Any = np.uint8) -> np.dtype:
    """An integer dtype whose values carry the names in ``values_dict``."""
    dt = np.dtype(basetype)
    if dt.kind not in "iu":
        raise TypeError(f"Only integer types can be used as enums, not {dt}")
    return np.dtype(dt, metadata={"enum": dict(values_dict)})


def opaque_dtype(np_dtype: Any) -> np.dtype:
    dt = np.dtype(np_dtype)
    return np.dtype(dt, metadata={"h5py_opaque": True})


def special_dtype(**kwds: Any) -> np.dtype:
    """The legacy builder: ``vlen=T``, ``enum=(base, mapping)`` or ``ref=Reference``."""
    if len(kwds) != 1:
        raise TypeError("Exactly one keyword may be provided")
    name, val = kwds.popitem()
    if name == "vlen":
        return string_dtype("utf-8" if val is str else "ascii") if val in (str, bytes) else vlen_dtype(val)
    if name == "enum":
        try:
            basetype, mapping = val
        except TypeError:
            raise TypeError("Enums must be created from a 2-tuple (basetype, values_dict)") from None
        return enum_dtype(mapping, basetype)
    if name == "ref":
        return np.dtype("O", metadata={"ref": val})
    raise TypeError(f'Unknown special type "{name}"')


def _is_seq(vlen: Any) -> bool:
    """Whether a ``vlen`` marker is a sequence's base type (``dtype('f8') == None`` holds: no ``in``)."""
    return vlen is not None and vlen is not str and vlen is not bytes


def is_record_dtype(dt: np.dtype) -> bool:
    """Whether ``dt`` is stored as an object array of records (lists of field values).

    Those are compounds with variable-length fields and vlen sequences of compounds; numbers are kept
    as Python scalars, vlen str as str, vlen bytes as bytes and vlen sequences as lists.
    """
    if dt.fields is not None:
        return dt.hasobject
    vlen = _meta(dt).get("vlen")
    return _is_seq(vlen) and (np.dtype(vlen).fields is not None or np.dtype(vlen).hasobject)


def h5_layout(dt: np.dtype) -> np.dtype:
    """``dt`` laid out as h5py reads it back from HDF5.

    A vlen sequence takes 16 bytes in HDF5 (8 in numpy); when any member of a compound is larger in HDF5
    than in numpy, h5py packs the members one after another; otherwise numpy's offsets are kept.
    """
    vlen = _meta(dt).get("vlen")
    if _is_seq(vlen):
        return vlen_dtype(h5_layout(np.dtype(vlen)))
    fields = dt.fields
    if fields is None:
        return dt
    names = _names(dt)
    members = [(n, h5_layout(fields[n][0])) for n in names]
    sizes = [_h5_size(m) for _n, m in members]
    if all(size <= fields[n][0].itemsize for size, (n, _m) in zip(sizes, members)):
        kept: list[int] = [fields[n][1] for n in names]
        return np.dtype({"names": names, "formats": [m for _n, m in members], "offsets": kept,
                         "itemsize": dt.itemsize})
    offsets = [sum(sizes[:i]) for i in range(len(sizes))]
    return np.dtype({"names": names, "formats": [m for _n, m in members], "offsets": offsets,
                     "itemsize": sum(sizes)})


def _h5_size(dt: np.dtype) -> int:
    if _is_seq(_meta(dt).get("vlen")):
        return 16
    if dt.subdtype is not None:
        return _h5_size(dt.subdtype[0]) * int(np.prod(dt.subdtype[1]))
    return dt.itemsize


def _meta(dt: Any) -> dict:
    if not isinstance(dt, np.dtype):
        try:
            dt = np.dtype(dt)
        except TypeError:
            return {}
    return dict(dt.metadata or {})


def complex_compat_dtype(dt: Any) -> np.dtype:
    """The compound (r, i) spelling of a complex dtype, as older HDF5 files store complex numbers."""
    dt = np.dtype(dt)
    if dt.kind != "c":
        raise TypeError(f"expected a complex dtype, not {dt}")
    part = np.dtype(f"{dt.byteorder if dt.byteorder in '<>' else '='}f{dt.itemsize // 2}")
    return np.dtype([("r", part), ("i", part)])


def check_complex_dtype(dt: Any) -> np.dtype | None:
    """The complex dtype ``dt`` is, or stands for as an (r, i) compound; else None."""
    dt = np.dtype(dt)
    if dt.kind == "c":
        return dt
    # (numpy has no complex of two float16: such a compound stays a compound, as in h5py)
    if dt.names == ("r", "i") and dt["r"] == dt["i"] and dt["r"].kind == "f" and \
            dt.fields["i"][1] == dt["r"].itemsize and dt["r"].itemsize in (4, 8):
        order = dt["r"].byteorder if dt["r"].byteorder in "<>" else "="
        return np.dtype(f"{order}c{dt.itemsize}")
    return None


def check_vlen_dtype(dt: Any) -> Any:
    return _meta(dt).get("vlen")


def check_enum_dtype(dt: Any) -> dict | None:
    return _meta(dt).get("enum")


def check_opaque_dtype(dt: Any) -> bool:
    return bool(_meta(dt).get("h5py_opaque", False))


def check_ref_dtype(dt: Any) -> Any:
    return _meta(dt).get("ref")


def check_string_dtype(dt: Any) -> string_info | None:
    """``string_info(encoding, length)`` for a string dtype, else None."""
    dt = np.dtype(dt)
    vlen = _meta(dt).get("vlen")
    if vlen is str:
        return string_info("utf-8", None)
    if vlen is bytes:
        return string_info("ascii", None)
    if dt.kind == "S":
        return string_info(_meta(dt).get("h5py_encoding", "ascii"), dt.itemsize)
    return None


def check_dtype(**kwds: Any) -> Any:
    """The legacy checker: ``vlen=dt``, ``enum=dt`` or ``ref=dt``."""
    if len(kwds) != 1:
        raise TypeError("Exactly one keyword may be provided")
    name, dt = kwds.popitem()
    if name not in ("vlen", "enum", "ref"):
        raise TypeError(f'Unknown special type "{name}"')
    return _meta(dt).get(name)


# ---------------------------------------------------------------------------------------------------
# h5py dtype <-> zarr (numpy dtype + object codec + reserved type record), both directions

def to_zarr(dt: np.dtype) -> tuple[np.dtype, Any, dict | None]:
    """Return ``(zarr dtype, object codec or None, reserved type record or None)`` for an h5py dtype."""
    if dt.metadata is None and dt.fields is None and dt.subdtype is None and dt.kind in "biufcSmM":
        return np.dtype(dt.str), None, None  # plain numbers, bytes or times: nothing to translate
    meta = _meta(dt)
    vlen = meta.get("vlen")
    if vlen is str:
        return np.dtype(object), numcodecs.VLenUTF8(), None
    if vlen is bytes:
        return np.dtype(object), numcodecs.VLenBytes(), None
    if vlen is not None:
        base = np.dtype(vlen)
        if base.fields is not None or base.hasobject:
            # sequences of records: each element a list of records (see is_record_dtype)
            return np.dtype(object), numcodecs.MsgPack(), {"records": encode_h5_dtype(h5_layout(dt))}
        # an enum (or other marked) base type is not in VLenArray's dtype: keep it in the type record
        return np.dtype(object), numcodecs.VLenArray(base), ({"vlen": encode_h5_dtype(base)} if _meta(base)
                                                             else None)
    ref = meta.get("ref")
    if ref is not None:
        # object references: each target's path ('' for null) as text, marked by the type record;
        # region references: the path and selection as JSON text (see regions.py)
        return np.dtype(object), numcodecs.VLenUTF8(), {"ref": "object" if ref is Reference else "region"}
    if dt.hasobject:
        if dt.fields is not None:
            # Zarr v2 has no object fields in a structured dtype: each element is the record as a list
            return np.dtype(object), numcodecs.MsgPack(), {"records": encode_h5_dtype(h5_layout(dt))}
        raise TypeError(f"Object dtype {dt} has no native HDF5 equivalent")
    complex_dt = check_complex_dtype(dt) if dt.fields is not None else None
    if complex_dt is not None:
        return np.dtype(complex_dt.str), None, None  # stored (and read back) as native complex
    if dt.kind == "U" or any(dt[n].kind == "U" for n in _names(dt)):
        raise TypeError(f"No conversion path for dtype: {dt!r}")
    record: dict = {}
    if "enum" in meta:
        record["enum"] = {str(k): int(v) for k, v in meta["enum"].items()}
    if meta.get("h5py_encoding") == "utf-8":
        record["encoding"] = "utf-8"
    if meta.get("h5py_opaque"):
        record["opaque"] = True
    if dt.fields is not None and not _descr_ok(_plain(dt)):
        # a layout Zarr's dtype list cannot spell (aligned, out of order, overlapping): store the fields
        # packed in their order, and keep the exact layout to read back
        record["layout"] = _layout_record(dt)
        return _packed(dt), None, record
    if dt.fields is not None and _names(np.dtype(_plain(dt).descr)) != _names(dt):
        # Zarr v2 spells padding as extra void fields: keep the real members to read back
        record["members"] = _names(dt)
    return _plain(dt) if dt.fields is not None else np.dtype(dt.str), None, record or None


def _descr_ok(dt: np.dtype) -> bool:
    """Whether numpy rebuilds a compound from its ``descr`` list (what a .zarray holds)."""
    try:
        return np.dtype(dt.descr) == dt
    except (ValueError, TypeError):
        return False


def _packed(dt: np.dtype) -> np.dtype:
    """``dt``'s fields one after another, in their order, without padding (also in nested compounds)."""
    if dt.fields is None:
        if dt.subdtype is not None:
            return np.dtype((_packed(dt.subdtype[0]), dt.subdtype[1]))
        return np.dtype(dt.str)
    return np.dtype([(n, _packed(dt[n])) for n in _names(dt)])


def _layout_record(dt: np.dtype) -> dict:
    """A compound's exact layout (names, types, offsets, item size), nested compounds included."""
    def field(sub: np.dtype) -> dict:
        if sub.fields is not None:
            return _layout_record(sub)
        if sub.subdtype is not None:
            return {"subarray": [field(sub.subdtype[0]), list(sub.subdtype[1])]}
        return encode_h5_dtype(sub)
    offsets: Mapping[str, tuple[Any, ...]] = dt.fields or {}
    return {"fields": [[n, field(dt[n]), offsets[n][1]] for n in _names(dt)], "itemsize": dt.itemsize}


def _names(dt: np.dtype) -> list[str]:
    """The field names of a structured dtype, in order (none for any other)."""
    return list(dt.names or ())


def _plain(dt: np.dtype) -> np.dtype:
    """``dt`` without h5py's metadata in any field (``descr`` keeps it, and numpy then refuses it)."""
    if dt.fields is None:
        if dt.subdtype is not None:
            return np.dtype((_plain(dt.subdtype[0]), dt.subdtype[1]))
        return np.dtype(dt.str)
    fields = dt.fields
    names = _names(dt)
    offsets: list[int] = [fields[n][1] for n in names]
    return np.dtype({"names": names, "formats": [_plain(dt[n]) for n in names], "offsets": offsets,
                     "itemsize": dt.itemsize})


def from_zarr(dt: np.dtype, filters: list | None, record: dict | None) -> np.dtype:
    """Return the h5py dtype of a zarr array of ``dt`` with ``filters`` and reserved type ``record``."""
    record = record or {}
    if isinstance(record.get("records"), dict) and dt.hasobject:
        return decode_h5_dtype(record["records"])
    if record.get("ref") == "object" and dt.hasobject:
        return special_dtype(ref=Reference)
    if record.get("ref") == "region" and dt.hasobject:
        return special_dtype(ref=RegionReference)
    if isinstance(record.get("layout"), dict) and dt.fields is not None:
        return decode_h5_dtype(record["layout"])
    if isinstance(record.get("vlen"), dict) and dt.hasobject:
        return vlen_dtype(decode_h5_dtype(record["vlen"]))
    if dt.hasobject and dt.fields is None:
        codec = filters[0] if filters else None
        cid = getattr(codec, "codec_id", None)
        if cid == "vlen-bytes":
            return string_dtype("ascii")
        if cid == "vlen-array" and codec is not None:
            return vlen_dtype(np.dtype(codec.dtype))
        return string_dtype("utf-8")  # vlen-utf8, json, msgpack...: text is the common case
    if "enum" in record:
        return enum_dtype(record["enum"], dt)
    if record.get("encoding") == "utf-8" and dt.kind == "S":
        return string_dtype("utf-8", dt.itemsize)
    if record.get("opaque"):
        return opaque_dtype(dt)
    if dt.fields is not None and isinstance(record.get("members"), list):
        names = [n for n in record["members"] if n in dt.fields]
        return np.dtype({"names": names, "formats": [dt.fields[n][0] for n in names],
                         "offsets": [dt.fields[n][1] for n in names], "itemsize": dt.itemsize})
    return dt


def encode_h5_dtype(dt: np.dtype) -> dict:
    """A JSON description of any h5py dtype (used by attributes and named datatypes)."""
    meta = _meta(dt)
    vlen = meta.get("vlen")
    if vlen is str:
        return {"vlen": "str"}
    if vlen is bytes:
        return {"vlen": "bytes"}
    if vlen is not None:
        return {"vlen": encode_h5_dtype(np.dtype(vlen))}
    if meta.get("ref") is not None:
        return {"ref": "object" if meta["ref"] is Reference else "region"}
    if dt.fields is not None and (dt.hasobject or not _descr_ok(_plain(dt))):
        return _layout_record(dt)  # object fields, or a layout numpy's descr cannot spell
    out: dict = {"dtype": encode_dtype(dt)}
    if "enum" in meta:
        out["enum"] = {str(k): int(v) for k, v in meta["enum"].items()}
    if meta.get("h5py_encoding") == "utf-8":
        out["encoding"] = "utf-8"
    return out


def decode_h5_dtype(obj: dict) -> np.dtype:
    """The inverse of :func:`encode_h5_dtype`."""
    if "vlen" in obj:
        v = obj["vlen"]
        if v == "str":
            return string_dtype("utf-8")
        if v == "bytes":
            return string_dtype("ascii")
        return vlen_dtype(decode_h5_dtype(v))
    if "ref" in obj:
        return special_dtype(ref=Reference if obj["ref"] == "object" else RegionReference)
    if "subarray" in obj:
        return np.dtype((decode_h5_dtype(obj["subarray"][0]), tuple(obj["subarray"][1])))
    if "fields" in obj:
        names = [f[0] for f in obj["fields"]]
        return np.dtype({"names": names, "formats": [decode_h5_dtype(f[1]) for f in obj["fields"]],
                         "offsets": [f[2] for f in obj["fields"]], "itemsize": obj["itemsize"]})
    dt = decode_dtype(obj["dtype"])
    if "enum" in obj:
        return enum_dtype(obj["enum"], dt)
    if obj.get("encoding") == "utf-8":
        return string_dtype("utf-8", dt.itemsize)
    return dt
