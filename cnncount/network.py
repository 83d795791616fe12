"""A network: an input shape and named layers, each reading the output of earlier ones.

:class:`Builder` is the short way to write one by hand: layers follow one another unless told
where to read.

Examples:
    A residual block, then a classifier:

    >>> from cnncount import Add, BatchNorm2d, Conv2d, Linear, ReLU, summarize
    >>> net = Builder("block", Shape(64, 56, 56))
    >>> entry = net.last
    >>> net.layer(Conv2d(64, 3, padding=1, bias=False), "conv1")
    'conv1'
    >>> net.layer(BatchNorm2d(), "bn1"), net.layer(ReLU(), "relu1")
    ('bn1', 'relu1')
    >>> net.layer(Conv2d(64, 3, padding=1, bias=False), "conv2"), net.layer(BatchNorm2d(), "bn2")
    ('conv2', 'bn2')
    >>> net.merge(Add(), ["bn2", entry], "add")
    'add'
    >>> net.layer(ReLU(), "relu2"), net.layer(Linear(10))
    ('relu2', 'fc1')
    >>> summarize(net.build()).totals.params
    2081034
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cnncount.errors import CnncountError
from cnncount.layers.base import Layer
from cnncount.shapes import Shape

if TYPE_CHECKING:
    from cnncount.layers.merge import Merge

__all__ = ["INPUT", "Builder", "Network", "Node"]

INPUT = "input"
"""The name by which a node reads the network's input."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """A layer placed in a network under a unique ``name``, reading the nodes in ``inputs``.

    Examples:
        >>> from cnncount.layers import ReLU
        >>> Node(name="relu1", layer=ReLU(), inputs=("conv1",))
        Node(name='relu1', layer=ReLU(), inputs=('conv1',))
    """

    name: str
    layer: Layer
    inputs: tuple[str, ...]


@dataclass(frozen=True, slots=True, init=False)
class Network:
    """An input shape and nodes in order, each reading only the input or nodes before it.

    A chain of layers is the common case: :meth:`chain` names and links them.

    Examples:
        >>> from cnncount.layers import Conv2d, MaxPool2d
        >>> net = Network.chain([Conv2d(64, 3, padding=1), MaxPool2d()], Shape(3, 32, 32))
        >>> [(node.name, node.inputs) for node in net.nodes]
        [('conv1', ('input',)), ('maxpool1', ('conv1',))]
        >>> Network(name="bad", input_shape=Shape(3, 8, 8), nodes=(net.nodes[1],))
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: network 'bad': node 'maxpool1' reads 'conv1', which does not come before it
    """

    name: str
    input_shape: Shape
    nodes: tuple[Node, ...]

    def __init__(self, name: str, input_shape: Shape, nodes: Sequence[Node]) -> None:
        seen = {INPUT}
        for node in nodes:
            if node.name in seen:
                raise CnncountError(f"network {name!r}: two nodes are called {node.name!r}")
            merges = node.layer.category == "merge"
            if merges != (len(node.inputs) > 1):
                needs = "two or more branches" if merges else "exactly one input"
                msg = f"network {name!r}: node {node.name!r} ({node.layer}) reads {len(node.inputs)}; it needs {needs}"
                raise CnncountError(msg)
            for source in node.inputs:
                if source not in seen:
                    msg = (
                        f"network {name!r}: node {node.name!r} reads {source!r}, "
                        "which does not come before it"
                    )
                    raise CnncountError(msg)
            seen.add(node.name)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "input_shape", input_shape)
        object.__setattr__(self, "nodes", tuple(nodes))

    def to_notation(self) -> str:
        """Return the network in the layer notation, which :func:`~cnncount.notation.parse_network`
        reads back to the same layers, shapes and counts; raise a
        :class:`~cnncount.errors.NotationError` naming the first node the notation cannot say.

        The layers' names are lost: the notation has none, and a network read back is named by
        kind and count (``conv1``, ``add2``). So is the input shape, which
        :func:`~cnncount.notation.parse_network` is given apart.

        Examples:
            >>> from cnncount.layers import Conv2d, Linear, MaxPool2d
            >>> net = Network.chain([Conv2d(64, 3, padding=1), MaxPool2d(), Linear(10)], Shape(3, 32, 32))
            >>> print(net.to_notation())
            conv3-64 maxpool
            FC-10
        """
        from cnncount.render.notation import to_notation

        return to_notation(self)

    @classmethod
    def chain(cls, layers: Iterable[Layer], input_shape: Shape, name: str = "network") -> Network:
        """Return the layers one after another, named by kind and count: conv1, conv2, fc1.

        Examples:
            >>> from cnncount.layers import Linear
            >>> net = Network.chain([Linear(10), Linear(2)], Shape(1, 28, 28), name="mlp")
            >>> [node.name for node in net.nodes], net.name
            (['fc1', 'fc2'], 'mlp')
        """
        builder = Builder(name, input_shape)
        builder.chain(list(layers))
        return builder.build()


class Builder:
    """Collect the nodes of a network in order; :meth:`build` checks and returns it.

    Each new node reads the last one added unless given its ``source``; a node without a
    name is called by its kind and count (``conv3``, ``add2``).

    Examples:
        >>> from cnncount import Conv2d, MaxPool2d
        >>> builder = Builder("tiny", Shape(3, 32, 32))
        >>> builder.chain([Conv2d(16, 3, padding=1), MaxPool2d()])
        'maxpool1'
        >>> [node.name for node in builder.build().nodes]
        ['conv1', 'maxpool1']
    """

    def __init__(self, name: str, input_shape: Shape) -> None:
        self.name = name
        self.input_shape = input_shape
        self.last = INPUT
        self._nodes: list[Node] = []
        self._counts: dict[str, int] = {}

    def layer(self, layer: Layer, name: str | None = None, source: str | None = None) -> str:
        """Add ``layer`` reading ``source`` (by default the last node) and return its name.

        Examples:
            >>> from cnncount import ReLU
            >>> builder = Builder("net", Shape(1, 4, 4))
            >>> builder.layer(ReLU()), builder.layer(ReLU(), source="input")
            ('relu1', 'relu2')
        """
        return self._add(layer, name, (source or self.last,))

    def chain(self, layers: list[Layer], prefix: str = "", source: str | None = None) -> str:
        """Add ``layers`` one after another, named ``prefix`` and their kind and count; return the last.

        Examples:
            >>> from cnncount import BatchNorm2d, Conv2d, ReLU
            >>> builder = Builder("net", Shape(3, 8, 8))
            >>> builder.chain([Conv2d(8, 3, padding=1), BatchNorm2d(), ReLU()], prefix="stem.")
            'stem.relu1'
        """
        for layer in layers:
            source = self._add(layer, None, (source or self.last,), prefix)
        return self.last

    def merge(self, merge: Merge, sources: list[str], name: str | None = None) -> str:
        """Add a merge of the branches ending at ``sources`` and return its name.

        Examples:
            >>> from cnncount import Concat, ReLU
            >>> builder = Builder("net", Shape(2, 4, 4))
            >>> left, right = builder.layer(ReLU(), "left"), builder.layer(ReLU(), "right", source="input")
            >>> builder.merge(Concat(), [left, right])
            'concat1'
        """
        return self._add(merge, name, tuple(sources))

    def build(self) -> Network:
        """Return the network, its nodes checked (unique names, each reading earlier nodes).

        Examples:
            >>> from cnncount import ReLU
            >>> builder = Builder("net", Shape(1, 4, 4))
            >>> _ = builder.layer(ReLU())
            >>> builder.build().nodes[0].inputs
            ('input',)
        """
        return Network(self.name, self.input_shape, self._nodes)

    def _add(
        self, layer: Layer, name: str | None, sources: tuple[str, ...], prefix: str = ""
    ) -> str:
        if name is None:
            key = prefix + layer.kind
            self._counts[key] = self._counts.get(key, 0) + 1
            name = f"{key}{self._counts[key]}"
        self._nodes.append(Node(name=name, layer=layer, inputs=sources))
        self.last = name
        return name
