"""The values of max and average pooling (PyTorch's F.max_pool2d / F.avg_pool2d, floor mode).

    H_out = ⌊(H + 2P − k)/S⌋ + 1          S defaults to k
    max:  Y[i][j] = max of the window      padding is −∞: it never wins
    avg:  Y[i][j] = Σ window / k²          count_include_pad=True (PyTorch's default): the zero
                                           padding counts; False: / (real cells in the window)
"""

from __future__ import annotations

from problems import _conv as C
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import Part, Solution, t
from quizgen.registry import Family, per_params, register
from quizgen.trace import MistakeSet


@register
class PoolValues(Family):
    name = "cnn.pool_values"
    topic = "cnn"
    version = 1
    title = t("Values of max and average pooling", "最大池化与平均池化的输出值")
    summary = t("Pool a small matrix with a window, a stride and padding.", "用给定窗口、步长和填充对小矩阵做池化。")
    example = "quizgen solve cnn.pool_values --set x='[[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]]' --set kind=max"
    conventions = (
        C.FLOOR,
        t("A pooling stride defaults to the kernel size.", "池化步长未给出时等于池化核大小。"),
        t("Max pooling pads with −∞, so a padding cell never wins (PyTorch).",
          "最大池化用 −∞ 填充，填充位置永远不会是最大值（与 PyTorch 一致）。"),
        t("Average pooling with padding counts the zeros in the window unless stated otherwise "
          "(PyTorch's count_include_pad=True).",
          "带填充的平均池化默认把填充的 0 计入平均（PyTorch 的 count_include_pad=True），除非另有说明。"),
    )
    params = (
        P.matrix("x", "the input matrix", (2, 8), (2, 8), -1000, 1000, "[[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]]"),
        P.choice("kind", "max or average pooling", ("max", "avg")),
        P.integer("k", "the window size k×k", 1, 4, "2", default=2),
        P.integer("stride", "the stride (default: k)", 1, 4, "2", default=None),
        P.integer("padding", "the padding P on every side (at most k/2, as PyTorch)", 0, 2, "0", default=0),
        P.boolean("count_include_pad", "average pooling: do padding zeros count in the average", default=True),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)

        def draw() -> dict:
            kind = pick(["max", "avg"])
            if difficulty == "easy":
                size, k, s, p = 4, 2, None, 0
            elif difficulty == "medium":
                size, k = pick([4, 5, 6]), pick([2, 3])
                s, p = pick([None, 1, 2]), 0
            else:
                size, k = pick([4, 5]), pick([2, 3])
                s, p = pick([None, 1, 2]), 1
            lo = -5 if difficulty == "hard" and kind == "max" else 0
            x = [[int(v) for v in r] for r in rng.integers(lo, 10, (size, size))]
            return {"x": x, "kind": kind, "k": k, "stride": s, "padding": p,
                    "count_include_pad": bool(rng.random() < 0.5) if p and kind == "avg" else True}

        return redraw(draw, self._friendly)

    @staticmethod
    def _friendly(params: dict) -> bool:
        size = _size(params)
        return 2 <= min(size) and size[0] * size[1] <= 16

    def params_from_user(self, values: dict) -> dict:
        params = self.with_defaults(values)
        x, k, pad = params["x"], params["k"], params["padding"]
        if any(len(r) != len(x[0]) for r in x):
            raise QuizgenError("x: every row needs the same number of values")
        if 2 * pad > k:
            raise QuizgenError(f"padding: at most half the window (k/2 = {k / 2:g}), as PyTorch requires")
        if k > min(len(x), len(x[0])) + 2 * pad:
            raise QuizgenError("k: the window is larger than the padded input")
        return params

    # -------------------------------------------------------------- solve
    @per_params
    def solve(self, params: dict) -> Solution:
        x, kind, k, pad = params["x"], params["kind"], params["k"], params["padding"]
        s, size = _stride(params), _size(params)
        y = _pool(params)
        steps = [t(f"Output size: $\\lfloor ({len(x)} + 2 \\cdot {pad} - {k})/{s} \\rfloor + 1 = {size[0]}$ by "
                   f"$\\lfloor ({len(x[0])} + 2 \\cdot {pad} - {k})/{s} \\rfloor + 1 = {size[1]}$.",
                   f"输出尺寸：$\\lfloor ({len(x)} + 2 \\cdot {pad} - {k})/{s} \\rfloor + 1 = {size[0]}$ 乘 "
                   f"$\\lfloor ({len(x[0])} + 2 \\cdot {pad} - {k})/{s} \\rfloor + 1 = {size[1]}$。")]
        windows = C.windows(x, k, s, pad)
        for i, row in enumerate(windows):
            for j, win in enumerate(row):
                real = [C._g(v) for v in win if v is not None]
                pads = len(win) - len(real)
                if kind == "max":
                    line = f"\\max({', '.join(real)}) = {C._g(y[i][j])}"
                else:
                    count = len(win) if params["count_include_pad"] else len(real)
                    line = f"({' + '.join(real)}{' + 0' * pads if params['count_include_pad'] else ''})/{count} = {C._g(y[i][j])}"
                steps.append(t(f"$Y_{{{i + 1},{j + 1}}} = {line}$"))
        parts = (Part("a", "shape", t("output size $H_{\\text{out}} \\times W_{\\text{out}}$", "输出尺寸 $H_{\\text{out}} \\times W_{\\text{out}}$"), size),
                 Part("b", "matrix", t("the pooled output Y", "池化输出 Y"), C.as_numbers(y), decimals=_decimals(params)))
        return Solution(parts, tuple(steps))

    def mistakes(self, params: dict):
        parts = self.solve(params).parts
        found = MistakeSet(parts)
        x, k, pad, s, size = params["x"], params["k"], params["padding"], _stride(params), _size(params)
        found.add("a", [(n + 2 * pad - k) // s for n in (len(x), len(x[0]))], "no_plus_one",
                  t("The size is ⌊(H + 2P − k)/S⌋ + 1: the +1 is missing.", "尺寸为 ⌊(H + 2P − k)/S⌋ + 1：漏了 +1。"))
        if s > 1:
            found.add("a", [n + 2 * pad - k + 1 for n in (len(x), len(x[0]))], "stride_ignored",
                      t("The window moves by the stride S" + (" (here the kernel size, the default)" if params["stride"] is None else ""),
                        "窗口每次移动步长 S" + ("（这里默认等于池化核大小）" if params["stride"] is None else "")))
            slid = _pool({**params, "stride": 1})
            found.add("b", C.as_numbers([r[:size[1]] for r in slid[:size[0]]]), "stride_ignored",
                      t(f"The window moves {s} cells at a time, not 1.", f"窗口每次移动 {s} 格，而不是 1 格。"))
        other = "avg" if params["kind"] == "max" else "max"
        found.add("b", C.as_numbers(_pool({**params, "kind": other})), "other_pooling",
                  t(f"That is {'average' if other == 'avg' else 'max'} pooling.",
                    f"这是{'平均' if other == 'avg' else '最大'}池化。"))
        if pad and params["kind"] == "avg":
            flip = not params["count_include_pad"]
            found.add("b", C.as_numbers(_pool({**params, "count_include_pad": flip})), "count_include_pad",
                      t("Here the padding zeros " + ("count: divide by k² always." if flip else
                                                     "do not count: divide by the real cells in the window."),
                        "这里填充的 0 " + ("要计入：总是除以 k²。" if flip else "不计入：除以窗口内真实元素的个数。")))
        if pad and params["kind"] == "max":
            zero = C.pool(x, "max", k, s, pad, pad_as_zero=True)
            found.add("b", C.as_numbers(zero), "pad_zero", t(
                "Max pooling pads with −∞, not 0: a padding cell never wins.", "最大池化用 −∞ 填充，而不是 0：填充位置不会是最大值。"))
        return found.items

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        kind, k, pad, s = params["kind"], params["k"], params["padding"], _stride(params)
        zh = lang == "zh"
        data = f"$X = {C.bmatrix(params['x'])}$"
        default = params["stride"] is None
        if zh:
            how = f"对下面的矩阵 $X$ 做{'最大' if kind == 'max' else '平均'}池化：窗口 ${k}\\times{k}$，步长 $S = {s}$" + \
                  ("（默认等于窗口大小）" if default else "") + (f"，每一边填充 $P = {pad}$。" if pad else "，不填充。")
            if pad:
                how += ("填充位置取 −∞，不会成为最大值。" if kind == "max" else
                        "填充的 0 " + ("计入平均（除以 k²，即 count_include_pad=True）。" if params["count_include_pad"]
                                       else "不计入平均（除以窗口内真实元素个数，即 count_include_pad=False）。"))
            return how + f"\n\n{data}\n\n先写出输出尺寸，再写出输出矩阵。尺寸向下取整。"
        how = (f"Apply {'max' if kind == 'max' else 'average'} pooling with a ${k}\\times{k}$ window, stride $S = {s}$"
               + (" (the default: the window size)" if default else "")
               + (f" and padding $P = {pad}$ on every side" if pad else " and no padding") + " to the matrix $X$ below.")
        if pad:
            how += (" Padding cells are −∞ and never win the maximum." if kind == "max" else
                    " The padding zeros " + ("count in the average (divide by k², count_include_pad=True)."
                                            if params["count_include_pad"] else
                                            "do not count (divide by the real cells in the window, count_include_pad=False)."))
        return how + f"\n\n{data}\n\nGive the output size, then the output matrix. Sizes are floored."


def _stride(params: dict) -> int:
    return params["stride"] if params["stride"] is not None else params["k"]


def _size(params: dict) -> list[int]:
    x, k, s, p = params["x"], params["k"], _stride(params), params["padding"]
    return [C.out_size(len(x), k, s, p), C.out_size(len(x[0]), k, s, p)]


def _pool(params: dict):
    return C.pool(params["x"], params["kind"], params["k"], _stride(params), params["padding"], params["count_include_pad"])


def _decimals(params: dict) -> int | None:
    exact = params["kind"] == "max" and all(float(v).is_integer() for r in params["x"] for v in r)
    return None if exact else 2
