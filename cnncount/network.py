"""A network: an input shape and named layers, each reading the output of earlier ones."""

from __future__ import annotations

from cnncount.errors import CnncountError
from cnncount.layers import Layer
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
    def chain(
        cls, layers: Iterable[Layer], input_shape: Shape, name: str = "network"
    ) -> Network:
        """Return the layers one after another, named by kind and count: conv1, conv2, fc1.

        Examples:
            >>> from cnncount.layers import Linear
            >>> net = Network.chain([Linear(10), Linear(2)], Shape(1, 28, 28), name="mlp")
            >>> [node.name for node in net.nodes], net.name
            (['fc1', 'fc2'], 'mlp')
        """
        counts: dict[str, int] = {}
        nodes = []
        previous = INPUT
        for layer in layers:
            counts[layer.kind] = counts.get(layer.kind, 0) + 1
            node_name = f"{layer.kind}{counts[layer.kind]}"
            nodes.append(Node(name=node_name, layer=layer, inputs=(previous,)))
            previous = node_name
        return cls(name, input_shape, nodes)

    def with_input(self, input_shape: Shape) -> Network:
        """Return the same network fed ``input_shape``.

        Examples:
            >>> from cnncount.layers import ReLU
            >>> Network.chain([ReLU()], Shape(3, 8, 8)).with_input(Shape(1, 4, 4)).input_shape
            Shape(1, 4, 4)
        """
        return Network(self.name, input_shape, self.nodes)
