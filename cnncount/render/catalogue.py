"""The list of built-in models that ``cnncount --list`` prints."""

from __future__ import annotations

from cnncount.models import Model

__all__ = ["model_catalogue"]


def model_catalogue(models: dict[str, Model]) -> str:
    """Return one line per model: its name, its usual input, its torchvision name, and what it is.

    Examples:
        >>> from cnncount.models import MODELS
        >>> print(model_catalogue({name: MODELS[name] for name in ("vgg16", "vgg16-bn")}))
        name      input      torchvision  description
        vgg16     3x224x224  -            VGG configuration D (16 weight layers), Simonyan & Zisserman 2014, Table 1
        vgg16-bn  3x224x224  vgg16_bn     torchvision's vgg16 with batch normalisation after each convolution
    """
    rows = [("name", "input", "torchvision", "description")]
    rows += [
        (name, str(model.input_shape), model.torchvision or "-", model.description)
        for name, model in models.items()
    ]
    widths = [max(len(row[column]) for row in rows) + 2 for column in range(3)]
    return "\n".join(
        "".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + row[3] for row in rows
    )
