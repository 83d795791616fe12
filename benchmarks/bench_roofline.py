"""Print how close PyTorch comes to cnncount's roofline bound on this machine's CPU, layer by layer.

Run where torch and torchvision are installed (`make torch`):
``.venv/bin/python benchmarks/bench_roofline.py``.

1. This machine's roofs, on one thread: the best float32 FLOP/s of matrix products and of
   the models' dense convolutions, and the best bytes/s of copies from cache-sized to memory-sized
   (each byte read once and written once). They make the device profile the bounds are
   computed for.
2. For VGG-16, ResNet-50 and MobileNetV2 as torchvision builds them, each layer's module is
   timed on its own input (the median of several runs, after a warm-up, batch 8, float32, one
   thread, as the roofs are measured), and
   compared with cnncount's bound for that layer. The roofs are measured again after each model,
   and the best of every measurement kept; how much each roof varied is the timings' noise. A
   measured time below its bound by more than the noise of the roof that bounds it (and at least
   1%) would be a bug in the bound; the script says so and exits with 1.
3. The efficiency, bound / measured, per layer kind: how much of the device the layer uses.

This is a benchmark that prints figures, not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import statistics
import sys
import time

try:
    import torch
    import torchvision
except ImportError:
    print("bench_roofline: needs torch and torchvision (make torch installs them); skipped")
    sys.exit(0)

from cnncount import Batch, Conv2d, Shape, get_model, summarize
from cnncount.roofline import parse_device, roofline
from cnncount.summary import Row

BATCH = 8
RUNS = 7
LEAST_NOISE = 0.01
"""The smallest tolerance for a layer below its bound. A layer whose kernel sets the peak
(VGG-16's 512-channel convolutions) runs at its bound, a little above or below, as fast as the
machine is at that moment: on a shared machine that varies by a few percent from minute to
minute, which the spread of the repeated roofs measures."""
MODELS = {"vgg16-torchvision": "vgg16", "resnet50": "resnet50", "mobilenet-v2": "mobilenet_v2"}


def timings(work, runs: int = RUNS) -> list[float]:
    """Return the seconds of ``runs`` timed calls of ``work``, after one untimed call."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def best_seconds(work, runs: int = RUNS) -> float:
    """Return the fastest of ``runs`` timed calls of ``work``."""
    return min(timings(work, runs))


def median_seconds(work, runs: int = RUNS) -> float:
    """Return the median of ``runs`` timed calls of ``work``."""
    return statistics.median(timings(work, runs))


def dense_convolutions() -> list[tuple[Shape, Conv2d, int]]:
    """Return each distinct convolution with one group among the timed models' layers: its
    input shape, the layer, and its multiply-accumulates."""
    found = {}
    for name in MODELS:
        for row in summarize(get_model(name)).rows:
            if row.kind == "conv" and row.layer.groups == 1:
                found[(row.input_shape, row.layer)] = row.macs
    return [(shape, layer, macs) for (shape, layer), macs in found.items()]


def measured_peak() -> tuple[float, float]:
    """Return this machine's best float32 FLOP/s and best bytes/s, on one thread.

    A lower bound must hold for every layer, so each roof is the best rate measured of the
    kernels the layers use. FLOP/s: matrix products of 512 to 2048 a side, and each dense
    convolution (one group) of the timed models on its own, on a batch (whose kernel may do
    fewer multiplications than the direct count, as ResNet-50's 3x3 convolutions on 7x7 maps
    do: its rate is counted as two FLOPs a multiply-accumulate, as the bounds are). Grouped and
    depthwise convolutions are left out, so that their counts stay checked. Bytes/s:
    a copy, and an in-place ReLU, of 128 KiB to 256 MiB, from the caches to memory, since a
    layer whose tensors fit in the caches moves its bytes at the caches' speed.
    """
    flops = 0.0
    for size in (512, 1024, 2048):
        a, b = torch.randn(size, size), torch.randn(size, size)
        flops = max(flops, 2 * size**3 / best_seconds(lambda a=a, b=b: a @ b, 10))
    with torch.no_grad():
        for shape, layer, macs in dense_convolutions():
            conv = torch.nn.Conv2d(
                shape.channels,
                layer.out_channels,
                layer.kernel_size,
                layer.stride,
                layer.padding,
                layer.dilation,
                bias=layer.bias,
            ).eval()
            x = torch.randn(BATCH, shape.channels, shape.height, shape.width)
            flops = max(flops, 2 * BATCH * macs / best_seconds(lambda conv=conv, x=x: conv(x), 9))
    bandwidth = 0.0
    for size in (2**15, 2**17, 2**19, 2**21, 2**22, 2**24, 2**26):  # float32 values
        source, target = torch.randn(size), torch.empty(size)
        moved = 2 * size * 4  # each value read once and written once
        bandwidth = max(bandwidth, moved / best_seconds(lambda s=source, t=target: t.copy_(s), 20))
        bandwidth = max(bandwidth, moved / best_seconds(lambda s=source: torch.relu_(s), 20))
    return flops, bandwidth


def module_calls(
    model: torch.nn.Module, x: torch.Tensor
) -> list[tuple[str, torch.nn.Module, tuple]]:
    """Return every leaf module's call in one forward pass: its name, itself, and its inputs."""
    calls = []
    hooks = [
        module.register_forward_pre_hook(
            lambda module, inputs, name=name: calls.append((name, module, inputs))
        )
        for name, module in model.named_modules()
        if not list(module.children())
    ]
    with torch.no_grad():
        model(x)
    for hook in hooks:
        hook.remove()
    return calls


def matched(rows: tuple[Row, ...], calls: list) -> list[tuple[Row, tuple]]:
    """Pair each row with the module call of the same name or, where names differ (the
    notation's conv1 against torchvision's features.0), with the calls in order."""
    by_name = {name: call for name, *call in calls}
    if sum(row.name in by_name for row in rows) > len(rows) // 2:
        return [(row, by_name[row.name]) for row in rows if row.name in by_name]
    kept = [row for row in rows if row.kind not in ("add", "concat")]
    return [(row, (module, inputs)) for row, (_, module, inputs) in zip(kept, calls)]


def timed_layers(name: str, torchvision_name: str) -> list[tuple[str, str, float]]:
    """Return each timed layer of a model: its row's name, its kind, and its median seconds."""
    summary = summarize(get_model(name))
    model = torchvision.models.get_model(torchvision_name, weights=None).eval()
    shape = summary.input_shape
    calls = module_calls(model, torch.randn(BATCH, shape.channels, shape.height, shape.width))
    timed = []
    for row, (module, inputs) in matched(summary.rows[1:], calls):
        with torch.no_grad():
            seconds = median_seconds(lambda module=module, inputs=inputs: module(*inputs))
        timed.append((row.name, row.kind, seconds))
    return timed


def main() -> int:
    torch.manual_seed(0)
    torch.set_num_threads(1)  # one core: other work on the machine disturbs one thread the least
    roofs = [measured_peak()]
    timings = {}
    for name, torchvision_name in MODELS.items():
        timings[name] = timed_layers(name, torchvision_name)
        roofs.append(measured_peak())  # the machine's speed changes: the best is the roof
    flops, bandwidth = (max(rates) for rates in zip(*roofs))
    noise = dict(
        zip(
            ("compute", "memory"),
            (max(LEAST_NOISE, 1 - min(rates) / max(rates)) for rates in zip(*roofs)),
        )
    )
    device = parse_device(f"{flops:.6g}FLOPS,{bandwidth:.6g}B/s")
    print(
        f"this machine ({torch.get_num_threads()} thread): {flops / 1e9:.1f} GFLOP/s float32 "
        f"(best matrix product or dense convolution), {bandwidth / 1e9:.1f} GB/s (best copy or "
        f"in-place ReLU, caches included); ridge at {flops / bandwidth:.2f} FLOP/B; the best of "
        f"{len(roofs)} measurements, before the layers and after each model's, which varied by up "
        f"to {noise['compute']:.1%} and {noise['memory']:.1%}: a layer beats its bound only by more "
        "than its roof's"
    )
    beaten = 0
    for name, torchvision_name in MODELS.items():
        bounds = {
            bound.name: bound
            for bound in roofline(summarize(get_model(name)), device, Batch(BATCH)).layers
        }
        efficiency: dict[str, list[float]] = {}
        total_bound = total_measured = 0.0
        for row, kind, seconds in timings[name]:
            bound = bounds[row]
            if seconds < bound.seconds * (1 - noise[bound.bound]):
                beaten += 1
                print(
                    f"  BOUND BEATEN: {name} {row} measured {seconds * 1e6:.1f} us < bound {bound.seconds * 1e6:.1f} us"
                )
            efficiency.setdefault(kind, []).append(bound.seconds / seconds)
            total_bound += bound.seconds
            total_measured += seconds
        print(
            f"{name} (torchvision {torchvision_name}), batch {BATCH}: "
            f"{sum(map(len, efficiency.values()))} layers timed, bound {total_bound * 1e3:.1f} ms, "
            f"measured {total_measured * 1e3:.1f} ms, efficiency {total_bound / total_measured:.1%}"
        )
        for kind, ratios in sorted(efficiency.items()):
            print(
                f"  {kind:<16} {len(ratios):>4} layers  efficiency median {statistics.median(ratios):6.1%}"
                f"  best {max(ratios):6.1%}"
            )
    print("no layer beat its bound" if not beaten else f"{beaten} layers beat their bound")
    return 1 if beaten else 0


if __name__ == "__main__":
    sys.exit(main())
