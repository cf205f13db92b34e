"""A real S3-compatible server on loopback for the remote tests: moto's S3 served over HTTP.

The server is moto's own WSGI application run by werkzeug in a thread (what
``moto.server.ThreadedMotoServer`` does), wrapped in a middleware that records every request it
answers, so tests count requests on the server side. Its state lives in this process, so the
server can be stopped and started again on the same port with the buckets intact.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

# the server binds loopback only
HOST = "127.0.0.1"


class S3Server:
    """moto's S3 on ``http://127.0.0.1:<port>``, with a request log and stop/start."""

    def __init__(self) -> None:
        from moto.server import DomainDispatcherApplication, create_backend_app

        self._app = DomainDispatcherApplication(create_backend_app)
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        # requests being answered at once: shows whether a client's batch really runs concurrently
        self._in_flight = 0
        self.max_in_flight = 0
        # seconds each request is held once counted: overlap of a concurrent batch then shows even on a
        # loaded machine, while a sequential client still never has two in flight
        self.hold = 0.0
        self.port = 0
        self._server: Any = None
        self._thread: threading.Thread | None = None
        # a test may ask the server to die after answering a number of requests
        self.stop_after: int | None = None
        self._stopping = threading.Event()

    @property
    def endpoint_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _wsgi(self, environ: dict, start_response: Callable) -> Any:
        with self._lock:
            self.requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
            served = len(self.requests)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            if self.stop_after is not None and served > self.stop_after and not self._stopping.is_set():
                # shut down from another thread: shutdown() waits for serve_forever to return
                self._stopping.set()
                threading.Thread(target=self.stop, daemon=True).start()
        try:
            if self.hold:
                time.sleep(self.hold)
            return self._app(environ, start_response)
        finally:
            with self._lock:
                self._in_flight -= 1

    def start(self) -> None:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class QuietHandler(WSGIRequestHandler):
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass  # one line per request would drown the test output

        self._stopping.clear()
        self.stop_after = None
        # port 0 the first time (any free port), then the same port again after a stop
        self._server = make_server(HOST, self.port, self._wsgi, threaded=True, request_handler=QuietHandler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    @property
    def running(self) -> bool:
        return self._server is not None

    def seed(self, bucket: str, objects: dict[str, bytes]) -> None:
        """Store objects straight into the server's backend, as if uploaded earlier.

        Over HTTP moto answers ~150 requests a second here; a test that needs thousands of
        objects already in place seeds them this way and keeps HTTP for what it measures.
        """
        from moto.backends import get_backend
        from moto.core import DEFAULT_ACCOUNT_ID

        backend = get_backend("s3")[DEFAULT_ACCOUNT_ID]["global"]
        for key, value in objects.items():
            backend.put_object(bucket, key, value)

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.max_in_flight = 0

    def log(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self.requests)


def _require(module: str) -> None:
    pytest.importorskip(module, reason=f"the remote tests need {module} (pip install '.[test]')")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    _require("moto.server")
    _require("werkzeug")
    _require("s3fs")
    server = S3Server()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_options(s3_server: S3Server) -> dict:
    """storage_options for s3fs against the loopback server (dummy keys, no retries to wait out)."""
    if not s3_server.running:
        s3_server.start()
    return {
        "endpoint_url": s3_server.endpoint_url,
        "key": "testing",
        "secret": "testing",
        "anon": False,
        "client_kwargs": {"region_name": "eu-west-1"},
        "config_kwargs": {"retries": {"max_attempts": 1}, "connect_timeout": 2, "read_timeout": 20},
    }


@pytest.fixture
def bucket(s3_options: dict) -> str:
    """A new, empty bucket for one test."""
    import s3fs

    name = f"zarr5-{uuid.uuid4().hex[:16]}"
    s3fs.S3FileSystem(**s3_options).mkdir(name)
    return name
