"""The zarr-python-3-shaped vocabulary (zarr5.zarr3): names, defaults, reports, and install()."""

from __future__ import annotations

import json
import pathlib
import pickle
import subprocess
import sys

import numpy as np
import pytest

import zarr5.zarr3 as zarr


def test_defaults_are_zarr_v3_with_zstd(tmp_path: pathlib.Path) -> None:
    a = zarr.create_array(str(tmp_path / "a.zarr"), shape=(10, 10), chunks=(5, 5), dtype="f4")
    doc = json.loads((tmp_path / "a.zarr" / "zarr.json").read_text())
    assert doc["zarr_format"] == 3
    assert doc["codecs"] == [{"name": "bytes", "configuration": {"endian": "little"}},
                             {"name": "zstd", "configuration": {"level": 0, "checksum": False}}]
    assert a.compressors == (zarr.codecs.ZstdCodec(level=0, checksum=False),)
    assert a.serializer == zarr.codecs.BytesCodec(endian="little")
    assert a.filters == ()
    assert repr(a) == f"<Array file://{(tmp_path / 'a.zarr').as_posix()} shape=(10, 10) dtype=float32>"
    assert isinstance(a, zarr.Array)


def test_codec_keywords_make_one_chain(tmp_path: pathlib.Path) -> None:
    a = zarr.create_array(str(tmp_path / "b.zarr"), shape=(8, 6), chunks=(4, 3), dtype="i2",
                          filters=zarr.codecs.TransposeCodec(order=(1, 0)),
                          serializer=zarr.codecs.BytesCodec(endian="big"),
                          compressors=[zarr.codecs.BloscCodec(cname="zstd", clevel=1),
                                       zarr.codecs.Crc32cCodec()])
    a[:] = np.arange(48).reshape(8, 6)
    names = [c["name"] for c in json.loads((tmp_path / "b.zarr" / "zarr.json").read_text())["codecs"]]
    assert names == ["transpose", "bytes", "blosc", "crc32c"]
    blosc = a.compressors[0]
    assert blosc.typesize == 2 and blosc.shuffle == zarr.codecs.BloscShuffle.shuffle
    assert zarr.open_array(str(tmp_path / "b.zarr"), mode="r")[3, 2] == 20


def test_numcodecs_inside_v3_chains(tmp_path: pathlib.Path) -> None:
    import numcodecs

    from zarr5.zarr3.codecs.numcodecs import LZMA, Delta

    a = zarr.create_array(str(tmp_path / "c.zarr"), shape=(40,), chunks=(16,), dtype="i4",
                          filters=[numcodecs.Delta("i4")], compressors=LZMA(preset=1))
    a[:] = np.arange(40) ** 2
    names = [c["name"] for c in json.loads((tmp_path / "c.zarr" / "zarr.json").read_text())["codecs"]]
    assert names == ["numcodecs.delta", "bytes", "numcodecs.lzma"]
    assert a.filters == (Delta(dtype="<i4", astype="<i4"),)
    assert repr(a.compressors[0]) == "LZMA(codec_name='numcodecs.lzma', codec_config={'preset': 1})"
    assert zarr.open_array(str(tmp_path / "c.zarr"), mode="r")[...].tolist() == [i * i for i in range(40)]
    with pytest.raises(ValueError, match="numcodecs.delta.*bad configuration"):
        zarr.create_array(str(tmp_path / "d.zarr"), shape=(4,), dtype="i4",
                          filters=[{"name": "numcodecs.delta", "configuration": {"dtype": "nope"}}])


def test_zarr_format_2_takes_numcodecs(tmp_path: pathlib.Path) -> None:
    import numcodecs

    a = zarr.create_array(str(tmp_path / "d.zarr"), shape=(4,), dtype="i4", zarr_format=2,
                          compressors=numcodecs.GZip(2))
    stored = json.loads((tmp_path / "d.zarr" / ".zarray").read_text())["compressor"]
    assert stored == {"id": "gzip", "level": 2}
    assert a.compressors == (numcodecs.GZip(2),)


def test_groups_reports_and_tree() -> None:
    root = zarr.create_group(store=zarr.storage.MemoryStore(), attributes={"k": 1})
    foo = root.create_group("foo", attributes={"kind": "child"})
    bar = foo.create_array(name="bar", shape=(100,), chunks=(10,), dtype="int64")
    bar[:] = 42
    assert isinstance(root["foo"], zarr.Group) and isinstance(root["foo/bar"], zarr.Array)
    assert dict(root.attrs) == {"k": 1} and dict(foo.attrs) == {"kind": "child"}
    assert [name for name, _ in root.members(max_depth=None)] == ["foo", "foo/bar"]
    assert str(root.tree()).splitlines() == ["/", "└── foo", "    └── bar (100,) int64"]
    info = str(bar.info_complete()).splitlines()
    assert info[2] == "Data type          : Int64(endianness='little')"
    assert info[-1] == "Chunks Initialized : 10"
    assert str(foo.info).splitlines()[0].rstrip() == "Name        : foo"
    with pytest.raises(zarr.errors.ContainsGroupError):
        zarr.create_group(store=root.store)


def test_config_order_and_empty_chunks() -> None:
    a = zarr.create_array({}, shape=(10,), chunks=(5,), dtype="u1")
    assert a.config == a.config.__class__(order="C", write_empty_chunks=False)
    a[:] = 0
    assert a.nchunks_initialized == 0  # zarr-python 3 leaves chunks equal to the fill value out
    with zarr.config.set({"array.order": "F"}):
        assert zarr.config.get("array.order") == "F"
        assert zarr.create_array({}, shape=(2, 2), dtype="u1").config.order == "F"
    assert zarr.config.get("array.order") == "C"
    b = a.with_config({"write_empty_chunks": True})
    b[:] = 0
    assert b.nchunks_initialized == 2


def test_save_load_pickle_zip(tmp_path: pathlib.Path) -> None:
    zarr.save(str(tmp_path / "s.zarr"), np.arange(5))
    assert zarr.load(str(tmp_path / "s.zarr")).tolist() == [0, 1, 2, 3, 4]
    a = zarr.open_array(str(tmp_path / "s.zarr"), mode="r")
    assert pickle.loads(pickle.dumps(a))[...].tolist() == [0, 1, 2, 3, 4]
    store = zarr.storage.ZipStore(str(tmp_path / "z.zip"), mode="w")
    z = zarr.create_array(store=store, shape=(3,), dtype="f8")
    z[:] = 1.5
    store.close()
    assert repr(z).startswith("<Array zip://")
    ro = zarr.storage.ZipStore(str(tmp_path / "z.zip"), read_only=True)
    assert zarr.open_array(ro, mode="r")[...].tolist() == [1.5] * 3


def test_install_binds_zarr_3_vocabulary(tmp_path: pathlib.Path) -> None:
    code = ("import zarr5; zarr5.install('zarr', api=3)\n"
            "import zarr, zarr.storage, zarr.codecs, importlib.metadata\n"
            "from zarr.api.synchronous import create_array\n"
            "a = create_array(zarr.storage.LocalStore('x.zarr'), shape=(2,), dtype='i1')\n"
            "print(zarr.__version__, importlib.metadata.version('zarr'), type(a) is zarr.Array)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(pathlib.Path(__file__).resolve().parents[2]), "PATH": ""})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["3.1.6", "3.1.6", "True"]


def test_cache_store_hits_and_limits(tmp_path: pathlib.Path) -> None:
    from zarr5.zarr3.experimental.cache_store import CacheStore

    source = zarr.storage.LocalStore(str(tmp_path / "src.zarr"))
    cached = CacheStore(source, cache_store=zarr.storage.MemoryStore(), max_size=10_000)
    a = zarr.zeros((40,), chunks=(10,), dtype="f8", store=cached, mode="w")
    a[:] = np.arange(40.0)
    info = cached.cache_info()
    assert info["cached_keys"] == 5 and info["current_size"] <= 10_000  # zarr.json + 4 chunks
    before = cached.cache_stats()["hits"]
    assert zarr.open_array(cached, mode="r")[...].tolist() == list(np.arange(40.0))
    assert cached.cache_stats()["hits"] > before
    # the source holds everything: a store without the cache reads the same
    assert zarr.open_array(str(tmp_path / "src.zarr"), mode="r")[12] == 12.0
    # room for the largest chunk only: reading every chunk must evict
    largest = max(len(source[f"c/{i}"]) for i in range(4))
    tiny = CacheStore(source, cache_store=zarr.storage.MemoryStore(), max_size=largest)
    zarr.open_array(tiny, mode="r")[...]
    assert tiny.cache_info()["current_size"] <= largest and tiny.cache_stats()["evictions"] >= 3
    import asyncio

    asyncio.run(cached.clear_cache())
    assert cached.cache_info()["cached_keys"] == 0


def test_data_type_objects() -> None:
    int8 = zarr.dtype.Int8.from_native_dtype(np.dtype("int8"))
    assert int8.to_json(zarr_format=3) == "int8"
    assert int8.to_json(zarr_format=2) == {"name": "|i1", "object_codec_id": None}
    assert int8.from_json_scalar(42, zarr_format=3) == np.int8(42)
    dt = zarr.dtype.parse_dtype(">M8[10s]", zarr_format=2)
    assert repr(dt) == "DateTime64(endianness='big', scale_factor=10, unit='s')"
    assert dt.to_native_dtype() == np.dtype(">M8[10s]")
    assert zarr.dtype.parse_dtype(dt.to_json(zarr_format=3), zarr_format=3).unit == "s"
    with pytest.raises(ValueError, match="unknown Zarr v3 data type"):
        zarr.dtype.parse_dtype({"name": "numpy.nonesuch"}, zarr_format=3)


def test_metadata_objects_and_create_hierarchy() -> None:
    from zarr5.zarr3.core.group import GroupMetadata

    store = zarr.storage.MemoryStore()
    root = zarr.create_group(store=store, attributes={"name": "root"})
    root.create_array(name="a", shape=(4,), chunks=(2,), dtype="f8", dimension_names=["t"])
    root.create_group("g").create_group("h", attributes={"kind": "leaf"})
    meta = root["a"].metadata
    assert (meta.shape, meta.chunk_grid.chunk_shape, meta.dimension_names) == ((4,), (2,), ("t",))
    assert repr(meta.fill_value) == "np.float64(0.0)"
    assert [c.name for c in meta.codecs] == ["bytes", "zstd"]
    assert root.metadata.consolidated_metadata is None
    zarr.consolidate_metadata(store)
    cons = zarr.open_group(store=store).metadata.consolidated_metadata.metadata
    assert sorted(cons) == ["a", "g"]
    assert cons["g"].consolidated_metadata.metadata["h"].attributes == {"kind": "leaf"}
    nodes = {"": root.metadata, "a": meta, "x/y": GroupMetadata(attributes={"k": 1})}
    made = dict(zarr.create_hierarchy(store=zarr.storage.MemoryStore(), nodes=nodes))
    assert sorted(made) == ["", "a", "x", "x/y"]
    assert made["a"].metadata.to_dict() == meta.to_dict()
    assert dict(made["x/y"].attrs) == {"k": 1} and dict(made[""].attrs) == {"name": "root"}


def test_missing_nodes_are_file_not_found(tmp_path: pathlib.Path) -> None:
    import zarr5

    missing = str(tmp_path / "nothing.zarr")
    for call in (lambda: zarr.open_group(missing, mode="r"), lambda: zarr.open_array(missing, mode="r"),
                 lambda: zarr.open(missing, mode="r")):
        with pytest.raises(FileNotFoundError) as info:
            call()
        assert isinstance(info.value, zarr.errors.NodeNotFoundError)
        assert isinstance(info.value, zarr5.errors.PathNotFoundError)  # zarr5's own type still catches it
    zarr.create_group(str(tmp_path / "g.zarr"))
    with pytest.raises(zarr.errors.ArrayNotFoundError):
        zarr.open_array(str(tmp_path / "g.zarr"), mode="r", path="a")


def test_nbytes_stored_counts_nested_chunk_keys(tmp_path: pathlib.Path) -> None:
    import os

    a = zarr.create_array(str(tmp_path / "n.zarr"), shape=(40, 40), chunks=(10, 10), shards=(20, 20),
                          dtype="i4")
    a[:] = np.arange(1600).reshape(40, 40)
    on_disk = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(tmp_path / "n.zarr")
                  for f in files)
    assert a.nbytes_stored == on_disk > 4 * 1000  # zarr.json and four shards under c/i/j
    assert a.nshards_initialized == 4


def test_store_classes_open_urls_pickle_and_refuse_writes() -> None:
    pytest.importorskip("fsspec", reason="FsspecStore needs fsspec (pip install '.[test]')")
    url = f"memory://zarr5-api3-{id(object())}"
    root = zarr.open_group(url, mode="w")
    assert isinstance(root.store, zarr.storage.FsspecStore) and root.store.url == url
    root.create_array("a", shape=(3,), dtype="i2")[:] = [1, 2, 3]
    assert zarr.open_array(zarr.storage.FsspecStore.from_url(url, read_only=True), path="a")[:].tolist() == [
        1, 2, 3]
    store = zarr.storage.MemoryStore({"k": b"v"}, read_only=True)
    copy = pickle.loads(pickle.dumps(store))
    assert copy.read_only and dict(copy._mutable_mapping) == {"k": b"v"}
    for write in (lambda s: s.__setitem__("k", b"w"), lambda s: s.__delitem__("k")):
        with pytest.raises(PermissionError):
            write(store)
    assert dict(store._mutable_mapping) == {"k": b"v"}


def test_group_creation_shortcuts_take_zarr_3_keywords() -> None:
    root = zarr.create_group(store=zarr.storage.MemoryStore())
    assert root.zeros(name="z", shape=(2,), dtype="i1")[:].tolist() == [0, 0]
    assert root.ones(name="o", shape=(2,), dtype="i1")[:].tolist() == [1, 1]
    assert root.full(name="f", shape=(2,), fill_value=7, dtype="i1")[:].tolist() == [7, 7]
    assert root.empty(name="e", shape=(2,), dtype="i1").shape == (2,)
    with pytest.raises(TypeError, match="shape"):
        root.zeros(name="noshape", dtype="i1")
    assert sorted(a.basename for a in root.array_values()) == ["e", "f", "o", "z"]


def test_zip_store_pickles_as_zarr_3_opens_it(tmp_path: pathlib.Path) -> None:
    store = zarr.storage.ZipStore(str(tmp_path / "p.zip"), mode="w")
    zarr.create_array(store=store, shape=(2,), dtype="i1")[:] = [3, 4]
    copy = pickle.loads(pickle.dumps(store))
    assert type(copy) is zarr.storage.ZipStore and copy.url == store.url and not copy.read_only
    assert zarr.open_array(copy, mode="r")[:].tolist() == [3, 4]
