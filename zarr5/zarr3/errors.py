"""``zarr.errors``: the exceptions zarr-python 3 programs catch, as zarr5 raises them."""

from zarr5.api3.errors import ArrayNotFoundError, GroupNotFoundError, NodeNotFoundError
from zarr5.errors import (
    BoundsCheckError,
    ContainsArrayError,
    ContainsGroupError,
    MetadataError,
    NegativeStepError,
    ReadOnlyError,
    VindexInvalidSelectionError,
)

# zarr-python 3's names for the same refusals
MetadataValidationError = MetadataError
BaseZarrError = ValueError


class NodeTypeValidationError(MetadataError):
    """A node's metadata says it is a kind it cannot be here."""


class ZarrUserWarning(UserWarning):
    """A warning about how zarr is used."""


class ZarrDeprecationWarning(DeprecationWarning):
    """A deprecated zarr-python 3 feature was used."""


class ZarrFutureWarning(FutureWarning):
    """Behaviour that will change in a future zarr-python 3."""


__all__ = [
    "ArrayNotFoundError", "BaseZarrError", "BoundsCheckError", "ContainsArrayError", "ContainsGroupError",
    "GroupNotFoundError", "MetadataValidationError", "NegativeStepError", "NodeNotFoundError",
    "NodeTypeValidationError", "ReadOnlyError", "VindexInvalidSelectionError", "ZarrDeprecationWarning",
    "ZarrFutureWarning", "ZarrUserWarning",
]
