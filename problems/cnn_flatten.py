"""The in_features of the first Linear after flattening (the VGG-on-CIFAR bug).

    in_features = C × H × W of the last feature map,   each size by
    H_out = floor((H + 2P - D(K-1) - 1)/S) + 1

The statement shows a PyTorch model whose nn.Linear has a wrong in_features (computed as a
classmate would with one pooling layer forgotten); the student finds the right one.
Part (b) is judged from the student's own shape in (a) (error carried forward).
"""

from __future__ import annotations

from problems import _layers as L
from quizgen.model import Mistake, Part, Solution, t
from quizgen.draw import picker, redraw
from quizgen.registry import Family, register


def _features(params: dict) -> list[int]:
    return L.shapes(params["input"], params["layers"])[-1]


def _product(shape: list[int]) -> int:
    n = 1
    for v in shape:
        n *= v
    return n


def _ceil_shape(params: dict) -> list[int]:
    """The final feature map if every size were rounded up instead of down."""
    c, h, w = params["input"]
    for layer in params["layers"]:
        if layer["type"] in L.ACTIVATIONS:
            continue
        c = layer["out"] if layer["type"] == "conv" else c
        h, w = (-(-L.numerator(n, layer) // L.stride(layer)) + 1 for n in (h, w))
    return [c, h, w]


def _one_pool_forgotten(params: dict) -> int:
    """in_features if the last pooling layer is forgotten (the wrong value in the code)."""
    last_pool = max(i for i, layer in enumerate(params["layers"]) if layer["type"] in L.POOLS)
    layers = params["layers"][:last_pool] + params["layers"][last_pool + 1:]
    return _product(L.shapes(params["input"], layers)[-1])


@register
class FlattenFeatures(Family):
    name = "cnn.flatten"
    topic = "cnn"
    version = 1
    title = t("in_features after flatten", "展平后的 in_features")
    summary = t("Find the right in_features of the Linear after a conv stack (the VGG-on-CIFAR bug).",
                "找出卷积层之后第一个 Linear 层正确的 in_features（VGG 用于 CIFAR 时的常见错误）。")
    example = "quizgen generate --topic cnn.flatten --count 2"
    conventions = (L.FLOOR, L.POOL_STRIDE)

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        params = redraw(lambda: self._draw_stack(rng, difficulty, pick), self._friendly)
        return {**params, "wrong": _one_pool_forgotten(params)}

    @staticmethod
    def _draw_stack(rng, difficulty: str, pick) -> dict:
        size = pick([32, 28] if difficulty != "hard" else [32, 64, 96, 48])
        blocks = {"easy": int(rng.integers(2, 4)), "medium": int(rng.integers(3, 5)),
                  "hard": int(rng.integers(3, 6))}[difficulty]
        channels, layers = pick([16, 32, 64]), []
        for _b in range(blocks):
            if difficulty == "easy":
                layers.append(L.conv(channels, 3, 1, 1))
            else:
                k = pick([3, 3, 5])
                layers.append(L.conv(channels, k, pick([1, 1, 2]) if difficulty == "hard" else 1,
                                     pick([k // 2, 0])))
            layers.append({"type": "relu"})
            layers.append(L.pool("maxpool", 2))
            channels = min(channels * 2, 512)
        return {"input": [3, size, size], "layers": layers, "classes": pick([10, 100])}

    @staticmethod
    def _friendly(params: dict) -> bool:
        try:
            final = _features(params)
        except ValueError:
            return False
        if min(final[1:]) < 1 or _product(final) > 8192:
            return False
        return _one_pool_forgotten(params) != _product(final)

    def solve(self, params: dict) -> Solution:
        shapes = L.shapes(params["input"], params["layers"])
        final = shapes[-1]
        steps = []
        for i, layer in enumerate(params["layers"]):
            if layer["type"] in L.ACTIVATIONS:
                continue
            h = shapes[i][1]
            formula = (f"$\\lfloor \\frac{{{h} + 2\\cdot{layer.get('p', 0)} - {L.span(layer)}}}{{{L.stride(layer)}}} "
                       f"\\rfloor + 1 = {shapes[i + 1][1]}$")
            code, out = L.torch_code(layer, shapes[i]), L.latex_shape(shapes[i + 1])
            steps.append(t(f"{code}: {formula}, giving ${out}$.", f"{code}：{formula}，得到 ${out}$。"))
        n = _product(final)
        steps.append(t(f"Flatten: in_features $= {final[0]} \\times {final[1]} \\times {final[2]} = {n}$, "
                       f"so the layer must be nn.Linear({n}, {params['classes']}), not nn.Linear({params['wrong']}, "
                       f"{params['classes']}).",
                       f"展平：in_features $= {final[0]} \\times {final[1]} \\times {final[2]} = {n}$，"
                       f"所以应为 nn.Linear({n}, {params['classes']})，而不是 nn.Linear({params['wrong']}, {params['classes']})。"))
        parts = (Part("a", "shape", t("C×H×W of the feature map just before nn.Flatten()",
                                      "nn.Flatten() 之前特征图的 C×H×W"), final, trace=True),
                 Part("b", "integer", t("the correct in_features of the nn.Linear", "nn.Linear 正确的 in_features"),
                      n, trace=True))
        return Solution(parts, tuple(steps))

    def follow_through(self, params: dict, part_id: str, values: dict):
        return _product(values["a"]) if part_id == "b" else None

    def render(self, params: dict, lang: str) -> str:
        shapes = L.shapes(params["input"], params["layers"])
        code = ["model = nn.Sequential("]
        code += [f"    {L.torch_code(layer, shapes[i])}," for i, layer in enumerate(params["layers"])]
        code += ["    nn.Flatten(),", f"    nn.Linear({params['wrong']}, {params['classes']}),", ")"]
        block = "```\n" + "\n".join(code) + "\n```"
        c, h, w = params["input"]
        if lang == "zh":
            return (f"一位同学为大小为 ${c}\\times{h}\\times{w}$ 的图像写了下面的模型，前向传播时在 nn.Linear 处报形状不匹配的错误：\n"
                    f"{block}\n写出展平前特征图的尺寸，以及 nn.Linear 正确的 in_features。")
        return (f"A classmate wrote this model for ${c}\\times{h}\\times{w}$ images. The forward pass fails with a "
                f"shape mismatch at the nn.Linear:\n{block}\nGive the size of the feature map before flattening and "
                f"the correct in_features of the nn.Linear.")

    def mistakes(self, params: dict) -> list[Mistake]:
        final = _features(params)
        n = _product(final)
        out = []
        ceil = _ceil_shape(params)
        if ceil != final:
            why = t("You rounded a size up; output sizes are floored (⌊·⌋), as in PyTorch.",
                    "你把某个尺寸向上取整了；输出尺寸应向下取整（⌊·⌋），与 PyTorch 一致。")
            out.append(Mistake("a", ceil, "ceil", why))
            if _product(ceil) not in (n, params["wrong"]):
                out.append(Mistake("b", _product(ceil), "ceil", why))
        out += [Mistake("b", params["wrong"], "one_pool_forgotten",
                       t("That is the classmate's value: a pooling layer was left out of the size calculation.",
                         "这是那位同学的数值：计算尺寸时漏掉了一个池化层。"))]
        for tag, value, en, zh in [
            ("forgot_channels", final[1] * final[2], "in_features counts every channel: C × H × W, not H × W.",
             "in_features 要计入所有通道：C × H × W，而不是 H × W。"),
            ("channels_only", final[0], "Flatten turns C×H×W into C·H·W features, not C.",
             "展平把 C×H×W 变成 C·H·W 个特征，而不是 C 个。")]:
            if value not in (n, params["wrong"]):
                out.append(Mistake("b", value, tag, t(en, zh)))
        return out
