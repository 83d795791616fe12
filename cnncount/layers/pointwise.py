"""Layers that act value by value or across channels at each pixel: no parameters, same shape."""

from __future__ import annotations

from cnncount.errors import LayerError
from cnncount.layers.base import Layer

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

    def __str__(self) -> str:
        return "soft-max"
