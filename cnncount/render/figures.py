"""Matplotlib figures of a summary, for the book. Import it explicitly: it is the only module
of cnncount that needs matplotlib, and neither ``import cnncount`` nor ``cnncount.render``
loads it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from cnncount.memory import inference_peak_bytes, training_memory
from cnncount.precision import Batch
from cnncount.receptive import ReceptiveField
from cnncount.summary import Summary
from cnncount.units import BYTE_UNITS

__all__ = [
    "cost_scatter",
    "cumulative_shares",
    "macs_per_layer",
    "memory_against_batch",
    "per_layer",
    "receptive_field_growth",
    "resolution_trace",
]

_PARAMS_COLOUR = "#1f77b4"
_ACTIVATIONS_COLOUR = "#d62728"


def per_layer(summary: Summary) -> Figure:
    """Return bar charts of the parameters and the activations of each row.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> figure = per_layer(summarize(get_model("vgg16")))
        >>> [axes.get_ylabel() for axes in figure.axes]
        ['parameters (millions)', 'activations per image (millions)']
    """
    names = [row.name for row in summary.rows]
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True, layout="constrained")
    top.bar(names, [row.params / 1e6 for row in summary.rows], color=_PARAMS_COLOUR)
    top.set_ylabel("parameters (millions)")
    bottom.bar(names, [row.activations / 1e6 for row in summary.rows], color=_ACTIVATIONS_COLOUR)
    bottom.set_ylabel("activations per image (millions)")
    bottom.tick_params(axis="x", labelrotation=90)
    return figure


def cumulative_shares(summary: Summary) -> Figure:
    """Return the running share of the parameters and of the activations, layer by layer.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> figure = cumulative_shares(summarize(get_model("vgg16")))
        >>> [line.get_label() for line in figure.axes[0].get_lines()]
        ['parameters', 'activations']
    """
    names = [row.name for row in summary.rows]
    figure, axes = plt.subplots(figsize=(9, 4), layout="constrained")
    for count, colour, label in (
        ("params", _PARAMS_COLOUR, "parameters"),
        ("activations", _ACTIVATIONS_COLOUR, "activations"),
    ):
        running, shares = 0, []
        for row in summary.rows:
            running += getattr(row, count)
            shares.append(100 * running / getattr(summary.totals, count))
        axes.step(names, shares, where="mid", color=colour, label=label, marker="o", markersize=3)
    axes.set_ylabel("cumulative share of the total (%)")
    axes.set_ylim(0, 102)
    axes.tick_params(axis="x", labelrotation=90)
    axes.legend(loc="center left")
    axes.grid(alpha=0.3)
    return figure


def resolution_trace(summary: Summary) -> Figure:
    """Return the height of each row's output and its channels, on a shared layer axis.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> figure = resolution_trace(summarize(get_model("vgg16")))
        >>> figure.axes[0].get_ylabel()
        'height = width (pixels)'
    """
    names = [row.name for row in summary.rows]
    figure, axes = plt.subplots(figsize=(9, 4), layout="constrained")
    axes.step(
        names, [row.output_shape.height for row in summary.rows], where="mid", color=_PARAMS_COLOUR
    )
    axes.set_yscale("log", base=2)
    axes.set_ylabel("height = width (pixels)")
    axes.tick_params(axis="x", labelrotation=90)
    channels = axes.twinx()
    channels.step(
        names,
        [row.output_shape.channels for row in summary.rows],
        where="mid",
        color=_ACTIVATIONS_COLOUR,
    )
    channels.set_yscale("log", base=2)
    channels.set_ylabel("channels", color=_ACTIVATIONS_COLOUR)
    for ax in (axes, channels):
        ax.yaxis.set_major_formatter("{x:.0f}")
    axes.grid(alpha=0.3)
    return figure


def memory_against_batch(
    summary: Summary,
    batches: list[int],
    budget: int | None = None,
    optimizers: tuple[str, ...] = ("sgd", "momentum", "adam"),
) -> Figure:
    """Return training memory (GiB) against batch size for each of ``optimizers``, and inference.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> figure = memory_against_batch(summarize(get_model("vgg16")), [1, 32, 64], budget=16 * 2**30)
        >>> [line.get_label() for line in figure.axes[0].get_lines()]
        ['training, sgd', 'training, momentum', 'training, adam', 'inference', '16 GiB']
    """
    figure, axes = plt.subplots(figsize=(8, 4.5), layout="constrained")
    gib = BYTE_UNITS["GiB"]
    for optimizer in optimizers:
        totals = [
            training_memory(summary, Batch(batch), optimizer=optimizer).total / gib
            for batch in batches
        ]
        axes.plot(batches, totals, marker="o", markersize=3, label=f"training, {optimizer}")
    axes.plot(
        batches,
        [inference_peak_bytes(summary, Batch(batch)) / gib for batch in batches],
        color="grey",
        linestyle="--",
        label="inference",
    )
    if budget is not None:
        axes.axhline(budget / gib, color="black", linewidth=1, label=f"{budget / gib:g} GiB")
    axes.set_xlabel("batch size (images)")
    axes.set_ylabel("memory (GiB, float32)")
    axes.grid(alpha=0.3)
    axes.legend()
    return figure


def macs_per_layer(summary: Summary) -> Figure:
    """Return a bar chart of each row's multiply-accumulates, in billions.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> macs_per_layer(summarize(get_model("vgg16"))).axes[0].get_ylabel()
        'multiply-accumulates (billions)'
    """
    figure, axes = plt.subplots(figsize=(9, 4), layout="constrained")
    axes.bar(
        [row.name for row in summary.rows],
        [row.macs / 1e9 for row in summary.rows],
        color=_PARAMS_COLOUR,
    )
    axes.set_ylabel("multiply-accumulates (billions)")
    axes.tick_params(axis="x", labelrotation=90)
    return figure


def receptive_field_growth(fields: list[ReceptiveField]) -> Figure:
    """Return the receptive field size and the jump of each row that does not see the whole input.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.receptive import receptive_fields
        >>> figure = receptive_field_growth(receptive_fields(summarize(get_model("vgg16"))))
        >>> [line.get_label() for line in figure.axes[0].get_lines()]
        ['receptive field size', 'jump (effective stride)']
    """
    local = [(field.name, field.size, field.jump) for field in fields if field.size is not None]
    names = [name for name, _, _ in local]
    figure, axes = plt.subplots(figsize=(9, 4), layout="constrained")
    axes.step(
        names,
        [size for _, size, _ in local],
        where="mid",
        marker="o",
        markersize=3,
        color=_PARAMS_COLOUR,
        label="receptive field size",
    )
    axes.step(
        names,
        [jump for _, _, jump in local],
        where="mid",
        marker="o",
        markersize=3,
        color=_ACTIVATIONS_COLOUR,
        label="jump (effective stride)",
    )
    axes.set_ylabel("input pixels")
    axes.tick_params(axis="x", labelrotation=90)
    axes.grid(alpha=0.3)
    axes.legend()
    return figure


def cost_scatter(summaries: list[Summary]) -> Figure:
    """Return each network as a point: parameters against multiply-accumulates, both on log axes.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> figure = cost_scatter([summarize(get_model(name)) for name in ("vgg16", "resnet50")])
        >>> [text.get_text() for text in figure.axes[0].texts]
        ['vgg16', 'resnet50']
    """
    figure, axes = plt.subplots(figsize=(8, 5.5), layout="constrained")
    for summary in summaries:
        params, macs = summary.totals.params / 1e6, summary.totals.macs / 1e9
        axes.scatter(macs, params, color=_PARAMS_COLOUR)
        axes.annotate(
            summary.model, (macs, params), textcoords="offset points", xytext=(4, 3), fontsize=8
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("multiply-accumulates per image (billions)")
    axes.set_ylabel("parameters (millions)")
    axes.grid(alpha=0.3, which="both")
    return figure
