"""The command line: ``cnncount MODEL|SPEC [options]``, read with the standard library's argparse.

It reads the arguments into :class:`Options`, computes the summary and the views asked for, and
prints what a renderer returns. Long options take an unambiguous prefix (``--form json``) and
``--option=value``; the common ones have a short form (``-f json -b 8``). Bad input, argparse's
own complaints included, prints one line, ``cnncount: error: ...``, on stderr and exits with
status 2.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from cnncount.errors import CnncountError, LayerError, UnknownModelError
from cnncount.models import MODELS, get_model, resolve
from cnncount.notation import DEFAULT_INPUT, names_a_layer, parse_network, tokenize
from cnncount.precision import AUTOCAST_TYPES, BYTES_PER_VALUE, DEVICE_TYPES, Batch
from cnncount.readers import is_callable_reference, is_model_file
from cnncount.shapes import Shape
from cnncount.summary import Summary, summarize

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import NoReturn

    from cnncount.network import Network

__all__ = ["FORMATS", "Options", "channels_first", "main", "read_options", "run", "usage"]

FORMATS = ("table", "markdown", "csv", "json", "notation")
"""The output formats of ``--format``."""


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
    """Return the help text: the options in groups, every choice of every option listed.

    Examples:
        >>> lines = usage().splitlines()
        >>> lines[0]
        'usage: cnncount [options] MODEL'
        >>> [line for line in lines if line and not line.startswith(" ") and line.endswith(":")]
        ['options:', 'model:', 'batch and precision:', 'training:', 'views:', 'output:']
    """
    return _parser().format_help()


def read_options(argv: list[str]) -> Options:
    """Return the options that ``argv`` gives; a malformed argument raises.

    Examples:
        >>> read_options(["--list"]).action
        'list'
        >>> options = read_options(["vgg16", "--form", "json", "-b", "8", "--dtype=float16"])
        >>> options.format, options.batch.size, options.batch.dtype
        ('json', 8, 'float16')
        >>> read_options(["vgg16", "--format", "yaml"])
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: --format must be one of table, markdown, csv, json, notation, got 'yaml'
        >>> read_options(["vgg16", "--c", "4"])
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: ambiguous option: --c could match --checkpoint, --convention
        >>> read_options(["vgg16", "--input=--"])
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: option --input needs a value, got '--'
        >>> read_options(["-linear-16"])
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: unknown option '-linear-16'; cnncount reads -l alone, and a spec does not start with '-'
    """
    parser = _parser()
    _refuse_joined_flags(parser, argv)
    given, unknown = parser.parse_known_intermixed_args(argv)
    if unknown:
        raise CnncountError(f"unknown option {unknown[0]!r}; see 'cnncount --help'")
    for name, value in vars(given).items():  # argparse reads a value of '--' as no value: []
        if name != "words" and isinstance(value, list):
            raise CnncountError(f"option --{name.replace('_', '-')} needs a value, got '--'")
    action = next((name for name in ("help", "version", "list") if getattr(given, name)), "count")
    if action != "count":  # help, version and the list take no other option
        given = parser.parse_args([])
    elif not given.words:
        raise CnncountError("give a model name or a spec; 'cnncount --list' names the models")
    _choose("--format", given.format, FORMATS)
    _choose("--dtype", given.dtype, tuple(BYTES_PER_VALUE))
    _choose("--device", given.device, DEVICE_TYPES)
    if given.amp is not None:
        _choose("--amp", given.amp, AUTOCAST_TYPES)
    options = Options(
        action=action,
        words=tuple(given.words),
        format=given.format,
        input_shape=None if given.input is None else Shape.parse(given.input),
        batch=Batch(_count("--batch", given.batch), given.dtype, given.amp, given.device),
        optimizer=_chosen_optimizer(given.optimizer),
        accumulation=_count("--accumulate", given.accumulate),
        segments=_count("--checkpoint", given.checkpoint),
        budget=_budget(given.budget),
        convention=_chosen_convention(given.convention),
        receptive=given.receptive_field,
        roofline=given.roofline,
    )
    views = (options.optimizer, options.budget, options.convention, options.roofline)
    if options.format in ("csv", "notation") and (
        any(view is not None for view in views) or options.receptive
    ):
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
        >>> print(run(["conv3-64", "maxpool", "-i", "3x32x32", "-f", "csv"]), end="")
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
    network = _network(options.words, options.input_shape)
    summary = _summary(network, options.words, options.input_shape)
    if options.format == "notation":
        return network.to_notation() + "\n"
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


def channels_first(shape: Shape, channels: int) -> Shape | None:
    """Return ``shape`` read channels first if it reads as height x width x channels, else None.

    A shape reads so for a network whose first layer takes ``channels`` when its last size is
    ``channels`` and its first is not: ``224x224x3`` for an RGB network, the order of the CS231n
    notes. A network read from any source can be checked so, given the channels it declares.

    Examples:
        >>> channels_first(Shape(224, 224, 3), 3)
        Shape(3, 224, 224)
        >>> print(channels_first(Shape(3, 224, 224), 3), channels_first(Shape(224, 224, 1), 3))
        None None
    """
    if shape.width == channels and shape.channels != channels:
        return Shape(shape.width, shape.channels, shape.height)
    return None


def _refuse_joined_flags(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """Refuse a word that starts with a short option taking no value, such as ``-l``: argparse
    would read ``-linear-16`` as ``-l -i near-16``, and list the models."""
    flags = {
        option
        for action in parser._actions  # argparse keeps its options nowhere public
        if action.nargs == 0
        for option in action.option_strings
        if len(option) == 2
    }
    for word in argv:
        if word == "--":
            return
        if word[:2] in flags and len(word) > 2 and not word.startswith("--"):
            raise CnncountError(
                f"unknown option {word!r}; cnncount reads {word[:2]} alone, and a spec does not "
                "start with '-'"
            )


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose complaints raise :class:`CnncountError` instead of exiting, on one
    line: a control character that the user typed in an option shows escaped.

    Examples:
        >>> _Parser(prog="cnncount").error("ambiguous option: --b=\\n could match --batch")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: ambiguous option: --b=\\n could match --batch
    """

    def error(self, message: str) -> NoReturn:
        raise CnncountError(
            "".join(char if char.isprintable() else repr(char)[1:-1] for char in message)
        )


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, as wide wherever it is printed, so that it never depends on the terminal."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=28, width=100)

    def _get_help_string(self, action: argparse.Action) -> str:
        """Name the choices of an option whose table lives in a view's module, imported only for the help."""
        text = action.help or ""
        if action.dest in _LISTED:
            module, table = _LISTED[action.dest]
            text = text.replace("{choices}", _or(getattr(import_module(module), table)))
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        """Wrap at spaces only, so that a choice such as ``laptop-cpu`` stays whole."""
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in self._split_lines(text, width - len(indent)))

    def _format_action_invocation(self, action: argparse.Action) -> str:
        """Write an option with a value once, ``-f, --format FORMAT``, not ``-f FORMAT, --format FORMAT``."""
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        value = self._format_args(action, self._get_default_metavar_for_optional(action))
        return f"{', '.join(action.option_strings)} {value}"


def _parser() -> argparse.ArgumentParser:
    """Return the parser of the command line, its options grouped, every choice in its help."""
    parser = _Parser(
        prog="cnncount",
        usage="cnncount [options] MODEL\n       cnncount [options] SPEC...\n       cnncount --list",
        description=(
            "Count the parameters, activations and multiply-accumulates of a convolutional "
            "network. A long option may be shortened to any prefix that names it alone."
        ),
        add_help=False,
        allow_abbrev=True,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("-h", "--help", action="store_true", help="show this help")
    parser.add_argument("-V", "--version", action="store_true", help="show the version")

    model = parser.add_argument_group(
        "model",
        "MODEL is a built-in model or its torchvision name, e.g. vgg16, a model file "
        "(.onnx, .keras, or Keras's .json), or PACKAGE.MODULE:CALLABLE, your own Python that "
        "returns a PyTorch module, e.g. torchvision.models:resnet50 (the one form that runs "
        "code); SPEC is layers in the VGG paper's notation, e.g. 'conv3-64 maxpool FC-10', "
        "quoted or as separate words",
    )
    model.add_argument("words", nargs="*", metavar="MODEL or SPEC", help="what to count")
    model.add_argument(
        "-i",
        "--input",
        metavar="CxHxW",
        help=f"input shape, channels first (default: the model's usual input, {DEFAULT_INPUT} for a spec)",
    )
    model.add_argument("-l", "--list", action="store_true", help="name the built-in models")

    batch = parser.add_argument_group("batch and precision")
    batch.add_argument(
        "-b",
        "--batch",
        default="1",
        metavar="N",
        help="images per batch, for the memory figures (default: %(default)s)",
    )
    batch.add_argument(
        "-d",
        "--dtype",
        default="float32",
        metavar="DTYPE",
        help=f"{_or(BYTES_PER_VALUE)}: bytes per value (default: %(default)s)",
    )
    batch.add_argument(
        "--amp",
        metavar="TYPE",
        help=f"{_or(AUTOCAST_TYPES)}: mixed precision, as autocast runs a float32 model",
    )
    batch.add_argument(
        "--device",
        default="cuda",
        metavar="KIND",
        help=f"{_or(DEVICE_TYPES)}: whose kernels the memory follows (default: %(default)s)",
    )

    training = parser.add_argument_group("training")
    training.add_argument(
        "--optimizer",
        metavar="OPT",
        help="{choices}: add the training memory, part by part",
    )
    training.add_argument(
        "--accumulate",
        default="1",
        metavar="N",
        help="gradients accumulated over N batches before each step (default: %(default)s)",
    )
    training.add_argument(
        "--checkpoint",
        default="1",
        metavar="K",
        help="activation checkpointing in K segments (default: %(default)s, none)",
    )
    training.add_argument(
        "--budget",
        metavar="SIZE",
        help=(
            "the largest batch that fits SIZE (16GiB, 500MB: GiB is 2^30 bytes, GB 10^9), "
            "for training with --optimizer, else for inference"
        ),
    )

    views = parser.add_argument_group("views")
    views.add_argument("--convention", metavar="NAME", help="count as a tool does: {choices}")
    views.add_argument(
        "--receptive-field",
        action="store_true",
        help="add each layer's receptive field: size, jump, start (input pixels)",
    )
    views.add_argument(
        "--roofline",
        metavar="DEVICE",
        help=(
            "add each layer's lower bound on time on DEVICE: {choices}, "
            "or a peak and a bandwidth such as 67TFLOPS,4.8TB/s"
        ),
    )

    output = parser.add_argument_group("output")
    output.add_argument(
        "-f",
        "--format",
        default="table",
        metavar="FORMAT",
        help=f"{_or(FORMATS)} (default: %(default)s)",
    )
    return parser


_LISTED = {
    "optimizer": ("cnncount.memory", "OPTIMIZER_STATE"),
    "convention": ("cnncount.conventions", "CONVENTIONS"),
    "roofline": ("cnncount.roofline", "DEVICES"),
}
"""Each option whose help lists a table's keys, with the module and the name of that table."""


def _or(choices: Iterable[str]) -> str:
    """Return the choices, written as a list that ends with "or"."""
    names = list(choices)
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def _count(option: str, text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        raise CnncountError(f"{option} must be a positive whole number, got {text!r}")
    return int(text)


def _choose(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise CnncountError(f"{option} must be one of {', '.join(choices)}, got {value!r}")


def _chosen_optimizer(value: str | None) -> str | None:
    if value is None:
        return None
    from cnncount.memory import OPTIMIZER_STATE

    _choose("--optimizer", value, tuple(OPTIMIZER_STATE))
    return value


def _chosen_convention(value: str | None) -> str | None:
    if value is None:
        return None
    from cnncount.conventions import CONVENTIONS

    _choose("--convention", value, tuple(CONVENTIONS))
    return value


def _budget(value: str | None) -> int | None:
    if value is None:
        return None
    from cnncount.units import parse_bytes

    return parse_bytes(value)


def _network(words: tuple[str, ...], input_shape: Shape | None) -> Network:
    """Return the network that ``words`` name or write, fed ``input_shape`` (if given).

    A model's input is checked against the channels it takes before the network is built.
    """
    text = " ".join(words)
    if len(words) == 1 and is_model_file(text):
        return _read_file(text, input_shape)
    if len(words) == 1 and is_callable_reference(text):
        from cnncount.readers.torch import read_callable

        return read_callable(text, input_shape)
    name = resolve(text)
    if name is not None:
        if input_shape is not None:
            _refuse_channels_last(input_shape, MODELS[name].input_shape.channels, name)
        return get_model(name, input_shape)
    tokens = tokenize(text)
    if len(tokens) == 1 and not names_a_layer(tokens[0][0]):
        error = UnknownModelError(text, list(MODELS))
        raise CnncountError(f"{error}, or give a spec such as 'conv3-64 maxpool FC-10'")
    return parse_network(text, DEFAULT_INPUT if input_shape is None else input_shape)


def _summary(network: Network, words: tuple[str, ...], input_shape: Shape | None) -> Summary:
    """Return the summary of ``network``, which ``words`` name or write, fed ``input_shape``.

    A spec takes any channels, so an input that reads as height x width x channels is pointed
    out only if the walk fails.
    """
    try:
        return summarize(network)
    except LayerError as error:
        text = " ".join(words)
        spec = not (len(words) == 1 and is_model_file(text)) and resolve(text) is None
        suggested = (
            None if input_shape is None else channels_first(input_shape, DEFAULT_INPUT.channels)
        )
        if not spec or suggested is None:
            raise
        msg = f"{error} (if {input_shape} is height x width x channels, give --input {suggested})"
        raise CnncountError(msg) from None


def _read_file(path: str, input_shape: Shape | None) -> Network:
    """Return the network a model file holds; an ``--input`` that reads as height x width x
    channels for it is refused with the shape it should be."""
    from cnncount.readers import read_model

    if input_shape is None:
        return read_model(path)
    try:
        return read_model(path, input_shape)
    except CnncountError as error:
        try:
            declared = read_model(path).input_shape  # the input the file itself gives
        except CnncountError:
            raise error from None
        suggested = channels_first(input_shape, declared.channels)
        if suggested is not None:
            hint = f"if {input_shape} is height x width x channels, give --input {suggested}"
        else:
            hint = f"the file reads with its own input, {declared}"
        raise CnncountError(f"{error} ({hint})") from None


def _refuse_channels_last(shape: Shape, channels: int, model: str) -> None:
    """Raise if ``shape`` reads as height x width x channels for ``model``, which takes ``channels``."""
    suggested = channels_first(shape, channels)
    if suggested is not None:
        msg = (
            f"--input {shape} reads as height x width x channels; cnncount writes the channels "
            f"first, and {model} takes {channels}: give --input {suggested}"
        )
        raise CnncountError(msg)
