"""Receptive fields: which input pixels an output value of each layer depends on.

Along one axis, a layer of effective kernel ``e = d(k - 1) + 1``, stride ``s`` and padding ``p``
maps the field of its input (``size``, ``jump`` between neighbouring outputs, ``start``: the
centre of the first output's field, in input pixels) to::

    size  = size_in + (e - 1) * jump_in
    jump  = jump_in * s
    start = start_in + ((e - 1) / 2 - p) * jump_in

Each layer gives its own window (:meth:`~cnncount.layers.base.Layer.window`): layers that act pixel
by pixel (ReLU, dropout, normalisation, a flatten) have none and leave the field as it is. Every
output of a layer that sees the whole input (a fully connected layer) sees the whole image: its
``size`` is ``None``. Where branches meet (an addition, a concatenation), an output sees what
the widest of its branches sees. Fields are followed along the height; the width is alike for
square kernels.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.summary import Row, Summary

__all__ = ["ReceptiveField", "receptive_fields"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceptiveField:
    """The receptive field of one row's outputs along the height (the width is alike).

    ``size`` is ``None`` when every output sees the whole input.

    Examples:
        >>> ReceptiveField(name="pool1", size=6, jump=2, start=0.5)
        ReceptiveField(name='pool1', size=6, jump=2, start=0.5)
    """

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
    layer = row.layer
    if previous.size is None or layer is None or layer.sees_whole_input:
        return ReceptiveField(name=row.name, size=None, jump=previous.jump, start=previous.start)
    windows = layer.window(row.input_shape)
    if windows is None:
        return ReceptiveField(
            name=row.name, size=previous.size, jump=previous.jump, start=previous.start
        )
    window = windows[0]  # along the height
    return ReceptiveField(
        name=row.name,
        size=previous.size + (window.extent - 1) * previous.jump,
        jump=previous.jump * window.stride,
        start=previous.start + ((window.extent - 1) / 2 - window.padding) * previous.jump,
    )
