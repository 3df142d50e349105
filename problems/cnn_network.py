"""Parameter table of a whole network: each layer's learnable parameters and the total.

    conv: C_out (C_in K^2 + 1)    fc: N_out (N_in + 1)    pool/flatten/activation: 0
    N_in of the first fc = C × H × W of the last feature map (flattened)
    total = sum over layers     (checked with error carried forward: the total is
                                 judged from the student's own per-layer counts)

Hard problems may be a classic network (LeNet-5, AlexNet) instead of a random stack.
"""

from __future__ import annotations

from functools import lru_cache

from quizgen import layers as L
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.draw import picker, redraw
from quizgen.registry import Param, register
from quizgen.trace import TraceFamily, Value, Work, Wrong


def _spec_param(text: str) -> tuple[list[int], list[dict]]:
    from quizgen.netspec import parse_netspec

    return parse_netspec(text)


def counted_layers(layers: list[dict]) -> list[int]:
    """Indexes of the layers that get a row: all but flatten and activations."""
    return [i for i, layer in enumerate(layers) if layer["type"] not in ("flatten",) + L.PASS_THROUGH]


@lru_cache(maxsize=None)
def _preset(name: str) -> tuple[list[int], list[dict]]:
    """A preset network's parsed spec (parsed once; callers copy it)."""
    from quizgen.netspec import parse_netspec

    return parse_netspec(name)


@register
class NetworkParams(TraceFamily):
    name = "cnn.network"
    topic = "cnn"
    version = 1
    title = t("Parameter table of a network", "整个网络的参数量表")
    summary = t("Per-layer parameter counts and the total of a conv/pool/fc stack (LeNet-5, AlexNet, ...).",
                "卷积/池化/全连接网络逐层参数量及总数（LeNet-5、AlexNet 等）。")
    example = 'quizgen solve cnn.network --set spec="in 1x32x32; conv 6 k5; maxpool 2; flatten; fc 10"'
    conventions = (L.BIASES, L.FLOOR, L.POOL_STRIDE)
    resume_reason = "the total is the only carried part: a sum of the student's own counts"
    params = (Param("spec", "a net spec or preset (lenet5, alexnet, vgg16, resnet18, resnet50, densenet121, ...)", _spec_param,
                    "in 1x28x28; conv 25 k3; maxpool 2; flatten; fc 10"),)

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        if difficulty == "hard" and rng.random() < 0.4:
            name = pick(["lenet5", "alexnet"])
            shape, layers = _preset(name)
            return {"input": list(shape), "layers": [dict(layer) for layer in layers], "preset": name}
        return redraw(lambda: self._draw_stack(rng, difficulty, pick), self._friendly)

    @staticmethod
    def _draw_stack(rng, difficulty: str, pick) -> dict:
        size = pick([28, 32] if difficulty != "hard" else [32, 64, 96])
        shape = [pick([1, 3]), size, size]
        blocks = 1 if difficulty == "easy" else int(rng.integers(2, 4))
        layers, channels = [], pick([4, 6, 8, 16])
        for _b in range(blocks):
            k = pick([3, 5])
            pad = 0 if difficulty == "easy" else pick([0, k // 2])
            layers.append(L.conv(channels, k, 1, pad))
            layers.append(L.pool(pick(["maxpool", "avgpool"]), 2))
            channels *= 2
        layers.append({"type": "flatten"})
        if difficulty == "hard":
            layers.append(L.fc(pick([64, 84, 120, 128])))
        layers.append(L.fc(10))
        return {"input": shape, "layers": layers}

    @staticmethod
    def _friendly(params: dict) -> bool:
        try:
            shapes = L.shapes(params["input"], params["layers"])
        except ValueError:
            return False
        flat = shapes[params["layers"].index({"type": "flatten"}) + 1][0]
        return min(min(s[1:]) for s in shapes if len(s) == 3) >= 2 and flat <= 4096

    def params_from_user(self, values: dict) -> dict:
        if "spec" not in values:
            raise QuizgenError("cnn.network needs --set spec='in 1x28x28; conv 25 k3; ...'")
        shape, layers = values["spec"]
        if not counted_layers(layers):
            raise QuizgenError("the net spec has no layer with a parameter row")
        return {"input": shape, "layers": layers}

    @staticmethod
    def _rows(params: dict, shapes: list[list[int]]) -> list[tuple[int, dict, list[int], int]]:
        return [(i, params["layers"][i], shapes[i], L.param_count(params["layers"][i], shapes[i]))
                for i in counted_layers(params["layers"])]

    def trace(self, params: dict):
        shapes = L.shapes(params["input"], params["layers"])
        counts, rows = [], self._rows(params, shapes)
        for i, layer, before, count in rows:
            if i > 0 and params["layers"][i - 1]["type"] == "flatten":
                c, h, w = shapes[i - 1]
                yield Work(t(f"Flatten: ${c} \\times {h} \\times {w} = {before[0]}$ inputs to the next layer.",
                             f"展平：${c} \\times {h} \\times {w} = {before[0]}$ 个输入给下一层。"))
            name = L.short(layer)
            yield Work(self._step(i, layer, name, before, count))
            counts.append((yield Value("integer", t(f"parameters of layer {i + 1} ({name})",
                                                    f"第 {i + 1} 层（{name}）的参数量"), count,
                                       wrong=tuple(self._wrong(params, shapes, i, layer, count)))))
        total, terms = sum(counts), " + ".join(str(c) for c in counts)
        yield Work(t(f"Total: ${terms} = {total}$.", f"合计：${terms} = {total}$。"))
        no_bias = sum(r[3] - (r[1]["out"] if r[1]["type"] in ("conv", "fc") and r[1]["bias"] else 0) for r in rows)
        yield Value("integer", t("total learnable parameters", "可学习参数总数"), total,
                    wrong=(Wrong(no_bias, "forgot_bias", t("This total leaves out every bias.", "这个总数漏掉了所有偏置。")),))

    @staticmethod
    def _step(i: int, layer: dict, name: str, before: list[int], count: int) -> t:
        b = "+ 1" if layer.get("bias") else ""
        if layer["type"] == "conv":
            kh, kw = L.pair(layer["k"])
            return t(f"Layer {i + 1} ({name}), input ${L.latex_shape(before)}$: "
                     f"${layer['out']} \\times ({before[0]} \\times {kh} \\times {kw} {b}) = {count}$.",
                     f"第 {i + 1} 层（{name}），输入 ${L.latex_shape(before)}$："
                     f"${layer['out']} \\times ({before[0]} \\times {kh} \\times {kw} {b}) = {count}$。")
        if layer["type"] == "bn":
            return t(f"Layer {i + 1} (BatchNorm), {before[0]} channels: $\\gamma, \\beta$: $2 \\times {before[0]} = {count}$ "
                     "(the running mean and variance are buffers, not parameters).",
                     f"第 {i + 1} 层（BatchNorm），{before[0]} 个通道：$\\gamma, \\beta$：$2 \\times {before[0]} = {count}$"
                     "（滑动均值和方差是缓冲量，不是参数）。")
        if layer["type"] not in L.POOLS + ("gap", "adaptiveavgpool", "last", "fc"):
            return t(f"Layer {i + 1} ({name}, as `{L.torch_code(layer, before)}`), input "
                     f"${L.latex_shape(before)}$: {count} parameters.",
                     f"第 {i + 1} 层（{name}，即 `{L.torch_code(layer, before)}`），输入 "
                     f"${L.latex_shape(before)}$：{count} 个参数。")
        if layer["type"] == "fc":
            return t(f"Layer {i + 1} ({name}), {before[0]} inputs: "
                     f"${layer['out']} \\times ({before[0]} {b}) = {count}$.",
                     f"第 {i + 1} 层（{name}），{before[0]} 个输入："
                     f"${layer['out']} \\times ({before[0]} {b}) = {count}$。")
        what = t("pooling has", "池化没有") if layer["type"] in L.POOLS + ("gap", "adaptiveavgpool") else \
            t("taking the last time step has", "取最后一个时间步没有")
        out = L.latex_shape(L.output_shape(layer, before))
        return t(f"Layer {i + 1} ({name}): {what.get('en')} no parameters: 0; output ${out}$.",
                 f"第 {i + 1} 层（{name}）：{what.get('zh')}参数：0；输出 ${out}$。")

    def render(self, params: dict, lang: str) -> str:
        size = L.latex_shape(params["input"])
        axes = {3: "C×H×W", 2: "L×F", 1: "N"}[len(params["input"])]
        lines = [f"{i + 1}. {L.describe(layer, lang)}" for i, layer in enumerate(params["layers"])]
        preset = {"lenet5": "LeNet-5", "alexnet": "AlexNet (single-GPU version, no LRN)"}.get(params.get("preset", ""))
        if lang == "zh":
            name = f"（{preset.replace('single-GPU version, no LRN', '单 GPU 版本，不含 LRN')}）" if preset else ""
            head = f"下面的网络{name}输入大小为 ${size}$（{axes}），各层依次为："
            tail = "写出每个卷积、池化和全连接层的可学习参数个数（偏置计入），以及网络的参数总数。"
        else:
            name = f", {preset}," if preset else ""
            head = f"The network below{name} takes inputs of size ${size}$ ({axes}). Its layers, in order:"
            tail = ("Give the number of learnable parameters (biases included) of each conv, pooling and fully "
                    "connected layer, and the total for the network.")
        return "\n".join([head, "", *lines, "", tail])

    def _wrong(self, params: dict, shapes: list[list[int]], i: int, layer: dict, count: int) -> list[Wrong]:
        if layer["type"] == "bn":
            return [Wrong(2 * count, "bn_running_stats", _WHY["bn_running_stats"])]
        if layer["type"] in L.recurrent.GATES:
            return self._wrong_recurrent(layer, shapes[i], count)
        if layer["type"] not in ("conv", "fc"):
            return [Wrong("*", "pool_params", _WHY["pool_params"])] if count == 0 else []
        if layer["type"] in L.POOLS:
            return [Wrong("*", "pool_params", _WHY["pool_params"])]
        weights = count - (layer["out"] if layer["bias"] else 0)
        out = [Wrong(weights, "forgot_bias", _WHY["forgot_bias"]),
               Wrong(2 * weights, "bias_per_weight", _WHY["bias_per_weight"])]
        if layer["type"] == "conv":
            kh, kw = L.pair(layer["k"])
            out.append(Wrong(layer["out"] * (kh * kw + 1), "forgot_in_channels", _WHY["forgot_in_channels"]))
        if layer["type"] == "fc" and i > 0 and params["layers"][i - 1]["type"] == "flatten":
            flat_from = shapes[i - 1]
            out.append(Wrong(layer["out"] * (flat_from[0] + 1), "fc_from_channels", _WHY["fc_from_channels"]))
        return out

    @staticmethod
    def _wrong_recurrent(layer: dict, before: list[int], count: int) -> list[Wrong]:
        R, out = L.recurrent, []
        if layer.get("bias") == "pytorch":
            out.append(Wrong(R.param_count(dict(layer, bias="one"), before), "one_bias",
                             t("PyTorch has two bias vectors per gate, b_ih and b_hh.",
                               "PyTorch 每个门有两个偏置向量 b_ih 和 b_hh。")))
        if layer.get("layers", 1) > 1:
            first = R.layer_params(layer, before[-1], 0)
            out.append(Wrong(first * layer["layers"], "later_input_size",
                             t("Layers after the first take the layer below's h as input (D·hidden_size).",
                               "第一层之后的各层以下一层的 h 为输入（D·hidden_size）。")))
        return [w for w in out if w.answer != count]


_WHY = {  # the explanations of the known wrong counts
    "bn_running_stats": t("BatchNorm's running mean and variance are buffers, not parameters: only γ and β count.",
                          "批归一化（BatchNorm）的滑动均值和方差是缓冲量，不是参数：只有 γ 和 β 计入。"),
    "pool_params": t("Pooling layers have no learnable parameters: 0.", "池化层没有可学习参数：0。"),
    "forgot_bias": t("You forgot the biases: one per kernel or output unit.", "你漏了偏置：每个卷积核或输出单元一个。"),
    "bias_per_weight": t("There is one bias per kernel or output unit, not per weight.",
                         "偏置是每个卷积核或输出单元一个，而不是每个权重一个。"),
    "forgot_in_channels": t("Each kernel spans all input channels: multiply by C_in.",
                            "每个卷积核覆盖全部输入通道：要乘以 C_in。"),
    "fc_from_channels": t("After flatten the fc layer sees C×H×W inputs, not just C.",
                          "展平后全连接层的输入个数是 C×H×W，而不只是 C。"),
}
