"""Print what the calculator costs: the command line as a whole process, and summarising at scale.

Run with the project's interpreter: ``.venv/bin/python benchmarks/bench_cli.py`` (or ``make bench``).

1. The wall time (median of many runs) and the peak resident memory of ``cnncount vgg16``
   beside ``python -c pass`` of the same interpreter: the floor of any Python command. The
   package's bytecode is compiled first, as an installation leaves it: where
   ``PYTHONDONTWRITEBYTECODE`` is set, stale bytecode would otherwise be compiled again at
   every run.
2. The time to summarise chains of 10 to 10,000 layers, which must grow linearly.
3. For each built-in model, within the process: the time to build and summarise it (target:
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
GNU_TIME = "/usr/bin/time"


def wall_time(command: list[str]) -> float:
    """Return the wall seconds of one run of ``command``, its output discarded."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def median_wall_times(*commands: list[str]) -> list[float]:
    """Return each command's median wall seconds over RUNS runs, after a warm-up.

    The commands take turns, so that a change in the machine's load touches them alike.
    """
    times: list[list[float]] = [[] for _ in commands]
    for turn in range(RUNS + 5):
        for command, runs in zip(commands, times):
            elapsed = wall_time(command)
            if turn >= 5:
                runs.append(elapsed)
    return [statistics.median(runs) for runs in times]


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
    print(
        f"  ratio to bare       {command_time / bare_time:7.2f}x   (target: at most 1.50x, under 20 MiB)"
    )


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
    bench_scaling()
    print()
    bench_zoo()
