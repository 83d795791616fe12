"""One exception hierarchy: every refusal of bad input by the API is a CnncountError whose message
names where the fault is and the values at fault; the command line turns them into status 2."""

from __future__ import annotations

import pytest

from cnncount import (
    Add,
    CnncountError,
    Conv2d,
    LayerError,
    Network,
    Node,
    ReLU,
    Shape,
    SpecError,
    UnknownModelError,
    get_model,
    parse_layer,
    parse_network,
    summarize,
)
from cnncount.conventions import get_convention
from cnncount.memory import largest_batch, training_memory
from cnncount.units import parse_bytes

VGG16 = summarize(get_model("vgg16"))


@pytest.mark.parametrize(
    ("call", "kind", "names"),
    [
        (lambda: parse_layer("banana"), SpecError, ["'banana'", "unknown layer"]),
        (lambda: parse_layer("conv3-0"), SpecError, ["'conv3-0'", "got 0"]),
        (lambda: Shape(3, 0, 224), CnncountError, ["3x0x224"]),
        (lambda: Shape.parse("3x224"), CnncountError, ["'3x224'"]),
        (lambda: Conv2d(64, 3, groups=5), LayerError, ["64", "groups 5"]),
        (lambda: get_model("resnet51"), UnknownModelError, ["'resnet51'", "resnet50"]),
        (
            lambda: summarize(get_model("vgg16", Shape(3, 16, 16))),
            LayerError,
            ["layer 18", "maxpool5", "1x1"],
        ),
        (
            lambda: summarize(parse_network("conv3-8 ( conv3-16 | )add", Shape(3, 8, 8))),
            LayerError,
            ["add1", "16x8x8", "8x8x8"],
        ),
        (
            lambda: Network("n", Shape(1, 2, 2), [Node(name="a", layer=Add(), inputs=("input",))]),
            CnncountError,
            ["'a'", "reads 1"],
        ),
        (
            lambda: Network(
                "n", Shape(1, 2, 2), [Node(name="a", layer=ReLU(), inputs=("input", "input"))]
            ),
            CnncountError,
            ["'a'", "reads 2"],
        ),
        (lambda: parse_bytes("sixteen"), CnncountError, ["'sixteen'"]),
        (lambda: get_convention("thop"), CnncountError, ["'thop'"]),
        (lambda: training_memory(VGG16, optimizer="lamb"), CnncountError, ["'lamb'"]),
        (lambda: largest_batch(VGG16, 1000, optimizer="sgd"), CnncountError, ["1,000 bytes"]),
        (lambda: parse_network("(" * 65 + "relu" + "| )add" * 65), SpecError, ["deeper than 64"]),
    ],
)
def test_bad_input_raises_a_cnncount_error_naming_the_fault(call, kind, names) -> None:
    with pytest.raises(kind) as caught:
        call()
    assert isinstance(caught.value, CnncountError)
    message = str(caught.value)
    assert "\n" not in message
    for name in names:
        assert name in message, (name, message)
