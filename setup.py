"""The one native piece: DirectoryStore's write loop without the GIL (zarr5/storage/_filewrite.c).

Optional: where no C compiler is at hand the build goes on without it and zarr5 writes files from
Python. Everything else is in pyproject.toml.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("zarr5.storage._filewrite", ["zarr5/storage/_filewrite.c"], optional=True)])
