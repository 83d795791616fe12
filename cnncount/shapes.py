"""The shape of a feature map: channels x height x width (channels first, as in PyTorch)."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import CnncountError

__all__ = ["Shape"]


@dataclass(frozen=True, slots=True, init=False)
class Shape:
    """An immutable channels x height x width shape whose sizes are all positive.

    Examples:
        >>> shape = Shape(3, 224, 224)
        >>> shape, shape.numel
        (Shape(3, 224, 224), 150528)
        >>> str(shape), shape.hwc()
        ('3x224x224', '224x224x3')
        >>> Shape(0, 224, 224)
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: shape 0x224x224: every size must be positive
    """

    channels: int
    height: int
    width: int

    def __init__(self, channels: int, height: int, width: int) -> None:
        if min(channels, height, width) < 1:
            msg = f"shape {channels}x{height}x{width}: every size must be positive"
            raise CnncountError(msg)
        object.__setattr__(self, "channels", channels)
        object.__setattr__(self, "height", height)
        object.__setattr__(self, "width", width)

    @classmethod
    def parse(cls, text: str) -> Shape:
        """Read a shape written channels first, as ``3x224x224``.

        Examples:
            >>> Shape.parse("3x224x224")
            Shape(3, 224, 224)
            >>> Shape.parse("224x224")
            Traceback (most recent call last):
            ...
            cnncount.errors.CnncountError: input shape '224x224': expected CxHxW, e.g. 3x224x224
        """
        parts = text.lower().split("x")
        if len(parts) != 3 or not all(part.strip().isdigit() for part in parts):
            msg = f"input shape {text!r}: expected CxHxW, e.g. 3x224x224"
            raise CnncountError(msg)
        channels, height, width = (int(part) for part in parts)
        return cls(channels, height, width)

    @property
    def numel(self) -> int:
        """The number of values in a map of this shape.

        Examples:
            >>> Shape(512, 7, 7).numel
            25088
        """
        return self.channels * self.height * self.width

    def hwc(self) -> str:
        """The shape written height x width x channels, as the CS231n notes do.

        Examples:
            >>> Shape(64, 112, 112).hwc()
            '112x112x64'
        """
        return f"{self.height}x{self.width}x{self.channels}"

    def as_list(self) -> list[int]:
        """The shape as ``[C, H, W]``, the form the JSON output uses.

        Examples:
            >>> Shape(4096, 1, 1).as_list()
            [4096, 1, 1]
        """
        return [self.channels, self.height, self.width]

    def __repr__(self) -> str:
        return f"Shape({self.channels}, {self.height}, {self.width})"

    def __str__(self) -> str:
        return f"{self.channels}x{self.height}x{self.width}"
