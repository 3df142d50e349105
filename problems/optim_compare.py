"""The same quadratic and starting point under two or three optimizers: who is lowest after k steps.

    f(w) = Σ aᵢ(wᵢ − cᵢ)²,  each optimizer as in problems/_optim.py (PyTorch forms, ε outside the root)
    parts: f(w_k) for each optimizer; which is lowest; the length of each one's last step
           ‖w_k − w_{k−1}‖ (its effective step size); why momentum helps in a ravine and why
           AdaGrad's step keeps shrinking (one choice each, options in the problem's own order)
"""

from __future__ import annotations

import math

from problems import _optim as O
from problems._optim_text import quad_tex
from problems._optim import CachedSolve
from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import Mistake, Part, Solution, part_id, t
from quizgen.registry import Family, Param, per_params, register

DECIMALS = 4
CHOICES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
DEFAULTS = {"momentum": 0.9, "rho": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "eps_at": "outside", "init": 0.0}
WHY = {  # the first option is right; a problem shows them in its own order (params["orders"])
    "momentum": (t("Why does momentum help in a ravine?", "为什么动量在峡谷中有帮助？"), (
        t("It averages the gradients: the parts that alternate across the ravine cancel, the part along its floor "
          "adds up.", "它对梯度做平均：在峡谷两壁之间正负交替的分量相互抵消，沿谷底方向的分量不断累加。"),
        t("It uses a larger learning rate in the steep direction.", "它在陡峭方向上使用更大的学习率。"),
        t("It takes a Newton step with the second derivative.", "它利用二阶导数做牛顿步。"),
        t("It divides each coordinate by the root of its squared gradients.", "它把每个坐标除以梯度平方的平方根。"))),
    "adagrad": (t("Why does AdaGrad's step keep shrinking?", "为什么 AdaGrad 的步长不断缩小？"), (
        t("Its accumulator s is a sum of squared gradients that never decays, so η/√s can only shrink.",
          "它的累积量 s 是从不衰减的梯度平方和，所以 η/√s 只会变小。"),
        t("It multiplies η by a decay factor at every step.", "它每一步都把 η 乘以一个衰减系数。"),
        t("The gradients always get smaller from step to step.", "梯度总是一步比一步小。"),
        t("ε grows with every step.", "ε 每一步都在增大。"))),
}


def _optimizers(text: str) -> list[str]:
    names = [x.strip().lower() for x in text.replace(";", ",").split(",") if x.strip()]
    bad = [n for n in names if n not in CHOICES]
    if bad or not 2 <= len(names) <= 3 or len(set(names)) != len(names):
        raise QuizgenError(f"optimizers: two or three different names from {', '.join(CHOICES)}, like sgd,momentum,adam")
    return names


def config(params: dict, name: str, lr: float) -> dict:
    """The optim.steps params of one optimizer on this problem's quadratic."""
    cfg = {"optimizer": name, "lr": lr, "quad": params["quad"], "w0": params["w0"], "steps": params["steps"]}
    if params.get("center"):
        cfg["center"] = params["center"]
    keys = {"momentum": ("momentum",), "nesterov": ("momentum",), "adagrad": ("eps", "eps_at", "init"),
            "rmsprop": ("rho", "eps", "eps_at"), "adam": ("beta1", "beta2", "eps", "eps_at")}.get(name, ())
    cfg.update({k: DEFAULTS[k] for k in keys})
    if name in ("momentum", "nesterov"):
        cfg["form"] = "pytorch"
    if name == "adagrad":
        cfg["eps"] = 1e-10
    return cfg


def trajectory(cfg: dict) -> list[list[float]]:
    """w₀, w₁, …, w_k of one optimizer (problems/_optim.py, the same step as optim.steps)."""
    w, state, out = list(cfg["w0"]), O.initial_state(cfg, len(cfg["w0"])), [list(cfg["w0"])]
    for k in range(1, cfg["steps"] + 1):
        e = O.run_step(cfg, state, w, O.gradient(cfg, w, k), k)
        state = {q.name: e[q.name] for q in O.chain(cfg) if q.state}
        w = e["w_new"]
        out.append(w)
    return out


def f_value(params: dict, w: list[float]) -> float:
    c = params.get("center") or [0.0] * len(w)
    return sum(a * (x - ci) ** 2 for a, x, ci in zip(params["quad"], w, c))


@register
class OptimCompare(CachedSolve, Family):
    name = "optim.compare"
    topic = "optim"
    version = 1
    title = t("Comparing optimizers on one quadratic", "在同一个二次函数上比较优化器")
    summary = t("Two or three optimizers from one start: f after k steps, which is lowest, step sizes, and why.",
                "同一起点的两三种优化器：k 步后的 f、哪个最低、步长大小及其原因。")
    example = ("quizgen solve optim.compare --set optimizers=sgd,momentum,adagrad --set 'lrs=[0.4, 0.4, 0.4]' "
               "--set 'quad=[0.1, 2]' --set 'w0=[-5, -2]' --set steps=3")
    conventions = (
        t("PyTorch forms: momentum $b_t = \\mu b_{t-1} + g_t$ ($b_1 = g_1$), $w_t = w_{t-1} - \\eta b_t$; ε outside the "
          "square root; Adam bias-corrected with t from 1.",
          "PyTorch 形式：动量 $b_t = \\mu b_{t-1} + g_t$（$b_1 = g_1$），$w_t = w_{t-1} - \\eta b_t$；ε 在平方根之外；"
          "Adam 做偏差修正，t 从 1 开始。"),
        t("The effective step size of an optimizer at step k is the length $\\|w_k - w_{k-1}\\|$ of its last step.",
          "优化器在第 k 步的有效步长指最后一步的长度 $\\|w_k - w_{k-1}\\|$。"),
    )
    params = (
        Param("optimizers", f"two or three of {', '.join(CHOICES)}, comma-separated", _optimizers, "sgd,momentum,adam"),
        P.vector("lrs", "one learning rate per optimizer", (2, 3), 0, 100, "[0.1, 0.1, 0.1]"),
        P.vector("quad", "coefficients a of f(w) = Σ aᵢ(wᵢ − cᵢ)²", (1, 3), 0.001, 100, "[0.1, 2]"),
        P.vector("center", "centre c (default 0)", (1, 3), -100, 100, "[0, 0]", default=None),
        P.vector("w0", "starting point", (1, 3), -100, 100, "[-5, -2]"),
        P.integer("steps", "number of steps k", 1, 20, "3", default=3),
    )

    @staticmethod
    def _draw(rng, difficulty: str) -> dict:
        pick = picker(rng)
        n = 2 if difficulty == "easy" else 3
        names = sorted((str(v) for v in rng.choice(list(CHOICES), n, replace=False)), key=CHOICES.index)
        lr = {"sgd": [0.1, 0.2, 0.4], "momentum": [0.1, 0.2], "nesterov": [0.1, 0.2], "adagrad": [0.5, 1.0],
              "rmsprop": [0.1, 0.2], "adam": [0.1, 0.5]}
        quad = [pick([0.5, 1, 2])] if difficulty == "easy" else [pick([0.1, 0.25]), pick([1, 2])]
        return {"optimizers": names, "lrs": [pick(lr[x]) for x in names], "quad": quad,
                "w0": [float(pick([-3, -2, 2, 3])) for _ in quad], "steps": 2 if difficulty == "easy" else 3,
                "orders": [[int(i) for i in rng.permutation(4)] for _ in WHY]}

    def _friendly(self, p: dict) -> bool:
        ends = [f_value(p, r[-1]) for r in self._runs(p)]
        ordered = sorted(ends)
        return all(math.isfinite(e) and e < 1e4 for e in ends) and ordered[1] - ordered[0] > 0.01

    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        if len(v["lrs"]) != len(v["optimizers"]):
            raise QuizgenError("lrs: one learning rate per optimizer")
        d = len(v["w0"])
        if len(v["quad"]) != d or (v["center"] is not None and len(v["center"]) != d):
            raise QuizgenError(f"quad and center need {d} numbers, like w0")
        p = {k: v[k] for k in ("optimizers", "lrs", "quad", "w0", "steps")}
        p["orders"] = [[1, 0, 2, 3], [2, 3, 0, 1]]
        if v["center"] is not None:
            p["center"] = v["center"]
        try:
            ends = [trajectory(config(p, n, lr))[-1] for n, lr in zip(p["optimizers"], p["lrs"])]
        except (ValueError, ZeroDivisionError, OverflowError):
            raise QuizgenError("these values overflow; use smaller learning rates or fewer steps") from None
        if not all(abs(x) < 1e9 for w in ends for x in w):
            raise QuizgenError("the weights blow up; use smaller learning rates or fewer steps")
        return p

    @per_params
    def _runs(self, params: dict) -> list[list[list[float]]]:
        """The trajectories (the redraw check, solve and mistakes share them)."""
        return [trajectory(config(params, n, lr)) for n, lr in zip(params["optimizers"], params["lrs"])]

    def _solve(self, params: dict) -> Solution:
        runs, names, k = self._runs(params), params["optimizers"], params["steps"]
        ends = [f_value(params, r[-1]) for r in runs]
        steps = [math.dist(r[-1], r[-2]) for r in runs]
        parts = [Part(part_id(i), "real", t(f"$f(w_{{{k}}})$ with {O.NAMES[n]}", f"{O.NAMES_ZH[n]} 的 $f(w_{{{k}}})$"), e,
                      decimals=DECIMALS) for i, (n, e) in enumerate(zip(names, ends))]
        parts.append(Part(part_id(len(parts)), "choice", t(f"Which optimizer is lowest after {k} steps?",
                                                            f"{k} 步之后哪个优化器的 f 最低？"),
                          part_id(ends.index(min(ends))), choices=tuple(t(O.NAMES[n], O.NAMES_ZH[n]) for n in names)))
        parts += [Part(part_id(len(parts) + i), "real",
                       t(f"effective step size of {O.NAMES[n]} at step {k}, $\\|w_{{{k}}} - w_{{{k - 1}}}\\|$",
                         f"{O.NAMES_ZH[n]} 在第 {k} 步的有效步长 $\\|w_{{{k}}} - w_{{{k - 1}}}\\|$"), s, decimals=DECIMALS)
                  for i, (n, s) in enumerate(zip(names, steps))]
        for (prompt, options), order in zip(WHY.values(), params["orders"]):
            parts.append(Part(part_id(len(parts)), "choice", prompt, part_id(order.index(0)),
                              choices=tuple(options[i] for i in order)))
        work = [t(f"{O.NAMES[n]}: " + ", ".join(f"$w_{{{i}}} = {O.vec(w)}$" for i, w in enumerate(r)) +
                  f"; $f(w_{{{k}}}) = {O.num(e)}$, last step length {O.num(s)}.",
                  f"{O.NAMES_ZH[n]}：" + "，".join(f"$w_{{{i}}} = {O.vec(w)}$" for i, w in enumerate(r)) +
                  f"；$f(w_{{{k}}}) = {O.num(e)}$，最后一步的长度为 {O.num(s)}。")
                for n, r, e, s in zip(names, runs, ends, steps)]
        return Solution(tuple(parts), tuple(work))

    def mistakes(self, params: dict) -> list[Mistake]:
        from quizgen.trace import MistakeSet

        runs, n = self._runs(params), len(params["optimizers"])
        found = MistakeSet(self.solve(params).parts)
        for i, r in enumerate(runs):
            if len(r) > 2:
                found.add(part_id(i), f_value(params, r[-2]), "one_step_short",
                          t("That is f after k − 1 steps: count the steps from $w_0$.", "这是 k − 1 步之后的 f：从 $w_0$ 开始数步数。"))
            found.add(part_id(n + 1 + i), math.dist(r[-1], r[0]), "total_distance",
                      t("That is the distance from $w_0$; the step size is the last step only.",
                        "这是与 $w_0$ 的距离；有效步长只看最后一步。"))
        return found.items

    def render(self, params: dict, lang: str) -> str:
        zh, k = lang == "zh", params["steps"]
        f = quad_tex(params["quad"], params.get("center"))
        names = O.NAMES_ZH if zh else O.NAMES
        runs = "; ".join(f"{names[n]} ($\\eta = {O.num(lr)}$)" for n, lr in zip(params["optimizers"], params["lrs"]))
        hyper = "$\\mu = 0.9$, $\\rho = 0.9$, $\\beta_1 = 0.9$, $\\beta_2 = 0.999$, $\\epsilon = 10^{-8}$ ($10^{-10}$ AdaGrad), $s_0 = 0$"
        if zh:
            return (f"最小化 $f(w) = {f}$，都从 $w_0 = {O.vec(params['w0'])}$ 出发，分别用：{runs}。其余超参数：{hyper}。\n"
                    f"各运行 {k} 步。")
        return (f"Minimise $f(w) = {f}$ from $w_0 = {O.vec(params['w0'])}$ with each of: {runs}. Other hyper-parameters: "
                f"{hyper}.\nRun {k} steps of each.")
