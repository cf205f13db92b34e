"""Crash safety: a writer killed with SIGKILL at a random moment leaves a store that opens and whose
every chunk and metadata document is one whole version, never a mix or a truncation.

The child (conc_workers.rewrite_forever) rewrites the whole hierarchy pass after pass until it is
killed, so each kill lands in the middle of some write: of a chunk, a deletion, .zarray or .zattrs.
Afterwards every key is checked against the versions the passes could have written. The kill delays
come from a seeded generator; the checks hold for any delay, so the outcome does not depend on timing.
"""

from __future__ import annotations

import json
import random
import sys
import time

import numpy as np
import pytest
from conc_workers import (
    CRASH_CHUNKS,
    CRASH_SHAPE,
    JOIN_TIMEOUT,
    context,
    crash_attrs,
    crash_base,
    kill,
    open_crash_store,
    rewrite_forever,
    write_pass,
)

import zarr5
from zarr5.codecs.pipeline import ChunkPipeline
from zarr5.codecs.registry import get_codec
from zarr5.metadata.v2 import ArrayMetadata

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

KILLS_PER_STORE = 6
STORE_KINDS = ["directory", "nested", "sqlite", "lmdb"]


def _initial_hierarchy(kind: str, path: str) -> None:
    store = open_crash_store(kind, path)
    root = zarr5.group(store)
    root.zeros("a", shape=CRASH_SHAPE, chunks=CRASH_CHUNKS, dtype="i4")
    root.zeros("b", shape=CRASH_SHAPE, chunks=CRASH_CHUNKS, dtype="i4")
    write_pass(store, 0)
    store.close()


def _pipeline(meta: ArrayMetadata) -> ChunkPipeline:
    return ChunkPipeline(meta.dtype, meta.chunks, meta.order, None, get_codec(meta.compressor))


def _chunk_keys(array: zarr5.Array) -> list[str]:
    sep = array.meta.dimension_separator
    return [array.path + "/" + sep.join(map(str, c)) for c in np.ndindex(*array.cdata_shape)]


def _check_store(kind: str, path: str) -> int:
    """Check every key against the old and the new version; return the new version K.

    A round starts from one whole version S and writes passes S+1, S+2, ... each finished before the
    next begins, so after the kill (in pass K) every document is version K-1 (old) or K (new).
    """
    store = open_crash_store(kind, path)
    try:
        root = zarr5.open_group(store, mode="r")  # the hierarchy opens
        a, b = root["a"], root["b"]
        base = crash_base()
        versions: dict[str, int] = {}
        # 'a': every chunk exists, decodes, and is base + k for one k
        pipeline = _pipeline(a.meta)
        for coords, key in zip(np.ndindex(*a.cdata_shape), _chunk_keys(a)):
            chunk = pipeline.decode(store[key], key)
            region = tuple(slice(c * n, (c + 1) * n) for c, n in zip(coords, CRASH_CHUNKS))
            k = int(chunk.flat[0]) - int(base[region].flat[0])
            assert (chunk == base[region] + k).all(), f"{key} is not one pass's version"
            versions[key] = k
        new = max(versions.values())
        # .zarray of 'a': the bytes of one whole document, whose fill value names its pass
        versions["a/.zarray"] = int(a.fill_value)
        assert store["a/.zarray"] == a.meta.encode()
        # .zattrs: whole documents naming their pass
        for key in (".zattrs", "a/.zattrs", "b/.zattrs"):
            doc = json.loads(store[key])
            assert doc == crash_attrs(doc["pass"]), f"{key} mixes versions: {doc}"
            versions[key] = doc["pass"]
        bad = {key: k for key, k in versions.items() if k not in (new - 1, new)}
        assert not bad, f"keys neither the old version {new - 1} nor the new {new}: {bad}"
        # 'b': an odd pass wrote k everywhere, an even one deleted every chunk
        written = new if new % 2 else new - 1
        b_pipeline = _pipeline(b.meta)
        for key in _chunk_keys(b):
            if key in store:
                chunk = b_pipeline.decode(store[key], key)
                assert (chunk == written).all(), f"{key} is neither deleted nor version {written}"
        assert sorted(k for k in store.keys() if not k.startswith(("a/", "b/"))) == [".zattrs", ".zgroup"]
        # and the public API reads it all
        np.testing.assert_array_equal(a[:2, :2], base[:2, :2] + versions[_chunk_keys(a)[0]])
        b[...]
        return new
    finally:
        store.close()


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_sigkill_while_writing_leaves_whole_versions(tmp_path, kind):
    if kind == "lmdb":
        pytest.importorskip("lmdb")
    ctx = context()
    rng = random.Random(f"crash-{kind}")
    path = str(tmp_path / f"{kind}.store")
    _initial_hierarchy(kind, path)
    version = 0
    for _ in range(KILLS_PER_STORE):
        ready = ctx.Event()
        child = ctx.Process(target=rewrite_forever, args=(kind, path, version, ready), daemon=True)
        child.start()
        assert ready.wait(JOIN_TIMEOUT), "the writer never started"
        # a seeded random moment, most often within the first few passes
        time.sleep(rng.uniform(0.0, 0.2))
        kill(child.pid)
        child.join(JOIN_TIMEOUT)
        assert child.exitcode == -9, f"the writer ended by itself (exit code {child.exitcode})"
        new = _check_store(kind, path)
        assert new >= version
        # finish the interrupted pass, so the next round starts from one whole version again
        store = open_crash_store(kind, path)
        write_pass(store, new)
        store.close()
        version = new
