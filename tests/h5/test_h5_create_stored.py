"""create_dataset stores exactly what it stored before its lean path (issue 20): same keys, documents
byte for byte, same chunk bytes, over a spread of calls (dtypes, chunks given or not, compression,
fillvalue, maxshape, data or shape only, track_order, nested names, v2 and v3 files)."""

from __future__ import annotations

import json
import os

import pytest

from tests.h5 import create_cases

RECORDED = os.path.join(os.path.dirname(__file__), "data", "create_stored.json")


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return create_cases.record(str(tmp_path_factory.mktemp("create")))


@pytest.fixture(scope="module")
def recorded() -> dict:
    with open(RECORDED) as f:
        return json.load(f)


@pytest.mark.parametrize("label", ["v2", "v2_track", "v3", "v3_track"])
def test_same_keys_and_bytes(stored: dict, recorded: dict, label: str) -> None:
    now, then = stored[label], recorded[label]
    assert sorted(now) == sorted(then)
    for key in then:
        assert now[key] == then[key], key


def test_recording_covers_the_spread(recorded: dict) -> None:
    # the recording holds compressed, filtered, resizable and tracked datasets in both formats
    v2 = recorded["v2"]
    assert '"id": "zlib"' in v2["gzip/.zarray"] and "_zarr5_maxshape" in v2["maxshape/.zattrs"]
    assert "_zarr5_order" in recorded["v2_track"][".zattrs"]
    assert '"node_type": "array"' in recorded["v3"]["f8_data/zarr.json"]
