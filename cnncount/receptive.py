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
``size`` is ``None``. Where paths meet (an addition, a concatenation), an output sees the union of
what its paths see: from the leftmost edge of their fields to the rightmost. The paths are
aligned when their fields share a centre, and then the union is the widest path's field. A path
broadcast over the map (a squeeze-and-excitation scale, one value per channel) has seen the whole
map, so the merge sees the whole input. Fields are followed along one axis, the height or the
width; they differ where the kernels are not square (Inception-v3's 1x7 and 7x1).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Literal

from cnncount.errors import CnncountError
from cnncount.summary import Row, Summary
from cnncount.table import Shown

if TYPE_CHECKING:
    from cnncount.table import Table

__all__ = ["ReceptiveField", "ReceptiveFields", "receptive_fields"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceptiveField:
    """The receptive field of one row's outputs along one axis.

    ``size`` is ``None`` when every output sees the whole input.

    Examples:
        >>> ReceptiveField(name="pool1", size=6, jump=2, start=0.5)
        ReceptiveField(name='pool1', size=6, jump=2, start=0.5)
    """

    name: str
    size: int | None
    jump: int
    start: float


class ReceptiveFields(Shown, list[ReceptiveField]):
    """The receptive fields of a summary's rows, a list that shows as their table.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> fields = receptive_fields(summarize(get_model("vgg16")))
        >>> fields
        <ReceptiveFields of 22 rows: input 1 to fc3 all>
        >>> print(str(fields).splitlines()[-1])  # the table, as str() gives it
        fc3          all    32    15.5
        >>> fields.records()[3], fields._repr_html_().count("<tr>")
        ({'name': 'maxpool1', 'size': 6, 'jump': 2, 'start': 0.5}, 23)
    """

    __slots__ = ()

    def records(self) -> list[dict[str, object]]:
        """Return one dictionary of plain values per field, the JSON document's.

        Examples:
            >>> from cnncount import get_model, summarize
            >>> receptive_fields(summarize(get_model("vgg16"))).records()[-1]
            {'name': 'fc3', 'size': None, 'jump': 32, 'start': 15.5}
        """
        return [{item.name: getattr(field, item.name) for item in fields(field)} for field in self]

    def _table(self) -> Table:
        from cnncount.render.display import receptive_field_grid

        return receptive_field_grid(self)

    def __str__(self) -> str:
        from cnncount.render.cost import receptive_field_table

        return receptive_field_table(self)

    def __repr__(self) -> str:
        def size(field: ReceptiveField) -> str:
            return "all" if field.size is None else str(field.size)

        if not self:
            return "<ReceptiveFields of 0 rows>"
        first, last = self[0], self[-1]
        return f"<ReceptiveFields of {len(self)} rows: {first.name} {size(first)} to {last.name} {size(last)}>"


def receptive_fields(
    summary: Summary, axis: Literal["height", "width"] = "height"
) -> ReceptiveFields:
    """Return the receptive field of every row along ``axis``, the input's first (one pixel, jump
    1, start 0).

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
        >>> wide = summarize(parse_network("conv1x7-8"))
        >>> receptive_fields(wide)[-1].size, receptive_fields(wide, axis="width")[-1].size
        (1, 7)
    """
    rows = {row.name: row for row in summary.rows}
    first = summary.rows[0].name
    fields = {first: ReceptiveField(name=first, size=1, jump=1, start=0.0)}
    for position, row in enumerate(summary.rows[1:], start=1):
        paths = [(fields[source], rows[source]) for source in row.inputs]
        fields[row.name] = _field(row, _merged(position, row, paths, axis), axis)
    return ReceptiveFields(fields.values())


def _along(row: Row, axis: str) -> int:
    shape = row.output_shape
    return shape.height if axis == "height" else shape.width


def _merged(
    position: int, row: Row, paths: list[tuple[ReceptiveField, Row]], axis: str
) -> ReceptiveField:
    """Return the field of the union of ``paths`` that meet at ``row``, layer ``position``."""
    if len(paths) == 1:
        return paths[0][0]
    spread = [field for field, source in paths if _along(source, axis) == _along(row, axis)]
    broadcast = len(spread) < len(paths)
    if broadcast or any(field.size is None for field in spread):
        return ReceptiveField(name=row.name, size=None, jump=spread[0].jump, start=spread[0].start)
    if len({field.jump for field in spread}) > 1:
        jumps = ", ".join(str(field.jump) for field in spread)
        msg = f"layer {position} {row.name} ({row.kind}): its paths meet with different jumps {jumps} along the {axis}"
        raise CnncountError(msg)
    sizes = [field.size for field in spread if field.size is not None]
    left = min(field.start - (size - 1) / 2 for field, size in zip(spread, sizes))
    right = max(field.start + (size - 1) / 2 for field, size in zip(spread, sizes))
    return ReceptiveField(
        name=row.name, size=round(right - left) + 1, jump=spread[0].jump, start=(left + right) / 2
    )


def _field(row: Row, previous: ReceptiveField, axis: str) -> ReceptiveField:
    layer = row.layer
    if previous.size is None or layer is None or layer.sees_whole_input:
        return ReceptiveField(name=row.name, size=None, jump=previous.jump, start=previous.start)
    windows = layer.window(row.input_shape)
    if windows is None:
        return ReceptiveField(
            name=row.name, size=previous.size, jump=previous.jump, start=previous.start
        )
    window = windows[0] if axis == "height" else windows[1]
    return ReceptiveField(
        name=row.name,
        size=previous.size + (window.extent - 1) * previous.jump,
        jump=previous.jump * window.stride,
        start=previous.start + ((window.extent - 1) / 2 - window.padding) * previous.jump,
    )
