#!/usr/bin/env bash
# Everything the test suite needs, installed once: the README's test command runs this, then pytest.
# The test suite itself installs nothing. Each section says what needs it; a section that cannot run
# here (no apt, no npm) says so and the tests that need its piece skip naming it.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- Debian packages: h5diff for the HDF5 round-trip checks
if ! command -v h5diff >/dev/null; then
    if command -v apt-get >/dev/null; then
        apt-get update -q >/dev/null && apt-get install -y -q hdf5-tools >/dev/null
    else
        echo "install_test_deps: no apt-get; h5diff checks will skip" >&2
    fi
fi

# --- Python packages of the test suite (pinned in pyproject.toml's test extra)
python -m pip install -q ".[test]"
# the native write loop (zarr5/storage/_filewrite.c) built beside the sources too, since the suite imports
# zarr5 from this checkout; setup.py marks it optional: without a C compiler zarr5 writes from Python and
# tests/storage/test_filewrite.py skips, saying so
python setup.py -q build_ext --inplace

# --- servers for RedisStore and ABSStore (issue 18; tests/servers.py starts them on loopback ports)
# Redis: Debian's redis-server. Azure Blob: Microsoft's emulator Azurite from npm, into .venvs/node
# (3.35.0 is the newest that runs on node 20). MongoDBStore's server, nx-27017, is a Python package
# in the test extra above. Without apt or npm the tests needing that server skip, naming it.
if ! command -v redis-server >/dev/null; then
    if command -v apt-get >/dev/null; then
        apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends redis-server >/dev/null
    else
        echo "install_test_deps: no apt-get; the Redis tests will skip" >&2
    fi
fi
if [ ! -x .venvs/node/node_modules/.bin/azurite-blob ]; then
    if command -v npm >/dev/null; then
        mkdir -p .venvs/node
        npm install --prefix .venvs/node --no-audit --no-fund --loglevel=error azurite@3.35.0 >/dev/null
    else
        echo "install_test_deps: no npm; the Azure Blob (Azurite) tests will skip" >&2
    fi
fi

# --- zarr-python 3 (hygiene): tests/v3 check interop with real zarr-python 3.1.6, which cannot share this
# interpreter (the test extra pins zarr-python 2), so it gets its own, .venvs/zarr3, pinned in
# tools/requirements-zarr3.txt. Without it those tests skip naming this script.
if [ ! -x .venvs/zarr3/bin/python ]; then
    python -m venv .venvs/zarr3
fi
.venvs/zarr3/bin/python -m pip install -q -r tools/requirements-zarr3.txt

# --- zarr2api (issue 17): .venvs/clients-zarr2, anndata / ome-zarr / xarray / dask on zarr5's zarr-2
#     vocabulary with NO zarr-python (--no-deps: the pinned set in tools/clients-zarr2.txt leaves it out);
#     tests/zarr2/test_zarr2_clients.py runs small programs there through `python -m zarr5 run --as zarr`
if ! .venvs/clients-zarr2/bin/python -c "import anndata, ome_zarr, xarray, dask" 2>/dev/null; then
    python -m venv .venvs/clients-zarr2
    .venvs/clients-zarr2/bin/python -m pip install -q --no-deps -r tools/clients-zarr2.txt
fi

# --- h5py client libraries (issue 16, h5layout): .venvs/clients-h5 with pinned h5netcdf, hdmf, pytest
#     and their dependencies, plus their sdists' own tests, for tests/clients/test_h5_clients.py and
#     `python tools/client_suites.py run` (the full counts); (clients) also anndata and pynwb, whose
#     programs docs/h5py-libraries.md runs there (pins in tools/client_suites.py)
python tools/client_suites.py build

# --- (zarr3) .venvs/clients-zarr3: current xarray and anndata with NO zarr-python, for
#     tests/zarr3/test_zarr3_clients.py, which binds zarr5's zarr-python-3 vocabulary as `zarr`
#     (zarr5 itself comes from the checkout through PYTHONPATH). anndata requires zarr, so zarr-python is
#     installed with it and removed again.
if [ ! -x .venvs/clients-zarr3/bin/python ] || ! .venvs/clients-zarr3/bin/python -c "import xarray, anndata" 2>/dev/null; then
    python -m venv --clear .venvs/clients-zarr3
    .venvs/clients-zarr3/bin/python -m pip install -q "xarray==2026.9.0" "anndata==0.12.19" \
        "numcodecs==0.15.1" "h5py==3.16.0" "fasteners==0.20" "crc32c==2.9.post0" "scipy==1.17.1" "pandas==2.3.3"
    .venvs/clients-zarr3/bin/python -m pip uninstall -y -q zarr
fi
