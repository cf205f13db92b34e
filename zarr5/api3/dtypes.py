"""zarr-python 3's data type objects (``zarr.dtype``): one class per data type, over numpy dtypes.

Each object names a Zarr data type and converts both ways: ``from_native_dtype``/``to_native_dtype``
(numpy), ``to_json``/``from_json`` (the metadata spelling of Zarr v2 or v3), ``to_json_scalar``/
``from_json_scalar`` (fill values), ``default_scalar``. :func:`parse_dtype` takes any of a numpy dtype,
its string, a v3 JSON document or an object. The engine itself works with numpy dtypes only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

__all__ = [
    "Bool", "Complex64", "Complex128", "DateTime64", "Float16", "Float32", "Float64", "Int8", "Int16",
    "Int32", "Int64", "Structured", "TimeDelta64", "UInt8", "UInt16", "UInt32", "UInt64",
    "VariableLengthUTF8", "ZDType", "parse_dtype",
]


def _endian(dtype: np.dtype) -> str | None:
    if dtype.itemsize == 1:
        return None
    return "big" if dtype.byteorder == ">" or (dtype.byteorder == "=" and not np.little_endian) else "little"


def _order_char(endianness: str | None) -> str:
    return ">" if endianness == "big" else ("<" if endianness == "little" else "|")


class ZDType:
    """A Zarr data type (base class)."""

    v3_name: ClassVar[str]
    kind: ClassVar[str]

    @classmethod
    def from_native_dtype(cls, dtype: Any) -> ZDType:
        dtype = np.dtype(dtype)
        if not cls._matches(dtype):
            raise TypeError(f"{cls.__name__} cannot represent the numpy dtype {dtype!r}")
        return cls._from(dtype)

    @classmethod
    def _matches(cls, dtype: np.dtype) -> bool:
        return dtype.kind == cls.kind and dtype.itemsize * 8 == cls._bits()

    @classmethod
    def _bits(cls) -> int:
        return int("".join(c for c in cls.v3_name if c.isdigit()) or 8)

    @classmethod
    def _from(cls, dtype: np.dtype) -> ZDType:
        return cls()

    def to_native_dtype(self) -> np.dtype:
        bits = self._bits() // 8
        return np.dtype(f"{_order_char(getattr(self, 'endianness', None))}{self.kind}{bits}")

    def default_scalar(self) -> Any:
        return self.to_native_dtype().type(0)

    def to_json(self, zarr_format: int) -> Any:
        if zarr_format == 2:
            return {"name": self.to_native_dtype().str, "object_codec_id": None}
        return self.v3_name

    @classmethod
    def from_json(cls, data: Any, zarr_format: int) -> ZDType:
        if zarr_format == 2:
            return cls.from_native_dtype(np.dtype(data["name"] if isinstance(data, dict) else data))
        if data != cls.v3_name:
            raise ValueError(f"{data!r} is not the Zarr v3 data type {cls.v3_name!r}")
        return cls()

    def to_json_scalar(self, data: Any, *, zarr_format: int) -> Any:
        value = self.to_native_dtype().type(data)
        if self.kind == "c":
            return [float(value.real), float(value.imag)]
        if self.kind == "f" and not np.isfinite(value):
            return "NaN" if np.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return value.item()

    def from_json_scalar(self, data: Any, *, zarr_format: int) -> Any:
        if self.kind == "c" and isinstance(data, (list, tuple)):
            return self.to_native_dtype().type(complex(*data))
        special = {"NaN": np.nan, "Infinity": np.inf, "-Infinity": -np.inf}
        return self.to_native_dtype().type(special.get(data, data) if isinstance(data, str) else data)


@dataclasses.dataclass(frozen=True)
class _Endian(ZDType):
    # data types wider than one byte name their byte order
    endianness: str = "little"

    @classmethod
    def _from(cls, dtype: np.dtype) -> ZDType:
        return cls(endianness=_endian(dtype) or "little")


def _numeric(name: str, kind: str, one_byte: bool) -> type[ZDType]:
    namespace = {"v3_name": name.lower(), "kind": kind, "__module__": __name__}
    return dataclasses.make_dataclass(name, [], bases=(ZDType if one_byte else _Endian,), frozen=True,
                                      namespace=namespace)


@dataclasses.dataclass(frozen=True)
class Bool(ZDType):
    """The ``bool`` data type."""

    v3_name: ClassVar[str] = "bool"
    kind: ClassVar[str] = "b"

    @classmethod
    def _bits(cls) -> int:
        return 8

    def to_native_dtype(self) -> np.dtype:
        return np.dtype(bool)


Int8 = _numeric("Int8", "i", True)
Int16 = _numeric("Int16", "i", False)
Int32 = _numeric("Int32", "i", False)
Int64 = _numeric("Int64", "i", False)
UInt8 = _numeric("UInt8", "u", True)
UInt16 = _numeric("UInt16", "u", False)
UInt32 = _numeric("UInt32", "u", False)
UInt64 = _numeric("UInt64", "u", False)
Float16 = _numeric("Float16", "f", False)
Float32 = _numeric("Float32", "f", False)
Float64 = _numeric("Float64", "f", False)
Complex64 = _numeric("Complex64", "c", False)
Complex128 = _numeric("Complex128", "c", False)


@dataclasses.dataclass(frozen=True)
class VariableLengthUTF8(ZDType):
    """Variable-length strings (zarr-python 3's ``string`` data type)."""

    v3_name: ClassVar[str] = "string"
    kind: ClassVar[str] = "O"

    @classmethod
    def _matches(cls, dtype: np.dtype) -> bool:
        return dtype.kind in "OT"

    def to_native_dtype(self) -> np.dtype:
        return np.dtype(object)

    def default_scalar(self) -> Any:
        return ""

    def to_json(self, zarr_format: int) -> Any:
        return {"name": "|O", "object_codec_id": "vlen-utf8"} if zarr_format == 2 else "string"

    def to_json_scalar(self, data: Any, *, zarr_format: int) -> Any:
        return str(data)

    def from_json_scalar(self, data: Any, *, zarr_format: int) -> Any:
        return str(data)


@dataclasses.dataclass(frozen=True)
class _TimeBase(_Endian):
    scale_factor: int = 1
    unit: str = "generic"

    @classmethod
    def _matches(cls, dtype: np.dtype) -> bool:
        return dtype.kind == cls.kind

    @classmethod
    def _from(cls, dtype: np.dtype) -> ZDType:
        unit, count = np.datetime_data(dtype)
        return cls(endianness=_endian(dtype) or "little", scale_factor=int(count), unit=unit)

    def to_native_dtype(self) -> np.dtype:
        scale = "" if self.scale_factor == 1 else str(self.scale_factor)
        unit = "" if self.unit == "generic" else f"[{scale}{self.unit}]"
        return np.dtype(f"{_order_char(self.endianness)}{self.kind}8{unit}")

    def default_scalar(self) -> Any:
        return self.to_native_dtype().type("NaT")

    def to_json(self, zarr_format: int) -> Any:
        if zarr_format == 2:
            return {"name": self.to_native_dtype().str, "object_codec_id": None}
        return {"name": self.v3_name, "configuration": {"unit": self.unit, "scale_factor": self.scale_factor}}

    @classmethod
    def from_json(cls, data: Any, zarr_format: int) -> ZDType:
        if zarr_format == 2:
            return cls.from_native_dtype(np.dtype(data["name"] if isinstance(data, dict) else data))
        if not isinstance(data, dict) or data.get("name") != cls.v3_name:
            raise ValueError(f"{data!r} is not the Zarr v3 data type {cls.v3_name!r}")
        config = data.get("configuration", {})
        return cls(unit=config.get("unit", "generic"), scale_factor=int(config.get("scale_factor", 1)))

    def to_json_scalar(self, data: Any, *, zarr_format: int) -> Any:
        return int(self.to_native_dtype().type(data).view(np.int64))

    def from_json_scalar(self, data: Any, *, zarr_format: int) -> Any:
        return np.int64(data).view(self.to_native_dtype())


@dataclasses.dataclass(frozen=True)
class DateTime64(_TimeBase):
    """numpy's datetime64 (``numpy.datetime64`` in Zarr v3)."""

    v3_name: ClassVar[str] = "numpy.datetime64"
    kind: ClassVar[str] = "M"


@dataclasses.dataclass(frozen=True)
class TimeDelta64(_TimeBase):
    """numpy's timedelta64 (``numpy.timedelta64`` in Zarr v3)."""

    v3_name: ClassVar[str] = "numpy.timedelta64"
    kind: ClassVar[str] = "m"


@dataclasses.dataclass(frozen=True)
class Structured(ZDType):
    """numpy structured dtypes (``structured`` in Zarr v3): named fields of other data types."""

    fields: tuple = ()
    v3_name: ClassVar[str] = "structured"
    kind: ClassVar[str] = "V"

    @classmethod
    def _matches(cls, dtype: np.dtype) -> bool:
        return dtype.fields is not None

    @classmethod
    def _from(cls, dtype: np.dtype) -> ZDType:
        fields: Mapping[str, tuple] = dtype.fields or {}  # _matches admitted only structured dtypes
        return cls(fields=tuple((name, parse_dtype(fields[name][0], zarr_format=2))
                                for name in dtype.names or ()))

    def to_native_dtype(self) -> np.dtype:
        return np.dtype([(name, f.to_native_dtype()) for name, f in self.fields])

    def default_scalar(self) -> Any:
        return np.zeros((), dtype=self.to_native_dtype())[()]

    def to_json(self, zarr_format: int) -> Any:
        if zarr_format == 2:
            return {"name": [[n, f.to_native_dtype().str] for n, f in self.fields], "object_codec_id": None}
        return {"name": "structured", "configuration": {"fields": [[n, f.to_json(zarr_format=3)]
                                                                   for n, f in self.fields]}}

    @classmethod
    def from_json(cls, data: Any, zarr_format: int) -> ZDType:
        if zarr_format == 2:
            return cls.from_native_dtype(np.dtype([tuple(f) for f in data["name"]]))
        fields = data["configuration"]["fields"]
        return cls(fields=tuple((n, parse_dtype(f, zarr_format=3)) for n, f in fields))

    def to_json_scalar(self, data: Any, *, zarr_format: int) -> Any:
        import base64

        return base64.standard_b64encode(np.array(data, dtype=self.to_native_dtype()).tobytes()).decode()

    def from_json_scalar(self, data: Any, *, zarr_format: int) -> Any:
        import base64

        return np.frombuffer(base64.b64decode(data), dtype=self.to_native_dtype())[0]


_ALL: tuple[type[ZDType], ...] = (Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float16,
                                  Float32, Float64, Complex64, Complex128, VariableLengthUTF8, DateTime64,
                                  TimeDelta64, Structured)


def parse_dtype(dtype_spec: Any, zarr_format: int = 3) -> ZDType:
    """Return the data type object for a numpy dtype (or its string), a v3 JSON spelling or an object."""
    if isinstance(dtype_spec, ZDType):
        return dtype_spec
    if zarr_format == 3 and (isinstance(dtype_spec, dict) or (isinstance(dtype_spec, str) and any(
            dtype_spec == c.v3_name for c in _ALL))):
        name = dtype_spec["name"] if isinstance(dtype_spec, dict) else dtype_spec
        for cls in _ALL:
            if cls.v3_name == name:
                return cls.from_json(dtype_spec, zarr_format=3)
        raise ValueError(f"unknown Zarr v3 data type {dtype_spec!r}")
    native = np.dtype(object) if dtype_spec in (str, "str") else np.dtype(dtype_spec)
    for cls in _ALL:
        if cls._matches(native):
            return cls.from_native_dtype(native)
    raise ValueError(f"no Zarr data type for the numpy dtype {native!r}")


def data_type_of(dtype: np.dtype) -> ZDType | None:
    """The object for ``dtype``, or None when this module has none (structured, raw bytes, ...)."""
    try:
        return parse_dtype(dtype, zarr_format=2)
    except (ValueError, TypeError):
        return None
