"""The h5py vocabulary's chunk cache: h5py's write-back semantics over a zarr store."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import zarr5
from zarr5.h5 import File

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _stored_chunks(path, name):
    # the node's directory appears with its first stored key (its metadata wait for flush too)
    folder = os.path.join(path, name)
    return sorted(k for k in os.listdir(folder) if not k.startswith(".")) if os.path.isdir(folder) else []


def test_partial_writes_reach_the_store_at_flush(tmp_path):
    path = str(tmp_path / "a.zarr")
    with File(path, "w") as f:
        d = f.create_dataset("x", shape=(100,), chunks=(10,), dtype="i8", fillvalue=-1)
        for i in range(0, 100, 3):
            d[i] = i
        assert _stored_chunks(path, "x") == []  # all ten chunks are still in the cache, dirty
        expected = np.full(100, -1)
        expected[::3] = np.arange(0, 100, 3)
        np.testing.assert_array_equal(d[...], expected)  # this File sees its own writes
        f.flush()
        assert len(_stored_chunks(path, "x")) == 10
        # seen after flush by a second File and by the zarr vocabulary
        with File(path, "r") as g:
            np.testing.assert_array_equal(g["x"][...], expected)
        np.testing.assert_array_equal(zarr5.open(path, mode="r")["x"][...], expected)


def test_close_and_garbage_collection_write_back(tmp_path):
    for how in ("close", "gc"):
        path = str(tmp_path / f"{how}.zarr")
        f = File(path, "w")
        d = f.create_dataset("x", shape=(20,), chunks=(10,), dtype="f4")
        d[3] = 7.5
        d[15] = 1.5
        del d
        if how == "close":
            f.close()
        else:
            del f
            gc.collect()
        got = zarr5.open(path, mode="r")["x"][...]
        assert got[3] == 7.5 and got[15] == 1.5, how


def test_eviction_writes_back_and_whole_chunks_bypass(tmp_path):
    path = str(tmp_path / "a.zarr")
    # room for two 80-byte chunks
    with File(path, "w", rdcc_nbytes=160) as f:
        d = f.create_dataset("x", shape=(50,), chunks=(10,), dtype="i8")
        d[0] = 1
        d[10] = 2
        assert _stored_chunks(path, "x") == []
        d[20] = 3  # a third chunk: the least recently used one (0) is written back
        assert _stored_chunks(path, "x") == ["0"]
        d[30:40] = np.arange(10)  # a whole chunk is stored at once
        assert _stored_chunks(path, "x") == ["0", "3"]
        np.testing.assert_array_equal(d[:40], [1] + [0] * 9 + [2] + [0] * 9 + [3] + [0] * 9 + list(range(10)))


def test_rdcc_nslots_are_hash_slots_and_colliding_chunks_evict(tmp_path):
    # HDF5's rdcc_nslots sizes a hash table: a chunk whose slot is taken evicts the chunk there, even
    # with bytes to spare; a 1-D chunk's slot is its index modulo nslots
    path = str(tmp_path / "a.zarr")
    with File(path, "w", rdcc_nslots=3) as f:
        d = f.create_dataset("x", shape=(100,), chunks=(10,), dtype="i8")
        for i in (0, 10, 20):  # chunks 0, 1, 2: slots 0, 1, 2
            d[i] = 1
        assert _stored_chunks(path, "x") == []
        d[30] = 1  # chunk 3 takes slot 0: chunk 0 is written back
        assert _stored_chunks(path, "x") == ["0"]
        d[41] = 1  # chunk 4 takes slot 1: chunk 1 goes
        assert _stored_chunks(path, "x") == ["0", "1"]
        np.testing.assert_array_equal(d[::10], [1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
        # 2-D: the hash shifts the first coordinate by the bits of axis 1's chunk count (4 -> 2 bits)
        e = f.create_dataset("y", shape=(4, 8), maxshape=(4, None), chunks=(1, 2), dtype="i1",
                             rdcc_nslots=5)
        e[0, 2] = 1  # chunk (0, 1): (0 << 2) ^ 1 = 1, slot 1
        e[1, 2] = 1  # chunk (1, 1): (1 << 2) ^ 1 = 5, slot 0
        e[1, 4] = 1  # chunk (1, 2): (1 << 2) ^ 2 = 6, slot 1, taken by (0, 1)
        assert _stored_chunks(path, "y") == ["0.1"]
        # a resize changes the bits (8 columns of chunks: 3 bits), and the kept chunks are rehashed:
        # (1, 1) -> 9 % 5 = 4 and (1, 2) -> 10 % 5 = 0 share no slot, so both stay
        e.resize((4, 16))
        assert _stored_chunks(path, "y") == ["0.1"]
        e[0, 8] = 1  # chunk (0, 4): (0 << 3) ^ 4 = 4, slot 4, taken by (1, 1)
        assert _stored_chunks(path, "y") == ["0.1", "1.1"]
    with File(path, "r") as f:
        assert f["x"][::10].tolist() == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
        assert f["y"][...].sum() == 4


def test_rdcc_nbytes_zero_writes_through(tmp_path):
    path = str(tmp_path / "a.zarr")
    with File(path, "w", rdcc_nbytes=0) as f:
        d = f.create_dataset("x", shape=(20,), chunks=(10,), dtype="i4")
        d[5] = 5
        assert _stored_chunks(path, "x") == ["0"]
    with File(path, "w") as f:
        d = f.create_dataset("x", shape=(20,), chunks=(10,), dtype="i4", rdcc_nbytes=0)
        e = f.create_dataset("y", shape=(20,), chunks=(10,), dtype="i4")
        d[5] = 5
        e[5] = 5
        assert _stored_chunks(path, "x") == ["0"]  # the dataset's own keyword
        assert _stored_chunks(path, "y") == []


def test_handles_of_one_file_share_the_cache_and_see_resizes(tmp_path):
    path = str(tmp_path / "a.zarr")
    with File(path, "w") as f:
        d = f.create_dataset("x", shape=(0, 3), maxshape=(None, 3), chunks=(4, 3), dtype="i2")
        other = f["x"]
        for n in range(10):
            d.resize(n + 1, axis=0)
            d[n] = [n, n, n]
            assert other.shape == (n + 1, 3)  # a resize through another handle is seen at once
            np.testing.assert_array_equal(other[n], [n, n, n])  # and its cached writes too
        other[2, 1] = 99
        assert d[2, 1] == 99
        # shrinking drops the chunks outside, cached ones included (not written back later)
        d.resize(4, axis=0)
        f.flush()
        assert _stored_chunks(path, "x") == ["0.0"]
        d.resize(10, axis=0)
        np.testing.assert_array_equal(d[4:, 0], [0] * 6)


def test_deleted_dataset_chunks_are_not_written_back(tmp_path):
    path = str(tmp_path / "a.zarr")
    with File(path, "w") as f:
        d = f.create_dataset("x", shape=(20,), chunks=(10,), dtype="i8")
        d[1] = 11
        del f["x"]
        f.create_dataset("x", shape=(20,), chunks=(5,), dtype="f8")
    got = zarr5.open(path, mode="r")["x"]
    assert got.dtype == np.float64 and got.nchunks_initialized == 0
    np.testing.assert_array_equal(got[...], np.zeros(20))


def test_move_and_copy_take_cached_writes_along(tmp_path):
    path = str(tmp_path / "a.zarr")
    with File(path, "w") as f:
        d = f.create_dataset("x", shape=(20,), chunks=(10,), dtype="i8")
        d[1] = 11
        f.copy("x", "y")
        f.move("x", "z")
        assert f["y"][1] == 11 and f["z"][1] == 11
    with File(path, "r") as f:
        assert f["y"][1] == 11 and f["z"][1] == 11 and "x" not in f


def test_bad_cache_keywords_are_refused(tmp_path):
    for kwds, word in (({"rdcc_nbytes": -1}, "rdcc_nbytes"), ({"rdcc_nslots": "x"}, "rdcc_nslots"),
                       ({"rdcc_w0": 2}, "rdcc_w0")):
        with pytest.raises(ValueError, match=word):
            File(str(tmp_path / "bad.zarr"), "w", **kwds)
        assert not os.path.exists(tmp_path / "bad.zarr")  # refused before anything was made


_CHILD = textwrap.dedent("""
    import sys, time
    import numpy as np
    from zarr5.h5 import File
    path = sys.argv[1]
    f = File(path, "r+", rdcc_nbytes=3 * 800)
    d = f["x"]
    for i in range(0, 1000, 7):  # partial writes to every chunk: some evicted (written), some held
        d[i] = 2
    print("ready", flush=True)
    time.sleep(60)
""")


@pytest.mark.parametrize("name", ["killed.zarr", "killed.h5"])
def test_sigkill_before_flush_leaves_each_chunk_old_or_new(tmp_path, name):
    path = str(tmp_path / name)
    with File(path, "w") as f:
        f.create_dataset("x", data=np.ones(1000, dtype="i8"), chunks=(100,))
    env = dict(os.environ, PYTHONPATH=ROOT)
    child = subprocess.Popen([sys.executable, "-c", _CHILD, path], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    with File(path, "r") as f:
        got = f["x"][...]
    new = np.ones(1000, dtype="i8")
    new[::7] = 2
    changed = 0
    for c in range(10):
        part = got[c * 100:(c + 1) * 100]
        is_new = np.array_equal(part, new[c * 100:(c + 1) * 100])
        assert is_new or np.array_equal(part, np.ones(100)), f"chunk {c} is neither old nor new: {part}"
        changed += is_new
    assert changed < 10  # the writes still in the cache were lost, as HDF5 loses unflushed writes
    if name.endswith(".zarr"):
        assert changed == 7  # a directory store holds each evicted chunk (10 written, 3 held)


def test_a_chunk_kept_as_read_is_copied_before_a_write(tmp_path):
    # an uncompressed chunk read into the cache is a view of the stored bytes; a write copies it first
    path = str(tmp_path / "a.zarr")
    with File(path, "w") as f:
        f.create_dataset("x", data=np.arange(20.0), chunks=(10,))
    with File(path, "r+") as f:
        d = f["x"]
        part = d[2:5]
        assert d[3] == 3.0
        d[3] = -1.0
        other = f["x"]
        other[4:6] = [-2.0, -3.0]
        assert part.tolist() == [2.0, 3.0, 4.0]  # what was read before is not changed
        assert d[2:7].tolist() == [2.0, -1.0, -2.0, -3.0, 6.0]
        assert zarr5.open(path, mode="r")["x"][3] == 3.0  # not written back yet
    assert zarr5.open(path, mode="r")["x"][2:7].tolist() == [2.0, -1.0, -2.0, -3.0, 6.0]
