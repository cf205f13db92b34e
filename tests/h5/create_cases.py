"""create_dataset calls whose stored result is pinned (tests/h5/test_h5_create_stored.py).

``python tests/h5/create_cases.py OUT.json`` records what the zarr5 on ``sys.path`` stores for each case:
every key of the store after the File is closed, documents as their text, chunks as a digest. The
recording in tests/h5/data/create_stored.json was made by the zarr5 of main before create_dataset's lean
path (issue 20), so the test holds the lean path to byte-identical stores.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import Any

import numpy as np

DOCUMENTS = (".zarray", ".zattrs", ".zgroup", "zarr.json")


def _calls(h5py: Any) -> list[tuple[str, dict]]:
    """(name, create_dataset keywords), run in order in one File."""
    ramp = np.arange(100, dtype="f8")
    return [
        ("f8_data", {"data": ramp}),
        ("i4_data", {"data": np.arange(37, dtype="i4")}),
        ("u1_2d", {"data": np.arange(60, dtype="u1").reshape(6, 10)}),
        ("c16", {"data": np.arange(8) * (1 + 2j)}),
        ("bool", {"data": np.array([True, False, True])}),
        ("scalar", {"data": np.float32(2.5)}),
        ("shape_only", {"shape": (30, 4), "dtype": "f4"}),
        ("chunked", {"data": ramp, "chunks": (32,)}),
        ("chunked_2d", {"shape": (50, 20), "dtype": "i2", "chunks": (10, 20)}),
        ("chunks_true", {"shape": (1000,), "dtype": "f8", "chunks": True}),
        ("gzip", {"data": ramp, "compression": "gzip"}),
        ("gzip_opts", {"data": ramp, "compression": "gzip", "compression_opts": 7, "shuffle": True}),
        ("lzf", {"data": ramp, "compression": "lzf"}),
        ("fletcher", {"data": ramp, "fletcher32": True}),
        ("fill", {"shape": (10,), "dtype": "i8", "fillvalue": 42}),
        ("fill_f", {"data": ramp[:7], "fillvalue": -1.5}),
        ("maxshape", {"data": ramp, "maxshape": (None,)}),
        ("maxshape_2d", {"shape": (4, 5), "dtype": "f8", "maxshape": (10, None)}),
        ("track", {"data": ramp, "track_order": True}),
        ("grp/nested", {"data": ramp}),
        ("grp/sub/deep", {"shape": (3,), "dtype": "u2"}),
        ("fixed_str", {"data": np.array([b"ab", b"cde"])}),
        ("empty_shape", {"shape": (0,), "dtype": "f8"}),
        ("compound", {"data": np.array([(1, 2.0), (3, 4.0)], dtype=[("a", "i4"), ("b", "f8")])}),
        ("data_dtype", {"data": [1, 2, 3], "dtype": "f4"}),
        ("reshaped", {"data": np.arange(12, dtype="i4"), "shape": (3, 4)}),
        ("zeros", {"data": np.zeros(10)}),
        ("all_fill", {"data": np.full(5, 42, dtype="i8"), "fillvalue": 42}),
        ("strided", {"data": ramp[::2]}),
        ("big_endian", {"data": ramp.astype(">f8")}),
        ("fortran", {"data": np.asfortranarray(np.arange(12.0).reshape(3, 4))}),
        ("cast", {"data": ramp, "dtype": "f4"}),
        ("list_data", {"data": [[1, 2], [3, 4]]}),
        ("vlen_str", {"data": np.array(["a", "bcd"], dtype=object),
                      "dtype": h5py.string_dtype()}),
    ]


def _v3_calls(h5py: Any) -> list[tuple[str, dict]]:
    ramp = np.arange(100, dtype="f8")
    return [
        ("f8_data", {"data": ramp}),
        ("bool", {"data": np.array([True, False, True])}),
        ("scalar", {"data": np.float32(2.5)}),
        ("chunks_true", {"shape": (1000,), "dtype": "f8", "chunks": True}),
        ("gzip_opts", {"data": ramp, "compression": "gzip", "compression_opts": 7}),
        ("big_endian", {"data": ramp.astype(">f8")}),
        ("zeros", {"data": np.zeros(10)}),
        ("vlen_str", {"data": np.array(["a", "bcd"], dtype=object), "dtype": h5py.string_dtype()}),
        ("empty_shape", {"shape": (0,), "dtype": "f8"}),
        ("shape_only", {"shape": (30, 4), "dtype": "f4"}),
        ("chunked", {"data": ramp, "chunks": (32,)}),
        ("gzip", {"data": ramp, "compression": "gzip"}),
        ("fill", {"shape": (10,), "dtype": "i8", "fillvalue": 42}),
        ("maxshape", {"data": ramp, "maxshape": (None,)}),
        ("track", {"data": ramp, "track_order": True}),
        ("grp/nested", {"data": ramp}),
    ]


def _contents(root: str) -> dict[str, str]:
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            key = os.path.relpath(full, root).replace(os.sep, "/")
            with open(full, "rb") as f:
                raw = f.read()
            if name in DOCUMENTS:
                out[key] = raw.decode()
                continue
            if raw[:2] == b"\x1f\x8b":
                raw = raw[:4] + bytes(4) + raw[8:]  # a gzip time stamp (v3 gzip codec) differs per run
            out[key] = "sha1:" + hashlib.sha1(raw).hexdigest()
    return dict(sorted(out.items()))


def record(where: str) -> dict[str, Any]:
    """Run every case under ``where`` and return {file case: {key: text or digest}}."""
    import zarr5 as h5py

    results: dict[str, Any] = {}
    files: list[tuple[str, dict, list]] = [
        ("v2", {}, _calls(h5py)),
        ("v2_track", {"track_order": True}, _calls(h5py)),
        ("v3", {"zarr_format": 3}, _v3_calls(h5py)),
        ("v3_track", {"zarr_format": 3, "track_order": True}, _v3_calls(h5py)),
    ]
    for label, file_kwds, calls in files:
        path = os.path.join(where, label + ".zarr")
        with h5py.File(path, "w", **file_kwds) as f:
            for name, kwds in calls:
                f.create_dataset(name, **kwds)
            # a group made first, then filled: creation inside a non-root group
            g = f.create_group("made")
            g.create_dataset("inside", data=np.arange(5, dtype="i8"))
            g.create_dataset("inside_chunked", shape=(9,), dtype="f4", chunks=(4,))
        results[label] = _contents(path)
    return results


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        found = record(tmp)
    with open(sys.argv[1], "w") as out:
        json.dump(found, out, indent=1, sort_keys=True)
        out.write("\n")
