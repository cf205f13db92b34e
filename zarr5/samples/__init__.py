"""Sample programs zarr5's demo runs unchanged with a vocabulary bound under the library's name."""
