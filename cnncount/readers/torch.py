"""Read a PyTorch module into a :class:`~cnncount.network.Network`, without allocating a weight.

:func:`from_torch` runs the module's forward on meta tensors and maps what runs onto cnncount's
layers (:mod:`cnncount.readers.torch_trace`), leaving the module as it was.
:func:`read_callable` is the command line's ``cnncount PACKAGE.MODULE:CALLABLE``: it imports
the user's module and calls the callable, the one place where cnncount runs code it did not
write, and only by the user's choice.

Examples:
    >>> import torch
    >>> student = torch.nn.Sequential(
    ...     torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    ...     torch.nn.Flatten(), torch.nn.Linear(8 * 14 * 14, 10))
    >>> network = from_torch(student, (1, 28, 28), name="student")
    >>> [str(node.layer) for node in network.nodes]
    ['conv3-8', 'relu', 'maxpool', 'flatten', 'FC-10']
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from importlib import import_module
from typing import TYPE_CHECKING, Any

from cnncount.errors import ReadError
from cnncount.network import Network
from cnncount.shapes import Shape

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["DEFAULT_INPUT", "build_on_meta", "from_torch", "read_callable"]

DEFAULT_INPUT = Shape(3, 224, 224)
"""The image that ``cnncount MODULE:CALLABLE`` feeds a model without ``--input``."""


def from_torch(
    module: Any, input_shape: Shape | tuple[int, int, int], *, name: str | None = None
) -> Network:
    """Return the network that the ``torch.nn.Module`` ``module`` computes on one image of
    ``input_shape`` (C, H, W), named ``name`` (else by its class). A module compiled by
    ``torch.compile`` is read as the module it compiles.

    Examples:
        >>> import torch
        >>> network = from_torch(torch.nn.Conv2d(3, 8, 3), (3, 32, 32))
        >>> network.name, [(node.name, str(node.layer)) for node in network.nodes]
        ('Conv2d', [('Conv2d', 'conv3-8/p0')])
        >>> from_torch(torch.nn.Conv2d(3, 8, 3), (1, 3, 32, 32))
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: Conv2d: the input is one image, (channels, height, width), not (1, 3, 32, 32)
        >>> from_torch(torch.nn.Conv2d, (3, 32, 32))
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: Conv2d: cnncount reads a torch.nn.Module, not the class itself: make one first, Conv2d(...)
    """
    from cnncount.readers.torch_functions import FUNCTIONS
    from cnncount.readers.torch_modules import MODULES, load_extensions
    from cnncount.readers.torch_trace import record

    torch = _import_torch(name or "from_torch")
    module = getattr(module, "_orig_mod", module)  # torch.compile's wrapper of the module
    kind = module if isinstance(module, type) else type(module)
    label = name or kind.__name__
    if isinstance(module, type):
        msg = f"{label}: cnncount reads a torch.nn.Module, not the class itself: make one first, {kind.__name__}(...)"
        raise ReadError(msg)
    if not isinstance(module, torch.nn.Module):
        raise ReadError(f"{label}: cnncount reads a torch.nn.Module, not {kind.__name__}")
    load_extensions()
    shape = input_shape if isinstance(input_shape, Shape) else _image(input_shape, label)
    return Network(label, shape, record(module, shape, label, MODULES, FUNCTIONS))


def _image(sizes: Any, label: str) -> Shape:
    """Return the shape of one image given as (channels, height, width)."""
    if (
        not isinstance(sizes, (tuple, list))
        or len(sizes) != 3
        or not all(isinstance(size, int) and size > 0 for size in sizes)
    ):
        msg = f"{label}: the input is one image, (channels, height, width), not {sizes!r}"
        raise ReadError(msg)
    return Shape(*sizes)


def read_callable(reference: str, input_shape: Shape | None = None) -> Network:
    """Return the network of the module that ``reference``, ``PACKAGE.MODULE:CALLABLE``, returns
    when called with no arguments on the meta device, fed ``input_shape`` (default 3x224x224).

    Examples:
        >>> read_callable("torchvision.models:alexnet").nodes[-1].name
        'classifier.6'
        >>> read_callable("cnncount.shapes:Shape")
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: cnncount.shapes:Shape: calling it fails: TypeError: Shape.__init__() missing 3 required positional arguments: 'channels', 'height', and 'width'
    """
    torch = _import_torch(reference)
    module_name, _, attribute = reference.partition(":")
    factory = getattr(_import(reference, module_name), attribute, None)
    if not callable(factory):
        raise ReadError(f"{reference}: module {module_name!r} has no callable {attribute!r}")
    model = build_on_meta(factory, reference)
    if not isinstance(model, torch.nn.Module):
        raise ReadError(
            f"{reference}: returns {type(model).__name__}, where cnncount reads a torch.nn.Module"
        )
    return from_torch(model, input_shape or DEFAULT_INPUT, name=attribute)


def _import(reference: str, module_name: str) -> Any:
    """Import the user's module, the current directory first on the path as ``python -m`` puts it."""
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            raise ReadError(f"{reference}: no module named {error.name!r}") from None
        raise ReadError(f"{reference}: importing {module_name} fails: {_reason(error)}") from None
    except (Exception, SystemExit) as error:  # noqa: BLE001 -- the user's code: one line
        raise ReadError(f"{reference}: importing {module_name} fails: {_reason(error)}") from None


def build_on_meta(factory: Callable[[], Any], reference: str) -> Any:
    """Return what ``factory()`` makes on the meta device; where its own arithmetic needs real
    tensors (RegNet computes its widths with them), call it again on the CPU with each parameter
    and buffer moved to meta as it is made, so that no model's weights are ever held at once.
    An error is one line naming ``reference``.

    Examples:
        >>> import torchvision
        >>> build_on_meta(torchvision.models.regnet_y_400mf, "regnet").stem[0].weight.device
        device(type='meta')
        >>> build_on_meta(lambda: 1 / 0, "broken")
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: broken: calling it fails: ZeroDivisionError: division by zero
    """
    torch = _import_torch(reference)
    try:
        with torch.device("meta"):
            return factory()
    except NotImplementedError:
        pass
    except (Exception, SystemExit) as error:  # noqa: BLE001 -- the user's code: one line
        raise ReadError(f"{reference}: calling it fails: {_reason(error)}") from None
    try:
        with _made_on_meta(torch):
            return factory()
    except (Exception, SystemExit) as error:  # noqa: BLE001 -- as above
        raise ReadError(f"{reference}: calling it fails: {_reason(error)}") from None


@contextmanager
def _made_on_meta(torch: Any) -> Iterator[None]:
    """Move each parameter and buffer a module registers to the meta device, as it is made."""
    module = torch.nn.Module
    register_parameter, register_buffer = module.register_parameter, module.register_buffer

    def parameter_on_meta(self: Any, name: str, value: Any) -> None:
        if value is not None:
            value = torch.nn.Parameter(value.to("meta"), value.requires_grad)
        register_parameter(self, name, value)

    def buffer_on_meta(self: Any, name: str, value: Any, persistent: bool = True) -> None:
        register_buffer(self, name, None if value is None else value.to("meta"), persistent)

    module.register_parameter, module.register_buffer = parameter_on_meta, buffer_on_meta
    try:
        yield
    finally:
        module.register_parameter, module.register_buffer = register_parameter, register_buffer


def _reason(error: BaseException) -> str:
    """Return the first line of ``error``, after its type's name."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def _import_torch(reference: str) -> Any:
    try:
        import torch
    except ImportError:
        msg = f"{reference}: reading a PyTorch model needs torch: pip install 'cnncount[torch]'"
        raise ReadError(msg) from None
    return torch
