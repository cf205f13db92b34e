"""What binding the vocabulary under the name ``h5py`` changes: the classes' ``__module__``.

Clients tell h5py objects by where their class lives (h5netcdf asks whether
``type(obj).__module__.startswith("h5py.")``), and pickle finds a class by its module. While zarr5
is bound as h5py, each facade class reports the h5py module it stands for (and that module, mapped to
this vocabulary, holds it); unbinding puts zarr5's own module names back.
"""

from __future__ import annotations

import sys

from zarr5.h5 import h5types, ids, spaces
from zarr5.h5.attrs import AttributeManager
from zarr5.h5.base import Empty
from zarr5.h5.dataset import AsStrWrapper, AstypeWrapper, Dataset, FieldsWrapper
from zarr5.h5.dims import DimensionManager, DimensionProxy
from zarr5.h5.files import File
from zarr5.h5.group import Datatype, Group
from zarr5.h5.links import ExternalLink, HardLink, SoftLink
from zarr5.h5.objects import HLObject
from zarr5.h5.refs import Reference, RegionReference

__all__ = ["bind", "unbind"]

_HOMES: dict[str, tuple[type, ...]] = {
    "h5py._hl.files": (File,),
    "h5py._hl.group": (Group, HardLink, SoftLink, ExternalLink),
    "h5py._hl.dataset": (Dataset, AsStrWrapper, AstypeWrapper, FieldsWrapper),
    "h5py._hl.datatype": (Datatype,),
    "h5py._hl.attrs": (AttributeManager,),
    "h5py._hl.base": (Empty, HLObject),
    "h5py._hl.dims": (DimensionManager, DimensionProxy),
    "h5py.h5r": (Reference, RegionReference),
    "h5py.h5t": tuple(c for c in vars(h5types).values()
                      if isinstance(c, type) and issubclass(c, h5types.TypeID)),
    "h5py.h5s": (spaces.SpaceID,),
    "h5py.h5p": (spaces.PropID, spaces.PropGCID, spaces.PropFCID, spaces.PropDCID, spaces.PropClassID),
    "h5py.h5d": (ids.DatasetID,),
    "h5py.h5g": (ids.GroupID,),
    "h5py.h5f": (ids.FileID,),
    "h5py.h5a": (ids.AttrID,),
    "h5py.h5o": (ids.ObjectID,),
}
_OWN = {cls: cls.__module__ for classes in _HOMES.values() for cls in classes}


def bind(name: str) -> None:
    """The vocabulary now answers ``import name``: it reports that name (``h5py.__name__``, which
    h5netcdf compares with "h5py"), and its classes report modules under it."""
    sys.modules["zarr5.h5py"].__name__ = name
    for module, classes in _HOMES.items():
        for cls in classes:
            cls.__module__ = name + module[len("h5py"):]


def unbind(name: str) -> None:
    sys.modules["zarr5.h5py"].__name__ = "zarr5.h5py"
    for cls, module in _OWN.items():
        cls.__module__ = module
