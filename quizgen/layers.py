"""Layer arithmetic and presets: the core of the CNN families (problems/cnn_*.py) and `quizgen solve net`.

Output size (PyTorch's Conv2d / MaxPool2d / AvgPool2d, floor mode, cross-correlation):

    H_out = floor((H + 2P - D(K - 1) - 1) / S) + 1

Pooling stride defaults to its kernel size.  Learnable parameters (biases counted):

    conv:  C_out * (C_in * K * K + 1)        (no +1 when bias=False)
    fc:    N_out * (N_in + 1)
    pool, flatten, activations: 0

A layer is a JSON-able dict: {"type": "conv", "out": 25, "k": 3, "s": 1, "p": 0, "d": 1,
"bias": true}, {"type": "maxpool"|"avgpool", "k": 2, "s": null (= k), "p": 0},
{"type": "flatten"}, {"type": "fc", "out": 10, "bias": true}, {"type": "relu"|"sigmoid"|"tanh"}.
"""

from __future__ import annotations

from quizgen.model import t

ACTIVATIONS = ("relu", "sigmoid", "tanh")
POOLS = ("maxpool", "avgpool")


def conv(out: int, k: int, s: int = 1, p: int = 0, d: int = 1, bias: bool = True) -> dict:
    return {"type": "conv", "out": out, "k": k, "s": s, "p": p, "d": d, "bias": bias}


def pool(kind: str, k: int, s: int | None = None, p: int = 0) -> dict:
    return {"type": kind, "k": k, "s": s, "p": p}


def fc(out: int, bias: bool = True) -> dict:
    return {"type": "fc", "out": out, "bias": bias}


def stride(layer: dict) -> int:
    """The effective stride: pooling defaults to its kernel size."""
    return layer["s"] if layer.get("s") is not None else layer["k"]


def span(layer: dict) -> int:
    """Effective kernel extent D(K-1)+1."""
    return layer.get("d", 1) * (layer["k"] - 1) + 1


def numerator(size: int, layer: dict) -> int:
    """H + 2P - D(K-1) - 1, the quantity divided by the stride."""
    return size + 2 * layer.get("p", 0) - span(layer)


def out_size(size: int, layer: dict) -> int:
    """floor((H + 2P - D(K-1) - 1)/S) + 1 for one spatial dimension."""
    return numerator(size, layer) // stride(layer) + 1


def output_shape(layer: dict, shape: list[int]) -> list[int]:
    """The output shape of `layer` for input `shape` (C,H,W or N); ValueError if impossible."""
    kind = layer["type"]
    if kind in ACTIVATIONS:
        return list(shape)
    if kind == "flatten":
        n = 1
        for v in shape:
            n *= v
        return [n]
    if kind == "fc":
        if len(shape) != 1:
            raise ValueError("a fully connected layer needs a flattened input")
        return [layer["out"]]
    if len(shape) != 3:
        raise ValueError(f"{kind} needs a C×H×W input")
    c, h, w = shape
    if kind in POOLS and 2 * layer.get("p", 0) > layer["k"]:
        raise ValueError("pooling padding must be at most half the kernel size")
    if numerator(h, layer) < 0 or numerator(w, layer) < 0:
        raise ValueError("the kernel is larger than the padded input")
    channels = layer["out"] if kind == "conv" else c
    return [channels, out_size(h, layer), out_size(w, layer)]


def param_count(layer: dict, shape: list[int]) -> int:
    """Learnable parameters of `layer` given its input `shape` (biases counted)."""
    kind = layer["type"]
    if kind == "conv":
        return layer["out"] * (shape[0] * layer["k"] ** 2 + (1 if layer["bias"] else 0))
    if kind == "fc":
        return layer["out"] * (shape[0] + (1 if layer["bias"] else 0))
    return 0


def shapes(input_shape: list[int], layers: list[dict]) -> list[list[int]]:
    """Input shape followed by the shape after each layer."""
    out = [list(input_shape)]
    for layer in layers:
        out.append(output_shape(layer, out[-1]))
    return out


def describe(layer: dict, lang: str) -> str:
    """A layer in words, as a statement would put it."""
    kind, zh = layer["type"], lang == "zh"
    if kind == "conv":
        k, extra_en, extra_zh = layer["k"], "", ""
        if layer.get("d", 1) != 1:
            extra_en += f", dilation {layer['d']}"
            extra_zh += f"，空洞率（dilation）{layer['d']}"
        if not layer["bias"]:
            extra_en += ", no bias"
            extra_zh += "，无偏置"
        if zh:
            return f"卷积：{layer['out']} 个 ${k}\\times{k}$ 卷积核，步长 {layer['s']}，填充 {layer['p']}{extra_zh}"
        return f"conv: {layer['out']} kernels of ${k}\\times{k}$, stride {layer['s']}, padding {layer['p']}{extra_en}"
    if kind in POOLS:
        k = layer["k"]
        name = ("最大池化" if kind == "maxpool" else "平均池化") if zh else ("max-pool" if kind == "maxpool" else "average-pool")
        if layer.get("s") is None:
            st = "（未给出步长：默认等于核大小）" if zh else " (no stride given: it defaults to the kernel size)"
        else:
            st = f"，步长 {layer['s']}" if zh else f", stride {layer['s']}"
        pad = (f"，填充 {layer['p']}" if zh else f", padding {layer['p']}") if layer.get("p") else ""
        return f"{name} ${k}\\times{k}${st}{pad}"
    if kind == "flatten":
        return "展平（flatten）" if zh else "flatten"
    if kind == "fc":
        nb = ("，无偏置" if zh else ", no bias") if not layer["bias"] else ""
        return (f"全连接层，{layer['out']} 个输出{nb}" if zh else f"fully connected, {layer['out']} outputs{nb}")
    return {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}[kind]


def short(layer: dict) -> str:
    """A compact name for tables: conv 25@3×3 s1 p0, maxpool 2×2 s2, fc 10."""
    kind = layer["type"]
    if kind == "conv":
        s = f"conv {layer['out']}@{layer['k']}×{layer['k']} s{layer['s']} p{layer['p']}"
        s += f" d{layer['d']}" if layer.get("d", 1) != 1 else ""
        return s + ("" if layer["bias"] else " nobias")
    if kind in POOLS:
        p = f" p{layer['p']}" if layer.get("p") else ""
        return f"{kind} {layer['k']}×{layer['k']} s{stride(layer)}{p}"
    if kind == "fc":
        return f"fc {layer['out']}" + ("" if layer["bias"] else " nobias")
    return kind


def torch_code(layer: dict, shape: list[int]) -> str:
    """The PyTorch constructor of `layer` for input `shape`."""
    kind = layer["type"]
    if kind == "conv":
        args = [str(shape[0]), str(layer["out"]), f"kernel_size={layer['k']}"]
        if layer["s"] != 1:
            args.append(f"stride={layer['s']}")
        if layer["p"]:
            args.append(f"padding={layer['p']}")
        if layer.get("d", 1) != 1:
            args.append(f"dilation={layer['d']}")
        if not layer["bias"]:
            args.append("bias=False")
        return f"nn.Conv2d({', '.join(args)})"
    if kind in POOLS:
        name = "nn.MaxPool2d" if kind == "maxpool" else "nn.AvgPool2d"
        args = [str(layer["k"])] + ([f"stride={layer['s']}"] if layer.get("s") is not None else [])
        args += [f"padding={layer['p']}"] if layer.get("p") else []
        return f"{name}({', '.join(args)})"
    if kind == "fc":
        return f"nn.Linear({shape[0]}, {layer['out']}" + ("" if layer["bias"] else ", bias=False") + ")"
    return {"flatten": "nn.Flatten()", "relu": "nn.ReLU()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()"}[kind]


PRESETS: dict[str, str] = {
    "lenet5": "in 1x32x32; conv 6 k5; maxpool 2; conv 16 k5; maxpool 2; flatten; fc 120; fc 84; fc 10",
    "alexnet": ("in 3x227x227; conv 96 k11 s4; maxpool 3 s2; conv 256 k5 p2; maxpool 3 s2; "
                "conv 384 k3 p1; conv 384 k3 p1; conv 256 k3 p1; maxpool 3 s2; flatten; "
                "fc 4096; fc 4096; fc 1000"),
    "vgg16": ("in 3x224x224; conv 64 k3 p1; conv 64 k3 p1; maxpool 2; conv 128 k3 p1; conv 128 k3 p1; "
              "maxpool 2; conv 256 k3 p1; conv 256 k3 p1; conv 256 k3 p1; maxpool 2; conv 512 k3 p1; "
              "conv 512 k3 p1; conv 512 k3 p1; maxpool 2; conv 512 k3 p1; conv 512 k3 p1; "
              "conv 512 k3 p1; maxpool 2; flatten; fc 4096; fc 4096; fc 1000"),
}


# ---------------------------------------------------------------- conventions in words

FLOOR = t(
    r"Output size: $H_{\text{out}} = \lfloor \frac{H + 2P - D(K-1) - 1}{S} \rfloor + 1$ (floor, as PyTorch; $D = 1$ unless a dilation is given).",
    r"输出尺寸：$H_{\text{out}} = \lfloor \frac{H + 2P - D(K-1) - 1}{S} \rfloor + 1$（向下取整，与 PyTorch 一致；未给出空洞率时 $D = 1$）。")
POOL_STRIDE = t("A pooling layer's stride equals its kernel size unless a stride is given; pooling keeps the channel count.",
                "池化层未给出步长时，步长等于池化核大小；池化不改变通道数。")
CROSS_CORRELATION = t("Convolution is cross-correlation (no kernel flip), as in PyTorch's nn.Conv2d.",
                      "卷积按互相关计算（不翻转卷积核），与 PyTorch 的 nn.Conv2d 一致。")
BIASES = t("Parameter counts include biases (one per kernel or output unit) unless a layer says no bias; pooling, flatten and activations have no parameters.",
           "参数量包含偏置（每个卷积核或输出单元一个），除非注明无偏置；池化、展平和激活函数没有参数。")


def latex_shape(shape: list[int]) -> str:
    """25×13×13 as LaTeX: 25\\times13\\times13."""
    return "\\times".join(map(str, shape))
