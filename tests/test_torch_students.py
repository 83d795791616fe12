"""Networks as students write them, read by the PyTorch reader: each reads with torch's own
parameters, buffers, multiply-accumulates and output size, or is refused in one line that says
what to write instead.

The patterns are those of tutorials and course work: a decoder of transposed convolutions (with
``output_size``), a squeeze-and-excitation gate reshaped three ways, a pooled map squeezed, the
soft-max and its logarithm as functions and as modules, ``x.float()`` or ``x.to(device)`` in a
forward, and the activations besides the rectifier (ELU, SELU, Mish, softplus, PReLU, GELU's tanh
approximation), channel dropout and instance norm, whose saved tensors are checked against autograd's too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed: `make torch` installs it")

from torch import nn
from torch.nn import functional as F
from torch.utils.flop_counter import FlopCounterMode

from cnncount import Batch, ReadError, Shape, from_torch, summarize
from cnncount.memory import kept_for_backward_bytes
from tests.torch_memory import saved_bytes

pytestmark = pytest.mark.slow


def torch_counts(model: nn.Module, shape: tuple[int, int, int]) -> tuple[int, int, int, int]:
    """Return torch's parameters, buffers (without ``num_batches_tracked``), multiply-accumulates
    and output size of ``model`` on one image of ``shape``."""
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        output = model.eval()(torch.zeros(1, *shape))
    buffers = (b for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    return (
        sum(p.numel() for p in model.parameters()),
        sum(b.numel() for b in buffers),
        counter.get_total_flops() // 2,
        output.numel(),
    )


def cnncount_counts(model: nn.Module, shape: tuple[int, int, int]) -> tuple[int, int, int, int]:
    summary = summarize(from_torch(model, shape))
    totals = summary.totals
    return totals.params, totals.buffers, totals.macs, summary.rows[-1].output_shape.numel


class Autoencoder(nn.Module):
    """An encoder of strided convolutions and a decoder of transposed ones, the last told its
    output size."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1)
        )
        self.up1 = nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1)
        self.up2 = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1, bias=False)
        self.up3 = nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, groups=4, dilation=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.up2(torch.relu(self.up1(self.encoder(x))))
        return self.up3(x, output_size=[x.shape[2] * 2 + 1, x.shape[3] * 2 + 2])


class Excitation(nn.Module):
    """A convolution, a squeeze-and-excitation gate reshaped by ``gate``, a pooled and squeezed
    map, a classifier and ``head``."""

    def __init__(self, gate: Callable[[torch.Tensor], torch.Tensor], head: nn.Module) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.squeeze, self.excite = nn.Linear(16, 4), nn.Linear(4, 16)
        self.fc, self.gate, self.head = nn.Linear(16, 10), gate, head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.conv(x))
        w = torch.sigmoid(self.excite(F.relu(self.squeeze(x.mean([2, 3])))))
        x = x * self.gate(w)
        pooled = F.adaptive_avg_pool2d(x, 1).squeeze(-1).squeeze(-1)
        return self.head(self.fc(pooled.float().to(x.device)))


class LogSoftmaxOf(nn.Module):
    def __init__(self, function: Callable[[torch.Tensor], torch.Tensor]) -> None:
        super().__init__()
        self.function = function

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.function(x)


GATES = {
    "view": lambda w: w.view(w.size(0), -1, 1, 1),
    "unsqueeze": lambda w: w.unsqueeze(-1).unsqueeze(-1),
    "none": lambda w: w[:, :, None, None],
}

HEADS = {
    "F.log_softmax": LogSoftmaxOf(lambda x: F.log_softmax(x, dim=1)),
    "torch.softmax": LogSoftmaxOf(lambda x: torch.softmax(x, -1)),
    "Tensor.log_softmax": LogSoftmaxOf(lambda x: x.log_softmax(dim=-1)),
    "nn.LogSoftmax": nn.LogSoftmax(dim=1),
}


def test_a_decoder_of_transposed_convolutions_reads_as_torch_counts_it() -> None:
    model = Autoencoder()
    assert cnncount_counts(model, (3, 32, 32)) == torch_counts(model, (3, 32, 32))
    network = from_torch(model, (3, 32, 32))
    last = summarize(network).rows[-1]
    # by hand: (n - 1)s - 2p + d(k - 1) + output_padding + 1 = 31 * 2 - 2 + 4 + op + 1 = 65 + op,
    # and output_size asks for 32 * 2 + 1 = 65 rows and 32 * 2 + 2 = 66 columns
    assert last.output_shape == Shape(4, 65, 66) and str(last.layer) == "convt3-4/s2/p1/op0x1/d2/g4"


@pytest.mark.parametrize("gate", sorted(GATES))
@pytest.mark.parametrize("head", sorted(HEADS))
def test_a_gate_and_a_soft_max_read_as_torch_counts_them(gate: str, head: str) -> None:
    model = Excitation(GATES[gate], HEADS[head])
    assert cnncount_counts(model, (3, 16, 16)) == torch_counts(model, (3, 16, 16))
    kinds = [str(node.layer) for node in from_torch(model, (3, 16, 16)).nodes]
    assert kinds[kinds.index("sigmoid") + 1] == "mul"  # the gate scales the map it came from
    assert kinds[-1] == ("log-soft-max" if "log" in head.lower() else "soft-max")


class Forward(nn.Module):
    def __init__(self, function: Callable[[nn.Module, torch.Tensor], torch.Tensor]) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.function = function

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.function(self, x)


REFUSED = {
    "a squeeze with no dim": (
        lambda self, x: F.adaptive_avg_pool2d(self.conv(x), 1).squeeze(),
        "drops too; name the axes (x.squeeze(-1).squeeze(-1)) or flatten",
    ),
    "a lower precision": (
        lambda self, x: self.conv(x).to(torch.float16),
        "cnncount counts a network in one precision, torch.float32; Tensor.to makes torch.float16",
    ),
    "a soft-max over the width": (
        lambda self, x: self.conv(x).softmax(-1),
        "cnncount takes the soft-max over the channels (dim=1), not dim=-1",
    ),
    "an index of a map": (
        lambda self, x: self.conv(x)[:, 0],
        "cnncount cannot count Tensor.__getitem__ with (slice(None, None, None), 0) on a tensor laid out NCHW",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_a_student_must_write_otherwise_is_refused_in_one_line(case: str) -> None:
    forward, reason = REFUSED[case]
    with pytest.raises(ReadError) as error:
        from_torch(Forward(forward), (3, 8, 8), name="mine")
    message = str(error.value)
    assert message.startswith("mine: the model (Forward): ") and reason in message, message
    assert "\n" not in message


class Listed(nn.Module):
    """A convolution kept in a plain list, which registers neither it nor its weights."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = [nn.Conv2d(3, 8, 3)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers[0](x)


def test_a_layer_kept_in_a_plain_list_is_refused_naming_the_fix() -> None:
    with pytest.raises(ReadError, match="nn.ModuleList and nn.ModuleDict register it"):
        from_torch(Listed(), (3, 8, 8))


def test_a_model_in_half_precision_or_compiled_reads_as_the_model() -> None:
    model = Autoencoder()
    expected = cnncount_counts(model, (3, 32, 32))
    assert cnncount_counts(Autoencoder().half(), (3, 32, 32)) == expected
    compiled = torch.compile(model)
    assert compiled is not model and cnncount_counts(compiled, (3, 32, 32)) == expected
    assert from_torch(compiled, (3, 32, 32)).name == "Autoencoder"


@pytest.mark.parametrize(
    ("given", "shape", "reason"),
    [
        (Autoencoder, (3, 32, 32), "Autoencoder: cnncount reads a torch.nn.Module, not the class"),
        (Autoencoder(), (1, 3, 32, 32), "Autoencoder: the input is one image, (channels, height,"),
        ("net.pt", (3, 32, 32), "str: cnncount reads a torch.nn.Module, not str"),
    ],
)
def test_a_wrong_argument_is_one_line(given: object, shape: tuple[int, ...], reason: str) -> None:
    with pytest.raises(ReadError) as error:
        from_torch(given, shape)  # type: ignore[arg-type]
    assert str(error.value).startswith(reason) and "\n" not in str(error.value)


MOVES = {
    "x.to('cpu')": lambda self, x: self.conv(x.to("cpu")),
    "x.cpu()": lambda self, x: self.conv(x.cpu()),
    "x.cuda()": lambda self, x: self.conv(x.cuda()),
    "x.to(device, dtype)": lambda self, x: self.conv(x.to(torch.device("cpu"), torch.float32)),
    "x.to(device=0)": lambda self, x: self.conv(x.to(device=0, non_blocking=True)),
}


@pytest.mark.parametrize("move", sorted(MOVES))
def test_a_move_to_a_device_reads_as_no_layer(move: str) -> None:
    """On the meta device a move changes nothing: the layers are the convolution's alone."""
    network = from_torch(Forward(MOVES[move]), (3, 8, 8))
    assert [str(node.layer) for node in network.nodes] == ["conv3-8/p0"]


AFTER_A_CONVOLUTION = {
    "nn.ELU(0.5)": (nn.ELU(0.5), "elu0.5"),
    "F.elu": (Forward(lambda self, x: F.elu(self.conv(x), alpha=2.0)), "elu2"),
    "nn.SELU()": (nn.SELU(), "selu"),
    "torch.selu": (Forward(lambda self, x: torch.selu(self.conv(x))), "selu"),
    "nn.Mish()": (nn.Mish(), "mish"),
    "nn.Softplus(2, 10)": (nn.Softplus(2, 10), "softplus2"),
    "nn.PReLU()": (nn.PReLU(), "prelu"),
    "nn.PReLU(8)": (nn.PReLU(8), "prelu/channels"),
    "nn.GELU('tanh')": (nn.GELU(approximate="tanh"), "gelu/tanh"),
    "nn.Dropout2d(0.25)": (nn.Dropout2d(0.25), "dropout2d0.25"),
    "nn.InstanceNorm2d(8)": (nn.InstanceNorm2d(8), "instancenorm"),
    "nn.AdaptiveMaxPool2d(1)": (nn.AdaptiveMaxPool2d(1), "maxpool14"),  # one 14 x 14 window
    "nn.AdaptiveMaxPool2d((7, 7))": (nn.AdaptiveMaxPool2d((7, 7)), "maxpool"),  # 2 x 2 windows
    "nn.InstanceNorm2d(8, affine, running)": (
        nn.InstanceNorm2d(8, affine=True, track_running_stats=True),
        "instancenorm/affine/running",
    ),
    "F.gelu(tanh)": (
        Forward(lambda self, x: F.gelu(self.conv(x), approximate="tanh")),
        "gelu/tanh",
    ),
}
"""The activations besides the rectifier that tutorials use, channel dropout, instance norm and
adaptive max pooling over whole windows, each after an 8-channel convolution to 14 x 14, and the
token it reads as."""


def after_a_convolution(layer: nn.Module) -> nn.Module:
    """Return ``layer`` after a 3x3 convolution to 8 channels, unless it has one of its own."""
    if isinstance(layer, Forward):
        return layer
    return nn.Sequential(nn.Conv2d(3, 8, 3), layer)


@pytest.mark.parametrize("case", sorted(AFTER_A_CONVOLUTION))
def test_a_layer_reads_as_torch_counts_it_and_keeps_what_autograd_keeps(case: str) -> None:
    layer, token = AFTER_A_CONVOLUTION[case]
    model = after_a_convolution(layer)
    network = from_torch(model, (3, 16, 16))
    assert str(network.nodes[-1].layer) == token
    assert cnncount_counts(model, (3, 16, 16)) == torch_counts(model, (3, 16, 16))
    measured, _ = saved_bytes(model.train(), torch.randn(4, 3, 16, 16))
    assert kept_for_backward_bytes(summarize(network), Batch(4, device="cpu")) == measured


def test_prelu_with_its_slopes_along_another_axis_is_refused_in_one_line() -> None:
    """On a channels-last map torch's axis 1 is the height: a slope per row, which is no layer."""
    rows = Forward(lambda self, x: F.prelu(self.conv(x).permute(0, 2, 3, 1), self.slopes))
    rows.slopes = nn.Parameter(torch.ones(6))
    with pytest.raises(ReadError) as error:
        from_torch(rows, (3, 8, 8))
    message = str(error.value)
    assert "\n" not in message
    assert message.endswith(
        "cnncount learns one slope, or one per channel, not 6 slopes over a tensor of 6x6x8 (NHWC)"
    )


def test_adaptive_max_pooling_into_uneven_windows_is_refused_in_one_line() -> None:
    with pytest.raises(ReadError) as error:
        from_torch(nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveMaxPool2d((5, 7))), (3, 16, 16))
    assert str(error.value).endswith(
        "cnncount max-pools with square windows that tile the map, not 14x14 into 5x7"
    )


PADS = {
    "nn.ReflectionPad2d(2)": (nn.ReflectionPad2d(2), ["reflectpad2"]),
    "nn.ReplicationPad2d((1, 0, 2, 0))": (
        nn.ReplicationPad2d((1, 0, 2, 0)),
        ["replicatepad2x0x1x0"],
    ),
    "F.pad(reflect)": (
        Forward(lambda self, x: F.pad(self.conv(x), (1, 1, 1, 1), mode="reflect")),
        ["reflectpad1"],
    ),
    "Conv2d(padding_mode='reflect')": (
        nn.Conv2d(8, 8, 3, padding=1, padding_mode="reflect"),
        ["reflectpad1", "conv3-8/p0"],
    ),
    "Conv2d(padding_mode='replicate')": (
        nn.Conv2d(8, 4, 3, padding=(1, 2), padding_mode="replicate"),
        ["replicatepad1x1x2x2", "conv3-4/p0"],
    ),
}
"""Padding by reflection and by replication, as modules, as ``F.pad`` and as a convolution's
``padding_mode``, after an 8-channel convolution to 14 x 14, and the tokens they read as."""


@pytest.mark.parametrize("case", sorted(PADS))
@pytest.mark.parametrize("autocast", [None, "bfloat16"])
def test_a_copied_padding_reads_as_torch_counts_it_and_keeps_what_autograd_keeps(
    case: str, autocast: str | None
) -> None:
    """Its backward pass keeps its input, and the CPU's autocast runs it in float32."""
    layer, tokens = PADS[case]
    model = after_a_convolution(layer)
    network = from_torch(model, (3, 16, 16))
    assert [str(node.layer) for node in network.nodes][1:] == tokens
    assert cnncount_counts(model, (3, 16, 16)) == torch_counts(model, (3, 16, 16))
    measured, _ = saved_bytes(model.train(), torch.randn(4, 3, 16, 16), autocast)
    batch = Batch(4, device="cpu", autocast=autocast)
    assert kept_for_backward_bytes(summarize(network), batch) == measured
