"""The rectifier's smooth and learned relatives, which students and older networks use in its
place: the exponential linear units (ELU, SELU), Mish, softplus and the parametric rectifier
(PReLU). Each acts value by value, keeps the shape, and keeps its input for the backward pass;
only PReLU learns anything, a slope for negative values.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import INPUT_SAVED, Layer, Saves, WeightFactors
from cnncount.shapes import Shape

__all__ = ["ELU", "SELU", "Mish", "PReLU", "Softplus"]


def _positive_number(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise LayerError(f"{name} must be a number above 0, got {value!r}")
    return float(value)


@dataclass(frozen=True, slots=True, init=False)
class ELU(Layer):
    """The exponential linear unit (Clevert et al., 2016): ``x`` where positive and
    ``alpha (e^x - 1)`` elsewhere. No parameters, no multiply-accumulates.

    Examples:
        >>> ELU(), str(ELU()), str(ELU(0.5)), ELU().in_place
        (ELU(alpha=1.0), 'elu', 'elu0.5', False)
        >>> ELU(0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: alpha must be a number above 0, got 0
    """

    kind = "elu"
    category = "activation"

    alpha: float

    def __init__(self, alpha: float = 1.0) -> None:
        object.__setattr__(self, "alpha", _positive_number("alpha", alpha))

    def saves(self, shape: Shape) -> Saves:
        """Return its input, from which its gradient is computed.

        Examples:
            >>> ELU().saves(Shape(32, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "elu" if self.alpha == 1 else f"elu{self.alpha:g}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SELU(Layer):
    """The scaled exponential linear unit of self-normalising networks (Klambauer et al., 2017):
    ELU with ``alpha`` about 1.673, scaled by about 1.051. No parameters, no multiply-accumulates.

    Examples:
        >>> SELU(), str(SELU()), SELU().saves(Shape(32, 8, 8)).input
        (SELU(), 'selu', True)
    """

    kind = "selu"
    category = "activation"

    def saves(self, shape: Shape) -> Saves:
        """Return its input, from which its gradient is computed.

        Examples:
            >>> SELU().saves(Shape(32, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "selu"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mish(Layer):
    """Mish (Misra, 2019), ``x tanh(softplus(x))``, of YOLOv4's darknet. No parameters, no
    multiply-accumulates.

    Examples:
        >>> Mish(), str(Mish()), Mish().saves(Shape(32, 8, 8)).input
        (Mish(), 'mish', True)
    """

    kind = "mish"
    category = "activation"

    def saves(self, shape: Shape) -> Saves:
        """Return its input, from which its gradient is computed.

        Examples:
            >>> Mish().saves(Shape(32, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "mish"


@dataclass(frozen=True, slots=True, init=False)
class Softplus(Layer):
    """The softplus ``log(1 + e^(beta x)) / beta``, a smooth rectifier. No parameters, no
    multiply-accumulates; autocast runs it in float32. PyTorch's ``threshold``, above which it
    returns ``x`` for numerical stability, changes no count and is not kept.

    Examples:
        >>> Softplus(), str(Softplus()), str(Softplus(2)), Softplus().autocast
        (Softplus(beta=1.0), 'softplus', 'softplus2', 'float32')
    """

    kind = "softplus"
    category = "activation"
    autocast = "float32"

    beta: float

    def __init__(self, beta: float = 1.0) -> None:
        object.__setattr__(self, "beta", _positive_number("beta", beta))

    def saves(self, shape: Shape) -> Saves:
        """Return its input, from which its gradient is computed.

        Examples:
            >>> Softplus().saves(Shape(32, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "softplus" if self.beta == 1 else f"softplus{self.beta:g}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PReLU(Layer):
    """The parametric rectifier (He et al., 2015): ``x`` where positive and ``a x`` elsewhere,
    with the slope ``a`` learned, one for the whole layer or, with ``channels``, one per channel.

    Its weights are those slopes, 1 or C; it has no biases and, since ``flop_counter`` counts no
    element-wise product, no multiply-accumulates.

    Examples:
        >>> shape = Shape(64, 56, 56)
        >>> PReLU().weights(shape), PReLU(channels=True).weights(shape), PReLU().macs(shape)
        (1, 64, 0)
        >>> str(PReLU()), str(PReLU(channels=True))
        ('prelu', 'prelu/channels')
    """

    kind = "prelu"
    category = "activation"
    autocast = "promote"

    channels: bool = False

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return the slopes: one, or one per channel.

        Examples:
            >>> PReLU(channels=True).weight_factors(Shape(64, 8, 8))
            ((64,),)
        """
        return ((shape.channels if self.channels else 1,),)

    def weights(self, shape: Shape) -> int:
        """Return the number of slopes: C with ``channels``, else 1.

        Examples:
            >>> PReLU(channels=True).weights(Shape(64, 8, 8))
            64
        """
        return shape.channels if self.channels else 1

    def saves(self, shape: Shape) -> Saves:
        """Return its input, from which both its gradient and the slopes' are computed.

        Examples:
            >>> PReLU().saves(Shape(64, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "prelu/channels" if self.channels else "prelu"
