"""``h5py.get_config()``: the build and default settings h5py programs ask about.

zarr5 answers as a plain h5py build would: no ROS3, MPI or direct VFD (those are HDF5 drivers; zarr5
reaches remote stores through fsspec URLs instead), h5py's complex and bool field names, and
``track_order`` as the default for new files and groups.
"""

from __future__ import annotations

__all__ = ["H5Config", "get_config"]


class H5Config:
    """Settings object with h5py's attribute names (one per process, as in h5py)."""

    ros3 = False  # HDF5's read-only S3 driver: zarr5 opens s3:// URLs through fsspec instead
    mpi = False
    direct_vfd = False
    has_native_complex = False
    API_16 = False
    API_18 = True

    def __init__(self) -> None:
        self.complex_names: tuple[str, str] = ("r", "i")
        self.bool_names: tuple[bytes, bytes] = (b"FALSE", b"TRUE")
        self.track_order = False  # default creation-order tracking of new files and groups
        self.read_byte_strings = False

    def __repr__(self) -> str:
        return (f"<zarr5 h5py config: track_order={self.track_order}, complex_names={self.complex_names}, "
                f"ros3={self.ros3}, mpi={self.mpi}>")


_CONFIG = H5Config()


def get_config() -> H5Config:
    return _CONFIG
