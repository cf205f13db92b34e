"""Dimension labels and scales: ``dset.dims``, stored xarray-style and under reserved attributes.

Labels go to ``_ARRAY_DIMENSIONS`` (xarray's convention; unlabeled axes get ``phony_dim_<i>``) and,
exactly, to ``_zarr5_dims["labels"]``; attached scales are paths in ``_zarr5_dims["scales"]``; a scale's
name is ``_zarr5_scale`` on the scale dataset itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from zarr5.core.attributes import RESERVED_PREFIX
from zarr5.core.paths import prefix
from zarr5.h5.base import open_node
from zarr5.h5.refs import Reference
from zarr5.metadata.v3 import ZARR_JSON, ArrayMetadataV3, parse_node

__all__ = ["DS_ATTRIBUTES", "DimensionManager", "DimensionProxy", "R_DIMS", "R_SCALE", "scale_attributes",
           "set_dimension_names"]

R_DIMS = RESERVED_PREFIX + "dims"
R_SCALE = RESERVED_PREFIX + "scale"
R_SCALE_REFS = RESERVED_PREFIX + "scale_refs"  # on a scale: [[dataset path, axis], ...] attached to it
# the attributes HDF5's dimension-scale API writes, which h5py shows among a dataset's attributes
DS_ATTRIBUTES = ("CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "DIMENSION_LABELS")
XARRAY_DIMS = "_ARRAY_DIMENSIONS"


def _name(name: Any) -> str:
    return name.decode("utf-8") if isinstance(name, bytes) else str(name)


def set_dimension_names(state: Any, path: str, names: list[str]) -> None:
    """A v3 array's ``dimension_names`` (in its zarr.json) set to ``names``; trailing axes (HDF5 array
    types) stay unnamed. ``state``: the FileState, whose shared Array of ``path`` then reads it again."""
    key = prefix(path) + ZARR_JSON
    store = state.store
    node = parse_node(store[key], key)
    if isinstance(node, ArrayMetadataV3) and len(node.shape) >= len(names):
        full = tuple(names) + (None,) * (len(node.shape) - len(names))
        store[key] = node.replace(dimension_names=full).encode()
        state.forget_arrays(path, below=False)


def make_scale(dset: Any, name: Any = "") -> None:
    """Mark ``dset`` as a dimension scale called ``name``."""
    dset._state.check_writable("make dimension scale")
    dset._state.attrs(dset._path).set_reserved({R_SCALE: _name(name)})


class DimensionProxy:
    """One axis of a dataset: its label and the scales attached to it."""

    def __init__(self, dset: Any, index: int) -> None:
        self._dset, self._index = dset, index

    def _info(self) -> dict:
        info = self._dset._state.attrs(self._dset._path).get_reserved(R_DIMS)
        ndim = self._dset.ndim
        if not isinstance(info, dict):
            info = {}
        labels = list(info.get("labels") or [""] * ndim)
        if "labels" not in info:
            xr = self._dset._state.attrs(self._dset._path).get(XARRAY_DIMS)
            if not (isinstance(xr, list) and len(xr) == ndim):
                # a v3 array (zarr-python 3's, say) names its axes in its metadata
                xr = getattr(self._dset._arr.meta, "dimension_names", None)
                xr = list(xr[:ndim]) if xr is not None and len(xr) >= ndim else None
            if xr is not None:
                labels = ["" if n is None or str(n).startswith("phony_dim_") else str(n) for n in xr]
        scales = [list(s) for s in info.get("scales") or [[] for _ in range(ndim)]]
        return {"labels": labels, "scales": scales}

    def _save(self, info: dict) -> None:
        state = self._dset._state
        state.check_writable("change dimension information")
        attrs = state.attrs(self._dset._path)
        attrs.set_reserved({R_DIMS: info})
        # netCDF-4 names an unlabeled dimension after its scale dataset; xarray reads that name here
        names = [lab or (sc[0].rsplit("/", 1)[-1] if sc else f"phony_dim_{i}")
                 for i, (lab, sc) in enumerate(zip(info["labels"], info["scales"]))]
        attrs[XARRAY_DIMS] = names
        if state.format_of(self._dset._path) == 3:
            set_dimension_names(state, self._dset._path, names)

    @property
    def label(self) -> str:
        return self._info()["labels"][self._index]

    @label.setter
    def label(self, value: Any) -> None:
        info = self._info()
        info["labels"][self._index] = _name(value)
        self._save(info)

    def _scales(self) -> list[Any]:
        state = self._dset._state
        return [open_node(state, path, "dataset") for path in self._info()["scales"][self._index]
                if state.kind(path) == "dataset"]

    def __len__(self) -> int:
        return len(self._scales())

    def __getitem__(self, item: Any) -> Any:
        scales = self._scales()
        if isinstance(item, int):
            if not scales:
                raise RuntimeError(f"no dimension scale attached to dimension {self._index}")
            return scales[item]
        for s in scales:
            if s._state.attrs(s._path).get_reserved(R_SCALE) == _name(item):
                return s
        raise KeyError(f"No dimension scale named {item!r} on dimension {self._index}")

    def attach_scale(self, dset: Any) -> None:
        if dset._state.attrs(dset._path).get_reserved(R_SCALE) is None:
            make_scale(dset, "")
        info = self._info()
        if dset._path not in info["scales"][self._index]:
            info["scales"][self._index].append(dset._path)
        self._save(info)
        _back_refs(dset, self._dset._path, self._index, add=True)

    def detach_scale(self, dset: Any) -> None:
        info = self._info()
        if dset._path not in info["scales"][self._index]:
            raise ValueError(f"{dset.name!r} is not attached to dimension {self._index}")
        info["scales"][self._index].remove(dset._path)
        self._save(info)
        _back_refs(dset, self._dset._path, self._index, add=False)

    def keys(self) -> list[str]:
        return [s._state.attrs(s._path).get_reserved(R_SCALE) or "" for s in self._scales()]

    def values(self) -> list[Any]:
        return self._scales()

    def items(self) -> list[tuple[str, Any]]:
        return list(zip(self.keys(), self.values()))

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DimensionProxy) and other._dset == self._dset and other._index == self._index

    def __hash__(self) -> int:
        return hash((self._dset._path, self._index))

    def __repr__(self) -> str:
        if not self._dset._state.open:
            return "<Dimension of closed HDF5 dataset>"
        return f'<"{self.label}" dimension {self._index} of HDF5 dataset at {id(self._dset)}>'


def _back_refs(scale: Any, path: str, axis: int, add: bool) -> None:
    """Keep on the scale the list of (dataset, axis) it is attached to: HDF5's REFERENCE_LIST."""
    attrs = scale._state.attrs(scale._path)
    refs = [list(r) for r in attrs.get_reserved(R_SCALE_REFS) or [] if list(r) != [path, axis]]
    if add:
        refs.append([path, axis])
    attrs.set_reserved({R_SCALE_REFS: refs})


def scale_attributes(obj: Any) -> dict[str, Any]:
    """The dimension-scale attributes HDF5 would hold on ``obj`` (CLASS, NAME, REFERENCE_LIST on a
    scale; DIMENSION_LIST and DIMENSION_LABELS on a dataset with scales or labels), built from zarr5's
    reserved records."""
    if obj._kind != "dataset":
        return {}
    attrs = obj._state.attrs(obj._path, obj._zarr_format_hint())
    out: dict[str, Any] = {}
    name = attrs.get_reserved(R_SCALE)
    store = obj._state.store
    if name is not None:
        out["CLASS"] = np.bytes_(b"DIMENSION_SCALE")
        if name:
            out["NAME"] = np.bytes_(str(name).encode("utf-8"))
        state = obj._state
        refs = [r for r in attrs.get_reserved(R_SCALE_REFS) or [] if state.kind(r[0]) == "dataset"]
        if refs:
            dt = np.dtype([("dataset", np.dtype("O", metadata={"ref": Reference})), ("dimension", "<u4")])
            out["REFERENCE_LIST"] = np.array([(Reference(store, p), a) for p, a in refs], dtype=dt)
    info = attrs.get_reserved(R_DIMS)
    labels = info.get("labels") if isinstance(info, dict) else None
    if labels and any(labels):
        out["DIMENSION_LABELS"] = np.array(list(labels), dtype=np.dtype("O", metadata={"vlen": str}))
    scales = info.get("scales") if isinstance(info, dict) else None
    if scales and any(scales):
        ref_dt = np.dtype("O", metadata={"ref": Reference})
        lists = np.empty(len(scales), dtype=np.dtype("O", metadata={"vlen": ref_dt}))
        for i, paths in enumerate(scales):
            lists[i] = np.array([Reference(store, p) for p in paths], dtype=ref_dt)
        out["DIMENSION_LIST"] = lists
    return out


class DimensionManager:
    """``dset.dims``: one DimensionProxy per axis."""

    def __init__(self, dset: Any) -> None:
        self._dset = dset

    def __len__(self) -> int:
        return self._dset.ndim

    def __getitem__(self, index: int) -> DimensionProxy:
        n = len(self)
        if isinstance(index, np.integer):
            index = int(index)  # numpy integers index as ints do (h5netcdf reads axes from arrays)
        if not isinstance(index, int) or not -n <= index < n:
            raise IndexError(f"Index {index!r} out of range for {n} dimensions")
        return DimensionProxy(self._dset, index % n)

    def __iter__(self) -> Iterator[DimensionProxy]:
        return (self[i] for i in range(len(self)))

    def create_scale(self, dset: Any, name: Any = "") -> None:
        make_scale(dset, name)

    def __repr__(self) -> str:
        if not self._dset._state.open:
            return "<Dimensions of closed HDF5 dataset>"
        return f"<Dimensions of HDF5 object at {id(self._dset)}>"
