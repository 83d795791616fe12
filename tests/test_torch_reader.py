"""The PyTorch reader against torch's own counts: every classification model of torchvision, read
on the meta device at its weights' crop size, has torch's parameters, buffers, multiply-accumulates
(``FlopCounterMode`` / 2) and output size; small modules of the test's own, each refusal in one
line, and ``cnncount PACKAGE.MODULE:CALLABLE`` from the shell."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cnncount import Shape, summarize
from cnncount.errors import ReadError

torch = pytest.importorskip("torch", reason="torch is not installed: pip install 'cnncount[torch]'")
torchvision = pytest.importorskip("torchvision", reason="torchvision is not installed")

from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from cnncount.readers.torch import build_on_meta, from_torch

MODELS = torchvision.models.list_models(module=torchvision.models)
"""torchvision's classification models."""
FAST = frozenset(
    {
        "alexnet",
        "convnext_tiny",
        "densenet121",
        "efficientnet_b0",
        "googlenet",
        "inception_v3",
        "maxvit_t",
        "mnasnet0_5",
        "mobilenet_v2",
        "mobilenet_v3_small",
        "regnet_y_400mf",
        "resnet18",
        "resnext50_32x4d",
        "shufflenet_v2_x1_0",
        "squeezenet1_1",
        "swin_t",
        "swin_v2_t",
        "vgg11_bn",
        "vit_b_16",
    }
)
"""One model of each family, run by `make check`; the rest are marked slow."""


def build(name: str, **options: object) -> nn.Module:
    """Return torchvision's model ``name`` on the meta device, as its weights are built: the
    auxiliary heads left out, the transformers at their weights' image size."""
    if name in ("googlenet", "inception_v3"):
        options = {"aux_logits": False, "init_weights": False, **options}
    if name.startswith("vit_"):  # the weights' image size, which vit_h_14's builder takes from them
        options = {"image_size": crop(name), **options}
    return build_on_meta(lambda: torchvision.models.get_model(name, weights=None, **options), name)


def crop(name: str) -> int:
    """Return the side of the image that the weights of ``name`` are evaluated at."""
    return int(torchvision.models.get_model_weights(name).DEFAULT.transforms().crop_size[0])


def torch_counts(model: nn.Module, side: int) -> dict[str, int]:
    """Return torch's own parameters, buffers (without ``num_batches_tracked``), multiply-
    accumulates and output size of ``model`` on one meta image of ``side``."""
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        output = model.eval()(torch.empty(1, 3, side, side, device="meta"))
    return {
        "params": sum(p.numel() for p in model.parameters()),
        "buffers": sum(
            b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked")
        ),
        "macs": counter.get_total_flops() // 2,
        "output": output.numel(),
    }


def cnncount_counts(model: nn.Module, side: int, name: str) -> dict[str, int]:
    """Return cnncount's figures for ``model``, as :func:`torch_counts` names them."""
    summary = summarize(from_torch(model, (3, side, side), name=name))
    return {
        "params": summary.totals.params,
        "buffers": summary.totals.buffers,
        "macs": summary.totals.macs,
        "output": summary.rows[-1].output_shape.numel,
    }


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=[] if n in FAST else [pytest.mark.slow]) for n in MODELS]
)
def test_torchvision_models_read_as_torch_counts_them(name: str) -> None:
    model, side = build(name), crop(name)
    assert cnncount_counts(model, side, name) == torch_counts(model, side)


@pytest.mark.parametrize(("name", "head"), [("googlenet", "aux1"), ("inception_v3", "AuxLogits")])
def test_an_auxiliary_head_the_forward_never_runs_is_refused(name: str, head: str) -> None:
    model = build(name, aux_logits=True)
    with pytest.raises(ReadError) as error:
        from_torch(model, (3, crop(name), crop(name)), name=name)
    message = str(error.value)
    assert message.startswith(f"{name}: module '{head}' (") and "aux_logits=False" in message
    assert "\n" not in message


def test_the_module_is_left_as_it_was() -> None:
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Dropout())
    model.train()
    model[2].eval()
    weight, running = model[0].weight, model[1].running_mean.clone()
    from_torch(model, (3, 8, 8))
    assert [m.training for m in model.modules()] == [True, True, True, False]
    assert model[0].weight is weight and weight.device.type == "cpu"
    assert torch.equal(model[1].running_mean, running)
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in model.modules())


class Student(nn.Module):
    """The small CNN a student writes for MNIST, in functional style."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = nn.functional.max_pool2d(nn.functional.relu(self.conv2(x)), 2)
        return self.fc(x.view(x.size(0), -1))


def test_a_students_cnn_reads_with_its_names_and_counts() -> None:
    network = from_torch(Student(), Shape(1, 28, 28), name="student")
    assert [(node.name, str(node.layer)) for node in network.nodes] == [
        ("conv1", "conv3-16"),
        ("relu", "relu"),
        ("maxpool", "maxpool"),
        ("conv2", "conv3-32"),
        ("relu#2", "relu"),
        ("maxpool#2", "maxpool"),
        ("flatten", "flatten"),
        ("fc", "FC-10"),
    ]
    params = (9 * 16 + 16) + (9 * 16 * 32 + 32) + (32 * 49 * 10 + 10)
    macs = 28 * 28 * 16 * 9 + 14 * 14 * 32 * 9 * 16 + 32 * 49 * 10
    totals = summarize(network).totals
    assert (totals.params, totals.macs) == (params, macs)


class ChannelsLast(nn.Module):
    """A ConvNeXt block written by hand: channels last around a layer norm and two linear layers,
    a layer scale held by the block itself, and a residual addition."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.dwconv = nn.Conv2d(channels, channels, 7, padding=3, groups=channels)
        self.norm = nn.LayerNorm(channels)
        self.up = nn.Linear(channels, 4 * channels)
        self.down = nn.Linear(4 * channels, channels)
        self.gamma = nn.Parameter(torch.ones(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.dwconv(x).permute(0, 2, 3, 1)
        y = self.gamma * self.down(nn.functional.gelu(self.up(self.norm(y))))
        return x + y.permute(0, 3, 1, 2)


def test_a_channels_last_block_reads_as_torch_counts_it() -> None:
    model = ChannelsLast(8)
    network = from_torch(model, (8, 14, 14))
    assert [str(node.layer) for node in network.nodes] == [
        "conv7-8/g8",
        "ln",
        "linear-32",
        "gelu",
        "linear-8",
        "layerscale",
        "add",
    ]
    assert summarize(network).totals.params == sum(p.numel() for p in model.parameters())


class Gated(nn.Module):
    """Squeeze-and-excitation written with functions: a mean, a gate, a product."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Conv2d(8, 8, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.fc(x.mean((2, 3), keepdim=True)))


def test_a_gate_reads_as_a_product_of_branches() -> None:
    network = from_torch(Gated(), (8, 6, 6))
    assert [(node.name, str(node.layer)) for node in network.nodes][-2:] == [
        ("sigmoid", "sigmoid"),
        ("mul", "mul"),
    ]
    assert network.nodes[-1].inputs == ("input", "sigmoid")


class StandardisedConv(nn.Conv2d):
    """A convolution that standardises its kernel at each call, in functional style (BiT, NFNet)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = self.weight.reshape(1, self.out_channels, -1)
        weight = nn.functional.batch_norm(flat, None, None, training=True).reshape_as(self.weight)
        return nn.functional.conv2d(x, weight, self.bias, self.stride, self.padding)


class Functional(nn.Module):
    """Batch norm, layer norm and a linear layer called as functions on the modules' tensors."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = StandardisedConv(3, 8, 3, padding=1, bias=False)
        self.bn, self.ln, self.fc = nn.BatchNorm2d(8), nn.LayerNorm(8), nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        bn, ln, fc = self.bn, self.ln, self.fc
        x = nn.functional.batch_norm(
            self.conv(x), bn.running_mean, bn.running_var, bn.weight, bn.bias
        )
        x = nn.functional.layer_norm(x.mean((2, 3)), (8,), ln.weight, ln.bias)
        return nn.functional.linear(x, fc.weight, fc.bias)


def test_functional_calls_on_a_modules_own_tensors_read_as_layers() -> None:
    model = Functional()
    network = from_torch(model, (3, 8, 8))
    assert [(node.name, str(node.layer)) for node in network.nodes] == [
        ("conv.conv", "conv3-8/nobias"),
        ("batchnorm", "bn"),
        ("adaptiveavgpool", "gap"),
        ("layernorm", "ln"),
        ("fc", "FC-4"),
    ]
    totals = summarize(network).totals
    assert totals.params == sum(p.numel() for p in model.parameters()) == 8 * 27 + 16 + 16 + 36
    assert totals.buffers == 16


class Padded(nn.Module):
    """TensorFlow's "same" padding before a strided convolution, and a channels-last map padded
    to a multiple of a window, as Swin pads it."""

    def __init__(self) -> None:
        super().__init__()
        self.conv, self.norm = nn.Conv2d(3, 8, 3, stride=2), nn.LayerNorm(8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(nn.functional.pad(x, (0, 1, 0, 1)))
        x = nn.functional.pad(self.norm(x.permute(0, 2, 3, 1)), (0, 0, 0, 2, 0, 3))
        return x.permute(0, 3, 1, 2)


def test_zero_padding_reads_channels_first_and_last() -> None:
    network = from_torch(Padded(), (3, 16, 16))
    assert [str(node.layer) for node in network.nodes] == [
        "pad0x1x0x1",
        "conv3-8/s2/p0",
        "ln",
        "pad0x3x0x2",
    ]
    assert summarize(network).rows[-1].output_shape == Shape(8, 8 + 3, 8 + 2)


class Calls(nn.Module):
    """A module whose forward is ``function(self, x)``: each refusal's case in one line."""

    def __init__(self, function: object) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.function = function

    def forward(self, x: torch.Tensor) -> object:
        return self.function(self, x)


REFUSALS = {
    "an unknown function": (
        lambda self, x: torch.sin(self.conv(x)),
        "cnncount cannot count torch.sin",
    ),
    "an option": (
        lambda self, x: nn.functional.softmax(self.conv(x), dim=1, dtype=torch.float64),
        "cnncount cannot count torch.nn.functional.softmax with a dtype",
    ),
    "a circular padding": (
        lambda self, x: nn.functional.pad(self.conv(x), (1, 1, 1, 1), mode="circular"),
        "not mode='circular', value=None over 2 axes",
    ),
    "a power": (  # x + 1 reads as a rescaling (timm's extension), x ** 2 does not
        lambda self, x: self.conv(x) ** 2,
        "cnncount cannot count Tensor.pow",
    ),
    "a weight used twice": (
        lambda self, x: self.conv(x) * self.conv.bias[None, :, None, None],
        "it uses 'conv.bias' a second time; cnncount would count it at each use",
    ),
    "a tuple returned": (
        lambda self, x: (self.conv(x), self.conv.weight),
        "returns tuple, where cnncount reads a tensor computed from the input",
    ),
    "a weight cut": (
        lambda self, x: nn.functional.conv2d(x, self.conv.weight[:, :, :1, :1]),
        "cnncount's layers count 12 parameters and buffers where the tensors it uses hold 108",
    ),
    "a slice": (
        lambda self, x: self.conv(x)[:, :2],
        "cnncount cannot count Tensor.__getitem__",
    ),
}
"""Each refusal's case: the forward, and what the one line says after the module's name."""


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_each_refusal_is_one_line_naming_the_module_and_the_operator(case: str) -> None:
    forward, reason = REFUSALS[case]
    with pytest.raises(ReadError) as error:
        from_torch(Calls(forward), (3, 8, 8), name="mine")
    message = str(error.value)
    assert message.startswith("mine: the model (Calls): ") and reason in message
    assert "\n" not in message


def test_a_parameter_never_used_is_refused_by_its_module() -> None:
    model = Calls(lambda self, x: self.conv(x))
    model.spare = nn.Linear(4, 4)
    with pytest.raises(
        ReadError, match=r"^m: module 'spare' \(Linear\): the forward pass never uses its 20 "
    ):
        from_torch(model, (3, 8, 8), name="m")


def test_a_shared_layer_with_weights_is_refused() -> None:
    conv = nn.Conv2d(4, 4, 3, padding=1)
    with pytest.raises(ReadError, match=r"^m: module '0' \(Conv2d\): it runs a second time"):
        from_torch(nn.Sequential(conv, conv), (4, 8, 8), name="m")


def test_an_input_the_model_rejects_is_one_line() -> None:
    with pytest.raises(ReadError, match=r"^m: module '0' \(Conv2d\): rejects an input of 3x2x2: "):
        from_torch(nn.Sequential(nn.Conv2d(3, 4, 3)), (3, 2, 2), name="m")


# -- the command line ---------------------------------------------------------------------------


def cnncount(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cnncount", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def test_the_command_line_reads_a_torchvision_model() -> None:
    result = cnncount("torchvision.models:resnet18", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = [line.split(",") for line in result.stdout.splitlines()]
    assert rows[2][0] == "conv1" and rows[-1][0] == "fc"
    model = torchvision.models.resnet18()
    assert sum(int(row[9]) for row in rows[1:]) == sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize(
    "view",
    [
        ["-f", "json"],
        ["-f", "markdown"],
        ["-b", "8", "--optimizer", "adam", "--amp", "bfloat16", "--checkpoint", "4"],
        ["--budget", "8GiB"],
        ["--convention", "keras"],
        ["--receptive-field"],
        ["--roofline", "h100-sxm"],
    ],
    ids=" ".join,
)
def test_every_view_works_on_a_model_read_from_torch(view: list[str]) -> None:
    from cnncount.cli import run

    shown = run(["torchvision.models:mobilenet_v3_small", *view])
    params = sum(p.numel() for p in torchvision.models.mobilenet_v3_small().parameters())
    assert f"{params:,}" in shown or f'"params": {params}' in shown


MYNETS = """
import torch

class TinyCNN(torch.nn.Sequential):
    def __init__(self):
        super().__init__(torch.nn.Conv2d(1, 8, 3), torch.nn.ReLU(), torch.nn.Flatten(),
                         torch.nn.Linear(8 * 26 * 26, 10))

def odd():
    return torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3), torch.nn.Softsign())

def not_a_module():
    return 42

def exits():
    raise SystemExit("no GPU found")
"""


def test_the_command_line_reads_the_users_module_from_the_current_directory(tmp_path: Path) -> None:
    (tmp_path / "mynets.py").write_text(MYNETS)
    result = cnncount("mynets:TinyCNN", "--input", "1x28x28", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f'"params": {8 * 9 + 8 + 8 * 26 * 26 * 10 + 10}' in result.stdout


@pytest.mark.parametrize(
    ("words", "reason"),
    [
        (["nosuch.module:net"], "nosuch.module:net: no module named 'nosuch'"),
        (["mynets:missing"], "mynets:missing: module 'mynets' has no callable 'missing'"),
        (["mynets:not_a_module"], "returns int, where cnncount reads a torch.nn.Module"),
        (["mynets:exits"], "mynets:exits: calling it fails: SystemExit: no GPU found"),
        (
            ["mynets:odd", "--input", "1x28x28"],
            "odd: module '1' (Softsign): cnncount cannot count torch.nn.functional.softsign",
        ),
        (["mynets:TinyCNN", "--input", "1x2x2"], "TinyCNN: module '0' (Conv2d): rejects"),
    ],
)
def test_the_command_line_refuses_in_one_line(
    tmp_path: Path, words: list[str], reason: str
) -> None:
    (tmp_path / "mynets.py").write_text(MYNETS)
    result = cnncount(*words, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("cnncount: error: ") and reason in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_the_command_line_without_torch_says_what_to_install() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["torch"] = None  # as if torch were not installed
        from cnncount.cli import main
        sys.exit(main(["torchvision.models:resnet18"]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr == (
        "cnncount: error: torchvision.models:resnet18: reading a PyTorch model needs torch: "
        "pip install 'cnncount[torch]'\n"
    )
