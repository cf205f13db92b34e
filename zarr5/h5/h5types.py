"""Datatype handles (h5py's ``h5t`` module): a numpy dtype seen through HDF5's type calls.

A ``TypeID`` wraps the numpy dtype h5py would give (special dtypes carry their metadata: vlen strings,
enums, fixed-length UTF-8). Transient types are built by ``py_create`` / ``enum_create`` / ``copy`` and
changed by the ``set_*`` calls; ``commit`` stores one as a named datatype of a group. Two types are
equal when HDF5's ``H5Tequal`` would say so: same class, size, byte order, members and enum mapping.
String padding is kept on the handle only (Zarr stores fixed-length strings null-padded).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zarr5.h5.base import provided
from zarr5.h5.dtypes import check_enum_dtype, check_string_dtype, check_vlen_dtype, string_dtype

__all__ = [
    "ARRAY", "BITFIELD", "COMPOUND", "CSET_ASCII", "CSET_UTF8", "ENUM", "FLOAT", "INTEGER", "OPAQUE",
    "REFERENCE", "STRING", "STR_NULLPAD", "STR_NULLTERM", "STR_SPACEPAD", "TIME", "VLEN",
    "TypeID", "TypeArrayID", "TypeAtomicID", "TypeBitfieldID", "TypeCompoundID", "TypeCompositeID",
    "TypeEnumID", "TypeFloatID", "TypeIntegerID", "TypeOpaqueID", "TypeReferenceID", "TypeStringID",
    "TypeTimeID", "TypeVlenID", "enum_create", "py_create", "type_for",
]

# HDF5's H5T_class_t codes (h5py.h5t.INTEGER, ...)
INTEGER, FLOAT, TIME, STRING, BITFIELD, OPAQUE, COMPOUND, REFERENCE, ENUM, VLEN, ARRAY = range(11)
STR_NULLTERM, STR_NULLPAD, STR_SPACEPAD = 0, 1, 2
CSET_ASCII, CSET_UTF8 = 0, 1
ORDER_LE, ORDER_BE, ORDER_VAX, ORDER_NONE = 0, 1, 2, 3
SGN_NONE, SGN_2 = 0, 1


def _class_of(dt: np.dtype) -> int:
    if check_enum_dtype(dt) is not None:
        return ENUM
    if check_string_dtype(dt) is not None or dt.kind in "SU":
        return STRING
    if check_vlen_dtype(dt) is not None:
        return VLEN
    if dt.metadata and "ref" in dt.metadata:
        return REFERENCE
    if dt.metadata and dt.metadata.get("h5py_opaque"):
        return OPAQUE
    if dt.subdtype is not None:
        return ARRAY
    if dt.names is not None or dt.kind == "c":
        return COMPOUND  # h5py stores complex numbers as an (r, i) compound
    return {"i": INTEGER, "u": INTEGER, "b": ENUM, "f": FLOAT, "V": OPAQUE, "M": INTEGER, "m": INTEGER
            }.get(dt.kind, OPAQUE)


class TypeID:
    """A datatype handle: ``.dtype`` is the numpy dtype h5py reads it as."""

    def __init__(self, dtype: Any, committed: Any = None) -> None:
        self._dtype = np.dtype(dtype)
        self._committed = committed  # the named Datatype this handle stands for, if any
        self._strpad = STR_NULLPAD
        self._locked = False
        self.valid = True

    @property
    def dtype(self) -> np.dtype:
        return self._dtype

    def get_class(self) -> int:
        return _class_of(self._dtype)

    def get_size(self) -> int:
        dt = self._dtype
        if dt.hasobject and dt.names is None:
            return 16  # a vlen or reference element as HDF5 lays it out in memory
        return int(dt.itemsize)

    def set_size(self, size: int) -> None:
        raise TypeError(f"the size of a {type(self).__name__} cannot be changed")

    def get_order(self) -> int:
        return ORDER_BE if self._dtype.byteorder == ">" else ORDER_LE

    def copy(self) -> TypeID:
        out = type_for(self._dtype)
        out._strpad = self._strpad
        return out

    def committed(self) -> bool:
        return self._committed is not None

    def commit(self, group: Any, name: Any, lcpl: Any = None) -> None:
        """Store this type as a named datatype ``name`` in ``group`` (a GroupID)."""
        obj = provided("object_of")(group)
        obj[name.decode("utf-8") if isinstance(name, bytes) else name] = self._dtype

    def lock(self) -> None:
        self._locked = True

    def close(self) -> None:
        self.valid = False

    def equal(self, other: Any) -> bool:
        if not isinstance(other, TypeID):
            return False
        a, b = self._dtype, other._dtype
        return a == b and check_enum_dtype(a) == check_enum_dtype(b) \
            and check_string_dtype(a) == check_string_dtype(b) and check_vlen_dtype(a) == check_vlen_dtype(b)

    def __eq__(self, other: object) -> bool:
        return self.equal(other)

    def __ne__(self, other: object) -> bool:
        return not self.equal(other)

    def __hash__(self) -> int:
        return hash((self.get_class(), self._dtype.str))

    def __bool__(self) -> bool:
        return self.valid

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._dtype!r}>"


class TypeAtomicID(TypeID):
    pass


class TypeIntegerID(TypeAtomicID):
    def get_sign(self) -> int:
        return SGN_2 if self._dtype.kind == "i" else SGN_NONE


class TypeFloatID(TypeAtomicID):
    pass


class TypeTimeID(TypeAtomicID):
    pass


class TypeBitfieldID(TypeAtomicID):
    pass


class TypeReferenceID(TypeAtomicID):
    pass


class TypeStringID(TypeAtomicID):
    """Fixed-length (``|S<n>``, optionally UTF-8) or variable-length strings."""

    def is_variable_str(self) -> bool:
        return self._dtype.kind == "O"

    def _encoding(self) -> str:
        info = check_string_dtype(self._dtype)
        return info.encoding if info is not None else "ascii"

    def set_size(self, size: Any) -> None:
        length = None if size is None or (isinstance(size, int) and size < 0) else int(size)
        self._dtype = _string(self._encoding(), length)

    def get_cset(self) -> int:
        return CSET_UTF8 if self._encoding() == "utf-8" else CSET_ASCII

    def set_cset(self, cset: int) -> None:
        if cset not in (CSET_ASCII, CSET_UTF8):
            raise ValueError(f"unknown character set {cset!r}; use CSET_ASCII or CSET_UTF8")
        length = None if self.is_variable_str() else self._dtype.itemsize
        self._dtype = _string("utf-8" if cset == CSET_UTF8 else "ascii", length)

    def get_strpad(self) -> int:
        return self._strpad

    def set_strpad(self, pad: int) -> None:
        if pad not in (STR_NULLTERM, STR_NULLPAD, STR_SPACEPAD):
            raise ValueError(f"unknown string padding {pad!r}")
        self._strpad = pad


def _string(encoding: str, length: int | None) -> np.dtype:
    # h5py reads a fixed-length ASCII string as a plain |S<n>; UTF-8 and vlen strings carry metadata
    if length is not None and encoding == "ascii":
        return np.dtype(f"S{length}")
    return string_dtype(encoding, length)


class TypeVlenID(TypeID):
    def get_super(self) -> TypeID:
        return type_for(check_vlen_dtype(self._dtype))


class TypeOpaqueID(TypeID):
    def get_tag(self) -> bytes:
        return b""


class TypeArrayID(TypeID):
    def get_array_ndims(self) -> int:
        return len(self._dtype.shape)

    def get_array_dims(self) -> tuple[int, ...]:
        return tuple(self._dtype.shape)

    def get_super(self) -> TypeID:
        return type_for(self._dtype.base)


class TypeCompositeID(TypeID):
    def get_nmembers(self) -> int:
        return len(self._names())

    def _names(self) -> list[str]:
        return []

    def get_member_name(self, index: int) -> bytes:
        return self._names()[index].encode("utf-8")

    def get_member_index(self, name: Any) -> int:
        name = name.decode("utf-8") if isinstance(name, bytes) else name
        try:
            return self._names().index(name)
        except ValueError:
            raise ValueError(f"no member {name!r} in {self._dtype!r}") from None


class TypeCompoundID(TypeCompositeID):
    def _names(self) -> list[str]:
        if self._dtype.names is None:
            return ["r", "i"]  # complex numbers, as h5py spells them
        return list(self._dtype.names)

    def get_member_type(self, index: int) -> TypeID:
        if self._dtype.names is None:
            return type_for(np.dtype(f"f{self._dtype.itemsize // 2}"))
        return type_for(self._dtype.fields[self._names()[index]][0])

    def get_member_offset(self, index: int) -> int:
        if self._dtype.names is None:
            return index * (self._dtype.itemsize // 2)
        return int(self._dtype.fields[self._names()[index]][1])

    def get_member_class(self, index: int) -> int:
        return self.get_member_type(index).get_class()


class TypeEnumID(TypeCompositeID):
    """An integer enum: members keep the order they were inserted in."""

    def _mapping(self) -> dict:
        return dict(check_enum_dtype(self._dtype) or {})

    def _names(self) -> list[str]:
        return list(self._mapping())

    def enum_insert(self, name: Any, value: int) -> None:
        name = name.decode("utf-8") if isinstance(name, bytes) else str(name)
        mapping = self._mapping()
        if name in mapping:
            raise ValueError(f"enum member {name!r} exists already")
        mapping[name] = int(value)
        self._dtype = np.dtype(self._dtype.str, metadata={"enum": mapping})

    def get_member_value(self, index: int) -> int:
        return list(self._mapping().values())[index]

    def enum_nameof(self, value: int) -> bytes:
        for k, v in self._mapping().items():
            if v == value:
                return k.encode("utf-8")
        raise ValueError(f"no enum member has the value {value!r}")

    def enum_valueof(self, name: Any) -> int:
        name = name.decode("utf-8") if isinstance(name, bytes) else name
        try:
            return self._mapping()[name]
        except KeyError:
            raise ValueError(f"no enum member is called {name!r}") from None

    def get_super(self) -> TypeID:
        return type_for(np.dtype(self._dtype.str))


_CLASSES: dict[int, type[TypeID]] = {
    INTEGER: TypeIntegerID, FLOAT: TypeFloatID, TIME: TypeTimeID, STRING: TypeStringID,
    BITFIELD: TypeBitfieldID, OPAQUE: TypeOpaqueID, COMPOUND: TypeCompoundID, REFERENCE: TypeReferenceID,
    ENUM: TypeEnumID, VLEN: TypeVlenID, ARRAY: TypeArrayID,
}


def type_for(dtype: Any, committed: Any = None) -> TypeID:
    """The handle class HDF5 would give ``dtype`` (a TypeEnumID for an enum, ...)."""
    dt = np.dtype(dtype)
    if dt.kind == "U":
        dt = string_dtype("utf-8", dt.itemsize // 4)
    return _CLASSES[_class_of(dt)](dt, committed)


def py_create(dtype: Any, logical: bool = False, aligned: bool = False) -> TypeID:
    """A transient type for a numpy dtype (h5py.h5t.py_create)."""
    return type_for(dtype)


def enum_create(base: TypeID) -> TypeEnumID:
    """An enum with no members yet over the integer type ``base``."""
    dt = base.dtype if isinstance(base, TypeID) else np.dtype(base)
    if dt.kind not in "iu":
        raise TypeError(f"an enum needs an integer base type, not {dt}")
    return TypeEnumID(np.dtype(dt, metadata={"enum": {}}))


def _predefined(dtype: Any) -> TypeID:
    tid = type_for(dtype)
    tid.lock()
    return tid


# the predefined types clients copy from (h5py.h5t.C_S1, NATIVE_INT32, STD_I32LE, IEEE_F64LE, ...)
PREDEFINED: dict[str, TypeID] = {"C_S1": _predefined("S1")}
for _bits in (8, 16, 32, 64):
    for _sign, _k in (("I", "i"), ("U", "u")):
        PREDEFINED[f"STD_{_sign}{_bits}LE"] = _predefined(f"<{_k}{_bits // 8}")
        PREDEFINED[f"STD_{_sign}{_bits}BE"] = _predefined(f">{_k}{_bits // 8}")
        PREDEFINED[f"NATIVE_{'U' if _sign == 'U' else ''}INT{_bits}"] = _predefined(f"={_k}{_bits // 8}")
for _bits in (16, 32, 64):
    PREDEFINED[f"IEEE_F{_bits}LE"] = _predefined(f"<f{_bits // 8}")
    PREDEFINED[f"IEEE_F{_bits}BE"] = _predefined(f">f{_bits // 8}")
PREDEFINED.update(NATIVE_FLOAT=_predefined("=f4"), NATIVE_DOUBLE=_predefined("=f8"),
                  NATIVE_INT=_predefined("=i4"), NATIVE_UINT=_predefined("=u4"),
                  NATIVE_LLONG=_predefined("=i8"), NATIVE_ULLONG=_predefined("=u8"),
                  NATIVE_HBOOL=_predefined("=u1"))
