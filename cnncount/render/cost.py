"""Text renderings of what a pass costs: training memory, a convention's figures, receptive fields."""

from __future__ import annotations

from cnncount.conventions import Convention, activation_figure, compute_figure
from cnncount.memory import TrainingMemory
from cnncount.receptive import ReceptiveField
from cnncount.summary import Summary
from cnncount.units import binary_bytes, decimal_bytes

__all__ = ["convention_lines", "receptive_field_table", "training_lines"]


def training_lines(memory: TrainingMemory) -> str:
    """Return the parts of training memory, one a line, in bytes, MB and MiB, and their total.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.memory import training_memory
        >>> print(training_lines(training_memory(summarize(get_model("vgg16")), batch=64, optimizer="adam")))
        TRAINING memory, batch of 64, float32, adam optimizer:
          inputs                             38,535,168 bytes   38.5 MB   36.8 MiB
          parameters                        553,430,176 bytes    553 MB    528 MiB
          gradients                         553,430,176 bytes    553 MB    528 MiB
          optimizer state                 1,106,860,352 bytes   1.11 GB   1.03 GiB
          buffers                                     0 bytes       0 B        0 B
          activations kept for backward   4,645,840,896 bytes   4.65 GB   4.33 GiB
          total                           6,898,096,768 bytes   6.90 GB   6.42 GiB
    """
    rows = [*memory.parts, ("total", memory.total)]
    width = max(len(f"{size:,}") for _, size in rows)
    header = (
        f"TRAINING memory, batch of {memory.batch:,}, {memory.dtype}, {memory.optimizer} optimizer:"
    )
    lines = [
        f"  {name:<30}{size:>{width + 2},} bytes  {decimal_bytes(size):>8}  {binary_bytes(size):>9}"
        for name, size in rows
    ]
    return "\n".join([header, *lines])


def convention_lines(
    summary: Summary, convention: Convention, batch: int = 1, dtype: str = "float32"
) -> str:
    """Return what the convention's tool would print for the network, and what it counts.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.conventions import get_convention
        >>> print(convention_lines(summarize(get_model("vgg16")), get_convention("torchinfo")))
        CONVENTION torchinfo: Forward/backward pass size (MB) and Total mult-adds (G)
          activation memory: 108.45 MB
          compute:           15.48 G mult-adds
    """
    lines = [f"CONVENTION {convention.name}: {convention.prints}"]
    if convention.memory is not None:
        lines.append(f"  activation memory: {activation_figure(summary, convention, batch, dtype)}")
    if convention.compute is not None:
        lines.append(f"  compute:           {compute_figure(summary, convention)}")
    return "\n".join(lines)


def receptive_field_table(fields: list[ReceptiveField]) -> str:
    """Return the receptive field of each row: its size, jump and start, in input pixels.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.receptive import receptive_fields
        >>> lines = receptive_field_table(receptive_fields(summarize(get_model("vgg16")))).splitlines()
        >>> for line in lines[:5] + lines[-4:]:
        ...     print(line)
        layer       size  jump   start
        input          1     1     0.0
        conv1          3     1     0.0
        conv2          5     1     0.0
        maxpool1       6     2     0.5
        maxpool5     212    32    15.5
        fc1          all    32    15.5
        fc2          all    32    15.5
        fc3          all    32    15.5
    """
    width = max(len("layer"), *(len(field.name) for field in fields)) + 2
    lines = [f"{'layer':<{width}}{'size':>6}{'jump':>6}{'start':>8}"]
    for field in fields:
        size = "all" if field.size is None else str(field.size)
        lines.append(f"{field.name:<{width}}{size:>6}{field.jump:>6}{field.start:>8.1f}")
    return "\n".join(lines)
