"""Write a network back in the layer notation, where the notation can say it.

Each layer is written as its token, its ``str``; branches are written as the groups
``( A | B )add`` that :func:`~cnncount.notation.parse_network` reads. Names are lost: the
notation has none, so a network read back names its layers by kind and count (``conv1``).

A network is sayable when each layer's token reads back as the same layer, and its graph is a
chain of layers and groups: where a node's output is read more than once, a group opens there,
its branches run one after another and one merge closes it, reading each branch's end, or the
group's input for an empty branch, in the order the branches run. Anything else is refused with
a :class:`~cnncount.errors.NotationError` that names the first node at fault.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, cast

from cnncount.errors import CnncountError, NotationError
from cnncount.network import INPUT
from cnncount.notation import closing_token, parse_layer

if TYPE_CHECKING:
    from cnncount.layers.merge import Merge
    from cnncount.network import Network, Node

__all__ = ["WIDTH", "to_notation"]

WIDTH = 100
"""The width at which a line of the written notation wraps."""


@dataclass(frozen=True, slots=True)
class _Token:
    """A layer's token, and whether a stage ends with it (a pooling layer's)."""

    text: str
    ends_stage: bool


@dataclass(frozen=True, slots=True)
class _Group:
    """Branches that start from one node, each a list of tokens and groups, and the merge's token."""

    branches: tuple[list[_Token | _Group], ...]
    closing: str

    def __str__(self) -> str:
        parts = ["("]
        for number, branch in enumerate(self.branches):
            parts += ["|"] * (number > 0) + [
                str(item.text if isinstance(item, _Token) else item) for item in branch
            ]
        return " ".join([*parts, self.closing])


def to_notation(network: Network, width: int = WIDTH) -> str:
    """Return ``network`` in the layer notation, one stage or block a line, lines wrapped at ``width``.

    A line ends after a pooling layer, and each group outside any other starts a line, which
    the layers after it continue up to the next group. Layer names are lost.

    Examples:
        >>> from cnncount.models import get_model
        >>> print(to_notation(get_model("vgg11")))
        conv3-64 maxpool
        conv3-128 maxpool
        conv3-256 conv3-256 maxpool
        conv3-512 conv3-512 maxpool
        conv3-512 conv3-512 maxpool
        FC-4096 FC-4096 FC-1000
        >>> from cnncount.notation import parse_network
        >>> block = parse_network("conv3-8 ( conv3-8 bn relu | )add/inplace relu gap FC-10")
        >>> print(to_notation(block))
        conv3-8
        ( conv3-8 bn relu | )add/inplace relu gap
        FC-10
        >>> from cnncount import Builder, ReLU, Shape
        >>> net = Builder("dense", Shape(8, 4, 4))
        >>> _ = net.layer(ReLU(), "a"), net.layer(ReLU(), "b", source="input")
        >>> to_notation(net.build())
        Traceback (most recent call last):
        ...
        cnncount.errors.NotationError: network 'dense': node 'b' (relu) is read by no later node, and the notation writes no branch that no merge closes
    """
    lines: list[list[str]] = [[]]
    for item in _Writer(network).items():
        if isinstance(item, _Group) and lines[-1]:
            lines.append([])
        lines[-1].append(item.text if isinstance(item, _Token) else str(item))
        if isinstance(item, _Token) and item.ends_stage:
            lines.append([])
    import textwrap

    wrapped = (
        textwrap.wrap(
            " ".join(line),
            width,
            break_long_words=False,
            break_on_hyphens=False,
            subsequent_indent="  ",
        )
        for line in lines
        if line
    )
    return "\n".join(part for parts in wrapped for part in parts)


class _Writer:
    """Walk a network's nodes in order, turning them into tokens and groups, or refuse."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.nodes = network.nodes
        self.position = {node.name: index for index, node in enumerate(network.nodes)}
        self.readers: dict[str, list[int]] = {}
        for index, node in enumerate(network.nodes):
            for source in node.inputs:
                self.readers.setdefault(source, []).append(index)

    def items(self) -> list[_Token | _Group]:
        """Return the whole network's tokens and groups, or raise naming the node at fault."""
        items, index, end = self.sequence(INPUT, 0)
        if index < len(self.nodes):
            if self.readers.get(end):
                self.refuse(self.nodes[self.readers[end][0]], _STRAY_MERGE)
            self.refuse(self.nodes[self.position[end]], _DEAD_END)
        return items

    def sequence(self, source: str, index: int) -> tuple[list[_Token | _Group], int, str]:
        """Return the tokens and groups of the chain that reads ``source`` from node ``index`` on,
        the index past it, and the node it ends at: one read by a merge, or by no node."""
        items: list[_Token | _Group] = []
        while True:
            readers = self.readers.get(source, [])
            if len(readers) > 1:
                group, index, source = self.group(source, index)
                items.append(group)
                continue
            if not readers or self.nodes[readers[0]].layer.category == "merge":
                return items, index, source
            if readers[0] != index:
                reader = self.nodes[readers[0]].name
                why = f"comes between {source!r} and {reader!r}, which reads it: {_IN_ORDER}"
                self.refuse(self.nodes[index], why)
            node = self.nodes[index]
            items.append(self.token(node))
            source, index = node.name, index + 1

    def group(self, source: str, index: int) -> tuple[_Group, int, str]:
        """Return the group of the branches that read ``source``, the first at node ``index``,
        the index past the merge that closes it, and the merge's name.

        A merge closes the branches last run; where branches run before them remain, or
        ``source`` is read after it, its group begins a branch of a group around it, from the
        same source (``( A | ( B | C )add )cat``).
        """
        ends: dict[str, list[_Token | _Group]] = {}
        while True:
            while index < len(self.nodes) and self.nodes[index].layer.category != "merge":
                start = self.nodes[index]
                if start.inputs != (source,):
                    why = f"reads {start.inputs[0]!r} among the branches from {source!r}"
                    self.refuse(start, f"{why}: {_IN_ORDER}")
                items, index, end = self.sequence(start.name, index + 1)
                ends[end] = [self.token(start), *items]
            if index == len(self.nodes):
                self.refuse(self.nodes[self.position[next(iter(ends))]], _DEAD_END)
            merge = self.nodes[index]
            group = _Group(
                self.closed(merge, source, ends), closing_token(cast("Merge", merge.layer))
            )
            index += 1
            if not ends and self.readers[source][-1] < index:
                return group, index, merge.name
            items, index, end = self.sequence(merge.name, index)
            ends[end] = [group, *items]

    def closed(
        self, merge: Node, source: str, ends: dict[str, list[_Token | _Group]]
    ) -> tuple[list[_Token | _Group], ...]:
        """Return the branches ``merge`` closes, taken from the last of ``ends``, in the order it
        reads them, with an empty branch for each time it reads ``source``."""
        branches = [name for name in merge.inputs if name != source]
        if not set(branches) <= set(ends):
            self.refuse(merge, _STRAY_MERGE)
        if branches != list(ends)[len(ends) - len(branches) :]:
            why = f"reads its branches in another order than they run, {_names(list(ends))}"
            self.refuse(merge, f"{why}: {_IN_ORDER}")
        closed = {name: ends.pop(name) for name in branches}
        return tuple([] if name == source else closed[name] for name in merge.inputs)

    def token(self, node: Node) -> _Token:
        """Return the node's token, once it reads back as the same layer."""
        token = str(node.layer)
        try:
            read = parse_layer(token)
        except CnncountError:
            self.refuse(node, f"the notation has no token for a {type(node.layer).__name__}")
        if read != node.layer:
            self.refuse(node, f"its token reads back as {read!r}, not {node.layer!r}")
        return _Token(token, node.layer.category == "pooling")

    def refuse(self, node: Node, why: str) -> NoReturn:
        """Raise the error that names ``node`` as the reason the notation cannot say the network."""
        reads = "" if node.layer.category != "merge" else f" reads {_names(node.inputs)} and"
        msg = f"network {self.network.name!r}: node {node.name!r} ({node.layer}){reads} {why}"
        raise NotationError(msg)


_IN_ORDER = "the notation writes a group's branches one after another, then its merge"
_STRAY_MERGE = "merges branches that do not all start at one node, which is all a group can say"
_DEAD_END = "is read by no later node, and the notation writes no branch that no merge closes"


def _names(names: Sequence[str]) -> str:
    """Write names as a list in prose: ``'a', 'b' and 'c'``."""
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
