"""The chain rule at a point, from templates f(g(v)) with an inner g(v) = h(v) + b.

    sigmoid          d/dx σ(w x + b)            inner w x + b,       outer σ′(u) = σ(u)(1 − σ(u))
    squared_sigmoid  d/dw (σ(w x) + b)²         inner σ(w x) + b,    outer 2u       (b = −t)
    tanh_square      d/dx tanh(x² + b)          inner x² + b,        outer 1 − tanh²(u)
    softplus         d/dw ln(1 + e^{w x + b})   inner w x + b,       outer σ(u)
    squared_linear   d/dw (w x + b)²            inner w x + b,       outer 2u       (b = bias − t)

    df/dv = f′(u) · g′(v),   u = g(v)

Parts: u, the inner derivative g′(v), the outer derivative f′(u), their product.  One trace: a
slip in u is carried into f′(u) and the product.  solvers/basics_sympy.py: SymPy differentiates the template expression itself (never user text).
"""

from __future__ import annotations

import math

from problems import _backprop as B
from quizgen import params as P
from quizgen.draw import picker
from quizgen.model import part_id, t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong

# name: (variable, inner h(v) and h′(v) as functions of (x, w), outer f′(u), LaTeX of f(g), of f′, of g′)
TEMPLATES = {
    "sigmoid": ("x", lambda x, w: w * x, lambda x, w: w, lambda u: B.sigmoid(u) * (1 - B.sigmoid(u)),
                "\\sigma({w} x{b})", "\\sigma(u)(1 - \\sigma(u))", "w"),
    "squared_sigmoid": ("w", lambda x, w: B.sigmoid(w * x), lambda x, w: B.sigmoid(w * x) * (1 - B.sigmoid(w * x)) * x,
                        lambda u: 2 * u, "(\\sigma({x} w){b})^2", "2u", "\\sigma(w x)(1 - \\sigma(w x))\\, x"),
    "tanh_square": ("x", lambda x, w: x * x, lambda x, w: 2 * x, lambda u: 1 - math.tanh(u) ** 2,
                    "\\tanh(x^2{b})", "1 - \\tanh^2(u)", "2x"),
    "softplus": ("w", lambda x, w: w * x, lambda x, w: x, lambda u: B.sigmoid(u), "\\ln(1 + e^{{{x} w{b}}})",
                 "\\sigma(u)", "x"),
    "squared_linear": ("w", lambda x, w: w * x, lambda x, w: x, lambda u: 2 * u, "({x} w{b})^2", "2u", "x"),
}


def expression(p: dict) -> str:
    b = p["b"]
    term = "" if b == 0 else f" + {B.num(b)}" if b > 0 else f" - {B.num(-b)}"
    return TEMPLATES[p["template"]][4].format(w=B.num(p["w"]), x=B.num(p["x"]), b=term)


@register
class ChainRule(TraceFamily):
    name = "basics.chain_rule"
    topic = "basics"
    version = 1
    title = t("The chain rule at a point", "链式法则求导（代入数值）")
    summary = t("Inner and outer derivatives of a composite such as σ(wx + b), then their product.",
                "复合函数（如 σ(wx + b)）的内层与外层导数，以及二者的乘积。")
    example = "quizgen solve basics.chain_rule --set template=sigmoid --set x=1 --set w=0.5 --set b=0.1"
    conventions = (t("u = g(v) is the inner function; df/dv = f′(u)·g′(v); logs are natural.",
                     "u = g(v) 为内层函数；df/dv = f′(u)·g′(v)；对数为自然对数。"),)
    params = (
        P.choice("template", "the composite", tuple(TEMPLATES)),
        P.real("x", "the input x", -100, 100, "1"),
        P.real("w", "the weight w", -100, 100, "0.5"),
        P.real("b", "the constant inside the inner function", -100, 100, "0", default=0.0),
        P.integer("decimals", "decimal places of the answers", 1, 9, "4", default=4),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        pool = {"easy": ["sigmoid", "squared_linear"], "medium": ["sigmoid", "tanh_square", "softplus"],
                "hard": ["squared_sigmoid", "tanh_square", "softplus"]}[difficulty]
        return {"template": pick(pool), "x": pick([-1.0, 0.5, 1.0, 2.0, -0.5]), "w": pick([0.5, -0.5, 1.0, 2.0, -1.5]),
                "b": pick([0.0, 0.1, -0.2, 0.5]) if difficulty != "hard" else pick([-1.0, -0.5, 0.2]), "decimals": 4}

    def params_from_user(self, values: dict) -> dict:
        return self.with_defaults(values)

    def render(self, p: dict, lang: str) -> str:
        var, point = TEMPLATES[p["template"]][0], B.num(p[TEMPLATES[p["template"]][0]])
        f = expression(p)
        if lang == "zh":
            return (f"求 $\\frac{{d}}{{d{var}}}\\, {f}$ 在 ${var} = {point}$ 处的值。"
                    "按链式法则：先求内层 u 的值与内层导数，再求外层导数 f′(u)，最后相乘。")
        return (f"Find $\\frac{{d}}{{d{var}}}\\, {f}$ at ${var} = {point}$ by the "
                "chain rule: the inner value u and the inner derivative, the outer derivative f′(u), then their product.")

    def trace(self, p: dict):
        var, h, dh, df, _, outer, inner = TEMPLATES[p["template"]]
        d, x, w = p["decimals"], p["x"], p["w"]
        u = h(x, w) + p["b"]
        yield Work(t(f"$u = {B.num(u, d)}$"))
        u = yield (Value("real", t("the inner value u", "内层的值 u"), u, decimals=d, step=1, column="u"))
        g = dh(x, w)
        yield Work(t(f"$du/d{var} = {inner} = {B.num(g, d)}$"))
        g = yield (Value("real", t(f"the inner derivative $du/d{var}$", f"内层导数 $du/d{var}$"), g, decimals=d,
                                   step=1, column="g′"))
        fu = df(u)
        yield Work(t(f"$f'(u) = {outer} = {B.num(fu, d)}$"))
        slips = []
        if p["template"] == "sigmoid":
            slips.append(Wrong(B.sigmoid(u), "value_for_derivative", t("σ′(u) = σ(u)(1 − σ(u)), not σ(u).",
                                                                        "σ′(u) = σ(u)(1 − σ(u))，而不是 σ(u)。")))
        if p["template"] == "tanh_square":
            slips.append(Wrong(1 - u * u, "u_for_tanh", t("1 − tanh²(u): square tanh(u), not u.", "1 − tanh²(u)：平方的是 tanh(u)，不是 u。")))
        fu = yield (Value("real", t("the outer derivative f′(u)", "外层导数 f′(u)"), fu, decimals=d, step=1,
                                    column="f′", wrong=tuple(slips)))
        yield Work(t(f"$df/d{var} = f'(u) \\cdot du/d{var} = {B.num(fu, d)} \\cdot {B.factor(g, d)} = {B.num(fu * g, d)}$"))
        yield Value("real", t(f"the derivative $df/d{var}$", f"导数 $df/d{var}$"), fu * g, decimals=d, step=1, column="df",
                    wrong=(Wrong(fu, "no_inner", t("Multiply by the inner derivative too.", "还要乘以内层导数。")),
                           Wrong(fu + g, "added", t("The chain rule multiplies the derivatives.", "链式法则是把导数相乘。"))))

    def resume(self, params: dict, part_id_: str, value):
        """From a slip in u: the same composite with b shifted by it (u = h(v) + b), so f′(u) and the
        product must follow; the inner derivative does not depend on b."""
        if part_id_ != "a":
            return None
        _, h, *_ = TEMPLATES[params["template"]]
        shift = value - (h(params["x"], params["w"]) + params["b"])
        return dict(params, b=params["b"] + shift), {part_id(i): part_id(i) for i in (1, 2, 3)}
