"""Developer check: ruff, import-layer contracts, then the test suite.

    python tools/check.py [pytest args...]
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> int:
    steps = [
        ["ruff", "check", "zarr5", "tests", "tools", "compat"],
        ["lint-imports", "--config", "setup.cfg"],
        [sys.executable, "-m", "pytest", *sys.argv[1:]],
    ]
    for cmd in steps:
        print("$", " ".join(cmd), flush=True)
        code = subprocess.call(cmd, cwd=ROOT)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
