# The native write loop's signature (zarr5/storage/_filewrite.c), for type checkers.
from collections.abc import Sequence

from typing_extensions import Buffer

def write_files(items: Sequence[tuple[str, Buffer]], token: str, fsync: bool = False,
                start: int = 0) -> tuple[int, int]: ...
