"""What every layer answers about itself, given the shape of its input.

Layers are small immutable values, frozen and slotted dataclasses. Each validates its
arguments when it is made, and its fit to an input when it is asked about that input. Besides
its counts, a layer states the facts that the memory model, the receptive fields, the counting
conventions and the renderers need, so that none of them keeps a list of kinds: its
:attr:`~Layer.category`, whether it runs :attr:`~Layer.in_place`, what its backward pass
:meth:`~Layer.saves`, how :attr:`~Layer.autocast` runs it, whether it
:attr:`~Layer.sees_whole_input`, and its sliding :meth:`~Layer.window`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.windows import Window, window_extent, window_output_size
from cnncount.shapes import Shape

__all__ = [
    "AUTOCAST_RULES",
    "CATEGORIES",
    "INPUT_SAVED",
    "NOTHING_SAVED",
    "OUTPUT_SAVED",
    "Layer",
    "Pair",
    "Saves",
    "WeightFactors",
    "number_text",
    "pair_text",
    "require_pair",
    "require_positive",
    "sliding_window_shape",
]

CATEGORIES = (
    "convolution",
    "linear",
    "attention",
    "pooling",
    "normalization",
    "activation",
    "regularization",
    "merge",
    "reshape",
    "embedding",
)
"""What a layer does, in the broad classes that counting tools and renderers tell apart."""

AUTOCAST_RULES = ("lower", "float32", "cpu-float32", "promote", "follow")
"""The ways PyTorch's autocast runs a layer of a float32 model. In the lower precision (float16 or
bfloat16), as convolutions and matrix products run; in float32 whatever its input, as autocast
keeps soft-max and layer normalisation on CUDA; in float32 on the CPU only, as its autocast keeps
the reflection and replication pads; in float32 because it combines its input with a float32
parameter (a class token, a position embedding, a layer scale: type promotion, on every device);
or in the widest type of its inputs."""


@dataclass(frozen=True, slots=True, init=False)
class Saves:
    """What a layer's backward pass needs, as PyTorch's autograd keeps it for one image.

    ``input`` and ``output`` say whether it keeps its input (each input, for a merge) and its
    output; ``values`` counts further values it makes only for the backward pass, in the
    activations' data type; ``mask`` counts the values of a dropout mask, whose type depends on
    the device (see :data:`cnncount.precision.DEVICE_TYPES`); ``other_bytes`` counts the bytes of
    those in a type of their own (max pooling's int64 indices, layer normalisation's float32
    statistics).

    Examples:
        >>> Saves(input=True)
        Saves(input=True, output=False, values=0, mask=0, other_bytes=0)
    """

    input: bool
    output: bool
    values: int
    mask: int
    other_bytes: int

    def __init__(
        self,
        input: bool = False,
        output: bool = False,
        values: int = 0,
        mask: int = 0,
        other_bytes: int = 0,
    ) -> None:
        object.__setattr__(self, "input", input)
        object.__setattr__(self, "output", output)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "mask", mask)
        object.__setattr__(self, "other_bytes", other_bytes)


NOTHING_SAVED = Saves()
"""What a layer keeps whose backward needs nothing, as an addition, a concatenation or a view."""
INPUT_SAVED = Saves(input=True)
"""What a layer keeps whose backward needs its input alone."""
OUTPUT_SAVED = Saves(output=True)
"""What a layer keeps whose backward needs its output alone."""

WeightFactors = tuple[tuple[int, ...], ...]
"""A layer's weight count as groups of factors; ``((3, 3, 64), (128,))`` reads (3*3*64)*128."""

Pair = tuple[int, int]
"""A kernel, stride, padding or dilation as its size along the height and along the width."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Layer:
    """Base class of the layers: immutable, compared and hashed by their fields.

    A subclass is a frozen, slotted dataclass too. It declares its fields as annotations, and
    its own ``__init__`` validates them and stores them with ``object.__setattr__``. It
    overrides the questions whose answer is not zero. Its ``str`` is its token in the layer
    notation.

    Examples:
        >>> from cnncount.layers import Conv2d
        >>> layer = Conv2d(128, 3, padding=1)
        >>> shape = Shape(64, 112, 112)
        >>> layer.output_shape(shape), layer.params(shape), layer.macs(shape)
        (Shape(128, 112, 112), 73856, 924844032)
    """

    kind = "layer"
    """The layer's name in a summary's rows and in the JSON output (``conv``, ``maxpool``)."""
    category = ""
    """One of :data:`~cnncount.layers.base.CATEGORIES`."""
    in_place = False
    """Whether the reference implementation (PyTorch, as torchvision runs it) writes the output into
    the input's memory, or returns a view of it, rather than allocating a new tensor."""
    sees_whole_input = False
    """Whether each output value depends on every value of the input (a fully connected layer)."""
    autocast = "follow"
    """How autocast runs the layer in a float32 model, one of :data:`~cnncount.layers.base.AUTOCAST_RULES`."""

    def saves(self, shape: Shape) -> Saves:
        """Return what the backward pass needs of the layer, for an input of ``shape``.

        A layer that runs in place and needs its input keeps a copy of it, since its output
        overwrites it: the memory model counts that copy.

        Examples:
            >>> from cnncount.layers import Conv2d, MaxPool2d, ReLU
            >>> Conv2d(64, 3).saves(Shape(3, 224, 224)).input, ReLU().saves(Shape(64, 8, 8)).output
            (True, True)
            >>> MaxPool2d().saves(Shape(64, 224, 224)).other_bytes  # int64 indices, one per output
            6422528
        """
        return NOTHING_SAVED

    def passes_through(self, training: bool) -> bool:
        """Return whether the layer returns its input unchanged, in training or in inference
        (dropout does in inference, and in training too where it drops nothing).

        Examples:
            >>> from cnncount.layers import Dropout, ReLU
            >>> Dropout().passes_through(training=False), Dropout().passes_through(training=True)
            (True, False)
            >>> ReLU().passes_through(training=False)
            False
        """
        return False

    def transient_bytes(self, shape: Shape) -> int:
        """Return the bytes, for one image, of what the layer allocates only while it runs, in
        inference as in training (max pooling's indices).

        Examples:
            >>> from cnncount.layers import MaxPool2d, ReLU
            >>> MaxPool2d().transient_bytes(Shape(64, 224, 224)), ReLU().transient_bytes(Shape(64, 8, 8))
            (6422528, 0)
        """
        return 0

    def window(self, shape: Shape) -> tuple[Window, Window] | None:
        """Return the window slid along the height and along the width of an input of ``shape``,
        or None for a layer that acts pixel by pixel or sees the whole input.

        Examples:
            >>> from cnncount.layers import MaxPool2d, ReLU
            >>> MaxPool2d().window(Shape(64, 224, 224))[0], ReLU().window(Shape(64, 224, 224))
            (Window(extent=2, stride=2, padding=0), None)
        """
        return None

    def output_shape_of(self, shapes: list[Shape], sources: list[str]) -> Shape:
        """Return the output shape for inputs of ``shapes``, read from the rows ``sources``: the
        layer's one input's, or, for a merge, its branches', whose fit it checks.

        Examples:
            >>> from cnncount.layers import Add, ReLU
            >>> ReLU().output_shape_of([Shape(64, 8, 8)], ["conv1"])
            Shape(64, 8, 8)
            >>> Add().output_shape_of([Shape(64, 8, 8), Shape(64, 8, 8)], ["conv2", "conv1"])
            Shape(64, 8, 8)
        """
        return self.output_shape(shapes[0])

    def output_shape(self, shape: Shape) -> Shape:
        """Return the shape of the output for an input of ``shape`` (identity by default).

        Examples:
            >>> from cnncount.layers import ReLU
            >>> ReLU().output_shape(Shape(64, 224, 224))
            Shape(64, 224, 224)
        """
        return shape

    def weights(self, shape: Shape) -> int:
        """Return the number of learned weights (biases excluded).

        Examples:
            >>> from cnncount.layers import Linear
            >>> Linear(4096).weights(Shape(512, 7, 7))
            102760448
        """
        return 0

    def biases(self, shape: Shape) -> int:
        """Return the number of learned biases.

        Examples:
            >>> from cnncount.layers import Linear
            >>> Linear(4096).biases(Shape(512, 7, 7))
            4096
        """
        return 0

    def params(self, shape: Shape) -> int:
        """Return the learned parameters: weights plus biases.

        Examples:
            >>> from cnncount.layers import Conv2d
            >>> Conv2d(256, 3, padding=1).params(Shape(128, 56, 56))
            295168
        """
        return self.weights(shape) + self.biases(shape)

    def buffers(self, shape: Shape) -> int:
        """Return the values kept in state but not learned (batch norm's running statistics).

        Examples:
            >>> from cnncount.layers import BatchNorm2d
            >>> BatchNorm2d().buffers(Shape(64, 56, 56))
            128
        """
        return 0

    def macs(self, shape: Shape) -> int:
        """Return the multiply-accumulates of one forward pass of one image, biases excluded.

        Examples:
            >>> from cnncount.layers import Conv2d
            >>> Conv2d(64, 3, padding=1).macs(Shape(3, 224, 224))  # 224*224*64 outputs, 3*3*3 each
            86704128
        """
        return 0

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return the weight count as groups of factors whose product is :meth:`weights`.

        Examples:
            >>> from cnncount.layers import Conv2d
            >>> Conv2d(128, 3, padding=1).weight_factors(Shape(64, 112, 112))
            ((3, 3, 64), (128,))
        """
        return ()


def require_positive(**values: int) -> None:
    """Raise :class:`~cnncount.errors.LayerError` naming the first of ``values`` that is not positive.

    Examples:
        >>> require_positive(kernel=3, stride=0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: stride must be positive, got 0
    """
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise LayerError(f"{name} must be positive, got {value!r}")


def require_pair(name: str, value: object, least: int = 1) -> Pair:
    """Return ``value`` as a (height, width) pair of whole numbers of at least ``least``; one
    number stands for both axes.

    Examples:
        >>> require_pair("kernel_size", 3), require_pair("kernel_size", (1, 7))
        ((3, 3), (1, 7))
        >>> require_pair("padding", (0, 3), least=0)
        (0, 3)
        >>> require_pair("stride", (2, 0))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: stride must be positive, got (2, 0)
        >>> require_pair("padding", -1, least=0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: padding must be at least 0, got -1
    """
    sizes = value if isinstance(value, (tuple, list)) else (value, value)
    whole = len(sizes) == 2 and all(
        isinstance(size, int) and not isinstance(size, bool) and size >= least for size in sizes
    )
    if not whole:
        bound = "positive" if least == 1 else f"at least {least}"
        raise LayerError(f"{name} must be {bound}, got {value!r}")
    return (sizes[0], sizes[1])


def pair_text(sizes: Pair) -> str:
    """Write a pair as one number where both axes agree, else as ``height x width``.

    Examples:
        >>> pair_text((3, 3)), pair_text((1, 7))
        ('3', '1x7')
    """
    return str(sizes[0]) if sizes[0] == sizes[1] else f"{sizes[0]}x{sizes[1]}"


def number_text(value: float) -> str:
    """Write a number in the fewest digits that read back as the same float, without a trailing ``.0``.

    Examples:
        >>> number_text(0.1), number_text(1 / 127.5), number_text(-1.0), number_text(1e-05)
        ('0.1', '0.00784313725490196', '-1', '1e-05')
    """
    text = repr(float(value))
    return text.removesuffix(".0")


def sliding_window_shape(
    shape: Shape,
    channels: int,
    kernel: int | Pair,
    stride: int | Pair,
    padding: int | Pair,
    dilation: int | Pair = 1,
    ceil_mode: bool = False,
) -> Shape:
    """Return the output shape of a window slid over both axes, or raise if it does not fit.

    Each size is one number for both axes or a (height, width) pair.

    Examples:
        >>> sliding_window_shape(Shape(3, 224, 224), 64, kernel=3, stride=1, padding=1)
        Shape(64, 224, 224)
        >>> sliding_window_shape(Shape(128, 17, 17), 128, kernel=(1, 7), stride=1, padding=(0, 3))
        Shape(128, 17, 17)
        >>> sliding_window_shape(Shape(512, 2, 2), 512, kernel=3, stride=1, padding=0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: kernel 3 with padding 0 does not fit input 2x2
        >>> sliding_window_shape(Shape(8, 5, 5), 8, kernel=(1, 7), stride=1, padding=0, dilation=(1, 2))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: kernel 1x7 (dilation 1x2, extent 1x13) with padding 0 does not fit input 5x5
    """
    kernels, strides, paddings, dilations = (  # validated by the layer
        value if isinstance(value, tuple) else (value, value)
        for value in (kernel, stride, padding, dilation)
    )
    height, width = (
        window_output_size(
            size, kernels[axis], strides[axis], paddings[axis], dilations[axis], ceil_mode
        )
        for axis, size in enumerate((shape.height, shape.width))
    )
    if height < 1 or width < 1:
        extents = (window_extent(kernels[0], dilations[0]), window_extent(kernels[1], dilations[1]))
        dilated = (
            f" (dilation {pair_text(dilations)}, extent {pair_text(extents)})"
            if dilations != (1, 1)
            else ""
        )
        msg = (
            f"kernel {pair_text(kernels)}{dilated} with padding {pair_text(paddings)} does not fit "
            f"input {shape.height}x{shape.width}"
        )
        raise LayerError(msg)
    return Shape(channels, height, width)
