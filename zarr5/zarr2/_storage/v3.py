"""``zarr._storage.v3``: zarr 2's draft-v3 stores over a mapping (its experimental arrays are not offered)."""

from zarr5.storage.draft_v3 import KVStoreV3, RmdirV3, StoreV3
from zarr5.zarr2._storage.store import (
    BaseStore,
    Store,
    _get_hierarchy_metadata,
    _get_metadata_suffix,
    _listdir_from_keys,
    _rename_from_keys,
    _rmdir_from_keys,
    _rmdir_from_keys_v3,
    array_meta_key,
    attrs_key,
    data_root,
    group_meta_key,
    meta_root,
)

__all__ = ["BaseStore", "KVStoreV3", "RmdirV3", "Store", "StoreV3", "_get_hierarchy_metadata",
           "_get_metadata_suffix", "_listdir_from_keys", "_rename_from_keys", "_rmdir_from_keys",
           "_rmdir_from_keys_v3", "array_meta_key", "attrs_key", "data_root", "group_meta_key", "meta_root"]
