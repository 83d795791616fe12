"""A network's summary: one row of counts per layer and their totals, computed once."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from cnncount.errors import LayerError
from cnncount.layers.base import Layer, WeightFactors
from cnncount.network import INPUT, Network
from cnncount.shapes import Shape
from cnncount.table import Shown

if TYPE_CHECKING:
    from cnncount.table import Table

__all__ = ["COUNTS", "FLOPS_PER_MAC", "Counts", "Row", "Summary", "summarize"]

FLOPS_PER_MAC = 2
"""Floating-point operations in a multiply-accumulate, a multiplication and an addition."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Counts(Shown):
    """The counts of a layer for one image (a :class:`Row`), or of all the rows of a summary
    (its ``totals``). They print, and show in a notebook, as a one-row table.

    Examples:
        >>> from cnncount.models import get_model
        >>> totals = summarize(get_model("vgg16")).totals
        >>> totals.params == totals.weights + totals.biases, totals.flops == 2 * totals.macs
        (True, True)
        >>> print(totals)
        activations      weights  biases       params  buffers            MACs           FLOPs
         15,237,608  138,344,128  13,416  138,357,544        0  15,470,264,320  30,940,528,640
    """

    activations: int
    weights: int
    biases: int
    params: int
    buffers: int
    macs: int

    def _table(self) -> Table:
        from cnncount.render.display import counts_table

        return counts_table(self)

    def __str__(self) -> str:
        return str(self._table())

    @property
    def flops(self) -> int:
        """Two floating-point operations for each multiply-accumulate.

        Examples:
            >>> from cnncount.models import get_model
            >>> summarize(get_model("vgg16")).totals.flops
            30940528640
        """
        return FLOPS_PER_MAC * self.macs


COUNTS = tuple(field.name for field in fields(Counts))
"""The counts of a row, each summed into the totals."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Row(Counts):
    """The counts of one layer, or of the network's input (``kind == "input"``, no layer).

    ``inputs`` names the rows it reads (none for the input); ``input_shape`` is the shape of
    the first of them.
    ``activations`` are the values the layer outputs for one image; ``macs`` are its
    multiply-accumulates for one image, biases excluded.

    Examples:
        >>> from cnncount.notation import parse_network
        >>> row = summarize(parse_network("conv3-64", Shape(3, 224, 224))).rows[1]
        >>> row.name, row.kind, row.output_shape, row.weight_factors, row.params, row.macs
        ('conv1', 'conv', Shape(64, 224, 224), ((3, 3, 3), (64,)), 1792, 86704128)
    """

    name: str
    kind: str
    layer: Layer | None
    inputs: tuple[str, ...]
    input_shape: Shape
    output_shape: Shape
    weight_factors: WeightFactors

    def _table(self) -> Table:
        from cnncount.render.display import row_table

        return row_table(self)

    def __repr__(self) -> str:
        from cnncount.render.display import row_repr

        return row_repr(self)

    @property
    def token(self) -> str:
        """The layer in the notation (``conv3-64``), or ``input``.

        Examples:
            >>> from cnncount.models import get_model
            >>> [row.token for row in summarize(get_model("vgg16")).rows[:3]]
            ['input', 'conv3-64', 'conv3-64']
        """
        return INPUT if self.layer is None else str(self.layer)


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary(Shown):
    """The rows of a network, first its input, and the totals of their counts.

    It prints as the command line's report, and shows as the table of its rows in a notebook.

    Examples:
        >>> from cnncount.models import get_model
        >>> summary = summarize(get_model("vgg16"))
        >>> len(summary.rows), summary.totals.params, summary.totals.activations
        (22, 138357544, 15237608)
        >>> summary
        <Summary of vgg16 (3x224x224): 22 rows, 138,357,544 params, 15,470,264,320 MACs / image>
        >>> print(str(summary).splitlines()[1])  # the command line's table, as str() gives it
        CONV3-64:  [224x224x64]   memory:  224*224*64=3.2M  weights: (3*3*3)*64 = 1,728
    """

    model: str
    input_shape: Shape
    rows: tuple[Row, ...]
    totals: Counts

    def records(self) -> list[dict[str, object]]:
        """Return one dictionary of plain values per row, the JSON document's rows:
        ``pandas.DataFrame(summary.records())`` makes a frame of them.

        Examples:
            >>> from cnncount.models import get_model
            >>> rows = summarize(get_model("vgg16")).records()
            >>> len(rows), rows[-1]["name"], rows[-1]["output_shape"], rows[-1]["params"]
            (22, 'fc3', [1000, 1, 1], 4097000)
        """
        from cnncount.render.tabular import records

        return records(self)

    def _table(self) -> Table:
        from cnncount.render.tabular import summary_table

        return summary_table(self)

    def __str__(self) -> str:
        from cnncount.render.report import text_report

        return text_report(self)

    def __repr__(self) -> str:
        from cnncount.render.display import summary_repr

        return summary_repr(self)


def summarize(network: Network) -> Summary:
    """Return the network's rows and totals, computed from shapes alone: no tensor is made.

    Examples:
        >>> from cnncount.notation import parse_network
        >>> summary = summarize(parse_network("conv3-64 maxpool FC-10", Shape(3, 32, 32)))
        >>> [(row.name, str(row.output_shape), row.params) for row in summary.rows]
        [('input', '3x32x32', 0), ('conv1', '64x32x32', 1792), ('maxpool1', '64x16x16', 0), ('fc1', '10x1x1', 163850)]
        >>> summary.totals.params
        165642
    """
    shapes = {INPUT: network.input_shape}
    rows = [_input_row(network.input_shape)]
    for index, node in enumerate(network.nodes, start=1):
        try:
            row = _layer_row(
                node.name, node.layer, node.inputs, [shapes[source] for source in node.inputs]
            )
        except LayerError as error:
            raise error.at(index, node.name, str(node.layer)) from None
        shapes[node.name] = row.output_shape
        rows.append(row)
    totals = Counts(**{count: sum(getattr(row, count) for row in rows) for count in COUNTS})
    return Summary(
        model=network.name, input_shape=network.input_shape, rows=tuple(rows), totals=totals
    )


def _input_row(shape: Shape) -> Row:
    zeros = dict.fromkeys(COUNTS[1:], 0)
    return Row(
        name=INPUT,
        kind=INPUT,
        layer=None,
        inputs=(),
        input_shape=shape,
        output_shape=shape,
        weight_factors=(),
        activations=shape.numel,
        **zeros,
    )


def _layer_row(name: str, layer: Layer, inputs: tuple[str, ...], shapes: list[Shape]) -> Row:
    shape = shapes[0]
    output = layer.output_shape_of(shapes, list(inputs))
    weights, biases = layer.weights(shape), layer.biases(shape)
    return Row(
        name=name,
        kind=layer.kind,
        layer=layer,
        inputs=inputs,
        input_shape=shape,
        output_shape=output,
        weight_factors=layer.weight_factors(shape),
        activations=output.numel,
        weights=weights,
        biases=biases,
        params=weights + biases,
        buffers=layer.buffers(shape),
        macs=layer.macs(shape),
    )
