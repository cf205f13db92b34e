"""Interop with real zarr-python 3, which cannot share this environment (zarr 2 is installed here), so
it runs in its own: the python named by ZARR5_ZARR3_PYTHON, else ``.venvs/zarr3`` (zarr==3.1.6), which
``tools/install_test_deps.sh`` builds.

One subprocess does all of zarr-python 3's work at once: it reads every store zarr5's format layer
wrote, writes data into stores holding only zarr5's metadata, and creates arrays with its own API from
the arguments behind the golden documents. The tests then compare values and documents."""

from __future__ import annotations

import json
import pathlib
import subprocess

import numpy as np
import pytest
from v3_helpers import (
    GOLDEN_ARGS,
    INTEROP_CASES,
    ZARR3_MISSING,
    case_data,
    case_meta,
    make_data,
    read_store,
    write_store,
)
from v3_helpers import zarr3_python as find_zarr3

from zarr5.metadata.v3 import ArrayMetadataV3, build_v3_metadata

ZARR3 = find_zarr3()
pytestmark = pytest.mark.skipif(ZARR3 is None, reason=ZARR3_MISSING)

# zarr-python 3 arguments behind each golden array document (its own API, so its own defaults apply)
NATIVE = {
    "f4_nan_dims_attrs": "dict(shape=(10, 7), chunks=(4, 4), dtype='f4', fill_value=np.nan, "
                         "dimension_names=['x', None], attributes={'u': 1, 's': 't', "
                         "'nested': {'a': [1, 2.5, None]}})",
    "i2_sharded_blosc": "dict(shape=(10, 7), chunks=(2, 2), shards=(4, 4), dtype='i2', "
                        "compressors=zarr.codecs.BloscCodec(cname='zstd', clevel=5, shuffle='shuffle'))",
    "c16_v2_keys": "dict(shape=(5,), chunks=(2,), dtype='c16', fill_value=1 + 2j, "
                   "chunk_key_encoding={'name': 'v2', 'separator': '.'})",
    "bool_0d": "dict(shape=(), dtype='bool')",
    "u8_no_compressor": "dict(shape=(3,), chunks=(3,), dtype='u8', compressors=None)",
    "u1_gzip": "dict(shape=(100,), chunks=(30,), dtype='u1', fill_value=7, "
               "compressors=zarr.codecs.GzipCodec(level=3))",
    "i8_zstd_checksum": "dict(shape=(4, 4), chunks=(2, 2), dtype='i8', "
                        "compressors=zarr.codecs.ZstdCodec(level=5, checksum=True))",
    "f8_sharded_start": "dict(shape=(8, 8), chunks=(2, 4), dtype='f8', "
                        "shards={'shape': (4, 8), 'index_location': 'start'})",
    "f2_neg_inf": "dict(shape=(6,), chunks=(4,), dtype='f2', fill_value=-np.inf)",
    "i4_transpose": "dict(shape=(6, 4), chunks=(3, 2), dtype='i4', compressors=None, "
                    "filters=zarr.codecs.TransposeCodec(order=(1, 0)))",
}


def _raw_bytes_meta() -> ArrayMetadataV3:
    # zarr-python 3 spells raw bits as its 'raw_bytes' extension, not the core r<bits>
    return build_v3_metadata((7, 2), (3, 2), "V3", b"abc", compressor=None).replace(raw_spelling="raw_bytes")


# cases only zarr-python 3 takes part in (tensorstore has no raw bytes type)
ZARR3_ONLY = {"raw_bytes_V3": (_raw_bytes_meta, lambda: make_data((7, 2), "V3", seed=3))}
CASES = list(INTEROP_CASES) + list(ZARR3_ONLY)


def _case(name: str) -> tuple[ArrayMetadataV3, np.ndarray]:
    if name in ZARR3_ONLY:
        meta, data = ZARR3_ONLY[name]
        return meta(), data()
    return case_meta(name), case_data(name)


SCRIPT = r"""
import json, sys, traceback, warnings
import numpy as np
import zarr
warnings.simplefilter("ignore")
jobs = json.load(open(sys.argv[1]))
errors = {}
for kind, path, extra in jobs:
    try:
        if kind == "read":
            np.save(path + ".zarr3.npy", np.asarray(zarr.open_array(path, mode="r")[...]))
        elif kind == "write":
            zarr.open_array(path, mode="r+")[...] = np.load(path + ".data.npy")
        else:
            arr = zarr.create_array(path, **eval(extra))
            arr[...] = np.load(path + ".data.npy")
    except Exception:
        errors[path] = traceback.format_exc()
json.dump({"errors": errors, "version": zarr.__version__}, open(sys.argv[1] + ".out", "w"))
"""


@pytest.fixture(scope="module")
def zarr3_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Prepare every store, run zarr-python 3 once over all of them, and return where things are."""
    root = tmp_path_factory.mktemp("zarr3")
    jobs = []
    for name in CASES:
        meta, data = _case(name)
        write_store(root / "ours" / name, meta, data)
        jobs.append(("read", str(root / "ours" / name), None))
        write_store(root / "theirs" / name, meta, None)
        np.save(str(root / "theirs" / name) + ".data.npy", data)
        jobs.append(("write", str(root / "theirs" / name), None))
    (root / "native").mkdir()
    for name, kwargs in NATIVE.items():
        meta = GOLDEN_ARGS[name]()
        data = make_data(meta.shape, meta.dtype, seed=len(name))
        np.save(str(root / "native" / name) + ".data.npy", data)
        jobs.append(("create", str(root / "native" / name), kwargs))
    (root / "jobs.json").write_text(json.dumps(jobs))
    (root / "run.py").write_text(SCRIPT)
    proc = subprocess.run([ZARR3, str(root / "run.py"), str(root / "jobs.json")], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((root / "jobs.json.out").read_text())
    return {"root": root, **result}


def _check_ok(run: dict, path: pathlib.Path) -> None:
    error = run["errors"].get(str(path))
    assert error is None, f"zarr-python {run['version']} failed on {path}:\n{error}"


@pytest.mark.parametrize("name", CASES)
def test_zarr3_reads_zarr5(zarr3_run: dict, name: str) -> None:
    path = zarr3_run["root"] / "ours" / name
    _check_ok(zarr3_run, path)
    got = np.load(str(path) + ".zarr3.npy")
    expected = _case(name)[1]
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert got.tobytes() == expected.tobytes()


@pytest.mark.parametrize("name", CASES)
def test_zarr5_reads_zarr3(zarr3_run: dict, name: str) -> None:
    path = zarr3_run["root"] / "theirs" / name
    _check_ok(zarr3_run, path)
    expected = np.load(str(path) + ".data.npy")
    assert read_store(path).tobytes() == expected.tobytes()
    assert read_store(path, partial_shards=False).tobytes() == expected.tobytes()


@pytest.mark.parametrize("name", list(NATIVE))
def test_zarr3_created_arrays(zarr3_run: dict, name: str) -> None:
    path = zarr3_run["root"] / "native" / name
    _check_ok(zarr3_run, path)
    written = (path / "zarr.json").read_bytes()
    # the document zarr5 builds from the equivalent zarr-2-style arguments is the same bytes
    assert GOLDEN_ARGS[name]().encode() == written
    meta = ArrayMetadataV3.decode(written)
    assert meta.encode() == written
    expected = np.load(str(path) + ".data.npy")
    assert read_store(path).tobytes() == expected.tobytes()
