"""Data types and batches: how many bytes one value takes, and how many images go through at once."""

from __future__ import annotations

from cnncount.errors import CnncountError
from cnncount.record import Record

__all__ = ["BYTES_PER_VALUE", "ONE_IMAGE", "Batch"]

BYTES_PER_VALUE = {"float32": 4, "float16": 2, "bfloat16": 2, "int8": 1}
"""The size of one value of each data type the memory figures are given in."""


class Batch(Record):
    """``size`` images at once, their values (and the model's) in ``dtype``.

    Examples:
        >>> batch = Batch(64, "float16")
        >>> batch.bytes_per_value, batch.bytes(150528)  # 64 images of 3x224x224 values
        (2, 19267584)
        >>> Batch()
        Batch(size=1, dtype='float32')
        >>> Batch(0)
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: batch size must be a positive whole number, got 0
    """

    __slots__ = ("size", "dtype")

    size: int
    dtype: str

    def __init__(self, size: int = 1, dtype: str = "float32") -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise CnncountError(f"batch size must be a positive whole number, got {size!r}")
        if dtype not in BYTES_PER_VALUE:
            raise CnncountError(
                f"unknown data type {dtype!r}; data types: {', '.join(BYTES_PER_VALUE)}"
            )
        self._set(size=size, dtype=dtype)

    @property
    def bytes_per_value(self) -> int:
        """The bytes of one value in ``dtype``.

        Examples:
            >>> Batch(dtype="bfloat16").bytes_per_value
            2
        """
        return BYTES_PER_VALUE[self.dtype]

    def bytes(self, values_per_image: int) -> int:
        """Return the bytes of ``values_per_image`` values for each image of the batch.

        Examples:
            >>> Batch(8).bytes(1000)
            32000
        """
        return values_per_image * self.size * self.bytes_per_value


ONE_IMAGE = Batch()
"""One image in float32, the batch every figure is given for unless told otherwise."""
