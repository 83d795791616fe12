"""Receptive fields: VGG-16's, the 3x3-stack argument, dilation, strides, padding and ceil mode."""

from __future__ import annotations

import pytest

from cnncount import Shape, get_model, parse_network, summarize
from cnncount.errors import CnncountError
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


def test_a_merge_sees_the_union_of_its_paths_when_their_centres_differ() -> None:
    # after conv1 (size 3, centre 0): the pooling's field spans pixels -1 to 3 (centre 1), the
    # strided convolution's -2 to 2 (centre 0); their union spans -2 to 3
    merged = fields("conv3-8 ( maxpool3/s2/ceil | conv3-8/s2 )cat")
    assert (merged["maxpool1"].start, merged["conv2"].start) == (1.0, 0.0)
    assert (merged["concat1"].size, merged["concat1"].jump, merged["concat1"].start) == (6, 2, 0.5)


def test_aligned_paths_meet_in_the_widest_field() -> None:
    block = fields("conv3-8 ( conv3-8/s2 conv3-8 | conv1-8/s2 )add")
    assert block["add1"].size == block["conv3"].size == 3 + 2 + 2 * 2
    assert block["add1"].start == block["conv3"].start == block["conv4"].start == 0.0


def test_a_broadcast_path_makes_the_merge_see_the_whole_input() -> None:
    squeezed = fields("conv3-8 ( gap conv1-8 sigmoid | )mul conv3-8")
    assert squeezed["mul1"].size is None and squeezed["conv3"].size is None
    assert squeezed["mul1"].jump == squeezed["conv1"].jump == 1


def test_paths_that_meet_with_different_jumps_are_refused() -> None:
    message = (
        r"layer 3 concat1 \(concat\): its paths meet with different jumps 2, 1 along the height"
    )
    with pytest.raises(CnncountError, match=message):
        receptive_fields(summarize(parse_network("( conv3-8/s2 | conv5-8/p0 )cat", Shape(3, 9, 9))))


def test_the_width_follows_the_kernels_width() -> None:
    shape = Shape(3, 32, 32)
    summary = summarize(parse_network("conv1x7-8 ( conv7x1-8 | conv1x7-8 )cat", shape))
    height, width = receptive_fields(summary), receptive_fields(summary, axis="width")
    assert [field.size for field in height] == [1, 1, 7, 1, 7]
    assert [field.size for field in width] == [1, 7, 7, 13, 13]
