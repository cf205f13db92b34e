"""Dataset: h5py's Dataset over a zarr5 core Array (selection, strings, resize, wrappers)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import numpy as np

from zarr5.core import Array as CoreArray
from zarr5.core.attributes import RESERVED_PREFIX
from zarr5.h5.base import (
    R_EMPTY,
    R_FILTERS,
    R_H5TYPE,
    R_LAYOUT,
    R_MAXSHAPE,
    Empty,
    ExtentError,
    FileState,
    NoWriteIntentError,
)
from zarr5.h5.chunkiter import check_selection, iter_chunk_slices
from zarr5.h5.dims import R_SCALE, DimensionManager, make_scale
from zarr5.h5.dtypes import check_ref_dtype, check_string_dtype, check_vlen_dtype, from_zarr, is_record_dtype
from zarr5.h5.filters import Pipeline, from_codecs
from zarr5.h5.objects import FacadeMeta, HLObject
from zarr5.h5.records import record_out, records_in
from zarr5.h5.refs import Reference, RegionReference, ref_reader, ref_writer
from zarr5.h5.regions import read_region
from zarr5.h5.selection import translate

__all__ = ["AsStrWrapper", "AstypeWrapper", "Dataset", "FieldsWrapper", "engine_array"]

# selections that may lie in one chunk: dset[i], dset[i, j], dset[a:b], dset[i, a:b]
_BLOCK_ARGS = (int, slice, tuple)

# the reserved attributes a dataset reads when opened: how the HDF5 dataset was made
_RESERVED = (R_EMPTY, R_FILTERS, R_H5TYPE, R_LAYOUT, R_MAXSHAPE)
_UNSET = dict.fromkeys(_RESERVED)  # each of them, when not set


class Dataset(HLObject, metaclass=FacadeMeta):
    """An HDF5-style dataset over a Zarr array."""

    _kind = "dataset"
    _foreign = CoreArray
    _h5py_twin = "Dataset"

    def __init__(self, state: FileState, path: str, _known: tuple | None = None,
                 _reserved: dict | None = None) -> None:
        """``_known`` (metadata, document, key) and ``_reserved`` come from make_dataset, which has
        just written them: a new dataset does not read them back."""
        super().__init__(state, path)
        state.array(path, _known)  # opening reads the metadata (or takes what creation just wrote)
        self._made: dict | None = None if _reserved is None else {**_UNSET, **_reserved}
        self._meta_dtype: np.dtype | None = None
        self._plain_flag: bool | None = None
        self._sub_axes: tuple | None = None

    @property
    def _reserved(self) -> dict:
        # how the HDF5 dataset was made, read on first need: opening a dataset only to reach its
        # attributes reads no more than the zarr vocabulary does
        if self._made is None:
            self._state.check_open()
            self._made = self._state.made_record(self._path, _RESERVED, self._zarr_format_hint())
        return self._made

    @property
    def _sub(self) -> tuple:
        # HDF5 array types are stored as trailing axes of the zarr array
        if self._sub_axes is None:
            self._sub_axes = tuple((self._reserved[R_H5TYPE] or {}).get("subarray", ()))
        return self._sub_axes

    def _zarr_format_hint(self) -> int:
        # known from the metadata already read: the attributes need no probe
        return self._array.known_metadata[0].zarr_format

    # ---------------------------------------------------------------- properties
    @property
    def _array(self) -> CoreArray:
        # the File's one Array for this path: every handle sees the same metadata and resizes
        return self._state.array(self._path)

    @property
    def _arr(self) -> CoreArray:
        self._state.check_open()
        return self._state.array(self._path)

    @property
    def _plain(self) -> bool:
        # numbers stored as they are read (no strings, references, records, array types, enums or byte
        # order to convert): element and short-slice calls may take the chunk cache's fast path
        if self._plain_flag is None:
            dt = self.dtype
            self._plain_flag = (not self._is_empty and not self._sub and dt.kind in "biufc"
                                and dt.metadata is None and dt == self._arr.dtype)
        return self._plain_flag

    @property
    def _is_empty(self) -> bool:
        return bool(self._reserved[R_EMPTY])

    @property
    def shape(self) -> tuple[int, ...] | None:
        if self._is_empty:
            return None
        shape = self._arr.shape
        return shape[:len(shape) - len(self._sub)]

    @shape.setter
    def shape(self, value: Any) -> None:
        self.resize(value)

    @property
    def dtype(self) -> np.dtype:
        if self._meta_dtype is None:
            with self._arr.metadata_held():
                self._meta_dtype = self._full_dtype()
        return self._meta_dtype

    def _full_dtype(self) -> np.dtype:
        arr = self._arr
        dt = from_zarr(arr.dtype, arr.filters, self._reserved[R_H5TYPE])
        if arr.zarr_format == 3 and dt.kind in "biufc" and dt.itemsize > 1 and _big_endian(arr.codecs):
            dt = dt.newbyteorder(">")  # v3 keeps the dtype native and the byte order in the bytes codec
        return np.dtype((dt, self._sub)) if self._sub else dt

    @property
    def _extent(self) -> tuple[int, ...]:
        # the shape, () for an Empty dataset (which has no dataspace, and so no shape)
        shape = self.shape
        return () if shape is None else shape

    @property
    def ndim(self) -> int:
        return len(self._extent)

    @property
    def size(self) -> int | None:
        return None if self._is_empty else int(np.prod(self._extent, dtype=np.int64))

    @property
    def nbytes(self) -> int:
        size = self.size
        return 0 if size is None else size * self.dtype.itemsize

    @property
    def chunks(self) -> tuple[int, ...] | None:
        shape = self.shape
        if not shape or self._reserved[R_LAYOUT] == "contiguous":  # None (Empty) or () (scalar) too
            return None
        return self._arr.chunks[:len(shape)]

    @property
    def maxshape(self) -> tuple | None:
        shape = self.shape
        if shape is None:
            return None
        stored = self._reserved[R_MAXSHAPE]
        if stored is None:
            return shape
        return tuple(None if m is None else int(m) for m in stored)[:len(shape)]

    @property
    def _pipeline(self) -> Pipeline:
        arr = self._arr
        return from_codecs(arr.filters, arr.compressor, self._reserved[R_FILTERS])

    @property
    def compression(self) -> str | None:
        return self._pipeline.compression

    @property
    def compression_opts(self) -> Any:
        return self._pipeline.compression_opts

    @property
    def shuffle(self) -> bool:
        return self._pipeline.shuffle

    @property
    def fletcher32(self) -> bool:
        return self._pipeline.fletcher32

    @property
    def scaleoffset(self) -> int | None:
        return self._pipeline.scaleoffset

    @property
    def filter_ids(self) -> tuple[int, ...]:
        return self._pipeline.ids

    @property
    def filter_names(self) -> tuple[str, ...]:
        return self._pipeline.names

    @property
    def external(self) -> list | None:
        ext = (self._reserved[R_H5TYPE] or {}).get("external")
        return None if ext is None else [tuple(e) for e in ext]

    @property
    def is_virtual(self) -> bool:
        return False

    @property
    def fillvalue(self) -> Any:
        fill = self._arr.fill_value
        dt = self.dtype
        if is_record_dtype(dt):
            return np.empty((), dtype=dt)[()]  # numpy zeroes object dtypes: 0 for numbers, None for objects
        if check_string_dtype(dt) is not None and dt.kind == "O":
            extra = self._reserved[R_H5TYPE] or {}
            value = extra.get("fillvalue", fill)
            if value is None or value == 0:
                return b""
            return value.encode("utf-8") if isinstance(value, str) else value
        stored = np.zeros((), dtype=self._arr.dtype)
        if fill is not None:
            stored = np.array(fill, dtype=self._arr.dtype if dt.subdtype is None else dt.base)
        if dt.names is not None and stored.dtype.names == dt.names and stored.dtype != dt:
            return _exact_layout(stored, dt)[()]
        return stored[()]

    @property
    def dims(self) -> Any:
        return DimensionManager(self)

    @property
    def is_scale(self) -> bool:
        return self._state.attrs(self._path).get_reserved(R_SCALE) is not None

    def make_scale(self, name: Any = "") -> None:
        """Make this dataset a dimension scale called ``name``."""
        make_scale(self, name)

    def len(self) -> int:
        shape = self.shape
        if not shape:
            raise TypeError("Attempt to take len() of scalar dataset")
        return shape[0]

    def __len__(self) -> int:
        n = self.len()
        if n > sys.maxsize:
            raise OverflowError("Value too big for Python's __len__; use Dataset.len() instead.")
        return n

    def __iter__(self) -> Iterator[Any]:
        shape = self.shape
        if not shape:
            raise TypeError("Can't iterate over a scalar dataset")
        for i in range(shape[0]):
            yield self[i]

    def __repr__(self) -> str:
        if not self._state.open:
            return "<Closed HDF5 dataset>"
        if self._path.rsplit("/", 1)[-1] and not self._path.startswith(RESERVED_PREFIX):
            name = f'"{self._path.rsplit("/", 1)[-1]}"'
        else:
            name = "(anonymous)"
        return f'<HDF5 dataset {name}: shape {self.shape}, type "{self.dtype.str}">'

    # ---------------------------------------------------------------- reading
    def __getitem__(self, args: Any, new_dtype: Any = None) -> Any:
        # one metadata read per call: the selection is checked against the shape the read then uses
        arr = self._arr
        with arr.metadata_held():
            if new_dtype is None and type(args) in _BLOCK_ARGS and self._plain:
                # dset[i], dset[i, j], dset[a:b] inside one cached chunk: no selection machinery
                found = arr.cached_block(args if type(args) is tuple else (args,))
                if found is not None:
                    return found
            return self._read(args, new_dtype)

    def _read(self, args: Any, new_dtype: Any) -> Any:
        if isinstance(args, RegionReference):
            return self._read_region(args, new_dtype)
        args = args if isinstance(args, tuple) else (args,)
        names = [a for a in args if isinstance(a, str)]
        args = tuple(a for a in args if not isinstance(a, str))
        arr = self._arr
        dt = self.dtype
        if self._is_empty:
            if args in ((), (Ellipsis,)):
                return Empty(dt)
            raise ValueError("Empty datasets cannot be sliced")
        fields: Any = None
        if names:
            if dt.names is None:
                raise ValueError(f"Field names only allowed for compound types, not {dt}")
            for n in names:
                if n not in dt.names:
                    raise ValueError(f"Field {n!r} does not appear in this type.")
            fields = names[0] if len(names) == 1 else names
        if fields is not None and is_record_dtype(dt):
            whole = self.__getitem__(args)
            return whole[fields] if new_dtype is None else np.asarray(whole[fields]).astype(new_dtype)
        shape = self.shape
        if not shape:
            out = arr.get_basic_selection((), fields=fields) if args in ((), (Ellipsis,)) else None
            out = out if is_record_dtype(dt) else np.asarray(out)  # a record stays one item
            if args == ():
                return _convert_out(out, dt, self, new_dtype)[()]
            if args == (Ellipsis,):
                return _convert_out(out, dt, self, new_dtype)
            raise ValueError("Illegal slicing argument for scalar dataspace")
        if args == ():
            args = (Ellipsis,)
        kind, sel = translate(args, shape)
        if self._sub and kind != "mask":
            sel = tuple(sel) + (slice(None),) * len(self._sub)
        out = getattr(arr, f"get_{kind}_selection")(sel, fields=fields)
        out = _convert_out(out, dt, self, new_dtype)
        if isinstance(out, np.ndarray) and out.ndim == 0 and any(isinstance(a, (int, np.integer))
                                                                  for a in args) and kind == "basic":
            return out[()]
        return out

    def read_direct(self, dest: np.ndarray, source_sel: Any = None, dest_sel: Any = None) -> None:
        """Read ``self[source_sel]`` into ``dest[dest_sel]``."""
        if self._is_empty:
            raise TypeError("Empty datasets have no data to read")
        if not isinstance(dest, np.ndarray) or not dest.flags.c_contiguous:
            raise TypeError("dest must be a C-contiguous writable numpy array")
        data = self[source_sel if source_sel is not None else ()]
        target = dest[dest_sel] if dest_sel is not None else dest
        if np.shape(data) != np.shape(target) and (np.size(data) != np.size(target) or not np.size(data)):
            raise TypeError(f"Can't broadcast {np.shape(data)} -> {np.shape(target)}")
        if dest_sel is None:
            dest[...] = np.reshape(data, dest.shape)
        else:
            dest[dest_sel] = np.reshape(data, np.shape(target))

    def write_direct(self, source: np.ndarray, source_sel: Any = None, dest_sel: Any = None) -> None:
        """Write ``source[source_sel]`` into ``self[dest_sel]``."""
        if self._is_empty:
            raise TypeError("Empty datasets cannot be written")
        if not isinstance(source, np.ndarray) or not source.flags.c_contiguous:
            raise TypeError("source must be a C-contiguous numpy array")
        data = source[source_sel] if source_sel is not None else source
        sel = dest_sel if dest_sel is not None else Ellipsis
        if dest_sel is None and data.shape != self.shape:
            raise TypeError(f"Can't broadcast {data.shape} -> {self.shape}")
        self[sel] = data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if copy is False:
            raise ValueError(f"AstypeWrapper.__array__ received {copy=} but memory allocation cannot be "
                             f"avoided on read")
        out = np.asarray(self[()]) if self.shape else np.asarray(self[...])
        return out if dtype is None else out.astype(dtype)

    def astype(self, dtype: Any) -> AstypeWrapper:
        return AstypeWrapper(self, dtype)

    def asstr(self, encoding: str | None = None, errors: str = "strict") -> AsStrWrapper:
        info = check_string_dtype(self.dtype)
        if info is None:
            raise TypeError(f"dset.asstr() can only be used on datasets with an HDF5 string datatype, "
                            f"not {self.dtype}")
        return AsStrWrapper(self, encoding or info.encoding, errors)

    def fields(self, names: Any) -> FieldsWrapper:
        return FieldsWrapper(self, names)

    def iter_chunks(self, sel: Any = None) -> Iterator[tuple[slice, ...]]:
        """Yield, per chunk the selection touches, the selection's part inside that chunk."""
        chunks = self.chunks
        if chunks is None:
            raise TypeError("Chunked dataset required")
        return iter_chunk_slices(self._extent, chunks, check_selection(sel, self._extent))

    # ---------------------------------------------------------------- writing
    def _read_region(self, ref: RegionReference, new_dtype: Any) -> Any:
        """``dset[regionref]``: the referenced elements, shaped as h5py does (see regions.py)."""
        store = self._state.store
        region = ref._region
        if region is None or ref._path != self._path or (ref._store is not store and ref._store != store):
            raise ValueError("Region reference must point to this dataset")  # a null one holds no region
        out = None if self._is_empty else read_region(self._arr, region)
        if out is None:
            return Empty(self.dtype if new_dtype is None else np.dtype(new_dtype))
        return _convert_out(out, self.dtype, self, new_dtype)

    def __setitem__(self, args: Any, val: Any) -> None:
        arr = self._arr
        with arr.metadata_held():  # one metadata read per call, as in reading
            if type(args) in _BLOCK_ARGS and _plain_value(val) and not self._state.read_only and self._plain \
                    and arr.set_cached_block(args if type(args) is tuple else (args,), val):
                return  # dset[i] = v (or a row, a short slice) into one cached chunk
            self._write(args, val)

    def _write(self, args: Any, val: Any) -> None:
        self._state.check_open()
        if self._state.read_only:
            raise NoWriteIntentError("Can't write data (no write intent on file)")
        args = args if isinstance(args, tuple) else (args,)
        names = [a for a in args if isinstance(a, str)]
        args = tuple(a for a in args if not isinstance(a, str))
        arr = self._arr
        dt = self.dtype
        if self._is_empty:
            raise TypeError("Empty datasets cannot be written")
        fields: Any = None
        if names:
            if dt.names is None:
                raise ValueError(f"Field names only allowed for compound types, not {dt}")
            fields = names[0] if len(names) == 1 else names
            if is_record_dtype(dt):
                current = np.array(self[args if args else ()], dtype=dt)
                current[fields] = _field_values(val, names)
                self[args if args else ()] = current
                return
            val = _field_values(val, names)
        target_dt = dt[fields] if isinstance(fields, str) else dt
        val = _convert_in(val, target_dt, self)
        shape = self.shape
        if not shape:
            if args not in ((), (Ellipsis,)):
                raise ValueError("Illegal slicing argument for scalar dataspace")
            arr.set_basic_selection((), val, fields=fields)
            return
        if args == ():
            args = (Ellipsis,)
        kind, sel = translate(args, shape)
        if self._sub and kind != "mask":
            sel = tuple(sel) + (slice(None),) * len(self._sub)
        setter = getattr(arr, f"set_{kind}_selection")
        original = val
        while True:
            try:
                setter(sel, val, fields=fields)
                return
            except ValueError as e:
                if "broadcast" not in str(e):
                    raise
                # a (1, n) row fits dset[i] = row in h5py: drop one leading unit axis and retry
                val = _drop_unit_axis(val)
                if val is None:
                    raise TypeError(_broadcast_message(original, args, shape, e)) from None

    def resize(self, size: Any, axis: int | None = None) -> None:
        """Change the shape, within maxshape; chunked datasets only."""
        self._state.check_writable("resize dataset")
        with self._arr.metadata_held():  # one metadata read per call: the checks and the resize share it
            self._resize(size, axis)

    def _resize(self, size: Any, axis: int | None) -> None:
        if self.chunks is None:
            raise TypeError("Only chunked datasets can be resized")
        shape = self._extent
        if axis is not None:
            if not (isinstance(axis, (int, np.integer)) and 0 <= axis < len(shape)):
                raise ValueError(f"Invalid axis ({axis} must be 0 <= axis < {len(shape)})")
            new = list(shape)
            new[axis] = int(size)
            size = tuple(new)
        size = (int(size),) if isinstance(size, (int, np.integer)) else tuple(int(s) for s in size)
        if len(size) != len(shape):
            raise TypeError(f"New shape {size} has the wrong rank for dataset of shape {shape}")
        for n, m in zip(size, self.maxshape or ()):  # chunked, so not Empty: it has a maxshape
            if n < 0 or (m is not None and n > m):
                raise ExtentError(f"Unable to set extent of dataset: new shape {size} exceeds maxshape "
                                 f"{self.maxshape}")
        self._arr.resize(size + self._sub)

    def flush(self) -> None:
        """Write this dataset's cached (dirty) chunks back to the store, then the File's pending
        metadata documents (this dataset's among them, in the order that keeps the store readable)."""
        self._state.check_open()
        self._state.chunk_cache.flush(self._path)
        if self._state.documents is not None:
            self._state.documents.write_documents()

    def refresh(self) -> None:
        """Write back, then forget, this dataset's cached chunks and metadata, so what other Files and
        processes wrote (a new shape, new chunks) is read (h5py's SWMR refresh)."""
        self._state.check_open()
        self.flush()  # what this File wrote is stored before what others wrote is read
        self._state.chunk_cache.discard(self._path, keep_settings=True)
        self._state.forget_arrays(self._path)

    def __hash__(self) -> int:
        return HLObject.__hash__(self)

    def __eq__(self, other: object) -> Any:
        return HLObject.__eq__(self, other)

    def __ne__(self, other: object) -> Any:
        return HLObject.__ne__(self, other)


def engine_array(dset: Dataset) -> CoreArray:
    """The core Array holding ``dset``'s data (HDF5 array types as trailing axes): for zarr5's own
    packages, which read and write chunks beneath the facade (copying)."""
    return dset._arr


def _plain_value(val: Any) -> bool:
    """A number, or an array of numbers: a value written as it is, with nothing to convert."""
    if isinstance(val, np.ndarray):
        return val.dtype.kind in "biufc"
    return isinstance(val, (int, float, complex, np.number, np.bool_))


def _exact_layout(packed: np.ndarray, dt: np.dtype) -> np.ndarray:
    """A compound stored packed (a layout Zarr cannot spell) in its exact layout, padding zeroed."""
    out = np.zeros(packed.shape, dtype=dt)
    out[...] = packed
    return out


def _broadcast_message(val: Any, args: tuple, shape: tuple, error: Exception) -> str:
    """h5py's wording, ``Can't broadcast (5, 2) -> (3, 2)``, which clients match on."""
    try:
        # a zero-strided view answers the selection's shape without allocating the dataset
        target = np.broadcast_to(np.zeros((), np.uint8), shape)[args].shape
    except (IndexError, TypeError, ValueError):
        return f"Can't broadcast: {error}"
    return f"Can't broadcast {np.shape(val)} -> {target}"


def _drop_unit_axis(val: Any) -> Any:
    """``val`` without its leading length-1 axis, or None when it has none: h5py matches a value to
    the selection from the last axis and lets extra leading axes of length 1 go (its expand_shape)."""
    if not isinstance(val, np.ndarray) or val.ndim == 0 or val.shape[0] != 1:
        return None
    return val.reshape(val.shape[1:])


def _big_endian(codecs: Any) -> bool:
    """Whether a v3 codec chain stores its items big-endian (looking inside sharding)."""
    for codec in codecs or ():
        conf = codec.get("configuration") or {}
        if codec.get("name") == "sharding_indexed":
            return _big_endian(conf.get("codecs"))
        if codec.get("name") == "bytes":
            return conf.get("endian") == "big"
    return False


def _field_values(val: Any, names: list[str]) -> Any:
    arr = np.asarray(val)
    if arr.dtype.names is not None:
        if len(names) == 1 and names[0] in arr.dtype.names:
            return arr[names[0]]
        return arr[names] if all(n in arr.dtype.names for n in names) else arr
    return val


def _is_vlen_str(dt: np.dtype) -> bool:
    return dt.kind == "O" and check_vlen_dtype(dt) in (str, bytes)


def _convert_out(out: Any, dt: np.dtype, dset: Dataset, new_dtype: Any = None) -> Any:
    """Engine values -> h5py's: vlen strings as bytes, missing strings as the fill value."""
    if is_record_dtype(dt):
        arr = out if isinstance(out, np.ndarray) else np.empty((), dtype=object)
        if arr is not out:
            arr[()] = out  # one element: the record itself (a list), not an array of its fields
        conv = np.empty(arr.shape, dtype=dt)
        for i, x in enumerate(arr.flat):
            conv.flat[i] = record_out(x, dt, dset._state.store)
        out = conv
    elif dt.kind == "O" and check_ref_dtype(dt) is not None:
        to_ref = ref_reader(dset._state.store, check_ref_dtype(dt))

        arr = np.asarray(out, dtype=object)
        refs = np.empty(arr.shape, dtype=object)
        for i, x in enumerate(arr.flat):
            refs.flat[i] = to_ref(x)
        out = refs
    elif _is_vlen_str(dt):
        fill = dset.fillvalue

        def to_bytes(x: Any) -> bytes:
            if x is None or (isinstance(x, int) and x == 0):
                return fill
            return x.encode("utf-8", "surrogateescape") if isinstance(x, str) else bytes(x)

        out = np.asarray(out, dtype=object)
        conv = np.frompyfunc(to_bytes, 1, 1)(out) if out.size else out
        out = np.asarray(conv, dtype=object).reshape(out.shape)
        if out.ndim == 0:
            box = np.empty((), dtype=object)
            box[()] = to_bytes(np.asarray(out)[()]) if not isinstance(out[()], bytes) else out[()]
            out = box
    elif dt.kind != "O" and isinstance(out, np.ndarray) and out.dtype != dt and dt.subdtype is None \
            and dt.names is None and out.dtype.names is None and out.dtype.kind == dt.kind:
        if out.dtype.itemsize == dt.itemsize:
            # metadata (enum, encoding) by a view; a stored byte order by a conversion
            out = out.view(dt) if out.dtype.byteorder == dt.byteorder or dt.itemsize == 1 else out.astype(dt)
    if dt.names is not None and isinstance(out, np.ndarray) and out.dtype.names == dt.names \
            and out.dtype != dt and not dt.hasobject:
        out = _exact_layout(out, dt)
    if new_dtype is not None:
        out = np.asarray(out).astype(new_dtype)
    elif isinstance(out, np.ndarray) and out.dtype.kind == "O" and dt.kind == "O" and dt.metadata:
        out = out.view(dt)  # h5py's arrays carry the special dtype (vlen, ref), so it can be reused
    return out


def _convert_in(val: Any, dt: np.dtype, dset: Dataset) -> Any:
    """h5py values -> what the engine stores: str for vlen UTF-8, bytes for vlen ASCII, bytes for S."""
    if is_record_dtype(dt):
        return records_in(val, dt, dset._state.store)
    if dt.kind == "O" and check_ref_dtype(dt) is not None:
        return _refs_in(val, dset)
    if _is_vlen_str(dt):
        utf8 = check_vlen_dtype(dt) is str

        def conv(x: Any) -> Any:
            if isinstance(x, (bytes, np.bytes_)):
                return bytes(x).decode("utf-8", "surrogateescape") if utf8 else bytes(x)
            if isinstance(x, (str, np.str_)):
                return str(x) if utf8 else str(x).encode("ascii")
            raise TypeError(f"Can't implicitly convert non-string objects to strings: {x!r}")

        if isinstance(val, (str, bytes, np.str_, np.bytes_)):
            return conv(val)
        return _each(val, conv)
    if dt.kind == "S":
        info = check_string_dtype(dt)
        enc = info.encoding if info else "ascii"
        if isinstance(val, str):
            return val.encode(enc)
        if isinstance(val, np.ndarray) and val.dtype.kind == "U":
            raise TypeError("No conversion path for dtype: " + repr(val.dtype))
        if isinstance(val, (list, tuple)) or (isinstance(val, np.ndarray) and val.dtype == object):
            return _each(val, lambda x: x.encode(enc) if isinstance(x, str) else x, dt)
        return val
    base = check_vlen_dtype(dt)
    if dt.kind == "O" and base not in (None, str, bytes) and not (
            isinstance(val, np.ndarray) and val.dtype.kind == "O") and not isinstance(val, (list, tuple)):
        # as h5py: a numeric array's last axis is the sequence; a 1-D array is one element
        seqs = np.asarray(val, dtype=base)
        if seqs.ndim > 1:
            out = np.empty(seqs.shape[:-1], dtype=object)
            for i, row in enumerate(seqs.reshape(-1, seqs.shape[-1])):
                out.flat[i] = row
            return out
        one = np.empty((), dtype=object)
        one[()] = seqs.reshape(-1)
        return one
    if dt.subdtype is not None:
        arr = np.asarray(val)
        if arr.shape[-len(dt.shape):] != dt.shape if dt.shape else False:
            raise TypeError(f"Can't broadcast {arr.shape} to array type {dt}")
        return arr
    if isinstance(val, np.ndarray) and val.dtype.kind == "U" and dt.kind != "U":
        raise TypeError("No conversion path for dtype: " + repr(val.dtype))
    return val


def _refs_in(val: Any, dset: Dataset) -> Any:
    """References -> the text stored for them ('' for null); references into another file refused."""
    conv = ref_writer(dset._state.store, check_ref_dtype(dset.dtype))
    if isinstance(val, Reference):
        return conv(val)
    return _each(val, conv)


def _each(val: Any, conv: Any, dtype: Any = object) -> np.ndarray:
    """``conv`` applied to every element of ``val`` (taken as an object array), as a ``dtype`` array."""
    arr = np.asarray(val, dtype=object)
    out = np.empty(arr.shape, dtype=dtype)
    for i, x in enumerate(arr.flat):
        out.flat[i] = conv(x)
    return out


class _Wrapper:
    """Base of the read-only views astype / asstr / fields."""

    dtype: np.dtype  # what the view reads as

    def __init__(self, dset: Dataset) -> None:
        self._dset = dset

    def __len__(self) -> int:
        return len(self._dset)

    @property
    def shape(self) -> Any:
        return self._dset.shape

    @property
    def ndim(self) -> int:
        return self._dset.ndim

    @property
    def size(self) -> Any:
        return self._dset.size

    def _read(self, args: Any) -> Any:
        raise NotImplementedError

    def __getitem__(self, args: Any) -> Any:
        return self._read(args)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if copy is False:
            raise ValueError(f"{type(self).__name__}.__array__ received {copy=} but memory allocation "
                             f"cannot be avoided on read")
        data = self._read(()) if self._dset.shape else self._read(Ellipsis)
        out = np.asarray(data, dtype=self.dtype if dtype is None else None)
        return out if dtype is None else out.astype(dtype)


class AstypeWrapper(_Wrapper):
    def __init__(self, dset: Dataset, dtype: Any) -> None:
        super().__init__(dset)
        self.dtype = np.dtype(dtype)

    def _read(self, args: Any) -> Any:
        return self._dset.__getitem__(args, self.dtype)  # new_dtype (positional: mypy reads [] as one)


class AsStrWrapper(_Wrapper):
    dtype = np.dtype(object)

    def __init__(self, dset: Dataset, encoding: str, errors: str = "strict") -> None:
        super().__init__(dset)
        self.encoding, self.errors = encoding, errors

    def _read(self, args: Any) -> Any:
        raw = self._dset[args]
        if isinstance(raw, (bytes, np.bytes_)):
            return bytes(raw).decode(self.encoding, self.errors)
        return _each(raw, lambda x: bytes(x).decode(self.encoding, self.errors))


class FieldsWrapper(_Wrapper):
    def __init__(self, dset: Dataset, names: Any) -> None:
        super().__init__(dset)
        if isinstance(names, str):
            self._names, self._single = [names], True
        else:
            self._names, self._single = list(names), False
        dt = dset.dtype
        self.dtype = dt[names] if self._single else np.dtype([(n, dt[n]) for n in self._names])

    def _read(self, args: Any) -> Any:
        args = args if isinstance(args, tuple) else (args,)
        out = self._dset[args + tuple(self._names)]
        if not self._single and isinstance(out, np.ndarray):
            out = out.astype(self.dtype)
        return out

