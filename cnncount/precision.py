"""Data types and batches: how many bytes one value takes, how many images go through at once,
and whether autocast runs part of a float32 model in a lower precision."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import CnncountError

__all__ = ["AUTOCAST_TYPES", "BYTES_PER_VALUE", "DEVICE_TYPES", "ONE_IMAGE", "Batch"]

BYTES_PER_VALUE = {"float32": 4, "float16": 2, "bfloat16": 2, "int8": 1}
"""The size of one value of each data type the memory figures are given in."""

AUTOCAST_TYPES = ("float16", "bfloat16")
"""The lower precisions autocast runs convolutions and matrix products in."""

DEVICE_TYPES = ("cuda", "cpu")
"""The kinds of device whose PyTorch kernels the memory figures follow. They differ in what
dropout keeps (a bool mask on CUDA, the random noise in the data type on the CPU) and in what
autocast keeps in float32 (soft-max and layer normalisation on CUDA; nothing these layers use on
the CPU)."""


@dataclass(frozen=True, slots=True, init=False)
class Batch:
    """``size`` images at once, their values and the model's in ``dtype``; with ``autocast``
    (mixed precision, as PyTorch's autocast runs a float32 model), convolutions and matrix
    products run in that lower precision; ``device`` is the kind of device that runs them, one of
    :data:`DEVICE_TYPES`.

    Examples:
        >>> batch = Batch(64, "float16")
        >>> batch.bytes_per_value, batch.bytes(150528)  # 64 images of 3x224x224 values
        (2, 19267584)
        >>> Batch()
        Batch(size=1, dtype='float32', autocast=None, device='cuda')
        >>> Batch(0)
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: batch size must be a positive whole number, got 0
        >>> Batch(8, "float16", autocast="bfloat16")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: autocast runs a float32 model in bfloat16; the model is in float16
    """

    size: int
    dtype: str
    autocast: str | None
    device: str

    def __init__(
        self,
        size: int = 1,
        dtype: str = "float32",
        autocast: str | None = None,
        device: str = "cuda",
    ) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise CnncountError(f"batch size must be a positive whole number, got {size!r}")
        if dtype not in BYTES_PER_VALUE:
            known = ", ".join(BYTES_PER_VALUE)
            raise CnncountError(f"unknown data type {dtype!r}; data types: {known}")
        if autocast is not None and autocast not in AUTOCAST_TYPES:
            known = ", ".join(AUTOCAST_TYPES)
            raise CnncountError(f"unknown autocast type {autocast!r}; types: {known}")
        if autocast is not None and dtype != "float32":
            msg = f"autocast runs a float32 model in {autocast}; the model is in {dtype}"
            raise CnncountError(msg)
        if device not in DEVICE_TYPES:
            raise CnncountError(f"unknown device {device!r}; devices: {', '.join(DEVICE_TYPES)}")
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "dtype", dtype)
        object.__setattr__(self, "autocast", autocast)
        object.__setattr__(self, "device", device)

    @property
    def bytes_per_value(self) -> int:
        """The bytes of one value in ``dtype``.

        Examples:
            >>> Batch(dtype="bfloat16").bytes_per_value
            2
        """
        return BYTES_PER_VALUE[self.dtype]

    @property
    def lower_bytes_per_value(self) -> int:
        """The bytes of one value that autocast computes in its lower precision (``dtype``'s
        without autocast).

        Examples:
            >>> Batch(autocast="float16").lower_bytes_per_value, Batch().lower_bytes_per_value
            (2, 4)
        """
        return BYTES_PER_VALUE[self.autocast or self.dtype]

    def bytes(self, values_per_image: int) -> int:
        """Return the bytes of ``values_per_image`` values in ``dtype`` for each image of the batch.

        Examples:
            >>> Batch(8).bytes(1000)
            32000
        """
        return values_per_image * self.size * self.bytes_per_value


ONE_IMAGE = Batch()
"""One image in float32, the batch every figure is given for unless told otherwise."""
