"""``zarr.meta``: the v2 metadata format's JSON helpers, dtype / fill-value codecs and ``Metadata2``.

As in zarr 2, the module-level codecs are ``Metadata2``'s class methods under their own names.
"""

from zarr5.metadata.documents import Metadata2
from zarr5.metadata.v2 import ZARR_FORMAT, json_loads
from zarr5.metadata.v2 import encode_json as json_dumps

parse_metadata = Metadata2.parse_metadata
decode_array_metadata = Metadata2.decode_array_metadata
encode_array_metadata = Metadata2.encode_array_metadata
decode_group_metadata = Metadata2.decode_group_metadata
encode_group_metadata = Metadata2.encode_group_metadata
decode_dtype = Metadata2.decode_dtype
encode_dtype = Metadata2.encode_dtype
decode_fill_value = Metadata2.decode_fill_value  # (v, dtype, object_codec=None), as zarr 2's
encode_fill_value = Metadata2.encode_fill_value

__all__ = ["ZARR_FORMAT", "Metadata2", "decode_array_metadata", "decode_dtype", "decode_fill_value",
           "decode_group_metadata", "encode_array_metadata", "encode_dtype", "encode_fill_value",
           "encode_group_metadata", "json_dumps", "json_loads", "parse_metadata"]
