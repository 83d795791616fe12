"""Matplotlib figures of a summary, for the book. Import it explicitly: it is the only module
of cnncount that needs matplotlib, and ``import cnncount`` does not load it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from cnncount.summary import Summary

__all__ = ["cumulative_shares", "per_layer", "resolution_trace"]

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
            shares.append(100 * running / summary.totals[count])
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
    axes.step(names, [row.output_shape.height for row in summary.rows], where="mid", color=_PARAMS_COLOUR)
    axes.set_yscale("log", base=2)
    axes.set_ylabel("height = width (pixels)")
    axes.tick_params(axis="x", labelrotation=90)
    channels = axes.twinx()
    channels.step(names, [row.output_shape.channels for row in summary.rows], where="mid", color=_ACTIVATIONS_COLOUR)
    channels.set_yscale("log", base=2)
    channels.set_ylabel("channels", color=_ACTIVATIONS_COLOUR)
    for ax in (axes, channels):
        ax.yaxis.set_major_formatter("{x:.0f}")
    axes.grid(alpha=0.3)
    return figure
