"""The real h5py (HDF5 itself), kept reachable after a zarr5 vocabulary is bound under the name ``h5py``.

zarr5 opens real HDF5 files through h5py. Once ``zarr5.install("h5py")`` has bound the h5py-shaped
vocabulary under that name, ``import h5py`` inside zarr5 would find the vocabulary, so every zarr5 module
asks this one instead. When the binding happens, the real package and all its submodules are moved to
the private name ``_zarr5_real_h5py`` (their ``__package__`` too, so h5py's own function-level relative
imports still find h5py's modules, not the vocabulary's).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from types import ModuleType

REHOMED = "_zarr5_real_h5py"  # where the real package lives in sys.modules once h5py is bound to zarr5

_real: ModuleType | None = None


def real_h5py() -> ModuleType:
    """The real h5py package, imported on first need (only programs that meet an HDF5 file pay for it)."""
    global _real
    if _real is None:
        if REHOMED in sys.modules:
            _real = sys.modules[REHOMED]
        else:
            _real = importlib.import_module("h5py")
    return _real


def loaded_real_h5py() -> ModuleType | None:
    """The real h5py if some code has imported it (an h5py object can only exist then), else None."""
    if _real is not None:
        return _real
    mod = sys.modules.get(REHOMED) or sys.modules.get("h5py")
    if mod is None or getattr(mod, "__zarr5_vocabulary__", False):
        return None
    return mod


def real_h5py_loaded_by_others() -> bool:
    """True when the real h5py sits in sys.modules under its own name (imported by someone)."""
    mod = sys.modules.get("h5py")
    return mod is not None and mod is real_h5py() and not getattr(mod, "__zarr5_vocabulary__", False)


def rehome_real_h5py() -> ModuleType:
    """Import the real h5py with every submodule, then move them all to ``_zarr5_real_h5py`` in
    sys.modules so that the name ``h5py`` is free for a vocabulary. Idempotent."""
    real = real_h5py()
    if sys.modules.get(REHOMED) is real:
        return real
    # h5py imports some submodules lazily (selections, attrs, vds, dims); load them all while the name
    # still means the real package
    for info in pkgutil.walk_packages(real.__path__, "h5py."):
        if ".tests" in info.name or info.name.endswith(("ipy_completer", ".tests")):
            continue
        try:
            importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 -- an optional piece (MPI, ROS3 helpers) that does not load here
            continue
    for name in [n for n in sys.modules if n == "h5py" or n.startswith("h5py.")]:
        mod = sys.modules.pop(name)
        new = REHOMED + name[len("h5py"):]
        sys.modules[new] = mod
        package = getattr(mod, "__package__", None)
        if isinstance(package, str) and (package == "h5py" or package.startswith("h5py.")):
            try:
                mod.__package__ = REHOMED + package[len("h5py"):]
            except (AttributeError, TypeError):  # extension modules may refuse; they import eagerly
                pass
    return real


def restore_real_h5py() -> None:
    """Put the real h5py back under its own name (after a vocabulary binding is undone)."""
    for name in [n for n in sys.modules if n == REHOMED or n.startswith(REHOMED + ".")]:
        mod = sys.modules.pop(name)
        sys.modules["h5py" + name[len(REHOMED):]] = mod
        pkg = getattr(mod, "__package__", None)
        if isinstance(pkg, str) and pkg.startswith(REHOMED):
            try:
                mod.__package__ = "h5py" + pkg[len(REHOMED):]
            except (AttributeError, TypeError):
                pass


def is_real_h5py_object(obj: object) -> bool:
    """True for h5py's own File, Group, Dataset or Datatype (a real HDF5 file). Not decided by the
    class's module name: while zarr5 is bound as h5py its own classes report h5py module names."""
    real = loaded_real_h5py()
    return real is not None and isinstance(obj, real.HLObject)
