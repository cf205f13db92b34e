"""The HDF5 corpus (compat/make_hdf5_corpus.py), written once per session into a temporary directory."""

from __future__ import annotations

import importlib.util
import os

import pytest

_MAKER = os.path.join(os.path.dirname(__file__), "..", "..", "compat", "make_hdf5_corpus.py")


def _load_maker():
    spec = importlib.util.spec_from_file_location("make_hdf5_corpus", _MAKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, str]:
    """{name: path} of every corpus file."""
    out = tmp_path_factory.mktemp("hdf5-corpus")
    paths = _load_maker().make_corpus(str(out))
    return {os.path.basename(p)[:-3]: p for p in paths}
