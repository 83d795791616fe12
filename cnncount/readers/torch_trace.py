"""Record what a PyTorch module computes, on meta tensors, as cnncount nodes.

The module's forward really runs, on ``torch.device("meta")`` tensors that hold no data, so its
Python control flow and shape arithmetic resolve as they do for a real image. Forward hooks on
every submodule keep the stack of modules running. A *leaf*, a module that
:data:`~cnncount.readers.torch_modules.MODULES` knows by its qualified class name, becomes layers
as a whole and the calls inside it are not looked at. In every other module, each function or
tensor method called on a flowing tensor (one computed from the input) is seen by a
``TorchFunctionMode`` and mapped by :data:`~cnncount.readers.torch_functions.FUNCTIONS`; one
that neither table knows is refused. Every flowing tensor carries a
:class:`~cnncount.readers.flow.Flow`, checked against the tensor's real dimensions.

The module's parameters and buffers are meta tensors of their shapes, substituted for the call
(``torch.func.functional_call``), and found by identity: a tensor computed from them without
the input is a *constant* that remembers their names, so that ``x * self.layer_scale`` can be
mapped onto the layer that counts it. A parameter or buffer that nothing counted is refused,
since cnncount never counts something as zero in silence.

Examples:
    >>> import torch
    >>> from cnncount.readers.torch_functions import FUNCTIONS
    >>> from cnncount.readers.torch_modules import MODULES
    >>> from cnncount.shapes import Shape
    >>> model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU())
    >>> nodes = record(model, Shape(3, 8, 8), "tiny", MODULES, FUNCTIONS)
    >>> [(node.name, str(node.layer)) for node in nodes]
    [('0', 'conv3-8/p0'), ('1', 'relu')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from types import ModuleType
from typing import Any, NoReturn

import torch
from torch.overrides import TorchFunctionMode

from cnncount.errors import LayerError, ReadError
from cnncount.layers import Layer
from cnncount.layers.merge import Merge
from cnncount.network import INPUT, Node
from cnncount.readers.flow import Flow
from cnncount.shapes import Shape

__all__ = [
    "UNCOUNTED",
    "Call",
    "Mapped",
    "Mapping",
    "operator_name",
    "qualified_name",
    "record",
    "unknown_operator",
]

UNCOUNTED = "num_batches_tracked"
"""The buffer that cnncount does not count, batch norm's count of the batches it has seen, one
integer that the running statistics need only in training (the tests leave it out of torch's
figure too)."""


@dataclass(frozen=True, slots=True)
class Mapped:
    """What a mapping makes of one output: ``layers`` in a chain (none: the output is its input,
    moved or viewed), and the output's layout (None: the input's, or ``NC`` for a vector).

    Examples:
        >>> from cnncount.layers import ReLU
        >>> Mapped((ReLU(),)).layout is None, Mapped(layout="NHWC").layers
        (True, ())
    """

    layers: tuple[Layer, ...] = ()
    layout: str | None = None
    groups: int = 1


@dataclass(frozen=True, slots=True)
class Call:
    """One call that a mapping turns into layers: a leaf module's, or a function's.

    ``operator`` is the leaf's qualified class name or the function's :func:`operator_name`;
    ``module`` is the leaf, or the module whose code made the call; ``flows`` are the flowing
    tensors among the arguments, in order; ``constant_tensors`` the other tensors, and
    ``constants`` the names of the parameters and buffers those are or were computed from.

    Examples:
        >>> call = _example_call()
        >>> call.operator, call.flows[0].shape, call.argument(1, "dim", 0)
        ('torch.flatten', Shape(8, 2, 2), 1)
        >>> str(call.refuse("a reason"))
        "tiny: module 'head' (Sequential): a reason"
    """

    where: str
    operator: str
    module: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    flows: tuple[Flow, ...]
    constants: tuple[str, ...]
    constant_tensors: tuple[Any, ...]
    output: Any

    def argument(self, index: int, name: str, default: Any = None) -> Any:
        """Return the argument at position ``index`` or called ``name``, else ``default``.

        Examples:
            >>> _example_call().argument(2, "end_dim", -1)
            -1
        """
        if index < len(self.args):
            return self.args[index]
        return self.kwargs.get(name, default)

    def output_dims(self) -> list[int]:
        """Return the dimensions, after the batch, of the call's one output.

        Examples:
            >>> _example_call().output_dims()
            [32]
        """
        return [int(size) for size in self.output.shape[1:]]

    def source(self, *layouts: str) -> Flow:
        """Return the first flowing input, refusing the call where its layout is not one of
        ``layouts``.

        Examples:
            >>> _example_call().source("NHWC")
            Traceback (most recent call last):
            ...
            cnncount.errors.ReadError: tiny: module 'head' (Sequential): cnncount reads torch.flatten on a tensor laid out NHWC, not NCHW
        """
        flow = self.flows[0]
        if flow.layout not in layouts:
            shown = " or ".join(layouts)
            raise self.refuse(
                f"cnncount reads {self.operator} on a tensor laid out {shown}, not {flow.layout}"
            )
        return flow

    def refuse(self, reason: str) -> ReadError:
        """Return the error that refuses the call for ``reason``, in one line.

        Examples:
            >>> str(_example_call().refuse("cnncount cannot count it"))
            "tiny: module 'head' (Sequential): cnncount cannot count it"
        """
        return ReadError(f"{self.where}: {reason}")


Mapping = Callable[[Call], "Mapped | tuple[Mapped, ...]"]
"""A table's entry, which returns the layers of a call, one :class:`Mapped` per output tensor (a
tuple where the call returns several, as ``chunk`` does)."""


def record(
    module: Any,
    input_shape: Shape,
    name: str,
    modules: dict[str, Mapping],
    functions: dict[str, Mapping],
) -> list[Node]:
    """Return the nodes of ``module`` run on a meta image of ``input_shape``, in eval mode and
    without a gradient, its parameters and buffers replaced by meta tensors for the call; the
    module is left as it was. ``modules`` maps the leaf modules, ``functions`` the functions
    (:mod:`cnncount.readers.torch_modules`, :mod:`cnncount.readers.torch_functions`).

    Examples:
        >>> import torch
        >>> from cnncount.readers.torch_functions import FUNCTIONS
        >>> from cnncount.readers.torch_modules import MODULES
        >>> from cnncount.shapes import Shape
        >>> record(torch.nn.Conv2d(3, 8, 5), Shape(3, 2, 2), "tiny", MODULES, FUNCTIONS)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: tiny: the model (Conv2d): rejects an input of 3x2x2: ...
    """
    recorder = _Recorder(module, input_shape, name, modules, functions)
    training = {submodule: submodule.training for submodule in module.modules()}
    handles = recorder.hook()
    try:
        module.eval()
        recorder.run()
    finally:
        for handle in handles:
            handle.remove()
        for submodule, mode in training.items():
            submodule.train(mode)
    return recorder.nodes


def qualified_name(kind: type) -> str:
    """Return the module and name of a class, as the modules' table keys it.

    Examples:
        >>> import torch
        >>> qualified_name(torch.nn.Conv2d)
        'torch.nn.modules.conv.Conv2d'
    """
    return f"{kind.__module__}.{kind.__qualname__}"


def operator_name(function: Any) -> str:
    """Return the name by which the functions' table knows ``function``: ``Tensor.`` and the
    method's name, ``torch.`` and the function's, or its module and name.

    Examples:
        >>> import torch
        >>> operator_name(torch.Tensor.add), operator_name(torch.cat), operator_name(torch.nn.functional.linear)
        ('Tensor.add', 'torch.cat', 'torch.nn.functional.linear')
        >>> operator_name(torch.nn.functional.max_pool2d), operator_name(torch.Tensor.shape.__get__)
        ('torch.nn.functional.max_pool2d', 'Tensor.shape.__get__')
    """
    owner: Any = getattr(function, "__self__", None)
    if hasattr(owner, "__objclass__"):  # a property's getter: Tensor.shape.__get__
        return f"Tensor.{owner.__name__}.{function.__name__}"
    module = (
        owner.__name__ if isinstance(owner, ModuleType) else getattr(function, "__module__", None)
    )
    if module is None or function.__qualname__.startswith("TensorBase."):
        return f"Tensor.{function.__name__}"
    module = {"torch._C._nn": "torch.nn.functional", "torch._C": "torch"}.get(module, module)
    return f"{module}.{function.__name__}"


class _Recorder:
    """The state of one recording: the flows, the constants, the modules running, the nodes."""

    def __init__(
        self,
        root: Any,
        input_shape: Shape,
        name: str,
        modules: dict[str, Mapping],
        functions: dict[str, Mapping],
    ) -> None:
        self.leaves = modules
        self.functions = functions
        self.root = root
        self.name = name
        self.input_shape = input_shape
        self.paths = {id(module): path for path, module in root.named_modules()}
        self.substitutes = {
            key: torch.empty_like(value, device="meta")
            for key, value in [*root.named_parameters(), *root.named_buffers()]
        }
        self.constants: dict[int, tuple[Any, frozenset[str]]] = {
            id(tensor): (tensor, frozenset({key})) for key, tensor in self.substitutes.items()
        }
        self.flows: dict[int, tuple[Any, Flow]] = {}
        self.stack: list[Any] = []
        self.leaf_depth = 0
        self.used: set[str] = set()
        self.nodes: list[Node] = []
        self.names = {INPUT}
        self.shapes = {INPUT: input_shape}

    def hook(self) -> list[Any]:
        """Hook every module; return the handles that remove the hooks."""
        handles = []
        for module in self.root.modules():
            handles.append(module.register_forward_pre_hook(self.enter, with_kwargs=True))
            handles.append(module.register_forward_hook(self.leave, with_kwargs=True))
        return handles

    def run(self) -> None:
        """Run the root on a meta image of batch 1 and check what it leaves uncounted."""
        shape = self.input_shape
        floats = [value.dtype for value in self.substitutes.values() if value.is_floating_point()]
        dtype = floats[0] if floats else torch.float32  # a model made half: an image of halves
        image = torch.empty(
            1, shape.channels, shape.height, shape.width, dtype=dtype, device="meta"
        )
        self.flows[id(image)] = (image, Flow(INPUT, shape, "NCHW"))
        try:
            with torch.device("meta"), torch.no_grad(), _Mode(self):
                output = torch.func.functional_call(self.root, self.substitutes, (image,))
        except (RuntimeError, ValueError, TypeError, IndexError, AssertionError) as error:
            if isinstance(error, ReadError):
                raise
            reason = (
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
            shown = f"{shape.channels}x{shape.height}x{shape.width}"
            failing = self.stack[-1] if self.stack else self.root  # the module torch stopped in
            msg = f"{self.where(failing)}: rejects an input of {shown}: {reason}"
            raise ReadError(msg) from None
        if not isinstance(output, torch.Tensor) or id(output) not in self.flows:
            raise ReadError(
                f"{self.where(self.root)}: returns {type(output).__name__}, where cnncount reads a tensor computed from the input"
            )
        self.check_unused()

    # -- the hooks and the mode -------------------------------------------------------------

    def enter(self, module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Push ``module``; count the depth of leaves, inside which nothing is looked at."""
        self.stack.append(module)
        if self.leaf_depth or qualified_name(type(module)) in self.leaves:
            self.leaf_depth += 1

    def leave(
        self, module: Any, args: tuple[Any, ...], kwargs: dict[str, Any], output: Any
    ) -> None:
        """Pop ``module``; map it where it is the outermost leaf."""
        self.stack.pop()
        if not self.leaf_depth:
            return
        self.leaf_depth -= 1
        if self.leaf_depth:
            return
        operator = qualified_name(type(module))
        call = self.call(module, operator, args, kwargs, output, self.where(module))
        if not call.flows:
            raise call.refuse(
                "cnncount counts layers on values computed from the network's input, "
                "and this one's input is computed from constants alone"
            )
        path = self.paths.get(id(module), "")
        mine = self.keys(path)
        if mine & self.used:
            raise call.refuse(
                "it runs a second time; cnncount would count its parameters at each run"
            )
        self.used.update(mine)
        mapped = _mapped(self.leaves[operator], call)
        self.place(call, mapped, path or self.name, leaf=True, held=mine)

    def function(
        self, function: Any, args: tuple[Any, ...], kwargs: dict[str, Any], output: Any
    ) -> None:
        """Map a function or tensor method that ran outside every leaf; a tensor computed from
        parameters or buffers alone is a constant that remembers their names."""
        tensors = list(_tensors((args, kwargs)))
        outputs = list(_tensors(output))
        if not any(id(tensor) in self.flows for tensor in tensors):
            names = self.names_in(tensors)
            for tensor in outputs if names else ():
                self.constants[id(tensor)] = (tensor, names)
            return
        if not outputs:  # a question about the tensor: its shape, size or rank
            return
        module = self.stack[-1]
        operator = operator_name(function)
        call = self.call(module, operator, args, kwargs, output, self.where(module))
        mapping = self.functions.get(operator)
        if mapping is None:
            unknown_operator(call)
        twice = sorted(set(call.constants) & self.used)
        if twice:
            raise call.refuse(
                f"it uses {twice[0]!r} a second time; cnncount would count it at each use"
            )
        self.used.update(call.constants)
        path = self.paths.get(id(module), "")
        self.place(call, _mapped(mapping, call), path, leaf=False, held=set(call.constants))

    def names_in(self, tensors: list[Any]) -> frozenset[str]:
        """Return the names of the parameters and buffers that ``tensors`` are or come from."""
        found = (
            self.constants[id(tensor)][1] for tensor in tensors if id(tensor) in self.constants
        )
        return frozenset().union(*found)

    # -- placing layers ---------------------------------------------------------------------

    def call(
        self, module: Any, operator: str, args: Any, kwargs: Any, output: Any, where: str
    ) -> Call:
        """Return the call of ``operator`` by ``module``, its flows and constants found."""
        tensors = list(_tensors((args, kwargs)))
        return Call(
            where=where,
            operator=operator,
            module=module,
            args=tuple(args),
            kwargs=dict(kwargs),
            flows=tuple(self.flows[id(t)][1] for t in tensors if id(t) in self.flows),
            constants=tuple(sorted(self.names_in(tensors))),
            constant_tensors=tuple(t for t in tensors if id(t) not in self.flows),
            output=output,
        )

    def place(
        self,
        call: Call,
        mapped: Mapped | tuple[Mapped, ...],
        path: str,
        *,
        leaf: bool,
        held: AbstractSet[str],
    ) -> None:
        """Add the layers of ``mapped`` for each output of ``call``, and each output's flow; a
        leaf's layers are named by its path, a function's by the path and the layer's kind. The
        layers must count the parameters and buffers ``held`` (their names), no more, no less."""
        first = len(self.nodes)
        outputs = list(_tensors(call.output))
        results = mapped if isinstance(mapped, tuple) else (mapped,)
        if len(results) != len(outputs):
            raise call.refuse(
                f"it returns {len(outputs)} tensors where cnncount maps {len(results)}"
            )
        for tensor, result in zip(outputs, results):
            flow = self.chain(call, result, path, leaf=leaf, rank=len(tensor.shape))
            made = [int(size) for size in tensor.shape]
            if made[:1] != [1] or made[1:] != flow.dims():
                shown = "x".join(map(str, flow.dims()))
                raise call.refuse(
                    f"cnncount makes its output {shown} ({flow.layout}) where torch makes {'x'.join(map(str, made[1:]))}"
                )
            self.flows[id(tensor)] = (tensor, flow)
        counted = sum(self.counts(node) for node in self.nodes[first:])
        holds = sum(self.substitutes[key].numel() for key in held if not key.endswith(UNCOUNTED))
        if counted != holds:
            unregistered = (
                "; a module kept in a plain list or dict is not the model's: nn.ModuleList and "
                "nn.ModuleDict register it"
                if not held
                else ""
            )
            raise call.refuse(
                f"cnncount's layers count {counted:,} parameters and buffers where the tensors it uses hold {holds:,}{unregistered}"
            )

    def counts(self, node: Node) -> int:
        """Return the parameters and buffers that ``node``'s layer counts on its first input."""
        shape = self.shapes[node.inputs[0]]
        return node.layer.params(shape) + node.layer.buffers(shape)

    def chain(self, call: Call, mapped: Mapped, path: str, *, leaf: bool, rank: int) -> Flow:
        """Add ``mapped``'s layers one after the other, the first reading every flow of ``call``;
        return the last one's flow, of an output tensor of ``rank`` axes."""
        sources = list(call.flows)
        layout = mapped.layout or ("NC" if rank == 2 else sources[0].layout)
        if not mapped.layers:
            return Flow(sources[0].node, sources[0].shape, layout, mapped.groups)
        if not isinstance(mapped.layers[0], Merge):  # self-attention reads x as q, k and v
            sources = sources[:1]
        for layer in mapped.layers:
            try:
                shape = layer.output_shape_of(
                    [flow.shape for flow in sources], [flow.node for flow in sources]
                )
            except LayerError as error:
                raise call.refuse(str(error)) from None
            name = self.unique(path if leaf else ".".join(filter(None, (path, layer.kind))))
            self.nodes.append(Node(name=name, layer=layer, inputs=tuple(f.node for f in sources)))
            self.shapes[name] = shape
            sources = [Flow(name, shape, layout, mapped.groups)]
        return sources[0]

    def unique(self, name: str) -> str:
        """Return ``name``, numbered ``#2``, ``#3`` where it is taken."""
        unique, count = name, 1
        while unique in self.names:
            count += 1
            unique = f"{name}#{count}"
        self.names.add(unique)
        return unique

    # -- where and what is left -------------------------------------------------------------

    def where(self, module: Any) -> str:
        """Return how an error names ``module``: the model, the module's path and its class."""
        kind = type(module).__name__
        path = self.paths.get(id(module), "")
        return (
            f"{self.name}: module {path!r} ({kind})" if path else f"{self.name}: the model ({kind})"
        )

    def check_unused(self) -> None:
        """Refuse the outermost module whose parameters and buffers the forward never used."""
        unused = [k for k in self.substitutes if k not in self.used and not k.endswith(UNCOUNTED)]
        if not unused:
            return
        path = unused[0].rsplit(".", 1)[0] if "." in unused[0] else ""
        while "." in path and not self.keys(path.rsplit(".", 1)[0]) & self.used:
            path = path.rsplit(".", 1)[0]
        count = sum(self.substitutes[key].numel() for key in self.keys(path))
        raise ReadError(
            f"{self.where(self.root.get_submodule(path))}: the forward pass never uses its "
            f"{count:,} parameters and buffers, so cnncount cannot place them; build the model "
            "without it (an auxiliary head: torchvision's GoogLeNet and Inception-v3 with "
            "aux_logits=False, as their weights are built)"
        )

    def keys(self, path: str) -> set[str]:
        """Return the names of the parameters and buffers of the module at ``path``."""
        return {key for key in self.substitutes if not path or key.startswith(f"{path}.")}


class _Mode(TorchFunctionMode):  # type: ignore[misc, unused-ignore]
    """Hand each function that runs outside a leaf to the recorder, after running it."""

    def __init__(self, recorder: _Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def __torch_function__(
        self, function: Any, types: Any, args: tuple[Any, ...] = (), kwargs: Any = None
    ) -> Any:
        kwargs = kwargs or {}
        if function in (torch.Tensor.to, torch.Tensor.cpu, torch.Tensor.cuda):
            function, args, kwargs = _kept_on_meta(function, args, kwargs)
        output = function(*args, **kwargs)
        if not self.recorder.leaf_depth:
            self.recorder.function(function, args, kwargs, output)
        return output


def unknown_operator(call: Call) -> NoReturn:
    """Refuse ``call``, whose operator no entry of the tables maps.

    Examples:
        >>> unknown_operator(_example_call())
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: tiny: module 'head' (Sequential): cnncount cannot count torch.flatten
    """
    raise call.refuse(f"cnncount cannot count {call.operator}")


def _kept_on_meta(
    function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
    """Return ``x.to(...)``, ``x.cpu()`` or ``x.cuda()`` of a meta tensor as a ``to`` that keeps
    it on the meta device, its dtype unchanged (a forward's ``x.to(device)``).

    Examples:
        >>> x = torch.empty(2, device="meta")
        >>> function, args, kwargs = _kept_on_meta(torch.Tensor.to, (x, "cpu", torch.float16), {})
        >>> function(*args, **kwargs).device, function(*args, **kwargs).dtype
        (device(type='meta'), torch.float16)
        >>> _kept_on_meta(torch.Tensor.cuda, (x, 0), {"non_blocking": True})[1:]
        ((tensor(..., device='meta', size=(2,)),), {})
    """
    tensor = args[0]
    if not (isinstance(tensor, torch.Tensor) and tensor.is_meta):
        return function, args, kwargs
    if function is not torch.Tensor.to:
        return torch.Tensor.to, (tensor,), {}
    moved = tuple(_meta_device(value) for value in args[1:])
    return (
        function,
        (tensor, *moved),
        {k: _meta_device(v) if k == "device" else v for k, v in kwargs.items()},
    )


def _meta_device(value: Any) -> Any:
    """Return "meta" for a device (a name, a ``torch.device`` or an index), else ``value``."""
    device = isinstance(value, (str, torch.device, int)) and not isinstance(value, bool)
    return "meta" if device else value


def _mapped(mapping: Mapping, call: Call) -> Mapped | tuple[Mapped, ...]:
    """Return what ``mapping`` makes of ``call``, a layer's own refusal given as the call's."""
    try:
        return mapping(call)
    except LayerError as error:
        raise call.refuse(str(error)) from None


def _tensors(value: Any) -> Iterator[Any]:
    """Yield the tensors in ``value``, looking into tuples, lists and dicts."""
    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _tensors(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _tensors(item)


def _example_call() -> Call:
    """Return a call of ``torch.flatten(x, 1)`` by a module ``head`` of a model ``tiny``, for
    the examples of :class:`Call`.

    Examples:
        >>> _example_call().constants
        ()
    """
    tensor = torch.empty(1, 8, 2, 2, device="meta")
    return Call(
        where="tiny: module 'head' (Sequential)",
        operator="torch.flatten",
        module=torch.nn.Sequential(),
        args=(tensor, 1),
        kwargs={},
        flows=(Flow("conv", Shape(8, 2, 2), "NCHW"),),
        constants=(),
        constant_tensors=(),
        output=torch.flatten(tensor, 1),
    )
