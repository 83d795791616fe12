"""Training and inference memory: what each layer's backward keeps, parts that add up, mixed
precision, checkpointing, budgets that fit, and errors that name the values."""

from __future__ import annotations

import pytest

from cnncount import (
    Add,
    BatchNorm2d,
    Builder,
    CnncountError,
    Conv2d,
    Network,
    ReLU6,
    Shape,
    get_model,
    parse_network,
    summarize,
)
from cnncount.memory import (
    OPTIMIZER_STATE,
    autocast_weight_bytes,
    inference_peak_bytes,
    kept_for_backward_bytes,
    largest_batch,
    step_timeline,
    training_memory,
)
from cnncount.precision import BYTES_PER_VALUE, Batch
from cnncount.units import parse_bytes
from cnncount.views import compute_views

VGG16 = summarize(get_model("vgg16"))
MODULES = summarize(get_model("vgg16-modules"))


@pytest.mark.parametrize("optimizer", list(OPTIMIZER_STATE))
@pytest.mark.parametrize("dtype", list(BYTES_PER_VALUE))
def test_parts_add_up_and_scale(optimizer, dtype) -> None:
    memory = training_memory(VGG16, Batch(64, dtype), optimizer=optimizer)
    parts = dict(memory.parts)
    size = BYTES_PER_VALUE[dtype]
    assert memory.total == sum(parts.values())
    assert parts["parameters"] == parts["gradients"] == 138_357_544 * size
    assert parts["optimizer state"] == OPTIMIZER_STATE[optimizer] * parts["parameters"]
    assert parts["inputs"] == 64 * 3 * 224 * 224 * size
    assert parts["activations kept for backward"] == kept_for_backward_bytes(
        VGG16, Batch(64, dtype)
    )


@pytest.mark.parametrize(
    ("optimizer", "state"), [("sgd", 0), ("momentum", 1), ("adamw", 2), ("amsgrad", 3)]
)
def test_optimizer_state_per_parameter(optimizer, state) -> None:
    assert OPTIMIZER_STATE[optimizer] == state


def test_vgg16_keeps_every_output_but_the_last_once_and_the_pooling_indices() -> None:
    outputs = VGG16.totals.activations - VGG16.rows[0].activations - VGG16.rows[-1].activations
    pooled = sum(row.activations for row in VGG16.rows if row.kind == "maxpool")
    assert kept_for_backward_bytes(VGG16) == 4 * outputs + 8 * pooled


@pytest.mark.parametrize(("device", "mask_bytes"), [("cuda", 1), ("cpu", 4)])
def test_in_place_relus_add_nothing_and_dropout_keeps_its_mask(device, mask_bytes) -> None:
    dropped = sum(row.activations for row in MODULES.rows if row.kind == "dropout")
    batch = Batch(device=device)
    # each dropout keeps its mask, and writes a new tensor that the next layer keeps
    expected = kept_for_backward_bytes(VGG16, batch) + (mask_bytes + 4) * dropped
    assert kept_for_backward_bytes(MODULES, batch) == expected


def test_an_in_place_layer_that_needs_its_input_keeps_a_copy() -> None:
    shape = Shape(32, 16, 16)
    in_place = summarize(Network.chain([Conv2d(32, 1), BatchNorm2d(), ReLU6()], shape))
    copies = kept_for_backward_bytes(in_place)
    # the convolution's output (kept by the batch norm), the batch norm's output (overwritten by
    # the ReLU6, whose output the network returns, unread) and the copy of it the ReLU6 keeps
    assert copies == 4 * 2 * shape.numel


def test_an_in_place_addition_writes_into_its_first_branch() -> None:
    def residual(in_place: bool) -> int:
        net = Builder("block", Shape(64, 8, 8))
        net.layer(Conv2d(64, 3, padding=1), "conv")
        net.layer(BatchNorm2d(), "bn")
        net.merge(Add(in_place=in_place), ["bn", "input"], "add")
        net.layer(Conv2d(64, 1), "next")
        return kept_for_backward_bytes(summarize(net.build()))

    # in place, the sum lives in the batch norm's tensor; out of place, in one of its own: the
    # next convolution keeps one tensor of 64x8x8 either way, besides the convolution's output
    assert residual(True) == residual(False) == 4 * 2 * 64 * 8 * 8


def test_mixed_precision_halves_activations_but_not_indices_and_copies_the_weights() -> None:
    mixed = Batch(autocast="float16")
    outputs = VGG16.totals.activations - VGG16.rows[0].activations - VGG16.rows[-1].activations
    pooled = sum(row.activations for row in VGG16.rows if row.kind == "maxpool")
    first_conv_input = VGG16.rows[0].activations  # autocast's float16 copy of the image
    assert kept_for_backward_bytes(VGG16, mixed) == 2 * (outputs + first_conv_input) + 8 * pooled
    assert autocast_weight_bytes(VGG16, mixed) == 2 * VGG16.totals.weights
    parts = dict(training_memory(VGG16, Batch(8, autocast="bfloat16"), "adam").parts)
    assert parts["parameters"] == parts["gradients"] == 4 * VGG16.totals.params
    assert parts["autocast weight copies"] == 2 * VGG16.totals.weights


def test_autocast_keeps_soft_max_in_float32_on_cuda_only() -> None:
    head = summarize(parse_network("conv3-8 FC-10 soft-max", Shape(3, 8, 8)))
    cuda = kept_for_backward_bytes(head, Batch(autocast="float16"))
    cpu = kept_for_backward_bytes(head, Batch(autocast="float16", device="cpu"))
    assert cuda - cpu == (4 - 2) * 10  # the soft-max's output, kept in float32 on CUDA


def test_checkpointing_keeps_the_segments_inputs_and_one_segment() -> None:
    chain = summarize(parse_network(" ".join(["conv3-8"] * 16), Shape(8, 16, 16)))
    layer = 4 * 8 * 16 * 16
    assert kept_for_backward_bytes(chain) == 15 * layer  # every output but the last
    # 4 segments of 4: the inputs of segments 2 to 4, and the 3 outputs a segment keeps inside it
    assert kept_for_backward_bytes(chain, segments=4) == 3 * layer + 3 * layer
    assert training_memory(chain, segments=4).segments == 4


def test_checkpointing_cuts_where_one_tensor_crosses() -> None:
    block = summarize(
        parse_network("conv3-8 ( conv3-8 conv3-8 | )add ( conv3-8 conv3-8 | )add", Shape(8, 8, 8))
    )
    assert kept_for_backward_bytes(block, segments=3) < kept_for_backward_bytes(block)
    with pytest.raises(
        CnncountError, match="checkpointing in 9 segments needs 8 places to cut; the network has 2"
    ):
        kept_for_backward_bytes(block, segments=9)


def test_a_step_keeps_activations_through_the_forward_pass_and_frees_them_backward() -> None:
    vgg16 = summarize(get_model("vgg16"))
    moments = step_timeline(vgg16, Batch(2))
    forward = [moment for moment in moments if moment.phase == "forward"]
    backward = [moment for moment in moments if moment.phase == "backward"]
    assert [moment.name for moment in forward] == [moment.name for moment in reversed(backward)]
    kept = [moment.kept for moment in forward]
    assert kept == sorted(kept) and kept[-1] == kept_for_backward_bytes(vgg16, Batch(2))
    assert [moment.kept for moment in backward] == sorted(moment.kept for moment in backward)[::-1]
    peak = max(moments, key=lambda moment: moment.kept + moment.in_flight)
    # maxpool5's backward: fc1 to fc3 have freed pool5's and fc1's and fc2's outputs; the
    # gradients of pool5's output (7x7x512) and of its input (14x14x512) are in flight
    assert (peak.phase, peak.name) == ("backward", "maxpool5")
    freed = 7 * 7 * 512 + 4096 + 4096
    assert peak.kept + peak.in_flight == kept[-1] + 2 * 4 * (7 * 7 * 512 + 14 * 14 * 512 - freed)


def test_gradient_accumulation_changes_the_effective_batch_not_the_memory() -> None:
    accumulated = training_memory(VGG16, Batch(16), "adam", accumulation=4)
    assert accumulated.parts == training_memory(VGG16, Batch(16), "adam").parts
    assert accumulated.effective_batch == 64


def test_inference_peak_is_the_input_and_the_largest_live_pair() -> None:
    conv2 = VGG16.rows[2]
    image = VGG16.rows[0].activations
    assert inference_peak_bytes(VGG16, Batch(2)) == 4 * (
        VGG16.totals.params + 2 * (image + conv2.input_shape.numel + conv2.activations)
    )


def test_a_module_holds_its_input_until_it_returns() -> None:
    def peak(names: tuple[str, str, str]) -> int:
        net = Builder("net", Shape(64, 32, 32))
        net.layer(Conv2d(64, 1), names[0])
        net.layer(Conv2d(64, 1), names[1])
        net.layer(Conv2d(64, 1), names[2])
        return inference_peak_bytes(summarize(net.build()))

    held = peak(("stem", "block.conv1", "block.conv2"))  # block holds the stem's output
    assert held - peak(("stem", "conv1", "conv2")) == 4 * 64 * 32 * 32


def test_max_pooling_allocates_its_indices_in_inference() -> None:
    pooled = summarize(parse_network("maxpool", Shape(64, 32, 32)))
    assert inference_peak_bytes(pooled) == 4 * (64 * 32 * 32 + 64 * 16 * 16) + 8 * 64 * 16 * 16


def test_in_place_relu_does_not_raise_the_inference_peak() -> None:
    plain = summarize(parse_network("conv3-64 conv3-64"))
    with_relu = summarize(parse_network("conv3-64 relu conv3-64 relu"))
    assert inference_peak_bytes(plain) == inference_peak_bytes(with_relu)


@pytest.mark.parametrize("optimizer", [None, "sgd", "adam"])
@pytest.mark.parametrize("budget", ["8GiB", "16GiB", "80GB"])
@pytest.mark.parametrize("like", [Batch(), Batch(autocast="float16")])
def test_largest_batch_fits_and_one_more_does_not(optimizer, budget, like) -> None:
    limit = parse_bytes(budget)
    batch = largest_batch(VGG16, limit, like, optimizer)

    def needed(n: int) -> int:
        sized = Batch(n, like.dtype, like.autocast)
        if optimizer is None:
            return inference_peak_bytes(VGG16, sized)
        return training_memory(VGG16, sized, optimizer=optimizer).total

    assert needed(batch) <= limit < needed(batch + 1)


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        (
            "512MiB",
            "budget 536,870,912 bytes is less than the 2,213,720,704 bytes this model needs before its first image",
        ),
        (
            "2213720710B",
            "budget 2,213,720,710 bytes does not fit one image: 2,286,910,080 bytes needed",
        ),
    ],
)
def test_a_budget_too_small_says_by_how_much(budget, message) -> None:
    with pytest.raises(CnncountError) as caught:
        largest_batch(VGG16, parse_bytes(budget), optimizer="adam")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text", ["", "GiB", "-1GiB", "0", "16 GiBs", "1e400GB", "nanMB", "0.1B", "16 gibibytes"]
)
def test_unreadable_sizes_are_refused(text) -> None:
    with pytest.raises(CnncountError, match="expected a number and a unit such as 16GiB or 500MB"):
        parse_bytes(text)


@pytest.mark.parametrize(
    ("text", "size"),
    [("16GiB", 16 * 2**30), ("16gb", 16 * 10**9), ("1.5 MiB", 1_572_864), ("2kB", 2000), ("7", 7)],
)
def test_sizes_in_decimal_and_binary_units(text, size) -> None:
    assert parse_bytes(text) == size


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: training_memory(VGG16, optimizer="lamb"),
            "unknown optimizer 'lamb'; optimizers: sgd, momentum",
        ),
        (
            lambda: training_memory(VGG16, accumulation=0),
            "gradient accumulation must be at least 1 batch, got 0",
        ),
        (
            lambda: kept_for_backward_bytes(VGG16, segments=0),
            "checkpointing needs at least 1 segment, got 0",
        ),
        (
            lambda: Batch(8, "float16", autocast="float16"),
            "autocast runs a float32 model in float16",
        ),
        (lambda: Batch(device="tpu"), "unknown device 'tpu'; devices: cuda, cpu"),
    ],
)
def test_errors_name_the_values(call, message) -> None:
    with pytest.raises(CnncountError, match=message):
        call()


@pytest.mark.parametrize(
    ("model", "instead"), [("vgg16", "count vgg16-torchvision"), ("vgg11", "write each ReLU out")]
)
def test_torchsummary_refuses_a_network_whose_relus_are_implied(model, instead) -> None:
    with pytest.raises(CnncountError, match=f"{model} has no activation layer .*: {instead}"):
        compute_views(summarize(get_model(model)), convention="torchsummary")
