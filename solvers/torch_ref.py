"""PyTorch references: real nn modules recompute every CNN shape and parameter count.

    params: sum(p.numel() for p in module.parameters()), the modules built on the `meta`
            device (no memory, no initialisation)
    shapes: an empty batch (N = 0) on the CPU forwarded through the pooling, flatten and
            activation modules, and through F.conv2d / F.linear with the module's own weight
            shape and hyper-parameters; torch infers every shape and runs its own shape
            checks, no arithmetic is done (N = 0) and the weights are stride-0 views
            (a meta-device forward would do the same, but its first nn.Linear loads
            torch._dynamo: 0.9 s, most of `quizgen solve net --verify`)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from quizgen.layers import ACTIVATIONS
from solvers import reference

_ACT = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}


def module(layer: dict, in_channels_or_features: int) -> nn.Module:
    """The nn.Module for one layer dict (see quizgen/layers.py)."""
    kind, dev = layer["type"], "meta"
    if kind == "conv":
        return nn.Conv2d(in_channels_or_features, layer["out"], layer["k"], stride=layer["s"], padding=layer["p"],
                         dilation=layer.get("d", 1), bias=layer["bias"], device=dev)
    if kind == "maxpool":
        return nn.MaxPool2d(layer["k"], stride=layer.get("s"), padding=layer.get("p", 0))
    if kind == "avgpool":
        return nn.AvgPool2d(layer["k"], stride=layer.get("s"), padding=layer.get("p", 0))
    if kind == "fc":
        return nn.Linear(in_channels_or_features, layer["out"], bias=layer["bias"], device=dev)
    if kind == "flatten":
        return nn.Flatten()
    if kind in ACTIVATIONS:
        return _ACT[kind]()
    raise ValueError(kind)


def forward_shape(m: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """`m(x)` for an empty batch x: conv and linear use a stride-0 view of the weight shape."""
    if isinstance(m, nn.Conv2d):
        return F.conv2d(x, torch.zeros(()).expand(m.weight.shape), None, m.stride, m.padding, m.dilation)
    if isinstance(m, nn.Linear):
        return F.linear(x, torch.zeros(()).expand(m.weight.shape))
    return m(x)


PLAIN = ("conv", "maxpool", "avgpool", "flatten") + ACTIVATIONS


def run_rows(input_shape: list[int], layers: list[dict]) -> list[tuple[list[int], int, int]]:
    """(output shape without batch, parameters, BatchNorm buffers) of each layer, from torch.
    Conv, pool, flatten and plain fc layers take the stride-0 path above; every other item
    is a module of solvers/nets_ref.py forwarded for real (a batch of 1 for sequences)."""
    from solvers import nets_ref

    sequence = layers and layers[0]["type"] == "embedding"
    x = torch.zeros((1 if sequence else 0, *input_shape), dtype=torch.long if sequence else torch.float)
    out = []
    for layer in layers:
        if layer["type"] in PLAIN or layer["type"] == "fc" and x.dim() == 2:
            m = module(layer, x.shape[1])
            x = forward_shape(m, x)
            out.append((list(x.shape[1:]), sum(p.numel() for p in m.parameters()), 0))
        else:
            x, params, buffers = nets_ref.run(layer, x)
            out.append((list(x.shape[1:]), params, buffers))
    return out


def run_stack(input_shape: list[int], layers: list[dict]) -> list[tuple[list[int], int]]:
    """(output shape without batch, parameter count) of each layer, from torch."""
    return [(shape, params) for shape, params, _ in run_rows(input_shape, layers)]


def unseen_rows(shape: list[int], layer: dict) -> tuple[int, int]:
    """Rows (and columns) cut from the bottom (right) of the input that leave torch's output
    size unchanged: the rows no window of the layer ever reaches."""
    def out(h: int, w: int) -> list[int]:
        return run_stack([shape[0], h, w], [layer])[0][0]

    full, rows, cols = out(shape[1], shape[2]), 0, 0
    while shape[1] - rows > 1 and out(shape[1] - rows - 1, shape[2]) == full:
        rows += 1
    while shape[2] - cols > 1 and out(shape[1], shape[2] - cols - 1) == full:
        cols += 1
    return rows, cols


@reference("cnn.shape")
def cnn_shape(params: dict) -> dict:
    from quizgen.model import part_id

    rows = run_stack(params["input"], params["layers"])
    answers = {part_id(i): shape for i, (shape, _) in enumerate(rows)}
    j = params.get("check")
    if j is not None:
        before = params["input"] if j == 0 else rows[j - 1][0]
        r, c = unseen_rows(before, params["layers"][j])
        answers[part_id(len(rows))], answers[part_id(len(rows) + 1)] = r == 0 and c == 0, [r, c]
    return answers


def _one_layer_count(layer: dict, in_shape: list[int]) -> int:
    m = module(layer, in_shape[0])
    return sum(p.numel() for p in m.parameters())


@reference("cnn.params")
def cnn_params(params: dict) -> dict:
    answers = {"a": _one_layer_count(params["layer"], params["in"])}
    layer = params["layer"]
    if params.get("unshared") and layer["type"] == "conv":
        # a locally connected layer: one weight per (output position, kernel, window entry) and
        # one bias per output value; the windows come from F.unfold
        x = torch.zeros((1, *params["in"]))
        windows = F.unfold(x, layer["k"], dilation=layer.get("d", 1), padding=layer["p"], stride=layer["s"])
        weight = torch.zeros((windows.shape[2], layer["out"], windows.shape[1]), device="meta")
        bias = torch.zeros((windows.shape[2], layer["out"]), device="meta") if layer["bias"] else torch.zeros(0)
        answers["b"] = weight.numel() + bias.numel()
    return answers


@reference("cnn.network")
def cnn_network(params: dict) -> dict:
    from quizgen.model import part_id

    rows = [count for layer, (_, count) in zip(params["layers"], run_stack(params["input"], params["layers"]))
            if layer["type"] not in ("flatten",) + ACTIVATIONS]
    answers = {part_id(i): c for i, c in enumerate(rows)}
    answers[part_id(len(rows))] = sum(rows)
    return answers


@reference("cnn.flatten")
def cnn_flatten(params: dict) -> dict:
    """Run the model through torch's shape checks (meta device): the right in_features
    works, and the classmate's wrong one raises torch's shape-mismatch error."""
    x = torch.zeros((2, *params["input"]), device="meta")
    channels = params["input"][0]
    for layer in params["layers"]:
        x = module(layer, channels)(x)
        channels = layer["out"] if layer["type"] == "conv" else channels
    flat = nn.Flatten()(x)
    in_features = int(flat.shape[1])
    assert nn.Linear(in_features, params["classes"], device="meta")(flat).shape == (2, params["classes"])
    try:
        nn.Linear(params["wrong"], params["classes"], device="meta")(flat)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the classmate's in_features must fail")
    return {"a": list(x.shape[1:]), "b": in_features}
