"""Layers that act value by value or across channels at each pixel: no parameters, same shape."""

from __future__ import annotations

from cnncount.errors import LayerError
from cnncount.layers.base import Layer

__all__ = [
    "GELU",
    "Dropout",
    "Hardsigmoid",
    "Hardswish",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "StochasticDepth",
]


class ReLU(Layer):
    """The rectifier ``max(0, x)``.

    It runs in place, as torchvision's ``nn.ReLU(inplace=True)`` does everywhere but inside the
    squeeze-and-excitation blocks of MobileNetV3 and RegNet, whose ReLU acts on C x 1 x 1 values.

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


class SiLU(Layer):
    """The sigmoid-weighted linear unit (swish), ``x * sigmoid(x)``, of EfficientNet.

    Examples:
        >>> SiLU(), str(SiLU()), SiLU().in_place
        (SiLU(), 'silu', True)
    """

    __slots__ = ()
    kind = "silu"
    category = "activation"
    in_place = True  # nn.SiLU(inplace=True), as torchvision's EfficientNet runs it

    def __str__(self) -> str:
        return "silu"


class Hardswish(Layer):
    """The hard swish of MobileNetV3, ``x * relu6(x + 3) / 6``: SiLU made of pieces of lines.

    Examples:
        >>> Hardswish(), str(Hardswish()), Hardswish().in_place
        (Hardswish(), 'hardswish', True)
    """

    __slots__ = ()
    kind = "hardswish"
    category = "activation"
    in_place = True  # nn.Hardswish(inplace=True), as torchvision's MobileNetV3 runs it

    def __str__(self) -> str:
        return "hardswish"


class Hardsigmoid(Layer):
    """The hard sigmoid, ``relu6(x + 3) / 6``: the gate of MobileNetV3's squeeze-and-excitation.

    Examples:
        >>> Hardsigmoid(), str(Hardsigmoid()), Hardsigmoid().in_place
        (Hardsigmoid(), 'hardsigmoid', False)
    """

    __slots__ = ()
    kind = "hardsigmoid"
    category = "activation"
    # out of place: torchvision's SqueezeExcitation builds nn.Hardsigmoid() without inplace

    def __str__(self) -> str:
        return "hardsigmoid"


class Sigmoid(Layer):
    """The logistic sigmoid ``1 / (1 + exp(-x))``: the gate of squeeze-and-excitation.

    Examples:
        >>> Sigmoid(), str(Sigmoid()), Sigmoid().in_place
        (Sigmoid(), 'sigmoid', False)
    """

    __slots__ = ()
    kind = "sigmoid"
    category = "activation"

    def __str__(self) -> str:
        return "sigmoid"


class GELU(Layer):
    """The Gaussian error linear unit ``x * Phi(x)`` (exact, not the tanh approximation), of
    ConvNeXt and the vision transformer.

    Examples:
        >>> GELU(), str(GELU()), GELU().in_place
        (GELU(), 'gelu', False)
    """

    __slots__ = ()
    kind = "gelu"
    category = "activation"

    def __str__(self) -> str:
        return "gelu"


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
        _require_probability("dropout", p)
        self._set(p=p)

    def __str__(self) -> str:
        return "dropout" if self.p == 0.5 else f"dropout{self.p:g}"


class StochasticDepth(Layer):
    """Stochastic depth ("drop path") with probability ``p``: in training, a residual branch is
    dropped for a whole image at a time and the survivors scaled by ``1 / (1 - p)``; nothing is
    learned, and at inference it is the identity.

    Examples:
        >>> StochasticDepth(0.1), str(StochasticDepth(0.0125))
        (StochasticDepth(p=0.1), 'droppath0.0125')
        >>> from cnncount import Shape
        >>> StochasticDepth(0.1).params(Shape(96, 56, 56))
        0
        >>> StochasticDepth(-1)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: drop path probability must be from 0 to 1, got -1
    """

    __slots__ = ("p",)
    kind = "stochasticdepth"
    category = "regularization"

    p: float

    def __init__(self, p: float) -> None:
        _require_probability("drop path", p)
        self._set(p=p)

    def __str__(self) -> str:
        return f"droppath{self.p:g}"


def _require_probability(what: str, p: float) -> None:
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise LayerError(f"{what} probability must be from 0 to 1, got {p!r}")


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
