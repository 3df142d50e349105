"""Training a tiny network by hand: the full-batch loss after each gradient-descent step.

    forward   z = W₁x + b₁,  h = φ(z)  (φ = logistic sigmoid or tanh),  y = w₂·h + b₂
    loss      E = 1/(2n) Σₙ (yₙ − tₙ)²            (one half of the mean squared error)
    backward  δₙ = (yₙ − tₙ)/n,  ∂E/∂w₂ = Σ δₙ hₙ,  ∂E/∂b₂ = Σ δₙ
              εₙ = δₙ w₂ ⊙ φ'(zₙ),  ∂E/∂W₁ = Σ εₙ xₙᵀ,  ∂E/∂b₁ = Σ εₙ
              (σ' = σ(1 − σ),  tanh' = 1 − tanh²)
    update    θ ← θ − η ∂E/∂θ     for every weight at once (full batch)

Parts: E before training and after each step (3 decimals, ±0.001); on hard problems also which
learning rates end, after 10 steps, above the initial loss.  Solved here in float64 NumPy
(the hand method, with worked steps); solvers/training_ref.py recomputes every answer with
the torch reference trainer.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from quizgen.errors import FormatError, QuizgenError
from quizgen.kinds import tolerance_text
from quizgen.model import Mistake, Part, Solution, t
from quizgen.model import part_id
from quizgen.registry import Family, Param, register

DECIMALS = 3  # answers within ±0.001: room for rounding intermediate values by hand
PROBE_STEPS = 10


def _phi(act: str, z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z)) if act == "sigmoid" else np.tanh(z)  # σ without overflow


def _phi_prime(act: str, h: np.ndarray) -> np.ndarray:
    return h * (1.0 - h) if act == "sigmoid" else 1.0 - h * h


def weights(params: dict) -> dict[str, np.ndarray]:
    return {k: np.array(params[k], dtype=float) for k in ("W1", "b1", "w2", "b2")}


def data(params: dict) -> tuple[str, np.ndarray, np.ndarray]:
    """(activation, inputs n×I, targets n) as arrays, built once per computation."""
    return params["act"], np.array(params["x"], dtype=float), np.array(params["t"], dtype=float)


def forward(d: tuple, w: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(z, h, y, E) for all points at once: z, h are n×H, y is n."""
    act, x, target = d
    z = x @ w["W1"].T + w["b1"]
    h = _phi(act, z)
    y = h @ w["w2"] + w["b2"]
    return z, h, y, float(0.5 * (((y - target) ** 2).sum() / len(y)))


def gradients(d: tuple, w: dict) -> dict[str, np.ndarray]:
    """∂E/∂θ by the chain rule above."""
    act, x, target = d
    _, h, y, _ = forward(d, w)
    delta = (y - target) / len(y)
    eps = np.outer(delta, w["w2"]) * _phi_prime(act, h)
    return {"W1": eps.T @ x, "b1": eps.sum(0), "w2": h.T @ delta, "b2": delta.sum()}


def step(d: tuple, w: dict, lr: float) -> dict[str, np.ndarray]:
    g = gradients(d, w)
    return {k: w[k] - lr * g[k] for k in w}


def losses(params: dict, lr: float, steps: int) -> list[float]:
    """E before training and after each of `steps` GD steps."""
    return list(_losses(_key(params), lr, steps))


def _key(params: dict) -> tuple:
    """The values `losses` depends on, hashable (generate, solve and mistakes share results)."""
    rows = lambda m: tuple(tuple(r) if isinstance(r, list) else r for r in m)  # noqa: E731
    return (params["act"], rows(params["x"]), rows(params["t"]), rows(params["W1"]), rows(params["b1"]),
            rows(params["w2"]), params["b2"])


@lru_cache(maxsize=1024)
def _losses(key: tuple, lr: float, steps: int) -> tuple[float, ...]:
    act, x, t_, w1, b1, w2, b2 = key
    params = {"act": act, "x": x, "t": t_, "W1": w1, "b1": b1, "w2": w2, "b2": b2}
    d, w = data(params), weights(params)
    out = [forward(d, w)[3]]
    for _ in range(steps):
        w = step(d, w, lr)
        out.append(forward(d, w)[3])
    return tuple(out)


def probe_curves(params: dict) -> list[list[float]]:
    """The loss over PROBE_STEPS steps for each probe learning rate (hard problems)."""
    return [losses(params, lr, PROBE_STEPS) for lr in params["probe_lrs"]]


def diverging(curves: list[list[float]]) -> list[str]:
    """Letters of the probe learning rates whose loss after 10 steps exceeds the initial one."""
    return [part_id(i) for i, curve in enumerate(curves) if ends_above(curve)]


def ends_above(curve: list[float]) -> bool:
    """Did the loss end above where it started?  (An overflow to NaN counts as above.)"""
    return not curve[-1] <= curve[0]


def _fmt(v: float) -> str:
    return f"{v:g}"


def _loss(v: float) -> str:
    return f"{v:.4f}" if v < 1e4 else f"{v:.1e}"


PROBE_RATES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0)


def _vec(v) -> str:
    return "[" + ", ".join(_fmt(float(x)) for x in np.atleast_1d(v)) + "]"


def _mat(m) -> str:
    return "[" + ", ".join(_vec(row) for row in np.atleast_2d(m)) + "]"


def _user(parse, what: str):
    """A `--set` parser: the safe answer parser, its FormatError turned into a QuizgenError."""
    def read(text: str):
        try:
            return parse(text)
        except FormatError as exc:
            raise QuizgenError(f"{what}: {exc}") from None
    return read


def _act(text: str) -> str:
    if text.strip() not in ("sigmoid", "tanh"):
        raise QuizgenError(f"act must be sigmoid or tanh, got {text!r}")
    return text.strip()


def _steps(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 10:
        raise QuizgenError(f"steps must be a whole number from 1 to 10, got {text!r}")
    return int(text)


def _user_params() -> tuple[Param, ...]:
    from quizgen.parse import parse_matrix, parse_real, parse_vector

    return (
        Param("x", "inputs, one row per point", _user(parse_matrix, "x"), "[[1], [-1]]"),
        Param("t", "targets, one per point", _user(parse_vector, "t"), "[1, 0]"),
        Param("W1", "hidden weights, one row per hidden unit", _user(parse_matrix, "W1"), "[[0.5], [-1]]"),
        Param("b1", "hidden biases", _user(parse_vector, "b1"), "[0, 0.5]"),
        Param("w2", "output weights", _user(parse_vector, "w2"), "[1, -1]"),
        Param("b2", "output bias (default 0)", _user(parse_real, "b2"), "0"),
        Param("act", "sigmoid (default) or tanh", _act, "sigmoid"),
        Param("lr", "learning rate (default 0.5)", _user(parse_real, "lr"), "0.5"),
        Param("steps", "gradient steps, 1 to 10 (default 1)", _steps, "1"),
    )


LEVELS = {  # inputs, points, steps, hidden units
    "easy": (1, 2, 1, 2),
    "medium": (1, 3, 2, 2),
    "hard": (2, 4, 2, 2),
}


@register
class TrainingPredict(Family):
    name = "training.predict"
    topic = "training"
    version = 1
    title = t("Gradient descent on a tiny network: the loss step by step", "小网络上的梯度下降：逐步计算损失")
    summary = t("Full-batch GD on a 1-hidden-layer net: E = ½·MSE before and after each step.",
                "单隐层网络的全批量梯度下降：每一步前后的 E = ½·MSE。")
    example = ("quizgen solve training.predict --set 'x=[[1], [-1]]' --set 't=[1, 0]' --set 'W1=[[0.5], [-1]]' "
               "--set 'b1=[0, 0.5]' --set 'w2=[1, -1]'")
    params = _user_params()
    conventions = (
        t("E = ½ · mean over the points of (y − t)²; gradients are of this E.",
          "E = ½ · 各样本 (y − t)² 的平均值；梯度都是对这个 E 求的。"),
        t("Full-batch gradient descent: all weights and biases are updated at once, θ ← θ − η ∂E/∂θ.",
          "全批量梯度下降：所有权重和偏置同时更新，θ ← θ − η ∂E/∂θ。"),
    )

    # -------------------------------------------------------------- generate
    def generate(self, rng, difficulty: str) -> dict:
        for _ in range(1000):
            params = self._draw(rng, difficulty)
            if self._friendly(params):
                return params
        raise RuntimeError("no friendly draw found")  # pragma: no cover

    @staticmethod
    def _draw(rng, difficulty: str) -> dict:
        n_in, n, steps, hidden = LEVELS[difficulty]
        pick = lambda xs, size=None: rng.choice(np.array(xs), size=size)  # noqa: E731
        weight_values = [-1.0, -0.5, 0.5, 1.0] if difficulty == "easy" else [-1.5, -1.0, -0.5, 0.5, 1.0, 1.5]
        params = {
            "act": str(pick(["sigmoid", "tanh"])),
            "x": pick([-1.0, 0.0, 1.0, 2.0], (n, n_in)).tolist(),
            "t": pick([0.0, 1.0] if difficulty == "easy" else [-1.0, 0.0, 0.5, 1.0], n).tolist(),
            "W1": pick(weight_values, (hidden, n_in)).tolist(),
            "b1": pick([0.0, 0.5, -0.5], hidden).tolist(),
            "w2": pick(weight_values, hidden).tolist(),
            "b2": float(pick([0.0, 0.5, -0.5])),
            "lr": float(pick([0.5, 1.0] if difficulty == "easy" else [0.2, 0.5, 1.0])),
            "steps": steps,
        }
        if difficulty == "hard":
            params["probe_lrs"] = sorted(float(v) for v in rng.choice(np.array(PROBE_RATES), 4, replace=False))
        return params

    @staticmethod
    def _friendly(params: dict) -> bool:
        """Distinct points, a loss that changes visibly at each step, and (hard) probe
        learning rates that end clearly above or clearly below the initial loss."""
        xs = [tuple(x) for x in params["x"]]
        if len(set(xs)) < len(xs):
            return False
        curve = losses(params, params["lr"], params["steps"])
        if curve[0] < 0.05 or min(abs(a - b) for a, b in zip(curve, curve[1:])) < 0.002:
            return False
        if "probe_lrs" in params:
            ends = probe_curves(params)
            if not all(np.isfinite(e[-1]) and not 0.8 * e[0] < e[-1] < 1.25 * e[0] for e in ends):
                return False
            if len({ends_above(e) for e in ends}) != 2:  # some end above, some below
                return False
        return all(np.isfinite(curve))

    def params_from_user(self, values: dict) -> dict:
        missing = [name for name in ("x", "t", "W1", "b1", "w2") if name not in values]
        if missing:
            raise QuizgenError(f"training.predict needs --set for {', '.join(missing)} "
                               "(`quizgen solve training.predict --help-params`)")
        x, target, w1, b1, w2 = (values[k] for k in ("x", "t", "W1", "b1", "w2"))
        n, inputs, hidden = len(x), len(x[0]), len(w1)
        checks = [(1 <= n <= 8, "x: 1 to 8 points"), (1 <= inputs <= 4, "x: 1 to 4 inputs per point"),
                  (len(target) == n, f"t: one target per point ({n})"), (1 <= hidden <= 4, "W1: 1 to 4 hidden units"),
                  (len(w1[0]) == inputs, f"W1: one column per input ({inputs})"),
                  (len(b1) == hidden, f"b1: one bias per hidden unit ({hidden})"),
                  (len(w2) == hidden, f"w2: one weight per hidden unit ({hidden})")]
        for ok, message in checks:
            if not ok:
                raise QuizgenError(message)
        numbers = [v for row in x + w1 for v in row] + list(target) + list(b1) + list(w2)
        numbers += [values.get("b2", 0.0), values.get("lr", 0.5)]
        if not all(abs(v) <= 100 for v in numbers):
            raise QuizgenError("values must lie between -100 and 100")
        params = {"act": values.get("act", "sigmoid"), "x": x, "t": target, "W1": w1, "b1": b1, "w2": w2,
                  "b2": float(values.get("b2", 0.0)), "lr": float(values.get("lr", 0.5)),
                  "steps": values.get("steps", 1)}
        if not all(np.isfinite(losses(params, params["lr"], params["steps"]))):
            raise QuizgenError("the loss overflows with these values; use a smaller learning rate")
        return params

    # -------------------------------------------------------------- solve
    def solve(self, params: dict) -> Solution:
        curve = losses(params, params["lr"], params["steps"])
        probes = probe_curves(params) if "probe_lrs" in params else []
        parts = [Part(part_id(k), "real",
                      t("E before training" if k == 0 else f"E after step {k}",
                        "训练前的 E" if k == 0 else f"第 {k} 步之后的 E"),
                      round(e, DECIMALS), decimals=DECIMALS) for k, e in enumerate(curve)]
        if "probe_lrs" in params:
            parts.append(Part(part_id(len(parts)), "choice",
                              t(f"Predict, without working out every step: from the same initial weights, which learning "
                                f"rates end with a loss above the initial E after {PROBE_STEPS} steps? (select all that "
                                f"apply; the key comes from running them)",
                                f"不必逐步计算，请预测：从相同的初始权重出发，哪些学习率在 {PROBE_STEPS} 步之后的损失"
                                f"高于初始 E？（多选；答案来自实际运行）"),
                              diverging(probes),
                              choices=tuple(t(f"η = {_fmt(lr)}") for lr in params["probe_lrs"])))
        return Solution(tuple(parts), tuple(self._steps(params, curve, probes)))

    def _steps(self, params: dict, curve: list[float], probes: list[list[float]]) -> list:
        d, w = data(params), weights(params)
        phi = "\\sigma" if params["act"] == "sigmoid" else "\\tanh"
        deriv = "h(1-h)" if params["act"] == "sigmoid" else "1-h^{2}"
        out = []
        for k in range(params["steps"] + 1):
            z, h, y, e = forward(d, w)
            fwd = (f"$z = W_1 x + b_1$ = {_mat(np.round(z, 4))}, $h = {phi}(z)$ = {_mat(np.round(h, 4))}, "
                   f"$y$ = {_vec(np.round(y, 4))}, $E = \\frac{{1}}{{2}} \\cdot \\frac{{1}}{{n}} \\sum (y-t)^2$ = {e:.4f}")
            out.append(t((f"Step {k}, forward: " if k else "Initial forward pass (one row per point): ") + fwd,
                         (f"第 {k} 步，前向：" if k else "初始前向传播（每个样本一行）：") + fwd))
            if k == params["steps"]:
                break
            g = gradients(d, w)
            back = (f"$\\delta = (y-t)/n$, $\\partial E/\\partial w_2 = \\sum \\delta h$ = {_vec(np.round(g['w2'], 4))}, "
                    f"$\\partial E/\\partial b_2$ = {g['b2']:.4f}, hidden error $\\delta w_2 \\cdot {deriv}$ gives "
                    f"$\\partial E/\\partial W_1$ = {_mat(np.round(g['W1'], 4))}, "
                    f"$\\partial E/\\partial b_1$ = {_vec(np.round(g['b1'], 4))}")
            w = step(d, w, params["lr"])
            upd = (f"$\\theta \\leftarrow \\theta - {_fmt(params['lr'])}\\,\\partial E/\\partial \\theta$: "
                   f"$W_1$ = {_mat(np.round(w['W1'], 4))}, $b_1$ = {_vec(np.round(w['b1'], 4))}, "
                   f"$w_2$ = {_vec(np.round(w['w2'], 4))}, $b_2$ = {float(w['b2']):.4f}")
            out.append(t(f"Step {k + 1}, backward: {back}; update: {upd}.",
                         f"第 {k + 1} 步，反向：{back}；更新：{upd}。"))
        if "probe_lrs" in params:
            ends = ", ".join(f"η={_fmt(lr)}: {_loss(c[-1])}" for lr, c in zip(params["probe_lrs"], probes))
            out.append(t(f"Loss after {PROBE_STEPS} steps (initial {curve[0]:.4f}): {ends}. Too large a step "
                         "overshoots the minimum along the steep directions, and the loss grows.",
                         f"{PROBE_STEPS} 步之后的损失（初始 {curve[0]:.4f}）：{ends}。步长过大会在陡峭方向上越过"
                         "极小点，损失反而增大。"))
        return out

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        phi = "\\sigma" if params["act"] == "sigmoid" else "\\tanh"
        act_en = "the logistic sigmoid $\\sigma(z) = 1/(1+e^{-z})$" if params["act"] == "sigmoid" else "$\\tanh$"
        act_zh = "logistic sigmoid 函数 $\\sigma(z) = 1/(1+e^{-z})$" if params["act"] == "sigmoid" else "$\\tanh$"
        points = "; ".join(f"$x$ = {_vec(x)}, $t$ = {_fmt(tv)}" for x, tv in zip(params["x"], params["t"]))
        w = (f"$W_1$ = {_mat(params['W1'])} (one row per hidden unit), $b_1$ = {_vec(params['b1'])}, "
             f"$w_2$ = {_vec(params['w2'])}, $b_2$ = {_fmt(params['b2'])}")
        n, k = len(params["x"]), params["steps"]
        if lang == "zh":
            lines = [f"一个单隐层网络：$h = {phi}(W_1 x + b_1)$，$y = w_2 \\cdot h + b_2$，激活函数为 {act_zh}，输出为线性。",
                     f"初始参数：{w}。", f"训练数据（{n} 个样本）：{points}。",
                     f"损失为 $E = \\frac{{1}}{{2}} \\cdot \\frac{{1}}{{n}} \\sum_n (y_n - t_n)^2$（均方误差的一半）。"
                     f"用学习率 $\\eta$ = {_fmt(params['lr'])} 做 {k} 步全批量梯度下降（所有参数同时更新）。",
                     f"给出训练前以及每一步之后的 E。{tolerance_text(DECIMALS).zh}"]
        else:
            lines = [f"A network with one hidden layer: $h = {phi}(W_1 x + b_1)$, $y = w_2 \\cdot h + b_2$, "
                     f"where the activation is {act_en} and the output is linear.",
                     f"Initial parameters: {w}.", f"Training data ({n} points): {points}.",
                     f"The loss is $E = \\frac{{1}}{{2}} \\cdot \\frac{{1}}{{n}} \\sum_n (y_n - t_n)^2$ (one half of the mean squared error). "
                     f"Run {k} step{'s' if k > 1 else ''} of full-batch gradient descent with learning rate "
                     f"$\\eta$ = {_fmt(params['lr'])} (all parameters updated at once).",
                     f"Give E before training and after each step. {tolerance_text(DECIMALS).en}"]
        return "\n".join(lines)

    # -------------------------------------------------------------- mistakes
    def mistakes(self, params: dict) -> list[Mistake]:
        curve = losses(params, params["lr"], params["steps"])
        ascent = losses(params, -params["lr"], params["steps"])
        n = len(params["x"])
        out: list[Mistake] = []
        for k, e in enumerate(curve):
            seen = {round(e, DECIMALS)}

            def add(tag: str, value: float, en: str, zh: str) -> None:
                if round(value, DECIMALS) not in seen and abs(value - e) > 2 * 10 ** -DECIMALS:
                    seen.add(round(value, DECIMALS))
                    out.append(Mistake(part_id(k), round(value, DECIMALS), tag, t(en, zh)))

            add("no_half", 2 * e, "You left out the ½: E here is one half of the mean squared error.",
                "你漏了 ½：这里的 E 是均方误差的一半。")
            add("sum_not_mean", n * e, f"You summed over the {n} points; E takes the mean (divide by n = {n}).",
                f"你对 {n} 个样本求和了；E 取的是平均值（除以 n = {n}）。")
            if k:
                add("ascent", ascent[k], "You stepped along the gradient; descent subtracts it: θ ← θ − η∂E/∂θ.",
                    "你沿梯度方向走了；梯度下降要减去梯度：θ ← θ − η∂E/∂θ。")
        return out
