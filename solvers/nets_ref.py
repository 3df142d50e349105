"""Torch reference modules for the modern net-spec items, written from the papers and
torchvision's source layout (torchvision itself is not used):

    BasicBlock / Bottleneck   He et al. 2016, torchvision.models.resnet (stride on the 3×3)
    DenseLayer / DenseBlock / Transition   Huang et al. 2017, torchvision.models.densenet
    Subsample / C3            LeCun et al. 1998 (trainable subsampling; Table I sparse C3)
    KerasDense                a Dense layer on the last axis of a channels_last map
    Recurrent                 nn.RNN / nn.LSTM / nn.GRU (batch_first) returning the output;
                              Keras' one bias per gate = torch's b_ih alone (b_hh not counted)

`module(layer, shape)` returns (module, parameters, buffers): parameters are
sum(p.numel() for p in module.parameters()) minus the b_hh tensors in the one-bias
convention; buffers are BatchNorm's running mean and variance (num_batches_tracked, one
integer counter per BatchNorm, is left out).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from solvers import reference

C3_TABLE = (  # LeCun et al. 1998, Table I: the S2 maps each C3 map reads
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5), (0, 1, 2, 3, 4, 5))


def conv3x3(cin: int, cout: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)


def conv1x1(cin: int, cout: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__()
        self.conv1, self.bn1 = conv3x3(cin, cout, stride), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = conv3x3(cout, cout), nn.BatchNorm2d(cout)
        self.downsample = (nn.Sequential(conv1x1(cin, cout, stride), nn.BatchNorm2d(cout))
                           if stride != 1 or cin != cout else None)

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin: int, width: int, stride: int = 1):
        super().__init__()
        cout = width * self.expansion
        self.conv1, self.bn1 = conv1x1(cin, width), nn.BatchNorm2d(width)
        self.conv2, self.bn2 = conv3x3(width, width, stride), nn.BatchNorm2d(width)
        self.conv3, self.bn3 = conv1x1(width, cout), nn.BatchNorm2d(cout)
        self.downsample = (nn.Sequential(conv1x1(cin, cout, stride), nn.BatchNorm2d(cout))
                           if stride != 1 or cin != cout else None)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class DenseLayer(nn.Module):
    def __init__(self, cin: int, growth: int, bn_size: int):
        super().__init__()
        self.norm1, self.conv1 = nn.BatchNorm2d(cin), conv1x1(cin, bn_size * growth)
        self.norm2, self.conv2 = nn.BatchNorm2d(bn_size * growth), conv3x3(bn_size * growth, growth)

    def forward(self, x):
        new = self.conv2(F.relu(self.norm2(self.conv1(F.relu(self.norm1(x))))))
        return torch.cat([x, new], 1)


class DenseBlock(nn.Sequential):
    def __init__(self, n: int, cin: int, growth: int, bn_size: int = 4):
        super().__init__(*[DenseLayer(cin + i * growth, growth, bn_size) for i in range(n)])


class Transition(nn.Sequential):
    def __init__(self, cin: int, cout: int):
        super().__init__(nn.BatchNorm2d(cin), nn.ReLU(), conv1x1(cin, cout), nn.AvgPool2d(2, 2))


class Subsample(nn.Module):
    """a·(sum of each k×k block) + b, one a and one b per map."""

    def __init__(self, channels: int, k: int):
        super().__init__()
        self.k = k
        self.coefficient, self.bias = nn.Parameter(torch.ones(channels)), nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        summed = F.avg_pool2d(x, self.k) * self.k * self.k
        return summed * self.coefficient.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class C3(nn.Module):
    def __init__(self):
        super().__init__()
        self.maps = nn.ModuleList(nn.Conv2d(len(inputs), 1, 5) for inputs in C3_TABLE)

    def forward(self, x):
        return torch.cat([conv(x[:, list(inputs)]) for conv, inputs in zip(self.maps, C3_TABLE)], 1)


class KerasDense(nn.Module):
    """Dense on the last axis of an N×H×W×C (channels_last) map; in and out as N×C×H×W."""

    def __init__(self, cin: int, cout: int, bias: bool):
        super().__init__()
        self.linear = nn.Linear(cin, cout, bias=bias)

    def forward(self, x):
        return self.linear(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class Recurrent(nn.Module):
    def __init__(self, kind: str, inputs: int, layer: dict):
        super().__init__()
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
        self.rnn = cls(inputs, layer["hidden"], num_layers=layer.get("layers", 1), bias=layer["bias"] != "none",
                       batch_first=True, bidirectional=layer.get("bidirectional", False))

    def forward(self, x):
        return self.rnn(x)[0]


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class SequenceBatchNorm(nn.BatchNorm1d):
    """BatchNorm1d over the features of an N×L×F sequence."""

    def forward(self, x):
        return super().forward(x.transpose(1, 2)).transpose(1, 2)


def build(layer: dict, shape: list[int]) -> nn.Module:
    kind, c = layer["type"], shape[0]
    if kind == "basic":
        return BasicBlock(c, layer["out"], layer.get("s", 1))
    if kind == "bottleneck":
        return Bottleneck(c, layer["width"], layer.get("s", 1))
    if kind == "dense":
        return DenseBlock(layer["n"], c, layer["growth"], layer.get("bn_size", 4))
    if kind == "transition":
        from fractions import Fraction

        return Transition(c, layer["out"] if "out" in layer else int(c * Fraction(layer["theta"])))
    if kind == "subsample":
        return Subsample(c, layer["k"])
    if kind == "c3":
        return C3()
    if kind == "bn":
        return {3: nn.BatchNorm2d, 1: nn.BatchNorm1d, 2: SequenceBatchNorm}[len(shape)](shape[-1] if len(shape) == 2 else c)
    if kind == "dropout":
        return nn.Dropout(float(layer["p"]))
    if kind == "gap":
        return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
    if kind == "adaptiveavgpool":
        return nn.AdaptiveAvgPool2d(tuple(layer["size"]))
    if kind == "fc" and len(shape) == 3:
        return KerasDense(c, layer["out"], layer["bias"])
    if kind == "fc":
        return nn.Linear(shape[-1], layer["out"], bias=layer["bias"])
    if kind == "embedding":
        return nn.Embedding(layer["num"], layer["dim"])
    if kind in ("rnn", "lstm", "gru"):
        return Recurrent(kind, shape[-1], layer)
    if kind == "last":
        return Lambda(lambda x: x[:, -1])
    raise ValueError(kind)


def counts(m: nn.Module, layer: dict) -> tuple[int, int]:
    """(learnable parameters, BatchNorm running-statistics buffers) of a built module."""
    one_bias = layer.get("bias") == "one"
    params = sum(p.numel() for name, p in m.named_parameters() if not (one_bias and "bias_hh" in name))
    buffers = sum(b.numel() for name, b in m.named_buffers() if not name.endswith("num_batches_tracked"))
    return params, buffers


def run(layer: dict, x: torch.Tensor) -> tuple[torch.Tensor, int, int]:
    """Build `layer` for input x (meta device, then uninitialised CPU memory), forward x."""
    with torch.device("meta"):
        m = build(layer, list(x.shape[1:]))
    params, buffers = counts(m, layer)
    m = m.to_empty(device="cpu").eval()
    with torch.no_grad():
        return m(x), params, buffers


@reference("cnn.block")
def cnn_block(params: dict) -> dict:
    """The block built from torch.nn (BasicBlock / Bottleneck / DenseLayer), shapes from a
    forward pass of an empty batch, counts from numel()."""
    from quizgen.model import part_id

    layer, shape = params["layer"], params["input"]
    x = torch.zeros((0, *shape))
    answers: list = []
    with torch.no_grad():
        if layer["type"] == "dense":
            for dense_layer in build(layer, shape).eval():
                answers.append(sum(p.numel() for p in dense_layer.parameters()))
                x = dense_layer(x)
                answers.append(list(x.shape[1:]))
        else:
            block = build(layer, shape).eval()
            convs = [m for name, m in block.named_children() if name.startswith("conv")]
            hooks = [c.register_forward_hook(lambda m, i, o: answers.append(list(o.shape[1:]))) for c in convs]
            block(x)
            for h in hooks:
                h.remove()
            side = sum(p.numel() for p in block.downsample.parameters()) if block.downsample is not None else 0
            main = sum(p.numel() for p in block.parameters()) - side
            answers += [block.downsample is not None, main, side]
        answers.append(sum(p.numel() for p in build(layer, shape).parameters()))
    return {part_id(i): v for i, v in enumerate(answers)}
