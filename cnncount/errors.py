"""The exceptions cnncount raises: one hierarchy, rooted at :class:`CnncountError`.

Every message names where the fault is (a layer's position and token, a spec's token, an
option) and the values at fault, so that it can be shown to a reader as one line.
"""

from __future__ import annotations

__all__ = [
    "CnncountError",
    "LayerError",
    "NotationError",
    "ReadError",
    "SpecError",
    "UnknownModelError",
]


class CnncountError(ValueError):
    """Base class of every error cnncount raises for bad input.

    Examples:
        >>> issubclass(SpecError, CnncountError) and issubclass(CnncountError, ValueError)
        True
    """


class LayerError(CnncountError):
    """A layer's arguments are invalid, or the layer does not fit its input.

    A layer raises it without knowing where it stands; the network adds the position with
    :meth:`at`.

    Examples:
        >>> error = LayerError("kernel 3 with padding 0 does not fit input 2x2")
        >>> str(error.at(7, "conv5", "conv3-512"))
        'layer 7 conv5 (conv3-512): kernel 3 with padding 0 does not fit input 2x2'
    """

    def __init__(self, detail: str, where: str = "") -> None:
        self.detail = detail
        self.where = where
        super().__init__(f"{where}: {detail}" if where else detail)

    def at(self, index: int, name: str, token: str) -> LayerError:
        """Return the same error located at layer ``index``, called ``name``, written ``token``.

        Examples:
            >>> error = LayerError("input channels 3 not divisible by groups 2")
            >>> str(error.at(1, "conv1", "conv3-64/g2"))
            'layer 1 conv1 (conv3-64/g2): input channels 3 not divisible by groups 2'
        """
        return LayerError(self.detail, f"layer {index} {name} ({token})")


class SpecError(CnncountError):
    """A spec in the layer notation is malformed; the message points at the token.

    Examples:
        >>> error = SpecError("expected conv<kernel>-<channels>", "conv3", 2, 10)
        >>> str(error)
        "spec token 2 'conv3' (column 10): expected conv<kernel>-<channels>"
        >>> error.token, error.index, error.column
        ('conv3', 2, 10)
    """

    def __init__(self, detail: str, token: str, index: int, column: int) -> None:
        self.detail = detail
        self.token = token
        self.index = index
        self.column = column
        super().__init__(f"spec token {index} {token!r} (column {column}): {detail}")


class UnknownModelError(CnncountError):
    """No built-in model has the name asked for; the message suggests the closest names.

    Examples:
        >>> str(UnknownModelError("vgg17", ["vgg11", "vgg16", "resnet50"]))
        "unknown model 'vgg17' (close: vgg16, vgg11); 'cnncount --list' names the built-in models"
        >>> str(UnknownModelError("banana", ["vgg16"]))
        "unknown model 'banana'; 'cnncount --list' names the built-in models"
    """

    def __init__(self, name: str, known: list[str]) -> None:
        from difflib import get_close_matches  # only a misspelt name needs it

        self.name = name
        close = get_close_matches(name.lower(), known, n=3, cutoff=0.6)
        hint = f" (close: {', '.join(close)})" if close else ""
        super().__init__(
            f"unknown model {name!r}{hint}; 'cnncount --list' names the built-in models"
        )


class ReadError(CnncountError):
    """A model file cannot be read, or holds what cnncount cannot count: the message names the
    file, the node or layer, and the operator.

    Examples:
        >>> str(ReadError("net.keras: layer 'fn' (Lambda): holds Python code, which cnncount never runs"))
        "net.keras: layer 'fn' (Lambda): holds Python code, which cnncount never runs"
        >>> issubclass(ReadError, CnncountError)
        True
    """


class NotationError(CnncountError):
    """A network cannot be written in the layer notation: the message names the first node that
    is the reason, and why.

    Examples:
        >>> issubclass(NotationError, CnncountError)
        True
    """
