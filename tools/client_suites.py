"""Run real h5py client libraries' own test suites on real h5py and on zarr5 bound as h5py.

    python tools/client_suites.py build              # make .venvs/clients-h5 (the install script does)
    python tools/client_suites.py run                # every suite, both implementations, print counts
    python tools/client_suites.py run --suite h5netcdf -k "roundtrip"

The clients are h5netcdf (its ``h5netcdf/tests/test_h5netcdf.py``), hdmf (its
``tests/unit/test_io_hdf5*.py``) and pynwb (its ``tests/integration/hdf5``: NWBHDF5IO round trips of
each neurodata type), all from their PyPI sdists, in a scratch interpreter with pinned versions (which
also holds anndata for docs/h5py-libraries.md). Each suite runs twice in a fresh copy of its test
files: once as shipped (real h5py, files are HDF5) and once under ``python -m zarr5 run --as h5py -m
pytest`` (every ``import h5py`` gives zarr5's vocabulary, files are zarr stores); the clients' code runs
unchanged. The goal is stated per suite: of
the tests that pass on real h5py, the share that passes on zarr5.

netCDF4, h5pyd and pyfive are not installed: the tests that need them check h5netcdf's files with other
HDF5 readers (the netCDF-C library, an HDF5 REST server), which read HDF5 bytes, not a zarr store.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venvs" / "clients-h5"
SOURCES = VENV / "sdists"

# every package of the scratch interpreter, pinned (h5netcdf, hdmf, pytest, zarr5's own dependencies;
# anndata, pynwb and zarr-python 2 for docs/h5py-libraries.md and `zarr5 demo`: anndata needs pandas < 3)
PINS = [
    "h5netcdf==1.8.2", "hdmf==6.2.0", "pytest==9.0.3", "h5py==3.16.0", "numpy==2.4.6",
    "numcodecs==0.15.1", "fasteners==0.20", "crc32c==2.9.post0", "packaging==26.4", "pandas==2.3.3",
    "pytz==2026.6", "anndata==0.12.19", "pynwb==4.2.0", "zarr==2.18.7", "asciitree==1.0.0",
    "scipy==1.17.1", "array-api-compat==1.16.0", "legacy-api-wrap==1.5", "natsort==8.4.0",
    "scverse-misc==0.0.3", "session-info2==0.4.1", "platformdirs==4.14.9",
    "jsonschema==4.26.0", "jsonschema-specifications==2025.9.1", "referencing==0.37.0",
    "rpds-py==2026.9.1", "ruamel.yaml==0.19.1", "attrs==26.1.0", "Deprecated==1.3.1", "wrapt==2.5.2",
    "iniconfig==2.3.1", "pluggy==1.7.0", "Pygments==2.21.0", "python-dateutil==4.0.0",
    "typing_extensions==4.16.0", "tzdata==2026.6", "msgpack==1.2.4",
]
SDISTS = {"h5netcdf": "h5netcdf==1.8.2", "hdmf": "hdmf==6.2.0", "pynwb": "pynwb==4.2.0"}

# suite -> (sdist directory name, test files inside it, pytest options)
SUITES = {
    "h5netcdf": ("h5netcdf-1.8.2", ["h5netcdf/tests/test_h5netcdf.py"], []),
    "hdmf": ("hdmf-6.2.0", ["tests/unit/test_io_hdf5.py", "tests/unit/test_io_hdf5_h5tools.py",
                            "tests/unit/test_io_hdf5_streaming.py"], []),
    # NWB round trips of every neurodata type through NWBHDF5IO (write, read back, compare)
    "pynwb": ("pynwb-4.2.0", ["tests/integration/hdf5"], []),
}
# a quick subset for CI: test-name patterns per suite (pytest -k), covering each client's main paths
FAST = {
    "h5netcdf": "test_roundtrip_local or test_dimensions or test_enum_type or test_attrs_api "
                "or test_reading_unlimited_dimensions_created_with_h5py or test_is_scale",
    "hdmf": "TestRoundTrip or TestHDF5IO or H5DataIOTests or TestDatasetRefs or TestMultiWrite "
            "or TestReadLink or TestCpdDatasetRefs",
    "pynwb": "test_ecephys or test_base",
}


def python() -> Path:
    return VENV / "bin" / "python"


def build() -> None:
    """Create the interpreter with the pinned packages and unpack the two sdists (for their tests)."""
    if not python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python()), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PINS],
                   check=True)
    SOURCES.mkdir(parents=True, exist_ok=True)
    for name, pin in SDISTS.items():
        folder = SOURCES / SUITES[name][0]
        if folder.exists():
            continue
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([str(python()), "-m", "pip", "download", "-q", "--disable-pip-version-check",
                            "--no-deps", "--no-binary", ":all:", "-d", tmp, pin], check=True)
            (archive,) = Path(tmp).glob("*.tar.gz")
            with tarfile.open(archive) as tar:
                tar.extractall(SOURCES, filter="data")


def _outcomes(junit: Path) -> dict[str, str]:
    """test id -> 'passed', 'failed', 'skipped' or 'xfailed' from a pytest junit report."""
    out: dict[str, str] = {}
    if not junit.exists():
        return out
    for case in ET.parse(junit).getroot().iter("testcase"):
        tid = f"{case.get('classname')}::{case.get('name')}"
        kinds = {child.tag for child in case}
        if "failure" in kinds or "error" in kinds:
            out[tid] = "failed"
        elif "skipped" in kinds:
            skip = case.find("skipped")
            out[tid] = "xfailed" if skip is not None and skip.get("type") == "pytest.xfail" else "skipped"
        else:
            out[tid] = "passed"
    return out


def run_suite(suite: str, impl: str, keyword: str | None = None, timeout: int = 1800) -> dict[str, str]:
    """Run one suite on ``impl`` ('h5py' or 'zarr5') in a fresh copy of its tests; per-test outcomes."""
    folder, files, opts = SUITES[suite]
    src = SOURCES / folder
    if not src.exists():
        raise SystemExit(f"{src} missing: run tools/install_test_deps.sh (or {sys.argv[0]} build)")
    with tempfile.TemporaryDirectory(prefix=f"client-{suite}-{impl}-") as tmp:
        work = Path(tmp) / folder
        shutil.copytree(src, work)
        junit = Path(tmp) / "report.xml"
        args = ["-m", "pytest", *files, "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                f"--junitxml={junit}", "--rootdir", str(work), *opts]
        if keyword:
            args += ["-k", keyword]
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        # the sdist root: its test helpers (hdmf's ``tests`` package) import from there
        env["PYTHONPATH"] = str(work)
        if impl == "zarr5":
            env["PYTHONPATH"] += os.pathsep + str(ROOT)  # this checkout's zarr5
            args = ["-m", "zarr5", "run", "--as", "h5py", *args]
        subprocess.run([str(python()), *args], cwd=work, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=timeout)
        return _outcomes(junit)


def compare(real: dict[str, str], ours: dict[str, str]) -> dict:
    passing = [t for t, o in real.items() if o == "passed"]
    kept = [t for t in passing if ours.get(t) == "passed"]
    return {"real_passed": len(passing), "zarr5_passed_of_those": len(kept),
            "zarr5_passed": sum(o == "passed" for o in ours.values()),
            "share": len(kept) / len(passing) if passing else 0.0,
            "lost": sorted(t for t in passing if ours.get(t) != "passed")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help=f"make {VENV.relative_to(ROOT)} with the pinned clients and their tests")
    p_run = sub.add_parser("run", help="run the suites on real h5py and on zarr5, print both counts")
    p_run.add_argument("--suite", choices=[*SUITES, "all"], default="all")
    p_run.add_argument("--fast", action="store_true", help="the quick subset CI runs")
    p_run.add_argument("-k", dest="keyword", help="pytest -k expression (overrides --fast)")
    p_run.add_argument("--json", dest="json_path", help="also write the results (with lost tests) here")
    args = parser.parse_args(argv)
    if args.command == "build":
        build()
        return 0
    if not python().exists():
        build()
    results = {}
    for suite in SUITES if args.suite == "all" else [args.suite]:
        keyword = args.keyword or (FAST[suite] if args.fast else None)
        real = run_suite(suite, "h5py", keyword)
        ours = run_suite(suite, "zarr5", keyword)
        res = compare(real, ours)
        results[suite] = res
        print(f"{suite}: real h5py passed {res['real_passed']}; zarr5 passed {res['zarr5_passed_of_those']} "
              f"of those ({res['share']:.1%}), {res['zarr5_passed']} in all")
        for tid in res["lost"]:
            print(f"  lost on zarr5: {tid}")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
