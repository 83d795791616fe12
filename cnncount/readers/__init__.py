"""Read a user's model file into a :class:`~cnncount.network.Network`, by the file's suffix.

Each reader is imported only when a file of its kind is read, since a reader may need an
optional package (onnx).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cnncount.network import Network
    from cnncount.shapes import Shape

__all__ = ["READERS", "is_model_file", "read_model"]

READERS = {".keras": "keras", ".json": "keras", ".onnx": "onnx"}
"""The reader of each file suffix, the function ``read_<kind>`` of ``cnncount.readers.<kind>``."""


def is_model_file(word: str) -> bool:
    """Return whether ``word`` names a model file that a reader reads, by its suffix.

    Examples:
        >>> is_model_file("my_model.keras"), is_model_file("model.JSON"), is_model_file("vgg16")
        (True, True, False)
    """
    return PurePath(word).suffix.lower() in READERS


def read_model(source: str, input_shape: Shape | None = None) -> Network:
    """Return the network that the file ``source`` holds, fed ``input_shape`` if given.

    Examples:
        >>> import json, tempfile
        >>> layers = [{"class_name": "InputLayer", "config": {"batch_shape": [None, 8, 8, 3]}},
        ...           {"class_name": "Conv2D", "config": {"name": "conv", "filters": 4, "kernel_size": 3}}]
        >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        ...     _ = file.write(json.dumps({"class_name": "Sequential", "config": {"layers": layers}}))
        >>> [(node.name, str(node.layer)) for node in read_model(file.name).nodes]
        [('conv', 'conv3-4/p0')]
    """
    kind = READERS[PurePath(source).suffix.lower()]
    read = getattr(import_module(f"cnncount.readers.{kind}"), f"read_{kind}")
    network: Network = read(source, input_shape)
    return network
