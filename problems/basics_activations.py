"""Activation functions and their derivatives at given points.

    sigmoid     σ(z) = 1/(1 + e^{−z})          σ′ = σ(1 − σ)
    tanh        tanh z                         tanh′ = 1 − tanh²
    ReLU        max(0, z)                      [z > 0]   (ReLU′(0) = 0, as PyTorch)
    leaky ReLU  z, or αz for z < 0             1, or α
    ELU         z, or α(e^z − 1) for z < 0     1, or αe^z (= f(z) + α)
    softplus    ln(1 + e^z)                    σ(z)

Parts: f(z) and f′(z) at each point; an expression part ("σ′ in terms of σ") checked by
symbolic equivalence; which activations saturate in both directions, and why that slows
learning.  solvers/basics_ref.py: torch.nn.functional and autograd; SymPy's derivative.
"""

from __future__ import annotations

import math

from problems import _backprop as B
from problems._basics import BuiltFamily, Parts
from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.registry import Param, register

NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus")
SHOWN = {"sigmoid": "\\sigma", "tanh": "\\tanh", "relu": "\\mathrm{ReLU}", "leaky_relu": "\\mathrm{LeakyReLU}",
         "elu": "\\mathrm{ELU}", "softplus": "\\mathrm{softplus}"}
LABEL = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU", "elu": "ELU",
         "softplus": "softplus"}
IDENTITY = {  # f′ written with f itself (the expression part), and how to type it
    "sigmoid": ("sigma(z)*(1 - sigma(z))", t("σ′(z) in terms of σ(z) (type sigma(z))", "用 σ(z) 表示 σ′(z)（输入 sigma(z)）")),
    "tanh": ("1 - tanh(z)^2", t("tanh′(z) in terms of tanh(z)", "用 tanh(z) 表示 tanh′(z)")),
    "softplus": ("sigma(z)", t("softplus′(z), in terms of σ (type sigma(z))", "softplus′(z)，用 σ 表示（输入 sigma(z)）")),
}
WHY = (
    t("Their derivative is nearly 0 there, so every δ through the unit (a product with f′) vanishes and the "
      "weights before it barely change.", "那里导数几乎为 0，经过该单元的 δ（含因子 f′）趋于消失，前面的权重几乎不更新。"),
    t("Their output grows without bound, so the weights explode.", "输出无限增大，使权重爆炸。"),
    t("They make the loss non-convex.", "它们使损失函数变得非凸。"),
    t("They cost more to compute than ReLU.", "它们的计算量比 ReLU 大。"),
)


def value(name: str, z: float, alpha: float) -> float:
    if name == "sigmoid":
        return B.sigmoid(z)
    if name == "tanh":
        return math.tanh(z)
    if name == "relu":
        return max(0.0, z)
    if name == "leaky_relu":
        return z if z > 0 else alpha * z
    if name == "elu":
        return z if z > 0 else alpha * (math.exp(z) - 1)
    return math.log1p(math.exp(z)) if z < 30 else z


def derivative(name: str, z: float, alpha: float) -> float:
    if name == "sigmoid":
        s = B.sigmoid(z)
        return s * (1 - s)
    if name == "tanh":
        return 1 - math.tanh(z) ** 2
    if name in ("relu", "leaky_relu", "elu"):
        return 1.0 if z > 0 else {"relu": 0.0, "leaky_relu": alpha, "elu": alpha * math.exp(z)}[name]
    return B.sigmoid(z)


def _slips(name: str, z: float, alpha: float) -> tuple[list, list]:
    """(slips of the value, slips of the derivative)."""
    f = value(name, z, alpha)
    v, d = [], []
    if name == "sigmoid":
        v.append((B.sigmoid(-z), "exponent_sign", t("σ(z) = 1/(1 + e^{−z}): mind the minus sign.", "σ(z) = 1/(1 + e^{−z})：注意负号。")))
        d += [(f, "value_for_derivative", t("σ′(z) = σ(z)(1 − σ(z)), not σ(z).", "σ′(z) = σ(z)(1 − σ(z))，而不是 σ(z)。")),
              (z * (1 - z), "z_for_a", t("Put σ(z), not z, into σ(1 − σ).", "代入 σ(1 − σ) 的是 σ(z)，不是 z。"))]
    if name == "tanh":
        d += [(1 - z * z, "z_for_a", t("tanh′(z) = 1 − tanh²(z): square tanh(z), not z.", "tanh′(z) = 1 − tanh²(z)：平方的是 tanh(z)，不是 z。")),
              (1 - f, "no_square", t("tanh′ = 1 − tanh², with the square.", "tanh′ = 1 − tanh²，别漏了平方。"))]
    if z < 0 and name in ("relu", "leaky_relu", "elu"):
        d.append((1.0, "positive_branch", t("For z < 0 the negative branch applies.", "z < 0 时要用负半轴的那一段。")))
    if z < 0 and name == "leaky_relu":
        d.append((0.0, "like_relu", t("Leaky ReLU keeps the slope α for z < 0.", "Leaky ReLU 在 z < 0 时斜率为 α，不是 0。")))
    if z < 0 and name == "elu":
        v.append((alpha * math.exp(z), "no_minus_one", t("ELU(z) = α(e^z − 1) for z < 0.", "z < 0 时 ELU(z) = α(e^z − 1)。")))
    if name == "softplus":
        v.append((math.log10(1 + math.exp(z)), "log10", t("softplus uses the natural log.", "softplus 用的是自然对数。")))
        d.append((f, "value_for_derivative", t("softplus′(z) = σ(z), not softplus(z).", "softplus 的导数是 σ(z)，而不是 softplus(z) 本身。")))
    return v, d


def _functions(text: str) -> list[str]:
    names = [s.strip().lower().replace(" ", "_").replace("-", "_") for s in text.split(",") if s.strip()]
    bad = [n for n in names if n not in NAMES]
    if not names or bad or len(names) > 4:
        raise QuizgenError(f"f: expected 1 to 4 of {', '.join(NAMES)} separated by commas, got {text.strip()[:40]!r}")
    return names


@register
class Activations(BuiltFamily):
    name = "basics.activations"
    topic = "basics"
    version = 1
    title = t("Activation functions and their derivatives", "激活函数及其导数")
    summary = t("Values and derivatives of sigmoid, tanh, ReLU, leaky ReLU, ELU, softplus; saturation.",
                "sigmoid、tanh、ReLU、leaky ReLU、ELU、softplus 的函数值与导数；饱和。")
    example = "quizgen solve basics.activations --set f=sigmoid,tanh --set z='[0.5, -1]'"
    conventions = (t("ReLU′(0) = 0 (as in PyTorch); leaky ReLU's slope α and ELU's α are given.",
                     "ReLU′(0) = 0（与 PyTorch 一致）；leaky ReLU 的斜率 α 与 ELU 的 α 由题目给出。"),
                   t("Natural logs; derivatives are with respect to z.", "对数为自然对数；导数都是对 z 求的。"))
    params = (
        Param("f", "activations, separated by commas: " + ", ".join(NAMES), _functions, "sigmoid,tanh"),
        P.vector("z", "the points", (1, 4), -50, 50, "[0.5, -1]"),
        P.real("alpha", "leaky ReLU's slope α", 0, 10, "0.01", default=0.01),
        P.real("elu_alpha", "ELU's α", 0, 10, "1", default=1.0),
        P.integer("decimals", "decimal places of the answers", 1, 9, "4", default=4),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        n = {"easy": 1, "medium": 2, "hard": 3}[difficulty]
        pool = NAMES[:3] if difficulty == "easy" else NAMES
        names = [str(v) for v in rng.choice(pool, n, replace=False)]
        points = [float(v) for v in rng.choice([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0], 2, replace=False)]
        return {"f": names, "z": points, "alpha": pick([0.01, 0.1, 0.2]), "elu_alpha": pick([1.0, 0.5]),
                "decimals": 4, "choices": difficulty != "easy", "why": difficulty == "hard"}

    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        return dict(p, choices=True, why=True)

    def render(self, p: dict, lang: str) -> str:
        fs = ", ".join(LABEL[n] for n in p["f"])
        zs = ", ".join(B.num(z) for z in p["z"])
        extra = []
        if "leaky_relu" in p["f"]:
            extra.append(t(f"leaky ReLU has slope $\\alpha = {B.num(p['alpha'])}$ for z < 0",
                           f"leaky ReLU 在 z < 0 时斜率 $\\alpha = {B.num(p['alpha'])}$").get(lang))
        if "elu" in p["f"]:
            extra.append(t(f"ELU has $\\alpha = {B.num(p['elu_alpha'])}$", f"ELU 的 $\\alpha = {B.num(p['elu_alpha'])}$").get(lang))
        if lang == "zh":
            tail = ("（" + "；".join(extra) + "）") if extra else ""
            return (f"对激活函数 {fs}{tail}，在 z = {zs} 处求函数值 f(z) 与导数 f′(z)。"
                    "约定 ReLU′(0) = 0，对数为自然对数。")
        tail = (" (" + "; ".join(extra) + ")") if extra else ""
        return (f"For the activations {fs}{tail}, give the value f(z) and the derivative f′(z) at z = {zs}. "
                "ReLU′(0) = 0 by convention; logs are natural.")

    def build(self, p: dict, out: Parts) -> None:
        d = p["decimals"]
        for name in p["f"]:
            alpha = p["elu_alpha"] if name == "elu" else p["alpha"]
            for z in p["z"]:
                f, g = value(name, z, alpha), derivative(name, z, alpha)
                slips_v, slips_d = _slips(name, z, alpha)
                s = SHOWN[name]
                out.work(t(f"${s}({B.num(z)}) = {B.num(f, d)}$, ${s}'({B.num(z)}) = {B.num(g, d)}$"))
                out.add("real", t(f"${s}({B.num(z)})$", f"${s}({B.num(z)})$ 的值"), f, decimals=d, wrong=slips_v)
                out.add("real", t(f"${s}'({B.num(z)})$", f"导数 ${s}'({B.num(z)})$"), g, decimals=d, wrong=slips_d)
        for name in p["f"]:
            if name in IDENTITY:
                answer, prompt = IDENTITY[name]
                shown = answer.replace("sigma", "\\sigma").replace("tanh", "\\tanh").replace("*", "")
                out.work(t(f"{LABEL[name]}: $f' = {shown}$"))
                out.add("expression", prompt, answer)
                break
        if p["choices"]:
            options = tuple(t(LABEL[n], LABEL[n] if n not in ("leaky_relu",) else "leaky ReLU") for n in NAMES)
            out.work(t("Sigmoid and tanh flatten out on both sides; ReLU, leaky ReLU, ELU and softplus keep slope "
                       "1 (or close to it) for large z.",
                       "sigmoid 和 tanh 在两侧都趋于平坦；ReLU、leaky ReLU、ELU 和 softplus 在 z 很大时斜率为 1（或接近 1）。"))
            out.add("choice", t("Which of these saturate in both directions (f′(z) → 0 as z → +∞ and as z → −∞)? "
                                "Select all.", "下列哪些在两个方向都饱和（z → +∞ 与 z → −∞ 时 f′(z) → 0）？多选。"),
                    ["a", "b"], choices=options, wrong=[(["a", "b", "e", "f"], "one_side",
                                                         t("ELU and softplus saturate only for z → −∞.",
                                                           "ELU 和 softplus 只在 z → −∞ 时饱和。"))])
        if p["why"]:
            out.add("choice", t("Why does saturation slow learning?", "为什么饱和会减慢学习？"), ["a"], choices=WHY)
