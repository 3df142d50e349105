"""Learning-rate schedules: the learning rate at given epochs (epochs counted from 0, η(0) = η₀).

    step         η(e) = η₀ γ^⌊e/s⌋                                    (StepLR)
    exp          η(e) = η₀ γ^(e/k)         (k = 1: ExponentialLR; k > 1: TF's ExponentialDecay)
    cosine       η(e) = η_min + (η₀ − η_min)(1 + cos(π e/T))/2,  e ≤ T   (CosineAnnealingLR)
    warmup       η(e) = η₀ (f + (1 − f) min(e, W)/W)                    (LinearLR, start factor f)
    warmup_cosine  warm-up for W epochs, then cosine from η₀ over the remaining T − W epochs
                   (SequentialLR of LinearLR and CosineAnnealingLR, milestone W)
"""

from __future__ import annotations

import math

from problems._optim import CachedSolve
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import Part, Solution, part_id, t
from quizgen.registry import Family, register

KINDS = ("step", "exp", "cosine", "warmup", "warmup_cosine")
FORMULA = {
    "step": "\\eta(e) = \\eta_0\\,\\gamma^{\\lfloor e/s \\rfloor}",
    "exp": "\\eta(e) = \\eta_0\\,\\gamma^{e/k}",
    "cosine": "\\eta(e) = \\eta_{min} + \\frac{1}{2}(\\eta_0 - \\eta_{min})(1 + \\cos(\\pi e/T))",
    "warmup": "\\eta(e) = \\eta_0\\,(f + (1-f)\\min(e, W)/W)",
    "warmup_cosine": "\\eta(e) = \\eta_0\\,(f + (1-f)e/W)$ for $e < W$, then $\\eta(e) = \\eta_{min} + "
                     "\\frac{1}{2}(\\eta_0 - \\eta_{min})(1 + \\cos(\\pi (e - W)/(T - W)))",
}
NAMES = {"step": ("step decay", "阶梯衰减"), "exp": ("exponential decay", "指数衰减"),
         "cosine": ("cosine annealing", "余弦退火"), "warmup": ("linear warm-up", "线性预热"),
         "warmup_cosine": ("linear warm-up, then cosine annealing", "线性预热后余弦退火")}


def lr_at(p: dict, e: int, slip: str = "") -> float:
    """η at epoch e; `slip` gives a known wrong variant (for the mistakes)."""
    kind, lr0 = p["kind"], p["lr"]
    if slip == "from1":
        e += 1
    if kind == "step":
        k = e / p["s"] if slip == "continuous" else math.floor(e / p["s"])
        return lr0 * p["gamma"] ** k
    if kind == "exp":
        return lr0 * p["gamma"] ** (e / p.get("k", 1))
    if kind == "warmup" or kind == "warmup_cosine" and e < p["W"]:
        f = p.get("f", 0.0)
        return lr0 * (f + (1 - f) * min(e, p["W"]) / p["W"])
    lo = p.get("eta_min", 0.0)
    pos, span = (e, p["T"]) if kind == "cosine" else (e - p["W"], p["T"] - p["W"])
    half = 1.0 if slip == "no_half" else 0.5
    return lo + half * (lr0 - lo) * (1 + math.cos(math.pi * pos / span))


def decimals(x: float) -> int:
    """Four significant digits, at least 4 decimals."""
    return max(4, 3 - math.floor(math.log10(abs(x)))) if x else 4


@register
class Schedule(CachedSolve, Family):
    name = "optim.schedule"
    topic = "optim"
    version = 1
    title = t("Learning-rate schedules", "学习率调度")
    summary = t("Step decay, exponential decay, cosine annealing and linear warm-up: η at given epochs.",
                "阶梯衰减、指数衰减、余弦退火与线性预热：给定轮次的学习率。")
    example = "quizgen solve optim.schedule --set kind=step --set lr=0.1 --set gamma=0.5 --set s=10 --set 'epochs=[0, 9, 10, 25]'"
    conventions = (t("Epochs are counted from 0: η(0) = η₀ is the rate of the first epoch, as PyTorch's schedulers "
                     "(scheduler.step() once per epoch).",
                     "轮次从 0 开始计：η(0) = η₀ 是第一轮的学习率，与 PyTorch 的调度器一致（每轮调用一次 scheduler.step()）。"),)
    params = (
        P.choice("kind", "the schedule", KINDS, example="step"),
        P.real("lr", "base learning rate η₀", 1e-9, 100, "0.1"),
        P.vector("epochs", "the epochs to give η at (from 0)", (1, 8), 0, 100000, "[0, 9, 10, 25]"),
        P.real("gamma", "decay factor γ (step, exp)", 1e-6, 1, "0.5", default=None),
        P.integer("s", "step size s (step)", 1, 100000, "10", default=None),
        P.integer("k", "decay steps k (exp; default 1)", 1, 100000, "1", default=1),
        P.integer("T", "cosine period T (T_max; for warmup_cosine the total epochs)", 1, 100000, "100", default=None),
        P.real("eta_min", "η_min (cosine; default 0)", 0, 100, "0", default=0.0),
        P.integer("W", "warm-up epochs W", 1, 100000, "5", default=None),
        P.real("f", "warm-up start factor f (default 0)", 0, 1, "0", default=0.0),
    )
    NEEDS = {"step": ("gamma", "s"), "exp": ("gamma", "k"), "cosine": ("T", "eta_min"), "warmup": ("W", "f"),
             "warmup_cosine": ("W", "f", "T", "eta_min")}

    def generate(self, rng, difficulty: str) -> dict:
        return redraw(lambda: self._draw(rng, difficulty), lambda p: len(set(p["epochs"])) == len(p["epochs"]))

    def _draw(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        kind = {"easy": pick(["step", "exp"]), "medium": pick(["step", "exp", "cosine", "warmup"]),
                "hard": pick(["cosine", "warmup_cosine", "step", "exp"])}[difficulty]
        p = {"kind": kind, "lr": pick([0.1, 1.0, 0.5, 0.01])}
        if kind == "step":
            p.update(gamma=pick([0.1, 0.5]), s=pick([5, 10, 30]))
            top = 3 * p["s"]
        elif kind == "exp":
            p.update(gamma=pick([0.9, 0.95, 0.5]), k=1 if difficulty != "hard" else pick([1, 10]))
            top = 10 * p["k"]
        elif kind == "cosine":
            p.update(T=pick([10, 20, 100]), eta_min=pick([0.0, 0.0, 0.001]))
            top = p["T"]
        elif kind == "warmup":
            p.update(W=pick([4, 5, 10]), f=pick([0.0, 0.1, 0.25]))
            top = 2 * p["W"]
        else:
            p.update(W=pick([5, 10]), f=0.0, T=pick([50, 100]), eta_min=0.0)
            top = p["T"]
        epochs = sorted(int(x) for x in rng.choice(top + 1, 4 if difficulty != "easy" else 3, replace=False))
        if kind == "step":   # ask at a boundary and just before it
            epochs[-2:] = [p["s"] - 1, p["s"]]
        p["epochs"] = sorted(set(epochs))
        return p

    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        kind = v["kind"]
        missing = [n for n in self.NEEDS[kind] if v[n] is None]
        if missing:
            raise QuizgenError(f"kind={kind} needs --set for {', '.join(missing)}")
        p = {"kind": kind, "lr": v["lr"], "epochs": [int(e) for e in v["epochs"]], **{n: v[n] for n in self.NEEDS[kind]}}
        if any(e != x for e, x in zip(p["epochs"], v["epochs"])):
            raise QuizgenError("epochs: whole numbers from 0")
        if kind in ("cosine", "warmup_cosine") and max(p["epochs"]) > p["T"]:
            raise QuizgenError("cosine annealing is given up to epoch T (after T the cosine climbs back up)")
        if kind == "warmup_cosine" and p["W"] >= p["T"]:
            raise QuizgenError("warmup_cosine needs W < T")
        return p

    def _solve(self, params: dict) -> Solution:
        parts = []
        for i, e in enumerate(params["epochs"]):
            value = lr_at(params, e)
            dec = decimals(value)
            more = (f" (to {dec} decimals)", f"（保留 {dec} 位小数）") if dec != 4 else ("", "")
            parts.append(Part(part_id(i), "real", t(f"η at epoch {e}{more[0]}", f"第 {e} 轮的 η{more[1]}"), value, decimals=dec))
        work = [t(f"${FORMULA[params['kind']]}$.")]
        work += [t(f"$\\eta({e})$ = {lr_at(params, e):.6g}") for e in params["epochs"]]
        return Solution(tuple(parts), tuple(work))

    def mistakes(self, params: dict) -> list:
        from quizgen.trace import MistakeSet

        found = MistakeSet(self.solve(params).parts)
        for i, e in enumerate(params["epochs"]):
            found.add(part_id(i), lr_at(params, e, "from1"), "epoch_from_1",
                      t("Epochs count from 0 here: η(0) = η₀.", "这里轮次从 0 开始：η(0) = η₀。"))
            if params["kind"] == "step":
                found.add(part_id(i), lr_at(params, e, "continuous"), "no_floor",
                          t("Step decay changes η only every s epochs: the exponent is ⌊e/s⌋.",
                            "阶梯衰减每 s 轮才改变一次 η：指数是 ⌊e/s⌋。"))
            if params["kind"] in ("cosine", "warmup_cosine"):
                found.add(part_id(i), lr_at(params, e, "no_half"), "no_half",
                          t("The cosine term is halved: $\\frac{1}{2}(1 + \\cos)$ runs from 1 to 0.",
                            "余弦项要乘以 1/2：$\\frac{1}{2}(1 + \\cos)$ 从 1 变到 0。"))
        return found.items

    def render(self, params: dict, lang: str) -> str:
        kind, zh = params["kind"], lang == "zh"
        symbols = {"gamma": "\\gamma", "s": "s", "k": "k", "T": "T", "eta_min": "\\eta_{min}", "W": "W", "f": "f"}
        hyper = ", ".join(f"${symbols[n]} = {params[n]:g}$" for n in self.NEEDS[kind])
        epochs = ", ".join(str(e) for e in params["epochs"])
        name = NAMES[kind][1 if zh else 0]
        if zh:
            return (f"学习率调度：{name}，${FORMULA[kind]}$，其中 $\\eta_0 = {params['lr']:g}$，{hyper}。"
                    f"给出第 {epochs} 轮的学习率（轮次从 0 开始）。")
        return (f"Learning-rate schedule: {name}, ${FORMULA[kind]}$, with $\\eta_0 = {params['lr']:g}$, {hyper}. "
                f"Give the learning rate at epochs {epochs} (counted from 0).")
