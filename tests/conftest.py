"""Session-wide fixtures: the real servers behind RedisStore, MongoDBStore and ABSStore.

Each server starts once per test session, on a free loopback port, when a test first asks for
it, and is stopped by its process id at the end (see servers.py). A missing server binary or
client library skips the tests that need it, naming what to install.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest
from servers import AzuriteServer, MongoProtocolServer, RedisServer, ServerProcess, find_binary

_CLIENTS = {"redis": "redis", "nx-27017": "pymongo", "azurite": "azure.storage.blob"}


def _start(server: ServerProcess) -> Iterator[ServerProcess]:
    client = _CLIENTS[server.name]
    if importlib.util.find_spec(client.split(".")[0]) is None or (
            "." in client and importlib.util.find_spec(client) is None):
        pytest.skip(f"the Python client {client!r} is not installed (pip install '.[test]')")
    if find_binary(server.binary) is None:
        pytest.skip(f"{server.binary} is not installed (run tools/install_test_deps.sh)")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    yield from _start(RedisServer())  # type: ignore[misc]


@pytest.fixture(scope="session")
def mongo_server() -> Iterator[MongoProtocolServer]:
    yield from _start(MongoProtocolServer())  # type: ignore[misc]


@pytest.fixture(scope="session")
def azurite_server() -> Iterator[AzuriteServer]:
    yield from _start(AzuriteServer())  # type: ignore[misc]
