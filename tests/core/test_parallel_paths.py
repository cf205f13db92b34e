"""The engine's parallel fast paths store and return exactly what the serial path does.

Small chunks are written inline to local stores and encoded on the pool in groups for the others,
strided chunks are gathered into a per-thread scratch buffer
before encoding, and large fresh results have their pages faulted in by a helper thread. Each test
compares against the plain serial run (one worker) or against numpy.
"""

from __future__ import annotations

import os
import threading

import numcodecs
import numpy as np
import pytest

import zarr5
from zarr5.core import prefault

BLOSC = numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)


def _open_store(kind: str, path: str) -> zarr5.storage.Store:
    # a directory store is local (small chunks are written inline); SQLite is not (the pool encodes
    # groups of small chunks and the store writes each batch in one call)
    if kind == "directory":
        return zarr5.storage.DirectoryStore(path)
    return zarr5.storage.SQLiteStore(path + ".sqlite")


@pytest.mark.parametrize("kind", ["directory", "sqlite"])
@pytest.mark.parametrize("workers", [2, 8])
@pytest.mark.parametrize("order", ["C", "F"])
def test_small_chunk_writes_store_what_one_worker_stores(tmp_path, kind, workers, order):
    data = np.random.default_rng(5).integers(0, 1000, size=(97, 53)).astype("i8")
    stores = {}
    for n in (1, workers):
        # chunks of 7x5 items are far below min_parallel_bytes, so pool tasks carry groups of them
        with zarr5.config.using(max_workers=n, min_parallel_bytes=4096):
            store = _open_store(kind, str(tmp_path / f"w{n}"))
            z = zarr5.open_array(store, mode="w", shape=data.shape, chunks=(7, 5), dtype="i8", order=order,
                                 compressor=BLOSC)
            z[...] = data
            z[3:50, 10:40] = -data[3:50, 10:40]  # partial chunks: read, merged, rewritten
            stores[n] = {k: bytes(store[k]) for k in store.keys()}
            np.testing.assert_array_equal(z[3:50, 10:40], -data[3:50, 10:40])
            if kind == "sqlite":
                store.close()
    assert stores[1] == stores[workers]


@pytest.mark.parametrize("order", ["C", "F"])
def test_strided_source_is_gathered_exactly(order):
    base = np.arange(60 * 80, dtype="f8").reshape(60, 80)
    # views that are not contiguous in any order: every chunk of them must be gathered before encoding
    sources = [base[:, ::2], base.T[::2, :], base[::2, ::2]]
    for src in sources:
        with zarr5.config.using(max_workers=2, min_parallel_bytes=1):
            z = zarr5.zeros(src.shape, chunks=(10, 10), dtype="f8", order=order, compressor=BLOSC)
            z[...] = src
            np.testing.assert_array_equal(z[...], src)
            # the scratch buffer is reused between chunks: a second array of another shape stays exact
            y = zarr5.zeros((25, 7), chunks=(5, 7), dtype="f8", order=order)
            y[...] = base[:50:2, :14:2]
            np.testing.assert_array_equal(y[...], base[:50:2, :14:2])


def test_large_fresh_read_with_prefault_returns_the_data():
    # just above the size where a helper thread populates the result's pages
    side = int((prefault.MIN_BYTES // 4) ** 0.5) + 64
    data = np.arange(side * side, dtype="i4").reshape(side, side)
    z = zarr5.array(data, chunks=(1000, 1000), compressor=BLOSC)
    got = z[...]
    assert got.nbytes >= prefault.MIN_BYTES
    np.testing.assert_array_equal(got, data)
    np.testing.assert_array_equal(z[5:side - 3, 7:], data[5:side - 3, 7:])


def test_prefaulted_never_changes_contents():
    buf = np.empty(prefault.MIN_BYTES // 8 + 1000, dtype="i8")
    buf[: len(buf) // 2] = np.arange(len(buf) // 2)  # half written before, half after the helper starts
    with prefault.prefaulted(buf):
        buf[len(buf) // 2:] = -1
    np.testing.assert_array_equal(buf[: len(buf) // 2], np.arange(len(buf) // 2))
    assert (buf[len(buf) // 2:] == -1).all()


def test_prefaulted_starts_no_thread_for_small_buffers():
    before = {t.name for t in threading.enumerate()}
    with prefault.prefaulted(np.empty(1000)):
        during = {t.name for t in threading.enumerate()}
    assert "zarr5-prefault" not in during - before


@pytest.mark.parametrize("workers", [2, 3, 8])
@pytest.mark.parametrize("order", ["C", "F"])
def test_sliver_reads_of_large_chunks_equal_numpy(tmp_path, workers, order):
    # chunks of 512 kB: a column (or row) keeps a sliver of each, decoded whole on the pool's shared
    # queue (column of C chunks) or partly, inline (row of C chunks); a missing chunk reads as the fill
    data = np.random.default_rng(2).integers(-10**6, 10**6, size=(2048, 768)).astype("<i4")
    z = zarr5.open_array(zarr5.storage.DirectoryStore(str(tmp_path / "a")), mode="w", shape=data.shape,
                         chunks=(256, 512), dtype="<i4", order=order, compressor=BLOSC, fill_value=-7)
    z[...] = data
    z.store.delete_many(["3.1"])
    expected = data.copy()
    expected[768:1024, 512:] = -7
    with zarr5.config.using(max_workers=workers):
        for j in (0, 511, 512, 700, 767):
            np.testing.assert_array_equal(z[:, j], expected[:, j])
        for i in (0, 255, 800, 2047):
            np.testing.assert_array_equal(z[i, :], expected[i, :])
        np.testing.assert_array_equal(z[100:1900:7, 3::5], expected[100:1900:7, 3::5])
        out = np.zeros(2048, "<i4")
        z.get_orthogonal_selection((slice(None), 9), out=out)
        np.testing.assert_array_equal(out, expected[:, 9])


def test_a_corrupt_chunk_in_a_pooled_sliver_read_is_named(tmp_path):
    store = zarr5.storage.DirectoryStore(str(tmp_path / "a"))
    z = zarr5.open_array(store, mode="w", shape=(2048, 512), chunks=(256, 512), dtype="<i4",
                         compressor=BLOSC)
    z[...] = np.arange(2048 * 512, dtype="<i4").reshape(2048, 512)
    store["5.0"] = bytes(store["5.0"])[:-9]  # truncated
    with zarr5.config.using(max_workers=2):
        with pytest.raises(zarr5.errors.CorruptChunkError, match="5.0"):
            z[:, 3]
        np.testing.assert_array_equal(z[:1280, 3], np.arange(1280) * 512 + 3)  # the others still read


def test_a_failed_pooled_read_stops_every_task_before_it_raises(tmp_path):
    # a corrupt chunk first in the queue: the other task stops taking chunks, and nothing is written
    # into the caller's out once the read has raised (with 40 chunks of 512 kB a task still draining
    # the queue would write for milliseconds after it)
    store = zarr5.storage.DirectoryStore(str(tmp_path / "a"))
    z = zarr5.open_array(store, mode="w", shape=(256 * 40, 512), chunks=(256, 512), dtype="<i4",
                         compressor=BLOSC)
    z[...] = 1
    store["0.0"] = b"not a blosc chunk at all"
    out = np.zeros(256 * 40, "<i4")
    with zarr5.config.using(max_workers=2):
        with pytest.raises(zarr5.errors.CorruptChunkError, match="'0.0'"):
            z.get_orthogonal_selection((slice(None), 7), out=out)
    snapshot = out.copy()
    threading.Event().wait(0.05)
    np.testing.assert_array_equal(out, snapshot)  # and no task still runs behind the caller's back


def test_rows_read_inline_and_reads_with_whole_chunks_keep_the_pool(tmp_path, monkeypatch):
    # which threads decode: every chunk read in part (rows) on the calling thread; a read that also
    # decodes whole chunks on the pool's tasks (the partial ones with them); values always numpy's
    from zarr5.core import chunk_io

    data = np.arange(2048 * 1024, dtype="<i4").reshape(2048, 1024)
    z = zarr5.open_array(zarr5.storage.DirectoryStore(str(tmp_path / "a")), mode="w", shape=data.shape,
                         chunks=(256, 512), dtype="<i4", compressor=BLOSC)
    z[...] = data
    seen: list[str] = []
    original = chunk_io.ChunkIO._read_one

    def watched(self, *args, **kwargs):
        seen.append(threading.current_thread().name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(chunk_io.ChunkIO, "_read_one", watched)
    with zarr5.config.using(max_workers=2):
        np.testing.assert_array_equal(z[300, :], data[300, :])
        assert seen == [threading.current_thread().name] * 2
        seen.clear()
        np.testing.assert_array_equal(z[255:769, 5:1000], data[255:769, 5:1000])  # 8 chunks, 4 decoded whole
        assert len(seen) == 8 and all(name.startswith("zarr5") for name in seen)


class _RecordingStore(zarr5.storage.DirectoryStore):
    """Records the size of each set_many and the thread that made it."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.calls: list[tuple[int, str]] = []

    def set_many(self, items):
        self.calls.append((len(items), threading.current_thread().name))
        super().set_many(items)


def test_small_chunks_to_a_native_directory_store_go_in_groups_from_two_threads(tmp_path):
    if zarr5.storage.directory._filewrite is None:
        pytest.skip("zarr5.storage._filewrite is not built (no C compiler at install)")
    data = np.arange(400 * 100, dtype="i8").reshape(400, 100)
    store = _RecordingStore(str(tmp_path / "a"))
    with zarr5.config.using(max_workers=2):
        z = zarr5.open_array(store, mode="w", shape=data.shape, chunks=(10, 10), dtype="i8", compressor=BLOSC)
        z[...] = data
    assert sum(n for n, _ in store.calls) == 400 and max(n for n, _ in store.calls) <= 16
    assert len({name for _, name in store.calls}) == 2  # this thread and one pool worker
    np.testing.assert_array_equal(zarr5.open_array(str(tmp_path / "a"))[...], data)


@pytest.mark.parametrize("workers", [1, 2])
def test_grouped_writes_delete_chunks_that_become_fill_value(tmp_path, workers):
    data = np.arange(300 * 10, dtype="i4").reshape(300, 10) + 1
    with zarr5.config.using(max_workers=workers):
        z = zarr5.open_array(str(tmp_path / "a"), mode="w", shape=data.shape, chunks=(5, 10), dtype="i4",
                             fill_value=0, write_empty_chunks=False, compressor=BLOSC)
        z[...] = data
        assert len([k for k in z.store.keys() if not k.startswith(".")]) == 60
        cleared = data.copy()
        cleared[::2] = 0  # every chunk keeps a non-zero row, then every other chunk is cleared whole
        cleared[100:200] = 0
        z[...] = cleared
        assert len([k for k in z.store.keys() if not k.startswith(".")]) == 40
        np.testing.assert_array_equal(z[...], cleared)


def test_a_failing_chunk_in_one_run_raises_after_every_run_is_done(tmp_path):
    # a chunk whose parent directory is stored as a key cannot be written: the write raises its
    # KeyError once both runs have ended (the other run's chunks all written), every chunk holds its
    # old or its new value, and no temporary file is left
    if zarr5.storage.directory._filewrite is None:
        pytest.skip("zarr5.storage._filewrite is not built (no C compiler at install)")
    data = np.arange(64 * 64, dtype="i8").reshape(64, 64)
    with zarr5.config.using(max_workers=2):
        z = zarr5.open_array(str(tmp_path / "a"), mode="w", shape=data.shape, chunks=(2, 32), dtype="i8",
                             dimension_separator="/", compressor=BLOSC, fill_value=-1)
        (tmp_path / "a" / "5").write_bytes(b"in the way")
        with pytest.raises(KeyError, match="5/0"):
            z[...] = data
        got = z[...]
    np.testing.assert_array_equal(got[32:], data[32:])  # the second run: chunk rows 16 to 31
    for row in range(16):
        for col in range(2):
            block = got[2 * row:2 * row + 2, 32 * col:32 * col + 32]
            assert (block == data[2 * row:2 * row + 2, 32 * col:32 * col + 32]).all() or (block == -1).all()
    assert (got[:10] == data[:10]).all() and (got[10:12] == -1).all()
    assert not [n for _, _, files in os.walk(tmp_path) for n in files if n.endswith(".partial")]
