"""zarr-2's ``log=`` lines and summary, and an optional tqdm progress bar over bytes copied."""

from __future__ import annotations

import builtins
from typing import Any

__all__ = ["LogWriter", "Progress", "summary"]


class LogWriter:
    """``log`` as zarr-2 takes it: None, a callable, a file path (opened for writing) or a file-like."""

    def __init__(self, log: Any) -> None:
        self._func = None
        self._file = None
        self._owns = False
        if log is None:
            pass
        elif callable(log):
            self._func = log
        elif isinstance(log, str):
            self._file = builtins.open(log, mode="w")
            self._owns = True
        elif hasattr(log, "write"):
            self._file = log
        else:
            raise TypeError(f"log must be a callable function, file path or file-like object, found {log!r}")

    def __enter__(self) -> LogWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._owns and self._file is not None:
            self._file.close()

    def __call__(self, msg: str) -> None:
        if self._file is not None:
            print(msg, file=self._file)
            if hasattr(self._file, "flush"):
                self._file.flush()  # immediate feedback on long copies
        elif self._func is not None:
            self._func(msg)


def summary(log: LogWriter, dry_run: bool, n_copied: int, n_skipped: int, n_bytes: int) -> None:
    msg = ("dry run: " if dry_run else "all done: ") + f"{n_copied:,} copied, {n_skipped:,} skipped"
    if not dry_run:
        msg += f", {n_bytes:,} bytes copied"
    log(msg)


class Progress:
    """A tqdm bar over bytes when asked for and tqdm is installed; otherwise nothing at all."""

    def __init__(self, enabled: bool | None, total: int | None = None, desc: str = "copy") -> None:
        self._bar = None
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:  # tqdm is optional: no bar, same copy
            return
        self._bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=desc, leave=False)

    def add_total(self, n: int) -> None:
        if self._bar is not None:
            self._bar.total = (self._bar.total or 0) + n
            self._bar.refresh()

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
