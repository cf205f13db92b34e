"""copy, copy_all and copy_store: move hierarchies between HDF5 files (h5py), zarr5 and zarr-python.

``copy`` and ``copy_all`` keep zarr-2's signatures, log lines and ``(n_copied, n_skipped, n_bytes)``
result for every pair: h5py -> zarr5, zarr5 -> h5py, zarr -> zarr5 (zarr5 or zarr-python sources) and
h5py -> h5py. HDF5 -> zarr keeps what Zarr v2 lacks under the h5py facade's reserved attributes (see
docs/on-disk-format.md); links stay links unless ``expand_soft=True`` / ``expand_external=True``;
``progress=True`` shows a tqdm bar.
"""

from __future__ import annotations

from typing import Any

from zarr5.copying.convert import convert, detect
from zarr5.copying.log import LogWriter, Progress, summary
from zarr5.copying.store import copy_store
from zarr5.copying.walk import R_INCOMPLETE, Ctx, Pair, copy_members, copy_node
from zarr5.hdf5lib import is_real_h5py_object

__all__ = ["R_INCOMPLETE", "convert", "copy", "copy_all", "copy_all_zarr2", "copy_store", "copy_zarr2",
           "detect"]

_IF_EXISTS = ["raise", "replace", "skip", "skip_initialized"]
# keywords of h5py's Group.copy and zarr5's own, taken out of **create_kws
_OPTIONS = ("expand_soft", "expand_external", "progress", "select", "rewrite_external_links", "xarray_dims")


def _is_h5py(obj: Any) -> bool:
    return is_real_h5py_object(obj)


def _resolve(source: Any, dest: Any) -> tuple[Pair, Any, Any]:
    """The Pair for (source, dest) and both objects in the form that Pair works on."""
    from zarr5.copying.zarr_zarr import as_core

    if _is_h5py(source):
        if dest is not None and _is_h5py(dest):
            from zarr5.copying.h5_h5 import H5ToH5

            return H5ToH5(), source, dest
        from zarr5.copying.h5_in import H5ToZarr

        return H5ToZarr(), source, _as_facade(dest)
    if dest is not None and _is_h5py(dest):
        from zarr5.copying.h5_out import ZarrToH5

        return ZarrToH5(), _as_facade(source, writable=False), dest
    from zarr5.copying.zarr_zarr import ZarrToZarr

    return ZarrToZarr(), as_core(source, writable=False), None if dest is None else as_core(dest, True)


def _as_facade(obj: Any, writable: bool = True) -> Any:
    """A zarr5 h5py-facade view of a zarr5 (either vocabulary) or zarr-python object."""
    from zarr5.copying.zarr_zarr import as_core
    from zarr5.h5.base import FileState, open_node
    from zarr5.h5.objects import HLObject

    if obj is None or isinstance(obj, HLObject):
        return obj
    core = as_core(obj, writable)
    store = core.store
    name = str(getattr(store, "path", "") or type(store).__name__)
    state = FileState(store, name, "r+" if writable else "r", False)
    return open_node(state, core.path)


def _check(if_exists: str, dest: Any) -> None:
    if if_exists not in _IF_EXISTS:
        raise ValueError(f"if_exists must be one of {_IF_EXISTS!r}; found {if_exists!r}")
    if not hasattr(dest, "create_dataset"):
        raise ValueError(f"dest must be a group, got {dest!r}")
    if _is_h5py(dest) and if_exists == "skip_initialized":
        raise ValueError(f"{if_exists!r} can only be used when copying to zarr")


def _ctx(write: LogWriter, shallow: bool, without_attrs: bool, if_exists: str, dry_run: bool,
         create_kws: dict) -> Ctx:
    options = {k: create_kws.pop(k) for k in _OPTIONS if k in create_kws}
    return Ctx(write, shallow, without_attrs, if_exists, dry_run, create_kws,
               expand_soft=bool(options.get("expand_soft", False)),
               expand_external=bool(options.get("expand_external", False)),
               select=options.get("select"), progress=Progress(options.get("progress")),
               rewrite_external=bool(options.get("rewrite_external_links", False)),
               xarray_dims=bool(options.get("xarray_dims", True)))


def copy(source: Any, dest: Any, name: str | None = None, shallow: bool = False, without_attrs: bool = False,
         log: Any = None, if_exists: str = "raise", dry_run: bool = False,
         **create_kws: Any) -> tuple[int, int, int]:
    """Copy the ``source`` array or group into the ``dest`` group, as zarr-2's ``zarr.copy``.

    ``source`` is an h5py, zarr5 (either vocabulary) or zarr-python group or array; ``dest`` an h5py or
    zarr5 group. ``if_exists`` is 'raise', 'replace', 'skip' or 'skip_initialized' (zarr destinations).
    ``create_kws`` go to every array created (``compressor=``, ``chunks=``, h5py's ``compression=``...);
    ``expand_soft`` / ``expand_external`` copy what links point to instead of the links; an external
    link's file name is kept exactly as written (as HDF5's own copy and h5diff expect), unless
    ``rewrite_external_links=True`` rewrites a relative one so that it names the same file from the
    destination's directory; ``progress`` shows a tqdm bar; ``xarray_dims=False`` leaves out the
    ``_ARRAY_DIMENSIONS`` attribute that HDF5 -> zarr copies otherwise get for xarray. Returns
    ``(n_copied, n_skipped, n_bytes_copied)``.
    """
    _check(if_exists, dest)
    if name is None:
        name = (getattr(source, "name", None) or "").split("/")[-1]
        if not name:
            raise TypeError("source has no name, please provide the `name` parameter to indicate a name "
                            "to copy to")
    with LogWriter(log) as write:
        ctx = _ctx(write, shallow, without_attrs, if_exists, dry_run, dict(create_kws))
        pair, src, dst = _resolve(source, dest)
        try:
            result = copy_node(ctx, pair, src, dst, name, root=True)
            if not dry_run:
                pair.finish(ctx)
        finally:
            ctx.progress.close()
        summary(write, dry_run, *result)
    return result


def copy_zarr2(source: Any, dest: Any, name: str | None = None, shallow: bool = False,
               without_attrs: bool = False, log: Any = None, if_exists: str = "raise", dry_run: bool = False,
               **create_kws: Any) -> tuple[int, int, int]:
    """:func:`copy` as zarr-python 2 does it: attributes are copied as they are, and an HDF5 source's
    arrays get no ``_ARRAY_DIMENSIONS`` (pass ``xarray_dims=True`` to have them)."""
    create_kws.setdefault("xarray_dims", False)
    return copy(source, dest, name, shallow, without_attrs, log, if_exists, dry_run, **create_kws)


def copy_all(source: Any, dest: Any, shallow: bool = False, without_attrs: bool = False, log: Any = None,
             if_exists: str = "raise", dry_run: bool = False, **create_kws: Any) -> tuple[int, int, int]:
    """Copy every member of the ``source`` group into the ``dest`` group, and the group's attributes.

    Same pairs, keywords and result as :func:`copy`. While it runs, a zarr ``dest`` carries the reserved
    attribute ``_zarr5_incomplete``: an interrupted copy is visible, and ``if_exists='skip_initialized'``
    resumes it.
    """
    _check(if_exists, dest)
    with LogWriter(log) as write:
        ctx = _ctx(write, shallow, without_attrs, if_exists, dry_run, dict(create_kws))
        pair, src, dst = _resolve(source, dest)
        try:
            if not dry_run:
                pair.mark(dst, True)
                pair.copy_root_attrs(ctx, src, dst)
            ident = pair.identity(src)
            if ident is not None:
                ctx.seen[ident] = (pair.dest_name(dst), dst)  # references to the copied group itself
            result = copy_members(ctx, pair, src, dst)
            if not dry_run:
                pair.finish(ctx)
                pair.mark(dst, False)
        finally:
            ctx.progress.close()
        summary(write, dry_run, *result)
    return result


def copy_all_zarr2(source: Any, dest: Any, shallow: bool = False, without_attrs: bool = False,
                   log: Any = None, if_exists: str = "raise", dry_run: bool = False,
                   **create_kws: Any) -> tuple[int, int, int]:
    """:func:`copy_all` as zarr-python 2 does it (no ``_ARRAY_DIMENSIONS`` added; see :func:`copy_zarr2`)."""
    create_kws.setdefault("xarray_dims", False)
    return copy_all(source, dest, shallow, without_attrs, log, if_exists, dry_run, **create_kws)
