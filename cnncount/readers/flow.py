"""A tensor computed from the network's input, as a reader follows it through a real model.

Both the ONNX and the PyTorch readers keep, for each such tensor, a :class:`Flow`: the cnncount
node that makes it, its shape in cnncount's terms (channels, height, width) and its layout, one
of :data:`LAYOUTS`, since real models move the channels last around the layers that act on the
last axis (ConvNeXt's layer norm and linear layers, TensorFlow's graphs), and a transformer holds
tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.shapes import Shape

__all__ = ["LAYOUTS", "Flow"]

LAYOUTS = ("NCHW", "NHWC", "NC", "NLC", "NGCHW", "NCGHW")
"""How a flowing tensor holds its values after the batch axis, as channels first, channels last,
a vector per image, a sequence of L tokens of C values (cnncount's ``Shape(C, 1, L)``), or the
channels viewed as G groups of C/G, before (``NGCHW``) and after (``NCGHW``) the two group axes
are swapped, as a channel shuffle does."""


@dataclass(frozen=True, slots=True)
class Flow:
    """A tensor computed from the network's input: the node that makes it, its shape and layout;
    ``groups`` is the G of the grouped layouts.

    Examples:
        >>> Flow("conv1", Shape(64, 112, 112), "NHWC").dims()
        [112, 112, 64]
        >>> Flow("conv1", Shape(64, 8, 8), "NGCHW", groups=2).dims()
        [2, 32, 8, 8]
    """

    node: str
    shape: Shape
    layout: str
    groups: int = 1

    def dims(self) -> list[int]:
        """Return the tensor's dimensions after the batch, in its layout.

        Examples:
            >>> Flow("fc", Shape(1000, 1, 1), "NC").dims()
            [1000]
            >>> Flow("encoder", Shape(768, 1, 197), "NLC").dims()
            [197, 768]
        """
        channels, height, width = self.shape.channels, self.shape.height, self.shape.width
        per_group = channels // self.groups
        return {
            "NCHW": [channels, height, width],
            "NHWC": [height, width, channels],
            "NC": [channels],
            "NLC": [width, channels],
            "NGCHW": [self.groups, per_group, height, width],
            "NCGHW": [per_group, self.groups, height, width],
        }[self.layout]
