"""Repository-level checks run with the suite: import-layer contracts, ruff, mypy, README examples."""

from __future__ import annotations

import doctest
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_import_layers_hold() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed (pip install '.[test]')")
    result = subprocess.run([exe, "--config", str(ROOT / "setup.cfg")], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_clean() -> None:
    exe = shutil.which("ruff")
    if exe is None:
        pytest.skip("ruff is not installed (pip install '.[test]')")
    result = subprocess.run([exe, "check", "zarr5", "tests", "tools", "compat"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean() -> None:
    exe = shutil.which("mypy")
    if exe is None:
        pytest.skip("mypy is not installed (pip install '.[test]')")
    # the project's configuration (pyproject.toml [tool.mypy]) names what is checked
    result = subprocess.run([exe, "--config-file", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_one_version_string() -> None:
    import zarr5
    from zarr5 import release

    # pyproject reads the version from zarr5/release.py; nothing else in the package writes it
    assert 'attr = "zarr5.release.__version__"' in (ROOT / "pyproject.toml").read_text()
    assert zarr5.__version__ == zarr5.version.zarr5_version == release.__version__
    written = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "zarr5").rglob("*.py"))
               if f'"{release.__version__}"' in p.read_text(encoding="utf-8")]
    assert written == ["zarr5/release.py"]


def test_readme_examples_run(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = (ROOT / "README.md").read_text()
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {}, "README.md", str(ROOT / "README.md"), 0)
    assert test.examples, "README.md has no examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0


def test_cli_demo_runs(tmp_path) -> None:
    result = subprocess.run([sys.executable, "-m", "zarr5", "demo", "--path", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # the h5py program ran on the zarr store through the install hook, and every check passed
    assert "[ok] h5py here is zarr5's File" in result.stdout
    assert "[FAILED]" not in result.stdout and "all checks passed" in result.stdout
    assert "temperature (121, 45, 90) float32" in result.stdout  # the program's resize, seen by zarr
    assert "Chunks initialized : 10/10" in result.stdout
