"""Tests of zarr5.storage: the store contract (contract.py) run by every backend, plus backend specifics."""
