"""The h5py vocabulary's metadata write-back: a File keeps the documents it writes (.zarray, .zattrs,
.zgroup, zarr.json) in memory, every handle of it (and every File of the same file in this process)
sees them at once, and they reach the store at flush(), close() or garbage collection, in an order that
keeps the store readable; the zarr vocabularies still write through."""

from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import zarr5
from zarr5.h5 import File
from zarr5.storage import DirectoryStore, MemoryStore

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class RecordingStore(MemoryStore):
    """A MemoryStore that records every write and delete, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, str]] = []

    def __setitem__(self, key, value):
        self.log.append(("set", key))
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self.log.append(("del", key))
        super().__delitem__(key)

    def documents_written(self) -> list[str]:
        return [k for op, k in self.log if op == "set" and k.rsplit("/", 1)[-1] in
                (".zarray", ".zattrs", ".zgroup", "zarr.json")]


def _on_disk(path: str, key: str) -> bool:
    return os.path.exists(os.path.join(path, *key.split("/")))


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_every_handle_sees_pending_metadata_and_the_store_sees_it_at_flush(tmp_path, zarr_format) -> None:
    path = str(tmp_path / "a.zarr")
    doc = ".zarray" if zarr_format == 2 else "zarr.json"
    gdoc = ".zgroup" if zarr_format == 2 else "zarr.json"
    f = File(path, "w", zarr_format=zarr_format)
    d = f.create_dataset("g/x", shape=(0, 2), maxshape=(None, 2), chunks=(4, 2), dtype="i4")
    other = f["g"]["x"]
    d.resize(5, axis=0)
    d[4] = [7, 8]
    d.attrs["units"] = "m"
    f["g"].attrs["title"] = "run"
    f.require_group("h").create_group("k")
    f.require_dataset("g/x", shape=(5, 2), dtype="i4", maxshape=(None, 2))
    f["soft"] = zarr5.SoftLink("/g/x")
    f.create_dataset("gone", data=np.arange(3))
    del f["gone"]
    # every handle sees the pending state at once
    assert other.shape == (5, 2) and other[4].tolist() == [7, 8] and other.attrs["units"] == "m"
    assert f["soft"].shape == (5, 2)
    assert list(f.keys()) == ["g", "h", "soft"] and list(f["h"]) == ["k"]
    # another File of another process sees the old state: nothing pending reached the store
    assert not _on_disk(path, "g/x/" + doc) and not _on_disk(path, "h/k/" + gdoc)
    f.create_dataset("old", data=np.arange(2))
    f.move("old", "h/new")  # a move acts on stored keys: what is pending is written first
    assert _on_disk(path, "h/new/" + doc) and _on_disk(path, "h/k/" + gdoc)
    assert f["h/new"][...].tolist() == [0, 1] and list(f["h"]) == ["k", "new"]
    seen: list[str] = []
    f.visit(seen.append)
    assert seen == ["g", "g/x", "h", "h/k", "h/new"]
    assert dict(f["g"].attrs) == {"title": "run"}
    f.flush()
    for key in ("g/x/" + doc, "h/k/" + gdoc, "h/new/" + doc):
        assert _on_disk(path, key), key
    assert not os.path.exists(os.path.join(path, "gone")) and not os.path.exists(os.path.join(path, "old"))
    with File(path, "r") as r:  # as another program would
        assert r["g/x"].shape == (5, 2) and r["g/x"][4].tolist() == [7, 8]
        assert r["g/x"].attrs["units"] == "m" and r["g"].attrs["title"] == "run"
        assert r["g/x"].maxshape == (None, 2)
    z = zarr5.open_group(path, mode="r")
    assert z["g/x"].shape == (5, 2) and z["g"].attrs["title"] == "run"
    f.close()


def test_repeated_writes_of_one_document_are_one_store_write() -> None:
    store = RecordingStore()
    f = File(store, "w")
    store.log.clear()
    d = f.create_dataset("x", shape=(0,), maxshape=(None,), chunks=(100,), dtype="f8")
    for i in range(50):
        d.resize((i + 1,))
        d[i] = i
        d.attrs[f"a{i % 3}"] = i
    assert store.documents_written() == []
    f.close()
    assert sorted(store.documents_written()) == ["x/.zarray", "x/.zattrs"]
    assert zarr5.open_array(store, path="x", mode="r")[...].tolist() == list(range(50))


def test_flush_writes_parents_first_and_attributes_before_the_node() -> None:
    store = RecordingStore()
    f = File(store, "w")
    store.log.clear()
    g = f.create_group("a")
    g.attrs["x"] = 1
    d = g.create_dataset("b/c", data=np.arange(4), maxshape=(None,))
    d.attrs["y"] = 2
    f.attrs["z"] = 3
    f.flush()
    order = store.documents_written()
    assert set(order) == {".zattrs", "a/.zgroup", "a/.zattrs", "a/b/.zgroup", "a/b/c/.zarray",
                          "a/b/c/.zattrs"}
    pos = {k: i for i, k in enumerate(order)}
    assert pos[".zattrs"] < pos["a/.zattrs"] < pos["a/.zgroup"] < pos["a/b/.zgroup"]
    assert pos["a/b/.zgroup"] < pos["a/b/c/.zattrs"] < pos["a/b/c/.zarray"]
    # the chunk was written when the data was (whole), before the document that makes it visible
    assert store.log.index(("set", "a/b/c/0")) < store.log.index(("set", "a/b/c/.zarray"))


def test_a_shrink_stores_the_new_shape_before_deleting_chunks() -> None:
    store = RecordingStore()
    f = File(store, "w")
    d = f.create_dataset("x", data=np.arange(10), maxshape=(None,), chunks=(2,))
    f.flush()
    store.log.clear()
    d.resize((3,))  # chunks 2, 3 and 4 lie outside
    log = store.log
    assert ("set", "x/.zarray") in log
    first_delete = next(i for i, (op, _) in enumerate(log) if op == "del")
    assert log.index(("set", "x/.zarray")) < first_delete
    assert sorted(k for op, k in log if op == "del") == ["x/2", "x/3", "x/4"]
    assert zarr5.open_array(store, path="x", mode="r").shape == (3,)
    f.close()


def test_pending_nodes_deleted_or_moved_are_never_written_where_they_were() -> None:
    store = RecordingStore()
    f = File(store, "w")
    store.log.clear()
    f.create_dataset("tmp", shape=(3,), dtype="i2")
    f.create_group("tmpg").attrs["a"] = 1
    del f["tmp"]
    del f["tmpg"]
    f.create_dataset("src", shape=(3,), dtype="i2")
    f.move("src", "dst")
    f.flush()
    written = store.documents_written()
    assert not any(k.startswith("tmp") for k in written)
    assert "dst/.zarray" in store and "src/.zarray" not in store
    assert list(File(store, "r").keys()) == ["dst"]


def test_close_and_garbage_collection_write_the_documents(tmp_path) -> None:
    for how in ("close", "gc", "dataset flush"):
        path = str(tmp_path / f"{how.replace(' ', '_')}.zarr")
        f = File(path, "w")
        d = f.create_dataset("x", shape=(2,), maxshape=(None,), chunks=(2,), dtype="i4")
        d.resize((3,))
        d.attrs["k"] = how
        if how == "close":
            f.close()
        elif how == "gc":
            del d, f
            gc.collect()
        else:
            d.flush()  # h5py's Dataset.flush: HDF5 flushes the dataset's metadata too
        z = zarr5.open_array(path, path="x", mode="r")
        assert z.shape == (3,) and z.attrs["k"] == how, how


def test_two_files_of_one_file_in_one_process_share_pending_metadata(tmp_path) -> None:
    path = str(tmp_path / "s.zarr")
    with File(path, "w") as w:
        w.create_dataset("x", data=np.arange(4), maxshape=(None,))
        w["x"].resize((6,))
        with File(path, "r") as r:  # as HDF5 shares one open file between its handles
            assert r["x"].shape == (6,)
        assert not _on_disk(path, "x/.zarray")
        with File(path, "a") as a:  # a writer's close writes what every File of the file left pending
            a["x"].attrs["by"] = "a"
        assert _on_disk(path, "x/.zarray")
    assert zarr5.open_array(path, path="x", mode="r").attrs["by"] == "a"


def test_a_synchronizer_writes_through(tmp_path) -> None:
    path = str(tmp_path / "sync.zarr")
    sync = zarr5.ThreadSynchronizer()
    with File(path, "w", synchronizer=sync) as f:
        d = f.create_dataset("x", shape=(2,), maxshape=(None,), chunks=(2,), dtype="i4")
        d.resize((4,))
        assert zarr5.open_array(path, path="x", mode="r").shape == (4,)  # at once


def test_no_chunk_cache_still_defers_metadata(tmp_path) -> None:
    # HDF5's metadata cache is independent of its chunk cache: rdcc_nbytes=0 writes chunks through only
    path = str(tmp_path / "nocache.zarr")
    with File(path, "w", rdcc_nbytes=0) as f:
        d = f.create_dataset("x", shape=(2,), maxshape=(None,), chunks=(2,), dtype="i4")
        d[0] = 5
        assert _on_disk(path, "x/0") and not _on_disk(path, "x/.zarray")
    assert zarr5.open_array(path, path="x", mode="r")[...].tolist() == [5, 0]


def test_the_zarr_vocabulary_writes_through(tmp_path) -> None:
    path = str(tmp_path / "z.zarr")
    g = zarr5.open_group(path, mode="w")
    a = g.create_dataset("x", shape=(2,), chunks=(2,), dtype="i4")
    a.resize(5)
    a.attrs["k"] = 1
    z = zarr5.open_array(DirectoryStore(path), path="x", mode="r")  # another handle on the directory
    assert z.shape == (5,) and z.attrs["k"] == 1


def test_read_only_and_consolidated_files_write_nothing(tmp_path) -> None:
    path = str(tmp_path / "c.zarr")
    with File(path, "w") as f:
        f.create_dataset("x", data=np.arange(3))
    zarr5.consolidate_metadata(path)
    before = sorted(os.listdir(os.path.join(path, "x")))
    with File(path, "r") as r:
        assert r["x"][...].tolist() == [0, 1, 2]
        with pytest.raises((ValueError, OSError, PermissionError)):
            r["x"].attrs["k"] = 1
    assert sorted(os.listdir(os.path.join(path, "x"))) == before


def test_single_file_container_appends_each_document_once(tmp_path) -> None:
    path = str(tmp_path / "one.h5")
    with File(path, "w") as f:
        d = f.create_dataset("x", shape=(0, 4), maxshape=(None, 4), chunks=(1000, 4), dtype="f8")
        for i in range(200):
            d.resize(i + 1, axis=0)
            d[i] = i
            d.attrs["n"] = i
        f.flush()
        # the container appends every value written (a rewrite leaves the old one dead until close
        # compacts): 200 rewrites of .zarray and .zattrs appended 180 kB when they were written
        # through; now one copy of each and the 32 kB chunk (65 kB)
        size = os.path.getsize(path)
        assert size < 100_000, size
    with File(path, "r") as r:
        assert r["x"].shape == (200, 4) and r["x"][199].tolist() == [199.0] * 4 and r["x"].attrs["n"] == 199


def test_external_link_targets_write_back_at_their_close(tmp_path) -> None:
    target = str(tmp_path / "t.zarr")
    with File(target, "w") as t:
        t.create_dataset("v", shape=(2,), maxshape=(None,), chunks=(2,), dtype="i4")
    main = str(tmp_path / "m.zarr")
    with File(main, "w") as f:
        f["ext"] = zarr5.ExternalLink(target, "/v")
        v = f["ext"]
        v.resize((5,))
        v[4] = 9
        v.file.close()
    assert zarr5.open_array(target, path="v", mode="r")[...].tolist() == [0, 0, 0, 0, 9]


def test_pickled_dataset_carries_its_pending_metadata(tmp_path) -> None:
    path = str(tmp_path / "p.zarr")
    with File(path, "w") as f:
        d = f.create_dataset("x", data=np.arange(5.0))
        back = pickle.loads(pickle.dumps(d))  # what a dask worker in another process receives
        assert back[...].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


_CHILD = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    sys.path.insert(0, {root!r})
    import zarr5
    from zarr5.h5 import File

    path, kill_after = sys.argv[1], int(sys.argv[2])
    with File(path, "w") as f:  # the old state, stored
        d = f.create_dataset("old", data=np.arange(10), maxshape=(None,), chunks=(4,))
        d.attrs["v"] = "old"
    f = File(path, "a")
    d = f["old"]
    d.resize((12,))
    d[10:] = [10, 11]
    d.attrs["v"] = "new"
    for i in range(3):
        g = f.create_group(f"g{{i}}")
        g.attrs["made"] = i
        x = g.create_dataset("x", data=np.arange(4) + i, maxshape=(None,))
        x.attrs["i"] = i
    if kill_after < 0:
        os.kill(os.getpid(), signal.SIGKILL)  # before flush
    writes = [0]
    inner_set_many = f._state.documents.inner.set_many

    def counted(items):
        for key, value in items.items():
            if writes[0] == kill_after:
                os.kill(os.getpid(), signal.SIGKILL)  # in the middle of the write-back
            inner_set_many({{key: value}})
            writes[0] += 1

    f._state.documents.inner.set_many = counted
    f.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # after flush: everything is stored
""")


def _check_readable(path: str) -> dict:
    """Open the store both ways; every node seen is whole (its attributes with it); return a summary."""
    z = zarr5.open_group(path, mode="r")
    seen = {}
    with File(path, "r") as f:
        d = f["old"]
        assert d.shape in ((10,), (12,))
        assert d.maxshape == (None,)  # its attributes (how it was made) are readable
        assert d.attrs["v"] in ("old", "new")
        seen["old"] = (d.shape, d.attrs["v"], d[...].tolist())
        for name in f:
            if name.startswith("g"):
                assert f[name].attrs["made"] == int(name[1])  # a node appears with its attributes
                if "x" in f[name]:
                    x = f[name]["x"]
                    assert x.attrs["i"] == int(name[1]) and x.maxshape == (None,)
                    assert x[...].tolist() == (np.arange(4) + int(name[1])).tolist()
                    seen[name] = True
    assert sorted(z.array_keys()) == ["old"]
    return seen


@pytest.mark.parametrize("kill_after", [-1, 0, 1, 2, 4, 6, 8, 10, 12, 100])
def test_a_kill_before_or_during_flush_leaves_every_document_old_or_new(tmp_path, kill_after) -> None:
    path = str(tmp_path / "k.zarr")
    script = tmp_path / "child.py"
    script.write_text(_CHILD.format(root=ROOT))
    proc = subprocess.run([sys.executable, str(script), path, str(kill_after)], capture_output=True,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    seen = _check_readable(path)
    if kill_after < 0:  # killed before flush: the old state, as HDF5 leaves a file not flushed
        assert seen == {"old": ((10,), "old", list(range(10)))}
    if kill_after == 100:  # after flush: the new state
        assert seen["old"] == ((12,), "new", list(range(12)))
        assert {"g0", "g1", "g2"} <= set(seen)
    if seen["old"][0] == (12,):  # the grown shape is stored only with its chunks already there
        assert seen["old"][2][10:] == [10, 11]


def test_truncating_a_file_drops_what_an_unclosed_file_left_pending(tmp_path) -> None:
    path = str(tmp_path / "t.zarr")
    first = File(path, "w")
    first.create_dataset("stale", shape=(2,), dtype="i1")
    second = File(path, "w")  # a directory store may be truncated while open (HDF5 refuses)
    second.create_dataset("fresh", shape=(2,), dtype="i1")
    del first
    gc.collect()
    second.close()
    assert sorted(zarr5.open_group(path, mode="r").array_keys()) == ["fresh"]


def test_attribute_rewritten_often_is_encoded_once_at_flush(tmp_path, monkeypatch) -> None:
    import json

    from zarr5.core import attributes

    calls = []
    real = attributes.encode_attributes

    def counting(document):
        calls.append(1)
        return real(document)

    monkeypatch.setattr(attributes, "encode_attributes", counting)  # a counter around the real encoder
    path = str(tmp_path / "a.zarr")
    with File(path, "w") as f:
        d = f.create_dataset("d", data=np.arange(3))
        calls.clear()  # (creation writes its first document its own way)
        for i in range(200):
            d.attrs["step"] = i
            d.attrs[f"n{i % 3}"] = np.float32(i)
        assert d.attrs["step"] == 199 and d.attrs["n2"] == np.float32(197)
        del d.attrs["n0"]
        assert "n0" not in d.attrs and sorted(d.attrs) == ["n1", "n2", "step"]
        assert len(calls) == 0  # nothing encoded while the document is only edited and read
        f.flush()
        assert len(calls) == 1
        stored = json.loads(open(os.path.join(path, "d", ".zattrs")).read())
        assert stored["step"] == 199 and stored["n1"] == 199.0 and "n0" not in stored
        d.attrs["step"] = -1  # edits after a flush start from the written document
    assert len(calls) == 2
    with File(path, "r") as g:
        assert g["d"].attrs["step"] == -1 and g["d"].attrs["n2"] == np.float32(197)
    assert json.loads(open(os.path.join(path, "d", ".zattrs")).read())["step"] == -1


def test_a_file_left_open_at_exit_writes_its_documents_back(tmp_path) -> None:
    # as h5py's files are closed (and flushed) when the interpreter exits: the File's finalizer writes
    # its many pending documents, though the storage pool takes no new threads at shutdown
    path = str(tmp_path / "open.zarr")
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {ROOT!r})
        import numpy as np
        import zarr5
        f = zarr5.File({path!r}, "w")
        for i in range(200):
            f.create_dataset(f"d{{i}}", data=np.arange(3) + i)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()
    with File(path, "r") as f:
        assert len(f) == 200
        assert f["d199"][...].tolist() == [199, 200, 201]
