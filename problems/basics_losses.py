"""Loss functions on a few predictions, and their gradients with respect to each prediction.

    squared      L = c Σ (ŷ_i − y_i)²               ∂L/∂ŷ_i = 2c (ŷ_i − y_i)      c = (½)·(1/n if mean)
    MAE          L = c Σ |ŷ_i − y_i|                 ∂L/∂ŷ_i = c · sign(ŷ_i − y_i)  (sign(0) = 0, as PyTorch)
    binary CE    L = −c Σ [y_i log ŷ_i + (1 − y_i) log(1 − ŷ_i)]    ∂L/∂ŷ_i = c (ŷ_i − y_i) / (ŷ_i (1 − ŷ_i) ln β)
    categorical  L = −Σ y_k log ŷ_k  (one example)   ∂L/∂ŷ_k = −y_k / (ŷ_k ln β)
    hinge        L = c Σ max(0, 1 − y_i ŷ_i),  y_i ∈ {−1, +1}     ∂L/∂ŷ_i = −c y_i if y_i ŷ_i < 1, else 0

β is the log base the statement gives (e unless stated).  solvers/basics_ref.py: F.mse_loss,
F.l1_loss, F.binary_cross_entropy, torch.log and F.relu with autograd.
"""

from __future__ import annotations

import math

from problems import _backprop as B
from problems._basics import BuiltFamily, Parts
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.registry import register

KINDS = ("squared", "mae", "bce", "cce", "hinge")
BASES = {"e": math.e, "2": 2.0, "10": 10.0}
LOG = {"e": "\\ln", "2": "\\log_2", "10": "\\log_{10}"}


def loss_and_gradient(p: dict, base: float | None = None) -> tuple[float, list[float]]:
    yh, y, n = p["yhat"], p["y"], len(p["yhat"])
    c = (1 / n if p["reduction"] == "mean" else 1.0) * (0.5 if p["half"] and p["loss"] == "squared" else 1.0)
    lb = math.log(base if base is not None else BASES[p["base"]])
    if p["loss"] == "squared":
        return c * sum((a - b) ** 2 for a, b in zip(yh, y)), [2 * c * (a - b) for a, b in zip(yh, y)]
    if p["loss"] == "mae":
        sign = lambda v: (v > 0) - (v < 0)  # noqa: E731
        return c * sum(abs(a - b) for a, b in zip(yh, y)), [c * sign(a - b) for a, b in zip(yh, y)]
    if p["loss"] == "bce":
        L = -c * sum(b * math.log(a) + (1 - b) * math.log(1 - a) for a, b in zip(yh, y)) / lb
        return L, [c * (a - b) / (a * (1 - a) * lb) for a, b in zip(yh, y)]
    if p["loss"] == "cce":
        return -sum(b * math.log(a) for a, b in zip(yh, y) if b) / lb, [-b / (a * lb) for a, b in zip(yh, y)]
    return c * sum(max(0.0, 1 - b * a) for a, b in zip(yh, y)), [-c * b if b * a < 1 else 0.0 for a, b in zip(yh, y)]


def formula(p: dict) -> str:
    c = "\\frac{1}{n}" if p["reduction"] == "mean" and p["loss"] != "cce" else ""
    half = "\\frac{1}{2}" if p["half"] and p["loss"] == "squared" else ""
    log = LOG[p["base"]]
    return {"squared": f"L = {half}{c}\\sum_i (\\hat y_i - y_i)^2", "mae": f"L = {c}\\sum_i |\\hat y_i - y_i|",
            "bce": f"L = -{c}\\sum_i [y_i {log} \\hat y_i + (1 - y_i) {log}(1 - \\hat y_i)]",
            "cce": f"L = -\\sum_k y_k {log} \\hat y_k", "hinge": f"L = {c}\\sum_i \\max(0, 1 - y_i \\hat y_i)"}[p["loss"]]


@register
class Losses(BuiltFamily):
    name = "basics.losses"
    topic = "basics"
    version = 1
    title = t("Loss functions and their gradients", "损失函数及其梯度")
    summary = t("Squared error, MAE, binary and categorical cross-entropy, hinge: the loss and ∂L/∂ŷ.",
                "平方误差、MAE、二元与多类交叉熵、hinge：损失及 ∂L/∂ŷ。")
    example = "quizgen solve basics.losses --set loss=squared --set yhat='[0.8, 0.3]' --set y='[1, 0]'"
    conventions = (t("The statement gives the reduction (sum or mean over the predictions), the ½, and the log base.",
                     "题目会给出约简方式（对各预测求和或取平均）、是否带 ½，以及对数的底。"),
                   t("sign(0) = 0 for MAE, as in PyTorch; hinge labels are −1 and +1.",
                     "MAE 中 sign(0) = 0（与 PyTorch 一致）；hinge 损失的标签为 −1 和 +1。"))
    params = (
        P.choice("loss", "the loss", KINDS),
        P.vector("yhat", "the predictions (probabilities for the cross-entropies, scores for hinge)", (2, 6), -100, 100, "[0.8, 0.3]"),
        P.vector("y", "the targets (0/1; one-hot for cce; −1/+1 for hinge)", (2, 6), -100, 100, "[1, 0]"),
        P.choice("reduction", "sum or mean over the predictions", ("sum", "mean"), default="mean"),
        P.boolean("half", "squared error with the factor ½", default=False),
        P.choice("base", "the log base: e, 2 or 10", tuple(BASES), default="e"),
        P.integer("decimals", "decimal places of the answers", 1, 9, "4", default=4),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        pool = {"easy": ["squared", "mae"], "medium": ["squared", "bce", "hinge"], "hard": ["bce", "cce", "hinge", "mae"]}
        n = {"easy": 2, "medium": 3, "hard": 4}[difficulty]

        def draw() -> dict:
            kind = pick(pool[difficulty])
            if kind in ("bce", "cce"):
                yhat = [int(rng.integers(1, 10)) / 10 for _ in range(n)]
                if kind == "cce":
                    cuts = sorted(int(v) for v in rng.choice(range(1, 10), n - 1, replace=False))
                    yhat = [(b - a) / 10 for a, b in zip([0] + cuts, cuts + [10])]
                y = [float(rng.integers(2)) for _ in range(n)]
                if kind == "cce":
                    y = [0.0] * n
                    y[int(rng.integers(n))] = 1.0
            elif kind == "hinge":
                yhat = [int(rng.integers(-15, 16)) / 10 for _ in range(n)]
                y = [float(pick([-1, 1])) for _ in range(n)]
            else:
                yhat = [int(rng.integers(-20, 21)) / 10 for _ in range(n)]
                y = [float(rng.integers(-2, 3)) for _ in range(n)]
            return {"loss": kind, "yhat": yhat, "y": y, "reduction": pick(["sum", "mean"]),
                    "half": kind == "squared" and bool(rng.integers(2)),
                    "base": pick(["e", "e", "2"]) if difficulty == "hard" and kind in ("bce", "cce") else "e",
                    "decimals": 4}
        return redraw(draw, lambda p: all(a != b for a, b in zip(p["yhat"], p["y"])) and loss_and_gradient(p)[0] > 0)

    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        yh, y = p["yhat"], p["y"]
        if len(y) != len(yh):
            raise QuizgenError(f"y: expected {len(yh)} targets, one per prediction")
        if p["loss"] in ("bce", "cce") and not all(0 < v < 1 for v in yh):
            raise QuizgenError("yhat: cross-entropy predictions are probabilities strictly between 0 and 1")
        if p["loss"] == "bce" and not all(v in (0, 1) for v in y):
            raise QuizgenError("y: binary cross-entropy targets are 0 or 1")
        if p["loss"] == "cce" and (min(y) < 0 or abs(sum(y) - 1) > 1e-6):
            raise QuizgenError("y: categorical cross-entropy targets sum to 1, like [0, 1, 0]")
        if p["loss"] == "hinge" and not all(v in (-1, 1) for v in y):
            raise QuizgenError("y: hinge labels are -1 or +1")
        return p

    def render(self, p: dict, lang: str) -> str:
        red = {"sum": t("a sum over the predictions", "对各预测求和"), "mean": t("a mean over the n predictions", "对 n 个预测取平均")}
        red = red[p["reduction"]] if p["loss"] != "cce" else t("one example, a sum over the classes", "单个样本，对各类别求和")
        base = {"e": t("natural log", "自然对数"), "2": t("log base 2", "以 2 为底的对数"), "10": t("log base 10", "以 10 为底的对数")}
        logs = f", {base[p['base']].get(lang)}" if p["loss"] in ("bce", "cce") else ""
        if lang == "zh":
            logs = f"，{base[p['base']].zh}" if p["loss"] in ("bce", "cce") else ""
            return (f"预测 $\\hat y = {B.vec(p['yhat'])}$，目标 $y = {B.vec(p['y'])}$。损失为 ${formula(p)}$"
                    f"（{red.zh}{logs}）。求 L 以及梯度 $\\partial L/\\partial \\hat y$（对每个预测）。")
        return (f"Predictions $\\hat y = {B.vec(p['yhat'])}$, targets $y = {B.vec(p['y'])}$. The loss is ${formula(p)}$ "
                f"({red.en}{logs}). Give L and its gradient $\\partial L/\\partial \\hat y$ (one entry per prediction).")

    def build(self, p: dict, out: Parts) -> None:
        d, n = p["decimals"], len(p["yhat"])
        L, g = loss_and_gradient(p)
        out.work(t(f"${formula(p)} = {B.num(L, d)}$"))
        out.work(t(f"$\\partial L/\\partial \\hat y = {B.vec(g, d)}$"))
        lw, gw = [], []
        if p["loss"] == "squared":
            f = 0.5 if not p["half"] else 2.0
            tag, text = ("added_half", t("This loss has no ½.", "这个损失没有 ½。")) if not p["half"] else \
                ("dropped_half", t("The ½ is part of this loss.", "这个损失带 ½。"))
            lw.append((L * f, tag, text))
            gw.append(([v * (1 if p["half"] else 0.5) for v in g] if not p["half"] else [v * 2 for v in g], "factor_two",
                       t("d/dŷ (ŷ − y)² = 2(ŷ − y); the ½ cancels the 2.", "d/dŷ (ŷ − y)² = 2(ŷ − y)；½ 与 2 相消。")))
        if p["loss"] != "cce" and n > 1:
            f = n if p["reduction"] == "mean" else 1 / n
            lw.append((L * f, "mean_vs_sum", t("Mean vs sum: check the factor 1/n.", "平均与求和：检查因子 1/n。")))
            gw.append(([v * f for v in g], "mean_vs_sum", t("The gradient carries the same 1/n as the loss.", "梯度与损失带同样的 1/n。")))
        if p["loss"] in ("bce", "cce"):
            other = 10.0 if p["base"] != "10" else math.e
            lw.append((loss_and_gradient(p, other)[0], "log_base", t("Use the log base the statement gives.", "要用题目给出的对数底。")))
        if p["loss"] == "hinge":
            c = 1 / n if p["reduction"] == "mean" else 1.0
            lw.append((c * sum(max(0.0, -b * a) for a, b in zip(p["yhat"], p["y"])), "no_margin",
                       t("The hinge is max(0, 1 − yŷ): keep the margin 1.", "hinge 为 max(0, 1 − yŷ)：别漏了间隔 1。")))
        if p["loss"] == "mae":
            c = 1 / n if p["reduction"] == "mean" else 1.0
            gw.append(([c * (a - b) for a, b in zip(p["yhat"], p["y"])], "squared_gradient",
                       t("|ŷ − y| has slope sign(ŷ − y), not (ŷ − y).", "|ŷ − y| 的斜率是 sign(ŷ − y)，不是 (ŷ − y)。")))
        gw.append(([-v for v in g], "sign", t("Sign error: differentiate with respect to ŷ.", "符号错误：注意是对 ŷ 求导。")))
        out.add("real", t("the loss L", "损失 L"), L, decimals=d, wrong=lw)
        out.add("vector", t("the gradient $\\partial L/\\partial \\hat y$", "梯度 $\\partial L/\\partial \\hat y$"), g, decimals=d, wrong=gw)
