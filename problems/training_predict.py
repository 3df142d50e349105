"""Training a tiny network by hand: full-batch gradient descent, step by step.

    y = w₂·φ(W₁x + b₁) + b₂,   E = 1/(2n) Σₙ (yₙ − tₙ)²,   θ ← θ − η ∂E/∂θ (all at once)
    (the forward pass, the chain rule and the runs: problems/_gd_net.py)

A trace: E before training, then for each step the updated w₂, b₂, W₁, b₁ and E.  Each step
starts from the student's own weights of the step before, and E from their own weights of
that step (error carried forward).  Hard problems add "which learning rates end, after 10
steps, above the initial loss" (a prediction, judged by running them).  Plain Python floats;
solvers/training_ref.py recomputes every answer with the torch reference trainer.
"""

from __future__ import annotations

import math

from problems import _gd_net as G
from quizgen import params as P
from quizgen.draw import picker

from quizgen.errors import QuizgenError
from quizgen.model import part_id, t
from quizgen.registry import Param, register
from quizgen.trace import TraceFamily, Value, Work, Wrong

DECIMALS = 3  # answers within ±0.001: room for rounding intermediate values by hand
PROBE_STEPS = 10
PROBE_RATES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0)
LEVELS = {"easy": (1, 2, 1, 2), "medium": (1, 3, 2, 2), "hard": (2, 4, 2, 2)}  # inputs, points, steps, hidden


def probes(params: dict) -> list[tuple[float, ...]]:
    """The loss curves of the probe learning rates, PROBE_STEPS steps each (cached)."""
    key = G.key(params)
    return [G.curve(key, lr, PROBE_STEPS) for lr in params["probe_lrs"]]


def ends_above(curve) -> bool:
    """Did the loss end above where it started?  (An overflow or NaN counts as above.)"""
    return not curve[-1] <= curve[0]


def _g(v: float) -> str:
    return f"{v:g}"


def _vec(v, d: int | None = None) -> str:
    return "[" + ", ".join(map(_FORMATS[d], v)) + "]"


_FORMATS = {None: "{:g}".format, 4: "{:.4f}".format}


def _mat(m, d: int | None = None) -> str:
    return "[" + ", ".join(_vec(r, d) for r in m) + "]"


def _act(text: str) -> str:
    if text.strip() not in ("sigmoid", "tanh"):
        raise QuizgenError(f"act must be sigmoid or tanh, got {text!r}")
    return text.strip()


@register
class TrainingPredict(TraceFamily):
    name = "training.predict"
    topic = "training"
    version = 2  # v2: a trace of the updated weights and E after every step (was E only)
    title = t("Gradient descent on a tiny network, step by step", "小网络上的梯度下降：逐步计算")
    summary = t("Full-batch GD on a 1-hidden-layer net: the updated weights and E = ½·MSE after each step.",
                "单隐层网络的全批量梯度下降：每一步更新后的权重与 E = ½·MSE。")
    example = ("quizgen solve training.predict --set 'x=[[1], [-1]]' --set 't=[1, 0]' --set 'W1=[[0.5], [-1]]' "
               "--set 'b1=[0, 0.5]' --set 'w2=[1, -1]'")
    params: tuple[Param, ...] = (
        P.matrix("x", "inputs, one row per point", (1, 8), (1, 4), -100, 100, "[[1], [-1]]"),
        P.vector("t", "targets, one per point", (1, 8), -100, 100, "[1, 0]"),
        P.matrix("W1", "hidden weights, one row per hidden unit", (1, 4), (1, 4), -100, 100, "[[0.5], [-1]]"),
        P.vector("b1", "hidden biases", (1, 4), -100, 100, "[0, 0.5]"),
        P.vector("w2", "output weights", (1, 4), -100, 100, "[1, -1]"),
        P.real("b2", "output bias", -100, 100, "0", default=0.0),
        Param("act", "sigmoid or tanh", _act, "sigmoid", "sigmoid"),
        P.real("lr", "learning rate η", 0, 100, "0.5", default=0.5),
        P.integer("steps", "gradient steps", 1, 10, "1", default=1),
    )
    conventions = (
        t("E = ½ · mean over the points of (y − t)²; gradients are of this E.",
          "E = ½ · 各样本 (y − t)² 的平均值；梯度都是对这个 E 求的。"),
        t("Full-batch gradient descent: all weights and biases are updated at once from the old weights, "
          "θ ← θ − η ∂E/∂θ.",
          "全批量梯度下降：所有权重和偏置都用旧权重算出的梯度同时更新，θ ← θ − η ∂E/∂θ。"),
    )

    # -------------------------------------------------------------- generate
    @staticmethod
    def _draw(rng, difficulty: str) -> dict:
        n_in, n, steps, hidden = LEVELS[difficulty]

        one = picker(rng)

        def pick(options, size=None):
            if size is None:
                return one(options)
            shape = size if isinstance(size, tuple) else (size,)
            flat = [options[i] for i in rng.integers(len(options), size=math.prod(shape))]
            return flat if len(shape) == 1 else [flat[r * shape[1]:(r + 1) * shape[1]] for r in range(shape[0])]

        weight_values = [-1.0, -0.5, 0.5, 1.0] if difficulty == "easy" else [-1.5, -1.0, -0.5, 0.5, 1.0, 1.5]
        params = {
            "act": pick(["sigmoid", "tanh"]),
            "x": pick([-1.0, 0.0, 1.0, 2.0], (n, n_in)),
            "t": pick([0.0, 1.0] if difficulty == "easy" else [-1.0, 0.0, 0.5, 1.0], n),
            "W1": pick(weight_values, (hidden, n_in)),
            "b1": pick([0.0, 0.5, -0.5], hidden),
            "w2": pick(weight_values, hidden),
            "b2": pick([0.0, 0.5, -0.5]),
            "lr": pick([0.5, 1.0] if difficulty == "easy" else [0.2, 0.5, 1.0]),
            "steps": steps,
        }
        if difficulty == "hard":
            chosen = rng.choice(len(PROBE_RATES), 4, replace=False)
            params["probe_lrs"] = sorted(PROBE_RATES[int(i)] for i in chosen)
        return params

    @staticmethod
    def _friendly(params: dict) -> bool:
        """Distinct points, a loss that changes visibly at each step, and (hard) probe
        learning rates that end clearly above or clearly below the initial loss."""
        xs = [tuple(x) for x in params["x"]]
        if len(set(xs)) < len(xs):
            return False
        curve = G.losses(params, params["lr"], params["steps"])
        if not all(math.isfinite(e) for e in curve):
            return False
        if curve[0] < 0.05 or min(abs(a - b) for a, b in zip(curve, curve[1:])) < 0.002:
            return False
        if "probe_lrs" in params:
            above, key = set(), G.key(params)
            for lr in params["probe_lrs"]:  # one at a time: a draw is dropped at its first unclear curve
                e = G.curve(key, lr, PROBE_STEPS)
                if not (math.isfinite(e[-1]) and not 0.8 * e[0] < e[-1] < 1.25 * e[0]):
                    return False
                above.add(ends_above(e))
            return len(above) == 2  # some end above, some below
        return True

    def params_from_user(self, values: dict) -> dict:
        params = self.with_defaults(values)
        x, target, w1, b1, w2 = (params[k] for k in ("x", "t", "W1", "b1", "w2"))
        n, inputs, hidden = len(x), len(x[0]), len(w1)
        checks = [(len(target) == n, f"t: one target per point ({n})"),
                  (len(w1[0]) == inputs, f"W1: one column per input ({inputs})"),
                  (len(b1) == hidden, f"b1: one bias per hidden unit ({hidden})"),
                  (len(w2) == hidden, f"w2: one weight per hidden unit ({hidden})")]
        for ok, message in checks:
            if not ok:
                raise QuizgenError(message)
        if not all(math.isfinite(e) for e in G.losses(params, params["lr"], params["steps"])):
            raise QuizgenError("the loss overflows with these values; use a smaller learning rate")
        return params

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        lr, n = params["lr"], len(params["x"])
        key_run = G.descent(params, lr, params["steps"])  # the key's own passes (cached)
        w, (hs, ys, e), g = key_run[0]
        yield Work(self._forward_text(params, 0, hs, ys, e))
        wrong_e = self._wrong_loss(e, n)
        yield Value("real", t("E before training", "训练前的 E"), e, decimals=DECIMALS, wrong=wrong_e)
        for k in range(1, params["steps"] + 1):
            new, up = G.step(w, g, lr), G.step(w, g, -lr)
            yield Work(self._backward_text(params, k, g, new))
            got = {}
            for name in G.NAMES:
                got[name] = yield Value(self._kind(name), self._prompt(name, k), new[name], decimals=DECIMALS,
                                        step=k, column=name,
                                        wrong=(Wrong(up[name], "ascent", t(
                                            "You stepped along the gradient; descent subtracts it: θ ← θ − η∂E/∂θ.",
                                            "你沿梯度方向走了；梯度下降要减去梯度：θ ← θ − η∂E/∂θ。")),))
            w = got
            if got == key_run[k][0]:  # the key's own weights: their passes are known
                (hs, ys, e), g = key_run[k][1], key_run[k][2]
            else:
                (hs, ys, e), g = G.forward_backward(params, w)
            yield Work(self._forward_text(params, k, hs, ys, e))
            yield Value("real", t(f"E after step {k}", f"第 {k} 步之后的 E"), e, decimals=DECIMALS, step=k,
                        column="E", wrong=self._wrong_loss(e, n))
        if "probe_lrs" in params:
            yield from self._probe(params)

    @staticmethod
    def _kind(name: str) -> str:
        return {"W1": "matrix", "b2": "real"}.get(name, "vector")

    @staticmethod
    def _prompt(name: str, k: int):
        sym = {"W1": "W_1", "b1": "b_1", "w2": "w_2", "b2": "b_2"}[name]
        return t(f"${sym}$ after step {k}", f"第 {k} 步之后的 ${sym}$")

    @staticmethod
    def _wrong_loss(e: float, n: int) -> tuple[Wrong, ...]:
        out = [Wrong(2 * e, "no_half", t("You left out the ½: E here is one half of the mean squared error.",
                                         "你漏了 ½：这里的 E 是均方误差的一半。"))]
        if n > 1:
            out.append(Wrong(n * e, "sum_not_mean",
                             t(f"You summed over the {n} points; E takes the mean (divide by n = {n}).",
                               f"你对 {n} 个样本求和了；E 取的是平均值（除以 n = {n}）。")))
        return tuple(w for w in out if abs(w.answer - e) > 2 * 10 ** -DECIMALS)

    def _probe(self, params: dict):
        curves = probes(params)
        above = [part_id(i) for i, c in enumerate(curves) if ends_above(c)]
        e0 = curves[0][0]
        ends = ", ".join(f"η={_g(lr)}: {c[-1]:.4f}" if c[-1] < 1e4 else f"η={_g(lr)}: {c[-1]:.1e}"
                         for lr, c in zip(params["probe_lrs"], curves))
        yield Work(t(f"Loss after {PROBE_STEPS} steps (initial {e0:.4f}): {ends}. Too large a step overshoots "
                     "the minimum along the steep directions, and the loss grows.",
                     f"{PROBE_STEPS} 步之后的损失（初始 {e0:.4f}）：{ends}。步长过大会在陡峭方向上越过极小点，"
                     "损失反而增大。"))
        yield Value("choice", t(
            f"Predict, without working out every step: from the same initial weights, which learning rates end with "
            f"a loss above the initial E after {PROBE_STEPS} steps? (select all that apply; the key comes from "
            "running them)",
            f"不必逐步计算，请预测：从相同的初始权重出发，哪些学习率在 {PROBE_STEPS} 步之后的损失高于初始 E？"
            "（多选；答案来自实际运行）"), above, choices=tuple(t(f"η = {_g(lr)}") for lr in params["probe_lrs"]),
            trace=False)

    def resume(self, params: dict, part_id_: str, value):
        """From a perturbed parameter after step k: the same data, that step's weights (the
        perturbed one in place), the remaining steps."""
        parts = self.solve(params).parts
        index = [p.id for p in parts].index(part_id_)
        part = parts[index]
        if part.column not in G.NAMES:
            return None
        k = part.step
        weights = {p.column: p.answer for p in parts if p.step == k and p.column in G.NAMES}
        weights[part.column] = value
        rest = params["steps"] - k
        new = {**{key: params[key] for key in ("act", "x", "t", "lr")}, **weights, "steps": rest}
        first_e = next(i for i, p in enumerate(parts) if p.step == k and p.column == "E")
        mapping = {"a": parts[first_e].id}
        for j in range(1, rest * 5 + 1):
            mapping[part_id(j)] = parts[first_e + j].id
        return new, mapping

    # -------------------------------------------------------------- text
    def _forward_text(self, params: dict, k: int, hs, ys, e: float):
        phi = "\\sigma" if params["act"] == "sigmoid" else "\\tanh"
        fwd = (f"$h = {phi}(W_1 x + b_1)$ = {_mat(hs, 4)}, $y = w_2 \\cdot h + b_2$ = {_vec(ys, 4)}, "
               f"$E = \\frac{{1}}{{2}} \\cdot \\frac{{1}}{{n}} \\sum (y-t)^2$ = {e:.4f}")
        if k == 0:
            return t(f"Initial forward pass (one row of h per point): {fwd}.", f"初始前向传播（h 每个样本一行）：{fwd}。")
        return t(f"Step {k}, forward with the new weights: {fwd}.", f"第 {k} 步，用新权重前向：{fwd}。")

    def _backward_text(self, params: dict, k: int, g: dict, new: dict):
        deriv = "h(1-h)" if params["act"] == "sigmoid" else "(1-h^{2})"
        lr = _g(params["lr"])
        back = (f"$\\delta = (y-t)/n$; $\\partial E/\\partial w_2 = \\sum \\delta h$ = {_vec(g['w2'], 4)}, "
                f"$\\partial E/\\partial b_2 = \\sum \\delta$ = {g['b2']:.4f}; "
                f"$\\varepsilon = \\delta \\, w_2 \\odot {deriv}$, "
                f"$\\partial E/\\partial W_1 = \\sum \\varepsilon x^\\top$ = {_mat(g['W1'], 4)}, "
                f"$\\partial E/\\partial b_1 = \\sum \\varepsilon$ = {_vec(g['b1'], 4)}")
        upd = (f"$\\theta \\leftarrow \\theta - {lr} \\, \\partial E/\\partial \\theta$: $w_2$ = {_vec(new['w2'], 4)}, "
               f"$b_2$ = {new['b2']:.4f}, $W_1$ = {_mat(new['W1'], 4)}, $b_1$ = {_vec(new['b1'], 4)}")
        return t(f"Step {k}, backward (gradients from the old weights): {back}; update: {upd}.",
                 f"第 {k} 步，反向（用旧权重求梯度）：{back}；更新：{upd}。")

    def render(self, params: dict, lang: str) -> str:
        phi = "\\sigma" if params["act"] == "sigmoid" else "\\tanh"
        act_en = "the logistic sigmoid $\\sigma(z) = 1/(1+e^{-z})$" if params["act"] == "sigmoid" else "$\\tanh$"
        act_zh = "logistic sigmoid 函数 $\\sigma(z) = 1/(1+e^{-z})$" if params["act"] == "sigmoid" else "$\\tanh$"
        points = "; ".join(f"$x$ = {_vec(x)}, $t$ = {_g(tv)}" for x, tv in zip(params["x"], params["t"]))
        n, k, lr = len(params["x"]), params["steps"], _g(params["lr"])
        w = (f"$W_1$ = {_mat(params['W1'])}, $b_1$ = {_vec(params['b1'])}, "
             f"$w_2$ = {_vec(params['w2'])}, $b_2$ = {_g(params['b2'])}")
        loss = "$E = \\frac{1}{2} \\cdot \\frac{1}{n} \\sum_n (y_n - t_n)^2$"
        if lang == "zh":
            return "\n".join([
                f"一个单隐层网络：$h = {phi}(W_1 x + b_1)$，$y = w_2 \\cdot h + b_2$，激活函数为 {act_zh}，输出为线性。",
                f"初始参数（$W_1$ 每行对应一个隐藏单元）：{w}。",
                f"训练数据（{n} 个样本）：{points}。",
                f"损失为 {loss}（均方误差的一半）。用学习率 $\\eta$ = {lr} 做 {k} 步全批量梯度下降"
                "（所有参数都用旧权重算出的梯度同时更新）。",
                "给出训练前的 E，以及每一步更新后的 $w_2$、$b_2$、$W_1$、$b_1$ 和 E。"])
        return "\n".join([
            f"A network with one hidden layer: $h = {phi}(W_1 x + b_1)$, $y = w_2 \\cdot h + b_2$, "
            f"where the activation is {act_en} and the output is linear.",
            f"Initial parameters ($W_1$ has one row per hidden unit): {w}.",
            f"Training data ({n} point{'s' if n > 1 else ''}): {points}.",
            f"The loss is {loss} (one half of the mean squared error). Run {k} step{'s' if k > 1 else ''} of "
            f"full-batch gradient descent with learning rate $\\eta$ = {lr} (all parameters updated at once, "
            "from gradients at the old weights).",
            "Give E before training, and after each step the updated $w_2$, $b_2$, $W_1$, $b_1$ and E."])
