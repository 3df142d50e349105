"""Conv/pool output shapes through a stack of 1 to 5 layers (C×H×W after each layer).

    H_out = floor((H + 2P - D(K-1) - 1)/S) + 1,   C_out = kernel count (conv) or C_in (pool)

Every layer is a part of one trace: a wrong shape early is carried forward, so later layers
are judged from the student's own earlier shape.
"""

from __future__ import annotations

import math

from problems import _layers as L
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.draw import picker, redraw
from quizgen.registry import Param, register
from quizgen.trace import CannotFollow, TraceFamily, Value, Work, Wrong


def _layers_param(text: str) -> list[dict]:
    from quizgen.netspec import parse_netspec

    _, layers = parse_netspec("in 1x1000x1000; " + text)  # shape checked again in build
    if any(layer["type"] in ("flatten", "fc") for layer in layers):
        raise QuizgenError("cnn.shape takes conv, pool and activation layers only")
    return layers


def _shape_param(text: str) -> list[int]:
    from quizgen.parse import parse_shape
    from quizgen.errors import FormatError

    try:
        shape = parse_shape(text)
    except FormatError as exc:
        raise QuizgenError(f"input: {exc}") from None
    if len(shape) != 3 or not all(1 <= v <= 4096 for v in shape):
        raise QuizgenError("input must be C×H×W with sizes 1..4096, like 1x28x28")
    return shape


def _spatial(layer: dict, size: int) -> str:
    """The size formula with numbers filled in, as LaTeX."""
    k, p, s, d = layer["k"], layer.get("p", 0), L.stride(layer), layer.get("d", 1)
    kern = f"{d}\\cdot({k}-1) - 1" if d != 1 else f"{k}"
    return (f"\\lfloor \\frac{{{size} + 2\\cdot{p} - {kern}}}{{{s}}} \\rfloor + 1 = "
            f"\\lfloor {L.numerator(size, layer)}/{s} \\rfloor + 1 = {L.out_size(size, layer)}")


@register
class ConvShape(TraceFamily):
    name = "cnn.shape"
    topic = "cnn"
    version = 1
    title = t("Feature-map sizes through conv and pooling layers", "卷积与池化层的特征图尺寸")
    summary = t("C×H×W after each conv/pool layer of a stack (floor convention).",
                "逐层计算卷积/池化后的 C×H×W（向下取整）。")
    example = "quizgen solve cnn.shape --set input=1x28x28 --set layers='conv 25 k3; maxpool 2'"
    conventions = (L.FLOOR, L.POOL_STRIDE, L.CROSS_CORRELATION)
    params = (
        Param("input", "input shape C×H×W", _shape_param, "1x28x28"),
        Param("layers", "layers as in a net spec, separated by ';'", _layers_param, "conv 25 k3; maxpool 2"),
    )

    # -------------------------------------------------------------- generate
    def generate(self, rng, difficulty: str) -> dict:
        return redraw(lambda: self._draw(rng, difficulty), lambda p: self._friendly(p, difficulty))

    def _draw(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        if difficulty == "easy":
            size, channels, n = pick([28, 32, 64]), pick([1, 3]), int(rng.integers(1, 3))
        elif difficulty == "medium":
            size, channels, n = pick([28, 32, 48, 64, 96, 128]), pick([1, 3]), int(rng.integers(2, 4))
        else:
            size, channels, n = pick([100, 128, 224, 227, 99, 64]), 3, int(rng.integers(4, 6))
        height = size
        width = size if difficulty != "hard" or rng.random() < 0.5 else pick([size // 2 + 1, size - 13, size + 7])
        layers = []
        for i in range(n):
            if i % 2 == 0 or difficulty == "hard" and rng.random() < 0.3:
                layers.append(self._draw_conv(rng, difficulty, pick))
            else:
                layers.append(self._draw_pool(rng, difficulty, pick))
        return {"input": [channels, height, width], "layers": layers}

    @staticmethod
    def _draw_conv(rng, difficulty, pick) -> dict:
        out = pick([6, 8, 16, 25, 32, 50, 64])
        if difficulty == "easy":
            return L.conv(out, pick([3, 5]))
        k = pick([3, 5, 7] if difficulty == "medium" else [3, 5, 7, 11])
        s = pick([1, 1, 2] if difficulty == "medium" else [1, 2, 2, 3, 4])
        p = pick([0, 1, 2] if difficulty == "medium" else [0, 1, 2, 3])
        d = pick([1, 1, 1, 2]) if difficulty == "hard" else 1
        return L.conv(out, k, s, p, d)

    @staticmethod
    def _draw_pool(rng, difficulty, pick) -> dict:
        kind = pick(["maxpool", "maxpool", "avgpool"])
        if difficulty == "easy":
            return L.pool(kind, 2)
        k = pick([2, 3])
        return L.pool(kind, k, pick([None, 2, k]))

    @staticmethod
    def _friendly(params: dict, difficulty: str) -> bool:
        try:
            shapes = L.shapes(params["input"], params["layers"])
        except ValueError:
            return False
        if min(min(s[1:]) for s in shapes) < 2:
            return False
        exact = all(L.numerator(sh[h], layer) % L.stride(layer) == 0
                    for sh, layer in zip(shapes, params["layers"]) for h in (1, 2))
        if difficulty == "easy":
            return exact
        if difficulty == "hard":
            return not exact  # at least one floor must matter
        return True

    # -------------------------------------------------------------- build from user values
    def params_from_user(self, values: dict) -> dict:
        params = {"input": values.get("input", [1, 28, 28]), "layers": values.get("layers")}
        if not params["layers"]:
            raise QuizgenError("cnn.shape needs --set layers='conv 25 k3; maxpool 2'")
        from quizgen.netspec import check_stack

        check_stack(params["input"], params["layers"])
        return params

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        shape = list(params["input"])
        for i, layer in enumerate(params["layers"]):
            try:
                after = L.output_shape(layer, shape)
            except ValueError:
                raise CannotFollow from None
            prompt = t(f"C×H×W after layer {i + 1} ({L.short(layer)})",
                       f"第 {i + 1} 层（{L.short(layer)}）之后的 C×H×W")
            yield Work(self._step(i, layer, shape, after))
            shape = yield Value("shape", prompt, after, step=i + 1, column="C×H×W",
                                wrong=tuple(self._wrong(layer, shape, after)))

    @staticmethod
    def _step(i: int, layer: dict, before: list[int], after: list[int]) -> t:
        shape = "\\times".join(map(str, after))
        if layer["type"] in L.ACTIVATIONS:
            return t(f"Layer {i + 1} ({layer['type']}): an activation keeps the shape: ${shape}$.",
                     f"第 {i + 1} 层（{layer['type']}）：激活函数不改变形状：${shape}$。")
        h = _spatial(layer, before[1])
        w = "" if before[2] == before[1] else f", $W: {_spatial(layer, before[2])}$"
        if layer["type"] == "conv":
            ch_en, ch_zh = f"channels = number of kernels = {after[0]}", f"通道数 = 卷积核个数 = {after[0]}"
        else:
            ch_en, ch_zh = f"pooling keeps the {after[0]} channels", f"池化保持 {after[0]} 个通道"
        same_en = " (and the same for W)" if not w else ""
        same_zh = "（W 同理）" if not w else ""
        return t(f"Layer {i + 1} ({L.short(layer)}): $H: {h}${w}{same_en}; {ch_en}; output ${shape}$.",
                 f"第 {i + 1} 层（{L.short(layer)}）：$H: {h}${w}{same_zh}；{ch_zh}；输出 ${shape}$。")

    def resume(self, params: dict, part_id_: str, value) -> tuple[dict, dict[str, str]] | None:
        from quizgen.model import part_id

        index = [part_id(i) for i in range(len(params["layers"]))].index(part_id_)
        rest = params["layers"][index + 1:]
        if not rest:
            return None
        return ({"input": list(value), "layers": rest},
                {part_id(j): part_id(index + 1 + j) for j in range(len(rest))})

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        c, h, w = params["input"]
        lines = [f"{i + 1}. {L.describe(layer, lang)}" for i, layer in enumerate(params["layers"])]
        if lang == "zh":
            head = f"大小为 ${c}\\times{h}\\times{w}$（C×H×W）的输入依次经过以下各层："
            tail = "写出每一层之后的输出尺寸 C×H×W。非整数的尺寸向下取整。"
        else:
            head = f"An input of size ${c}\\times{h}\\times{w}$ (C×H×W) passes through these layers in order:"
            tail = "Give the output size C×H×W after each layer. A non-integer size is floored."
        return "\n".join([head, "", *lines, "", tail])

    # -------------------------------------------------------------- mistakes
    @staticmethod
    def _wrong(layer: dict, before: list[int], right: list[int]) -> list[Wrong]:
        if layer["type"] in L.ACTIVATIONS:
            return []
        out: list[Wrong] = []

        def add(tag: str, shape: list[int], en: str, zh: str) -> None:
            if min(shape) >= 1:
                out.append(Wrong(shape, tag, t(en, zh)))

        def sizes(f) -> list[int]:
            return [right[0], f(before[1]), f(before[2])]

        s, num = L.stride(layer), lambda n: L.numerator(n, layer)
        add("no_plus_one", sizes(lambda n: num(n) // s),
            "You forgot the +1 in ⌊(H + 2P − K)/S⌋ + 1.", "你漏了公式 ⌊(H + 2P − K)/S⌋ + 1 中的 +1。")
        if layer.get("p", 0):
            add("padding_once", sizes(lambda n: (num(n) - layer["p"]) // s + 1),
                "Padding is added on both sides: use 2P, not P.", "填充加在两侧：应为 2P，而不是 P。")
        add("ceil", sizes(lambda n: math.ceil(num(n) / s) + 1),
            "You rounded up; the convention here is floor (⌊·⌋), as in PyTorch.",
            "你向上取整了；这里约定向下取整（⌊·⌋），与 PyTorch 一致。")
        if layer["type"] == "conv" and before[0] != layer["out"]:
            add("channels_kept", [before[0], right[1], right[2]],
                "A conv layer outputs one channel per kernel, not the input's channel count.",
                "卷积层的输出通道数等于卷积核个数，而不是输入的通道数。")
        if layer["type"] in L.POOLS and layer.get("s") is None:
            add("pool_stride_one", sizes(lambda n: num(n) + 1),
                "A pooling layer's stride defaults to its kernel size, not 1.",
                "池化层的默认步长等于池化核大小，而不是 1。")
        if layer.get("d", 1) != 1:
            plain = dict(layer, d=1)
            add("ignored_dilation", sizes(lambda n: L.out_size(n, plain)),
                "Dilation D widens the kernel to D(K−1)+1.", "空洞率 D 使卷积核的有效大小变为 D(K−1)+1。")
        return out
