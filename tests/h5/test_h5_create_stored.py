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


def test_group_deleted_behind_its_handle_is_made_again(tmp_path: os.PathLike) -> None:
    # the lean path skips the parent probes only for a parent it found stored: a handle whose group
    # was deleted through another one still gets its groups written again, as before
    import numpy as np

    import zarr5 as h5py

    path = os.path.join(str(tmp_path), "f.zarr")
    with h5py.File(path, "w") as f:
        g = f.create_group("a/b")
        del f["a"]
        g.create_dataset("x", data=np.arange(3))
        assert f["a/b/x"][()].tolist() == [0, 1, 2]
    for key in ("a/.zgroup", "a/b/.zgroup", "a/b/x/.zarray", "a/b/x/0"):
        assert os.path.exists(os.path.join(path, key)), key


def test_parent_changed_by_another_writer_is_seen(tmp_path: os.PathLike) -> None:
    # a File probes a parent group once, then checks by one stat per document that it is unchanged:
    # a link or a deletion written by another writer (here the zarr vocabulary, which writes through)
    # is seen by the next creation
    import numpy as np

    import zarr5 as h5py
    from zarr5.h5.base import R_LINKS
    from zarr5.h5.links import link_record

    path = os.path.join(str(tmp_path), "f.zarr")
    with h5py.File(path, "w") as f:
        g = f.create_group("g")
        f.create_dataset("a", data=np.arange(3))
        g.create_dataset("x", data=np.arange(3))
        f.flush()
        root = zarr5_group(path)
        root.attrs.set_reserved({R_LINKS: {"b": link_record(h5py.SoftLink("/a"))}})
        with pytest.raises(ValueError, match="name already exists"):
            f.create_dataset("b", data=np.arange(2))
        assert f["b"][()].tolist() == [0, 1, 2]  # the link, as the other writer made it
        import shutil

        shutil.rmtree(os.path.join(path, "g"))  # the group is gone from the store
        g.create_dataset("y", data=np.arange(4))  # made again, as for a group deleted through f
        assert f["g/y"][()].tolist() == [0, 1, 2, 3]
    assert os.path.exists(os.path.join(path, "g", ".zgroup"))


def zarr5_group(path: str):
    import zarr5

    return zarr5.open_group(path, mode="r+")


def test_metadata_json_cannot_hold_fails_at_create_not_at_flush(tmp_path: os.PathLike) -> None:
    # a new dataset's .zarray waits unencoded for flush, so what JSON cannot hold must be refused when
    # the metadata is made: here a codec whose settings hold an object
    import numcodecs
    import numpy as np
    from numcodecs.abc import Codec

    import zarr5 as h5py

    class Odd(Codec):
        codec_id = "zarr5-test-odd"

        def __init__(self, token: object = None) -> None:
            self.token = object() if token is None else token

        def encode(self, buf):  # pragma: no cover - never reached
            return buf

        def decode(self, buf, out=None):  # pragma: no cover - never reached
            return buf

    numcodecs.register_codec(Odd)
    path = os.path.join(str(tmp_path), "f.zarr")
    with h5py.File(path, "w") as f:
        with pytest.raises(TypeError, match="not JSON serializable"):
            f.create_dataset("odd", data=np.arange(4.0), compression=Odd())
        f.create_dataset("ok", data=np.arange(4.0))
        f.flush()  # nothing unencodable was kept back
        assert "odd" not in f
    assert not os.path.exists(os.path.join(path, "odd", ".zarray"))
    assert os.path.exists(os.path.join(path, "ok", ".zarray"))
