"""Logistic regression by hand: forward pass, binary cross-entropy, gradients, one update, a decision.

    forward    z_i = w·x_i + b,   ŷ_i = σ(z_i)
    loss       L = −c Σ_i [y_i ln ŷ_i + (1 − y_i) ln(1 − ŷ_i)],   c = 1/n (mean) or 1 (sum), natural log
    gradients  ∂L/∂w = c Σ_i (ŷ_i − y_i) x_i,   ∂L/∂b = c Σ_i (ŷ_i − y_i)     (σ′ cancels against the log)
    update     w ← w − η ∂L/∂w,   b ← b − η ∂L/∂b
    decision   class 1 when σ(w·x + b) ≥ 0.5 (i.e. w·x + b ≥ 0), with the updated parameters

One trace: a slip in z is carried into ŷ, L, the gradients, the update and the decision.
solvers/basics_ref.py: F.binary_cross_entropy_with_logits, autograd and torch.optim.SGD.
"""

from __future__ import annotations

import math

from problems import _backprop as B
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import part_id, t
from quizgen.registry import register
from quizgen.trace import CannotFollow, TraceFamily, Value, Work, Wrong


@register
class Logistic(TraceFamily):
    name = "basics.logistic"
    topic = "basics"
    version = 1
    title = t("Logistic regression: one gradient step", "逻辑回归：一步梯度下降")
    summary = t("z, σ(z), the binary cross-entropy, ∂L/∂w and ∂L/∂b, one update, and a decision at 0.5.",
                "z、σ(z)、二元交叉熵、∂L/∂w 与 ∂L/∂b、一次更新，以及阈值 0.5 下的分类。")
    example = ("quizgen solve basics.logistic --set X='[[1, 2]]' --set y='[1]' --set w='[0.5, -0.5]' --set b=0 "
               "--set eta=0.1 --set x_new='[1, 1]'")
    conventions = (
        t("Natural log; the statement says whether L is the mean or the sum over the points.",
          "自然对数；题目会说明 L 是对各样本取平均还是求和。"),
        t("A point is class 1 when σ(w·x + b) ≥ 0.5.", "当 σ(w·x + b) ≥ 0.5 时判为第 1 类。"),
    )
    params = (
        P.matrix("X", "the points, one row each", (1, 4), (1, 6), -100, 100, "[[1, 2]]"),
        P.vector("y", "the labels, 0 or 1", (1, 4), 0, 1, "[1]"),
        P.vector("w", "the initial weights", (1, 6), -100, 100, "[0.5, -0.5]"),
        P.real("b", "the initial bias", -100, 100, "0", default=0.0),
        P.real("eta", "the learning rate η", 0, 10, "0.1"),
        P.choice("loss", "mean or sum over the points", ("mean", "sum"), default="mean"),
        P.vector("x_new", "a new point to classify", (1, 6), -100, 100, "[1, 1]"),
        P.integer("decimals", "decimal places of the answers", 1, 9, "4", default=4),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        n = {"easy": 1, "medium": 2, "hard": 3}[difficulty]

        def draw() -> dict:
            return {"X": [[float(rng.integers(-2, 3)) for _ in range(2)] for _ in range(n)],
                    "y": [float(rng.integers(2)) for _ in range(n)],
                    "w": [int(rng.integers(-10, 11)) / 10 for _ in range(2)], "b": int(rng.integers(-5, 6)) / 10,
                    "eta": pick([0.1, 0.5, 1.0]), "loss": "mean" if difficulty != "hard" else pick(["mean", "sum"]),
                    "x_new": [float(rng.integers(-2, 3)) for _ in range(2)], "decimals": 4}

        def ok(p: dict) -> bool:
            z = [B.affine([p["w"]], x, [p["b"]])[0] for x in p["X"]]
            margin = self._new_logit(p)
            return all(abs(v) <= 3 for v in z) and any(any(x) for x in p["X"]) and abs(margin) > 0.05
        return redraw(draw, ok)

    def _new_logit(self, p: dict) -> float:
        return [q.answer for q in self.solve(p).parts][-3]

    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        n, d = len(p["X"]), len(p["X"][0])
        if len(p["y"]) != n or any(v not in (0, 1) for v in p["y"]):
            raise QuizgenError(f"y: expected {n} labels, each 0 or 1")
        if len(p["w"]) != d or len(p["x_new"]) != d:
            raise QuizgenError(f"w and x_new: expected {d} numbers, one per feature")
        return p

    def render(self, p: dict, lang: str) -> str:
        pts = ", ".join(f"$x_{i + 1} = {B.vec(x)}$, $y_{i + 1} = {B.num(v)}$" for i, (x, v) in enumerate(zip(p["X"], p["y"])))
        c = "\\frac{1}{n}" if p["loss"] == "mean" else ""
        loss = f"$L = -{c}\\sum_i [y_i \\ln \\hat y_i + (1 - y_i) \\ln(1 - \\hat y_i)]$"
        w, b, eta, new = B.vec(p["w"]), B.num(p["b"]), B.num(p["eta"]), B.vec(p["x_new"])
        if lang == "zh":
            kind = "对各样本取平均" if p["loss"] == "mean" else "对各样本求和"
            return (f"逻辑回归 $\\hat y = \\sigma(w \\cdot x + b)$，数据：{pts}。初值 $w = {w}$，$b = {b}$，学习率 "
                    f"$\\eta = {eta}$。损失为二元交叉熵 {loss}（自然对数，{kind}）。求每个点的 z 与 $\\hat y$、L、"
                    f"$\\partial L/\\partial w$、$\\partial L/\\partial b$，做一次梯度下降更新，再用更新后的参数对新点 "
                    f"$x = {new}$ 求 $\\sigma(w \\cdot x + b)$ 并在阈值 0.5 下分类（≥ 0.5 为第 1 类）。")
        kind = "the mean over the points" if p["loss"] == "mean" else "the sum over the points"
        return (f"Logistic regression $\\hat y = \\sigma(w \\cdot x + b)$ on the data {pts}. Start from $w = {w}$, "
                f"$b = {b}$, $\\eta = {eta}$. The loss is the binary cross-entropy {loss} (natural log, {kind}). Give z "
                f"and $\\hat y$ for every point, L, $\\partial L/\\partial w$ and $\\partial L/\\partial b$; take one "
                f"gradient step; then, with the updated parameters, $\\sigma(w \\cdot x + b)$ for the new point "
                f"$x = {new}$ and its class at threshold 0.5 (class 1 when ≥ 0.5).")

    def trace(self, p: dict):
        d, X, y, eta = p["decimals"], p["X"], p["y"], p["eta"]
        n, c = len(X), (1 / len(X) if p["loss"] == "mean" else 1.0)
        z = [sum(wi * xi for wi, xi in zip(p["w"], x)) + p["b"] for x in X]
        yield Work(t(f"$z = w \\cdot x + b = {B.vec(z, d)}$"))
        z = yield (Value("vector", t("z for each point", "每个点的 z"), z, decimals=d, step=1, column="z"))
        yhat = [B.sigmoid(v) for v in z]
        yield Work(t(f"$\\hat y = \\sigma(z) = {B.vec(yhat, d)}$"))
        yhat = yield (Value("vector", t("$\\hat y = \\sigma(z)$ for each point", "每个点的 $\\hat y = \\sigma(z)$"), yhat,
                           decimals=d, step=1, column="ŷ",
                           wrong=(Wrong([B.sigmoid(-v) for v in z], "exponent_sign",
                                        t("σ(z) = 1/(1 + e^{−z}).", "σ(z) = 1/(1 + e^{−z})，注意负号。")),)))
        if any(not 0 < v < 1 for v in yhat):
            raise CannotFollow
        terms = [-(v * math.log(h) + (1 - v) * math.log(1 - h)) for h, v in zip(yhat, y)]
        L = c * sum(terms)
        yield Work(t(f"$L = {B.num(L, d)}$"))
        slips = [Wrong(c * sum(-(v * math.log10(h) + (1 - v) * math.log10(1 - h)) for h, v in zip(yhat, y)), "log10",
                       t("Use the natural log ln, not log base 10.", "用自然对数 ln，不是以 10 为底。")),
                 Wrong(-L, "sign", t("L = −Σ[…]: the minus sign makes the loss positive.", "L = −Σ[…]：负号使损失为正。"))]
        if n > 1:
            other = sum(terms) if p["loss"] == "mean" else sum(terms) / n
            slips.append(Wrong(other, "mean_vs_sum", t("Mean vs sum: check the factor 1/n.", "平均与求和：检查因子 1/n。")))
        yield Value("real", t("the loss L", "损失 L"), L, decimals=d, step=1, column="L", wrong=tuple(slips))
        err = [h - v for h, v in zip(yhat, y)]
        gw = [c * sum(e * x[k] for e, x in zip(err, X)) for k in range(len(p["w"]))]
        gb = c * sum(err)
        mean = "\\frac{1}{n}" if p["loss"] == "mean" else ""
        yield Work(t(f"$\\partial L/\\partial w = {mean}\\sum_i (\\hat y_i - y_i) x_i = {B.vec(gw, d)}$, "
                     f"$\\partial L/\\partial b = {B.num(gb, d)}$"))
        extra = [c * sum(e * h * (1 - h) * x[k] for e, h, x in zip(err, yhat, X)) for k in range(len(p["w"]))]
        gw = yield (Value("vector", t("$\\partial L/\\partial w$", "梯度 $\\partial L/\\partial w$"), gw, decimals=d, step=2,
                         column="∂w", wrong=(Wrong([-v for v in gw], "sign", t("It is (ŷ − y) x, not (y − ŷ) x.", "是 (ŷ − y) x，不是 (y − ŷ) x。")),
                                             Wrong(extra, "extra_derivative",
                                                   t("σ′ cancels against the log in the cross-entropy: no ŷ(1 − ŷ) factor.",
                                                     "σ′ 与交叉熵中的对数相消：没有 ŷ(1 − ŷ) 这个因子。")))))
        gb = yield (Value("real", t("$\\partial L/\\partial b$", "梯度 $\\partial L/\\partial b$"), gb, decimals=d, step=2,
                         column="∂b", wrong=(Wrong(-gb, "sign", t("It is Σ(ŷ − y), not Σ(y − ŷ).", "是 Σ(ŷ − y)，不是 Σ(y − ŷ)。")),)))
        w_new = [wi - eta * g for wi, g in zip(p["w"], gw)]
        b_new = p["b"] - eta * gb
        yield Work(t(f"$w \\leftarrow {B.vec(w_new, d)}$, $b \\leftarrow {B.num(b_new, d)}$"))
        w_new = yield (Value("vector", t("w after the update", "更新后的 w"), w_new, decimals=d, step=3, column="w'",
                            wrong=(Wrong([wi + eta * g for wi, g in zip(p["w"], gw)], "sign",
                                         t("Step against the gradient: w − η∂L/∂w.", "沿梯度的反方向走：w − η∂L/∂w。")),)))
        b_new = yield (Value("real", t("b after the update", "更新后的 b"), b_new, decimals=d, step=3, column="b'",
                            wrong=(Wrong(p["b"] + eta * gb, "sign", t("Step against the gradient: b − η∂L/∂b.",
                                                                       "沿梯度的反方向走：b − η∂L/∂b。")),)))
        logit = sum(wi * xi for wi, xi in zip(w_new, p["x_new"])) + b_new
        prob = B.sigmoid(logit)
        yield Work(t(f"New point: $w \\cdot x + b = {B.num(logit, d)}$, $\\sigma = {B.num(prob, d)}$",
                     f"新点：$w \\cdot x + b = {B.num(logit, d)}$，$\\sigma = {B.num(prob, d)}$"))
        yield Value("real", t("w·x + b for the new point", "新点的 w·x + b"), logit, decimals=d, step=4, column="z new")
        prob = yield (Value("real", t("σ(w·x + b) for the new point", "新点的 σ(w·x + b)"), prob, decimals=d, step=4,
                           column="p new"))
        yield Value("integer", t("the new point's class at threshold 0.5 (0 or 1)", "阈值 0.5 下新点的类别（0 或 1）"),
                    1 if prob >= 0.5 else 0, step=4, column="class",
                    wrong=(Wrong(0 if prob >= 0.5 else 1, "flipped", t("Class 1 when σ ≥ 0.5.", "σ ≥ 0.5 时为第 1 类。")),))

    def resume(self, params: dict, part_id_: str, value):
        """From a slip in z (the same for every point): the problem with b shifted by it, so every part up
        to the new w must follow; the new b and the new point start from a different b."""
        if part_id_ != "a":
            return None
        z = [sum(wi * xi for wi, xi in zip(params["w"], x)) + params["b"] for x in params["X"]]
        shift = [v - u for u, v in zip(z, value)]
        if max(shift) - min(shift) > 1e-12:
            return None
        return dict(params, b=params["b"] + shift[0]), {part_id(i): part_id(i) for i in range(1, 6)}
