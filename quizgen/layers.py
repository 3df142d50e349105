"""Layer arithmetic: the core of the CNN families (problems/cnn_*.py) and `quizgen solve net`.

Output size per spatial axis (PyTorch's Conv2d / MaxPool2d / AvgPool2d, floor mode,
cross-correlation), with kh×kw, sh×sw, ph×pw, dh×dw per axis:

    H_out = floor((H + 2P - D(K - 1) - 1) / S) + 1

Pooling stride defaults to its kernel size.  Learnable parameters (biases counted):

    conv:  C_out * (C_in * kh * kw + 1)       (no +1 when bias=False)
    fc:    N_out * (N_in + 1)                  (on the last axis of a sequence L×N_in too)
    bn:    2C (γ, β); its running mean and variance are 2C buffers, not parameters
    pool, flatten, dropout, gap, adaptiveavgpool, activations: 0
    composite blocks (quizgen/blocks.py), recurrent layers (quizgen/recurrent.py) and the
    1998 LeNet-5 layers (quizgen/lenet1998.py): the sums given there

Connections (multiply-adds, LeCun et al. 1998's count; also the parameter count of a
locally connected layer, i.e. without weight sharing):  conv: C_out H_out W_out (C_in kh kw + 1).

A layer is a JSON-able dict: {"type": "conv", "out": 25, "k": 3, "s": 1, "p": 0, "d": 1,
"bias": true} (k, s, p, d an int or [h, w]), {"type": "maxpool"|"avgpool", "k": 2, "s": null
(= k), "p": 0}, {"type": "flatten"}, {"type": "fc", "out": 10, "bias": true} (+ "keras": true:
Dense on the channel axis of a C×H×W map), {"type": "bn"}, {"type": "dropout", "p": "0.5"},
{"type": "gap"}, {"type": "adaptiveavgpool", "size": [7, 7]}, {"type": "relu"|"sigmoid"|"tanh"}.
"""

from __future__ import annotations

from quizgen import blocks, lenet1998, recurrent
from quizgen.model import t
from quizgen.presets import PRESETS  # noqa: F401  (the named networks of `solve net`)

ACTIVATIONS = ("relu", "sigmoid", "tanh")
POOLS = ("maxpool", "avgpool")
PASS_THROUGH = ACTIVATIONS + ("dropout",)
_EXTRA = {**{k: blocks for k in blocks.KINDS}, **{k: recurrent for k in recurrent.KINDS},
          **{k: lenet1998 for k in lenet1998.KINDS}}


def _one(v):
    """An int for a square (equal) pair, else [h, w]."""
    if v.__class__ is int:
        return v
    if isinstance(v, (list, tuple)):
        return int(v[0]) if v[0] == v[1] else [int(v[0]), int(v[1])]
    return v


def pair(v) -> tuple[int, int]:
    """(h, w) from an int or an [h, w] pair."""
    return (int(v[0]), int(v[1])) if isinstance(v, (list, tuple)) else (v, v)


def conv(out: int, k, s=1, p=0, d=1, bias: bool = True) -> dict:
    return {"type": "conv", "out": out, "k": _one(k), "s": _one(s), "p": _one(p), "d": _one(d), "bias": bias}


def pool(kind: str, k, s=None, p=0) -> dict:
    return {"type": kind, "k": _one(k), "s": _one(s), "p": _one(p)}


def fc(out: int, bias: bool = True) -> dict:
    return {"type": "fc", "out": out, "bias": bias}


def _at(v, axis: int) -> int:
    """One axis of an int or an [h, w] pair."""
    return int(v[axis]) if isinstance(v, (list, tuple)) else v


def window(layer: dict, axis: int = 0) -> tuple[int, int, int]:
    """(D(K-1)+1, S, P) along `axis` (0 = H, 1 = W): the kernel's extent, the stride (pooling
    defaults to its kernel size) and the padding."""
    k, s, p, d = layer["k"], layer.get("s"), layer.get("p", 0), layer.get("d", 1)
    if type(k) is int and type(p) is int and type(d) is int and (s is None or type(s) is int):
        return d * (k - 1) + 1, k if s is None else s, p  # square: the same on both axes
    k = _at(k, axis)
    s = k if s is None else _at(s, axis)
    return _at(d, axis) * (k - 1) + 1, s, _at(p, axis)


def windows(layer: dict) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """window(layer, 0) and window(layer, 1)."""
    k, s, p, d = layer["k"], layer.get("s"), layer.get("p", 0), layer.get("d", 1)
    if type(k) is int and type(p) is int and type(d) is int and (s is None or type(s) is int):
        w = d * (k - 1) + 1, k if s is None else s, p  # square: the same on both axes
        return w, w
    return window(layer, 0), window(layer, 1)


def stride(layer: dict, axis: int = 0) -> int:
    """The effective stride along `axis` (0 = H, 1 = W): pooling defaults to its kernel size."""
    return window(layer, axis)[1]


def span(layer: dict, axis: int = 0) -> int:
    """Effective kernel extent D(K-1)+1 along `axis`."""
    return window(layer, axis)[0]


def numerator(size: int, layer: dict, axis: int = 0) -> int:
    """H + 2P - D(K-1) - 1, the quantity divided by the stride."""
    extent, _, p = window(layer, axis)
    return size + 2 * p - extent


def out_size(size: int, layer: dict, axis: int = 0) -> int:
    """floor((H + 2P - D(K-1) - 1)/S) + 1 for one spatial dimension."""
    extent, s, p = window(layer, axis)
    return (size + 2 * p - extent) // s + 1


def unseen(size: int, layer: dict, axis: int = 0) -> int:
    """Rows (or columns) of the padded input no window reaches: (H + 2P - D(K-1) - 1) mod S."""
    extent, s, p = window(layer, axis)
    return (size + 2 * p - extent) % s


def is_square(layer: dict) -> bool:
    """Kernel, stride, padding and dilation the same along H and W."""
    for v in (layer.get("k"), layer.get("s"), layer.get("p"), layer.get("d")):
        if v.__class__ is not int and isinstance(v, (list, tuple)) and v[0] != v[1]:
            return False
    return True


def is_exact(shape: list[int], layer: dict) -> bool:
    """(H + 2P - K)/S is an integer on both axes (the notes' "valid" configuration)."""
    (eh, sh, ph), (ew, sw, pw) = windows(layer)  # no row or column unseen (`unseen`)
    return (shape[1] + 2 * ph - eh) % sh == 0 and (shape[2] + 2 * pw - ew) % sw == 0


def _count(shape: list[int]) -> int:
    n = 1
    for v in shape:
        n *= v
    return n


def output_shape(layer: dict, shape: list[int]) -> list[int]:
    """The output shape of `layer` for input `shape` (C,H,W; L,N or N); ValueError if impossible."""
    kind = layer["type"]
    if kind in _EXTRA:
        return _EXTRA[kind].output_shape(layer, shape, output_shape)
    if kind in PASS_THROUGH or kind == "bn":
        return list(shape)
    if kind == "flatten":
        return [_count(shape)]
    if kind == "fc":
        if len(shape) == 3 and layer.get("keras"):
            return [layer["out"], shape[1], shape[2]]
        if len(shape) == 3:
            raise ValueError("a fully connected layer needs a flattened input (or Keras mode: `mode keras`)")
        return list(shape[:-1]) + [layer["out"]]
    if len(shape) != 3:
        raise ValueError(f"{kind} needs a C×H×W input")
    c, h, w = shape
    if kind == "gap":
        return [c]
    if kind == "adaptiveavgpool":
        return [c, *pair(layer["size"])]
    (eh, sh, ph), (ew, sw, pw) = windows(layer)
    if kind in POOLS and (2 * ph > _at(layer["k"], 0) or 2 * pw > _at(layer["k"], 1)):
        raise ValueError("pooling padding must be at most half the kernel size")
    nh, nw = h + 2 * ph - eh, w + 2 * pw - ew
    if nh < 0 or nw < 0:
        raise ValueError("the kernel is larger than the padded input")
    return [layer["out"] if kind == "conv" else c, nh // sh + 1, nw // sw + 1]


def param_count(layer: dict, shape: list[int]) -> int:
    """Learnable parameters of `layer` given its input `shape` (biases counted)."""
    kind = layer["type"]
    if kind in _EXTRA:
        return _EXTRA[kind].param_count(layer, shape, param_count, output_shape)
    if kind == "conv":
        kh, kw = pair(layer["k"])
        return layer["out"] * (shape[0] * kh * kw + (1 if layer["bias"] else 0))
    if kind == "fc":
        n_in = shape[0] if len(shape) == 3 and layer.get("keras") else shape[-1]
        return layer["out"] * (n_in + (1 if layer["bias"] else 0))
    if kind == "bn":
        return 2 * shape[0] if len(shape) != 2 else 2 * shape[-1]
    return 0


def buffer_count(layer: dict, shape: list[int]) -> int:
    """Non-learnable state: BatchNorm's running mean and variance (2C), in blocks too."""
    kind = layer["type"]
    if kind == "bn":
        return param_count(layer, shape)
    if kind in _EXTRA and hasattr(_EXTRA[kind], "buffer_count"):
        return _EXTRA[kind].buffer_count(layer, shape, buffer_count, output_shape)
    return 0


def connections(layer: dict, shape: list[int]) -> int | None:
    """Connections (multiply-adds + biases) of a weighted layer; None for others."""
    kind = layer["type"]
    if kind in lenet1998.KINDS:
        return lenet1998.connections(layer, shape)
    if kind == "conv":
        out = output_shape(layer, shape)
        return out[1] * out[2] * param_count(layer, shape)
    if kind == "fc":  # applied at every position: each time step, or each pixel (Keras mode)
        positions = _count(shape[:-1]) if len(shape) == 2 else (shape[1] * shape[2] if len(shape) == 3 else 1)
        return param_count(layer, shape) * positions
    return None


def shapes(input_shape: list[int], layers: list[dict]) -> list[list[int]]:
    """Input shape followed by the shape after each layer."""
    out = [list(input_shape)]
    for layer in layers:
        out.append(output_shape(layer, out[-1]))
    return out


def _hw(v) -> str:
    """3 or 3×5 (a pair printed once when square)."""
    if type(v) is int:
        return str(v)
    h, w = pair(v)
    return f"{h}" if h == w else f"{h}×{w}"


def _tex(v) -> str:
    h, w = (v, v) if type(v) is int else pair(v)
    return f"{h}\\times{w}"


def _box(v) -> str:
    """3×3 or 3×5 (both sizes always)."""
    h, w = (v, v) if type(v) is int else pair(v)
    return f"{h}×{w}"


def is_dilated(layer: dict) -> bool:
    """A dilation other than 1 on either axis."""
    return layer.get("d", 1) not in (1, [1, 1], (1, 1))


def _tup(v) -> str:
    h, w = pair(v)
    return f"{h}" if h == w else f"({h}, {w})"


def describe(layer: dict, lang: str) -> str:
    """A layer in words, as a statement would put it."""
    kind, zh = layer["type"], lang == "zh"
    if kind == "conv":
        extra_en, extra_zh = "", ""
        if is_dilated(layer):
            extra_en += f", dilation {_hw(layer['d'])}"
            extra_zh += f"，空洞率（dilation）{_hw(layer['d'])}"
        if not layer["bias"]:
            extra_en += ", no bias"
            extra_zh += "，无偏置"
        k, s, p = _tex(layer["k"]), _hw(layer["s"]), _hw(layer["p"])
        if zh:
            return f"卷积：{layer['out']} 个 ${k}$ 卷积核，步长 {s}，填充 {p}{extra_zh}"
        return f"conv: {layer['out']} kernels of ${k}$, stride {s}, padding {p}{extra_en}"
    if kind in POOLS:
        name = ("最大池化" if kind == "maxpool" else "平均池化") if zh else ("max-pool" if kind == "maxpool" else "average-pool")
        if layer.get("s") is None:
            st = "（未给出步长：默认等于核大小）" if zh else " (no stride given: it defaults to the kernel size)"
        else:
            st = f"，步长 {_hw(layer['s'])}" if zh else f", stride {_hw(layer['s'])}"
        pad = (f"，填充 {_hw(layer['p'])}" if zh else f", padding {_hw(layer['p'])}") if layer.get("p") else ""
        return f"{name} ${_tex(layer['k'])}${st}{pad}"
    if kind == "flatten":
        return "展平（flatten）" if zh else "flatten"
    if kind == "fc":
        nb = ("，无偏置" if zh else ", no bias") if not layer["bias"] else ""
        if layer.get("keras"):
            nb += ("（Keras 规则：作用于特征图的通道轴，不展平）" if zh else
                   " (Keras's rule: applied to the channel axis of a feature map, no flatten)")
        return (f"全连接层，{layer['out']} 个输出{nb}" if zh else f"fully connected, {layer['out']} outputs{nb}")
    if kind in ACTIVATIONS:
        return {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}[kind]
    return short(layer)


def short(layer: dict) -> str:
    """A compact name for tables: conv 25@3×3 s1 p0, maxpool 2×2 s2, fc 10, bn, basic 64 s2."""
    kind = layer["type"]
    if kind in _EXTRA:
        return _EXTRA[kind].short(layer)
    if kind == "conv":
        s = f"conv {layer['out']}@{_box(layer['k'])} s{_hw(layer['s'])} p{_hw(layer['p'])}"
        s += f" d{_hw(layer['d'])}" if is_dilated(layer) else ""
        return s + ("" if layer["bias"] else " nobias")
    if kind in POOLS:
        p = f" p{_hw(layer['p'])}" if layer.get("p") else ""
        s = layer["s"] if layer.get("s") is not None else layer["k"]
        return f"{kind} {_box(layer['k'])} s{_hw(s)}{p}"
    if kind == "fc":
        return f"fc {layer['out']}" + ("" if layer["bias"] else " nobias") + (" (keras)" if layer.get("keras") else "")
    if kind == "dropout":
        return f"dropout {layer['p']}"
    if kind == "adaptiveavgpool":
        return f"adaptiveavgpool {_box(layer['size'])}"
    return kind


def torch_code(layer: dict, shape: list[int]) -> str:
    """The PyTorch constructor of `layer` for input `shape`."""
    kind = layer["type"]
    if kind in _EXTRA:
        return _EXTRA[kind].torch_code(layer, shape)
    if kind == "conv":
        args = [str(shape[0]), str(layer["out"]), f"kernel_size={_tup(layer['k'])}"]
        if pair(layer["s"]) != (1, 1):
            args.append(f"stride={_tup(layer['s'])}")
        if layer["p"]:
            args.append(f"padding={_tup(layer['p'])}")
        if is_dilated(layer):
            args.append(f"dilation={_tup(layer['d'])}")
        if not layer["bias"]:
            args.append("bias=False")
        return f"nn.Conv2d({', '.join(args)})"
    if kind in POOLS:
        name = "nn.MaxPool2d" if kind == "maxpool" else "nn.AvgPool2d"
        args = [_tup(layer["k"])] + ([f"stride={_tup(layer['s'])}"] if layer.get("s") is not None else [])
        args += [f"padding={_tup(layer['p'])}"] if layer.get("p") else []
        return f"{name}({', '.join(args)})"
    if kind == "fc":
        n_in = shape[0] if len(shape) == 3 else shape[-1]
        return f"nn.Linear({n_in}, {layer['out']}" + ("" if layer["bias"] else ", bias=False") + ")"
    if kind == "bn":
        return f"nn.BatchNorm{'2' if len(shape) == 3 else '1'}d({shape[0] if len(shape) != 2 else shape[-1]})"
    if kind == "dropout":
        return f"nn.Dropout({layer['p']})"
    if kind == "gap":
        return "nn.AdaptiveAvgPool2d(1), nn.Flatten()"
    if kind == "adaptiveavgpool":
        return f"nn.AdaptiveAvgPool2d({_tup(layer['size'])})"
    return {"flatten": "nn.Flatten()", "relu": "nn.ReLU()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()"}[kind]


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
BATCHNORM = t("BatchNorm: $\\gamma$ and $\\beta$ are learnable ($2C$ per layer); the running mean and variance ($2C$) are buffers, not parameters.",
              "批归一化（BatchNorm）：$\\gamma$ 和 $\\beta$ 可学习（每层 $2C$ 个）；滑动均值和方差（$2C$ 个）是缓冲量，不是参数。")


def latex_shape(shape: list[int]) -> str:
    """25×13×13 as LaTeX: 25\\times13\\times13."""
    return "\\times".join(map(str, shape))
