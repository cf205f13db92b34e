"""ABSStore: keys as blobs of an Azure Blob Storage container, under an optional prefix.

Key ``a/0.0`` is the blob ``<prefix>/a/0.0``. Azure has no multi-get, so ``get_many``,
``get_partial_values`` and ``set_many`` run their requests concurrently on the storage I/O pool;
``delete_many`` and ``rmdir`` use Azure's batch API (256 deletions per request); byte ranges are
ranged downloads. Listings are one paginated ``list_blobs``/``walk_blobs`` call. A blob upload
replaces the old blob only when complete, so a failed write leaves the stored value intact.
Connection failures raise :class:`zarr5.errors.StoreUnreachableError` naming the account URL and
the key, never ``KeyError``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from zarr5.storage._pool import map_io
from zarr5.storage._service import describe_keys, import_client, outage
from zarr5.storage.base import (
    Store,
    _check_rename,
    batches,
    ensure_bytes,
    is_valid_key,
    normalize_dimension_separator,
    normalize_key,
    normalize_path,
)

# Azure's limit on sub-requests in one batch request
_DELETE_BATCH = 256


def _outage_errors() -> tuple[type[BaseException], ...]:
    from azure.core import exceptions as ex

    # ServiceRequestError: never reached the server; ServiceResponseError: it stopped answering
    return (ex.ServiceRequestError, ex.ServiceResponseError, ex.IncompleteReadError)


class ABSStore(Store):
    """Store keys as blobs in an Azure Blob Storage container.

    Parameters
    ----------
    container : str, optional
        The container's name (deprecated by zarr-python 2.8.3 in favour of ``client``).
    prefix : str
        The "directory" inside the container that is the store's root.
    account_name, account_key : str, optional
        The storage account and its key (deprecated: pass ``client``).
    blob_service_kwargs : dict, optional
        More arguments for :class:`azure.storage.blob.ContainerClient` (deprecated: pass ``client``).
    dimension_separator : {None, '.', '/'}
        Chunk key separator of arrays created here.
    client : azure.storage.blob.ContainerClient, optional
        The container to use, already configured (endpoint, credential, retry policy).

    Examples
    --------
    See docs/storage.md ("Azure Blob Storage"): the examples there run against Azurite.
    """

    def __init__(self, container: str | None = None, prefix: str = "", account_name: str | None = None,
                 account_key: str | None = None, blob_service_kwargs: dict | None = None,
                 dimension_separator: str | None = None, client: Any = None) -> None:
        blob = import_client("azure.storage.blob", "ABSStore", "azure-storage-blob")
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        self.prefix = normalize_path(prefix)
        if client is None:
            warnings.warn("Providing 'container', 'account_name', 'account_key', and 'blob_service_kwargs' "
                          "is deprecated. Provide an instance of 'azure.storage.blob.ContainerClient' as "
                          "'client' instead.", FutureWarning, stacklevel=2)
            client = blob.ContainerClient(f"https://{account_name}.blob.core.windows.net/", container,
                                          credential=account_key, **(blob_service_kwargs or {}))
        self.client = client
        self._container = container
        self._account_name = account_name
        self._account_key = account_key

    # zarr-python 2's deprecated properties: the values given to the constructor
    def _deprecated(self, name: str) -> Any:
        warnings.warn(f"The {name} property is deprecated and will be removed in a future version. Get "
                      "the property from 'ABSStore.client' instead.", FutureWarning, stacklevel=3)
        return getattr(self, "_" + name)

    @property
    def container(self) -> str | None:
        return self._deprecated("container")

    @property
    def account_name(self) -> str | None:
        return self._deprecated("account_name")

    @property
    def account_key(self) -> str | None:
        return self._deprecated("account_key")

    @property
    def server(self) -> str:
        """Where the container is, for messages."""
        return f"Azure Blob service at {self.client.url}"

    def _outage(self, doing: str) -> Any:
        return outage(_outage_errors(), self.server, doing)

    def _blob(self, key: str) -> str:
        key = normalize_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _dir(self, path: str) -> str | None:
        """The blob name prefix of hierarchy ``path`` (None: the whole container)."""
        full = "/".join(p for p in (self.prefix, normalize_path(path)) if p)
        return full + "/" if full else None

    def _relative(self, name: str) -> str:
        return name[len(self.prefix) + 1:] if self.prefix else name

    def _list(self, path: str, doing: str) -> dict[str, int]:
        """Keys under ``path`` with their sizes, from one (paginated) listing."""
        with self._outage(doing):
            blobs = self.client.list_blobs(name_starts_with=self._dir(path))
            return {self._relative(b.name): b.size for b in blobs}

    def _download(self, key: str, offset: int | None = None, length: int | None = None) -> bytes | None:
        from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

        try:
            with self._outage(f"reading key {key!r}"):
                return self.client.download_blob(self._blob(key), offset=offset, length=length).readall()
        except ResourceNotFoundError:
            return None
        except HttpResponseError as e:
            if e.status_code == 416 and offset:  # a range starting past the end: nothing there
                return b"" if key in self else None
            raise

    # mapping
    def __getitem__(self, key: str) -> bytes:
        value = self._download(key)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        name, data = self._blob(key), ensure_bytes(value)
        with self._outage(f"writing key {key!r}"):
            self.client.upload_blob(name, data, overwrite=True)

    def __delitem__(self, key: str) -> None:
        from azure.core.exceptions import ResourceNotFoundError

        self._check_writable()
        name = self._blob(key)
        try:
            with self._outage(f"deleting key {key!r}"):
                self.client.delete_blob(name)
        except ResourceNotFoundError as e:
            raise KeyError(key) from e

    def __contains__(self, key: object) -> bool:
        if not is_valid_key(key):
            return False
        with self._outage(f"looking up key {key!r}"):
            return self.client.get_blob_client(self._blob(key)).exists()  # type: ignore[arg-type]

    def keys(self) -> list[str]:  # type: ignore[override]
        return sorted(self._list("", "listing the store"))

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._list("", "listing the store"))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ABSStore) and other.client.url == self.client.url
                and other.prefix == self.prefix)

    def __hash__(self) -> int:
        return hash((ABSStore, self.client.url, self.prefix))

    def __repr__(self) -> str:
        return f"<zarr5.storage.ABSStore: {self.client.url!r}, prefix {self.prefix!r}>"

    def close(self) -> None:
        pass  # the ContainerClient is the caller's (often shared by stores): closing it is theirs

    # batches: Azure answers one blob per request, so they run concurrently
    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = [normalize_key(k) for k in keys]
        values = map_io(self._download, keys)
        return {k: v for k, v in zip(keys, values) if v is not None}

    def get_partial_values(self, ranges: Sequence[tuple[str, int, int | None]]) -> list[bytes | None]:
        ranges = [(normalize_key(k), start, length) for k, start, length in ranges]

        def read(item: tuple[str, int, int | None]) -> bytes | None:
            key, start, length = item
            if start < 0 or length == 0:
                # a suffix: its clamped start is unknown without the size, so the blob comes whole
                value = self._download(key)
                if value is None:
                    return None
                begin = max(0, len(value) + start) if start < 0 else start
                return value[begin:] if length is None else value[begin:begin + length]
            return self._download(key, offset=start, length=length)

        return map_io(read, ranges)

    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        # every key and value checked before the first upload: a bad item writes nothing
        checked = [(self._blob(k), k, ensure_bytes(v)) for k, v in items.items()]

        def upload(item: tuple[str, str, bytes]) -> None:
            name, key, data = item
            with self._outage(f"writing key {key!r}"):
                self.client.upload_blob(name, data, overwrite=True)

        map_io(upload, checked)

    def _delete_blobs(self, names: list[str], doing: str) -> None:
        with self._outage(doing):
            for batch in batches(names, _DELETE_BATCH):
                # a blob already gone is not an error: deleting it was the point
                self.client.delete_blobs(*batch, raise_on_any_failure=False)

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        keys = [normalize_key(k) for k in keys]
        if keys:
            self._delete_blobs([self._blob(k) for k in keys], f"deleting {describe_keys(keys)}")

    # hierarchy
    def listdir(self, path: str = "") -> list[str]:
        head = self._dir(path)
        cut = len(head) if head else 0
        with self._outage(f"listing {normalize_path(path) or 'the store root'!r}"):
            names = [b.name for b in self.client.walk_blobs(name_starts_with=head, delimiter="/")]
        return sorted(name[cut:].rstrip("/") for name in names)

    def list_prefix(self, path: str = "") -> list[str]:
        return sorted(self._list(path, f"listing {normalize_path(path) or 'the store root'!r}"))

    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        doing = f"removing {normalize_path(path) or 'the store root'!r}"
        keys = list(self._list(path, doing))
        if keys:
            self._delete_blobs([self._blob(k) for k in keys], doing)

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        src, dst = _check_rename(src_path, dst_path)
        moves = list(self._list(src, f"renaming {src!r}"))
        if src in self:
            moves.append(src)
        if not moves:
            return
        # Azure has no rename: copy everything first, delete the sources only once all copies exist
        values = self.get_many(moves)
        self.set_many({dst + k[len(src):]: v for k, v in values.items()})
        self.delete_many(moves)

    def getsize(self, path: str = "") -> int:
        path = normalize_path(path)
        # the contract's (zarr-2's) rule: a key's size, else the keys directly under path
        if not path:
            listed = self._list("", "measuring the store root")
            return sum(size for key, size in listed.items() if "/" not in key)
        name = self._blob(path)
        with self._outage(f"measuring {path!r}"):
            # one listing answers both a key (its own size) and a directory (its direct keys)
            found = self.client.list_blobs(name_starts_with=name)
            below = name + "/"
            return sum(b.size for b in found
                       if b.name == name or (b.name.startswith(below) and "/" not in b.name[len(below):]))

    def clear(self) -> None:
        self.rmdir("")
