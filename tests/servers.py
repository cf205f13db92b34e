"""Real servers on loopback for the service-backed stores: Redis, a MongoDB-protocol server, Azurite.

Each server is a separate process started on a free loopback port and stopped by its process id.
What runs here (installed by tools/install_test_deps.sh):

- ``redis-server`` (Debian's Redis 7.0), in memory, no persistence;
- ``azurite-blob`` (Microsoft's Azure Blob Storage emulator 3.35.0, from npm, under .venvs/node);
- ``nx-27017`` (PyPI): a server speaking MongoDB's wire protocol over SQLite. It is **not MongoDB**:
  no real ``mongod`` installs on this machine (Debian ships none, and the PyPI helpers that fetch one
  need the internet at run time). The real ``pymongo`` driver talks to it.

A missing binary makes :func:`find_binary` return None; the fixtures then skip naming it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
INSTALL_HINT = "run tools/install_test_deps.sh"

# Azurite's well-known development account (public: printed in Azure's own docs)
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def free_port() -> int:
    """A loopback port nobody listens on right now (redis-server cannot pick one itself)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = HOST) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def find_binary(name: str) -> str | None:
    """The path of a server binary: the project's .venvs/node for npm ones, then the interpreter's
    scripts folder, then PATH."""
    for folder in (ROOT / ".venvs" / "node" / "node_modules" / ".bin", Path(sys.executable).parent):
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    return shutil.which(name)


def _die_with_parent() -> None:
    """Run in the server's process before exec: the kernel sends it SIGTERM when the process that
    started it dies, so a test run killed outright (timeout, SIGKILL) leaves no server behind."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class ServerProcess:
    """One server process on a loopback port; ``stop()`` ends it by its process id."""

    name = "server"
    binary = ""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.workdir = tempfile.mkdtemp(prefix=f"zarr5-{self.name}-")

    def command(self, exe: str) -> list[str]:
        raise NotImplementedError

    def start(self, timeout: float = 30.0) -> None:
        exe = find_binary(self.binary)
        if exe is None:
            raise FileNotFoundError(f"{self.binary} not found ({INSTALL_HINT})")
        os.makedirs(self.workdir, exist_ok=True)
        log = open(os.path.join(self.workdir, "server.log"), "wb")  # noqa: SIM115 - kept for the process
        # own process group: stop() signals the server and anything it spawned, nothing else
        self.proc = subprocess.Popen(self.command(exe), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir, start_new_session=True,
                                     preexec_fn=_die_with_parent)
        log.close()
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                out = Path(self.workdir, "server.log").read_text(errors="replace")[-2000:]
                self.stop()
                raise RuntimeError(f"{self.name} did not start on port {self.port}:\n{out}")
            time.sleep(0.05)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class RedisServer(ServerProcess):
    name = "redis"
    binary = "redis-server"

    def command(self, exe: str) -> list[str]:
        return [exe, "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no",
                "--daemonize", "no"]


class MongoProtocolServer(ServerProcess):
    """nx-27017: MongoDB's wire protocol over SQLite (a stand-in: not MongoDB itself)."""

    name = "nx-27017"
    binary = "nx-27017"

    def command(self, exe: str) -> list[str]:
        return [exe, "--host", HOST, "--port", str(self.port), "--db", "memory",
                "--log-file", os.path.join(self.workdir, "nx.log"),
                "--pid-file", os.path.join(self.workdir, "nx.pid")]


class AzuriteServer(ServerProcess):
    name = "azurite"
    binary = "azurite-blob"

    def command(self, exe: str) -> list[str]:
        # --skipApiVersionCheck: current azure-storage-blob asks for API versions newer than 3.35.0's
        return [exe, "--blobHost", HOST, "--blobPort", str(self.port),
                "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent",
                "--loose"]

    @property
    def blob_endpoint(self) -> str:
        return f"http://{HOST}:{self.port}/{AZURITE_ACCOUNT}"

    @property
    def connection_string(self) -> str:
        return (f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
                f"BlobEndpoint={self.blob_endpoint};")


SERVERS = {"redis": RedisServer, "mongo": MongoProtocolServer, "abs": AzuriteServer}


def main(argv: list[str]) -> None:
    """``python tests/servers.py redis mongo abs``: start servers on upstream's fixed ports (6379,
    27017, 10000) in the foreground, for zarr 2.18's own service-backed tests; Ctrl-C or SIGTERM to
    this process stops them."""
    fixed = {"redis": 6379, "mongo": 27017, "abs": 10000}
    started = []

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # `kill PID` stops the servers too, through the finally below

    signal.signal(signal.SIGTERM, interrupt)
    try:
        # inside the try: a server that cannot start stops the ones already running
        for name in argv or list(SERVERS):
            server = SERVERS[name](fixed[name])
            server.start()
            started.append(server)
            print(f"{server.name} listening on {HOST}:{server.port} (pid {server.proc.pid})", flush=True)
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        for server in started:
            server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
