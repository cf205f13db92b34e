"""Every ``>>>`` example in docs/*.md runs, each page in a fresh working directory."""

from __future__ import annotations

import doctest
import os
import pathlib
import subprocess

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").glob("*.md"))


# pages whose examples talk to servers: the fixtures (tests/conftest.py) start them or skip
SERVER_PAGES = {"services.md": ("redis_server", "mongo_server", "azurite_server")}
PORT_VARIABLES = {"redis_server": "REDIS_PORT", "mongo_server": "MONGODB_PORT"}
# pages whose examples run client libraries in an interpreter tools/install_test_deps.sh builds
PAGE_INTERPRETERS = {"h5py-libraries.md": ((".venvs/clients-h5", ("anndata", "pynwb", "h5netcdf")),
                                          (".venvs/zarr3", ("zarr",)))}


def _skip_without_interpreter(page_name: str) -> None:
    for venv, modules in PAGE_INTERPRETERS.get(page_name, ()):
        python = ROOT / venv / "bin" / "python"
        probe = f"import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in {modules!r}))"
        if not python.exists() or subprocess.run([str(python), "-c", probe]).returncode != 0:
            pytest.skip(f"run tools/install_test_deps.sh: {venv} with {', '.join(modules)} missing")


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_doc_examples(page, tmp_path, monkeypatch, request):
    _skip_without_interpreter(page.name)
    for fixture in SERVER_PAGES.get(page.name, ()):
        server = request.getfixturevalue(fixture)
        if fixture == "azurite_server":
            monkeypatch.setenv("AZURITE_BLOB_ENDPOINT", server.blob_endpoint)
        else:
            monkeypatch.setenv(PORT_VARIABLES[fixture], str(server.port))
    monkeypatch.chdir(tmp_path)
    os.makedirs("data", exist_ok=True)
    text = page.read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    with np.printoptions(legacy="1.25"):
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} example(s) failed in {page.name}"


def test_sphinx_build_has_no_warnings(tmp_path):
    pytest.importorskip("sphinx", reason="sphinx is not installed (pip install '.[test]')")
    pytest.importorskip("myst_parser", reason="myst-parser is not installed (pip install '.[test]')")
    import sys

    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                             str(ROOT / "docs"), str(tmp_path / "html")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "html" / "api.html").exists()
