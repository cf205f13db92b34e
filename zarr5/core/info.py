"""The ``info`` reports of arrays and groups, in zarr-2's layout."""

from __future__ import annotations

import textwrap
from typing import Any

from numcodecs.compat import ensure_ndarray_like

from zarr5.hdf5lib import is_real_h5py_object
from zarr5.storage.resolve import store_type_name


def buffer_size(v: Any) -> int:
    """Bytes held by a buffer or array-like ``v`` (zarr-2's ``zarr.util.buffer_size``)."""
    return int(ensure_ndarray_like(v).nbytes)


def human_readable_size(size: int) -> str:
    """Return ``size`` bytes as e.g. '381.5M' (binary multiples, as zarr-2 prints them)."""
    for power, unit in ((50, "P"), (40, "T"), (30, "G"), (20, "M"), (10, "K")):
        if size >= 2**power:
            return f"{size / 2**power:.1f}{unit}"
    return str(size)


def _bytes_text(size: int) -> str:
    return str(size) if size < 2**10 else f"{size} ({human_readable_size(size)})"


def format_items(items: list[tuple[str, str]]) -> str:
    """Lay out ``(label, value)`` pairs as aligned ``label : value`` lines wrapped at 80 columns."""
    width = max(len(k) for k, _ in items)
    lines = []
    for key, value in items:
        head = f"{key:<{width}} : "
        wrapped = textwrap.wrap(str(value), width=80 - len(head)) or [""]
        lines.append(head + wrapped[0])
        lines.extend(" " * (width + 1) + ": " + w for w in wrapped[1:])
    return "\n".join(lines) + "\n"


class InfoReporter:
    """Prints as the report; ``repr`` gives the text so ``arr.info`` shows it in a REPL.

    ``items`` computes the ``(label, value)`` rows; by default the object's own ``info_items()``.
    """

    def __init__(self, obj: Any, items: Any = None) -> None:
        self.obj = obj
        self._items = items if items is not None else (lambda: obj.info_items())

    def __repr__(self) -> str:
        return format_items(self._items())

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th style='text-align: left'>{k}</th><td style='text-align: left'>{v}</td></tr>"
                       for k, v in self._items())
        return f"<table class='zarr5-info'><tbody>{rows}</tbody></table>"


def _synchronizer_items(node: Any) -> list[tuple[str, str]]:
    sync = getattr(node, "synchronizer", None)
    if sync is None:
        return []
    return [("Synchronizer type", f"{type(sync).__module__}.{type(sync).__qualname__}")]


def array_info_items(arr: Any) -> list[tuple[str, str]]:
    items = []
    if arr.name is not None:
        items.append(("Name", arr.name))
    items += [
        ("Type", "zarr5.core.Array"),
        ("Data type", str(arr.dtype)),
        ("Shape", str(arr.shape)),
        ("Chunk shape", str(arr.chunks)),
        ("Order", arr.order),
        ("Read-only", str(arr.read_only)),
    ]
    for i, f in enumerate(arr.filters or ()):
        items.append((f"Filter [{i}]", repr(f)))
    items.append(("Compressor", repr(arr.compressor)))
    items += _synchronizer_items(arr)
    items.append(("Store type", store_type_name(arr.store)))
    if arr.chunk_store is not arr.store:
        items.append(("Chunk store type", store_type_name(arr.chunk_store)))
    items.append(("No. bytes", _bytes_text(arr.nbytes)))
    try:
        stored = arr.nbytes_stored
    except (NotImplementedError, TypeError):
        stored = None
    if stored:
        items.append(("No. bytes stored", _bytes_text(stored)))
        items.append(("Storage ratio", f"{arr.nbytes / stored:.1f}"))
    items.append(("Chunks initialized", f"{arr.nchunks_initialized}/{arr.nchunks}"))
    return items


def group_info_items(group: Any) -> list[tuple[str, str]]:
    items = [
        ("Name", group.name),
        ("Type", "zarr5.hierarchy.Group"),
        ("Read-only", str(group.read_only)),
        *_synchronizer_items(group),
        ("Store type", store_type_name(group.store)),
    ]
    if group.chunk_store is not None and group.chunk_store is not group.store:
        items.append(("Chunk store type", store_type_name(group.chunk_store)))
    arrays = list(group.array_keys())
    groups = list(group.group_keys())
    items += [
        ("No. members", str(len(arrays) + len(groups))),
        ("No. arrays", str(len(arrays))),
        ("No. groups", str(len(groups))),
    ]
    if arrays:
        items.append(("Arrays", ", ".join(arrays)))
    if groups:
        items.append(("Groups", ", ".join(groups)))
    return items


def _h5_kind(obj: Any) -> str:
    if hasattr(obj, "shape") and hasattr(obj, "dtype"):
        return "Dataset"
    return "File" if getattr(obj, "name", None) == "/" and hasattr(obj, "filename") else "Group"


def _h5_origin(obj: Any) -> str:
    # h5py's own objects come from a real HDF5 file; zarr5's facade objects from a zarr store
    return "h5py" if is_real_h5py_object(obj) else "zarr5"


def h5_info_items(obj: Any) -> list[tuple[str, str]]:
    """The ``info`` rows of an h5py-vocabulary object: zarr5's facade or h5py's own (a real HDF5 file)."""
    kind = _h5_kind(obj)
    origin = _h5_origin(obj)
    items = [("Name", str(obj.name)), ("Type", f"{origin}.{kind}"),
             ("Format", "HDF5" if origin == "h5py" else "Zarr (h5py vocabulary)")]
    filename = getattr(getattr(obj, "file", None), "filename", None)
    if filename is not None:
        items.append(("File", str(filename)))
    if kind == "Dataset":
        items += [("Data type", str(obj.dtype)), ("Shape", str(obj.shape)),
                  ("Max shape", str(getattr(obj, "maxshape", None))),
                  ("Chunk shape", str(getattr(obj, "chunks", None)))]
        compression = getattr(obj, "compression", None)
        if compression is not None:
            opts = getattr(obj, "compression_opts", None)
            items.append(("Compression", compression if opts is None else f"{compression} ({opts})"))
        for flag in ("shuffle", "fletcher32"):
            if getattr(obj, flag, False):
                items.append((flag.capitalize(), "True"))
        nbytes = obj.nbytes if obj.shape is not None else 0
        items.append(("No. bytes", _bytes_text(int(nbytes))))
    else:
        datasets: list[str] = []
        groups: list[str] = []
        for name in obj.keys():
            child = obj.get(name)
            (datasets if hasattr(child, "shape") and hasattr(child, "dtype") else groups).append(name)
        items += [("No. members", str(len(obj))), ("No. datasets", str(len(datasets))),
                  ("No. groups", str(len(groups)))]
        if datasets:
            items.append(("Datasets", ", ".join(datasets)))
        if groups:
            items.append(("Groups", ", ".join(groups)))
    n_attrs = len(obj.attrs)
    if n_attrs:
        items.append(("No. attributes", str(n_attrs)))
    return items
