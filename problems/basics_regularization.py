"""L1 and L2 penalties on a small weight vector, the regularized loss, and one step with weight decay.

    L2    Ω = (λ/2)‖w‖²  (or λ‖w‖² when stated)    ∇Ω = λw  (or 2λw)
    L1    Ω = λ‖w‖₁ = λ Σ|w_i|                      ∇Ω = λ sign(w)   (sign(0) = 0)
    loss  J = L + Ω,  ∇J = ∇L + ∇Ω;   step  w ← w − η ∇J
          (L2 with ½: w ← (1 − ηλ) w − η∇L, "weight decay", as torch.optim.SGD(weight_decay=λ))

The data loss L and its gradient ∇L are given.  solvers/basics_ref.py: autograd on the penalty
(with ∇L injected) and torch.optim.SGD(weight_decay=λ) for the L2 step.
"""

from __future__ import annotations

from problems import _backprop as B
from problems._basics import BuiltFamily, Parts
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.registry import register

WHICH = (
    t("L1: its pull λ·sign(w) stays the same however small w gets, so weights reach exactly 0 (sparse weights).",
      "L1：它的拉力 λ·sign(w) 不随 w 变小而减弱，所以权重会恰好变为 0（稀疏）。"),
    t("L2: squaring punishes large weights most, so they reach exactly 0.", "L2：平方对大权重惩罚最重，所以权重会恰好变为 0。"),
    t("L2: its pull λw shrinks with w, which zeroes weights exactly.", "L2：拉力 λw 随 w 变小，使权重恰好为 0。"),
    t("Both equally: any penalty sets weights to exactly 0.", "两者一样：任何惩罚项都会使权重恰好为 0。"),
)


def sign(v: float) -> float:
    return float((v > 0) - (v < 0))


@register
class Regularization(BuiltFamily):
    name = "basics.regularization"
    topic = "basics"
    version = 1
    title = t("L1 and L2 regularization, weight decay", "L1 与 L2 正则化、权重衰减")
    summary = t("The penalty, the regularized loss, its gradient and one step; which penalty gives exact zeros.",
                "惩罚项、正则化后的损失、梯度与一步更新；哪种惩罚会得到恰好为零的权重。")
    example = "quizgen solve basics.regularization --set w='[0.5, -1, 2]' --set grad='[0.1, 0.2, -0.3]' --set loss=1.2 --set lam=0.1"
    conventions = (t("The statement says L1 or L2, and for L2 whether the penalty is (λ/2)‖w‖² or λ‖w‖².",
                     "题目会说明是 L1 还是 L2，以及 L2 惩罚是 (λ/2)‖w‖² 还是 λ‖w‖²。"),
                   t("Biases are not regularized; sign(0) = 0.", "偏置不参与正则化；sign(0) = 0。"))
    params = (
        P.vector("w", "the weights", (1, 6), -100, 100, "[0.5, -1, 2]"),
        P.vector("grad", "the data loss's gradient ∇L at w", (1, 6), -100, 100, "[0.1, 0.2, -0.3]"),
        P.real("loss", "the data loss L at w", -1e6, 1e6, "1.2"),
        P.real("lam", "the regularization strength λ", 0, 100, "0.1"),
        P.real("eta", "the learning rate η", 0, 10, "0.1", default=0.1),
        P.choice("penalty", "l2 or l1", ("l2", "l1"), default="l2"),
        P.boolean("half", "the L2 penalty has the ½, (λ/2)‖w‖²", default=True),
        P.integer("decimals", "decimal places of the answers", 1, 9, "4", default=4),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        n = {"easy": 3, "medium": 3, "hard": 4}[difficulty]

        def draw() -> dict:
            return {"w": [int(rng.integers(-20, 21)) / 10 for _ in range(n)],
                    "grad": [int(rng.integers(-10, 11)) / 10 for _ in range(n)], "loss": int(rng.integers(5, 30)) / 10,
                    "lam": pick([0.1, 0.01, 0.5]), "eta": pick([0.1, 0.5]),
                    "penalty": "l2" if difficulty == "easy" else pick(["l1", "l2"]),
                    "half": difficulty != "hard" or bool(rng.integers(2)), "decimals": 4}
        return redraw(draw, lambda p: any(p["w"]) and 0 not in p["w"])

    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        if len(p["grad"]) != len(p["w"]):
            raise QuizgenError(f"grad: expected {len(p['w'])} numbers, one per weight")
        return p

    def _omega(self, p: dict) -> str:
        if p["penalty"] == "l1":
            return "Ω(w) = \\lambda \\sum_i |w_i|"
        return "Ω(w) = \\frac{\\lambda}{2} \\sum_i w_i^2" if p["half"] else "Ω(w) = \\lambda \\sum_i w_i^2"

    def render(self, p: dict, lang: str) -> str:
        w, g, L = B.vec(p["w"]), B.vec(p["grad"]), B.num(p["loss"])
        lam, eta = B.num(p["lam"]), B.num(p["eta"])
        if lang == "zh":
            kind = "L1" if p["penalty"] == "l1" else "L2"
            return (f"权重 $w = {w}$ 处数据损失 $L = {L}$，其梯度 $\\nabla L = {g}$。加上 {kind} 惩罚 ${self._omega(p)}$，"
                    f"$\\lambda = {lam}$（偏置不参与正则化）。求惩罚项、正则化后的损失 $J = L + Ω$、梯度 $\\nabla J$、"
                    f"学习率 $\\eta = {eta}$ 下一步更新后的 w，并回答哪种惩罚会使权重恰好为 0。")
        kind = "an L1" if p["penalty"] == "l1" else "an L2"
        return (f"At the weights $w = {w}$ the data loss is $L = {L}$ with gradient $\\nabla L = {g}$. Add {kind} penalty "
                f"${self._omega(p)}$ with $\\lambda = {lam}$ (biases are not regularized). Give the penalty, the "
                f"regularized loss $J = L + Ω$, its gradient $\\nabla J$, w after one step with $\\eta = {eta}$, "
                "and which penalty drives weights to exactly zero.")

    def build(self, p: dict, out: Parts) -> None:
        d, w, g, lam, eta = p["decimals"], p["w"], p["grad"], p["lam"], p["eta"]
        l1 = p["penalty"] == "l1"
        c = 0.5 if p["half"] else 1.0
        omega = lam * sum(abs(v) for v in w) if l1 else c * lam * sum(v * v for v in w)
        pull = [lam * sign(v) for v in w] if l1 else [2 * c * lam * v for v in w]
        grad = [a + b for a, b in zip(g, pull)]
        new = [v - eta * q for v, q in zip(w, grad)]
        out.work(t(f"${self._omega(p)} = {B.num(omega, d)}$, $J = {B.num(p['loss'])} + {B.num(omega, d)} = {B.num(p['loss'] + omega, d)}$"))
        rule = "\\lambda\\,\\mathrm{sign}(w)" if l1 else ("\\lambda w" if p["half"] else "2\\lambda w")
        out.work(t(f"$\\nabla J = \\nabla L + {rule} = {B.vec(grad, d)}$, $w \\leftarrow w - {B.num(eta)} \\nabla J = {B.vec(new, d)}$"))
        if not l1 and p["half"]:
            out.work(t(f"The same step as weight decay: $w \\leftarrow (1 - \\eta\\lambda) w - \\eta \\nabla L$, "
                       f"$1 - \\eta\\lambda = {B.num(1 - eta * lam)}$.",
                       f"与权重衰减相同：$w \\leftarrow (1 - \\eta\\lambda) w - \\eta \\nabla L$，$1 - \\eta\\lambda = {B.num(1 - eta * lam)}$。"))
        slips = [(lam * sum(v * v for v in w), "dropped_half", t("This L2 penalty has the ½.", "这个 L2 惩罚带 ½。"))] \
            if not l1 and p["half"] else []
        if not l1 and not p["half"]:
            slips.append((0.5 * lam * sum(v * v for v in w), "added_half", t("This L2 penalty has no ½.", "这个 L2 惩罚没有 ½。")))
        if l1:
            slips.append((lam * sum(v * v for v in w), "squared", t("L1 uses |w_i|, not w_i².", "L1 用的是 |w_i|，不是 w_i²。")))
        out.add("real", t("the penalty Ω(w)", "惩罚项 Ω(w)"), omega, decimals=d, wrong=slips)
        out.add("real", t("the regularized loss J", "正则化后的损失 J"), p["loss"] + omega, decimals=d)
        slips = [([a + lam * b for a, b in zip(g, w)], "l2_gradient", t("L1's gradient is λ·sign(w), not λw.", "L1 的梯度是 λ·sign(w)，不是 λw。"))] \
            if l1 else [([a + (lam * b if not p["half"] else 2 * lam * b) for a, b in zip(g, w)], "factor_two",
                         t("d/dw (λ/2)w² = λw; d/dw λw² = 2λw.", "求导：(λ/2)w² 的导数是 λw，λw² 的导数是 2λw。"))]
        slips.append((list(g), "no_penalty", t("Add the penalty's gradient to ∇L.", "要把惩罚项的梯度加到 ∇L 上。")))
        out.add("vector", t("the gradient ∇J", "梯度 ∇J"), grad, decimals=d, wrong=slips)
        out.add("vector", t("w after one step", "一步更新后的 w"), new, decimals=d,
                wrong=[([v + eta * q for v, q in zip(w, grad)], "sign", t("Step against the gradient.", "沿梯度的反方向走。")),
                       ([v - eta * q for v, q in zip(w, g)], "no_penalty", t("The step uses ∇J, penalty included.", "更新要用含惩罚项的 ∇J。"))])
        out.add("choice", t("Which penalty drives weights to exactly zero, and why?", "哪种惩罚会使权重恰好为 0？为什么？"),
                ["a"], choices=WHICH)
