"""Receptive fields: VGG-16's, the 3x3-stack argument, dilation, strides, padding and ceil mode."""

from __future__ import annotations

import pytest

from cnncount import Shape, get_model, parse_network, summarize
from cnncount.receptive import receptive_fields

INPUT = Shape(3, 64, 64)


def fields(spec: str) -> dict:
    return {field.name: field for field in receptive_fields(summarize(parse_network(spec, INPUT)))}


def test_vgg16_last_pooling_sees_212_pixels() -> None:
    by_name = {field.name: field for field in receptive_fields(summarize(get_model("vgg16")))}
    assert (by_name["maxpool5"].size, by_name["maxpool5"].jump) == (212, 32)
    assert by_name["fc1"].size is None


def test_three_3x3_convolutions_see_what_one_7x7_sees() -> None:
    assert fields("conv3-8 conv3-8 conv3-8")["conv3"].size == fields("conv7-8")["conv1"].size == 7


@pytest.mark.parametrize(
    ("spec", "size", "jump", "start"),
    [
        ("conv3-8/d2", 5, 1, 0.0),
        ("conv3-8/d2/p0", 5, 1, 2.0),
        ("conv7-8/s2/p3 maxpool3/s2/p1", 11, 4, 0.0),
        ("conv3-8/p0 maxpool", 4, 2, 1.5),
        ("maxpool3/s2/ceil", 3, 2, 1.0),
        ("conv4-8/same", 4, 1, 0.5),
        ("conv3-8 relu bn dropout", 3, 1, 0.0),
        ("conv3-8 adaptiveavgpool16", 6, 4, 1.5),
        ("conv3-8 gap", 66, 64, 31.5),
    ],
)
def test_size_jump_and_start(spec, size, jump, start) -> None:
    last = list(fields(spec).values())[-1]
    assert (last.size, last.jump, last.start) == (size, jump, start)


def test_receptive_field_grows_monotonically_through_vgg16() -> None:
    sizes = [
        field.size
        for field in receptive_fields(summarize(get_model("vgg16")))
        if field.size is not None
    ]
    assert sizes == sorted(sizes)
