"""Memory for training and inference: what is kept, for a batch, in a data type.

Training keeps the inputs, the parameters, their gradients, the optimizer's state, the buffers,
and the activations that the backward pass needs. What PyTorch's autograd keeps is, layer by
layer: the output of every layer once (a convolution or fully connected layer keeps its input,
which is the previous layer's output; an in-place ReLU keeps its output in that same tensor;
a flatten is a view), plus the int64 indices of each max pooling and the mask of each dropout.
That is :func:`kept_for_backward_bytes`; the tests compare it with what PyTorch really saves.
"""

from __future__ import annotations

from cnncount.errors import CnncountError
from cnncount.precision import ONE_IMAGE, Batch
from cnncount.record import Record
from cnncount.summary import Row, Summary

__all__ = [
    "OPTIMIZER_STATE",
    "TrainingMemory",
    "inference_peak_bytes",
    "kept_for_backward_bytes",
    "largest_batch",
    "training_memory",
]

OPTIMIZER_STATE = {"sgd": 0, "momentum": 1, "adam": 2}
"""How many values of optimizer state each parameter needs; none, the momentum, or Adam's two moments."""

INDEX_BYTES = 8
"""Bytes of one max-pooling index (int64), whatever the data type of the values."""


class TrainingMemory(Record):
    """The parts of training memory for one step, in bytes; they add up to :attr:`total`.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> memory = training_memory(summarize(get_model("vgg16")), optimizer="adam")
        >>> [name for name, _ in memory.parts]
        ['inputs', 'parameters', 'gradients', 'optimizer state', 'buffers', 'activations kept for backward']
        >>> memory.total == sum(size for _, size in memory.parts)
        True
    """

    __slots__ = ("batch", "optimizer", "parts")

    batch: Batch
    optimizer: str
    parts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        """The bytes of all the parts.

        Examples:
            >>> from cnncount import get_model, summarize
            >>> training_memory(summarize(get_model("vgg16")), optimizer="sgd").total
            1180053728
        """
        return sum(size for _, size in self.parts)


def kept_for_backward_bytes(summary: Summary, batch: Batch = ONE_IMAGE) -> int:
    """Return the bytes of the activations the backward pass needs, the input excluded.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> kept_for_backward_bytes(vgg16)  # (15,237,608 - 150,528) * 4 + 1,530,368 pooling indices * 8
        72591264
    """
    return batch.size * sum(_kept_per_image(row, batch.bytes_per_value) for row in summary.rows[1:])


def training_memory(
    summary: Summary, batch: Batch = ONE_IMAGE, optimizer: str = "sgd"
) -> TrainingMemory:
    """Return what one training step keeps, part by part.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> memory = training_memory(summarize(get_model("vgg16")), Batch(64), optimizer="adam")
        >>> dict(memory.parts)["optimizer state"] == 2 * 4 * 138357544
        True
        >>> training_memory(summarize(get_model("vgg16")), optimizer="adamw")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: unknown optimizer 'adamw'; optimizers: sgd, momentum, adam
    """
    if optimizer not in OPTIMIZER_STATE:
        msg = f"unknown optimizer {optimizer!r}; optimizers: {', '.join(OPTIMIZER_STATE)}"
        raise CnncountError(msg)
    size = batch.bytes_per_value
    params = summary.totals.params * size
    parts = (
        ("inputs", batch.bytes(summary.input_shape.numel)),
        ("parameters", params),
        ("gradients", params),
        ("optimizer state", OPTIMIZER_STATE[optimizer] * params),
        ("buffers", summary.totals.buffers * size),
        ("activations kept for backward", kept_for_backward_bytes(summary, batch)),
    )
    return TrainingMemory(batch=batch, optimizer=optimizer, parts=parts)


def inference_peak_bytes(summary: Summary, batch: Batch = ONE_IMAGE) -> int:
    """Return the peak memory of an inference pass: the weights and buffers, and the most
    activation values alive at once.

    Layers run in order; an output lives from the layer that writes it to the last layer that
    reads it (the network's output to the end). An in-place layer (ReLU, flatten) writes into its
    input. In a chain the peak is the largest pair of a layer's input and output.

    Examples:
        >>> from cnncount import get_model, parse_network, summarize
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> inference_peak_bytes(vgg16) - 4 * vgg16.totals.params  # conv2: 2 maps of 224*224*64
        25690112
        >>> block = summarize(parse_network("conv3-64 ( conv3-64 conv3-64 | )add"))
        >>> inference_peak_bytes(block) - 4 * block.totals.params  # 3 maps alive inside the block
        38535168
    """
    rows = summary.rows
    owner: dict[str, str] = {}  # the row whose tensor holds each row's output
    for row in rows:
        in_place = row.layer is not None and row.layer.in_place
        owner[row.name] = owner[row.inputs[0]] if in_place else row.name
    last_use = {owner[rows[-1].name]: len(rows)}
    for index, row in enumerate(rows):
        for source in row.inputs:
            last_use[owner[source]] = max(last_use.get(owner[source], index), index)
    freed_after = [0] * len(rows)  # values whose last reader is each row
    for index, row in enumerate(rows):
        if owner[row.name] == row.name and last_use.get(row.name, len(rows)) < len(rows):
            freed_after[last_use[row.name]] += row.activations
    live = peak = 0
    for index, row in enumerate(rows):
        if owner[row.name] == row.name:
            live += row.activations
        peak = max(peak, live)
        live -= freed_after[index]
    return (summary.totals.params + summary.totals.buffers) * batch.bytes_per_value + batch.bytes(
        peak
    )


def largest_batch(
    summary: Summary, budget: int, dtype: str = "float32", optimizer: str | None = None
) -> int:
    """Return the largest batch whose memory fits ``budget`` bytes: for training with
    ``optimizer``, or for inference without one.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> largest_batch(vgg16, 16 * 2**30, optimizer="adam"), largest_batch(vgg16, 16 * 2**30)
        (204, 647)
        >>> largest_batch(vgg16, 2**29, optimizer="adam")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: budget 536,870,912 bytes is less than the 2,213,720,704 bytes this model needs before its first image
    """

    def needed(size: int) -> int:
        batch = Batch(size, dtype)
        if optimizer is None:
            return inference_peak_bytes(summary, batch)
        return training_memory(summary, batch, optimizer).total

    per_image = needed(2) - needed(1)  # memory grows linearly with the batch
    fixed = needed(1) - per_image
    if budget < fixed + per_image:
        msg = f"budget {budget:,} bytes is less than the {fixed:,} bytes this model needs before its first image"
        if budget >= fixed:
            msg = f"budget {budget:,} bytes does not fit one image: {fixed + per_image:,} bytes needed"
        raise CnncountError(msg)
    return (budget - fixed) // per_image


def _kept_per_image(row: Row, size: int) -> int:
    if row.layer is not None and row.layer.in_place:
        return 0
    if row.kind == "maxpool":
        return row.activations * (size + INDEX_BYTES)
    if row.kind == "dropout":
        return row.activations * 2 * size  # its output and its mask
    return row.activations * size
