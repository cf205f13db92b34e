"""``zarr._storage.store``: the store base classes, the key constants and the draft-v3 helpers."""

from zarr5.storage.base import BaseStore, Store
from zarr5.storage.base import listdir_from_keys as _listdir_from_keys
from zarr5.storage.base import rename_from_keys as _rename_from_keys
from zarr5.storage.base import rmdir_from_keys as _rmdir_from_keys
from zarr5.storage.draft_v3 import V3_API_AVAILABLE as v3_api_available
from zarr5.storage.draft_v3 import StoreV3
from zarr5.storage.draft_v3 import assert_v3_api_available as assert_zarr_v3_api_available
from zarr5.storage.draft_v3 import get_hierarchy_metadata as _get_hierarchy_metadata
from zarr5.storage.draft_v3 import metadata_suffix as _get_metadata_suffix
from zarr5.storage.draft_v3 import rmdir_draft_v3 as _rmdir_from_keys_v3
from zarr5.storage.functions import array_meta_key, attrs_key, data_root, group_meta_key, meta_root
from zarr5.zarr2.storage import DEFAULT_ZARR_VERSION

__all__ = ["DEFAULT_ZARR_VERSION", "BaseStore", "Store", "StoreV3", "_get_hierarchy_metadata",
           "_get_metadata_suffix", "_listdir_from_keys", "_rename_from_keys", "_rmdir_from_keys",
           "_rmdir_from_keys_v3", "array_meta_key", "assert_zarr_v3_api_available", "attrs_key", "data_root",
           "group_meta_key", "meta_root", "v3_api_available"]
