"""Composite blocks of modern CNNs, as sequences of plain layers (ResNet, DenseNet).

    basic C [s]        ResNet basic block (He et al. 2016; torchvision BasicBlock):
                       conv3×3(C, stride s) BN ReLU conv3×3(C) BN, + shortcut, ReLU
    bottleneck W [s]   ResNet bottleneck (torchvision v1.5, stride on the 3×3):
                       conv1×1(W) BN ReLU conv3×3(W, stride s) BN ReLU conv1×1(4W) BN, + shortcut, ReLU
    shortcut           identity when the shape is kept; otherwise the projection
                       conv1×1(C_out, stride s, no bias) + BN
    dense n gK [bB]    DenseNet block: n layers, each BN ReLU conv1×1(B·K) BN ReLU conv3×3(K),
                       its output concatenated to its input: C_out = C_in + n·K (B = 4)
    transition θ | C   BN ReLU conv1×1(⌊θ·C_in⌋ or C) AvgPool 2×2 stride 2

Every conv inside a block has no bias (BatchNorm follows it).  Parameters are the sums over
the plain layers (quizgen/layers.py: conv C_out·C_in·kh·kw, BN 2C); the ReLUs and the
addition have none.
"""

from __future__ import annotations

from fractions import Fraction

KINDS = ("basic", "bottleneck", "dense", "transition")
EXPANSION = 4  # bottleneck output channels = 4 × width


def _conv(out: int, k: int, s: int = 1, p: int = 0) -> dict:
    return {"type": "conv", "out": out, "k": k, "s": s, "p": p, "d": 1, "bias": False}


BN, RELU = {"type": "bn"}, {"type": "relu"}


def block_out(layer: dict) -> int:
    """Output channels of a residual block."""
    return layer["out"] if layer["type"] == "basic" else EXPANSION * layer["width"]


def transition_out(layer: dict, channels: int) -> int:
    if "out" in layer:
        return layer["out"]
    return int(Fraction(layer["theta"]) * channels)


def stages(layer: dict, channels: int) -> list[tuple[str, list[dict], list[dict]]]:
    """(how the stage joins its input: 'residual' | 'concat' | 'seq', main path, shortcut)."""
    kind, s = layer["type"], layer.get("s", 1)
    if kind in ("basic", "bottleneck"):
        out = block_out(layer)
        if kind == "basic":
            main = [_conv(out, 3, s, 1), BN, RELU, _conv(out, 3, 1, 1), BN]
        else:
            w = layer["width"]
            main = [_conv(w, 1), BN, RELU, _conv(w, 3, s, 1), BN, RELU, _conv(out, 1), BN]
        shortcut = [_conv(out, 1, s, 0), BN] if s != 1 or channels != out else []
        return [("residual", main, shortcut)]
    if kind == "dense":
        k, b = layer["growth"], layer.get("bn_size", 4)
        return [("concat", [BN, RELU, _conv(b * k, 1), BN, RELU, _conv(k, 3, 1, 1)], [])] * layer["n"]
    out = transition_out(layer, channels)
    return [("seq", [BN, RELU, _conv(out, 1), {"type": "avgpool", "k": 2, "s": 2, "p": 0}], [])]


def walk(layer: dict, shape: list[int], output_shape) -> tuple[list[tuple[dict, list[int]]], list[int]]:
    """Every plain layer with its input shape, and the block's output shape."""
    if len(shape) != 3:
        raise ValueError(f"{layer['type']} needs a C×H×W input")
    seen: list[tuple[dict, list[int]]] = []

    def run(path: list[dict], start: list[int]) -> list[int]:
        current = start
        for sub in path:
            seen.append((sub, current))
            current = output_shape(sub, current)
        return current

    current = list(shape)
    for join, main, shortcut in stages(layer, shape[0]):
        out = run(main, current)
        if join == "residual":
            side = run(shortcut, current)
            if side != out:
                raise ValueError(f"the shortcut gives {side}, the main path {out}")
        elif join == "concat":
            out = [current[0] + out[0], *out[1:]]
        current = out
    return seen, current


def output_shape(layer: dict, shape: list[int], output_shape_fn) -> list[int]:
    return walk(layer, shape, output_shape_fn)[1]


def param_count(layer: dict, shape: list[int], param_count_fn, output_shape_fn) -> int:
    return sum(param_count_fn(sub, s) for sub, s in walk(layer, shape, output_shape_fn)[0])


def buffer_count(layer: dict, shape: list[int], buffer_count_fn, output_shape_fn) -> int:
    return sum(buffer_count_fn(sub, s) for sub, s in walk(layer, shape, output_shape_fn)[0])


def has_projection(layer: dict, channels: int) -> bool:
    return layer["type"] in ("basic", "bottleneck") and bool(stages(layer, channels)[0][2])


def short(layer: dict) -> str:
    kind = layer["type"]
    s = f" s{layer['s']}" if layer.get("s", 1) != 1 else ""
    if kind == "basic":
        return f"basic {layer['out']}{s}"
    if kind == "bottleneck":
        return f"bottleneck {layer['width']}→{block_out(layer)}{s}"
    if kind == "dense":
        b = f" b{layer['bn_size']}" if layer.get("bn_size", 4) != 4 else ""
        return f"dense {layer['n']} g{layer['growth']}{b}"
    return f"transition {layer.get('out', layer.get('theta'))}"


def torch_code(layer: dict, shape: list[int]) -> str:
    kind, c = layer["type"], shape[0]
    if kind in ("basic", "bottleneck"):
        cls = "BasicBlock" if kind == "basic" else "Bottleneck"
        proj = ", projection shortcut" if has_projection(layer, c) else ""
        return f"{cls}({c}, {block_out(layer)}, stride={layer.get('s', 1)}){proj}"
    if kind == "dense":
        return f"DenseBlock({layer['n']}, {c}, growth_rate={layer['growth']}, bn_size={layer.get('bn_size', 4)})"
    return f"Transition({c}, {transition_out(layer, c)})"
