"""Read a user's model from a file into a :class:`~cnncount.network.Network`, choosing the reader
by the file's suffix, or from the user's own Python code, ``PACKAGE.MODULE:CALLABLE``
(``cnncount.readers.torch``). Each reader loads on first use, since one may import an
optional package.

Examples:
    >>> is_model_file("resnet.onnx"), is_model_file("vgg16")
    (True, False)
    >>> is_callable_reference("torchvision.models:resnet50")
    True
"""

from __future__ import annotations

import os.path
from importlib import import_module
from typing import TYPE_CHECKING

from cnncount.errors import ReadError

if TYPE_CHECKING:
    from cnncount.network import Network
    from cnncount.shapes import Shape

__all__ = ["READERS", "is_callable_reference", "is_model_file", "read_model"]

READERS = {".keras": "keras", ".json": "keras", ".onnx": "onnx"}
"""The reader module of each file suffix, under ``cnncount.readers``."""


def is_model_file(word: str) -> bool:
    """Return whether ``word`` names a file that one of the readers reads, by its suffix.

    Examples:
        >>> is_model_file("net.ONNX"), is_model_file("conv3-64")
        (True, False)
    """
    return os.path.splitext(word)[1].lower() in READERS


def is_callable_reference(word: str) -> bool:
    """Return whether ``word`` reads ``PACKAGE.MODULE:CALLABLE``: a dotted module, a colon and a
    name.

    Examples:
        >>> is_callable_reference("torchvision.models:resnet50"), is_callable_reference("mynets:TinyCNN")
        (True, True)
        >>> is_callable_reference("net.onnx"), is_callable_reference(r"C:\\nets\\a.onnx"), is_callable_reference("conv3-64")
        (False, False, False)
    """
    module, colon, name = word.partition(":")
    return (
        bool(colon)
        and name.isidentifier()
        and all(part.isidentifier() for part in module.split("."))
    )


def read_model(source: str, input_shape: Shape | None = None) -> Network:
    """Return the network in the file ``source``, fed ``input_shape`` if given (else the file's).

    Examples:
        >>> read_model("missing.onnx")
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: missing.onnx: no such file
        >>> read_model(".")
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: .: a directory, not a model file
    """
    if os.path.isdir(source):
        raise ReadError(f"{source}: a directory, not a model file")
    if not os.path.isfile(source):
        raise ReadError(f"{source}: no such file")
    reader = READERS[os.path.splitext(source)[1].lower()]
    read = getattr(import_module(f"cnncount.readers.{reader}"), f"read_{reader}")
    network: Network = read(source, input_shape)
    return network
