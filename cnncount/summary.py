"""A network's summary: one row of counts per layer and their totals, computed once."""

from __future__ import annotations

from dataclasses import dataclass, fields

from cnncount.errors import LayerError
from cnncount.layers import Layer
from cnncount.layers.base import WeightFactors
from cnncount.network import INPUT, Network
from cnncount.shapes import Shape

__all__ = ["COUNTS", "FLOPS_PER_MAC", "Counts", "Row", "Summary", "summarize"]

FLOPS_PER_MAC = 2
"""Floating-point operations in a multiply-accumulate, a multiplication and an addition."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Counts:
    """The counts of a layer for one image (a :class:`Row`), or of all the rows of a summary
    (its ``totals``).

    Examples:
        >>> from cnncount.models import get_model
        >>> totals = summarize(get_model("vgg16")).totals
        >>> totals.params == totals.weights + totals.biases, totals.flops == 2 * totals.macs
        (True, True)
    """

    activations: int
    weights: int
    biases: int
    params: int
    buffers: int
    macs: int

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
class Summary:
    """The rows of a network, first its input, and the totals of their counts.

    Examples:
        >>> from cnncount.models import get_model
        >>> summary = summarize(get_model("vgg16"))
        >>> len(summary.rows), summary.totals.params, summary.totals.activations
        (22, 138357544, 15237608)
    """

    model: str
    input_shape: Shape
    rows: tuple[Row, ...]
    totals: Counts


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
