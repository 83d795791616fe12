"""Animations of a window sliding over an input, drawn as in Dumoulin & Visin's guide to
convolution arithmetic, for the book. Import it explicitly: like
:mod:`~cnncount.render.figures` it needs matplotlib (and Pillow, which comes with it), and
neither ``import cnncount`` nor ``cnncount.render`` loads it.

The input is blue, its padding white with dashed edges, the window's taps dark blue; the output
is cyan, the value being computed darker. Every output size is the one cnncount's layer gives.
"""

from __future__ import annotations

import base64
import io
import tempfile
from pathlib import Path

import matplotlib.figure
from matplotlib.animation import PillowWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnncount.layers.conv import Conv2d
from cnncount.layers.transposed import ConvTranspose2d
from cnncount.shapes import Shape

__all__ = ["Animation", "convolution_animation", "transposed_convolution_animation"]

INPUT_COLOUR = "#5b9bd5"
ZERO_COLOUR = "#ffffff"
WINDOW_COLOUR = "#1b3a6b"
OUTPUT_COLOUR = "#8fdede"
CURRENT_COLOUR = "#138a8a"
FRAMES_PER_SECOND = 2
DOTS_PER_INCH = 90
CELL_INCHES = 0.32


class Animation:
    """An animation's frames as a GIF, with one still frame as a PNG.

    A notebook shows it by its MIME bundle: a web page that prefers GIF animates it, while a
    notebook or a printed book, which prefer PNG, show the still frame.

    Examples:
        >>> animation = convolution_animation(size=4, kernel=3)
        >>> animation
        Animation(4 frames, still frame 2)
        >>> sorted(animation._repr_mimebundle_())
        ['image/gif', 'image/png', 'text/plain']
    """

    __slots__ = ("figure", "frames", "gif", "png", "still")

    def __init__(
        self, figure: matplotlib.figure.Figure, frames: int, gif: bytes, png: bytes, still: int
    ) -> None:
        self.figure = figure
        self.frames = frames
        self.gif = gif
        self.png = png
        self.still = still

    def __repr__(self) -> str:
        return f"Animation({self.frames} frames, still frame {self.still})"

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return {
            "image/gif": base64.b64encode(self.gif).decode("ascii"),
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": repr(self),
        }


def convolution_animation(
    size: int = 5, kernel: int = 3, stride: int = 1, padding: int = 0, dilation: int = 1
) -> Animation:
    """Return a ``kernel`` x ``kernel`` window sliding over a ``size`` x ``size`` input, one frame
    per output value, beside the output that a :class:`~cnncount.layers.conv.Conv2d` of these
    settings makes.

    Examples:
        >>> from PIL import Image
        >>> from cnncount.render.figures import labels_overlap
        >>> animation = convolution_animation(size=5, kernel=3, stride=2, padding=1)
        >>> animation.frames, Image.open(io.BytesIO(animation.gif)).n_frames
        (9, 9)
        >>> [text.get_text() for text in animation.figure.axes[0].texts[:2]]
        ['input 5 × 5, padding 1 (dashed)', 'output 3 × 3']
        >>> labels_overlap(animation.figure)
        False
        >>> convolution_animation(size=7, kernel=3, dilation=2).frames
        9
    """
    out = Conv2d(1, kernel, stride=stride, padding=padding, dilation=dilation)
    side = out.output_shape(Shape(1, size, size)).height
    padded = size + 2 * padding
    inside = range(padding, padding + size)
    kinds = [
        ["input" if r in inside and c in inside else "padding" for c in range(padded)]
        for r in range(padded)
    ]
    above = f"input {size} × {size}" + (f", padding {padding} (dashed)" if padding else "")
    formula = (
        f"n_out = ⌊({size} + 2·{padding} − {dilation}·({kernel} − 1) − 1) / {stride}⌋ + 1 = {side}"
    )
    settings = f"k = {kernel}\ns = {stride}\np = {padding}\nd = {dilation}"
    return _sliding(kinds, kernel, stride, dilation, side, (above, settings, formula))


def transposed_convolution_animation(
    size: int = 3, kernel: int = 4, stride: int = 2, padding: int = 1
) -> Animation:
    """Return a :class:`~cnncount.layers.transposed.ConvTranspose2d` drawn as a convolution:
    ``stride - 1`` zeros inserted between the input's pixels, ``kernel - padding - 1`` pixels of
    padding around them, and a ``kernel`` x ``kernel`` window slid at stride 1.

    The output grid has the size cnncount's layer gives; a stride-1 window over the drawn grid
    makes exactly that many values.

    Examples:
        >>> from cnncount.render.figures import labels_overlap
        >>> animation = transposed_convolution_animation(size=3, kernel=4, stride=2, padding=1)
        >>> animation.frames
        36
        >>> animation.figure.axes[0].texts[1].get_text()
        'output 6 × 6'
        >>> labels_overlap(animation.figure)
        False
        >>> transposed_convolution_animation(size=3, kernel=3, padding=3)
        Traceback (most recent call last):
        ...
        ValueError: padding 3 is more than kernel 3 - 1: no convolution of zeros inserted draws it
    """
    border = kernel - padding - 1
    if border < 0:
        msg = f"padding {padding} is more than kernel {kernel} - 1: no convolution of zeros inserted draws it"
        raise ValueError(msg)
    side = ConvTranspose2d(1, kernel, stride=stride, padding=padding).output_shape(
        Shape(1, size, size)
    )
    spread = (size - 1) * stride + 1
    drawn = spread + 2 * border
    assert drawn - kernel + 1 == side.height, "the zeros and padding drawn make cnncount's output"

    def kind(index: int) -> str:
        inside = index - border
        if not 0 <= inside < spread:
            return "padding"
        return "input" if inside % stride == 0 else "zero"

    kinds = [
        [
            "input" if kind(r) == kind(c) == "input" else _outer(kind(r), kind(c))
            for c in range(drawn)
        ]
        for r in range(drawn)
    ]
    zeros = f"{stride - 1} zero" + ("s" if stride > 2 else "")
    above = f"input {size} × {size}, {zeros} between pixels, padding {border} (dashed)"
    formula = f"n_out = (n − 1)s − 2p + k = ({size} − 1)·{stride} − 2·{padding} + {kernel} = {side.height}"
    settings = f"k = {kernel}\ns = 1"
    return _sliding(kinds, kernel, 1, 1, side.height, (above, settings, formula))


def _outer(row: str, column: str) -> str:
    """Return what a cell of the drawn grid is, from what its row and its column are."""
    return "padding" if "padding" in (row, column) else "zero"


def _sliding(
    kinds: list[list[str]],
    kernel: int,
    stride: int,
    dilation: int,
    side: int,
    texts: tuple[str, str, str],
) -> Animation:
    """Animate a window over a grid of "input", "zero" and "padding" cells, beside its output,
    with ``texts``: the line above the input, the window's settings between the grids, and the
    formula under both."""
    above, settings, formula = texts
    drawn = len(kinds)
    gap = 3.5
    left = drawn + gap
    bottom = (drawn - side) / 2
    width, height = left + side + 1.0, drawn + 2.8
    figure = Figure(figsize=(width * CELL_INCHES, height * CELL_INCHES))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    for r, row in enumerate(kinds):
        for c, cell in enumerate(row):
            axes.add_patch(
                Rectangle(
                    (c, drawn - 1 - r),
                    1,
                    1,
                    facecolor=INPUT_COLOUR if cell == "input" else ZERO_COLOUR,
                    edgecolor="#555555" if cell == "input" else "#999999",
                    linestyle="--" if cell == "padding" else "-",
                    linewidth=0.8,
                )
            )
    outputs = [
        Rectangle(
            (left + c, bottom + side - 1 - r),
            1,
            1,
            facecolor="white",
            edgecolor="#555555",
            linewidth=0.8,
        )
        for r in range(side)
        for c in range(side)
    ]
    for square in outputs:
        axes.add_patch(square)
    taps = [(i * dilation, j * dilation) for i in range(kernel) for j in range(kernel)]
    window = [
        Rectangle((0, 0), 1, 1, facecolor=WINDOW_COLOUR, alpha=0.55, edgecolor="none") for _ in taps
    ]
    for tap in window:
        axes.add_patch(tap)
    extent = dilation * (kernel - 1) + 1
    outline = Rectangle((0, 0), extent, extent, fill=False, edgecolor=WINDOW_COLOUR, linewidth=2)
    axes.add_patch(outline)
    axes.text(drawn / 2, drawn + 0.35, above, ha="center", fontsize=9)
    axes.text(
        left + side / 2, bottom + side + 0.35, f"output {side} × {side}", ha="center", fontsize=9
    )
    axes.text(drawn + gap / 2, drawn / 2, settings, ha="center", va="center", fontsize=9)
    axes.text(width / 2 - 0.5, -1.2, formula, ha="center", fontsize=10)
    axes.set_xlim(-0.5, width - 0.5)
    axes.set_ylim(-1.9, drawn + 0.9)
    axes.set_aspect("equal")
    axes.axis("off")

    def show(frame: int) -> None:
        row, column = divmod(frame, side)
        top, start = row * stride, column * stride
        for tap, (i, j) in zip(window, taps):
            tap.set_xy((start + j, drawn - 1 - (top + i)))
        outline.set_xy((start, drawn - top - extent))
        for index, cell in enumerate(outputs):
            colour = (
                CURRENT_COLOUR if index == frame else OUTPUT_COLOUR if index < frame else "white"
            )
            cell.set_facecolor(colour)

    frames = side * side
    writer = PillowWriter(fps=FRAMES_PER_SECOND)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "animation.gif"
        with writer.saving(figure, path, DOTS_PER_INCH):
            for frame in range(frames):
                show(frame)
                writer.grab_frame()
        gif = path.read_bytes()
    still = frames // 2
    show(still)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=2 * DOTS_PER_INCH)
    return Animation(figure, frames, gif, buffer.getvalue(), still)
