"""The command line: ``cnncount MODEL|SPEC [--format F] [--input CxHxW] [--batch N] [--dtype D]``.

It reads the arguments into :class:`Options`, computes the summary and the views asked for, and
prints what a renderer returns. Bad input prints one line, ``cnncount: error: ...``, on stderr
and exits with status 2. The options are few and fixed, so they are read here by hand:
``argparse`` alone would cost the command half of a bare interpreter's start-up (it imports
``re`` and ``gettext``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from cnncount.errors import CnncountError, UnknownModelError
from cnncount.models import MODELS, get_model, resolve
from cnncount.network import Network
from cnncount.notation import DEFAULT_INPUT, names_a_layer, parse_network, tokenize
from cnncount.precision import AUTOCAST_TYPES, BYTES_PER_VALUE, DEVICE_TYPES, Batch
from cnncount.shapes import Shape
from cnncount.summary import summarize

__all__ = ["FORMATS", "Options", "main", "read_options", "run", "usage"]

FORMATS = ("table", "markdown", "csv", "json")
"""The output formats of ``--format``."""

_VALUED = {
    "--format": "table",
    "--input": "",
    "--batch": "1",
    "--dtype": "float32",
    "--amp": "",
    "--device": "cuda",
    "--optimizer": "",
    "--accumulate": "1",
    "--checkpoint": "1",
    "--budget": "",
    "--convention": "",
    "--roofline": "",
}
_FLAGS = ("-h", "--help", "--list", "--version", "--receptive-field")


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """The command line's arguments, read and checked.

    ``action`` is ``"help"``, ``"version"``, ``"list"`` or ``"count"``; ``words`` are the model
    name or the spec; options not given are None (``budget`` is in bytes).

    Examples:
        >>> options = read_options(["vgg16", "--batch", "8", "--receptive-field"])
        >>> options.words, options.batch, options.receptive, options.optimizer
        (('vgg16',), Batch(size=8, dtype='float32', autocast=None, device='cuda'), True, None)
    """

    action: str
    words: tuple[str, ...]
    format: str
    input_shape: Shape | None
    batch: Batch
    optimizer: str | None
    accumulation: int
    segments: int
    budget: int | None
    convention: str | None
    receptive: bool
    roofline: str | None


def usage() -> str:
    """Return the help text, every choice of every option listed.

    Examples:
        >>> usage().splitlines()[0]
        'usage: cnncount [options] MODEL'
    """
    from cnncount.conventions import CONVENTIONS
    from cnncount.memory import OPTIMIZER_STATE
    from cnncount.roofline import DEVICES

    optimizers, conventions = list(OPTIMIZER_STATE), list(CONVENTIONS)
    return f"""\
usage: cnncount [options] MODEL
       cnncount [options] SPEC...
       cnncount --list

Count the parameters, activations and multiply-accumulates of a convolutional network.

  MODEL              a built-in model or its torchvision name (see --list), e.g. vgg16
  SPEC               layers in the VGG paper's notation, e.g. 'conv3-64 maxpool FC-10'

options:
  --format FORMAT    {", ".join(FORMATS)} (default: table)
  --input CxHxW      input shape, channels first (default: the model's usual input,
                     {DEFAULT_INPUT} for a spec)
  --batch N          images per batch, for the memory figures (default: 1)
  --dtype DTYPE      {", ".join(BYTES_PER_VALUE)}: bytes per value (default: float32)
  --amp TYPE         {", ".join(AUTOCAST_TYPES)}: mixed precision, as autocast runs a float32 model
  --device KIND      {", ".join(DEVICE_TYPES)}: whose kernels the memory follows (default: cuda)
  --optimizer OPT    {", ".join(optimizers[:6])},
                     {", ".join(optimizers[6:])}: add the training memory, part by part
  --accumulate N     gradients accumulated over N batches before each step (default: 1)
  --checkpoint K     activation checkpointing in K segments (default: 1, none)
  --budget SIZE      the largest batch that fits SIZE (16GiB, 500MB: GiB is 2^30 bytes,
                     GB 10^9), for training with --optimizer, else for inference
  --convention NAME  count as a tool does: {", ".join(conventions[:4])},
                     {", ".join(conventions[4:])}
  --receptive-field  add each layer's receptive field: size, jump, start (input pixels)
  --roofline DEVICE  add each layer's lower bound on time on DEVICE: {", ".join(DEVICES)},
                     or a peak and a bandwidth such as 67TFLOPS,4.8TB/s
  --list             name the built-in models
  -h, --help         show this help
  --version          show the version
"""


def read_options(argv: list[str]) -> Options:
    """Return the options that ``argv`` gives; a malformed argument raises.

    Examples:
        >>> read_options(["--list"]).action
        'list'
        >>> read_options(["vgg16", "--format", "yaml"])
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: --format must be one of table, markdown, csv, json, got 'yaml'
    """
    words, valued, flags = _split(argv)
    action = next((name for flag, name in _ACTIONS if flag in flags), "count")
    if action != "count":
        valued = dict(_VALUED)  # help, version and the list take no other option
    elif not words:
        raise CnncountError("give a model name or a spec; 'cnncount --list' names the models")
    _choose("--format", valued["--format"], FORMATS)
    _choose("--dtype", valued["--dtype"], tuple(BYTES_PER_VALUE))
    _choose("--device", valued["--device"], DEVICE_TYPES)
    if valued["--amp"]:
        _choose("--amp", valued["--amp"], AUTOCAST_TYPES)
    options = Options(
        action=action,
        words=tuple(words),
        format=valued["--format"],
        input_shape=Shape.parse(valued["--input"]) if valued["--input"] else None,
        batch=Batch(
            _count("--batch", valued["--batch"]),
            valued["--dtype"],
            valued["--amp"] or None,
            valued["--device"],
        ),
        optimizer=_chosen_optimizer(valued["--optimizer"]),
        accumulation=_count("--accumulate", valued["--accumulate"]),
        segments=_count("--checkpoint", valued["--checkpoint"]),
        budget=_budget(valued["--budget"]),
        convention=_chosen_convention(valued["--convention"]),
        receptive="--receptive-field" in flags,
        roofline=valued["--roofline"] or None,
    )
    views = (options.optimizer, options.budget, options.convention, options.roofline)
    if options.format == "csv" and (any(view is not None for view in views) or options.receptive):
        raise CnncountError(
            "--optimizer, --budget, --convention, --receptive-field, --roofline "
            "need --format table, markdown or json"
        )
    return options


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
    options = read_options(argv)
    if options.action == "help":
        return usage()
    if options.action == "version":
        from cnncount import __version__

        return f"cnncount {__version__}\n"
    if options.action == "list":
        from cnncount.render.catalogue import model_catalogue

        return model_catalogue(MODELS) + "\n"
    summary = summarize(_network(" ".join(options.words), options.input_shape))
    from cnncount.views import compute_views

    views = compute_views(
        summary,
        options.batch,
        options.optimizer,
        options.budget,
        options.convention,
        options.receptive,
        accumulation=options.accumulation,
        segments=options.segments,
        device=options.roofline,
    )
    if options.format == "table":
        from cnncount.render.report import text_report

        return text_report(summary, views)
    from cnncount.render import tabular

    if options.format == "csv":
        return tabular.to_csv(summary)
    render = tabular.to_json if options.format == "json" else tabular.to_markdown
    return render(summary, views) + "\n"


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


_ACTIONS = (("-h", "help"), ("--help", "help"), ("--version", "version"), ("--list", "list"))


def _split(argv: list[str]) -> tuple[list[str], dict[str, str], set[str]]:
    """Split ``argv`` into the words, the options with a value, and the flags."""
    words: list[str] = []
    valued = dict(_VALUED)
    flags: set[str] = set()
    arguments = iter(argv)
    for argument in arguments:
        name, equals, value = argument.partition("=")
        if argument == "--":
            words.extend(arguments)
        elif argument in _FLAGS:
            flags.add(argument)
        elif name in valued:
            value = value if equals else next(arguments, "")
            if not value:
                raise CnncountError(f"option {name} needs a value")
            valued[name] = value
        elif argument.startswith("-"):
            raise CnncountError(f"unknown option {argument!r}; see 'cnncount --help'")
        else:
            words.append(argument)
    return words, valued, flags


def _count(option: str, text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        raise CnncountError(f"{option} must be a positive whole number, got {text!r}")
    return int(text)


def _choose(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise CnncountError(f"{option} must be one of {', '.join(choices)}, got {value!r}")


def _chosen_optimizer(value: str) -> str | None:
    if not value:
        return None
    from cnncount.memory import OPTIMIZER_STATE

    _choose("--optimizer", value, tuple(OPTIMIZER_STATE))
    return value


def _chosen_convention(value: str) -> str | None:
    if not value:
        return None
    from cnncount.conventions import CONVENTIONS

    _choose("--convention", value, tuple(CONVENTIONS))
    return value


def _budget(value: str) -> int | None:
    if not value:
        return None
    from cnncount.units import parse_bytes

    return parse_bytes(value)


def _network(text: str, input_shape: Shape | None) -> Network:
    name = resolve(text)
    if name is not None:
        return get_model(name, input_shape)
    tokens = tokenize(text)
    if len(tokens) == 1 and not names_a_layer(tokens[0][0]):
        error = UnknownModelError(text, list(MODELS))
        raise CnncountError(f"{error}, or give a spec such as 'conv3-64 maxpool FC-10'")
    return parse_network(text, input_shape or DEFAULT_INPUT)
