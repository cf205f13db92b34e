"""DirectoryStore.write_back: a chunk cache's write-backs swap a recycled spare file in atomically.

See zarr5/storage/_spares.py. Each test checks what a reader, a crash or a listing may see.
"""

from __future__ import annotations

import gc
import os
import signal
import struct
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import zarr5
from zarr5.h5 import File
from zarr5.storage import DirectoryStore, NestedDirectoryStore, _spares

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
needs_exchange = pytest.mark.skipif(not _spares.available(),
                                    reason="renameat2(RENAME_EXCHANGE) is Linux-only: elsewhere write_back "
                                           "is a plain write-and-rename, tested by the store contract")


def _hidden(path: Path) -> list[str]:
    return sorted(n for _, _, files in os.walk(path) for n in files if n.startswith(".zarr5-spare-"))


def _ino(path: Path) -> int:
    return os.stat(path).st_ino


@needs_exchange
def test_write_backs_recycle_the_replaced_file(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store["d/a"], store["d/b"] = b"a0" * 500, b"b0" * 500
    old_a = _ino(tmp_path / "d" / "a")
    store.write_back("d/a", b"a1" * 500)  # d/a's old file becomes this store's spare in d
    assert _ino(tmp_path / "d" / "a") != old_a and len(_hidden(tmp_path)) == 1
    store.write_back("d/b", b"b1" * 400)  # written into that spare, which is swapped in
    assert _ino(tmp_path / "d" / "b") == old_a
    assert store["d/a"] == b"a1" * 500 and store["d/b"] == b"b1" * 400  # a shorter value is cut to size
    # invisible to every listing, and gone when the store is closed
    assert sorted(store) == ["d/a", "d/b"] and store.listdir("d") == ["a", "b"]
    assert store.list_prefix("d") == ["d/a", "d/b"] and store.getsize("d") == 1000 + 800
    store.close()
    assert _hidden(tmp_path) == [] and sorted(os.listdir(tmp_path / "d")) == ["a", "b"]
    store.write_back("d/a", b"again")  # a closed DirectoryStore stays usable, as zarr-python's
    assert store["d/a"] == b"again"
    del store
    gc.collect()
    assert _hidden(tmp_path) == []  # collected: its spares are removed


@needs_exchange
def test_a_file_a_reader_still_has_open_is_never_rewritten(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store["d/a"], store["d/b"] = b"a0" * 500, b"b0" * 500
    with open(tmp_path / "d" / "a", "rb") as reader:  # opened just before the swap, read just after
        store.write_back("d/a", b"a1" * 500)
        store.write_back("d/b", b"b1" * 500)  # the spare is d/a's old file: open, so a new file is used
        assert reader.read() == b"a0" * 500
    assert store["d/a"] == b"a1" * 500 and store["d/b"] == b"b1" * 500
    store.close()


@needs_exchange
def test_a_hard_linked_file_keeps_its_bytes(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "s")
    store["d/a"], store["d/b"] = b"a0" * 500, b"b0" * 500
    os.link(tmp_path / "s" / "d" / "a", tmp_path / "snapshot")  # as `cp -al` snapshots a store
    store.write_back("d/a", b"a1" * 500)
    store.write_back("d/b", b"b1" * 500)
    assert (tmp_path / "snapshot").read_bytes() == b"a0" * 500
    assert store["d/a"] == b"a1" * 500 and store["d/b"] == b"b1" * 500
    store.close()


@needs_exchange
def test_a_directory_or_symlink_at_the_key_is_replaced_as_by_setitem(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "s")
    store["d/k/x"] = b"under k"
    store["d/other"] = b"o"
    store.write_back("d/other", b"o2")  # leaves a spare in d
    store.write_back("d/k", b"now a key")
    assert store["d/k"] == b"now a key" and "d/k/x" not in store
    (tmp_path / "target").write_bytes(b"outside")
    os.symlink(tmp_path / "target", tmp_path / "s" / "d" / "link")
    store.write_back("d/link", b"replaced")
    store.write_back("d/other", b"o3")
    assert (tmp_path / "target").read_bytes() == b"outside"  # the link is replaced, not written through
    assert store["d/link"] == b"replaced" and not os.path.islink(tmp_path / "s" / "d" / "link")
    assert sorted(store) == ["d/k", "d/link", "d/other"]
    store.close()
    assert _hidden(tmp_path) == []


@needs_exchange
def test_spares_never_keep_a_directory_alive(tmp_path: Path) -> None:
    store = NestedDirectoryStore(tmp_path)
    for i in range(3):
        store.write_back("x/0/0", bytes([i]) * 100)
        store.write_back("x/0/1", bytes([i]) * 100)
    store["y/0/0"] = b"1"
    store.write_back("y/0/0", b"2")
    assert _hidden(tmp_path)
    del store["x/0/0"], store["x/0/1"]  # the last keys under x: x/0 and x go, spare and all
    assert not os.path.exists(tmp_path / "x") and store.listdir() == ["y"]
    store.rename("y", "z")
    assert store["z/0/0"] == b"2" and _hidden(tmp_path) == []  # none moved along, hidden
    store.write_back("z/0/0", b"3")
    store.rmdir("z")
    assert os.listdir(tmp_path) == []
    store.close()


@needs_exchange
@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX-only")
def test_a_forked_child_keeps_its_own_spares(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store["d/a"], store["d/b"] = b"a0", b"b0"
    store.write_back("d/a", b"a1")  # the parent now holds a spare in d
    pid = os.fork()
    if pid == 0:  # the child writes back through the store it inherited, then closes it
        code = 1
        try:
            for i in range(5):
                store.write_back("d/b", b"child %d" % i)
            store.close()
            code = 0
        finally:
            os._exit(code)
    assert os.waitpid(pid, 0)[1] == 0
    assert store["d/b"] == b"child 4"
    store.write_back("d/b", b"parent")  # the parent's spare is still its own and usable
    store.write_back("d/a", b"a2")
    assert (store["d/a"], store["d/b"]) == (b"a2", b"parent")
    store.close()
    assert _hidden(tmp_path) == []


@needs_exchange
def test_threads_writing_back_into_one_directory(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    # a value's length names it, so a torn value or one of another key cannot pass
    def value(k: int, v: int) -> bytes:
        return bytes([k]) * (1000 + 97 * v + 13 * k)

    for k in range(4):
        store[f"c/{k}"] = value(k, 0)
    done = threading.Event()
    bad: list[object] = []

    def writer(k: int) -> None:
        try:
            for v in range(1, 150):
                store.write_back(f"c/{k}", value(k, v))
                store.write_back("c/shared", value(9, v))
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            bad.append(e)

    def reader() -> None:
        while not done.is_set():
            for k in range(4):
                got = store[f"c/{k}"]
                if got[:1] != bytes([k]) or (len(got) - 1000 - 13 * k) % 97 or len(set(got)) != 1:
                    bad.append((k, len(got)))
                    return

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    readers = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads + readers:
        t.start()
    for t in threads:
        t.join()
    done.set()
    for t in readers:
        t.join()
    assert bad == []
    assert [store[f"c/{k}"] for k in range(4)] == [value(k, 149) for k in range(4)]
    assert store["c/shared"] == value(9, 149)
    assert sorted(store) == sorted([f"c/{k}" for k in range(4)] + ["c/shared"])
    store.close()
    assert _hidden(tmp_path) == []


_WRITER = textwrap.dedent("""
    import struct, sys
    from zarr5.storage import DirectoryStore
    store = DirectoryStore(sys.argv[1])
    me, rounds = int(sys.argv[2]), int(sys.argv[3])
    print("ready", flush=True)
    v = 0
    while rounds < 0 or v < rounds:
        v += 1
        for k in range(8):
            # header (key, version), then bytes that repeat the version: a mix of versions cannot pass
            body = bytes([(v + me) % 251]) * (4000 + 8 * ((v * 31 + k) % 500))
            store.write_back(f"arr/{k}", struct.pack("<iii", k, v, me) + body)
    store.close()
""")


def _check_value(data: bytes, k: int) -> tuple[int, int]:
    key, v, me = struct.unpack_from("<iii", data)
    body = data[12:]
    assert key == k, f"arr/{k} holds arr/{key}'s bytes"
    assert len(body) == 4000 + 8 * ((v * 31 + k) % 500) and body == bytes([(v + me) % 251]) * len(body), \
        f"arr/{k} is torn (version {v} of writer {me})"
    return v, me


def _spawn(path: Path, me: int, rounds: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=ROOT)
    child = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(me), str(rounds)],
                             stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


@needs_exchange
def test_processes_writing_back_into_one_directory(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    children = [_spawn(tmp_path, me, 60) for me in (1, 2)]
    while any(c.poll() is None for c in children):
        for k in range(8):  # read while they write: every value whole, never another key's
            try:
                _check_value(store[f"arr/{k}"], k)
            except KeyError:
                pass  # not written yet
    assert [c.returncode for c in children] == [0, 0]
    assert {_check_value(store[f"arr/{k}"], k)[0] for k in range(8)} == {60}
    assert sorted(store) == [f"arr/{k}" for k in range(8)] and _hidden(tmp_path) == []


@needs_exchange
def test_a_copy_reading_the_spares_meanwhile_is_harmless(tmp_path: Path) -> None:
    # a backup or zarr-python 2's copy_store opens every file, spares too, maybe while the writer holds
    # a spare's lease for a moment: the writer must survive the lease break (SIGIO would kill it)
    child = _spawn(tmp_path, 1, 400)
    opened = 0
    while child.poll() is None:
        for name in _hidden(tmp_path):
            try:
                with open(tmp_path / "arr" / name, "rb") as f:
                    f.read(1)
                opened += 1
            except FileNotFoundError:
                pass  # swapped in and out meanwhile
    assert child.returncode == 0, f"the writer died ({child.returncode}) after {opened} opens of its spares"
    assert opened > 0
    assert {_check_value(DirectoryStore(tmp_path)[f"arr/{k}"], k)[0] for k in range(8)} == {400}


@needs_exchange
@pytest.mark.parametrize("delay", [0.05, 0.2, 0.5])
def test_sigkill_mid_write_backs_leaves_each_key_old_or_new(tmp_path: Path, delay: float) -> None:
    child = _spawn(tmp_path, 1, -1)  # writes back until killed
    try:
        time.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    store = DirectoryStore(tmp_path)
    versions = [_check_value(store[f"arr/{k}"], k)[0] for k in range(8) if f"arr/{k}" in store]
    assert versions and sorted(store) == [f"arr/{k}" for k in range(len(versions))]
    assert max(versions) - min(versions) <= 1  # keys are written in turn: at most one round apart
    assert store.listdir("arr") == [str(k) for k in range(len(versions))]
    # the killed writer's spares (and a half-written one) stay hidden; the next writer here removes them
    store.write_back("arr/0", struct.pack("<iii", 0, 1, 1) + bytes([2]) * (4000 + 8 * 31))
    _check_value(store["arr/0"], 0)
    store.close()
    assert _hidden(tmp_path) == []


@needs_exchange
def test_h5py_vocabulary_write_backs_leave_no_trace(tmp_path: Path) -> None:
    path = str(tmp_path / "f.zarr")
    expected = np.arange(20000.0)
    with File(path, "w", rdcc_nbytes=3 * 8000) as f:
        x = f.create_dataset("x", data=expected, chunks=(1000,))
        f.flush()  # the new dataset's chunks (kept with its metadata) reach the store as files
        for i in range(0, 20000, 37):  # misses: every chunk evicted and written back over its file
            x[i] = -i
            expected[i] = -i
        assert _hidden(tmp_path)  # in use while the File is open...
        f.flush()  # the File's metadata reach the store (the zarr vocabulary reads the store)
        other = zarr5.open(path, mode="r")["x"]
        assert other.nchunks_initialized == 20 and sorted(other.store.listdir("x"))[0] == ".zarray"
    assert _hidden(tmp_path) == []  # ...and removed at close
    assert np.array_equal(zarr5.open(path, mode="r")["x"][...], expected)


@needs_exchange
def test_a_file_left_open_at_exit_writes_back_and_leaves_no_spare(tmp_path: Path) -> None:
    path = str(tmp_path / "f.zarr")
    with File(path, "w") as f:
        f.create_dataset("x", data=np.zeros(8000), chunks=(1000,))
    script = textwrap.dedent("""
        import sys
        from zarr5.h5 import File
        f = File(sys.argv[1], "r+", rdcc_nbytes=2 * 8000)
        x = f["x"]
        for i in range(0, 8000, 50):
            x[i] = i  # evictions write back (spares made), the last chunks stay in the cache
        # no close: the interpreter's exit writes the cache back
    """)
    env = dict(os.environ, PYTHONPATH=ROOT)
    subprocess.run([sys.executable, "-c", script, path], check=True, env=env)
    expected = np.zeros(8000)
    expected[::50] = np.arange(0, 8000, 50)
    assert np.array_equal(zarr5.open(path, mode="r")["x"][...], expected)
    assert _hidden(tmp_path) == []


def test_read_into_fills_a_buffer_and_tells_the_length(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store["a/k"] = bytes(range(10))
    out = np.zeros(10, dtype=np.uint8)
    assert store.read_into("a/k", out) == 10 and out.tolist() == list(range(10))
    short = np.zeros(4, dtype=np.uint8)
    assert store.read_into("a/k", short) == 10 and short.tolist() == [0, 1, 2, 3]  # longer: its length
    wide = np.zeros(16, dtype=np.uint8)
    assert store.read_into("a/k", wide) == 10 and wide[:10].tolist() == list(range(10))
    assert store.read_into("a/none", out) is None and store.read_into("a", out) is None  # a directory
    assert store.read_into("a/k/deeper", out) is None


def test_uncompressed_chunks_through_the_cache_keep_their_layout_and_errors(tmp_path: Path) -> None:
    # chunks read straight into the cache's arrays and written back from them: F order, big-endian
    expected = np.arange(600, dtype=">i4").reshape(20, 30)
    root = zarr5.open_group(str(tmp_path / "g.zarr"), mode="w")
    a = root.create_dataset("a", data=expected, chunks=(7, 8), order="F", compressor=None)
    assert a.order == "F" and a.dtype == np.dtype(">i4")
    with File(str(tmp_path / "g.zarr"), "r+", rdcc_nbytes=3 * 7 * 8 * 4) as f:
        d = f["a"]
        rng = np.random.default_rng(1)
        for _ in range(300):  # misses and evictions: every chunk read and written back many times
            i, j = int(rng.integers(0, 20)), int(rng.integers(0, 30))
            if rng.integers(0, 2):
                d[i, j] = -i * 100 - j
                expected[i, j] = -i * 100 - j
            else:
                assert d[i, j] == expected[i, j]
        assert d[3, 2:6].tolist() == expected[3, 2:6].tolist()
    assert np.array_equal(zarr5.open(str(tmp_path / "g.zarr"), mode="r")["a"][...], expected)
    # a chunk file of the wrong size is a corrupt chunk on the cached path too, named by its key
    with open(tmp_path / "g.zarr" / "a" / "0.1", "ab") as chunk_file:
        chunk_file.write(b"extra")
    with File(str(tmp_path / "g.zarr"), "r") as f:
        with pytest.raises(ValueError, match="0.1"):
            f["a"][1, 9]
