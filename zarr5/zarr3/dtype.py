"""``zarr.dtype``: zarr-python 3's data type objects (behaviour in zarr5.api3.dtypes)."""

from zarr5.api3.dtypes import (
    Bool,
    Complex64,
    Complex128,
    DateTime64,
    Float16,
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    Structured,
    TimeDelta64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    VariableLengthUTF8,
    ZDType,
    parse_dtype,
)

__all__ = [
    "Bool", "Complex64", "Complex128", "DateTime64", "Float16", "Float32", "Float64", "Int8", "Int16",
    "Int32", "Int64", "Structured", "TimeDelta64", "UInt8", "UInt16", "UInt32", "UInt64",
    "VariableLengthUTF8", "ZDType", "parse_dtype",
]
