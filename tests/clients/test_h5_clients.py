"""Real h5py client libraries' own tests, run unchanged on real h5py and on zarr5 bound as h5py.

A quick subset of what ``tools/client_suites.py run`` measures in full (h5netcdf's test_h5netcdf.py,
hdmf's test_io_hdf5*.py, pynwb's tests/integration/hdf5), in the interpreter
``tools/install_test_deps.sh`` builds at .venvs/clients-h5.
Of the selected tests that pass on real h5py, at least 95% must pass on zarr5.
"""

import importlib.util
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_spec = importlib.util.spec_from_file_location("client_suites",
                                               os.path.join(ROOT, "tools", "client_suites.py"))
client_suites = importlib.util.module_from_spec(_spec)
sys.modules["client_suites"] = client_suites
_spec.loader.exec_module(client_suites)

pytestmark = pytest.mark.skipif(not client_suites.python().exists(),
                                 reason="run tools/install_test_deps.sh: .venvs/clients-h5 missing")


@pytest.mark.parametrize("suite", sorted(client_suites.FAST))
def test_client_suite_subset_passes_on_zarr5(suite):
    sources = client_suites.SOURCES / client_suites.SUITES[suite][0]
    if not sources.exists():
        pytest.skip(f"run tools/install_test_deps.sh: .venvs/clients-h5 lacks {sources.name}'s tests")
    keyword = client_suites.FAST[suite]
    real = client_suites.run_suite(suite, "h5py", keyword, timeout=900)
    ours = client_suites.run_suite(suite, "zarr5", keyword, timeout=900)
    result = client_suites.compare(real, ours)
    assert result["real_passed"] >= 10, f"the {suite} subset selected too few tests: {real}"
    assert result["share"] >= 0.95, f"{suite}: lost on zarr5: {result['lost']}"
