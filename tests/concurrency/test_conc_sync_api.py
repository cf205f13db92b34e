"""Every creation and open function takes ``synchronizer=``, and groups hand theirs to every member.

A recording synchronizer shows the locks are really taken (not just stored): a partial chunk write
asks for the chunk's key, an attribute change for the ``.zattrs`` key, resize and append for ``.zarray``.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import zarr5
from zarr5.errors import InvalidKeyError


class RecordingSynchronizer(zarr5.ThreadSynchronizer):
    """A ThreadSynchronizer that remembers every key it was asked to lock."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []

    def __getitem__(self, item: str) -> Any:
        self.keys.append(item)
        return super().__getitem__(item)


def _check_array(z: zarr5.Array, sync: RecordingSynchronizer) -> None:
    assert z.synchronizer is sync
    prefix = z.path + "/" if z.path else ""
    sync.keys.clear()
    z[1:3] = 5  # a partial write of chunk 0 (chunks of 4): read-modify-write under its lock
    assert sync.keys == [prefix + "0"]
    sync.keys.clear()
    z.attrs["who"] = "me"
    assert sync.keys == [prefix + ".zattrs"]
    sync.keys.clear()
    z.resize(12)
    z.append(np.arange(4))
    assert sync.keys[0] == prefix + ".zarray" and sync.keys[1] == prefix + ".zarray"
    assert z.shape == (16,) and z[12:].tolist() == [0, 1, 2, 3]


def _check_group(g: zarr5.Group, sync: RecordingSynchronizer) -> None:
    assert g.synchronizer is sync
    sync.keys.clear()
    g.attrs["who"] = "me"
    assert sync.keys == [(g.path + "/" if g.path else "") + ".zattrs"]


ARRAY_OPENERS: dict[str, Callable[[Any, Any], zarr5.Array]] = {
    "create": lambda s, sync: zarr5.create(8, chunks=4, store=s, synchronizer=sync),
    "empty": lambda s, sync: zarr5.empty(8, chunks=4, store=s, synchronizer=sync),
    "zeros": lambda s, sync: zarr5.zeros(8, chunks=4, store=s, synchronizer=sync),
    "ones": lambda s, sync: zarr5.ones(8, chunks=4, store=s, synchronizer=sync),
    "full": lambda s, sync: zarr5.full(8, 3, chunks=4, store=s, synchronizer=sync),
    "array": lambda s, sync: zarr5.array(np.arange(8), chunks=4, store=s, synchronizer=sync),
    "zeros_like": lambda s, sync: zarr5.zeros_like(np.zeros(8), chunks=4, store=s, synchronizer=sync),
    "ones_like": lambda s, sync: zarr5.ones_like(np.zeros(8), chunks=4, store=s, synchronizer=sync),
    "empty_like": lambda s, sync: zarr5.empty_like(np.zeros(8), chunks=4, store=s, synchronizer=sync),
    "full_like": lambda s, sync: zarr5.full_like(np.zeros(8), chunks=4, fill_value=2, store=s,
                                                 synchronizer=sync),
    "open_like": lambda s, sync: zarr5.open_like(np.zeros(8), s, chunks=4, synchronizer=sync),
    "open_array w": lambda s, sync: zarr5.open_array(s, mode="w", shape=8, chunks=4, synchronizer=sync),
    "open_array r+": lambda s, sync: zarr5.open_array(_existing_array(s), mode="r+", synchronizer=sync),
    "open w": lambda s, sync: zarr5.open(s, mode="w", shape=8, chunks=4, synchronizer=sync),
    "open a": lambda s, sync: zarr5.open(_existing_array(s), mode="a", synchronizer=sync),
    "Array": lambda s, sync: zarr5.Array(_existing_array(s), synchronizer=sync),
    "view": lambda s, sync: zarr5.Array(_existing_array(s)).view(synchronizer=sync),
}


def _existing_array(path: str) -> zarr5.DirectoryStore:
    store = zarr5.DirectoryStore(path)
    zarr5.zeros(8, chunks=4, store=store, overwrite=True)
    return store


@pytest.mark.parametrize("opener", ARRAY_OPENERS, ids=list(ARRAY_OPENERS))
def test_array_functions_take_a_synchronizer(opener, tmp_path):
    sync = RecordingSynchronizer()
    _check_array(ARRAY_OPENERS[opener](str(tmp_path / "a.zarr"), sync), sync)


GROUP_OPENERS: dict[str, Callable[[Any, Any], zarr5.Group]] = {
    "group": lambda s, sync: zarr5.group(s, synchronizer=sync),
    "open_group w": lambda s, sync: zarr5.open_group(s, mode="w", synchronizer=sync),
    "open_group a": lambda s, sync: zarr5.open_group(s, mode="a", synchronizer=sync),
    "open": lambda s, sync: zarr5.open(s, mode="a", synchronizer=sync),
    "Group": lambda s, sync: zarr5.Group(_existing_group(s), synchronizer=sync),
}


def _existing_group(path: str) -> zarr5.DirectoryStore:
    store = zarr5.DirectoryStore(path)
    zarr5.group(store, overwrite=True)
    return store


# every way a group hands out a member array: each must carry the group's synchronizer
MEMBER_ARRAYS: dict[str, Callable[[zarr5.Group], zarr5.Array]] = {
    "zeros": lambda g: g.zeros("x", shape=8, chunks=4),
    "ones": lambda g: g.ones("x", shape=8, chunks=4),
    "empty": lambda g: g.empty("x", shape=8, chunks=4),
    "full": lambda g: g.full("x", 1, shape=8, chunks=4),
    "create": lambda g: g.create("x", shape=8, chunks=4),
    "create_dataset": lambda g: g.create_dataset("x", shape=8, chunks=4),
    "create_dataset data": lambda g: g.create_dataset("x", data=np.arange(8), chunks=4),
    "require_dataset": lambda g: g.require_dataset("x", shape=8, chunks=4, dtype="f8"),
    "require_dataset existing": lambda g: (g.zeros("x", shape=8, chunks=4),
                                           g.require_dataset("x", shape=8, dtype="f8"))[1],
    "array": lambda g: g.array("x", np.arange(8), chunks=4),
    "zeros_like": lambda g: g.zeros_like("x", np.zeros(8), chunks=4),
    "getitem": lambda g: (g.zeros("x", shape=8, chunks=4), g["x"])[1],
    "getattr": lambda g: (g.zeros("x", shape=8, chunks=4), g.x)[1],
    "nested": lambda g: (g.zeros("p/q/x", shape=8, chunks=4), g["p"]["q"]["x"])[1],
    "values": lambda g: (g.zeros("x", shape=8, chunks=4), next(iter(g.values())))[1],
    "arrays": lambda g: (g.zeros("x", shape=8, chunks=4), dict(g.arrays())["x"])[1],
    "visititems": lambda g: (g.zeros("s/x", shape=8, chunks=4),
                             g.visititems(lambda name, obj: obj if name == "s/x" else None))[1],
}


@pytest.mark.parametrize("opener", GROUP_OPENERS, ids=list(GROUP_OPENERS))
def test_group_functions_take_a_synchronizer(opener, tmp_path):
    sync = RecordingSynchronizer()
    g = GROUP_OPENERS[opener](str(tmp_path / "g.zarr"), sync)
    _check_group(g, sync)
    _check_array(g.zeros("member", shape=8, chunks=4), sync)


@pytest.mark.parametrize("member", MEMBER_ARRAYS, ids=list(MEMBER_ARRAYS))
def test_group_members_inherit_the_synchronizer(member):
    sync = RecordingSynchronizer()
    g = zarr5.group(zarr5.MemoryStore(), synchronizer=sync)
    _check_array(MEMBER_ARRAYS[member](g), sync)


def test_subgroups_inherit_the_synchronizer():
    sync = RecordingSynchronizer()
    g = zarr5.group(synchronizer=sync)
    g.create_group("a").create_group("b")
    for sub in (g.create_group("c"), g.require_group("a"), g["a/b"], g.a, dict(g.groups())["c"],
                g.require_groups("d")[0], g.create_groups("e")[0]):
        _check_group(sub, sync)
    _check_array(g["a"]["b"].zeros("z", shape=8, chunks=4), sync)


def test_consolidated_hierarchy_keeps_the_synchronizer(tmp_path):
    path = str(tmp_path / "c.zarr")
    zarr5.open_group(path, mode="w").zeros("x", shape=8, chunks=4)
    zarr5.consolidate_metadata(path)
    sync = RecordingSynchronizer()
    g = zarr5.open_consolidated(path, synchronizer=sync)
    assert g.synchronizer is sync
    z = g["x"]
    assert z.synchronizer is sync
    sync.keys.clear()
    z[1:3] = 5  # metadata are read-only here, chunks are not
    assert sync.keys == ["x/0"]
    assert zarr5.open_consolidated(path, synchronizer=sync, path="x").synchronizer is sync


def test_pickled_arrays_and_groups_keep_a_process_synchronizer(tmp_path):
    sync = zarr5.ProcessSynchronizer(tmp_path / "locks")
    g = zarr5.open_group(str(tmp_path / "p.zarr"), mode="w", synchronizer=sync)
    z = g.zeros("x", shape=8, chunks=4)
    for obj in (g, z):
        again = pickle.loads(pickle.dumps(obj))
        assert again.synchronizer == sync
    assert pickle.loads(pickle.dumps(g))["x"].synchronizer == sync


def test_thread_synchronizer_pickles_to_a_fresh_one():
    sync = zarr5.ThreadSynchronizer()
    lock = sync["k"]
    with lock:
        again = pickle.loads(pickle.dumps(sync))
        assert isinstance(again, zarr5.ThreadSynchronizer)
        assert again["k"].acquire(blocking=False)  # a copy's locks are its own


def test_zarr_sync_module_names():
    from zarr5 import sync

    assert sync.ThreadSynchronizer is zarr5.ThreadSynchronizer
    assert sync.ProcessSynchronizer is zarr5.ProcessSynchronizer


# the locks themselves ---------------------------------------------------------------------------


def test_process_lock_files_mirror_the_key_layout(tmp_path):
    sync = zarr5.ProcessSynchronizer(tmp_path / "locks")
    with sync["a/b/.zattrs"]:
        assert (tmp_path / "locks" / "a" / "b" / ".zattrs").is_file()
    with sync["a/b/0.0"]:
        pass
    assert sorted(p.name for p in (tmp_path / "locks" / "a" / "b").iterdir()) == [".zattrs", "0.0"]


@pytest.mark.parametrize("key", ["../escape", "/abs", "a/../../b", "a\\b", "a\x00b", "", "a//b"])
def test_process_lock_keys_cannot_escape_the_lock_directory(tmp_path, key):
    sync = zarr5.ProcessSynchronizer(tmp_path / "locks")
    with pytest.raises(InvalidKeyError):
        sync[key]
    assert not (tmp_path / "escape").exists() and not (tmp_path / "b").exists()


def test_process_lock_excludes_threads_of_one_process(tmp_path):
    # POSIX record locks belong to the process, so the file lock alone would let both threads in
    sync = zarr5.ProcessSynchronizer(tmp_path / "locks")
    first = sync["k"]
    assert first.acquire()
    second = zarr5.ProcessSynchronizer(tmp_path / "locks")["k"]
    assert not second.acquire(blocking=False)
    assert not second.acquire(timeout=0.01)
    first.release()
    assert second.acquire(blocking=False)
    second.release()
