"""``h5py._hl``: the module paths h5py programs import high-level classes from."""
