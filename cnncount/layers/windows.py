"""The sliding-window arithmetic shared by convolution and pooling, one spatial axis at a time."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Window",
    "preserving_padding",
    "same_output_size",
    "window_extent",
    "window_output_size",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """A window slid along one axis: the pixels it spans (dilation included), its stride, and the
    padding before the first pixel.

    Examples:
        >>> Window(extent=3, stride=1, padding=1)
        Window(extent=3, stride=1, padding=1)
    """

    extent: int
    stride: int
    padding: int


def window_extent(kernel: int, dilation: int = 1) -> int:
    """Return how many input pixels a dilated window spans: ``d(k - 1) + 1``.

    Examples:
        >>> window_extent(3), window_extent(3, dilation=2)
        (3, 5)
    """
    return dilation * (kernel - 1) + 1


def window_output_size(
    size: int,
    kernel: int,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Return the output size of a window slid over ``size`` pixels.

    It is ``floor((size + 2p - d(k - 1) - 1) / s) + 1``; with ``ceil_mode`` the division rounds
    up, but a last window that would start in the right padding is dropped, as PyTorch does.
    A result below 1 means the window does not fit. The division rounds towards minus
    infinity, as PyTorch's does, so a window wider than the padded input still yields one
    output in ceil mode.

    Examples:
        >>> window_output_size(224, kernel=3, padding=1)
        224
        >>> window_output_size(224, kernel=2, stride=2)
        112
        >>> window_output_size(112, kernel=3, stride=2), window_output_size(112, 3, 2, ceil_mode=True)
        (55, 56)
        >>> window_output_size(2, kernel=3), window_output_size(1, 4, stride=2, padding=1, ceil_mode=True)
        (0, 1)
    """
    span = size + 2 * padding - window_extent(kernel, dilation)
    if not ceil_mode:
        return span // stride + 1
    out = -(-span // stride) + 1
    if (out - 1) * stride >= size + padding:
        out -= 1
    return out


def same_output_size(size: int, stride: int) -> int:
    """Return the output size of "same" padding: ``ceil(size / stride)``.

    The padding is whatever makes that true (TensorFlow's rule; at stride 1 it is PyTorch's
    ``padding="same"``), so the kernel never matters.

    Examples:
        >>> same_output_size(224, 1), same_output_size(225, 2)
        (224, 113)
    """
    return -(-size // stride)


def preserving_padding(kernel: int, dilation: int = 1) -> int:
    """Return the padding ``d(k - 1) / 2`` that keeps the resolution at stride 1.

    It is exact for odd kernels (the VGG paper's 1 pixel for 3x3); for even kernels it is
    rounded down and the output is one pixel smaller.

    Examples:
        >>> preserving_padding(3), preserving_padding(7), preserving_padding(3, dilation=2)
        (1, 3, 2)
        >>> window_output_size(56, 3, padding=preserving_padding(3))
        56
    """
    return dilation * (kernel - 1) // 2
