"""Diagrams of networks and of their blocks, drawn from a summary's rows, for the book. Import it
explicitly: like :mod:`~cnncount.render.figures` it needs matplotlib, and neither
``import cnncount`` nor ``cnncount.render`` loads it.

Every box is a row (or a row and the normalisations and activations that follow it), labelled
with the row's token and output shape, so that a diagram changes when the network does.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle
from matplotlib.transforms import Bbox

from cnncount.shapes import Shape
from cnncount.summary import Row, Summary

__all__ = ["block_diagram", "family_columns", "network_diagram", "patch_diagram"]

_KIND_COLOURS = {
    "conv": "#9ecae1",
    "pool": "#fdae6b",
    "fc": "#a1d99b",
    "input": "#d9d9d9",
    "other": "#dadaeb",
}
"""The fill of a box by what its layer does (convolution, pooling, fully connected, the input)."""

_ADDED_COLOUR = "#ffe066"

_FOLLOWERS = frozenset(
    {
        "batchnorm",
        "layernorm",
        "relu",
        "relu6",
        "silu",
        "gelu",
        "sigmoid",
        "hardswish",
        "hardsigmoid",
        "layerscale",
        "stochasticdepth",
        "dropout",
    }
)
"""Kinds of row drawn inside the box of the row before them (a normalisation, an activation, a
scaling or a dropout), which change no shape."""


def _colour(row: Row) -> str:
    """Return the fill of a row's box, by the category of its layer."""
    if row.kind == "input":
        return _KIND_COLOURS["input"]
    if row.kind == "fc":
        return _KIND_COLOURS["fc"]
    if "pool" in row.kind:
        return _KIND_COLOURS["pool"]
    if row.kind in ("conv", "linear", "patch"):
        return _KIND_COLOURS["conv"]
    return _KIND_COLOURS["other"]


def _shape_text(shape: Shape) -> str:
    """Return a shape as a diagram writes it: height × width × channels, or the channels alone."""
    if shape.height == shape.width == 1:
        return f"{shape.channels}"
    return f"{shape.height}×{shape.width}×{shape.channels}"


def _shade(colour: str, factor: float) -> tuple[float, float, float]:
    """Return ``colour`` darkened (factor below 1) or lightened (above 1)."""
    red, green, blue = to_rgb(colour)
    if factor < 1:
        return red * factor, green * factor, blue * factor
    return tuple(channel + (1 - channel) * (factor - 1) for channel in (red, green, blue))  # type: ignore[return-value]


def network_diagram(summary: Summary) -> Figure:
    """Return the classic picture of a chain of convolutions, poolings and fully connected layers
    such as VGG: one box per layer, whose face grows with the log of its resolution and whose
    depth grows with the square root of its channels.

    Each run of layers with the same token and output shape is labelled once: the token above
    (with the count of layers), the output shape below. A label that would overlap the one
    before it moves up a line.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.render.figures import labels_overlap
        >>> figure = network_diagram(summarize(get_model("vgg16")))
        >>> [text.get_text() for text in figure.axes[0].texts][:4]
        ['input', '224×224×3', 'conv3-64 ×2', '224×224×64']
        >>> labels_overlap(figure)
        False
    """
    rows = summary.rows
    smallest = min(row.output_shape.height for row in rows if row.output_shape.height > 1)
    widest = max(row.output_shape.channels for row in rows)

    def size(shape: Shape) -> tuple[float, float, float]:
        """The box of a shape: its depth across, its height and how far its side recedes."""
        if shape.height == 1:  # a vector: a thin slab, as long as its values on a log scale
            return 0.3, 1.0 + 5.0 * math.log2(shape.channels) / math.log2(widest), 0.3
        face = 1.0 + 0.8 * math.log2(shape.height / smallest)
        return 0.1 * math.sqrt(shape.channels), face, 0.5 * face

    figure = plt.figure(figsize=(10, 3.2))
    axes = figure.add_axes((0.01, 0.01, 0.98, 0.98))
    labels: list[tuple[float, float, str, bool]] = []
    x, tallest = 0.0, max(size(row.output_shape)[1] for row in rows)
    for run in _runs(rows):
        start = x
        for row in run:
            deep, tall, recede = size(row.output_shape)
            _cuboid(axes, x, deep, tall, recede, _colour(row))
            x += deep + 0.2
        deep, tall, recede = size(run[0].output_shape)
        middle = (start + x - 0.2 + recede) / 2
        if "pool" not in run[0].kind:
            label = run[0].token if len(run) == 1 else f"{run[0].token} ×{len(run)}"
            labels.append((middle, tall / 2 + recede + 0.4, label, True))
            labels.append((middle, -tall / 2 - 0.9, _shape_text(run[0].output_shape), False))
        x += recede + (1.0 if run[0].kind == "input" else 0.3)
    axes.set_xlim(-0.3, x)
    axes.set_ylim(-tallest / 2 - 3.5, tallest / 2 + 4.0)
    axes.set_aspect("equal")
    axes.axis("off")
    _place_labels(axes, labels)
    key = "blue: convolution    orange: max pooling, which halves height and width    green: fully connected"
    axes.text(x / 2, -tallest / 2 - 3.2, key, ha="center", fontsize=8)
    return figure


def _place_labels(axes: Axes, labels: list[tuple[float, float, str, bool]]) -> None:
    """Write each label centred at its (x, y), moved a line further out (up, or down) while it
    overlaps a label already written on the same side. The axes' limits must be final."""
    renderer = axes.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axes.apply_aspect()
    placed: dict[bool, list[Bbox]] = {True: [], False: []}
    for x, y, text, up in labels:
        label = axes.text(x, y, text, ha="center", fontsize=8)
        while any(label.get_window_extent(renderer).padded(4).overlaps(box) for box in placed[up]):
            y += 0.9 if up else -0.9
            label.set_position((x, y))
        placed[up].append(label.get_window_extent(renderer))


def _runs(rows: Sequence[Row]) -> list[list[Row]]:
    """Return the rows in runs of the same token and output shape, in order."""
    runs: list[list[Row]] = []
    for row in rows:
        if runs and runs[-1][0].token == row.token and runs[-1][0].output_shape == row.output_shape:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _cuboid(axes: Axes, x: float, depth: float, height: float, recede: float, colour: str) -> None:
    """Draw a box seen from the front and a little above: ``depth`` across, ``height`` up, its
    top and side faces receding at 45 degrees by ``recede``."""
    low, high = -height / 2, height / 2
    faces = (
        ([(x, low), (x + depth, low), (x + depth, high), (x, high)], 1.0),
        (
            [
                (x, high),
                (x + depth, high),
                (x + depth + recede, high + recede),
                (x + recede, high + recede),
            ],
            1.25,
        ),
        (
            [
                (x + depth, low),
                (x + depth + recede, low + recede),
                (x + depth + recede, high + recede),
                (x + depth, high),
            ],
            0.8,
        ),
    )
    for corners, factor in faces:
        axes.add_patch(
            Polygon(
                corners,
                closed=True,
                facecolor=_shade(colour, factor),
                edgecolor="#444444",
                linewidth=0.6,
            )
        )


def family_columns(summaries: dict[str, Summary]) -> Figure:
    """Return the configurations of a family side by side, as the VGG paper's Table 1 sets them:
    one column of layer tokens per network, stage by stage (a stage ends at a pooling), with the
    layers that a column adds to the one on its left highlighted and its parameters under it.

    ``summaries`` maps each column's title to its network's summary, left to right. A layer is
    added where its stage has more layers than the column on the left, or a different token at
    the same place.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.render.figures import labels_overlap
        >>> figure = family_columns({"A": summarize(get_model("vgg11")), "B": summarize(get_model("vgg13"))})
        >>> [text.get_text() for text in figure.axes[0].texts][:3]
        ['A', 'vgg11', 'conv3-64']
        >>> [text.get_text() for text in figure.axes[0].texts if text.get_weight() == "bold"][2:]
        ['conv3-64', 'conv3-128']
        >>> figure.axes[0].texts[-1].get_text()
        '133.0 M parameters'
        >>> labels_overlap(figure)
        False
    """
    columns = {title: _stages(summary.rows[1:]) for title, summary in summaries.items()}
    count = max(len(stages) for stages in columns.values())
    rooms = [max(len(stages[index][0]) for stages in columns.values()) for index in range(count)]
    lines = sum(rooms) + count - 1
    width, gap = 1.9, 0.3
    figure, axes = plt.subplots(
        figsize=(1.35 * len(columns), 0.22 * lines + 1.2), layout="constrained"
    )
    previous: list[tuple[list[str], str]] = []
    for index, ((title, stages), summary) in enumerate(zip(columns.items(), summaries.values())):
        left, centre = index * (width + gap), index * (width + gap) + width / 2
        axes.text(centre, 1.0, title, ha="center", fontsize=10, weight="bold")
        axes.text(centre, 0.25, summary.model, ha="center", fontsize=8)
        y = 0.0
        for number, ((tokens, pool), room) in enumerate(zip(stages, rooms)):
            before = previous[number][0] if previous else tokens
            for position, token in enumerate(tokens):
                added = position >= len(before) or before[position] != token
                _token_box(
                    axes,
                    left,
                    y,
                    width,
                    token,
                    _ADDED_COLOUR if added else _colour_of_token(token),
                    added,
                )
                y -= 1
            y -= room - len(tokens)
            if pool:
                _token_box(axes, left, y, width, pool, _KIND_COLOURS["pool"], False)
                y -= 1
        axes.text(
            centre,
            y - 0.5,
            f"{summary.totals.params / 1e6:.1f} M parameters",
            ha="center",
            fontsize=7,
        )
        previous = stages
    axes.set_xlim(-0.1, len(columns) * (width + gap) - gap + 0.1)
    axes.set_ylim(-lines - 1.1, 1.7)
    axes.axis("off")
    return figure


def _token_box(
    axes: Axes, left: float, top: float, width: float, token: str, colour: str, bold: bool
) -> None:
    """Draw one layer of a column: a box under ``top`` with its token in it."""
    axes.add_patch(
        Rectangle(
            (left, top - 0.9), width, 0.8, facecolor=colour, edgecolor="#444444", linewidth=0.5
        )
    )
    axes.text(
        left + width / 2,
        top - 0.5,
        token,
        ha="center",
        va="center",
        fontsize=7,
        weight="bold" if bold else "normal",
    )


def _stages(rows: Sequence[Row]) -> list[tuple[list[str], str]]:
    """Return the tokens of ``rows`` stage by stage, each with the pooling that ends it (or "" for
    the last stage, the fully connected layers)."""
    stages: list[tuple[list[str], str]] = [([], "")]
    for row in rows:
        if "pool" in row.kind:
            stages[-1] = (stages[-1][0], row.token)
            stages.append(([], ""))
        else:
            stages[-1][0].append(row.token)
    return stages


def _colour_of_token(token: str) -> str:
    if token.startswith("FC"):
        return _KIND_COLOURS["fc"]
    if token.startswith("conv"):
        return _KIND_COLOURS["conv"]
    return _KIND_COLOURS["other"]


_STEP = 0.95
"""The distance, in inches, from one box of a block diagram to the next below it."""

_MERGES = {"add": "+", "mul": "×"}
"""The rows that merge two paths, and the sign drawn in their circle."""


class _Item:
    """One box or merge of a block diagram: its rows, its column (0 main, 1 side) and its place."""

    __slots__ = ("column", "rows", "y")

    def __init__(self, rows: list[Row], column: int, y: float) -> None:
        self.rows, self.column, self.y = rows, column, y


def block_diagram(summary: Summary, block: str) -> Figure:
    """Return one block of a network as a column of boxes, from its rows: each box a layer with
    the normalisations and activations that follow it, labelled with their tokens and its output
    shape. A circle merges two paths: + where a skip connection adds the block's input (through
    a projection, if the block has one), × where a squeeze-and-excitation branch scales the
    channels.

    ``block`` is the name of the block's module: its rows are those whose names start with it.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.render.figures import labels_overlap
        >>> figure = block_diagram(summarize(get_model("resnet34")), "layer1.0")
        >>> [text.get_text() for text in figure.axes[0].texts][:3]
        ['resnet34: layer1.0', 'input\\n56×56×64', 'conv3-64/nobias · bn · relu\\n56×56×64']
        >>> [text.get_text() for text in figure.axes[0].texts if text.get_text() in _MERGES.values()]
        ['+']
        >>> labels_overlap(figure)
        False
        >>> block_diagram(summarize(get_model("resnet34")), "layer9")
        Traceback (most recent call last):
        ...
        ValueError: resnet34 has no rows in block 'layer9'
    """
    rows = summary.rows
    inside = [index for index, row in enumerate(rows) if row.name.startswith(block + ".")]
    if not inside:
        msg = f"{summary.model} has no rows in block {block!r}"
        raise ValueError(msg)
    items = [_Item([rows[inside[0] - 1]], 0, 0.0)]
    branches: list[tuple[_Item, list[_Item], _Item]] = []  # source, side boxes, merge
    source, side = items[0], list[_Item]()
    for index in inside:
        row = rows[index]
        prefix = row.name.rsplit(".", 1)[0] + "."
        on_side = "downsample" in row.name or (
            any(other.kind == "mul" and other.name.startswith(prefix) for other in rows[index:])
            and row.kind != "mul"
        )
        previous = items[-1]
        if (
            row.kind in _FOLLOWERS
            and previous.rows[-1].kind not in _MERGES
            and (previous.column == 1) == on_side
        ):
            previous.rows.append(row)
            continue
        if on_side and not side:  # a projection starts at the block's input, a branch here
            main = [item for item in items if item.column == 0]
            source = items[0] if "downsample" in row.name else main[-1]
        item = _Item([row], 1 if on_side else 0, -len(items) * _STEP)
        items.append(item)
        if on_side:
            side.append(item)
        elif row.kind in _MERGES:
            branches.append((source if side else items[0], side, item))
            side, source = [], items[0]
    return _draw_block(summary.model, block, items, branches)


def _draw_block(
    model: str, block: str, items: list[_Item], branches: list[tuple[_Item, list[_Item], _Item]]
) -> Figure:
    """Draw the boxes, merges and arrows of a block diagram, main column at x = 0."""
    width, side_width, side_x, tall = 2.9, 2.0, 3.1, 0.55
    depth = -items[-1].y + 1.5
    left = -width / 2 - (0.45 if any(not side for _, side, _ in branches) else 0.15)
    right = (
        side_x + side_width / 2 + 0.15 if any(side for _, side, _ in branches) else width / 2 + 0.15
    )
    figure = plt.figure(figsize=(right - left, depth + 0.6))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.text(0.0, 0.75, f"{model}: {block}", ha="center", fontsize=10, weight="bold")
    centres: dict[int, tuple[float, float]] = {}
    for item in items:
        x = side_x if item.column else 0.0
        centres[id(item)] = (x, item.y)
        first, last = item.rows[0], item.rows[-1]
        if first.kind in _MERGES:
            axes.add_patch(Circle((x, item.y), 0.2, facecolor="white", edgecolor="black"))
            axes.text(x, item.y, _MERGES[first.kind], ha="center", va="center", fontsize=11)
            continue
        box = side_width if item.column else width
        axes.add_patch(
            FancyBboxPatch(
                (x - box / 2, item.y - tall / 2),
                box,
                tall,
                boxstyle="round,pad=0.02",
                facecolor=_KIND_COLOURS["input"] if item is items[0] else _colour(first),
                edgecolor="#444444",
                linewidth=0.7,
            )
        )
        tokens = (
            "input"
            if first.kind == "input" or item is items[0]
            else " · ".join(row.token for row in item.rows)
        )
        axes.text(
            x,
            item.y,
            f"{tokens}\n{_shape_text(last.output_shape)}",
            ha="center",
            va="center",
            fontsize=7.5,
        )
    main = [item for item in items if item.column == 0]
    for upper, lower in itertools.pairwise(main):
        _arrow(
            axes,
            [
                (0.0, upper.y - tall / 2),
                (0.0, lower.y + (0.2 if lower.rows[0].kind in _MERGES else tall / 2)),
            ],
        )
    for source, side, merge in branches:
        if not side:  # the identity: down the left of the main column
            skip = -width / 2 - 0.3
            _arrow(
                axes, [(-width / 2, source.y), (skip, source.y), (skip, merge.y), (-0.2, merge.y)]
            )
            continue
        path = [(width / 2, source.y), (side_x, source.y)]
        for stop in side:
            _arrow(axes, [*path, (side_x, stop.y + tall / 2)])
            path = [(side_x, stop.y - tall / 2)]
        _arrow(axes, [*path, (side_x, merge.y), (0.2, merge.y)])
    left = -width / 2 - (0.45 if any(not side for _, side, _ in branches) else 0.15)
    right = (
        side_x + side_width / 2 + 0.15 if any(side for _, side, _ in branches) else width / 2 + 0.15
    )
    axes.set_xlim(left, right)
    axes.set_ylim(-depth + 0.9, 1.2)
    axes.set_aspect("equal")
    axes.axis("off")
    return figure


def _arrow(axes: Axes, points: list[tuple[float, float]]) -> None:
    """Draw a path through ``points`` with an arrowhead at its end."""
    xs, ys = zip(*points)
    axes.plot(xs[:-1], ys[:-1], color="#333333", linewidth=1) if len(points) > 2 else None
    axes.add_patch(
        FancyArrowPatch(
            points[-2],
            points[-1],
            arrowstyle="-|>",
            mutation_scale=9,
            color="#333333",
            linewidth=1,
            shrinkA=0,
            shrinkB=0,
        )
    )


def patch_diagram(summary: Summary) -> Figure:
    """Return how a vision transformer turns an image into tokens, from its patch row: the image
    cut into patches, each patch one token, and the class token put in front.

    Patch and token share a colour, in reading order, row by row.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.render.figures import labels_overlap
        >>> figure = patch_diagram(summarize(get_model("vit-b-16")))
        >>> [text.get_text() for text in figure.axes[0].texts][:2]
        ['image 224×224×3: 14 × 14 patches of 16×16 pixels', 'patch16-768']
        >>> figure.axes[0].texts[-1].get_text()
        '197 tokens of 768 values'
        >>> labels_overlap(figure)
        False
    """
    rows = summary.rows
    index = next(index for index, row in enumerate(rows) if row.kind == "patch")
    image, patches, tokens = rows[index - 1].output_shape, rows[index], rows[index + 1].output_shape
    count = patches.output_shape.width
    across = math.isqrt(count)
    pixels = image.height // across
    colours = plt.get_cmap("viridis")
    figure = plt.figure(figsize=(9, 3.4))
    axes = figure.add_axes((0, 0, 1, 1))
    size = 2.6
    cell = size / across
    for number in range(count):
        row, column = divmod(number, across)
        axes.add_patch(
            Rectangle(
                (column * cell, size - (row + 1) * cell),
                cell,
                cell,
                facecolor=colours(number / count),
                edgecolor="white",
                linewidth=0.5,
            )
        )
    axes.text(
        size / 2,
        size + 0.15,
        f"image {_shape_text(image)}: {across} × {across} patches of {pixels}×{pixels} pixels",
        ha="center",
        fontsize=8,
    )
    axes.add_patch(
        FancyArrowPatch(
            (size + 0.2, size / 2),
            (size + 1.6, size / 2),
            arrowstyle="-|>",
            mutation_scale=12,
            color="#333333",
        )
    )
    axes.text(size + 0.9, size / 2 + 0.15, patches.token, ha="center", fontsize=8)
    axes.text(
        size + 0.9,
        size / 2 - 0.3,
        f"each patch\n→ {patches.output_shape.channels} values",
        ha="center",
        va="top",
        fontsize=7.5,
    )
    shown: list[int | None] = [
        None,
        0,
        1,
        2,
        3,
        None,
        count - 1,
    ]  # the class token, the first patches, ..., the last
    left, token_width = size + 1.9, 0.42
    for place, patch in enumerate(shown):
        x = left + place * (token_width + 0.1)
        if place == 5:
            axes.text(x + token_width / 2, size / 2, "…", ha="center", va="center", fontsize=12)
            continue
        colour = "#d9d9d9" if patch is None else colours(patch / count)
        axes.add_patch(
            Rectangle(
                (x, size / 2 - 1.0),
                token_width,
                2.0,
                facecolor=colour,
                edgecolor="#444444",
                linewidth=0.6,
            )
        )
        name = "class" if patch is None else str(patch + 1)
        axes.text(x + token_width / 2, size / 2 - 1.2, name, ha="center", va="top", fontsize=7)
    right = left + len(shown) * (token_width + 0.1)
    axes.text(
        (left + right) / 2,
        size + 0.15,
        f"{tokens.width} tokens of {tokens.channels} values",
        ha="center",
        fontsize=8,
    )
    axes.set_xlim(-0.1, right + 0.1)
    axes.set_ylim(-0.3, size + 0.5)
    axes.set_aspect("equal")
    axes.axis("off")
    return figure
