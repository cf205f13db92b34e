"""``zarr.meta``: the v2 metadata format's JSON helpers and dtype / fill-value codecs."""

from zarr5.metadata.dtypes import decode_dtype, decode_fill_value, encode_dtype, encode_fill_value
from zarr5.metadata.v2 import ZARR_FORMAT, json_loads
from zarr5.metadata.v2 import encode_json as json_dumps

__all__ = ["ZARR_FORMAT", "decode_dtype", "decode_fill_value", "encode_dtype", "encode_fill_value",
           "json_dumps", "json_loads"]
