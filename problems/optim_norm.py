"""Batch and layer normalization, forward, on a small mini-batch X (n examples × d features).

    batch (training)   μ_j = mean over the batch of x_{·j},  σ²_j = biased variance (divide by n)
                       x̂ = (x − μ)/√(σ² + ε),  y = γ ⊙ x̂ + β
                       running stats  PyTorch: r ← (1 − m) r + m·stat  (m = 0.1; running_var takes the
                                      unbiased variance, n/(n−1)·σ²)
                                      Keras:   r ← m·r + (1 − m)·stat  (m = 0.99; the biased σ²)
                       (PyTorch's momentum is 1 − Keras')
    batch (inference)  x̂ = (x − running_mean)/√(running_var + ε),  y = γ ⊙ x̂ + β
    layer              per example i: μ_i, σ²_i over its d features (biased), x̂, y = γ ⊙ x̂ + β
"""

from __future__ import annotations

import math

from problems._optim import CachedSolve
from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import Mistake, Part, Solution, part_id, t
from quizgen.registry import Family, register

DECIMALS = 4
MODES = ("batch", "eval", "layer")


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def var(xs: list[float], unbiased: bool = False) -> float:
    m = mean(xs)
    return sum((x - m) ** 2 for x in xs) / (len(xs) - (1 if unbiased else 0))


def columns(x: list[list[float]]) -> list[list[float]]:
    return [list(c) for c in zip(*x)]


def normalize(x: list[list[float]], mu: list[float], v: list[float], eps: float) -> list[list[float]]:
    """x̂ with per-feature statistics (length d)."""
    return [[(xi - m) / math.sqrt(s + eps) for xi, m, s in zip(row, mu, v)] for row in x]


def affine(xhat: list[list[float]], gamma: list[float], beta: list[float]) -> list[list[float]]:
    return [[g * xi + b for xi, g, b in zip(row, gamma, beta)] for row in xhat]


def running(params: dict, old: list[float], stat: list[float]) -> list[float]:
    m = params["momentum"]
    if params["convention"] == "pytorch":
        return [(1 - m) * r + m * s for r, s in zip(old, stat)]
    return [m * r + (1 - m) * s for r, s in zip(old, stat)]


def answers(params: dict, unbiased: bool = False, swapped: bool = False, layer_as_batch: bool = False) -> list:
    """The parts in order; the flags give the known slips (unbiased σ², momentum swapped, ...)."""
    x, g, b, eps, mode = params["x"], params["gamma"], params["beta"], params["eps"], params["mode"]
    if mode == "eval":
        xhat = normalize(x, params["running_mean"], params["running_var"], eps)
        return [xhat, affine(xhat, g, b)]
    if mode == "layer" and not layer_as_batch:
        mu, v = [mean(r) for r in x], [var(r, unbiased) for r in x]
        xhat = [normalize([r], [m] * len(r), [s] * len(r), eps)[0] for r, m, s in zip(x, mu, v)]
        return [mu, v, xhat, affine(xhat, g, b)]
    cols = columns(x)
    mu, v = [mean(c) for c in cols], [var(c, unbiased) for c in cols]
    xhat = normalize(x, mu, v, eps)
    if mode == "layer":
        return [[mean(r) for r in x], [var(r) for r in x], xhat, affine(xhat, g, b)]
    stat_v = [var(c, params["convention"] == "pytorch") for c in cols]
    p = dict(params, convention="keras" if swapped and params["convention"] == "pytorch" else
             "pytorch" if swapped else params["convention"])
    return [mu, v, xhat, affine(xhat, g, b), running(p, params["running_mean"], mu), running(p, params["running_var"], stat_v)]


def _vec(v: list[float]) -> str:
    return "[" + ", ".join(f"{x:g}" for x in v) + "]"


@register
class Norm(CachedSolve, Family):
    name = "optim.norm"
    topic = "optim"
    version = 1
    title = t("Batch normalization and layer normalization, forward", "批归一化与层归一化的前向计算")
    summary = t("BN in training (μ, biased σ², x̂, y, running stats) and inference; LN per example.",
                "训练模式下的 BN（μ、有偏 σ²、x̂、y、滑动统计量）与推理模式；逐样本的 LN。")
    example = "quizgen solve optim.norm --set mode=batch --set 'x=[[1, 2], [3, 6]]'"
    conventions = (
        t("The variance that normalizes is the biased one (divide by n); ε sits inside the root: $\\sqrt{\\sigma^2 + \\epsilon}$.",
          "用于归一化的方差是有偏方差（除以 n）；ε 在平方根之内：$\\sqrt{\\sigma^2 + \\epsilon}$。"),
        t("Running statistics: PyTorch $r \\leftarrow (1-m) r + m\\,s$ with m = 0.1 and the unbiased variance in running_var; "
          "Keras $r \\leftarrow m r + (1-m) s$ with m = 0.99 and the biased variance (PyTorch's momentum is 1 − Keras').",
          "滑动统计量：PyTorch 为 $r \\leftarrow (1-m) r + m\\,s$，m = 0.1，running_var 使用无偏方差；"
          "Keras 为 $r \\leftarrow m r + (1-m) s$，m = 0.99，使用有偏方差（PyTorch 的动量等于 1 − Keras 的动量）。"),
    )
    params = (
        P.choice("mode", "batch (training), eval (inference from running statistics) or layer", MODES, example="batch"),
        P.matrix("x", "the mini-batch, one row per example", (1, 6), (1, 4), -1000, 1000, "[[1, 2], [3, 6]]"),
        P.vector("gamma", "scale γ, one per feature (default 1)", (1, 4), -100, 100, "[1, 1]", default=None),
        P.vector("beta", "shift β, one per feature (default 0)", (1, 4), -100, 100, "[0, 0]", default=None),
        P.real("eps", "ε (default 1e-5, PyTorch's)", 0, 1, "1e-5", default=1e-5),
        P.choice("convention", "running-statistics update: pytorch or keras", ("pytorch", "keras"), default="pytorch"),
        P.real("momentum", "running-statistics momentum (default 0.1 PyTorch, 0.99 Keras)", 0, 1, "0.1", default=None),
        P.vector("running_mean", "running mean before (default 0)", (1, 4), -1000, 1000, "[0, 0]", default=None),
        P.vector("running_var", "running variance before (default 1)", (1, 4), 0, 1000, "[1, 1]", default=None),
    )

    @staticmethod
    def _draw(rng, difficulty: str) -> dict:
        pick = picker(rng)
        mode = {"easy": "batch", "medium": pick(["batch", "layer"]), "hard": pick(["batch", "eval", "layer"])}[difficulty]
        n, d = (2, pick([1, 2])) if difficulty == "easy" else (pick([2, 3, 4]), pick([2, 3]))
        x = [[float(pick([-2, -1, 0, 1, 2, 3, 4, 5])) for _ in range(d)] for _ in range(n)]
        conv = pick(["pytorch", "keras"]) if difficulty != "easy" else "pytorch"
        p = {"mode": mode, "x": x, "gamma": [float(pick([1, 2, 0.5])) for _ in range(d)],
             "beta": [float(pick([0, 1, -1])) for _ in range(d)], "eps": 1e-5, "convention": conv,
             "momentum": 0.1 if conv == "pytorch" else pick([0.9, 0.99]),
             "running_mean": [float(pick([0, 1])) for _ in range(d)], "running_var": [float(pick([1, 2, 4])) for _ in range(d)]}
        if mode == "layer":
            for k in ("convention", "momentum", "running_mean", "running_var"):
                p.pop(k)
        return p

    @staticmethod
    def _friendly(p: dict) -> bool:
        if p["mode"] == "layer":
            return all(var(r) > 0.2 for r in p["x"])
        if p["mode"] == "batch":
            return len(p["x"]) > 1 and all(var(c) > 0.2 for c in columns(p["x"]))
        return True

    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        x, mode = v["x"], v["mode"]
        n, d = len(x), len(x[0])
        if any(len(r) != d for r in x):
            raise QuizgenError("x: every example needs the same number of features")
        p = {"mode": mode, "x": x, "gamma": v["gamma"] or [1.0] * d, "beta": v["beta"] or [0.0] * d, "eps": v["eps"]}
        if len(p["gamma"]) != d or len(p["beta"]) != d:
            raise QuizgenError(f"gamma and beta need one number per feature ({d})")
        if mode == "batch" and n < 2:
            raise QuizgenError("batch norm in training needs at least 2 examples (PyTorch refuses one)")
        if mode != "layer":
            p["convention"] = v["convention"]
            p["momentum"] = v["momentum"] if v["momentum"] is not None else (0.1 if v["convention"] == "pytorch" else 0.99)
            p["running_mean"], p["running_var"] = v["running_mean"] or [0.0] * d, v["running_var"] or [1.0] * d
            if len(p["running_mean"]) != d or len(p["running_var"]) != d:
                raise QuizgenError(f"running_mean and running_var need one number per feature ({d})")
        if p["eps"] == 0 and any(s == 0 for s in (answers(p)[1] if mode != "eval" else p["running_var"])):
            raise QuizgenError("a zero variance with ε = 0 divides by zero; give eps > 0")
        return p

    def _prompts(self, params: dict) -> list[t]:
        mode = params["mode"]
        if mode == "eval":
            return [t("x̂ (normalized with the running statistics), one row per example", "x̂（用滑动统计量归一化），每个样本一行"),
                    t("y = γ ⊙ x̂ + β, one row per example", "y = γ ⊙ x̂ + β，每个样本一行")]
        who_en, who_zh = ("feature", "特征") if mode == "batch" else ("example", "样本")
        out = [t(f"the mean μ of each {who_en}", f"每个{who_zh}的均值 μ"),
               t(f"the (biased) variance σ² of each {who_en}", f"每个{who_zh}的（有偏）方差 σ²"),
               t("x̂, one row per example", "x̂，每个样本一行"), t("y = γ ⊙ x̂ + β, one row per example", "y = γ ⊙ x̂ + β，每个样本一行")]
        if mode == "batch":
            out += [t("the new running mean", "更新后的滑动均值"), t("the new running variance", "更新后的滑动方差")]
        return out

    def _solve(self, params: dict) -> Solution:
        values = answers(params)
        parts = tuple(Part(part_id(i), "matrix" if isinstance(v[0], list) else "vector", prompt, v, decimals=DECIMALS)
                      for i, (prompt, v) in enumerate(zip(self._prompts(params), values)))
        return Solution(parts, tuple(self._work(params, values)))

    @staticmethod
    def _work(params: dict, values: list) -> list[t]:
        r = lambda v: _vec([round(x, 4) for x in v])  # noqa: E731
        rows = lambda m: "; ".join(r(row) for row in m)  # noqa: E731
        if params["mode"] == "eval":
            return [t(f"$\\hat{{x}} = (x - {_vec(params['running_mean'])})/\\sqrt{{{_vec(params['running_var'])} + \\epsilon}}$: "
                      f"{rows(values[0])}; y: {rows(values[1])}.")]
        out = [t(f"μ = {r(values[0])}, σ² = {r(values[1])} (divide by n)", f"μ = {r(values[0])}，σ² = {r(values[1])}（除以 n）"),
               t(f"$\\hat{{x}} = (x - \\mu)/\\sqrt{{\\sigma^2 + \\epsilon}}$: {rows(values[2])}; $y = \\gamma \\odot \\hat{{x}} + \\beta$: "
                 f"{rows(values[3])}.")]
        if params["mode"] == "batch":
            m, pt = params["momentum"], params["convention"] == "pytorch"
            rule = f"(1 - {m:g})\\,r + {m:g}\\,s" if pt else f"{m:g}\\,r + {1 - m:g}\\,s"
            which = ("the unbiased variance n/(n−1)·σ²", "无偏方差 n/(n−1)·σ²") if pt else ("the biased σ²", "有偏方差 σ²")
            out.append(t(f"$r \\leftarrow {rule}$: running mean {r(values[4])}; running variance (with {which[0]}) {r(values[5])}.",
                         f"$r \\leftarrow {rule}$：滑动均值 {r(values[4])}；滑动方差（用{which[1]}）{r(values[5])}。"))
        return out

    def mistakes(self, params: dict) -> list[Mistake]:
        from quizgen.trace import MistakeSet

        mode, found = params["mode"], MistakeSet(self.solve(params).parts)

        def add(index: int, value, tag: str, en: str, zh: str) -> None:
            found.add(part_id(index), value, tag, t(en, zh))

        if mode in ("batch", "layer") and all(len(c) > 1 for c in (columns(params["x"]) if mode == "batch" else params["x"])):
            slip = answers(params, unbiased=True)
            add(1, slip[1], "unbiased_variance", "Normalization uses the biased variance: divide by n, not n − 1.",
                "归一化用有偏方差：除以 n，而不是 n − 1。")
            add(2, slip[2], "unbiased_variance", "x̂ uses the biased variance (divide by n).", "x̂ 用的是有偏方差（除以 n）。")
        if mode == "batch":
            swapped = answers(params, swapped=True)
            for i in (4, 5):
                add(i, swapped[i], "momentum_swapped", "PyTorch's momentum is 1 − Keras': check which term m multiplies.",
                    "PyTorch 的动量等于 1 − Keras 的动量：检查 m 乘的是哪一项。")
            biased_rv = running(params, params["running_var"], answers(params)[1]) if params["convention"] == "pytorch" else \
                running(params, params["running_var"], [var(c, True) for c in columns(params["x"])])
            add(5, biased_rv, "running_var_variance", "PyTorch's running_var takes the unbiased variance; Keras' the biased one.",
                "PyTorch 的 running_var 使用无偏方差；Keras 使用有偏方差。")
        if mode == "layer":
            add(2, answers(params, layer_as_batch=True)[2], "batch_not_layer",
                "Layer norm normalizes each example over its features, not each feature over the batch.",
                "层归一化是对每个样本在其特征上归一化，而不是对每个特征在批次上归一化。")
        if mode == "eval" and len(params["x"]) > 1 and all(var(c) > 0 for c in columns(params["x"])):
            batch = answers(dict(params, mode="batch"))
            add(0, batch[2], "batch_stats_in_eval", "At inference batch norm uses the running statistics, not the batch's.",
                "推理时批归一化使用滑动统计量，而不是当前批次的统计量。")
        return found.items

    def render(self, params: dict, lang: str) -> str:
        x = "; ".join(_vec(r) for r in params["x"])
        g, b, mode, zh = _vec(params["gamma"]), _vec(params["beta"]), params["mode"], lang == "zh"
        eps = "10^{-5}" if params["eps"] == 1e-5 else f"{params['eps']:g}"
        head = (f"一个小批次 X 有 {len(params['x'])} 个样本、{len(params['x'][0])} 个特征（每行一个样本）：{x}。"
                f"$\\gamma = {g}$，$\\beta = {b}$，$\\epsilon = {eps}$（在平方根之内）。" if zh else
                f"A mini-batch X of {len(params['x'])} examples with {len(params['x'][0])} features (one row per example): {x}; "
                f"$\\gamma = {g}$, $\\beta = {b}$, $\\epsilon = {eps}$ (inside the root).")
        if mode == "layer":
            return head + ("\n对每个样本做层归一化（在其各特征上求均值与有偏方差）。" if zh else
                           "\nApply layer normalization to each example (mean and biased variance over its features).")
        stats = f"running_mean = {_vec(params['running_mean'])}, running_var = {_vec(params['running_var'])}"
        m = params["momentum"]
        if params["convention"] == "pytorch":
            upd_en = f"PyTorch's update $r \\leftarrow (1 - m) r + m s$ with m = {m:g} (running_var takes the unbiased variance)"
            upd_zh = f"PyTorch 的更新 $r \\leftarrow (1 - m) r + m s$，m = {m:g}（running_var 使用无偏方差）"
        else:
            upd_en = f"Keras' update $r \\leftarrow m r + (1 - m) s$ with m = {m:g} (the biased variance)"
            upd_zh = f"Keras 的更新 $r \\leftarrow m r + (1 - m) s$，m = {m:g}（使用有偏方差）"
        if mode == "eval":
            return head + (f"\n批归一化层处于推理模式，{stats}。" if zh else
                           f"\nA batch-norm layer in inference mode has {stats}.")
        return head + (f"\n批归一化层处于训练模式（按特征、在批次上统计），更新前 {stats}，采用{upd_zh}。" if zh else
                       f"\nA batch-norm layer in training mode (statistics per feature, over the batch) has {stats} before "
                       f"this batch and uses {upd_en}.")
