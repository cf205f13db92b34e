"""``h5py.h5l``: link kinds."""

TYPE_HARD, TYPE_SOFT, TYPE_EXTERNAL, TYPE_ERROR = 0, 1, 64, -1

__all__ = ["TYPE_ERROR", "TYPE_EXTERNAL", "TYPE_HARD", "TYPE_SOFT"]
