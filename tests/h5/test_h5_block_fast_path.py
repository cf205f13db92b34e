"""dset[i], dset[i, j], dset[a:b] and their writes go straight to a cached chunk when they lie in one:
the results, errors and stored bytes are the same as h5py's (run side by side) and as the general path's."""

from __future__ import annotations

import numpy as np
import pytest

from zarr5.h5 import File

h5py = pytest.importorskip("h5py")


def _ops(rng: np.random.Generator, shape: tuple[int, ...], n: int) -> list:
    ops = []
    for _ in range(n):
        kind = rng.integers(0, 6)
        i = int(rng.integers(-shape[0] - 2, shape[0] + 2))
        a = int(rng.integers(-shape[0], shape[0]))
        b = a + int(rng.integers(-3, 12))
        if len(shape) == 1:
            sel = [i, slice(a, b), slice(a, None), slice(None, b), (i,), slice(a, b, 1)][kind]
        else:
            j = int(rng.integers(-shape[1], shape[1] + 1))
            sel = [i, (i, j), (slice(a, b), j), (i, slice(a, b)), (i, slice(None)), slice(a, b)][kind]
        write = bool(rng.integers(0, 2))
        ops.append((sel, write, int(rng.integers(0, 4))))
    return ops


def _value(shape: tuple, how: int, k: int) -> object:
    if how == 0:
        return k  # a Python int
    if how == 1:
        return float(k) + 0.5
    if how == 2:
        return np.float32(k)
    return np.full(shape, k, dtype="f8") if shape else np.float64(k)


def _apply(dset, sel, write, how, k):
    try:
        if write:
            target = np.empty(dset.shape)[sel]
            dset[sel] = _value(np.shape(target), how, k)
            return "ok"
        got = dset[sel]
        return ("value", type(got).__name__, np.asarray(got).tolist())
    except Exception as e:  # the same error class as h5py's, raised by the general path
        return ("error", _family(e))


def _family(e: Exception) -> str:
    for cls in (IndexError, ValueError, TypeError):
        if isinstance(e, cls):
            return cls.__name__
    return type(e).__name__


@pytest.mark.parametrize("shape,chunks,dtype,nbytes", [
    ((50,), (8,), "f8", 3 * 64), ((47,), (10,), "i4", 10 ** 6), ((9, 7), (4, 3), "f4", 2 * 48),
    ((12, 5), (5, 5), "i8", 10 ** 6), ((30,), (1,), "f8", 64)])
def test_block_calls_match_h5py(tmp_path, shape, chunks, dtype, nbytes) -> None:
    rng = np.random.default_rng(sum(shape))
    ops = _ops(rng, shape, 300)
    results = []
    for lib in ("h5py", "zarr5"):
        opener = h5py.File if lib == "h5py" else File
        path = str(tmp_path / f"{lib}.{'h5' if lib == 'h5py' else 'zarr'}")
        with opener(path, "w", rdcc_nbytes=nbytes) as f:
            d = f.create_dataset("d", shape=shape, chunks=chunks, dtype=dtype, fillvalue=3)
            got = [_apply(d, sel, write, how, k) for k, (sel, write, how) in enumerate(ops)]
            whole = d[...].tolist()
        with opener(path, "r") as f:
            stored = f["d"][...].tolist()
        results.append((got, whole, stored))
    (h_got, h_whole, h_stored), (z_got, z_whole, z_stored) = results
    for op, h, z in zip(ops, h_got, z_got):
        assert h == z, op
    assert h_whole == z_whole == h_stored == z_stored


def test_reads_see_writes_of_other_handles_and_flush(tmp_path) -> None:
    path = str(tmp_path / "a.zarr")
    with File(path, "w") as f:
        d = f.create_dataset("x", shape=(100,), chunks=(10,), dtype="i8")
        other = f["x"]
        for i in range(100):
            d[i] = i
        assert [other[i] for i in range(0, 100, 9)] == list(range(0, 100, 9))
        assert other[5:15].tolist() == list(range(5, 15))
        d[20:25] = np.arange(5) * -1
        assert other[21] == -1 and type(other[21]) is np.int64
        f.flush()
        with File(path, "r") as g:
            assert g["x"][20:26].tolist() == [0, -1, -2, -3, -4, 25]
