"""Learnable parameters of one layer (biases counted unless the layer says no bias).

    conv:  C_out * (C_in * K * K + 1)      fully connected:  N_out * (N_in + 1)

The input's height and width are given too: they do not change a conv layer's count.
"""

from __future__ import annotations

from quizgen import layers as L
from quizgen.errors import QuizgenError
from quizgen.model import Mistake, Part, Solution, t
from quizgen.draw import picker
from quizgen.registry import Family, Param, register


def _int_param(low: int, high: int):
    def parse(text: str) -> int:
        if not text.strip().isdigit() or not low <= int(text) <= high:
            raise QuizgenError(f"expected a whole number from {low} to {high}, got {text!r}")
        return int(text)
    return parse


def _bool_param(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false", "yes", "no", "1", "0"):
        raise QuizgenError(f"expected true or false, got {text!r}")
    return value in ("true", "yes", "1")


def _kind_param(text: str) -> str:
    if text.strip() not in ("conv", "fc"):
        raise QuizgenError(f"layer must be conv or fc, got {text!r}")
    return text.strip()


@register
class LayerParams(Family):
    name = "cnn.params"
    topic = "cnn"
    version = 1
    title = t("Parameters of one layer", "单层的参数量")
    summary = t("Learnable parameters of a conv or fully connected layer, with or without bias.",
                "卷积层或全连接层的可学习参数个数（含/不含偏置）。")
    example = "quizgen solve cnn.params --set layer=conv --set in=3 --set out=96 --set k=11"
    conventions = (L.BIASES,)
    params = (
        Param("layer", "conv or fc", _kind_param, "conv"),
        Param("in", "input channels (conv) or input features (fc)", _int_param(1, 100_000), "3"),
        Param("out", "kernels (conv) or output features (fc)", _int_param(1, 100_000), "96"),
        Param("k", "kernel size (conv)", _int_param(1, 31), "11"),
        Param("bias", "true or false", _bool_param, "true"),
        Param("size", "input height = width (conv; does not change the count)", _int_param(1, 4096), "227"),
        Param("unshared", "true: also ask the count without weight sharing (a locally connected layer, conv only)",
              _bool_param, "false", False),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        if difficulty == "easy":
            if rng.random() < 0.5:
                return {"layer": L.fc(pick([2, 3, 4, 10, 16])), "in": [pick([3, 4, 5, 8, 20, 64])]}
            return {"layer": L.conv(pick([4, 6, 8, 10]), 3), "in": [pick([1, 3]), 28, 28]}
        if difficulty == "medium":
            if rng.random() < 0.3:
                return {"layer": L.fc(pick([10, 64, 84, 120, 128]), bool(rng.random() < 0.8)),
                        "in": [pick([84, 120, 256, 400, 784])]}
            k = pick([3, 5])
            return {"layer": L.conv(pick([16, 25, 32, 50, 64]), k, 1, k // 2, 1, bool(rng.random() < 0.7)),
                    "in": [pick([3, 6, 16, 25, 32]), pick([28, 32, 64]), pick([28, 32, 64])]}
        k = pick([1, 3, 5, 7, 11])
        size = pick([56, 112, 224, 227])
        layer = L.conv(pick([64, 96, 128, 192, 256, 384]), k, pick([1, 2, 4]), k // 2, pick([1, 1, 2]),
                       bool(rng.random() < 0.6))
        return {"layer": layer, "in": [pick([3, 64, 96, 128, 256]), size, size]}

    def params_from_user(self, values: dict) -> dict:
        kind = values.get("layer", "conv")
        bias = values.get("bias", True)
        if kind == "fc":
            if "k" in values or "size" in values:
                raise QuizgenError("an fc layer takes in, out and bias only")
            return {"layer": L.fc(values.get("out", 10), bias), "in": [values.get("in", 84)]}
        size = values.get("size", 28)
        layer = L.conv(values.get("out", 6), values.get("k", 3), 1, 0, 1, bias)
        if layer["k"] > size:
            raise QuizgenError("kernel size is larger than the input")
        params = {"layer": layer, "in": [values.get("in", 1), size, size]}
        if values.get("unshared"):
            params["unshared"] = True
        return params

    @staticmethod
    def _weights(params: dict) -> int:
        layer, shape = params["layer"], params["in"]
        return layer["out"] * shape[0] * (layer["k"] ** 2 if layer["type"] == "conv" else 1)

    def solve(self, params: dict) -> Solution:
        layer, shape = params["layer"], params["in"]
        total = L.param_count(layer, shape)
        weights = self._weights(params)
        biases = total - weights
        if layer["type"] == "conv":
            k = layer["k"]
            w = t(f"Weights: each of the {layer['out']} kernels spans all {shape[0]} input channels: "
                  f"${layer['out']} \\times {shape[0]} \\times {k} \\times {k} = {weights}$.",
                  f"权重：{layer['out']} 个卷积核各覆盖全部 {shape[0]} 个输入通道："
                  f"${layer['out']} \\times {shape[0]} \\times {k} \\times {k} = {weights}$。")
        else:
            w = t(f"Weights: one per input–output pair: ${shape[0]} \\times {layer['out']} = {weights}$.",
                  f"权重：每对输入–输出一个：${shape[0]} \\times {layer['out']} = {weights}$。")
        b = (t(f"Biases: one per {'kernel' if layer['type'] == 'conv' else 'output'}: {biases}.",
               f"偏置：每个{'卷积核' if layer['type'] == 'conv' else '输出'}一个：{biases}。")
             if layer["bias"] else t("No bias: 0 biases.", "无偏置：偏置为 0。"))
        steps = [w, b, t(f"Total: ${weights} + {biases} = {total}$.", f"合计：${weights} + {biases} = {total}$。")]
        if layer["type"] == "conv":
            steps.append(t("The input's height and width, the stride, padding and dilation do not change the count.",
                           "输入的高和宽、步长、填充、空洞率都不影响参数量。"))
        parts = [Part("a", "integer", t("number of learnable parameters", "可学习参数的个数"), total)]
        if params.get("unshared") and layer["type"] == "conv":
            out = L.output_shape(layer, shape)
            local = L.connections(layer, shape)
            steps.append(t(f"Without weight sharing (a locally connected layer) every one of the ${out[1]} \\times {out[2]}$ "
                           f"output positions has its own {total} weights and biases: "
                           f"${out[1]} \\times {out[2]} \\times {total} = {local}$; sharing saves {local - total}.",
                           f"不共享权重（局部连接层）时，${out[1]} \\times {out[2]}$ 个输出位置各有自己的 {total} 个权重和偏置："
                           f"${out[1]} \\times {out[2]} \\times {total} = {local}$；权重共享省下 {local - total} 个。"))
            parts.append(Part("b", "integer", t("parameters without weight sharing (locally connected, a bias per output)",
                                                "不共享权重时的参数个数（局部连接，每个输出一个偏置）"), local))
        return Solution(tuple(parts), tuple(steps))

    def render(self, params: dict, lang: str) -> str:
        layer, shape = params["layer"], params["in"]
        zh = lang == "zh"
        if layer["type"] == "conv":
            dims = "\\times".join(map(str, shape))
            code = L.torch_code(layer, shape)
            ask = ("" if not params.get("unshared") else
                   (" And how many would a locally connected layer (the same windows, no weight sharing, a bias per "
                    "output value) have?"))
            ask_zh = "" if not params.get("unshared") else "若换成局部连接层（同样的窗口，不共享权重，每个输出值一个偏置），又有多少个参数？"
            if zh:
                return (f"输入大小为 ${dims}$（C×H×W），经过一层：{L.describe(layer, lang)}"
                        f"（PyTorch：`{code}`）。\n这一层有多少个可学习参数？{ask_zh}")
            return (f"An input of size ${dims}$ (C×H×W) goes through one layer: {L.describe(layer, lang)} "
                    f"(PyTorch: `{code}`).\nHow many learnable parameters does this layer have?{ask}")
        if zh:
            return (f"一个有 {shape[0]} 个输入特征的向量经过一层：{L.describe(layer, lang)}"
                    f"（PyTorch：`{L.torch_code(layer, shape)}`）。\n这一层有多少个可学习参数？")
        return (f"A vector of {shape[0]} features goes through one layer: {L.describe(layer, lang)} "
                f"(PyTorch: `{L.torch_code(layer, shape)}`).\nHow many learnable parameters does this layer have?")

    def mistakes(self, params: dict) -> list[Mistake]:
        layer, shape = params["layer"], params["in"]
        total, weights = L.param_count(layer, shape), self._weights(params)
        out: list[Mistake] = []

        def add(tag: str, value: int, en: str, zh: str) -> None:
            if value != total and value not in [m.answer for m in out]:
                out.append(Mistake("a", value, tag, t(en, zh)))

        if layer["bias"]:
            add("forgot_bias", weights, "You forgot the biases: one per kernel (or output unit).",
                "你漏了偏置：每个卷积核（或输出单元）一个。")
            add("bias_per_weight", 2 * weights, "There is one bias per kernel (or output), not one per weight.",
                "偏置是每个卷积核（或输出）一个，而不是每个权重一个。")
        else:
            add("counted_bias", weights + layer["out"], "This layer has no bias (bias=False): count the weights only.",
                "这一层没有偏置（bias=False）：只计权重。")
        if params.get("unshared") and layer["type"] == "conv":
            local, (_, ho, wo) = L.connections(layer, shape), L.output_shape(layer, shape)
            b = layer["out"] if layer["bias"] else 0
            for tag, value, en, zh in [
                    ("input_positions", total * shape[1] * shape[2], "A locally connected layer has one set of weights "
                     "per output position (H_out × W_out), not per input position.",
                     "局部连接层每个输出位置（H_out × W_out）一套权重，而不是每个输入位置一套。"),
                    ("shared_bias", weights * ho * wo + b, "Without sharing, the biases are not shared either: one per "
                     "output value.", "不共享权重时，偏置也不共享：每个输出值一个。")]:
                if value != local and not any(m.part == "b" and m.answer == value for m in out):
                    out.append(Mistake("b", value, tag, t(en, zh)))
        if layer["type"] == "conv":
            b = layer["out"] if layer["bias"] else 0
            add("forgot_in_channels", layer["out"] * layer["k"] ** 2 + b,
                "Each kernel spans all input channels: multiply by C_in.", "每个卷积核覆盖全部输入通道：要乘以 C_in。")
            add("times_spatial", weights * shape[1] * shape[2] + b,
                "Weights are shared across positions: the input's height and width do not enter the count.",
                "权重在各位置共享：输入的高和宽不影响参数量。")
        return out
