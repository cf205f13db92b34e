"""ome-zarr's writer and reader, run with zarr bound to zarr5 (tests/zarr2/test_zarr2_clients.py)."""

import sys

import numpy as np
import zarr
from ome_zarr.io import parse_url
from ome_zarr.reader import Label, Multiscales, Reader
from ome_zarr.writer import write_image, write_labels

assert getattr(zarr, "__zarr5_vocabulary__", False), zarr
out = sys.argv[1]
data = np.random.default_rng(0).integers(0, 255, size=(2, 64, 64), dtype=np.uint8)
root = zarr.group(store=parse_url(out, mode="w").store)
write_image(image=data, group=root, axes="cyx", storage_options=dict(chunks=(1, 32, 32)))
labels = (data[0] > 128).astype(np.uint8)
write_labels(labels, root, name="mask", axes="yx")

nodes = list(Reader(parse_url(out))())
image = next(n for n in nodes if n.specs and isinstance(n.specs[0], Multiscales) and not n.load(Label))
levels = image.data
assert len(levels) > 1, levels  # a pyramid: the full image, then downsampled levels
np.testing.assert_array_equal(np.asarray(levels[0]), data)
assert levels[1].shape[-1] < 64
label_node = next(n for n in nodes if n.load(Label))
np.testing.assert_array_equal(np.asarray(label_node.data[0]), labels)
print("OK ome-zarr", [lvl.shape for lvl in levels])
