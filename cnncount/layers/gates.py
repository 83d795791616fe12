"""Gates and self-gated activations: the sigmoid of a value (or its hard version, made of pieces
of lines), alone as a gate or times the value (SiLU, hard swish, GELU). No parameters, same shape."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.layers.base import INPUT_SAVED, OUTPUT_SAVED, Layer, Saves
from cnncount.shapes import Shape

__all__ = ["GELU", "Hardsigmoid", "Hardswish", "SiLU", "Sigmoid", "Tanh"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SiLU(Layer):
    """The sigmoid-weighted linear unit (swish), ``x * sigmoid(x)``, of EfficientNet.

    Examples:
        >>> SiLU(), str(SiLU()), SiLU().in_place
        (SiLU(), 'silu', True)
    """

    kind = "silu"
    category = "activation"
    in_place = True  # nn.SiLU(inplace=True), as torchvision's EfficientNet runs it

    def saves(self, shape: Shape) -> Saves:
        """Return its input, from which its gradient is computed (in place, a copy of it).

        Examples:
            >>> SiLU().saves(Shape(32, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "silu"


@dataclass(frozen=True, slots=True, kw_only=True)
class Hardswish(Layer):
    """The hard swish of MobileNetV3, ``x * relu6(x + 3) / 6``: SiLU made of pieces of lines.

    Examples:
        >>> Hardswish(), str(Hardswish()), Hardswish().in_place
        (Hardswish(), 'hardswish', True)
    """

    kind = "hardswish"
    category = "activation"
    in_place = True  # nn.Hardswish(inplace=True), as torchvision's MobileNetV3 runs it

    def saves(self, shape: Shape) -> Saves:
        """Return its input, from which its gradient is computed (in place, a copy of it).

        Examples:
            >>> Hardswish().saves(Shape(32, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "hardswish"


@dataclass(frozen=True, slots=True, kw_only=True)
class Hardsigmoid(Layer):
    """The hard sigmoid, ``relu6(x + 3) / 6``: the gate of MobileNetV3's squeeze-and-excitation.

    Examples:
        >>> Hardsigmoid(), str(Hardsigmoid()), Hardsigmoid().in_place
        (Hardsigmoid(), 'hardsigmoid', False)
    """

    kind = "hardsigmoid"
    category = "activation"
    # out of place: torchvision's SqueezeExcitation builds nn.Hardsigmoid() without inplace

    def saves(self, shape: Shape) -> Saves:
        """Return its input, from which its gradient is computed (in place, a copy of it).

        Examples:
            >>> Hardsigmoid().saves(Shape(32, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "hardsigmoid"


@dataclass(frozen=True, slots=True, kw_only=True)
class Tanh(Layer):
    """The hyperbolic tangent, ``(e^x - e^-x) / (e^x + e^-x)``, LeNet-5's squashing function.

    Examples:
        >>> Tanh(), str(Tanh()), Tanh().in_place
        (Tanh(), 'tanh', False)
    """

    kind = "tanh"
    category = "activation"

    def saves(self, shape: Shape) -> Saves:
        """Return its output, from which its gradient is computed (1 - tanh²).

        Examples:
            >>> Tanh().saves(Shape(6, 28, 28)).output
            True
        """
        return OUTPUT_SAVED

    def __str__(self) -> str:
        return "tanh"


@dataclass(frozen=True, slots=True, kw_only=True)
class Sigmoid(Layer):
    """The logistic sigmoid ``1 / (1 + exp(-x))``: the gate of squeeze-and-excitation.

    Examples:
        >>> Sigmoid(), str(Sigmoid()), Sigmoid().in_place
        (Sigmoid(), 'sigmoid', False)
    """

    kind = "sigmoid"
    category = "activation"

    def saves(self, shape: Shape) -> Saves:
        """Return its output, from which its gradient is computed.

        Examples:
            >>> Sigmoid().saves(Shape(32, 1, 1)).output
            True
        """
        return OUTPUT_SAVED

    def __str__(self) -> str:
        return "sigmoid"


@dataclass(frozen=True, slots=True, kw_only=True)
class GELU(Layer):
    """The Gaussian error linear unit ``x * Phi(x)``, of ConvNeXt and the vision transformer;
    with ``tanh``, its approximation ``0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x³)))``, of
    BERT, MaxViT's TensorFlow weights and SigLIP. Either way it has no parameters, no
    multiply-accumulates that cnncount counts, and keeps its input for the backward pass.

    Examples:
        >>> GELU(), str(GELU()), GELU().in_place
        (GELU(tanh=False), 'gelu', False)
        >>> str(GELU(tanh=True))
        'gelu/tanh'
    """

    kind = "gelu"
    category = "activation"

    tanh: bool = False

    def saves(self, shape: Shape) -> Saves:
        """Return its input, from which its gradient is computed.

        Examples:
            >>> GELU().saves(Shape(32, 8, 8)).input, GELU(tanh=True).saves(Shape(32, 8, 8)).input
            (True, True)
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "gelu/tanh" if self.tanh else "gelu"
