"""The VGG family (Simonyan & Zisserman, 2014): the paper's configurations, and as torchvision runs them."""

from __future__ import annotations

from cnncount.network import Network
from cnncount.notation import parse_network
from cnncount.shapes import Shape

__all__ = ["CLASSIFIER", "CONFIGURATIONS", "module_layout", "vgg", "vgg_modules"]

CLASSIFIER = "FC-4096 FC-4096 FC-1000"
"""The three fully connected layers every configuration ends with."""

CONFIGURATIONS = {
    "A": "conv3-64 maxpool conv3-128 maxpool conv3-256 conv3-256 maxpool "
    "conv3-512 conv3-512 maxpool conv3-512 conv3-512 maxpool",
    "A-LRN": "conv3-64 LRN maxpool conv3-128 maxpool conv3-256 conv3-256 maxpool "
    "conv3-512 conv3-512 maxpool conv3-512 conv3-512 maxpool",
    "B": "conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool conv3-256 conv3-256 maxpool "
    "conv3-512 conv3-512 maxpool conv3-512 conv3-512 maxpool",
    "C": "conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool "
    "conv3-256 conv3-256 conv1-256 maxpool conv3-512 conv3-512 conv1-512 maxpool "
    "conv3-512 conv3-512 conv1-512 maxpool",
    "D": "conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool "
    "conv3-256 conv3-256 conv3-256 maxpool conv3-512 conv3-512 conv3-512 maxpool "
    "conv3-512 conv3-512 conv3-512 maxpool",
    "E": "conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool "
    "conv3-256 conv3-256 conv3-256 conv3-256 maxpool "
    "conv3-512 conv3-512 conv3-512 conv3-512 maxpool "
    "conv3-512 conv3-512 conv3-512 conv3-512 maxpool",
}
"""The convolutional part of each column of the paper's Table 1, in its own notation. The
classifier (:data:`CLASSIFIER`) follows; the ReLUs are implied and the final soft-max, which has
no parameters, is left out, as torchvision's models stop at the logits."""


def vgg(column: str, input_shape: Shape) -> Network:
    """Return the paper's configuration ``column`` (``"A"`` to ``"E"``), as Table 1 writes it.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(vgg("D", Shape(3, 224, 224))).totals.params
        138357544
    """
    return parse_network(f"{CONFIGURATIONS[column]} {CLASSIFIER}", input_shape)


def module_layout(column: str, batch_norm: bool = False, avgpool: bool = True) -> str:
    """Return configuration ``column`` written module by module as torchvision runs it.

    Each convolution is followed by its batch norm (with ``batch_norm``) and ReLU, adaptive
    average pooling to 7x7 precedes the classifier (with ``avgpool``), and each hidden fully
    connected layer is followed by its ReLU and dropout.

    Examples:
        >>> module_layout("A", batch_norm=True).split()[:5]
        ['conv3-64', 'bn', 'relu', 'maxpool', 'conv3-128']
        >>> module_layout("A").split()[-8:]
        ['adaptiveavgpool7', 'FC-4096', 'relu', 'dropout', 'FC-4096', 'relu', 'dropout', 'FC-1000']
    """
    return " ".join(spec for _, spec in _module_parts(column, batch_norm, avgpool))


def vgg_modules(
    column: str, input_shape: Shape, batch_norm: bool = False, avgpool: bool = True
) -> Network:
    """Return configuration ``column`` as :func:`module_layout` writes it, each layer named as
    torchvision names its module (``features.0``, ``avgpool``, ``classifier.6``).

    Examples:
        >>> from cnncount import summarize
        >>> summary = summarize(vgg_modules("D", Shape(3, 224, 224), batch_norm=True))
        >>> summary.totals.params, summary.rows[1].name, summary.rows[-1].name
        (138365992, 'features.0', 'classifier.6')
    """
    from cnncount.models.blocks import sequential  # not needed by the paper's configurations

    return sequential(input_shape, _module_parts(column, batch_norm, avgpool))


def _module_parts(column: str, batch_norm: bool, avgpool: bool) -> tuple[tuple[str, str], ...]:
    after_conv = "bn relu" if batch_norm else "relu"
    features = " ".join(
        f"{token} {after_conv}" if token.startswith("conv") else token
        for token in CONFIGURATIONS[column].split()
    )
    pooling = (("avgpool", "adaptiveavgpool7"),) if avgpool else ()
    classifier = ("classifier.", "FC-4096 relu dropout FC-4096 relu dropout FC-1000")
    return (("features.", features), *pooling, classifier)
