"""Exception types of both vocabularies.

zarr-2 code catches ``zarr.errors.*``; h5py code catches the builtin types. Every zarr5 error
subclasses the builtin a user of either library would catch (ValueError, KeyError, IndexError,
PermissionError), so both styles of ``except`` work.
"""

from __future__ import annotations


class MetadataError(ValueError):
    """A metadata document (.zarray, .zgroup, .zattrs, .zmetadata) is malformed or impossible."""


class CopyError(RuntimeError):
    """A copy could not be carried out (e.g. the destination exists and if_exists='raise')."""


class _BaseZarrError(ValueError):
    _msg = ""

    def __init__(self, *args: object) -> None:
        self._given = args
        super().__init__(self._msg.format(*args) if args else self._msg.format(""))

    def __reduce__(self) -> tuple:
        # rebuilt from what it was given, not from its message (an error sent back by a worker process
        # would read "path "path 'a' contains a group" contains a group")
        return type(self), self._given, self.__dict__


class ContainsGroupError(_BaseZarrError):
    _msg = "path {0!r} contains a group"


class ContainsArrayError(_BaseZarrError):
    _msg = "path {0!r} contains an array"


class ArrayNotFoundError(_BaseZarrError):
    _msg = "array not found at path {0!r}"


class GroupNotFoundError(_BaseZarrError):
    _msg = "group not found at path {0!r}"


class PathNotFoundError(_BaseZarrError):
    _msg = "nothing found at path {0!r}"


class BadCompressorError(_BaseZarrError):
    _msg = "bad compressor; expected Codec object, found {0!r}"


class FSPathExistNotDir(GroupNotFoundError):
    _msg = "path exists but is not a directory: {0!r}"


class ReadOnlyError(PermissionError):
    """A write was attempted on a read-only store, array, group or attribute set."""

    def __init__(self, msg: str = "object is read-only") -> None:
        super().__init__(msg)


class BoundsCheckError(IndexError):
    """An index lies outside an array's shape."""

    def __init__(self, dim_len: int | str, index: object = None, axis: int | None = None) -> None:
        if index is None:
            super().__init__(str(dim_len))
        else:
            where = "" if axis is None else f" for axis {axis}"
            super().__init__(f"index {index} is out of bounds{where} with size {dim_len}")


class ArrayIndexError(IndexError):
    """A selection is not valid for the indexing mode used."""


class NegativeStepError(IndexError):
    """A slice with a negative step was used where only positive steps are supported."""

    def __init__(self, msg: str = "only slices with step >= 1 are supported") -> None:
        super().__init__(msg)


class VindexInvalidSelectionError(IndexError):
    """A selection given to ``vindex`` is neither a coordinate nor a mask selection."""


class InvalidKeyError(ValueError):
    """A store key or member name would escape the store (``..``, absolute, backslash, NUL)."""


class CorruptChunkError(ValueError):
    """A stored chunk could not be decoded; the message names its key."""


class ObjectCodecError(RuntimeError, TypeError):
    """Items of an object array met codecs without an object codec to turn them into bytes (or bytes
    were to be read back as objects without one): a RuntimeError as in zarr 2, and a TypeError."""


class UnsafeCodecError(ValueError):
    """A codec that can run code on read (Pickle) was met and the caller did not allow it."""


class StoreUnreachableError(ConnectionError):
    """A store's server (Redis, MongoDB, Azure Blob) could not be reached or stopped answering.

    The message names the server and the key or path being read or written. A ``ConnectionError``,
    so an ``OSError`` as h5py code expects; never a ``KeyError``, so an outage is not read as
    missing chunks (fill values).
    """



class IndexTypeError(TypeError, IndexError):
    """A selection item of the wrong type (a float, a str, None): both a TypeError and, as zarr-2's
    code expects, an IndexError."""


def err_too_many_indices(selection: tuple, shape: tuple) -> None:
    """Refuse a selection with more items than the array has dimensions (zarr-2's IndexError)."""
    raise IndexError(f"too many indices for array; expected {len(shape)}, got {len(selection)}")
