"""Matplotlib figures of a summary, for the book. Import it explicitly: it is the only module
of cnncount that needs matplotlib, and neither ``import cnncount`` nor ``cnncount.render``
loads it.
"""

from __future__ import annotations

from typing import Literal

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Polygon, Rectangle
from matplotlib.transforms import Bbox

from cnncount.layers.conv import Conv2d
from cnncount.layers.windows import window_output_size
from cnncount.memory import inference_peak_bytes, step_timeline, training_memory
from cnncount.notation import parse_network
from cnncount.precision import ONE_IMAGE, Batch
from cnncount.receptive import ReceptiveField, receptive_fields
from cnncount.roofline import Device, roofline
from cnncount.shapes import Shape
from cnncount.summary import Row, Summary, summarize
from cnncount.units import BYTE_UNITS

__all__ = [
    "cost_scatter",
    "cumulative_shares",
    "filter_spanning_channels",
    "labels_overlap",
    "macs_per_layer",
    "memory_against_batch",
    "memory_over_step",
    "operation",
    "per_layer",
    "receptive_field_growth",
    "receptive_field_stack",
    "resolution_trace",
    "roofline_chart",
    "sliding_window",
]

_PARAMS_COLOUR = "#1f77b4"
_ACTIVATIONS_COLOUR = "#d62728"
_WINDOW_COLOUR = "#ff7f0e"
_SECOND_COLOUR = "#2ca02c"
_PADDING_COLOUR = "#d9d9d9"
_FIELD_COLOUR = "#9ecae1"
_STEP_COLOURS = {
    "parameters": "#c6dbef",
    "gradients": "#9ecae1",
    "optimizer state": "#6baed6",
    "inputs": "#bdbdbd",
    "buffers": "#969696",
    "activations kept for backward": _ACTIVATIONS_COLOUR,
    "in flight: an output, or two gradients": "black",
}


def per_layer(summary: Summary) -> Figure:
    """Return bar charts of the parameters and the activations of each row, both on log scales,
    so that a layer a thousand times smaller than the largest still shows.

    Rows without parameters (the input, poolings) have no bar in the top chart.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> figure = per_layer(summarize(get_model("vgg16")))
        >>> [axes.get_ylabel() for axes in figure.axes]
        ['parameters (log scale)', 'activations per image (log scale)']
        >>> [axes.get_yscale() for axes in figure.axes]
        ['log', 'log']
    """
    names = [row.name for row in summary.rows]
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True, layout="constrained")
    for axes, count, colour in (
        (top, "params", _PARAMS_COLOUR),
        (bottom, "activations", _ACTIVATIONS_COLOUR),
    ):
        values = [getattr(row, count) for row in summary.rows]
        axes.bar(names, values, color=colour)
        axes.set_yscale("log")
        axes.set_ylim(bottom=min(value for value in values if value) / 2)
        axes.grid(alpha=0.3, axis="y")
    top.set_ylabel("parameters (log scale)")
    bottom.set_ylabel("activations per image (log scale)")
    bottom.tick_params(axis="x", labelrotation=90)
    return figure


def cumulative_shares(summary: Summary) -> Figure:
    """Return the running share of the parameters and of the activations, layer by layer.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> figure = cumulative_shares(summarize(get_model("vgg16")))
        >>> [line.get_label() for line in figure.axes[0].get_lines()]
        ['parameters', 'activations']

    The legend sits above the axes, where it hides no part of either curve.
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
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False)
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


def memory_over_step(summary: Summary, batch: Batch, optimizer: str = "sgd") -> Figure:
    """Return the memory of one training step over time, stacked: the parts that last the whole
    step (cnncount's training memory), then the activations kept for backward and the tensors
    in flight, as :func:`~cnncount.memory.step_timeline` follows them row by row.

    Examples:
        >>> from cnncount import Batch, get_model, summarize
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> figure = memory_over_step(vgg16, Batch(64), optimizer="adam")
        >>> figure.axes[0].get_legend_handles_labels()[1]
        ['parameters', 'gradients', 'optimizer state', 'inputs', 'activations kept for backward', 'in flight: an output, or two gradients', 'x2 for the backward pass']
        >>> lasting = 4 * (1 + 1 + 2) * vgg16.totals.params + 64 * 4 * 3 * 224 * 224  # Adam's, and the images
        >>> round(figure.axes[0].get_lines()[0].get_ydata()[0] * 2**30) == lasting + 2 * 64 * 72587264
        True
        >>> [tick.get_text() for tick in figure.axes[0].get_xticklabels()][:7]
        ['conv1', 'maxpool1', 'maxpool2', 'maxpool3', 'maxpool4', 'maxpool5', 'fc3']
        >>> figure.axes[0].texts[-1].get_text()
        "peak: maxpool5's backward"
    """
    moments = step_timeline(summary, batch)
    fixed = dict(training_memory(summary, batch, optimizer=optimizer).parts)
    gib = BYTE_UNITS["GiB"]
    bands = [
        (name, [fixed[name] / gib] * len(moments))
        for name in ("parameters", "gradients", "optimizer state", "inputs", "buffers")
        if fixed[name]
    ]
    bands.append(("activations kept for backward", [moment.kept / gib for moment in moments]))
    bands.append(
        ("in flight: an output, or two gradients", [moment.in_flight / gib for moment in moments])
    )
    figure, axes = plt.subplots(figsize=(9, 4.5), layout="constrained")
    steps = list(range(len(moments)))
    axes.stackplot(
        steps,
        *[values for _, values in bands],
        labels=[name for name, _ in bands],
        colors=[_STEP_COLOURS[name] for name, _ in bands],
        step="mid",
    )
    lasting = sum(values[0] for _, values in bands[:-2])
    doubled = lasting + 2 * max(moment.kept for moment in moments) / gib
    axes.axhline(
        doubled, color="black", linestyle="--", linewidth=1, label="x2 for the backward pass"
    )
    turn = sum(moment.phase == "forward" for moment in moments) - 0.5
    axes.axvline(turn, color="black", linewidth=1, linestyle=":")
    top = axes.get_ylim()[1]
    for x, text in ((turn / 2, "forward"), (turn + (len(moments) - turn) / 2, "backward")):
        axes.text(x, top * 0.9, text, ha="center", va="top")
    kinds = {row.name: row.kind for row in summary.rows}
    last_forward = round(turn - 0.5)
    ends = {moments[0].name, moments[last_forward].name}
    ticks = [
        i
        for i, moment in enumerate(moments)
        if kinds[moment.name] == "maxpool" or moment.name in ends
    ]
    axes.set_xticks(ticks, [moments[i].name for i in ticks], rotation=90, fontsize="small")
    totals = [lasting + (moment.kept + moment.in_flight) / gib for moment in moments]
    high = max(range(len(moments)), key=totals.__getitem__)
    axes.annotate(
        f"peak: {moments[high].name}'s backward" if high > last_forward else "peak",
        xy=(high, totals[high]),
        xytext=(high + 3, totals[high] * 1.05),
        arrowprops={"arrowstyle": "->"},
    )
    axes.set_xlim(0, len(moments) - 1)
    axes.set_xlabel("layer running, first to last and back")
    axes.set_ylabel(f"memory (GiB, batch of {batch.size})")
    axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small")
    axes.grid(alpha=0.3, axis="y")
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


_OPERATIONS = {
    "convolution": ("o", _PARAMS_COLOUR),
    "depthwise convolution": ("v", _ACTIVATIONS_COLOUR),
    "pointwise convolution": ("s", _WINDOW_COLOUR),
    "fully connected": ("D", _SECOND_COLOUR),
    "attention": ("P", "#9467bd"),
    "locally connected": ("X", "#8c564b"),
}
"""The kinds of layer that do multiply-accumulates, as the roofline chart tells them apart:
their marker and colour."""


def operation(row: Row) -> str | None:
    """Return the kind of arithmetic a row does, as the roofline chart names it, or None for a
    row without multiply-accumulates (a pooling, a normalisation, an activation).

    A depthwise convolution has one group per input channel; a pointwise one a 1 x 1 kernel (or
    is a linear layer applied at every position). A locally connected layer is a kind of its own:
    it slides a convolution's window, but uses each weight once per image.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> rows = summarize(get_model("mobilenet-v2")).rows
        >>> [(row.name, operation(row)) for row in rows[1:8] if operation(row)]
        [('features.0.0', 'convolution'), ('features.1.conv.0.0', 'depthwise convolution'), ('features.1.conv.1', 'pointwise convolution')]
        >>> from cnncount import Shape, parse_network
        >>> [operation(row) for row in summarize(parse_network("local3-8 FC-10", Shape(3, 8, 8))).rows[1:]]
        ['locally connected', 'fully connected']
    """
    layer = row.layer
    if layer is None or not row.macs:
        return None
    if row.kind == "fc":
        return "fully connected"
    if row.kind == "attention":
        return "attention"
    if row.kind == "local":  # each weight used once per image, as a fully connected layer's
        return "locally connected"
    if row.kind == "linear":
        return "pointwise convolution"
    if isinstance(layer, Conv2d):
        if layer.groups > 1 and layer.groups == row.input_shape.channels:
            return "depthwise convolution"
        if layer.kernel_size == (1, 1):
            return "pointwise convolution"
    return "convolution"


def roofline_chart(summaries: list[Summary], device: Device, batch: Batch = ONE_IMAGE) -> Figure:
    """Return the roofline of ``device`` for ``batch``, with every layer of each summary that does
    multiply-accumulates placed on it.

    Both axes are logarithmic: across, a layer's arithmetic intensity (FLOPs per byte moved);
    up, the FLOP/s it can attain at best, the bandwidth times its intensity left of the ridge
    point and the device's peak right of it. Each network has its own marker fill (the first's
    filled and larger, the others' hollow and drawn over it), each kind of arithmetic
    (:func:`operation`) its own shape and colour. Layers without multiply-accumulates have an intensity of zero and are left out.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.roofline import DEVICES
        >>> nets = [summarize(get_model(name)) for name in ("vgg16", "mobilenet-v2")]
        >>> figure = roofline_chart(nets, DEVICES["h100-sxm"])
        >>> axes = figure.axes[0]
        >>> axes.get_xscale(), axes.get_yscale(), axes.get_ylabel()
        ('log', 'log', 'attainable TFLOP/s (float32)')
        >>> [text.get_text() for text in axes.texts]
        ['ridge point: 20.0 FLOPs/byte', 'memory-bound', 'compute-bound']
        >>> labels_overlap(figure)
        False
    """
    dtype = batch.autocast or batch.dtype
    peak, bandwidth = device.peak(dtype), device.bandwidth
    ridge = peak / bandwidth
    scale, unit = (1e12, "TFLOP/s") if peak >= 1e12 else (1e9, "GFLOP/s")
    figure, axes = plt.subplots(figsize=(8, 5), layout="constrained")
    placed: list[float] = [ridge]
    for index, summary in enumerate(summaries):
        bounds = roofline(summary, device, batch).layers
        groups: dict[str, list[tuple[float, float]]] = {}
        for row, bound in zip(summary.rows[1:], bounds):
            kind = operation(row)
            if kind is not None and bound.bytes:
                groups.setdefault(kind, []).append((bound.intensity, bound.flops / bound.seconds))
        for kind, points in groups.items():
            marker, colour = _OPERATIONS[kind]
            intensities = [intensity for intensity, _ in points]
            placed += intensities
            axes.scatter(
                intensities,
                [rate / scale for _, rate in points],
                marker=marker,
                s=60 if index == 0 else 30,
                facecolors=colour if index == 0 else "none",
                edgecolors=colour,
                linewidths=1.2,
                label=f"{summary.model}: {kind}",
                zorder=3 + index,  # the hollow markers, smaller, over the filled ones
            )
    low, high = min(placed) / 3, max(placed) * 3
    axes.plot(
        [low, ridge, high],
        [low * bandwidth / scale, peak / scale, peak / scale],
        color="black",
        linewidth=1.5,
        zorder=2,
    )
    axes.axvline(ridge, color="grey", linestyle=":", linewidth=1)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlim(low, high)
    axes.set_ylim(low * bandwidth / scale, peak / scale * 4)
    axes.text(ridge * 1.1, peak / scale * 2.2, f"ridge point: {ridge:.1f} FLOPs/byte", fontsize=8)
    axes.text(low * 1.3, peak / scale, "memory-bound", fontsize=9, va="center")
    axes.text(high / 1.3, peak / scale / 1.6, "compute-bound", fontsize=9, ha="right", va="top")
    axes.set_xlabel("arithmetic intensity (FLOPs per byte moved)")
    axes.set_ylabel(f"attainable {unit} ({dtype})")
    axes.set_title(f"{device.description}; batch {batch.size}", fontsize=10)
    axes.grid(alpha=0.3, which="both")
    axes.legend(fontsize=8, loc="lower right")
    return figure


def receptive_field_growth(fields: list[ReceptiveField], image: int | None = None) -> Figure:
    """Return the receptive field size and the jump of each row that does not see the whole input,
    with a line at the image's size (pixels) if given.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.receptive import receptive_fields
        >>> figure = receptive_field_growth(receptive_fields(summarize(get_model("vgg16"))), 224)
        >>> [line.get_label() for line in figure.axes[0].get_lines()]
        ['receptive field size', 'jump (effective stride)', 'the image, 224 pixels']
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
    if image is not None:
        axes.axhline(image, color="grey", linestyle=":", label=f"the image, {image} pixels")
    axes.set_ylabel("input pixels")
    axes.tick_params(axis="x", labelrotation=90)
    axes.grid(alpha=0.3)
    axes.legend()
    return figure


def cost_scatter(summaries: list[Summary]) -> Figure:
    """Return each network as a point: parameters against multiply-accumulates, both on log axes.

    Each label goes to the first place around its point, from a fixed list of offsets, where it
    overlaps no label already placed, no other point and no edge of the axes.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> figure = cost_scatter([summarize(get_model(name)) for name in ("vgg16", "vgg19", "resnet50")])
        >>> [text.get_text() for text in figure.axes[0].texts]
        ['vgg16', 'vgg19', 'resnet50']
        >>> labels_overlap(figure)
        False
    """
    figure, axes = plt.subplots(figsize=(8, 5.5), layout="constrained")
    points = [(summary.totals.macs / 1e9, summary.totals.params / 1e6) for summary in summaries]
    axes.scatter(*zip(*points), color=_PARAMS_COLOUR)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.margins(0.12)
    axes.set_xlabel("multiply-accumulates per image (billions)")
    axes.set_ylabel("parameters (millions)")
    axes.grid(alpha=0.3, which="both")
    renderer = _renderer(figure)  # drawn once: the layout is fixed, the labels land where measured
    frame = axes.get_window_extent(renderer)
    taken = [_point_box(axes, point) for point in points]
    for index, (summary, point) in enumerate(zip(summaries, points)):
        label = axes.annotate(
            summary.model, point, xytext=_LABEL_PLACES[0][0], textcoords="offset points", fontsize=8
        )
        for offset, alignment in _LABEL_PLACES:
            label.set_position(offset)
            label.set_horizontalalignment(alignment)
            box = label.get_window_extent(renderer)
            others = taken[:index] + taken[index + 1 :]  # every point but its own, and the labels
            if _inside(box, frame) and not any(box.overlaps(other) for other in others):
                break
        taken.append(label.get_window_extent(renderer))
    return figure


_LABEL_PLACES: tuple[tuple[tuple[int, int], Literal["left", "right"]], ...] = (
    ((5, 3), "left"),
    ((5, -10), "left"),
    ((-5, 3), "right"),
    ((-5, -10), "right"),
    ((5, 10), "left"),
    ((-5, 10), "right"),
    ((5, -17), "left"),
    ((-5, -17), "right"),
)
"""Where a label may go, in points from its point, and how it is aligned there (right, then left)."""


def _renderer(figure: Figure) -> RendererAgg:
    """Draw the figure and return its renderer; a figure that a notebook has already shown and
    closed gets an Agg canvas of its own."""
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]
    renderer: RendererAgg = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return renderer


def _point_box(axes: Axes, point: tuple[float, float]) -> Bbox:
    """Return the box, in display pixels, that a scatter marker covers around ``point``."""
    x, y = axes.transData.transform(point)
    return Bbox.from_extents(x - 4, y - 4, x + 4, y + 4)


def _inside(box: Bbox, frame: Bbox) -> bool:
    return bool(
        frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    )


def labels_overlap(figure: Figure) -> bool:
    """Return whether any two texts drawn in the figure's axes overlap on the page.

    Examples:
        >>> figure, axes = plt.subplots()
        >>> _ = axes.text(0.5, 0.5, "one"), axes.text(0.5, 0.5, "two")
        >>> labels_overlap(figure)
        True
        >>> from matplotlib.backend_bases import FigureCanvasBase
        >>> _ = FigureCanvasBase(figure)  # as a notebook leaves a figure it has shown and closed
        >>> labels_overlap(figure)
        True
    """
    renderer = _renderer(figure)
    boxes = [text.get_window_extent(renderer) for axes in figure.axes for text in axes.texts]
    return any(
        bool(one.overlaps(other)) for index, one in enumerate(boxes) for other in boxes[index + 1 :]
    )


def filter_spanning_channels(in_channels: int = 3, kernel: int = 3, size: int = 5) -> Figure:
    """Return a drawing of one filter of a convolution: a ``kernel`` x ``kernel`` slice of weights
    for each of the ``in_channels`` input channels, whose products all add up, with the bias, to
    one value of one output channel.

    The counts it writes are cnncount's: the weights of a one-filter :class:`~cnncount.layers.conv.Conv2d`, and the
    output size of the window.

    Examples:
        >>> figure = filter_spanning_channels()
        >>> figure.axes[0].texts[-1].get_text()
        'one filter: 3 x 3 x 3 = 27 weights and 1 bias make one output value'
        >>> labels_overlap(figure)
        False
    """
    input_shape = Shape(in_channels, size, size)
    conv = Conv2d(1, kernel)
    out = conv.output_shape(input_shape).height
    figure, axes = plt.subplots(figsize=(2.0 + 1.75 * in_channels + 1.5, 3.4), layout="constrained")
    gap = size + 1.5
    row, column = 1, 1  # the window's top-left pixel, which is also its output's position
    for channel in range(in_channels):
        left = channel * gap
        _grid(axes, left, 0, size, size)
        axes.add_patch(
            Rectangle(
                (left + column, size - row - kernel),
                kernel,
                kernel,
                facecolor=_WINDOW_COLOUR,
                alpha=0.5,
                edgecolor=_WINDOW_COLOUR,
                linewidth=2,
            )
        )
        axes.text(
            left + size / 2, size + 0.4, f"input channel {channel + 1}", ha="center", fontsize=8
        )
    total = (in_channels - 1) * gap + size
    centre = (total + 1.8, size / 2)
    axes.add_patch(Circle(centre, 0.6, facecolor="white", edgecolor="black"))
    axes.text(*centre, "+", ha="center", va="center", fontsize=12)
    for channel in range(in_channels):
        window = (channel * gap + column + kernel / 2, size - row - kernel / 2)
        axes.add_patch(
            FancyArrowPatch(
                window,
                centre,
                arrowstyle="->",
                color=_WINDOW_COLOUR,
                mutation_scale=10,
                shrinkB=18,
                connectionstyle="arc3,rad=-0.25",
            )
        )
    output_left = centre[0] + 1.8
    bottom = (size - out) / 2
    _grid(axes, output_left, bottom, out, out)
    axes.add_patch(
        Rectangle((output_left + column, bottom + out - row - 1), 1, 1, facecolor=_WINDOW_COLOUR)
    )
    axes.add_patch(
        FancyArrowPatch(
            centre,
            (output_left + column + 0.5, bottom + out - row - 0.5),
            arrowstyle="->",
            mutation_scale=10,
            shrinkA=18,
        )
    )
    axes.text(
        output_left + out / 2, bottom + out + 0.4, "one output channel", ha="center", fontsize=8
    )
    weights = conv.weights(input_shape)
    line = (
        f"one filter: {kernel} x {kernel} x {in_channels} = {weights} weights and "
        f"{conv.biases(input_shape)} bias make one output value"
    )
    return _under(figure, line, -0.5, output_left + out + 0.5, size + 1.0, fontsize=9)


def sliding_window(size: int = 5, kernel: int = 3, stride: int = 2, padding: int = 1) -> Figure:
    """Return a drawing of a ``kernel`` x ``kernel`` window slid at ``stride`` over a ``size`` x
    ``size`` input padded with ``padding`` pixels, beside the output it makes, with the
    output-size formula worked out for these numbers by
    :func:`~cnncount.layers.windows.window_output_size`.

    The first window and the next one along the row are drawn in full; a dot marks where every
    window starts.

    Examples:
        >>> figure = sliding_window()
        >>> print(figure.axes[0].texts[-1].get_text())
        $n_{out} = \\lfloor (n + 2p - k) / s \\rfloor + 1 = \\lfloor (5 + 2 \\cdot 1 - 3) / 2 \\rfloor + 1 = 3$
        >>> labels_overlap(figure)
        False
    """
    out = window_output_size(size, kernel, stride, padding)
    padded = size + 2 * padding
    figure, axes = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    for y in range(padded):
        for x in range(padded):
            inside = padding <= x < padding + size and padding <= y < padding + size
            axes.add_patch(
                Rectangle(
                    (x, y),
                    1,
                    1,
                    facecolor="white" if inside else _PADDING_COLOUR,
                    edgecolor="grey",
                    linewidth=0.6,
                    hatch="" if inside else "//",
                )
            )
    for index, colour in ((0, _WINDOW_COLOUR), (1, _SECOND_COLOUR)):
        if index < out:
            x = index * stride
            axes.add_patch(
                Rectangle(
                    (x + 0.06, padded - kernel + 0.06),
                    kernel - 0.12,
                    kernel - 0.12,
                    fill=False,
                    edgecolor=colour,
                    linewidth=2.5,
                )
            )
    for row in range(out):
        for column in range(out):
            axes.plot(
                column * stride + 0.5, padded - row * stride - 0.5, "o", color="black", markersize=3
            )
    axes.text(
        padded / 2,
        padded + 0.3,
        f"input {size} x {size}, padding {padding} (hatched)",
        ha="center",
        fontsize=9,
    )
    left = padded + 2.5
    bottom = (padded - out) / 2
    _grid(axes, left, bottom, out, out)
    for index, colour in ((0, _WINDOW_COLOUR), (1, _SECOND_COLOUR)):
        if index < out:
            axes.add_patch(
                Rectangle((left + index, bottom + out - 1), 1, 1, facecolor=colour, alpha=0.8)
            )
    axes.text(left + out / 2, bottom + out + 0.3, f"output {out} x {out}", ha="center", fontsize=9)
    axes.add_patch(
        FancyArrowPatch(
            (padded + 0.4, padded / 2), (left - 0.4, padded / 2), arrowstyle="->", mutation_scale=12
        )
    )
    axes.text(
        (padded + left) / 2, padded / 2 + 0.35, f"k={kernel}, s={stride}", ha="center", fontsize=8
    )
    formula = (
        r"$n_{out} = \lfloor (n + 2p - k) / s \rfloor + 1 = "
        rf"\lfloor ({size} + 2 \cdot {padding} - {kernel}) / {stride} \rfloor + 1 = {out}$"
    )
    return _under(figure, formula, -0.3, left + out + 0.3, padded + 0.9, fontsize=11)


def receptive_field_stack(layers: int = 3, kernel: int = 3, width: int = 11) -> Figure:
    """Return a drawing, along one axis, of what one output sees through ``layers`` stacked
    ``kernel``-wide stride-1 convolutions, beside one convolution of the same receptive field.

    Each row is a layer's output; the shaded cells are those the top output depends on. The
    sizes are cnncount's (:func:`~cnncount.receptive.receptive_fields`).

    Examples:
        >>> figure = receptive_field_stack()
        >>> [axes.get_title() for axes in figure.axes]
        ['three 3x3 convolutions', 'one 7x7 convolution']
        >>> labels_overlap(figure)
        False
    """
    shape = Shape(1, width, width)
    stacked = _field_sizes(" ".join([f"conv{kernel}-1"] * layers), shape)
    single_kernel = stacked[-1]
    single = _field_sizes(f"conv{single_kernel}-1", shape)
    figure, (left, right) = plt.subplots(
        1,
        2,
        figsize=(9, 3.6),
        layout="constrained",
        width_ratios=[1, 1],
    )
    names = ["three", "two", "one"]
    count = names[3 - layers] if 1 <= layers <= 3 else str(layers)
    for axes, sizes, title in (
        (left, stacked, f"{count} {kernel}x{kernel} convolutions"),
        (right, single, f"one {single_kernel}x{single_kernel} convolution"),
    ):
        depth = len(sizes) - 1
        for level, seen in enumerate(reversed(sizes)):  # the input at the bottom, row 0
            start = (width - seen) // 2
            for x in range(width):
                axes.add_patch(
                    Rectangle(
                        (x, level * 2),
                        1,
                        1,
                        facecolor=_FIELD_COLOUR if start <= x < start + seen else "white",
                        edgecolor="grey",
                        linewidth=0.6,
                    )
                )
            if level:
                below = sizes[depth - level + 1]
                low = (width - below) // 2
                axes.add_patch(
                    Polygon(
                        [
                            (start, level * 2),
                            (start + seen, level * 2),
                            (low + below, level * 2 - 1),
                            (low, level * 2 - 1),
                        ],
                        closed=True,
                        facecolor=_FIELD_COLOUR,
                        alpha=0.35,
                        edgecolor="none",
                    )
                )
            label = "input" if level == 0 else f"layer {level}"
            axes.text(-0.4, level * 2 + 0.5, label, ha="right", va="center", fontsize=8)
            what = "pixels" if level == 0 else "outputs" if level < depth else "output"
            axes.text(
                width + 0.4, level * 2 + 0.5, f"{seen} {what}", ha="left", va="center", fontsize=8
            )
        axes.set_title(title, fontsize=10)
        _frame(axes, -3.2, width + 3.6, -0.4, 2 * depth + 1.4)
    return figure


def _field_sizes(spec: str, shape: Shape) -> list[int]:
    """Return the receptive field of one output of each row of ``spec``, the input's (1) first."""
    sizes = [field.size for field in receptive_fields(summarize(parse_network(spec, shape)))]
    return [size for size in sizes if size is not None]


def _grid(axes: Axes, left: float, bottom: float, columns: int, rows: int) -> None:
    """Draw a grid of ``columns`` x ``rows`` unit cells from its bottom-left corner."""
    for y in range(rows):
        for x in range(columns):
            axes.add_patch(
                Rectangle(
                    (left + x, bottom + y), 1, 1, facecolor="white", edgecolor="grey", linewidth=0.6
                )
            )


def _under(
    figure: Figure, line: str, left: float, right: float, top: float, fontsize: int
) -> Figure:
    """Write ``line`` centred under a drawing of the figure's only axes, frame it, and return it."""
    axes = figure.axes[0]
    axes.text((left + right) / 2, -1.1, line, ha="center", fontsize=fontsize)
    _frame(axes, left, right, -1.7, top)
    return figure


def _frame(axes: Axes, left: float, right: float, bottom: float, top: float) -> None:
    """Show exactly the given region, in equal units, without axes."""
    axes.set_xlim(left, right)
    axes.set_ylim(bottom, top)
    axes.set_aspect("equal")
    axes.axis("off")
