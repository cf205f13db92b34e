"""zarr5.install binds a vocabulary under a library's name for the whole process (each test in a fresh
interpreter, since the binding is process-wide)."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def test_h5py_bound_while_real_hdf5_still_opens(tmp_path) -> None:
    out = _run("""
        import sys, numpy as np, zarr5
        zarr5.install("h5py")
        import h5py
        assert h5py.__zarr5_vocabulary__ and h5py.File is zarr5.File
        assert not isinstance(np.zeros(1), h5py.Dataset)      # no recursion through sys.modules
        real = zarr5.hdf5lib.real_h5py()
        assert real is not h5py and real.__name__ == "h5py"
        path = sys.argv[1] + "/real.h5"
        with real.File(path, "w") as f:                       # h5py's lazy imports find h5py's modules
            d = f.create_dataset("x", data=np.arange(4)); d.attrs["a"] = 1
            s = f.create_dataset("t", data=np.arange(4)); s.make_scale("t"); d.dims[0].attach_scale(s)
        with zarr5.File(path, "r") as f:                      # zarr5 hands HDF5 to the real h5py
            assert isinstance(f, real.File)
            assert f["x"][:].tolist() == [0, 1, 2, 3] and f["x"].attrs["a"] == 1
        with h5py.File(sys.argv[1] + "/store.zarr", "w") as f:
            f["y"] = np.arange(3)
        print("ok")
    """, str(tmp_path))
    assert out.stdout.strip() == "ok"


def test_zarr_bound_answers_imports_and_metadata() -> None:
    out = _run("""
        import importlib.metadata, zarr5
        zarr5.install("zarr")
        import zarr, zarr.storage
        from zarr.storage import DirectoryStore
        assert zarr.__zarr5_vocabulary__ and zarr.storage is zarr5.zarr2.storage
        dist = importlib.metadata.distribution("zarr")
        print(importlib.metadata.version("zarr"), "zarr5" in dist.metadata["Summary"])
    """)
    assert out.stdout.split() == ["2.18.7", "True"]


def test_unknown_vocabulary_is_refused() -> None:
    out = _run("""
        import zarr5
        try:
            zarr5.install("netCDF4")
        except ValueError as e:
            print(e)
    """)
    assert "no zarr5 vocabulary for 'netCDF4'" in out.stdout


def test_run_command_binds_for_a_script(tmp_path) -> None:
    script = tmp_path / "prog.py"
    # the vocabulary's classes report h5py's module names while bound (clients tell h5py objects by them)
    script.write_text("import sys, h5py\n"
                      "print(h5py.__zarr5_vocabulary__, h5py.File.__module__, sys.argv[1:])\n")
    result = subprocess.run([sys.executable, "-m", "zarr5", "run", "--as", "h5py", str(script), "a", "b"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "h5py._hl.files", "['a',", "'b']"]
