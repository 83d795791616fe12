"""The command line: ``cnncount MODEL|SPEC [--format F] [--input CxHxW] [--batch N] [--dtype D]``.

Bad input prints one line, ``cnncount: error: ...``, on stderr and exits with status 2.
The options are few and fixed, so they are read here by hand: :mod:`argparse` alone would
cost the command half of a bare interpreter's start-up (it imports :mod:`re` and
:mod:`gettext`).
"""

from __future__ import annotations

import sys

from cnncount.errors import CnncountError, UnknownModelError
from cnncount.models import MODELS, get_model, model_names
from cnncount.network import Network
from cnncount.notation import DEFAULT_INPUT, names_a_layer, parse_network, tokenize
from cnncount.render import report, to_csv, to_json, to_markdown
from cnncount.shapes import Shape
from cnncount.summary import summarize
from cnncount.units import BYTES_PER_VALUE

__all__ = ["USAGE", "main", "run"]

FORMATS = ("table", "markdown", "csv", "json")

USAGE = f"""\
usage: cnncount [options] MODEL
       cnncount [options] SPEC...
       cnncount --list

Count the parameters, activations and multiply-accumulates of a convolutional network.

  MODEL              a built-in model (see --list), e.g. vgg16
  SPEC               layers in the VGG paper's notation, e.g. 'conv3-64 maxpool FC-10'

options:
  --format FORMAT    {', '.join(FORMATS)} (default: table)
  --input CxHxW      input shape, channels first (default: {DEFAULT_INPUT})
  --batch N          images per batch, for the memory figures (default: 1)
  --dtype DTYPE      {', '.join(BYTES_PER_VALUE)}: bytes per value (default: float32)
  --list             name the built-in models
  -h, --help         show this help
  --version          show the version
"""

_DEFAULTS = {"--format": "table", "--input": "", "--batch": "1", "--dtype": "float32"}
_CHOICES = {"--format": FORMATS, "--dtype": tuple(BYTES_PER_VALUE)}
_FLAGS = ("-h", "--help", "--list", "--version")


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
        return USAGE
    if "--version" in flags:
        from cnncount import __version__

        return f"cnncount {__version__}\n"
    if "--list" in flags:
        width = max(map(len, MODELS)) + 2
        return "".join(f"{name:<{width}}{description}\n" for name, (description, _) in MODELS.items())
    if not words:
        raise CnncountError("give a model name or a spec; 'cnncount --list' names the models")
    for option, choices in _CHOICES.items():
        if options[option] not in choices:
            msg = f"{option} must be one of {', '.join(choices)}, got {options[option]!r}"
            raise CnncountError(msg)
    batch = options["--batch"]
    if not (batch.isascii() and batch.isdigit() and int(batch) > 0):
        raise CnncountError(f"--batch must be a positive whole number, got {batch!r}")
    input_shape = Shape.parse(options["--input"]) if options["--input"] else DEFAULT_INPUT
    summary = summarize(_network(" ".join(words), input_shape))
    form, dtype = options["--format"], options["--dtype"]
    if form == "json":
        return to_json(summary, int(batch), dtype) + "\n"
    if form == "csv":
        return to_csv(summary)
    if form == "markdown":
        return to_markdown(summary) + "\n"
    return report(summary, int(batch), dtype)


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


def _network(text: str, input_shape: Shape) -> Network:
    if text.lower() in MODELS:
        return get_model(text, input_shape)
    tokens = tokenize(text)
    if len(tokens) == 1 and not names_a_layer(tokens[0][0]):
        error = UnknownModelError(text, model_names())
        raise CnncountError(f"{error}; or give a spec such as 'conv3-64 maxpool FC-10'")
    return parse_network(text, input_shape)
