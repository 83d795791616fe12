"""From counts to time: the roofline bound on how fast each layer can run on a device.

A layer must do its floating-point operations and move its bytes: read its inputs and its
weights, write its output. A device does at most ``peak`` FLOP/s and moves at most
``bandwidth`` bytes/s, so a layer takes at least::

    time >= max(FLOPs / peak, bytes / bandwidth)

Its arithmetic intensity, FLOPs per byte, says which term wins: below the device's ridge point
(``peak / bandwidth``) a layer is memory-bound, above it compute-bound. The FLOPs are two per
multiply-accumulate (layers without any, a ReLU or a pooling, are memory-bound by this count);
the bytes assume each tensor crosses memory once, in the batch's data type; a view (a flatten)
moves nothing, nor does dropout, which passes its input through in inference. The bandwidth is
the device's memory's: a layer whose tensors fit in the caches can move them faster. Layers run
one after another, so the network's forward bound is the sum of its layers' bounds. A training step is estimated at three times that: a backward pass costs about
twice a forward one, a gradient for the inputs and one for the weights. That factor is an
approximation (the first layer needs no input gradient, and the backward pass moves bytes of its
own), so the training figure is an estimate built on the bounds, not itself a bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cnncount.errors import CnncountError
from cnncount.precision import ONE_IMAGE, Batch
from cnncount.summary import FLOPS_PER_MAC, Row, Summary
from cnncount.table import Shown

if TYPE_CHECKING:
    from cnncount.table import Table

__all__ = [
    "DEVICES",
    "TRAINING_FACTOR",
    "Device",
    "LayerBound",
    "Roofline",
    "get_device",
    "parse_device",
    "roofline",
]

TRAINING_FACTOR = 3
"""A training step's time over a forward pass's, the forward and a backward of about twice it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Device:
    """A device's peak FLOP/s for each data type it computes in, and its memory bandwidth in bytes/s.

    Examples:
        >>> device = DEVICES["h100-sxm"]
        >>> device.peak("float16") / 1e12, device.bandwidth / 1e12
        (989.4, 3.35)
    """

    name: str
    description: str
    peaks: tuple[tuple[str, float], ...]
    bandwidth: float

    def peak(self, dtype: str) -> float:
        """Return the peak FLOP/s in ``dtype`` (float32's, where the device gives none for it).

        Examples:
            >>> DEVICES["rtx-4090"].peak("bfloat16") / 1e12, DEVICES["laptop-cpu"].peak("float16") / 1e9
            (165.2, 844.8)
        """
        peaks = dict(self.peaks)
        return peaks.get(dtype, peaks["float32"])

    def ridge(self, dtype: str) -> float:
        """Return the arithmetic intensity (FLOPs per byte) where memory stops being the bound.

        Examples:
            >>> round(DEVICES["h100-sxm"].ridge("float32"), 1)
            20.0
        """
        return self.peak(dtype) / self.bandwidth


DEVICES = {
    device.name: device
    for device in (
        # NVIDIA H100 Tensor Core GPU datasheet (SXM5): FP32 67 TFLOPS; FP16 and BF16 Tensor Core
        # 989.4 TFLOPS dense (1,979 with sparsity); HBM3 3.35 TB/s.
        Device(
            name="h100-sxm",
            description="NVIDIA H100 SXM5, a current datacenter GPU",
            peaks=(("float32", 67e12), ("float16", 989.4e12), ("bfloat16", 989.4e12)),
            bandwidth=3.35e12,
        ),
        # NVIDIA Ada Lovelace architecture whitepaper, GeForce RTX 4090: peak FP32 82.6 TFLOPS;
        # peak FP16 and BF16 Tensor with FP32 accumulate 165.2 TFLOPS dense; GDDR6X 1,008 GB/s.
        Device(
            name="rtx-4090",
            description="NVIDIA GeForce RTX 4090, a consumer GPU",
            peaks=(("float32", 82.6e12), ("float16", 165.2e12), ("bfloat16", 165.2e12)),
            bandwidth=1008e9,
        ),
        # AMD Ryzen 7 7840U product page: 8 Zen 4 cores at 3.3 GHz base, LPDDR5x-7500 on a
        # 128-bit bus, 7,500 MT/s x 16 bytes = 120 GB/s. Zen 4 does two 256-bit FMAs a cycle,
        # 2 x 8 x 2 = 32 float32 FLOPs a cycle a core: 8 x 32 x 3.3 GHz = 844.8 GFLOP/s.
        Device(
            name="laptop-cpu",
            description="AMD Ryzen 7 7840U, a laptop CPU, at its base clock",
            peaks=(("float32", 844.8e9),),
            bandwidth=120e9,
        ),
    )
}
"""Named device profiles, each taken from its public spec sheet (see the comments in the source)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerBound:
    """A row's FLOPs and bytes for a batch, its arithmetic intensity, and the lower bound on its
    time, with what bounds it (``"compute"`` or ``"memory"``).

    Examples:
        >>> from cnncount import get_model, summarize
        >>> bound = roofline(summarize(get_model("vgg16")), DEVICES["h100-sxm"]).layers[0]
        >>> bound.name, bound.bound, round(bound.intensity, 1)
        ('conv1', 'memory', 12.9)
    """

    name: str
    kind: str
    flops: int
    bytes: int
    intensity: float
    seconds: float
    bound: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Roofline(Shown):
    """The bound of every layer on a device for a batch, the network's forward bound, and the
    training step's estimate built on it (seconds). It prints as the report's table and shows as
    a table in a notebook.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> result = roofline(summarize(get_model("vgg16")), DEVICES["h100-sxm"])
        >>> result.training_seconds == 3 * result.forward_seconds
        True
        >>> result
        <Roofline of 21 layers on h100-sxm, batch of 1, float32: forward bound 0.616 ms>
        >>> print(str(result).splitlines()[2])  # the report's table, as str() gives it
        conv1       0.173   13.5    12.9       4.016  memory
    """

    device: Device
    batch: Batch
    layers: tuple[LayerBound, ...]

    def records(self) -> list[dict[str, object]]:
        """Return one dictionary of plain values per layer, the JSON document's.

        Examples:
            >>> from cnncount import get_model, summarize
            >>> roofline(summarize(get_model("vgg16")), DEVICES["h100-sxm"]).records()[1]["bound"]
            'compute'
        """
        from cnncount.render.tabular import roofline_records

        return roofline_records(self)

    def _table(self) -> Table:
        from cnncount.render.display import roofline_bounds_table

        return roofline_bounds_table(self)

    def __str__(self) -> str:
        from cnncount.render.cost import roofline_table

        return roofline_table(self)

    def __repr__(self) -> str:
        from cnncount.render.display import roofline_repr

        return roofline_repr(self)

    @property
    def forward_seconds(self) -> float:
        """The lower bound on a forward pass, the layers' bounds one after another.

        Examples:
            >>> from cnncount import get_model, summarize
            >>> round(roofline(summarize(get_model("vgg16")), DEVICES["h100-sxm"]).forward_seconds * 1e3, 3)
            0.616
        """
        return sum(layer.seconds for layer in self.layers)

    @property
    def training_seconds(self) -> float:
        """The estimate of a training step built on the bounds, :data:`TRAINING_FACTOR` times the
        forward bound (an approximation, not itself a bound).

        Examples:
            >>> from cnncount import get_model, summarize
            >>> round(roofline(summarize(get_model("vgg16")), DEVICES["h100-sxm"]).training_seconds * 1e3, 3)
            1.849
        """
        return TRAINING_FACTOR * self.forward_seconds


def roofline(summary: Summary, device: Device, batch: Batch = ONE_IMAGE) -> Roofline:
    """Return the roofline bound of every layer of ``summary`` on ``device`` for ``batch``.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> result = roofline(summarize(get_model("resnet50")), DEVICES["laptop-cpu"], Batch(8))
        >>> {layer.bound for layer in result.layers if layer.kind == "batchnorm"}
        {'memory'}
    """
    sizes = {row.name: row.activations for row in summary.rows}
    peak = device.peak(batch.autocast or batch.dtype)
    layers = []
    for row in summary.rows[1:]:
        flops = FLOPS_PER_MAC * row.macs * batch.size
        moved = _bytes_moved(row, sizes, batch)
        compute, memory = flops / peak, moved / device.bandwidth
        layers.append(
            LayerBound(
                name=row.name,
                kind=row.kind,
                flops=flops,
                bytes=moved,
                intensity=flops / moved if moved else 0.0,
                seconds=max(compute, memory),
                bound="compute" if compute > memory else "memory",
            )
        )
    return Roofline(device=device, batch=batch, layers=tuple(layers))


def get_device(name: str) -> Device:
    """Return the named device profile, or read a custom one (see :func:`parse_device`).

    Examples:
        >>> get_device("rtx-4090").bandwidth
        1008000000000.0
        >>> get_device("tpu")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: device 'tpu': give a named device (h100-sxm, rtx-4090, laptop-cpu) or a peak and a bandwidth, such as 67TFLOPS,4.8TB/s
    """
    if name in DEVICES:
        return DEVICES[name]
    return parse_device(name)


_FLOPS_SCALES = {"tflops": 1e12, "gflops": 1e9, "mflops": 1e6, "flops": 1.0}
_BANDWIDTH_SCALES = {"tb/s": 1e12, "gb/s": 1e9, "mb/s": 1e6, "b/s": 1.0}


def parse_device(text: str) -> Device:
    """Read a custom device written as its peak FLOP/s and its bandwidth: ``67TFLOPS,4.8TB/s``.

    Examples:
        >>> device = parse_device("67TFLOPS,4.8TB/s")
        >>> device.peak("float32"), device.bandwidth
        (67000000000000.0, 4800000000000.0)
    """
    peak_text, comma, bandwidth_text = text.replace(" ", "").lower().partition(",")
    peak = _scaled(peak_text, _FLOPS_SCALES)
    bandwidth = _scaled(bandwidth_text, _BANDWIDTH_SCALES)
    if not comma or peak is None or bandwidth is None:
        named = ", ".join(DEVICES)
        msg = f"device {text!r}: give a named device ({named}) or a peak and a bandwidth, such as 67TFLOPS,4.8TB/s"
        raise CnncountError(msg)
    return Device(
        name=text, description="a custom device", peaks=(("float32", peak),), bandwidth=bandwidth
    )


def _scaled(text: str, scales: dict[str, float]) -> float | None:
    """Return ``text``, a positive number followed by one of ``scales``' units, in base units."""
    for unit, scale in scales.items():
        if text.endswith(unit):
            try:
                value = float(text[: -len(unit)])
            except ValueError:
                return None
            return value * scale if 0 < value < float("inf") else None
    return None


def _bytes_moved(row: Row, sizes: dict[str, int], batch: Batch) -> int:
    """Return the bytes a layer reads and writes: its inputs, its parameters and buffers, its output."""
    layer = row.layer
    if layer is None or layer.category == "reshape" or layer.passes_through(training=False):
        return 0  # a view moves nothing, nor does dropout, which passes its input through
    values = sum(sizes[source] for source in row.inputs) + row.activations
    value_bytes = (
        batch.lower_bytes_per_value if layer.autocast == "lower" else batch.bytes_per_value
    )
    return batch.size * values * value_bytes + (row.params + row.buffers) * value_bytes
