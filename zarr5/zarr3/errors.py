"""``zarr.errors``: the exceptions zarr-python 3 programs catch, as zarr5 raises them."""

from zarr5.errors import (
    ArrayNotFoundError,
    ContainsArrayError,
    ContainsGroupError,
    GroupNotFoundError,
    MetadataError,
    PathNotFoundError,
    ReadOnlyError,
)

# zarr-python 3's names for the same refusals
NodeNotFoundError = PathNotFoundError
MetadataValidationError = MetadataError


class NodeTypeValidationError(MetadataError):
    """A node's metadata says it is a kind it cannot be here."""


class ZarrUserWarning(UserWarning):
    """A warning about how zarr is used."""


class ZarrDeprecationWarning(DeprecationWarning):
    """A deprecated zarr-python 3 feature was used."""


class ZarrFutureWarning(FutureWarning):
    """Behaviour that will change in a future zarr-python 3."""


__all__ = [
    "ArrayNotFoundError", "ContainsArrayError", "ContainsGroupError", "GroupNotFoundError",
    "MetadataValidationError", "NodeNotFoundError", "NodeTypeValidationError", "ReadOnlyError",
    "ZarrDeprecationWarning", "ZarrFutureWarning", "ZarrUserWarning",
]
