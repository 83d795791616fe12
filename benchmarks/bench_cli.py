"""Print what the calculator costs: the command line as a whole process, and summarising at scale.

Run with the project's interpreter: ``.venv/bin/python benchmarks/bench_cli.py`` (or ``make bench``).

1. The wall time (median of many runs) and the peak resident memory of ``cnncount vgg16``
   beside ``python -c pass`` of the same interpreter: the floor of any Python command. The
   package's bytecode is compiled first, as an installation leaves it: where
   ``PYTHONDONTWRITEBYTECODE`` is set, stale bytecode would otherwise be compiled again at
   every run.
2. For every built-in model, ``cnncount MODEL`` from the shell, as the installed script runs:
   the median wall time of 15 runs after a warm-up (target: under 100 ms each).
3. Against torchinfo, in this process: ``torchinfo.summary(vgg16(), input_size=(1, 3, 224, 224))``
   of torchvision's VGG-16, beside ``cnncount vgg16-torchvision`` (its table built, counted and
   written), medians of both (target: cnncount at least 100 times faster). It is skipped, saying
   why, where torch, torchvision or torchinfo is missing.
4. The PyTorch reader against torchinfo, each as a process of its own from the shell:
   ``cnncount torchvision.models:resnet50`` (torch imported, the model built and read on the meta
   device) beside torchinfo's summary of the same model built on the CPU, the median wall time
   and the peak resident memory of each, beside importing torch and torchvision alone (the floor
   of both), and ``from_torch`` of ResNet-50 within this process.
   The peak is GNU time's, as in 1: ``getrusage(RUSAGE_CHILDREN)`` would give the largest child
   so far, whichever it was, and tracemalloc sees neither torch's C++ allocations nor another
   process. Skipped, saying why, where torch, torchvision or torchinfo is missing.
5. The time to summarise chains of 10 to 10,000 layers, which must grow linearly.
6. For each built-in model, within the process: the time to build and summarise it (target:
   at most 20 ms each, the largest new model included), and the time of
   ``cnncount MODEL --format json``, the compute without the interpreter's start-up (target:
   under 50 ms each).
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

import cnncount
from cnncount import Shape, get_model, parse_network, summarize

RUNS = 100
RUNS_PER_MODEL = 15
SHELL_TARGET_SECONDS = 0.100
TORCHINFO_RUNS = 5
TORCHINFO_TARGET_RATIO = 100
GNU_TIME = "/usr/bin/time"


def wall_time(command: list[str]) -> float:
    """Return the wall seconds of one run of ``command``, its output discarded."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def median_wall_times(*commands: list[str], runs: int = RUNS, warm_up: int = 5) -> list[float]:
    """Return each command's median wall seconds over ``runs`` runs, after ``warm_up`` more.

    The commands take turns, so that a change in the machine's load touches them alike.
    """
    times: list[list[float]] = [[] for _ in commands]
    for turn in range(runs + warm_up):
        for command, elapsed_times in zip(commands, times):
            elapsed = wall_time(command)
            if turn >= warm_up:
                elapsed_times.append(elapsed)
    return [statistics.median(elapsed_times) for elapsed_times in times]


def peak_mib(command: list[str]) -> float | None:
    """Return the peak resident MiB of ``command``, measured by GNU time, or None without it.

    A child's own rusage cannot be read from here: a child started by this (larger) process
    inherits this process's high-water mark. GNU time is small and forks the command itself.
    """
    if not Path(GNU_TIME).exists():
        return None
    result = subprocess.run(
        [GNU_TIME, "-f", "%M", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    return int(result.stderr.split()[-1]) / 1024


def console_script() -> list[str]:
    """Return the installed ``cnncount`` script beside this interpreter, or ``python -m cnncount``."""
    script = Path(sys.executable).parent / "cnncount"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cnncount"]


def bench_command_line() -> None:
    compileall.compile_dir(Path(cnncount.__file__).parent, quiet=1)
    bare, command = [sys.executable, "-c", "pass"], [*console_script(), "vgg16"]
    bare_time, command_time = median_wall_times(bare, command)
    print(f"command line ({RUNS} runs each, median wall time; peak resident memory)")
    for label, seconds, run in (
        ("python -c pass", bare_time, bare),
        ("cnncount vgg16", command_time, command),
    ):
        peak = peak_mib(run)
        memory = (
            f"{peak:5.1f} MiB"
            if peak is not None
            else "(peak needs GNU time: apt-get install time)"
        )
        print(f"  {label:<20}{seconds * 1e3:7.1f} ms  {memory}")
    print(f"  ratio to bare       {command_time / bare_time:7.2f}x")


def bench_every_model_from_the_shell() -> None:
    from cnncount.models import MODELS

    print(
        f"cnncount MODEL from the shell ({RUNS_PER_MODEL} runs each after a warm-up, the models "
        "taking turns; median wall time)"
    )
    commands = [[*console_script(), name] for name in MODELS]  # they take turns, as load varies
    medians = dict(zip(MODELS, median_wall_times(*commands, runs=RUNS_PER_MODEL, warm_up=1)))
    for name, seconds in medians.items():
        print(f"  {name:<20}{seconds * 1e3:7.1f} ms")
    slowest = max(medians, key=medians.__getitem__)
    over = [name for name, seconds in medians.items() if seconds >= SHELL_TARGET_SECONDS]
    verdict = "met" if not over else f"MISSED by {', '.join(over)}"
    print(
        f"  slowest: {slowest}, {medians[slowest] * 1e3:.1f} ms; target under "
        f"{SHELL_TARGET_SECONDS * 1e3:.0f} ms median for each of the {len(medians)} models: {verdict}"
    )


def bench_against_torchinfo() -> None:
    """Time torchinfo's summary of torchvision's VGG-16 and cnncount's table of the same model."""
    try:
        import torch
        import torchinfo
        import torchvision
    except ImportError as error:
        print(
            f"ratio to torchinfo skipped: {error.name} is not installed here "
            "(make torch, then .venv/bin/python -m pip install torchinfo)"
        )
        return
    from cnncount.cli import run

    shape = (1, 3, 224, 224)
    model = torchvision.models.vgg16()
    theirs = torchinfo.summary(model, input_size=shape, verbose=0).total_params
    counted = summarize(get_model("vgg16-torchvision")).totals.params
    if theirs != counted:  # the two must count the same network
        raise SystemExit(f"torchinfo counts {theirs:,} parameters, cnncount {counted:,}")
    built = _median_seconds(
        lambda: torchinfo.summary(torchvision.models.vgg16(), input_size=shape, verbose=0),
        TORCHINFO_RUNS,
    )
    summary_only = _median_seconds(
        lambda: torchinfo.summary(model, input_size=shape, verbose=0), TORCHINFO_RUNS
    )
    run(["vgg16-torchvision"])  # a warm-up
    ours = _median_seconds(lambda: run(["vgg16-torchvision"]), RUNS_PER_MODEL)
    print(
        f"against torchinfo {torchinfo.__version__} (torch {torch.__version__}), torchvision's "
        f"VGG-16 at {'x'.join(map(str, shape))}, {counted:,} parameters each, medians in this process"
    )
    print(f"  cnncount vgg16-torchvision (build, count, table)    {ours * 1e3:10.2f} ms")
    for label, median in (
        ("torchinfo.summary(vgg16(), ...) (build and summary)", built),
        ("torchinfo.summary of a model already built", summary_only),
    ):
        print(f"  {label:<52}{median * 1e3:10.2f} ms  {median / ours:8.0f}x cnncount's time")
    ratio = built / ours
    verdict = "met" if ratio >= TORCHINFO_TARGET_RATIO else "MISSED"
    print(
        f"  target: cnncount at least {TORCHINFO_TARGET_RATIO}x faster than "
        f"torchinfo.summary(vgg16(), ...): {ratio:.0f}x, {verdict}"
    )


READER_RUNS = 5
TORCHINFO_RESNET50 = (
    "import torchinfo, torchvision; "
    "torchinfo.summary(torchvision.models.resnet50(), input_size=(1, 3, 224, 224), verbose=0)"
)
"""torchinfo's summary of ResNet-50 as a user runs it: the model built on the CPU, then hooked
through a forward pass of one image."""


def bench_reader_against_torchinfo() -> None:
    """Time and measure ``cnncount torchvision.models:resnet50`` beside torchinfo's summary."""
    try:
        import torch
        import torchinfo
        import torchvision
    except ImportError as error:
        print(
            f"the PyTorch reader against torchinfo skipped: {error.name} is not installed here "
            "(run this script with an interpreter that has torch, torchvision and torchinfo)"
        )
        return
    from cnncount.readers.torch import from_torch

    with torch.device("meta"):
        model = torchvision.models.resnet50()
    ours = summarize(from_torch(model, (3, 224, 224))).totals.params
    built = torchvision.models.resnet50()
    theirs = torchinfo.summary(built, input_size=(1, 3, 224, 224), verbose=0).total_params
    if theirs != ours:  # the two must count the same network
        raise SystemExit(f"torchinfo counts {theirs:,} parameters of ResNet-50, cnncount {ours:,}")
    in_process = _median_seconds(lambda: from_torch(model, (3, 224, 224)), READER_RUNS)
    reader = [*console_script(), "torchvision.models:resnet50"]
    summary = [sys.executable, "-c", TORCHINFO_RESNET50]
    floor = [sys.executable, "-c", "import torch, torchvision"]
    times = median_wall_times(reader, summary, floor, runs=READER_RUNS, warm_up=1)
    print(
        f"the PyTorch reader against torchinfo {torchinfo.__version__} (torch {torch.__version__}), "
        f"ResNet-50 at 3x224x224, {ours:,} parameters each; each a process from the shell, "
        f"median of {READER_RUNS} runs, peak resident memory by GNU time"
    )
    for label, seconds, command in (
        ("cnncount torchvision.models:resnet50", times[0], reader),
        ("torchinfo.summary(resnet50(), ...)", times[1], summary),
        ("python -c 'import torch, torchvision'", times[2], floor),
    ):
        peak = peak_mib(command)
        memory = f"{peak:7.1f} MiB" if peak is not None else "(peak needs GNU time)"
        print(f"  {label:<40}{seconds * 1e3:9.0f} ms  {memory}")
    print(f"  from_torch(resnet50 on meta) within this process: {in_process * 1e3:.0f} ms (median)")


def chain(layers: int):
    """Return a chain of ``layers`` layers that keeps its shape: conv3-8 and relu alternating."""
    return parse_network(" ".join(["conv3-8", "relu"] * (layers // 2)), Shape(8, 32, 32))


def bench_scaling() -> None:
    print("summarize() of a chain of n layers (best of 5)")
    previous = None
    for layers in (10, 100, 1_000, 10_000):
        network = chain(layers)
        best = min(_timed(summarize, network) for _ in range(5))
        growth = f"  x{best / previous:5.1f} for 10x the layers" if previous else ""
        print(
            f"  n = {layers:>6,}  {best * 1e3:9.3f} ms  {best / layers * 1e6:6.2f} us/layer{growth}"
        )
        previous = best


def _median_seconds(function, runs: int) -> float:
    """Return the median wall seconds of ``runs`` calls of ``function()``."""
    return statistics.median(_timed(lambda _: function(), None) for _ in range(runs))


def _timed(function, argument) -> float:
    start = time.perf_counter()
    function(argument)
    return time.perf_counter() - start


def bench_zoo() -> None:
    from cnncount.cli import run
    from cnncount.models import MODELS

    run(["vgg16", "--format", "json"])  # the json module, loaded once
    print("each model in process (best of 3): build and summarize; cnncount MODEL --format json")
    slowest = {"summary": ("", 0.0), "json": ("", 0.0)}
    for name in MODELS:
        summary = min(_timed(lambda model: summarize(get_model(model)), name) for _ in range(3))
        document = min(_timed(run, [name, "--format", "json"]) for _ in range(3))
        for key, seconds in (("summary", summary), ("json", document)):
            slowest[key] = max(slowest[key], (name, seconds), key=lambda item: item[1])
        print(f"  {name:<20}{summary * 1e3:7.2f} ms {document * 1e3:9.2f} ms")
    for key, target in (("summary", "at most 20 ms"), ("json", "under 50 ms")):
        name, seconds = slowest[key]
        print(f"  slowest {key}: {name}, {seconds * 1e3:.2f} ms (target: {target})")


if __name__ == "__main__":
    bench_command_line()
    print()
    bench_every_model_from_the_shell()
    print()
    bench_against_torchinfo()
    print()
    bench_reader_against_torchinfo()
    print()
    bench_scaling()
    print()
    bench_zoo()
