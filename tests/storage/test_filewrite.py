"""The native write loop (zarr5/storage/_filewrite.c) and DirectoryStore.set_many over it and without it.

The loop writes a group of files with the GIL released once: each through a temporary file renamed into
place, stopping at the first file it cannot write without leaving a temporary file behind.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest

from zarr5.storage import DirectoryStore, directory

native = pytest.mark.skipif(directory._filewrite is None,
                            reason="zarr5.storage._filewrite is not built (no C compiler at install)")


def _partials(root: Path) -> list[str]:
    return [n for _, _, files in os.walk(root) for n in files if n.endswith(".partial")]


@native
def test_writes_every_file_whole(tmp_path: Path) -> None:
    sizes = [0, 1, 4095, 80_000, 3 << 20]
    items = [(f"{tmp_path}/f{i}", os.urandom(sizes[i % len(sizes)])) for i in range(50)]
    assert directory._filewrite.write_files(items, "ab" * 12) == (50, 0)
    for path, data in items:
        assert Path(path).read_bytes() == data
    assert not _partials(tmp_path)


@native
def test_replaces_existing_files(tmp_path: Path) -> None:
    path = tmp_path / "k"
    path.write_bytes(b"old value, longer than the new one")
    inode = path.stat().st_ino
    assert directory._filewrite.write_files([(str(path), b"new")], "cd" * 12) == (1, 0)
    assert path.read_bytes() == b"new" and path.stat().st_ino != inode  # a new file renamed over it


@native
def test_makes_a_missing_directory_one_level_deep(tmp_path: Path) -> None:
    items = [(f"{tmp_path}/new/{i}", b"%d" % i) for i in range(3)] + [(f"{tmp_path}/other/0", b"x")]
    assert directory._filewrite.write_files(items, "67" * 12) == (4, 0)
    assert sorted(os.listdir(tmp_path / "new")) == ["0", "1", "2"]
    assert (tmp_path / "other" / "0").read_bytes() == b"x"
    with pytest.raises(IndexError):
        directory._filewrite.write_files(items, "67" * 12, start=5)
    assert directory._filewrite.write_files(items, "67" * 12, start=4) == (4, 0)


@native
def test_takes_any_contiguous_buffer(tmp_path: Path) -> None:
    values = [bytearray(b"bytearray"), memoryview(b"a memoryview"), np.arange(10, dtype="i8")]
    items = [(f"{tmp_path}/v{i}", v) for i, v in enumerate(values)]
    assert directory._filewrite.write_files(items, "ef" * 12, fsync=True) == (3, 0)
    assert [Path(p).read_bytes() for p, _ in items] == [bytes(v) for v in values]


@native
def test_stops_at_the_first_failure_leaving_no_temporary_file(tmp_path: Path) -> None:
    items = [(f"{tmp_path}/a", b"1"), (f"{tmp_path}/missing/deeper/b", b"2"), (f"{tmp_path}/c", b"3")]
    assert directory._filewrite.write_files(items, "01" * 12) == (1, errno.ENOENT)
    assert (tmp_path / "a").read_bytes() == b"1" and not (tmp_path / "c").exists()
    assert not (tmp_path / "missing").exists()
    assert directory._filewrite.write_files(items, "01" * 12, start=2) == (3, 0)
    assert (tmp_path / "c").read_bytes() == b"3"
    (tmp_path / "file").write_bytes(b"a file")
    assert directory._filewrite.write_files([(f"{tmp_path}/file/x", b"4")], "01" * 12) == (0, errno.ENOTDIR)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x").write_bytes(b"kept")
    done, error = directory._filewrite.write_files([(f"{tmp_path}/d", b"4")], "23" * 12)
    assert done == 0 and error in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST)
    assert (tmp_path / "d" / "x").read_bytes() == b"kept"
    assert not _partials(tmp_path)


@native
def test_bad_items_raise_before_any_file_is_written(tmp_path: Path) -> None:
    first = f"{tmp_path}/first"
    for bad, error in [((first, 5), TypeError), ((first,), TypeError), ("not a pair", TypeError),
                       ((first, np.arange(10)[::2]), (BufferError, ValueError)), ((7, b"x"), TypeError)]:
        with pytest.raises(error):
            directory._filewrite.write_files([(first, b"x"), bad], "45" * 12)
        assert not os.path.exists(first)
    with pytest.raises(TypeError):
        directory._filewrite.write_files(5, "45" * 12)


@pytest.fixture(params=["native", "python"])
def write_loop(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """DirectoryStore.set_many with the native loop, and with the Python loop it falls back to."""
    if request.param == "native":
        if directory._filewrite is None:
            pytest.skip("zarr5.storage._filewrite is not built (no C compiler at install)")
    else:
        monkeypatch.setattr(directory, "_filewrite", None)
        assert not DirectoryStore(tmp_path / "unused").native_set_many
    return request.param


@pytest.mark.parametrize("count", [5, 40, 300])
def test_set_many_handles_keys_that_need_more(tmp_path: Path, write_loop: str, count: int) -> None:
    # keys in missing directories, a key replacing a directory of keys, and a key under a stored key
    # take the general path, each as a single write would; the keys after them are written too
    store = DirectoryStore(tmp_path / "s")
    store["old/0"] = b"x"
    store["blocker"] = b"file"
    items = {f"deep/er/{i}": bytes([i % 256]) * (i + 1) for i in range(count)}
    items.update({f"flat{i}": b"f%d" % i for i in range(count)})
    items["old"] = b"replaces a directory"
    items.update({f"new{i}/k": b"n" for i in range(3)})
    store.set_many(items)
    assert store.get_many(list(items)) == items
    assert "old/0" not in store
    assert not _partials(tmp_path)
    with pytest.raises(KeyError, match="blocker/x"):
        store.set_many({**{f"n{i}": b"1" for i in range(count)}, "blocker/x": b"2"})
    assert store[f"n{count - 1}"] == b"1" and store["blocker"] == b"file"
    assert not _partials(tmp_path)


def test_set_many_with_fsync(tmp_path: Path, write_loop: str) -> None:
    store = DirectoryStore(tmp_path / "s")
    store.fsync = True
    items = {f"a/{i}": os.urandom(100) for i in range(70)}
    store.set_many(items)
    assert store.get_many(list(items)) == items


def test_native_temporary_names_are_ones_the_store_hides(tmp_path: Path) -> None:
    # the loop's names follow the store's pattern (so keys and listdir skip a crash's leftovers) and
    # carry a token of their own, apart from the Python writes' numbering
    token = directory._native_token
    assert len(token) == 24 and token != directory._temp_token
    assert directory._is_temp(f".0.0.{token}{0xABC:08x}.partial")


def test_a_subclass_with_its_own_setitem_gets_each_chunk_written_through_it(tmp_path: Path) -> None:
    # the engine stores small chunks through set_many only where that is the plain store's: a
    # subclass translating or logging keys in __setitem__ still sees every chunk
    import zarr5

    seen: list[str] = []

    class Logging(DirectoryStore):
        def __setitem__(self, key: str, value: object) -> None:
            seen.append(key)
            super().__setitem__(key, value)

    store = Logging(tmp_path / "s")
    assert not store.native_set_many
    assert DirectoryStore(tmp_path / "t").native_set_many is (directory._filewrite is not None)
    with zarr5.config.using(max_workers=2):
        z = zarr5.open_array(store, mode="w", shape=(400,), chunks=(4,), dtype="i4")
        z[...] = np.arange(400)
    assert sorted(k for k in seen if not k.startswith(".")) == sorted(str(i) for i in range(100))
    np.testing.assert_array_equal(z[...], np.arange(400))
