"""The command line: ``cnncount MODEL|SPEC [--format F] [--input CxHxW] [--batch N] [--dtype D]``.

Bad input prints one line, ``cnncount: error: ...``, on stderr and exits with status 2.
The options are few and fixed, so they are read here by hand: ``argparse`` alone would
cost the command half of a bare interpreter's start-up (it imports ``re`` and
``gettext``).
"""

from __future__ import annotations

import sys

from cnncount.errors import CnncountError, UnknownModelError
from cnncount.models import MODELS, get_model, model_names
from cnncount.network import Network
from cnncount.notation import DEFAULT_INPUT, names_a_layer, parse_network, tokenize
from cnncount.render.reference import report
from cnncount.shapes import Shape
from cnncount.summary import Summary, summarize
from cnncount.units import BYTES_PER_VALUE

__all__ = ["main", "run", "usage"]

FORMATS = ("table", "markdown", "csv", "json")


_DEFAULTS = {
    "--format": "table",
    "--input": "",
    "--batch": "1",
    "--dtype": "float32",
    "--optimizer": "",
    "--budget": "",
    "--convention": "",
}
_CHOICES = {"--format": FORMATS, "--dtype": tuple(BYTES_PER_VALUE)}
_FLAGS = ("-h", "--help", "--list", "--version", "--receptive-field")
_COST_OPTIONS = ("--optimizer", "--budget", "--convention")
"""The options that add a view of what a pass costs, besides the flag --receptive-field."""


def usage() -> str:
    """Return the help text, every choice of every option listed.

    Examples:
        >>> usage().splitlines()[0]
        'usage: cnncount [options] MODEL'
    """
    from cnncount.conventions import CONVENTIONS
    from cnncount.memory import OPTIMIZER_STATE

    optimizers, conventions = list(OPTIMIZER_STATE), list(CONVENTIONS)
    return f"""\
usage: cnncount [options] MODEL
       cnncount [options] SPEC...
       cnncount --list

Count the parameters, activations and multiply-accumulates of a convolutional network.

  MODEL              a built-in model (see --list), e.g. vgg16
  SPEC               layers in the VGG paper's notation, e.g. 'conv3-64 maxpool FC-10'

options:
  --format FORMAT    {", ".join(FORMATS)} (default: table)
  --input CxHxW      input shape, channels first (default: the model's usual input,
                     {DEFAULT_INPUT} for a spec)
  --batch N          images per batch, for the memory figures (default: 1)
  --dtype DTYPE      {", ".join(BYTES_PER_VALUE)}: bytes per value (default: float32)
  --optimizer OPT    {", ".join(optimizers)}: add the training memory, part by part
  --budget SIZE      the largest batch that fits SIZE (16GiB, 500MB: GiB is 2^30 bytes,
                     GB 10^9), for training with --optimizer, else for inference
  --convention NAME  count as a tool does: {", ".join(conventions[:4])},
                     {", ".join(conventions[4:])}
  --receptive-field  add each layer's receptive field: size, jump, start (input pixels)
  --list             name the built-in models
  -h, --help         show this help
  --version          show the version
"""


def run(argv: list[str]) -> str:
    """Return what the command prints for the arguments ``argv``; bad input raises.

    Examples:
        >>> print(run(["vgg16"]).splitlines()[1])
        CONV3-64:  [224x224x64]   memory:  224*224*64=3.2M  weights: (3*3*3)*64 = 1,728
        >>> print(run(["conv3-64", "maxpool", "--input", "3x32x32", "--format", "csv"]), end="")
        name,kind,token,channels,height,width,activations,weights,biases,params,buffers,macs
        input,input,input,3,32,32,3072,0,0,0,0,0
        conv1,conv,conv3-64,64,32,32,65536,1728,64,1792,0,1769472
        maxpool1,maxpool,maxpool,64,16,16,16384,0,0,0,0,0
        >>> run(["vgg16", "--batch", "0"])
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: --batch must be a positive whole number, got '0'
    """
    words, options, flags = _read_arguments(argv)
    if "-h" in flags or "--help" in flags:
        return usage()
    if "--version" in flags:
        from cnncount import __version__

        return f"cnncount {__version__}\n"
    if "--list" in flags:
        width = max(map(len, MODELS)) + 2
        return "".join(
            f"{name:<{width}}{model.input_shape!s:<12}{model.description}\n"
            for name, model in MODELS.items()
        )
    if not words:
        raise CnncountError("give a model name or a spec; 'cnncount --list' names the models")
    for option, choices in _CHOICES.items():
        _choose(option, options[option], choices)
    text = options["--batch"]
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        raise CnncountError(f"--batch must be a positive whole number, got {text!r}")
    form, dtype, batch = options["--format"], options["--dtype"], int(text)
    if form == "csv" and (
        any(options[option] for option in _COST_OPTIONS) or "--receptive-field" in flags
    ):
        raise CnncountError(
            f"{', '.join(_COST_OPTIONS)}, --receptive-field need --format table, markdown or json"
        )
    input_shape = Shape.parse(options["--input"]) if options["--input"] else None
    summary = summarize(_network(" ".join(words), input_shape))
    costs = _costs(summary, options, "--receptive-field" in flags, batch, dtype)
    if form == "table":
        return report(summary, batch, dtype) + "".join(f"\n{view}\n" for view, _ in costs.values())
    from cnncount.render.tabular import to_csv, to_json, to_markdown

    if form == "json":
        return (
            to_json(summary, batch, dtype, {name: value for name, (_, value) in costs.items()})
            + "\n"
        )
    if form == "csv":
        return to_csv(summary)
    sections = "".join(f"\n{view}\n" for view, _ in costs.values())
    return to_markdown(summary) + (f"\n\n```text{sections}```" if costs else "") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status: 0, or 2 for bad input.

    Examples:
        >>> main(["vgg16", "--format", "yaml"])
        2
    """
    try:
        text = run(sys.argv[1:] if argv is None else argv)
    except CnncountError as error:
        print(f"cnncount: error: {error}", file=sys.stderr)
        return 2
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left, as `| head` does: say nothing more
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _read_arguments(argv: list[str]) -> tuple[list[str], dict[str, str], set[str]]:
    words: list[str] = []
    options = dict(_DEFAULTS)
    flags: set[str] = set()
    arguments = iter(argv)
    for argument in arguments:
        name, equals, value = argument.partition("=")
        if argument == "--":
            words.extend(arguments)
        elif argument in _FLAGS:
            flags.add(argument)
        elif name in options:
            value = value if equals else next(arguments, "")
            if not value:
                raise CnncountError(f"option {name} needs a value")
            options[name] = value
        elif argument.startswith("-"):
            raise CnncountError(f"unknown option {argument!r}; see 'cnncount --help'")
        else:
            words.append(argument)
    return words, options, flags


def _costs(
    summary: Summary, options: dict[str, str], receptive: bool, batch: int, dtype: str
) -> dict[str, tuple[str, object]]:
    """Return the cost views asked for, each as its text and its JSON value.

    The modules behind them are imported here, when asked for, to keep start-up short.
    """
    costs: dict[str, tuple[str, object]] = {}
    optimizer = options["--optimizer"]
    if optimizer:
        from cnncount.memory import OPTIMIZER_STATE

        _choose("--optimizer", optimizer, tuple(OPTIMIZER_STATE))
    if optimizer or options["--budget"]:
        from cnncount.memory import inference_peak_bytes, largest_batch, training_memory
        from cnncount.render.cost import training_lines
        from cnncount.units import binary_bytes, decimal_bytes, parse_bytes

        peak = inference_peak_bytes(summary, batch, dtype)
        text = f"INFERENCE peak: {peak:,} bytes ~= {decimal_bytes(peak)} ({binary_bytes(peak)}), batch of {batch:,}, {dtype}"
        costs["inference_peak_bytes"] = (text, peak)
    if optimizer:
        memory = training_memory(summary, batch, dtype, optimizer)
        document = {
            "batch": batch,
            "dtype": dtype,
            "optimizer": optimizer,
            "parts": dict(memory.parts),
            "total_bytes": memory.total,
        }
        costs["training_memory"] = (training_lines(memory), document)
    if options["--budget"]:
        budget = parse_bytes(options["--budget"])
        fits = largest_batch(summary, budget, dtype, optimizer or None)
        mode = f"training with {optimizer}" if optimizer else "inference"
        text = f"BUDGET {budget:,} bytes ({binary_bytes(budget)}) fits a batch of {fits:,} for {mode} in {dtype}"
        costs["largest_batch"] = (text, fits)
    if options["--convention"]:
        from cnncount.conventions import (
            CONVENTIONS,
            activation_bytes,
            compute_count,
            get_convention,
        )
        from cnncount.render.cost import convention_lines

        _choose("--convention", options["--convention"], tuple(CONVENTIONS))
        convention = get_convention(options["--convention"])
        document = {
            "name": convention.name,
            "activation_bytes": activation_bytes(summary, convention, batch, dtype)
            if convention.memory
            else None,
            "compute": compute_count(summary, convention) if convention.compute else None,
        }
        costs["convention"] = (convention_lines(summary, convention, batch, dtype), document)
    if receptive:
        from cnncount.receptive import receptive_fields
        from cnncount.render.cost import receptive_field_table

        fields = receptive_fields(summary)
        costs["receptive_fields"] = (
            receptive_field_table(fields),
            [field.as_dict() for field in fields],
        )
    return costs


def _choose(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise CnncountError(f"{option} must be one of {', '.join(choices)}, got {value!r}")


def _network(text: str, input_shape: Shape | None) -> Network:
    if text.lower() in MODELS:
        return get_model(text, input_shape)
    tokens = tokenize(text)
    if len(tokens) == 1 and not names_a_layer(tokens[0][0]):
        error = UnknownModelError(text, model_names())
        raise CnncountError(f"{error}, or give a spec such as 'conv3-64 maxpool FC-10'")
    return parse_network(text, input_shape or DEFAULT_INPUT)
