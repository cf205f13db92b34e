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
