"""``zarr.errors``: the exceptions zarr-2 code catches."""

from zarr5.errors import (
    ArrayIndexError,
    ArrayNotFoundError,
    BadCompressorError,
    BoundsCheckError,
    ContainsArrayError,
    ContainsGroupError,
    CopyError,
    FSPathExistNotDir,
    GroupNotFoundError,
    MetadataError,
    NegativeStepError,
    PathNotFoundError,
    ReadOnlyError,
    VindexInvalidSelectionError,
    err_too_many_indices,
)

__all__ = ["ArrayIndexError", "ArrayNotFoundError", "BadCompressorError", "BoundsCheckError",
           "ContainsArrayError", "ContainsGroupError", "CopyError", "FSPathExistNotDir", "GroupNotFoundError",
           "MetadataError", "NegativeStepError", "PathNotFoundError", "ReadOnlyError",
           "VindexInvalidSelectionError", "err_too_many_indices"]
