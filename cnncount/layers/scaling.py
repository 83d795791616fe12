"""Input scaling: a fixed affine map of every value, and normalisation by stored statistics."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.layers.base import Layer, number_text
from cnncount.shapes import Shape

__all__ = ["Normalization", "Rescaling"]


@dataclass(frozen=True, slots=True, init=False)
class Rescaling(Layer):
    """Every value times ``scale``, plus ``offset``: constants, so nothing is learned or stored.

    It is Keras's ``Rescaling`` (``1/255`` for pixels, ``1/127.5`` and ``-1`` for MobileNet's
    range), and it stands for any product or sum of a map with a constant, such as the ``+ 3``
    and ``/ 6`` of a hard sigmoid written out. Its gradient is the constant ``scale``, so its
    backward pass keeps nothing; ``flop_counter`` counts no element-wise product, so it has no
    multiply-accumulates.

    Examples:
        >>> rescale, shape = Rescaling(1 / 127.5, -1.0), Shape(3, 224, 224)
        >>> rescale.output_shape(shape), rescale.params(shape), rescale.buffers(shape)
        (Shape(3, 224, 224), 0, 0)
        >>> str(rescale), str(Rescaling(1 / 255)), str(Rescaling(1, 3))
        ('rescale0.00784313725490196-1', 'rescale0.00392156862745098', 'rescale1+3')
    """

    kind = "rescale"
    category = "normalization"

    scale: float
    offset: float

    def __init__(self, scale: float, offset: float = 0.0) -> None:
        object.__setattr__(self, "scale", scale)
        object.__setattr__(self, "offset", offset)

    def __str__(self) -> str:
        offset = number_text(self.offset) if self.offset else ""
        sign = "+" if self.offset > 0 else ""
        return f"rescale{number_text(self.scale)}{sign}{offset}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Normalization(Layer):
    """Each channel less its mean, over its standard deviation, as Keras's ``Normalization``.

    The mean and variance are given or adapted to data, never learned. Adapted (``stored``),
    they are state: a mean and a variance per channel and the count of samples seen, which
    Keras lists as non-trainable weights and cnncount as buffers. Given in the model's
    configuration, they are constants and count nowhere.

    Examples:
        >>> shape = Shape(3, 224, 224)
        >>> Normalization().buffers(shape), Normalization(stored=False).buffers(shape)
        (7, 0)
        >>> Normalization().params(shape), str(Normalization()), str(Normalization(stored=False))
        (0, 'normalize', 'normalize/constant')
    """

    kind = "normalize"
    category = "normalization"

    stored: bool = True

    def buffers(self, shape: Shape) -> int:
        """Return a mean and a variance per channel and one count, where they are stored.

        Examples:
            >>> Normalization().buffers(Shape(3, 32, 32))
            7
        """
        return 2 * shape.channels + 1 if self.stored else 0

    def __str__(self) -> str:
        return "normalize" if self.stored else "normalize/constant"
