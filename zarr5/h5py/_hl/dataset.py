"""``h5py._hl.dataset``: h5py 3.16 names the read views AsStrView, AsTypeView and FieldsView."""

from zarr5.h5.base import Empty, product
from zarr5.h5.dataset import AsStrWrapper, AstypeWrapper, Dataset, FieldsWrapper
from zarr5.h5.group import Datatype
from zarr5.h5.newdset import H5pyDeprecationWarning
from zarr5.h5.objects import HLObject

AsStrView = AsStrWrapper
AsTypeView = AstypeWrapper
FieldsView = FieldsWrapper

__all__ = ["AsStrView", "AsStrWrapper", "AsTypeView", "AstypeWrapper", "Dataset", "Datatype", "Empty",
           "FieldsView", "FieldsWrapper", "H5pyDeprecationWarning", "HLObject", "product"]
