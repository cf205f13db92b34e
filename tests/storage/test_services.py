"""RedisStore, MongoDBStore and ABSStore against real servers on loopback (see tests/servers.py).

Redis is Debian's redis-server; Azure Blob Storage is Microsoft's emulator Azurite; the MongoDB
store talks, through the real pymongo driver, to nx-27017, a server speaking MongoDB's wire
protocol over SQLite: **not MongoDB itself** (no mongod installs on this machine).
"""

from __future__ import annotations

import os
import signal
import uuid
import warnings

import numpy as np
import pytest

import zarr5
import zarr5.zarr2
import zarr5.zarr2.storage
from zarr5.errors import StoreUnreachableError
from zarr5.hdf5lib import real_h5py
from zarr5.storage import ABSStore, FSStore, MongoDBStore, RedisStore

from .contract import TREE, StoreContract


def _name(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def _no_retries() -> dict:
    """redis-py retries a failed command 3 times with back-off; the outage tests want the first error."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"retry": Retry(NoBackoff(), 0)}


def _redis(server, prefix: str | None = None, **kw) -> RedisStore:
    return RedisStore(prefix=prefix or _name("t"), host="127.0.0.1", port=server.port, **kw)


def _mongo(server, collection: str | None = None, **kw) -> MongoDBStore:
    return MongoDBStore(database="zarr5_tests", collection=collection or _name("c"), host="127.0.0.1",
                        port=server.port, serverSelectionTimeoutMS=3000, **kw)


def _container(server, name: str | None = None, **kw):
    from azure.core.exceptions import ResourceExistsError
    from azure.storage.blob import ContainerClient

    client = ContainerClient.from_connection_string(server.connection_string, name or _name("c"), **kw)
    try:
        client.create_container()
    except ResourceExistsError:
        pass
    return client


# the contract, per store
class TestRedisStore(StoreContract):
    @pytest.fixture
    def store(self, redis_server):
        store = _redis(redis_server)
        yield store
        store.clear()
        store.close()

    def reopen(self, store: RedisStore) -> RedisStore:
        store.close()
        return RedisStore(store._prefix, **store._kwargs)


class TestMongoDBStore(StoreContract):
    @pytest.fixture
    def store(self, mongo_server):
        store = _mongo(mongo_server)
        yield store
        store.close()  # the test may have closed it already: a new client drops the collection
        cleanup = _mongo(mongo_server, store._collection)
        cleanup.collection.drop()
        cleanup.close()

    def reopen(self, store: MongoDBStore) -> MongoDBStore:
        store.close()
        return MongoDBStore(store._database, store._collection, **store._kwargs)


class TestABSStore(StoreContract):
    """A prefix inside a shared container, as most users lay data out."""

    @pytest.fixture
    def store(self, azurite_server):
        store = ABSStore(prefix=_name("p") + "/data.zarr", client=_container(azurite_server, "contract"))
        yield store
        store.rmdir()

    def reopen(self, store: ABSStore) -> ABSStore:
        return ABSStore(prefix=store.prefix, client=store.client)


class TestABSStoreContainerRoot(StoreContract):
    """The whole container as the store (prefix '')."""

    @pytest.fixture
    def store(self, azurite_server):
        client = _container(azurite_server)
        yield ABSStore(client=client)
        client.delete_container()

    def reopen(self, store: ABSStore) -> ABSStore:
        return ABSStore(client=store.client)


# prefixes and collections keep stores apart on one server
def test_redis_prefixes_do_not_mix(redis_server) -> None:
    a, b = _redis(redis_server, "same"), _redis(redis_server, "other")
    a.clear(), b.clear()
    a["k"] = b"1"
    b["k"] = b"2"
    try:
        assert list(a) == ["k"] and list(b) == ["k"] and a["k"] == b"1"
        # glob characters in a key are literal for listings
        a["x*/[y]"] = b"3"
        assert a.listdir("x*") == ["[y]"] and a.listdir("x") == []
        raw = sorted(a.client.keys("same*"))
        assert raw == [b"same:k", b"same:x*/[y]"]  # zarr-python 2's key layout
    finally:
        a.clear(), b.clear()


def test_redis_batches_are_single_round_trips(redis_server) -> None:
    store = _redis(redis_server)
    store.set_many({f"arr/{i}": bytes([i]) for i in range(50)})
    before = store.client.info("commandstats")
    got = store.get_many([f"arr/{i}" for i in range(50)] + ["arr/missing"])
    after = store.client.info("commandstats")
    assert len(got) == 50
    # one MGET answered all 51 keys (the INFO call itself is the only other command)
    assert after["cmdstat_mget"]["calls"] - before.get("cmdstat_mget", {"calls": 0})["calls"] == 1
    assert after.get("cmdstat_get", {"calls": 0})["calls"] == before.get("cmdstat_get", {"calls": 0})["calls"]
    store.clear()


def test_mongo_layout_is_zarr_pythons(mongo_server) -> None:
    store = _mongo(mongo_server)
    store["a/b"] = b"\x00\x01"
    store["a/b"] = b"\x00\x02"  # an update of a document holding bytes (replace_one fails on nx-27017)
    docs = list(store.collection.find({}, {"_id": 0}))
    assert docs == [{"key": "a/b", "value": b"\x00\x02"}]
    store.collection.drop()


def test_mongo_refuses_oversized_value_keeping_the_old(mongo_server) -> None:
    store = _mongo(mongo_server)
    store["big"] = b"old"
    with pytest.raises(ValueError, match="'big'.*16"):
        store["big"] = np.zeros(17 * 2**20, "u1")
    with pytest.raises(ValueError, match="'big'"):
        store.set_many({"small": b"1", "big": np.zeros(17 * 2**20, "u1")})
    assert dict(store.items()) == {"big": b"old"}
    store.collection.drop()


def test_abs_prefix_forms_and_deprecated_constructor(azurite_server) -> None:
    client = _container(azurite_server)
    for prefix in ["p", "/p", "p/", "p/q"]:
        store = ABSStore(prefix=prefix, client=client)
        store["a"] = b"1"
        assert list(store) == ["a"] and store.prefix == prefix.strip("/")
        store.rmdir()
    assert list(client.list_blobs()) == []
    with pytest.warns(FutureWarning, match="Providing"):
        old = ABSStore("box", account_name="acct", account_key="key")
    with pytest.warns(FutureWarning, match="container"):
        assert old.container == "box"
    assert old.client.url.startswith("https://acct.blob.core.windows.net")
    client.delete_container()


def test_abs_batch_downloads_run_concurrently(azurite_server) -> None:
    import threading

    store = ABSStore(client=_container(azurite_server))
    store.set_many({f"c/{i}": bytes([i]) * 1000 for i in range(32)})
    seen: set[int] = set()
    original = store._download

    def spy(key, *args, **kwargs):
        seen.add(threading.get_ident())
        return original(key, *args, **kwargs)

    store._download = spy  # type: ignore[method-assign] - counts threads, the requests stay real
    assert len(store.get_many([f"c/{i}" for i in range(32)])) == 32
    if zarr5.config.get("max_workers") > 1:
        assert len(seen) > 1
    store.client.delete_container()


# both vocabularies, and copies from HDF5
@pytest.fixture(params=["redis", "mongo", "abs"])
def service_store(request):
    if request.param == "redis":
        store = _redis(request.getfixturevalue("redis_server"))
    elif request.param == "mongo":
        store = _mongo(request.getfixturevalue("mongo_server"))
    else:
        store = ABSStore(prefix="data.zarr", client=_container(request.getfixturevalue("azurite_server")))
    yield store
    store.clear()


def test_zarr_vocabulary_round_trip(service_store) -> None:
    # zarr-2 code finds the class where zarr-python 2 has it
    name = type(service_store).__name__
    assert getattr(zarr5.zarr2, name) is getattr(zarr5.zarr2.storage, name) is type(service_store)
    root = zarr5.group(store=service_store)
    data = np.arange(300, dtype="i4").reshape(10, 30)
    root.create_dataset("x/y", data=data, chunks=(4, 7))
    root.attrs["title"] = "on a server"
    again = zarr5.open_group(service_store, mode="r")
    np.testing.assert_array_equal(again["x/y"][:], data)
    np.testing.assert_array_equal(again["x/y"][3:9, 5:20], data[3:9, 5:20])
    assert again.attrs["title"] == "on a server" and service_store.listdir("x/y")[0] == ".zarray"
    assert service_store.getsize("x/y") > 0


def test_h5py_vocabulary_round_trip(service_store) -> None:
    with zarr5.File(service_store, "w") as f:
        dset = f.create_dataset("grp/temp", data=np.linspace(0, 1, 50), chunks=(10,))
        dset.attrs["units"] = "K"
        f["grp"].attrs["n"] = 3
    with zarr5.File(service_store, "r") as f:
        np.testing.assert_array_equal(f["grp/temp"][...], np.linspace(0, 1, 50))
        assert f["grp/temp"].attrs["units"] == "K" and f["grp"].attrs["n"] == 3
        assert list(f) == ["grp"]


def test_copy_all_from_hdf5(service_store, tmp_path) -> None:
    h5py = real_h5py()
    path = tmp_path / "source.h5"
    with h5py.File(path, "w") as h5:
        h5.create_dataset("a/data", data=np.arange(40.0).reshape(5, 8), chunks=(2, 4), compression="gzip")
        h5["a"].attrs["kind"] = "group attr"
        h5.create_dataset("b", data=np.array([b"xy", b"z"]))
    with h5py.File(path, "r") as h5:
        n_copied, n_skipped, n_bytes = zarr5.copy_all(h5, zarr5.group(store=service_store))
    assert n_copied >= 3 and n_skipped == 0
    root = zarr5.open_group(service_store, mode="r")
    np.testing.assert_array_equal(root["a/data"][:], np.arange(40.0).reshape(5, 8))
    assert root["a"].attrs["kind"] == "group attr"
    assert list(root["b"][:]) == [b"xy", b"z"]


def test_abfs_url_through_fsstore(azurite_server) -> None:
    pytest.importorskip("adlfs", reason="abfs:// URLs need adlfs (pip install '.[test]')")
    client = _container(azurite_server)
    url = f"abfs://{client.container_name}/data.zarr"
    options = {"connection_string": azurite_server.connection_string}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # adlfs' own use of old asyncio APIs
        z = zarr5.open_array(url, mode="w", shape=(20,), chunks=(5,), dtype="u2", storage_options=options)
        z[:] = np.arange(20)
        assert isinstance(z.store, FSStore)
        # the same blobs through ABSStore: one layout, two clients
        np.testing.assert_array_equal(zarr5.open_array(ABSStore(prefix="data.zarr", client=client))[:],
                                      np.arange(20))
    client.delete_container()


# outages: a clear error naming the server and the key, never KeyError, nothing stored changed
def test_unreachable_servers_are_named() -> None:
    from servers import free_port

    port = free_port()  # nobody listens there
    pytest.importorskip("redis")
    redis = RedisStore(prefix="x", host="127.0.0.1", port=port, socket_connect_timeout=1, **_no_retries())
    with pytest.raises(StoreUnreachableError, match=rf"Redis server 127.0.0.1:{port}.*'a/0.0'") as info:
        redis["a/0.0"]
    assert isinstance(info.value, OSError) and not isinstance(info.value, KeyError)
    with pytest.raises(StoreUnreachableError, match="Redis server"):
        redis.get_many(["a/0.0", "a/0.1"])


def test_unreachable_mongo_is_named() -> None:
    pytest.importorskip("pymongo")
    from servers import free_port

    port = free_port()
    with pytest.raises(StoreUnreachableError, match=rf"MongoDB server 127.0.0.1:{port}.*index"):
        MongoDBStore(host="127.0.0.1", port=port, serverSelectionTimeoutMS=300)


def test_unreachable_azure_is_named(azurite_server) -> None:
    from azure.storage.blob import ContainerClient
    from servers import AZURITE_ACCOUNT, free_port

    port = free_port()
    conn = azurite_server.connection_string.replace(str(azurite_server.port), str(port))
    store = ABSStore(client=ContainerClient.from_connection_string(conn, "gone", retry_total=0))
    with pytest.raises(StoreUnreachableError, match=rf"{port}/{AZURITE_ACCOUNT}.*'a/0.0'"):
        store["a/0.0"]
    with pytest.raises(StoreUnreachableError, match="Azure Blob service"):
        store.set_many({"a/0.0": b"1"})


def test_redis_server_that_stops_answering(redis_server) -> None:
    """SIGSTOP freezes the server mid-session: reads time out with a named error, and a batch
    write sent meanwhile is applied whole or not at all."""
    store = _redis(redis_server, socket_timeout=0.5, **_no_retries())
    store.set_many({"a/0": b"old0", "a/1": b"old1"})
    os.kill(redis_server.proc.pid, signal.SIGSTOP)
    try:
        with pytest.raises(StoreUnreachableError, match=r"Redis server .*'a/0'"):
            store["a/0"]
        with pytest.raises(StoreUnreachableError, match="writing 2 keys"):
            store.set_many({"a/0": b"new0", "a/1": b"new1"})
    finally:
        os.kill(redis_server.proc.pid, signal.SIGCONT)
    fresh = _redis(redis_server, store._prefix)
    assert fresh.get_many(["a/0", "a/1"]) in ({"a/0": b"old0", "a/1": b"old1"},
                                              {"a/0": b"new0", "a/1": b"new1"})
    fresh.clear()


def test_mongo_server_that_stops_mid_read(mongo_server) -> None:
    store = _mongo(mongo_server, socketTimeoutMS=500)
    store.set_many({"a/0": b"0", "a/1": b"1"})
    os.kill(mongo_server.proc.pid, signal.SIGSTOP)
    try:
        with pytest.raises(StoreUnreachableError, match=r"MongoDB server .*'a/0'"):
            store.get_many(["a/0", "a/1"])
        with pytest.raises(StoreUnreachableError, match=r"MongoDB server .*writing key 'a/1'"):
            store["a/1"] = b"new"
    finally:
        os.kill(mongo_server.proc.pid, signal.SIGCONT)
    # the timed-out write may land once the server runs again; the document is then whole
    assert _mongo(mongo_server, store._collection).get_many(["a/0", "a/1"]) in (
        {"a/0": b"0", "a/1": b"1"}, {"a/0": b"0", "a/1": b"new"})
    store.collection.drop()


def test_azure_server_that_stops_mid_read(azurite_server) -> None:
    client = _container(azurite_server, connection_timeout=1, read_timeout=1, retry_total=0)
    store = ABSStore(client=client)
    store["a/0"] = b"kept"
    os.kill(azurite_server.proc.pid, signal.SIGSTOP)
    try:
        with pytest.raises(StoreUnreachableError, match=r"Azure Blob service .*'a/0'"):
            store["a/0"]
        with pytest.raises(StoreUnreachableError):
            store["a/0"] = b"lost"
    finally:
        os.kill(azurite_server.proc.pid, signal.SIGCONT)
    # the timed-out upload may still land once the server runs again; it is then whole
    assert ABSStore(client=_container(azurite_server, client.container_name))["a/0"] in (b"kept", b"lost")
    client.delete_container()


def test_every_store_holds_the_contract_tree(service_store) -> None:
    service_store.set_many(TREE)
    assert service_store.get_many(list(TREE)) == TREE
    assert service_store.get_partial_values([("a/c", 10, 5), ("a/b/0", -3, None)]) == [b"x" * 5, b"-00"]


def test_sharded_v3_reads_byte_ranges(service_store) -> None:
    """A v3 shard's index and one inner chunk come as byte ranges (GETRANGE on Redis, ranged
    downloads on Azure; MongoDB has none and sends the shard whole)."""
    root = zarr5.group(store=service_store, zarr_format=3)
    data = np.arange(40 * 40, dtype="i4").reshape(40, 40)
    root.create_dataset("s", data=data, chunks=(10, 10), shards=(20, 20), compressor=None)
    assert sorted(k for k in service_store.listdir("s/c")) == ["0", "1"]  # 4 shards, not 16 chunks
    if isinstance(service_store, RedisStore):
        before = service_store.client.info("commandstats").get("cmdstat_getrange", {"calls": 0})["calls"]
    again = zarr5.open_group(service_store, mode="r")["s"]
    np.testing.assert_array_equal(again[12:15, 3:7], data[12:15, 3:7])
    if isinstance(service_store, RedisStore):
        after = service_store.client.info("commandstats")["cmdstat_getrange"]["calls"]
        assert after > before
