"""Backpropagation through time in a scalar RNN, as the chain-rule sum of products.

    a_t = w_xh x_t + w_hh h_{t−1} + b,   h_t = tanh(a_t),   y = w_hy h_T,   L = ½ (y − y*)²
    ∂L/∂w_hh = Σ_{k=1}^{T}  ∂L/∂h_T · Π_{j=k+1}^{T} ∂h_j/∂h_{j−1} · ∂⁺h_k/∂w_hh
    ∂L/∂h_T = (y − y*) w_hy,   ∂h_j/∂h_{j−1} = w_hh (1 − h_j²),   ∂⁺h_k/∂w_hh = (1 − h_k²) h_{k−1}

(∂⁺: the direct dependence of step k only.)  Parts: h_1 … h_T, ∂L/∂h_T, each factor
∂h_j/∂h_{j−1}, each term of the sum, ∂L/∂w_hh (a trace with error carried forward), then two
concept questions: a product of factors below 1 in size vanishes geometrically with the
distance T − k; gradient clipping rescales a gradient whose norm exceeds a threshold
(explosion), and does nothing for vanishing.  solvers/rnn_ref.py: torch autograd on nn.RNN, and
one copy of w_hh per step for the terms.
"""

from __future__ import annotations

from problems import _rnn as R
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import part_id, t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong

DECIMALS = 3          # states, ∂L/∂h_T and factors (±0.001)
SUM_DECIMALS = 2      # the terms and the total (±0.01): products of several rounded numbers
VANISH = (t("It shrinks roughly like $|w_{hh} \\tanh'|^{T-k}$: the far past barely affects the gradient (vanishing).",
            "大致按 $|w_{hh} \\tanh'|^{T-k}$ 缩小：久远的时间步几乎不影响梯度（梯度消失）。"),
          t("It grows like $|w_{hh} \\tanh'|^{T-k}$: the far past dominates (explosion).",
            "按 $|w_{hh} \\tanh'|^{T-k}$ 增大：久远的时间步占主导（梯度爆炸）。"),
          t("It does not depend on the distance $T-k$.", "与距离 $T-k$ 无关。"),
          t("It changes sign at every step but keeps its size.", "每一步变号，但大小不变。"))
CLIP = (t("Rescale the gradient when its norm exceeds a threshold: this bounds exploding steps, but does not "
          "restore vanishing gradients.", "梯度范数超过阈值时按比例缩小：可抑制梯度爆炸，但不能恢复消失的梯度。"),
        t("Set every negative gradient to zero.", "把所有负梯度置零。"),
        t("Multiply the gradient by a constant > 1 so that early steps count.", "把梯度乘以大于 1 的常数，让早期时间步起作用。"),
        t("Clip the hidden state $h_t$ to [−1, 1].", "把隐藏状态 $h_t$ 截断到 [−1, 1]。"))


def forward(p: dict) -> list[float]:
    """h_0 … h_T."""
    hs = [p["h0"]]
    for x in p["x"]:
        hs.append(R.ACTIVATIONS["tanh"](p["w_xh"] * x + p["w_hh"] * hs[-1] + p["b"]))
    return hs


def letter(order: list[int]) -> list[str]:
    """The key of a concept part: where option 0 (the right one) landed in the shuffled order."""
    return [part_id(order.index(0))]


@register
class RNNBPTT(TraceFamily):
    name = "rnn.bptt"
    topic = "rnn"
    version = 1
    title = t("Backpropagation through time by hand", "手算随时间反向传播（BPTT）")
    summary = t("∂L/∂w_hh of a scalar RNN as a chain-rule sum of products; vanishing gradients and clipping.",
                "标量 RNN 的 ∂L/∂w_hh：链式法则的乘积之和；梯度消失与梯度裁剪。")
    example = "quizgen solve rnn.bptt --set x='[1, 0.5]' --set w_xh=0.5 --set w_hh=0.8 --set w_hy=1 --set target=1"
    conventions = (t("$L = \\frac{1}{2}(\\hat{y} - y)^2$ on the last output only; $\\tanh'(a) = 1 - \\tanh^2(a)$.",
                     "$L = \\frac{1}{2}(\\hat{y} - y)^2$，只在最后一个输出上计算；$\\tanh'(a) = 1 - \\tanh^2(a)$。"),)
    params = (
        P.vector("x", "the inputs x_1 … x_T", (2, 4), -100, 100, "[1, 0.5]"),
        P.real("w_xh", "input weight", -100, 100, "0.5"),
        P.real("w_hh", "recurrent weight", -100, 100, "0.8"),
        P.real("b", "bias", -100, 100, "0", default=0.0),
        P.real("h0", "initial hidden state", -100, 100, "0", default=0.0),
        P.real("w_hy", "output weight (y = w_hy h_T)", -100, 100, "1", default=1.0),
        P.real("target", "the target y*", -100, 100, "1"),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)

        def draw() -> dict:
            T = 2 if difficulty == "easy" else pick([2, 3]) if difficulty == "medium" else 3
            return {"x": [float(pick([-1, -0.5, 0.5, 1, 2])) for _ in range(T)], "w_xh": pick([0.5, 1.0, -0.5]),
                    "w_hh": pick([0.5, 0.8, -0.5, 1.0, 1.5]), "b": 0.0 if difficulty == "easy" else pick([0.0, 0.1, -0.1]),
                    "h0": 0.0 if difficulty == "easy" else pick([0.0, 0.5, -0.5]), "w_hy": pick([1.0, 0.5, -1.0]),
                    "target": pick([1.0, 0.5, -1.0]),  # the target y
                    "order": [int(i) for i in rng.permutation(4)], "order_clip": [int(i) for i in rng.permutation(4)]}

        def ok(p: dict) -> bool:
            hs = forward(p)
            return all(0.1 <= abs(h) <= 0.95 for h in hs[1:]) and abs(p["w_hy"] * hs[-1] - p["target"]) >= 0.2

        return redraw(draw, ok)

    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        p["x"] = [float(v) for v in p["x"]]
        p["order"], p["order_clip"] = [0, 1, 2, 3], [0, 1, 2, 3]
        if any(abs(h) > 0.999999 for h in forward(p)[1:]):
            raise QuizgenError("tanh saturates (|h| ≈ 1): choose smaller weights or inputs")
        return p

    def render(self, params: dict, lang: str) -> str:
        zh, T = lang == "zh", len(params["x"])
        xs = ", ".join(f"$x_{k}$ = {R.num(x)}" for k, x in enumerate(params["x"], 1))
        given = (f"$w_{{xh}}$ = {R.num(params['w_xh'])}, $w_{{hh}}$ = {R.num(params['w_hh'])}, $b$ = {R.num(params['b'])}, "
                 f"$w_{{hy}}$ = {R.num(params['w_hy'])}, $h_0$ = {R.num(params['h0'])}, $y$ = {R.num(params['target'])}")
        model = ("$h_t = \\tanh(w_{xh} x_t + w_{hh} h_{t-1} + b)$, "
                 f"$\\hat{{y}} = w_{{hy}} h_{T}$, $L = \\frac{{1}}{{2}}(\\hat{{y}} - y)^2$")
        chain = (f"$\\frac{{\\partial L}}{{\\partial w_{{hh}}}} = \\sum_{{k=1}}^{{{T}}} \\frac{{\\partial L}}{{\\partial h_{T}}}"
                 f" \\prod_{{j=k+1}}^{{{T}}} \\frac{{\\partial h_j}}{{\\partial h_{{j-1}}}} \\cdot (1 - h_k^2) h_{{k-1}}$")
        if zh:
            return (f"一个标量 RNN 运行 {T} 步：{model}，损失只在最后的输出上计算。\n{given}；{xs}。\n\n"
                    f"按链式法则 {chain}，依次写出 $h_t$、$\\partial L/\\partial h_{T}$、每个因子 "
                    f"$\\partial h_j/\\partial h_{{j-1}} = w_{{hh}}(1-h_j^2)$、和式的每一项，以及 "
                    f"$\\partial L/\\partial w_{{hh}}$（这两类保留 2 位小数，其余保留 3 位）；最后回答两个概念题。")
        return (f"A scalar RNN runs for {T} steps: {model}, with the loss on the last output only.\n{given}; {xs}.\n\n"
                f"With the chain rule {chain}, give each $h_t$, $\\partial L/\\partial h_{T}$, each factor "
                f"$\\partial h_j/\\partial h_{{j-1}} = w_{{hh}}(1-h_j^2)$, each term of the sum, and "
                f"$\\partial L/\\partial w_{{hh}}$ (these two to 2 decimals, the rest to 3); then answer two "
                "concept questions.")

    def trace(self, params: dict):
        T, w, hs = len(params["x"]), params["w_hh"], [params["h0"]]
        for k, x in enumerate(params["x"], 1):
            a = params["w_xh"] * x + w * hs[-1] + params["b"]
            h = R.ACTIVATIONS["tanh"](a)
            yield Work(t(f"$h_{k} = \\tanh({R.peek(a)})$ = {R.peek(h)}"))
            hs.append((yield self._real(f"$h_{k}$", f"$h_{k}$（隐藏状态）", h, k, "h")))
        y = params["w_hy"] * hs[-1]
        g = (y - params["target"]) * params["w_hy"]
        yield Work(t(f"$\\hat{{y}} = w_{{hy}} h_{T}$ = {R.peek(y)}; $\\partial L/\\partial h_{T} = (\\hat{{y}} - y) w_{{hy}}$ = {R.peek(g)}"))
        g = yield self._real(f"$\\partial L/\\partial h_{T}$", f"$\\partial L/\\partial h_{T}$", g, T, "dL/dh",
                             wrong=(Wrong(y - params["target"], "no_w_hy", t(
                                 "y = w_hy h_T: the chain rule brings in the factor w_hy.",
                                 "y = w_hy h_T：链式法则还要乘 w_hy。")),))
        factors = {}
        for j in range(T, 1, -1):
            f = w * (1 - hs[j] ** 2)
            yield Work(t(f"$\\partial h_{j}/\\partial h_{{{j - 1}}} = w_{{hh}}(1 - h_{j}^2)$ = {R.peek(f)}"))
            factors[j] = yield self._real(f"$\\partial h_{j}/\\partial h_{{{j - 1}}}$",
                                          f"$\\partial h_{j}/\\partial h_{{{j - 1}}}$", f, j, "factor",
                                          wrong=(Wrong(1 - hs[j] ** 2, "no_w_hh", t(
                                              "∂h_j/∂h_{j−1} = tanh′(a_j)·w_hh: the recurrent weight is part of it.",
                                              "∂h_j/∂h_{j−1} = tanh′(a_j)·w_hh：要乘循环权重。")),
                                                 Wrong(w * (1 - hs[j - 1] ** 2), "wrong_step", t(
                                                     "Use tanh′ at step j: 1 − h_j², not 1 − h_{j−1}².",
                                                     "用第 j 步的 tanh′：1 − h_j²，不是 1 − h_{j−1}²。"))))
        terms = []
        for k in range(1, T + 1):
            prod = 1.0
            for j in range(k + 1, T + 1):
                prod *= factors[j]
            term = g * prod * (1 - hs[k] ** 2) * hs[k - 1]
            chain = " · ".join([R.peek(g)] + [R.peek(factors[j]) for j in range(k + 1, T + 1)]
                               + [f"(1 − {R.peek(hs[k])}²)·{R.peek(hs[k - 1])}"])
            yield Work(t(f"Term {k}: {chain} = {R.peek(term)}", f"第 {k} 项：{chain} = {R.peek(term)}"))
            terms.append((yield self._real(f"term $k = {k}$ of the sum", f"和式的第 $k = {k}$ 项", term, k,
                                           "term", decimals=SUM_DECIMALS)))
        total = sum(terms)
        yield Work(t(f"$\\partial L/\\partial w_{{hh}}$ = {' + '.join(R.peek(v) for v in terms)} = {R.peek(total)}"))
        yield self._real("$\\partial L/\\partial w_{hh}$", "$\\partial L/\\partial w_{hh}$", total, T, "dL/dw",
                         decimals=SUM_DECIMALS, wrong=(Wrong(terms[-1], "last_term_only", t(
                             "w_hh is used at every step: add the terms of all steps.",
                             "w_hh 在每一步都用到：要把所有时间步的项加起来。")),))
        yield from self._concepts(params)

    @staticmethod
    def _real(en: str, zh: str, value: float, step: int, column: str, wrong=(), decimals=DECIMALS) -> Value:
        zh_prompt = zh if any("\u4e00" <= ch <= "\u9fff" for ch in zh) else f"{zh}（求值）"
        return Value("real", t(en, zh_prompt), value, decimals, step=step, column=column, wrong=wrong)

    @staticmethod
    def _concepts(params: dict):
        for options, order, en, zh in (
                (VANISH, params["order"], "If $|w_{hh} \\tanh'(a_j)| < 1$ at every step, what happens to the term of "
                 "step k as $T - k$ grows?", "若每一步都有 $|w_{hh} \\tanh'(a_j)| < 1$，随着 $T - k$ 增大，第 k 步的项会怎样？"),
                (CLIP, params["order_clip"], "What does gradient clipping do?", "梯度裁剪做什么？")):
            yield Work(t(f"{en} — {options[0].en}", f"{zh}——{options[0].zh}"))
            yield Value("choice", t(en, zh), letter(order), choices=tuple(options[i] for i in order), trace=False)

    def resume(self, params: dict, part_id_: str, value):
        """From h_1: the problem over x_2 … x_T with h_0 = h_1.  Its states, ∂L/∂h_T, factors and
        terms are this problem's later ones (term k' is term k' + 1 here); its total is not."""
        T = len(params["x"])
        if part_id_ != "a":
            return None
        rest = dict(params, x=params["x"][1:], h0=value)
        n = T - 1
        mapping = {part_id(k - 1): part_id(k) for k in range(1, n + 1)}                         # h'_k = h_{k+1}
        mapping[part_id(n)] = part_id(T)                                                         # ∂L/∂h_T
        mapping |= {part_id(2 * n - j + 1): part_id(2 * T - j) for j in range(n, 1, -1)}        # factor'_j = factor_{j+1}
        mapping |= {part_id(2 * n + k - 1): part_id(2 * T + k) for k in range(1, n + 1)}        # term'_k = term_{k+1}
        return rest, mapping
