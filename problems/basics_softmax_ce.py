"""Softmax and cross-entropy by hand, from logits or from probabilities.

    max trick   softmax(z) = softmax(z − max z):  p_k = e^{z_k − m} / Σ_j e^{z_j − m},  m = max z
    loss        L = −Σ_k y_k ln p_k              (natural log; y one-hot or soft targets, Σ y = 1)
    gradient    ∂L/∂z = p − y                     (softmax and cross-entropy together)
    scaling     softmax(c·z): c > 1 sharpens the distribution, c < 1 flattens it (temperature
                T = 1/c); the order of the classes never changes

From logits, the parts form one trace: a slip in z − max z is carried into p, L and ∂L/∂z.
solvers/basics_ref.py recomputes them with F.softmax, F.cross_entropy and autograd.
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

SCALE_CHOICES = (
    t("The distribution gets sharper (more peaked); the top class keeps the top probability.",
      "分布变得更尖锐（更集中）；概率最大的类别不变。"),
    t("The distribution gets flatter (closer to uniform); the top class keeps the top probability.",
      "分布变得更平坦（更接近均匀分布）；概率最大的类别不变。"),
    t("Nothing changes: softmax ignores a common factor of the logits.", "没有变化：softmax 与 logits 的公共因子无关。"),
    t("The order of the classes can change.", "各类别的先后顺序可能改变。"),
)


def scale_answer(c: float) -> list[str]:
    return ["a"] if c > 1 else ["b"]


@register
class SoftmaxCE(TraceFamily):
    name = "basics.softmax_ce"
    topic = "basics"
    version = 1
    title = t("Softmax and cross-entropy", "softmax 与交叉熵")
    summary = t("Softmax with the max trick, the cross-entropy, its gradient p − y, and scaled logits.",
                "用减最大值技巧算 softmax、交叉熵及其梯度 p − y，以及缩放 logits 的效果。")
    example = "quizgen solve basics.softmax_ce --set z='[2, 1, 0.1]' --set y='[1, 0, 0]'"
    conventions = (
        t("The log is the natural log ln.", "对数为自然对数 ln。"),
        t("L = −Σ y_k ln p_k for one example (no mean over a batch); ∂L/∂z is with respect to the logits.",
          "L = −Σ y_k ln p_k，针对单个样本（不对批次取平均）；∂L/∂z 是对 logits 求导。"),
    )
    params = (
        P.vector("z", "the logits (or leave out and give p)", (2, 8), -30, 30, "[2, 1, 0.1]", default=None),
        P.vector("p", "predicted probabilities, when the loss is computed from probabilities", (2, 8), 0, 1,
                 "[0.7, 0.2, 0.1]", default=None),
        P.vector("y", "the target distribution (one-hot, or soft targets summing to 1)", (2, 8), 0, 1, "[1, 0, 0]"),
        P.real("scale", "the factor c in softmax(c·z)", 0.01, 100, "2", default=2.0),
        P.integer("decimals", "decimal places of the answers", 1, 9, "4", default=4),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)

        def draw() -> dict:
            k = 3 if difficulty != "hard" else int(rng.integers(3, 5))
            y = [0.0] * k
            y[int(rng.integers(k))] = 1.0
            if difficulty == "hard" and rng.random() < 0.5:
                hot = y.index(1.0)
                y = [0.9 if i == hot else round(0.1 / (k - 1), 4) for i in range(k)]
                y[hot] = round(1 - sum(v for i, v in enumerate(y) if i != hot), 4)
            if difficulty == "easy" and rng.random() < 0.5:
                cuts = sorted(int(v) for v in rng.choice(range(1, 10), k - 1, replace=False))
                p = [(b - a) / 10 for a, b in zip([0] + cuts, cuts + [10])]
                return {"z": None, "p": p, "y": y, "scale": 2.0, "decimals": 4}
            z = [int(rng.integers(-3, 4)) + (0 if difficulty == "easy" else int(rng.integers(0, 10)) / 10)
                 for _ in range(k)]
            return {"z": z, "p": None, "y": y, "scale": pick([2.0, 0.5, 3.0]), "decimals": 4}

        def ok(p: dict) -> bool:
            if p["z"] is None:
                return True
            probs = B.activate("softmax", p["z"])
            return len(set(p["z"])) == len(p["z"]) and min(probs) > 0.01
        return redraw(draw, ok)

    def params_from_user(self, values: dict) -> dict:
        z, p, y = values.get("z"), values.get("p"), values["y"] if "y" in values else None
        if y is None:
            raise QuizgenError("basics.softmax_ce needs --set y='[1, 0, 0]' (the target)")
        if (z is None) == (p is None):
            raise QuizgenError("give either the logits z or the probabilities p")
        n = len(z if z is not None else p)
        if len(y) != n:
            raise QuizgenError(f"y: expected {n} numbers, one per class, got {len(y)}")
        if abs(sum(y) - 1) > 1e-6:
            raise QuizgenError("y: the targets must sum to 1")
        if p is not None and (abs(sum(p) - 1) > 1e-6 or min(p) <= 0):
            raise QuizgenError("p: the probabilities must be positive and sum to 1")
        return {"z": z, "p": p, "y": y, "scale": values.get("scale", 2.0), "decimals": values.get("decimals", 4)}

    def render(self, p: dict, lang: str) -> str:
        zh = lang == "zh"
        y = B.vec(p["y"])
        if p["z"] is None:
            if zh:
                return (f"模型预测的概率（已经过 softmax）为 $p = {B.vec(p['p'])}$，目标分布 $y = {y}$。"
                        "损失由概率直接计算：$L = -\\sum_k y_k \\ln p_k$（自然对数）。"
                        "求 L，以及 L 对 logits 的梯度 $\\partial L/\\partial z$。")
            return (f"A model's predicted probabilities (already a softmax output) are $p = {B.vec(p['p'])}$; "
                    f"the target is $y = {y}$. The loss is computed from the probabilities: "
                    "$L = -\\sum_k y_k \\ln p_k$ (natural log). Give L and its gradient with respect to the "
                    "logits, $\\partial L/\\partial z$.")
        z, c = B.vec(p["z"]), B.num(p["scale"])
        if zh:
            return (f"logits 为 $z = {z}$，目标分布 $y = {y}$。用减最大值的技巧计算 softmax："
                    "$p = \\mathrm{softmax}(z - \\max z)$（结果与 softmax(z) 相同，但指数不会溢出）。"
                    "交叉熵由 logits 计算：$L = -\\sum_k y_k \\ln p_k$（自然对数），对单个样本。"
                    f"写出 $z - \\max z$、p、L、$\\partial L/\\partial z$，再求 $\\mathrm{{softmax}}({c} z)$，"
                    f"并说明把 logits 乘以 {c} 的效果。")
        return (f"Logits $z = {z}$, target $y = {y}$. Compute the softmax with the max-subtraction trick: "
                "$p = \\mathrm{softmax}(z - \\max z)$ (the same as softmax(z), but no exponential overflows). "
                "The cross-entropy is computed from the logits: $L = -\\sum_k y_k \\ln p_k$ (natural log), "
                f"for one example. Give $z - \\max z$, p, L and $\\partial L/\\partial z$; then "
                f"$\\mathrm{{softmax}}({c} z)$, and what multiplying the logits by {c} does.")

    def trace(self, p: dict):
        d, y = p["decimals"], p["y"]
        if p["z"] is None:
            probs = p["p"]
        else:
            z = p["z"]
            m = max(z)
            yield Work(t(f"$\\max z = {B.num(m)}$, $z - \\max z = {B.vec([v - m for v in z], d)}$"))
            shifted = yield (Value("vector", t("$z - \\max z$ (the shifted logits)", "$z - \\max z$（平移后的 logits）"),
                                  [v - m for v in z], decimals=d, step=1, column="z−max"))
            e = [math.exp(v) for v in shifted]
            probs = [v / sum(e) for v in e]
            yield Work(t(f"$e^{{z - \\max z}} = {B.vec(e, d)}$, sum ${B.num(sum(e), d)}$, $p = {B.vec(probs, d)}$",
                         f"$e^{{z - \\max z}} = {B.vec(e, d)}$，求和 ${B.num(sum(e), d)}$，$p = {B.vec(probs, d)}$"))
            wrong = []
            if min(z) > 0:
                wrong.append(Wrong([v / sum(z) for v in z], "no_exp", t("Softmax exponentiates first: p_k = e^{z_k}/Σ e^{z_j}.",
                                                                     "softmax 要先取指数：p_k = e^{z_k}/Σ e^{z_j}。")))
            wrong.append(Wrong(e, "not_normalized", t("Divide by the sum so the probabilities add up to 1.",
                                                      "要除以总和，使概率之和为 1。")))
            probs = yield (Value("vector", t("the softmax probabilities p", "softmax 概率 p"), probs, decimals=d,
                                step=1, column="p", wrong=tuple(wrong)))
        if any(v <= 0 for v, w in zip(probs, y) if w):
            raise CannotFollow
        loss = -sum(w * math.log(v) for v, w in zip(probs, y) if w)
        yield Work(t(f"$L = -\\sum_k y_k \\ln p_k = {B.num(loss, d)}$"))
        top = max(range(len(probs)), key=lambda k: probs[k])
        yield Value("real", t("the cross-entropy L", "交叉熵 L"), loss, decimals=d, step=2, column="L",
                    wrong=(Wrong(-sum(w * math.log10(v) for v, w in zip(probs, y) if w), "log10",
                                 t("The log is the natural log ln, not log base 10.", "对数是自然对数 ln，不是以 10 为底。")),
                           Wrong(-math.log(probs[top]), "wrong_class",
                                 t("Use the probability of the target class, not of the top prediction.",
                                   "要用目标类别的概率，而不是预测概率最大的类别。")),
                           Wrong(-sum(math.log(max(v, 1e-300)) for v in probs), "ignored_y",
                                 t("Only the target's terms count: weight each −ln p_k by y_k.",
                                   "只有目标类别的项有贡献：每个 −ln p_k 要乘以 y_k。"))))
        grad = [v - w for v, w in zip(probs, y)]
        yield Work(t(f"$\\partial L/\\partial z = p - y = {B.vec(grad, d)}$"))
        yield Value("vector", t("the gradient $\\partial L/\\partial z$", "梯度 $\\partial L/\\partial z$"), grad,
                    decimals=d, step=2, column="∂L/∂z",
                    wrong=(Wrong([w - v for v, w in zip(probs, y)], "sign", t("It is p − y, not y − p.", "是 p − y，不是 y − p。")),
                           Wrong([v * (1 - v) for v in probs], "softmax_derivative",
                                 t("With the cross-entropy the Jacobian of softmax collapses: ∂L/∂z = p − y.",
                                   "与交叉熵合在一起，softmax 的雅可比矩阵化简为 ∂L/∂z = p − y。")),
                           Wrong([-w / v if w else 0.0 for v, w in zip(probs, y)], "dL_dp",
                                 t("That is ∂L/∂p; the gradient with respect to the logits is p − y.",
                                   "那是 ∂L/∂p；对 logits 的梯度是 p − y。"))))
        if p["z"] is None:
            return
        c = p["scale"]
        scaled = B.activate("softmax", [c * v for v in p["z"]])
        yield Work(t(f"$\\mathrm{{softmax}}({B.num(c)} z) = {B.vec(scaled, d)}$"))
        yield Value("vector", t(f"$\\mathrm{{softmax}}({B.num(c)} z)$", f"$\\mathrm{{softmax}}({B.num(c)} z)$（缩放后的概率）"),
                    scaled, decimals=d, trace=False,
                    wrong=(Wrong(B.activate("softmax", [v / c for v in p["z"]]), "divided",
                                 t(f"Multiply the logits by {B.num(c)}; dividing is the temperature T = {B.num(c)}.",
                                   f"要把 logits 乘以 {B.num(c)}；除以它相当于温度 T = {B.num(c)}。")),))
        sharper = t("The largest probability grew: sharper.", "最大概率变大了：更尖锐。") if c > 1 else \
            t("The largest probability shrank: flatter.", "最大概率变小了：更平坦。")
        yield Work(sharper)
        yield Value("choice", t(f"What does multiplying the logits by {B.num(c)} do?", f"把 logits 乘以 {B.num(c)} 有什么效果？"),
                    scale_answer(c), choices=SCALE_CHOICES, trace=False)

    def resume(self, params: dict, part_id_: str, value):
        """From a slip in z − max z: the same problem with those values as its logits (softmax ignores
        the shift), so p, L and ∂L/∂z must follow from them."""
        if params["z"] is None or part_id_ != "a":
            return None
        return dict(params, z=list(value)), {part_id(i): part_id(i) for i in (1, 2, 3)}
