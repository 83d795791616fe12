"""A network: an input shape and named layers, each reading the output of earlier ones."""

from __future__ import annotations

from cnncount.errors import CnncountError
from cnncount.layers import Layer, Merge
from cnncount.record import Record
from cnncount.shapes import Shape

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without the 3 ms import of typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["INPUT", "Network", "Node"]

INPUT = "input"
"""The name by which a node reads the network's input."""


class Node(Record):
    """A layer placed in a network under a unique ``name``, reading the nodes in ``inputs``.

    Examples:
        >>> from cnncount.layers import ReLU
        >>> Node(name="relu1", layer=ReLU(), inputs=("conv1",))
        Node(name='relu1', layer=ReLU(), inputs=('conv1',))
    """

    __slots__ = ("name", "layer", "inputs")

    name: str
    layer: Layer
    inputs: tuple[str, ...]


class Network(Record):
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

    __slots__ = ("name", "input_shape", "nodes")

    name: str
    input_shape: Shape
    nodes: tuple[Node, ...]

    def __init__(self, name: str, input_shape: Shape, nodes: Sequence[Node]) -> None:
        seen = {INPUT}
        for node in nodes:
            if node.name in seen:
                raise CnncountError(f"network {name!r}: two nodes are called {node.name!r}")
            merges = isinstance(node.layer, Merge)
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
        super().__init__(name=name, input_shape=input_shape, nodes=tuple(nodes))

    @classmethod
    def chain(cls, layers: Iterable[Layer], input_shape: Shape, name: str = "network") -> Network:
        """Return the layers one after another, named by kind and count: conv1, conv2, fc1.

        Examples:
            >>> from cnncount.layers import Linear
            >>> net = Network.chain([Linear(10), Linear(2)], Shape(1, 28, 28), name="mlp")
            >>> [node.name for node in net.nodes], net.name
            (['fc1', 'fc2'], 'mlp')
        """
        from cnncount.builder import Builder  # the builder builds on this module

        builder = Builder(name, input_shape)
        builder.chain(list(layers))
        return builder.build()

    def with_name(self, name: str) -> Network:
        """Return the same network under another name.

        Examples:
            >>> from cnncount.layers import ReLU
            >>> Network.chain([ReLU()], Shape(3, 8, 8)).with_name("tiny").name
            'tiny'
        """
        return Network(name, self.input_shape, self.nodes)
