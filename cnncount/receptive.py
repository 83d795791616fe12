"""Receptive fields: which input pixels an output value of each layer depends on.

Along one axis, a layer of effective kernel ``e = d(k - 1) + 1``, stride ``s`` and padding ``p``
maps the field of its input (``size``, ``jump`` between neighbouring outputs, ``start``: the
centre of the first output's field, in input pixels) to::

    size  = size_in + (e - 1) * jump_in
    jump  = jump_in * s
    start = start_in + ((e - 1) / 2 - p) * jump_in

Ceil-mode pooling adds a last window but changes none of the three. Layers that act pixel by
pixel (ReLU, dropout, normalisation) leave the field as it is. A fully connected layer, a
flatten sees the whole input: its ``size`` is ``None``. Where branches meet (an addition, a
concatenation), an output sees what the widest of its branches sees. Adaptive pooling is a window of
``input / output`` pixels at that stride; where the input is not a multiple of the output its
windows vary, and the largest window and the rounded-down stride stand for them.
"""

from __future__ import annotations

from cnncount.layers import AdaptiveAvgPool2d, AvgPool2d, Conv2d, MaxPool2d
from cnncount.record import Record
from cnncount.sizes import same_output_size, window_extent
from cnncount.summary import Row, Summary

__all__ = ["ReceptiveField", "receptive_fields"]

_WHOLE_INPUT = ("fc", "flatten")


class ReceptiveField(Record):
    """The receptive field of one row's outputs along the height (the width is alike).

    ``size`` is ``None`` when every output sees the whole input.

    Examples:
        >>> ReceptiveField(name="pool1", size=6, jump=2, start=0.5)
        ReceptiveField(name='pool1', size=6, jump=2, start=0.5)
    """

    __slots__ = ("name", "size", "jump", "start")

    name: str
    size: int | None
    jump: int
    start: float


def receptive_fields(summary: Summary) -> list[ReceptiveField]:
    """Return the receptive field of every row, the input's first (one pixel, jump 1, start 0).

    Examples:
        >>> from cnncount import get_model, summarize
        >>> fields = {field.name: field for field in receptive_fields(summarize(get_model("vgg16")))}
        >>> fields["conv2"], fields["maxpool1"]
        (ReceptiveField(name='conv2', size=5, jump=1, start=0.0), ReceptiveField(name='maxpool1', size=6, jump=2, start=0.5))
        >>> fields["maxpool5"].size, fields["maxpool5"].jump, fields["fc1"].size
        (212, 32, None)
        >>> from cnncount import parse_network
        >>> receptive_fields(summarize(parse_network("conv3-8 ( conv3-8 conv3-8 | )add")))[-1].size
        7
    """
    fields = {
        summary.rows[0].name: ReceptiveField(name=summary.rows[0].name, size=1, jump=1, start=0.0)
    }
    for row in summary.rows[1:]:
        widest = max((fields[source] for source in row.inputs), key=_extent)
        fields[row.name] = _field(row, widest)
    return list(fields.values())


def _extent(field: ReceptiveField) -> float:
    return float("inf") if field.size is None else field.size


def _field(row: Row, previous: ReceptiveField) -> ReceptiveField:
    if previous.size is None or row.kind in _WHOLE_INPUT:
        return ReceptiveField(name=row.name, size=None, jump=previous.jump, start=previous.start)
    window = _window(row)
    if window is None:
        return ReceptiveField(
            name=row.name, size=previous.size, jump=previous.jump, start=previous.start
        )
    extent, stride, padding = window
    return ReceptiveField(
        name=row.name,
        size=previous.size + (extent - 1) * previous.jump,
        jump=previous.jump * stride,
        start=previous.start + ((extent - 1) / 2 - padding) * previous.jump,
    )


def _window(row: Row) -> tuple[int, int, float] | None:
    """Return the effective kernel, stride and left padding of a sliding layer, else None."""
    layer = row.layer
    size = row.input_shape.height
    if isinstance(layer, Conv2d):
        extent = window_extent(layer.kernel_size, layer.dilation)
        if isinstance(layer.padding, str):  # "same": any odd pixel of padding goes last
            total = max(
                (same_output_size(size, layer.stride) - 1) * layer.stride + extent - size, 0
            )
            return extent, layer.stride, total // 2
        return extent, layer.stride, layer.padding
    if isinstance(layer, (MaxPool2d, AvgPool2d)):
        return layer.kernel_size, layer.stride, layer.padding
    if isinstance(layer, AdaptiveAvgPool2d):
        out = row.output_shape.height
        if out == size:
            return None
        largest = max(-(-(i + 1) * size // out) - i * size // out for i in range(out))
        return largest, size // out, 0
    return None
