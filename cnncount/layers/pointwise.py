"""Layers that act value by value or across channels at each pixel: no parameters, same shape."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import (
    INPUT_SAVED,
    NOTHING_SAVED,
    OUTPUT_SAVED,
    Layer,
    Saves,
    number_text,
)
from cnncount.shapes import Shape

__all__ = ["Dropout", "Dropout2d", "LeakyReLU", "ReLU", "ReLU6", "Softmax", "require_probability"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReLU(Layer):
    """The rectifier ``max(0, x)``.

    It runs in place, as torchvision's ``nn.ReLU(inplace=True)`` does everywhere but inside the
    squeeze-and-excitation blocks of MobileNetV3 and RegNet, whose ReLU acts on C x 1 x 1 values.

    Examples:
        >>> ReLU(), str(ReLU())
        (ReLU(), 'relu')
    """

    kind = "relu"
    category = "activation"
    in_place = True  # nn.ReLU(inplace=True), as torchvision runs it

    def saves(self, shape: Shape) -> Saves:
        """Return its output: the gradient passes where the output is positive.

        Examples:
            >>> ReLU().saves(Shape(64, 8, 8)).output
            True
        """
        return OUTPUT_SAVED

    def __str__(self) -> str:
        return "relu"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReLU6(Layer):
    """The rectifier clipped at six, ``min(max(0, x), 6)``, of MobileNetV2.

    Examples:
        >>> ReLU6(), str(ReLU6())
        (ReLU6(), 'relu6')
    """

    kind = "relu6"
    category = "activation"
    in_place = True  # nn.ReLU6(inplace=True), as torchvision runs it

    def saves(self, shape: Shape) -> Saves:
        """Return its input, whose range decides where the gradient passes (in place, a copy).

        Examples:
            >>> ReLU6().saves(Shape(64, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "relu6"


@dataclass(frozen=True, slots=True, init=False)
class LeakyReLU(Layer):
    """The leaky rectifier, ``x`` where positive and ``negative_slope * x`` elsewhere, of the
    darknets (timm's CSPNets): no parameters, no multiply-accumulates.

    It runs in place, as timm's ``nn.LeakyReLU(inplace=True)`` does.

    Examples:
        >>> LeakyReLU(), str(LeakyReLU()), str(LeakyReLU(0.1))
        (LeakyReLU(negative_slope=0.01), 'leakyrelu', 'leakyrelu0.1')
        >>> LeakyReLU(-1.0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: negative slope must be at least 0, got -1.0
    """

    kind = "leakyrelu"
    category = "activation"
    in_place = True  # nn.LeakyReLU(inplace=True), as timm runs it

    negative_slope: float

    def __init__(self, negative_slope: float = 0.01) -> None:
        if not isinstance(negative_slope, (int, float)) or negative_slope < 0:
            raise LayerError(f"negative slope must be at least 0, got {negative_slope!r}")
        object.__setattr__(self, "negative_slope", float(negative_slope))

    def saves(self, shape: Shape) -> Saves:
        """Return its output, whose sign decides the gradient's slope (in place, its result).

        Examples:
            >>> LeakyReLU().saves(Shape(64, 8, 8)).output
            True
        """
        return OUTPUT_SAVED

    def __str__(self) -> str:
        slope = self.negative_slope
        return "leakyrelu" if slope == 0.01 else f"leakyrelu{slope:g}"


@dataclass(frozen=True, slots=True, init=False)
class Dropout(Layer):
    """Dropout with drop probability ``p``: a training-time mask, nothing learned.

    Examples:
        >>> Dropout(), str(Dropout()), str(Dropout(0.2)), str(Dropout(1 / 3))
        (Dropout(p=0.5), 'dropout', 'dropout0.2', 'dropout0.3333333333333333')
        >>> Dropout(1.5)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: dropout probability must be from 0 to 1, got 1.5
    """

    kind = "dropout"
    category = "regularization"

    p: float

    def __init__(self, p: float = 0.5) -> None:
        require_probability("dropout", p)
        object.__setattr__(self, "p", p)

    def passes_through(self, training: bool) -> bool:
        """Return whether it returns its input: in inference, or where it drops nothing.

        Examples:
            >>> Dropout(0.0).passes_through(training=True)
            True
        """
        return not training or self.p == 0

    def saves(self, shape: Shape) -> Saves:
        """Return its mask, a value for each of its input's (none where it drops nothing).

        Examples:
            >>> Dropout().saves(Shape(4096, 1, 1)).mask
            4096
        """
        return Saves(mask=shape.numel) if self.p else NOTHING_SAVED

    def __str__(self) -> str:
        return "dropout" if self.p == 0.5 else f"dropout{number_text(self.p)}"


@dataclass(frozen=True, slots=True, init=False)
class Dropout2d(Dropout):
    """Channel dropout (spatial dropout, Tompson et al., 2015) with drop probability ``p``: in
    training each of an image's maps is kept or dropped whole, as ``nn.Dropout2d`` does.

    Its backward pass keeps the noise it multiplied the maps by, one value per map in the
    activations' data type, where :class:`Dropout` keeps a mask of every value.

    Examples:
        >>> Dropout2d(0.25), str(Dropout2d()), str(Dropout2d(0.25))
        (Dropout2d(p=0.25), 'dropout2d', 'dropout2d0.25')
        >>> Dropout2d(0.25).passes_through(training=False)
        True
    """

    kind = "dropout2d"

    def saves(self, shape: Shape) -> Saves:
        """Return its noise, a value for each map (none where it drops nothing).

        Examples:
            >>> Dropout2d().saves(Shape(64, 8, 8)).values
            64
        """
        return Saves(values=shape.channels) if self.p else NOTHING_SAVED

    def __str__(self) -> str:
        return "dropout2d" + Dropout.__str__(self).removeprefix("dropout")


def require_probability(what: str, p: float) -> None:
    """Raise :class:`~cnncount.errors.LayerError` unless ``p`` is a probability, from 0 to 1.

    Examples:
        >>> require_probability("dropout", 1.5)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: dropout probability must be from 0 to 1, got 1.5
    """
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise LayerError(f"{what} probability must be from 0 to 1, got {p!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Softmax(Layer):
    """The soft-max over the channels, which turns class scores into probabilities; with ``log``,
    their logarithms (PyTorch's ``log_softmax``, which ``nll_loss`` expects).

    Examples:
        >>> str(Softmax()), str(Softmax(log=True))
        ('soft-max', 'log-soft-max')
    """

    kind = "softmax"
    category = "activation"
    autocast = "float32"

    log: bool = False

    def saves(self, shape: Shape) -> Saves:
        """Return its output, from which its gradient is computed.

        Examples:
            >>> Softmax().saves(Shape(1000, 1, 1)).output
            True
        """
        return OUTPUT_SAVED

    def __str__(self) -> str:
        return "log-soft-max" if self.log else "soft-max"
