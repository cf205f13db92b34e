"""Bind a zarr5 vocabulary under the name of the library it stands in for, for the whole process.

``zarr5.install("h5py")`` makes every later ``import h5py`` (and ``import h5py._hl.dataset``,
``from h5py import h5t``, ...) give ``zarr5.h5py``, the h5py-shaped vocabulary; ``install("zarr")`` does
the same for ``zarr`` with ``zarr5.zarr2`` (``install("zarr", api=3)``: ``zarr5.zarr3``). Third-party
libraries whose ``import h5py`` the user cannot edit then run on zarr5 unchanged, while zarr5 itself keeps
opening real HDF5 files through the real h5py (see ``zarr5.hdf5lib``).

For ``zarr``, ``importlib.metadata`` is answered too: libraries that ask the installed distributions for
zarr's version (xarray, anndata) get the version of the API the vocabulary follows, from a distribution
record whose summary says it is zarr5's vocabulary, so they take that API's code path.

The command line form runs a script so: ``zarr5 run --as h5py script.py ARGS`` (or
``python -m zarr5 run --as h5py --as zarr -m module ARGS``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import sys
import warnings
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from zarr5 import hdf5lib

__all__ = ["install", "installed", "uninstall", "VOCABULARIES"]

# (name a program imports, API generation) -> the zarr5 module that answers it
VOCABULARIES: dict[tuple[str, int], str] = {
    ("h5py", 3): "zarr5.h5py",
    ("zarr", 2): "zarr5.zarr2",
    ("zarr", 3): "zarr5.zarr3",
}
_DEFAULT_API = {"h5py": 3, "zarr": 2}

_bound: dict[str, str] = {}  # alias -> vocabulary module name, for the finder


class _AliasLoader(importlib.abc.Loader):
    """Hands out the already-imported vocabulary module under the alias name."""

    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        return None  # the target ran when it was imported under its own name


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Resolves ``alias`` and ``alias.sub`` to ``target`` and ``target.sub`` for each bound vocabulary."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None
                  ) -> importlib.machinery.ModuleSpec | None:
        head, _, rest = fullname.partition(".")
        vocab = _bound.get(head)
        if vocab is None:
            return None
        real = vocab + ("." + rest if rest else "")
        try:
            found = importlib.util.find_spec(real)
        except ModuleNotFoundError:
            return None
        if found is None:
            return None
        spec = importlib.machinery.ModuleSpec(fullname, _AliasLoader(real),
                                              is_package=found.submodule_search_locations is not None)
        return spec

    def find_distributions(self, context: Any = None) -> Iterable[importlib.metadata.Distribution]:
        name = getattr(context, "name", None)
        for alias, vocab in _bound.items():
            if alias == "h5py":
                continue  # the real h5py distribution is installed (zarr5 needs it) and its answer stands
            if name is None or name.replace("-", "_").lower() == alias:
                yield _VocabularyDistribution(alias, vocab)


class _VocabularyDistribution(importlib.metadata.Distribution):
    """The distribution record ``importlib.metadata`` reports for a bound vocabulary."""

    def __init__(self, alias: str, vocab: str) -> None:
        self.alias, self.vocab = alias, vocab

    def read_text(self, filename: str) -> str | None:
        if filename == "METADATA":
            mod = importlib.import_module(self.vocab)
            return (f"Metadata-Version: 2.1\nName: {self.alias}\nVersion: {mod.__version__}\n"
                    f"Summary: zarr5's {self.alias}-shaped vocabulary ({self.vocab}), bound by "
                    f"zarr5.install\n")
        return None

    def locate_file(self, path: Any) -> Any:
        return None


_FINDER = _AliasFinder()


def install(name: str, api: int | None = None) -> ModuleType:
    """Make ``import NAME`` give zarr5's vocabulary shaped like that library, for the whole process.

    ``name`` is ``"h5py"`` or ``"zarr"``; ``api`` picks the zarr-python generation (2, the default, or 3).
    Call it before the libraries that import ``name`` are imported: a module that already holds the real
    library keeps it. Returns the vocabulary module.
    """
    api = _DEFAULT_API.get(name) if api is None else api
    vocab = VOCABULARIES.get((name, api))  # type: ignore[arg-type]
    if vocab is None:
        known = ", ".join(f"{n!r} (api={a})" for n, a in VOCABULARIES)
        raise ValueError(f"no zarr5 vocabulary for {name!r} with api={api!r}; known: {known}")
    if name == "h5py":
        if "h5py" in sys.modules and hdf5lib.real_h5py_loaded_by_others():
            warnings.warn("h5py was imported before zarr5.install('h5py'): modules that already hold it "
                          "keep the real h5py", RuntimeWarning, stacklevel=2)
        hdf5lib.rehome_real_h5py()
    module = importlib.import_module(vocab)
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        if not sys.modules[key].__name__.startswith(vocab):
            del sys.modules[key]  # a real library imported earlier (zarr-python) gives way to the binding
    _bound[name] = vocab
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    sys.modules[name] = module
    hook = getattr(module, "__zarr5_bind__", None)
    if hook is not None:
        hook(name)  # the vocabulary's classes now report modules under ``name`` (zarr5.h5py._bind)
    return module


def uninstall(name: str) -> None:
    """Undo ``install(name)`` for later imports (modules already imported keep what they hold)."""
    vocab = _bound.pop(name, None)
    hook = getattr(sys.modules.get(vocab or ""), "__zarr5_unbind__", None)
    if hook is not None:
        hook(name)
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    if name == "h5py":
        hdf5lib.restore_real_h5py()


def installed() -> dict[str, str]:
    """Which names are bound to which zarr5 vocabulary."""
    return dict(_bound)
