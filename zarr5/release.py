"""zarr5's version, written here alone: pyproject.toml reads it (setuptools ``attr``), ``zarr5.__version__``
and the h5py facade's ``version.zarr5_version`` import it."""

__version__ = "0.1.0"
