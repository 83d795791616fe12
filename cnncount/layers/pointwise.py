"""Layers that act value by value or across channels at each pixel: no parameters, same shape."""

from __future__ import annotations

from cnncount.errors import LayerError
from cnncount.layers.base import INPUT_SAVED, OUTPUT_SAVED, Layer, Saves
from cnncount.shapes import Shape

__all__ = ["Dropout", "ReLU", "ReLU6", "Softmax"]


class ReLU(Layer):
    """The rectifier ``max(0, x)``.

    Examples:
        >>> ReLU(), str(ReLU())
        (ReLU(), 'relu')
    """

    __slots__ = ()
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


class ReLU6(Layer):
    """The rectifier clipped at six, ``min(max(0, x), 6)``, of MobileNetV2.

    Examples:
        >>> ReLU6(), str(ReLU6())
        (ReLU6(), 'relu6')
    """

    __slots__ = ()
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


class Dropout(Layer):
    """Dropout with drop probability ``p``: a training-time mask, nothing learned.

    Examples:
        >>> Dropout(), str(Dropout())
        (Dropout(p=0.5), 'dropout')
        >>> Dropout(1.5)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: dropout probability must be from 0 to 1, got 1.5
    """

    __slots__ = ("p",)
    kind = "dropout"
    category = "regularization"

    p: float

    def __init__(self, p: float = 0.5) -> None:
        if not 0 <= p <= 1:
            raise LayerError(f"dropout probability must be from 0 to 1, got {p!r}")
        self._set(p=p)

    def saves(self, shape: Shape) -> Saves:
        """Return its mask: a value for each of its input's.

        Examples:
            >>> Dropout().saves(Shape(4096, 1, 1)).mask
            4096
        """
        return Saves(mask=shape.numel)

    def __str__(self) -> str:
        return "dropout" if self.p == 0.5 else f"dropout{self.p:g}"


class Softmax(Layer):
    """The soft-max over the channels, which turns class scores into probabilities.

    Examples:
        >>> str(Softmax())
        'soft-max'
    """

    __slots__ = ()
    kind = "softmax"
    category = "activation"
    autocast = "float32"

    def saves(self, shape: Shape) -> Saves:
        """Return its output, from which its gradient is computed.

        Examples:
            >>> Softmax().saves(Shape(1000, 1, 1)).output
            True
        """
        return OUTPUT_SAVED

    def __str__(self) -> str:
        return "soft-max"
