"""SingleFileStore: the contract, ZIP readers other than ours, append-only changes, compaction, crashes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from zarr5.storage.singlefile import COMPACT_RATIO, SingleFileStore

from .contract import StoreContract

ROOT = Path(__file__).resolve().parents[2]


class TestSingleFileStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path):
        store = SingleFileStore(tmp_path / "data.h5", mode="w")
        yield store
        store.close()

    def reopen(self, store: SingleFileStore) -> SingleFileStore:
        store.close()
        return SingleFileStore(store.path, mode="a")

    def open_read_only(self, store: SingleFileStore) -> SingleFileStore:
        store.close()
        return SingleFileStore(store.path, mode="r")


class TestSingleFileStoreInBytesIO(StoreContract):
    picklable = False

    @pytest.fixture
    def store(self):
        return SingleFileStore(io.BytesIO(), mode="w")

    def reopen(self, store: SingleFileStore) -> SingleFileStore:
        store.close()
        return SingleFileStore(store._c.f, mode="a")

    def open_read_only(self, store: SingleFileStore) -> SingleFileStore:
        store.close()
        return SingleFileStore(store._c.f, mode="r")


def _chunks(n: int, size: int = 1000) -> dict[str, bytes]:
    return {f"a/{i}": bytes([i % 251]) * size for i in range(n)}


def test_other_zip_readers_see_the_store(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    with SingleFileStore(path, mode="w") as store:
        store.set_many({".zgroup": b'{"zarr_format": 2}', **_chunks(3)})
    with SingleFileStore(path, mode="a") as store:
        store["a/1"] = b"new"
        del store["a/2"]
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None  # every CRC-32 checks out
        assert sorted(zf.namelist()) == [".zgroup", "a/0", "a/1"]
        assert zf.read("a/1") == b"new"
        assert zf.getinfo("a/0").external_attr >> 16 == 0o100644
    zarr = pytest.importorskip("zarr")
    zs = zarr.storage.ZipStore(str(path), mode="r")
    assert zs["a/1"] == b"new" and sorted(zs) == [".zgroup", "a/0", "a/1"]
    zs.close()
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("zip", fo=str(path))
    assert fs.cat("a/1") == b"new"


def test_reads_archives_written_by_zipfile_with_deflate(tmp_path: Path) -> None:
    path = tmp_path / "foreign.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("k", b"x" * 10_000)
        zf.writestr("dir/k2", b"y")
    with SingleFileStore(path, mode="a") as store:
        assert store["k"] == b"x" * 10_000 and store.listdir() == ["dir", "k"]
        assert store.get_partial_values([("k", 9_998, None)]) == [b"xx"]
        store["new"] = b"z"
    with zipfile.ZipFile(path) as zf:
        assert zf.read("k") == b"x" * 10_000 and zf.read("new") == b"z"


def test_a_change_appends_and_never_rewrites(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    with SingleFileStore(path, mode="w") as store:
        store.set_many(_chunks(1000))
    before = path.read_bytes()
    with SingleFileStore(path, mode="a") as store:
        store["a/7"] = b"\xff" * 1000
    after = path.read_bytes()
    assert after[:len(before)] == before  # every byte that was there is still there
    # what was added: one entry (header + chunk) and one directory of 1,000 entries
    added = len(after) - len(before)
    assert added <= 30 + 3 + 1000 + 1000 * (46 + 5) + 22, added
    with SingleFileStore(path, mode="a") as store:
        pass  # opening and closing without a change writes nothing
    assert path.read_bytes() == after


def test_compaction_bounds_the_file(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    with SingleFileStore(path, mode="w") as store:
        store.set_many(_chunks(100))
    live = os.path.getsize(path)
    for i in range(40):
        with SingleFileStore(path, mode="a") as store:
            store[f"a/{i}"] = bytes([i]) * 1000
        assert os.path.getsize(path) <= live / (1 - COMPACT_RATIO) + 1, i  # dead <= ratio * size
    with SingleFileStore(path, mode="r") as store:
        assert store["a/39"] == bytes([39]) * 1000 and len(store) == 100
        assert store.dead_bytes() <= COMPACT_RATIO * os.path.getsize(path)


def test_two_handles_in_one_process_share_the_file(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    writer = SingleFileStore(path, mode="w")
    writer["k"] = b"1"
    reader = SingleFileStore(path, mode="r")
    assert reader["k"] == b"1"  # what the writer wrote, before any directory was written
    with pytest.raises(OSError, match="already open"):
        SingleFileStore(path, mode="w")
    reader.close()
    writer.close()
    first = SingleFileStore(path, mode="r")
    with pytest.raises(OSError, match="read-only"):
        SingleFileStore(path, mode="a")
    first.close()


def test_not_a_container_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello, not a zip")
    with pytest.raises(OSError, match="file signature not found"):
        SingleFileStore(path, mode="a")
    assert path.read_bytes() == b"hello, not a zip"
    with pytest.raises(ValueError, match="mode"):
        SingleFileStore(path, mode="q")


def test_a_corrupt_entry_is_named(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    with SingleFileStore(path, mode="w") as store:
        store["good"] = b"g" * 100
        store["bad"] = b"b" * 100
    raw = bytearray(path.read_bytes())
    raw[raw.index(b"b" * 100) + 50] ^= 0xFF
    path.write_bytes(bytes(raw))
    with SingleFileStore(path, mode="r") as store:
        assert store["good"] == b"g" * 100
        with pytest.raises(OSError, match="'bad'"):
            store["bad"]


def test_a_value_rewritten_before_the_next_directory_reuses_its_slot(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    big = 80_000  # a chunk as the h5py vocabulary's cache writes it back, CRC-32 summed late
    with SingleFileStore(path, mode="w") as store:
        store["a/0"] = b"\x01" * big
        grown = os.path.getsize(path)
        for i in range(50):  # no directory lists the slot yet: rewritten in place, the file stays put
            store.write_back("a/0", bytearray([i]) * big)
            store["small"] = bytes([i]) * 100
        assert os.path.getsize(path) <= grown + 2 * (30 + 5 + 100)
        store["a/0"] = b"\x02" * (big // 2)  # a smaller value fits the slot too
        assert store["a/0"] == b"\x02" * (big // 2)
        store["a/0"] = b"\x03" * (big + 1)  # a larger one is appended
        assert os.path.getsize(path) > grown + big
        store.flush()
        listed = path.read_bytes()
        store.write_back("a/0", b"\x04" * (big + 1))  # now listed: never touched, appended instead
        assert path.read_bytes()[:len(listed)] == listed
        assert store["a/0"] == b"\x04" * (big + 1)
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None  # the late CRC-32s are in headers and directory alike
        assert zf.read("a/0") == b"\x04" * (big + 1) and zf.read("small") == bytes([49]) * 100
    with SingleFileStore(path, mode="r") as store:
        out = bytearray(big + 1)
        assert store.read_into("a/0", out) == big + 1 and out == b"\x04" * (big + 1)
        assert store.read_into("missing", out) is None
        assert store.read_into("small", bytearray(10)) == 100  # another length: the caller reads it whole


def test_a_corrupt_entry_is_named_when_read_into_a_buffer(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    with SingleFileStore(path, mode="w") as store:
        store.write_back("bad", b"b" * 40_000)
    raw = bytearray(path.read_bytes())
    raw[raw.index(b"b" * 100) + 50] ^= 0xFF
    path.write_bytes(bytes(raw))
    with SingleFileStore(path, mode="r") as store:
        with pytest.raises(OSError, match="'bad'"):
            store.read_into("bad", bytearray(40_000))


_CRASH = textwrap.dedent("""
    import os, sys
    from zarr5.storage.singlefile import SingleFileStore
    store = SingleFileStore(sys.argv[1], mode="a")
    for i in range(200):
        store[f"a/{i}"] = b"\\xee" * 5000  # replaces every chunk, and adds new keys
    store["new/key"] = b"never listed"
    if sys.argv[2] == "mid-flush":
        store.flush()
        store["after/flush"] = b"x" * 100_000
        for i in range(20):  # rewritten in place (its slot is listed nowhere), then a listed key
            store.write_back("after/flush", bytes([i]) * 100_000)
            store.write_back("a/5", bytes([i]) * 50_000)
    print("ready", flush=True)
    sys.stdin.read()  # killed here, the file still open
""")


@pytest.mark.parametrize("when", ["before-flush", "mid-flush"])
def test_sigkill_while_open_keeps_what_the_file_held(tmp_path: Path, when: str) -> None:
    path = tmp_path / "data.h5"
    original = {".zgroup": b'{"zarr_format": 2}', **_chunks(100)}
    with SingleFileStore(path, mode="w") as store:
        store.set_many(original)
    before = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _CRASH, str(path), when], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=env)
    assert proc.stdout.readline() == b"ready\n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    crashed = path.read_bytes()
    assert crashed[:len(before)] == before and len(crashed) > len(before)  # it wrote, then died
    with SingleFileStore(path, mode="r") as store:  # a reader recovers without touching the file
        if when == "before-flush":
            assert dict(store.items()) == original
        else:  # the flushed directory is the last good one; what came after it is gone
            assert store["new/key"] == b"never listed" and "after/flush" not in store
    assert path.read_bytes() == crashed
    with SingleFileStore(path, mode="a") as store:  # a writer cuts the orphaned tail off
        pass
    if when == "before-flush":
        assert path.read_bytes() == before
    with zipfile.ZipFile(path) as zf:  # and every ZIP reader reads it again
        assert zf.testzip() is None and zf.read("a/5") == (b"\xee" * 5000 if when == "mid-flush"
                                                           else original["a/5"])


def test_a_new_file_whose_first_session_crashed_opens_empty(tmp_path: Path) -> None:
    path = tmp_path / "new.h5"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _CRASH, str(path), "before-flush"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    assert proc.stdout.readline() == b"ready\n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with SingleFileStore(path, mode="r") as store:
        assert len(store) == 0
    with SingleFileStore(path, mode="a") as store:
        store["k"] = b"v"
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == ["k"]


def test_in_memory_with_and_without_backing_store(tmp_path: Path) -> None:
    path = tmp_path / "core.h5"
    with SingleFileStore(path, mode="w", in_memory=True, backing_store=False) as store:
        store["k"] = b"v"
    assert not path.exists()
    with SingleFileStore(path, mode="w", in_memory=True) as store:
        store["k"] = b"v"
        assert not path.exists()  # written at flush/close, as HDF5's core driver does
        store.flush()
        assert zipfile.ZipFile(path).read("k") == b"v"
        store["k2"] = b"w"
    with SingleFileStore(path, mode="r", in_memory=True) as store:
        assert dict(store.items()) == {"k": b"v", "k2": b"w"}


def test_pickle_reopens_the_file(tmp_path: Path) -> None:
    import pickle

    with SingleFileStore(tmp_path / "p.h5", mode="w") as store:
        store["k"] = b"v"
        copy = pickle.loads(pickle.dumps(store))
        assert copy["k"] == b"v"
        copy.close()
    with pytest.raises(TypeError, match="file-like"):
        pickle.dumps(SingleFileStore(io.BytesIO(), mode="w"))


def test_a_file_deleted_while_open_closes_quietly(tmp_path: Path) -> None:
    path = tmp_path / "gone.h5"
    with SingleFileStore(path, mode="w") as store:
        store.set_many(_chunks(10))
    store = SingleFileStore(path, mode="a")
    store.set_many(_chunks(10))  # enough dead bytes to ask for compaction at close
    os.remove(path)  # as hdmf's tests do; POSIX keeps the open file until it is closed
    store.close()
    assert not path.exists()


def test_the_same_writes_give_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # entries carry ZIP's earliest date, not the clock's (h5py writes no timestamps by default), so a
    # file written again later is byte for byte the same (h5py's test_reproducible_file)
    import time

    import numpy as np

    import zarr5.h5py as h5py

    def write(path: Path) -> bytes:
        with h5py.File(path, "w", track_order=True) as f:
            f.create_group("x", track_order=True).create_dataset("y", shape=10, dtype="f4")
        return path.read_bytes()

    first = write(tmp_path / "a.h5")
    later = time.time() + 3 * 86400 + 7  # three days and seven seconds on: every DOS time field moves
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(time, "localtime", lambda secs=None: time.gmtime(later if secs is None else secs))
    assert write(tmp_path / "b.h5") == first
    with zipfile.ZipFile(tmp_path / "a.h5") as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    with h5py.File(tmp_path / "b.h5", "r") as f:
        np.testing.assert_array_equal(f["x/y"][...], np.zeros(10, "f4"))
