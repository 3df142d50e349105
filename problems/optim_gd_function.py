"""Plain gradient descent on a 1-d polynomial, by hand; which learning rates diverge, and why.

    w_t = w_{t−1} − η f'(w_{t−1})                       (one part each for f'(w_{t−1}) and w_t)
    near a minimum w*:  w_t − w* ≈ (1 − η f''(w*)) (w_{t−1} − w*),
    so GD settles at w* only if |1 − η f''(w*)| < 1, i.e.  0 < η < 2 / f''(w*)

Templates: a(w − c)² (f'' = 2a, so η < 1/a), w⁴ − 3w² + 2 (minima ±√1.5, f'' = 12),
(w² − 1)² (minima ±1, f'' = 8); `quizgen solve` takes any polynomial up to degree 6.
Which of the listed learning rates diverge is decided by running 200 steps (|w| > 10⁶).
Draws keep every trace value to at most 4 decimals, so nothing is rounded by hand.  Once a
student's value leaves the key's path, the carried-forward steps start from values rounded to
4 decimals (the digits a student writes), so the recomputation does not hang on unwritten digits.
"""

from __future__ import annotations

import math
from functools import lru_cache

from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong

DECIMALS = 4
PROBE_STEPS = 200
TEMPLATES = {  # name: (coefficients, highest power first; minimum w* as LaTeX and value)
    "quartic": ([1, 0, -3, 0, 2], ("\\sqrt{1.5}", math.sqrt(1.5))),
    "doublewell": ([1, 0, -2, 0, 1], ("1", 1.0)),
}


def poly(coeffs: list[float], w: float, deriv: int = 0) -> float:
    """f, f' or f'' of the polynomial with these coefficients (highest power first), by Horner."""
    n = len(coeffs) - 1
    cs = [c * math.perm(n - i, deriv) for i, c in enumerate(coeffs[:len(coeffs) - deriv])]
    out = 0.0
    for c in cs:
        out = out * w + c
    return out


def poly_tex(coeffs: list[float]) -> str:
    n, terms = len(coeffs) - 1, []
    for i, c in enumerate(coeffs):
        k = n - i
        if not c:
            continue
        mag = "" if abs(c) == 1 and k else _g(abs(c))
        var = "" if k == 0 else "w" if k == 1 else f"w^{{{k}}}"
        terms.append(("-" if c < 0 else "+") + f" {mag}{var}")
    text = " ".join(terms).lstrip("+ ") or "0"
    return "-" + text[2:] if text.startswith("- ") else text


def _g(x: float) -> str:
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


@lru_cache(maxsize=4096)
def _diverges(coeffs: tuple[float, ...], w0: float, lr: float) -> bool | None:
    w = w0
    for _ in range(PROBE_STEPS):
        g = poly(coeffs, w, 1)
        if abs(g) < 1e-8:
            return False
        w -= lr * g
        if not abs(w) < 1e6:
            return True
    return None


def diverges(coeffs: list[float], w0: float, lr: float) -> bool | None:
    """True: |w| passes 10⁶ within PROBE_STEPS; False: settled (|f'| < 10⁻⁸); None: unclear."""
    return _diverges(tuple(coeffs), w0, lr)


def _p(x: float) -> str:
    return f"({_g(x)})" if x < 0 else _g(x)


def _exact(x: float) -> bool:
    return abs(round(x, DECIMALS) - x) < 1e-9


def nearest_minimum(coeffs: list[float], w0: float) -> float | None:
    """The local minimum of f nearest to w0 (roots of f' by numpy), or None if f has none."""
    import numpy as np

    n = len(coeffs) - 1
    d = [c * (n - i) for i, c in enumerate(coeffs[:-1])]
    mins = [r.real for r in np.roots(d) if abs(r.imag) < 1e-9 and poly(coeffs, r.real, 2) > 1e-9] if any(d) else []
    return min(mins, key=lambda r: abs(r - w0)) if mins else None


@register
class GDFunction(TraceFamily):
    name = "optim.gd_function"
    topic = "optim"
    version = 1
    title = t("Gradient descent on a function of one variable", "一元函数上的梯度下降")
    summary = t("f'(w) and w at each GD step; the largest stable learning rate 2/f''(w*); which rates diverge.",
                "每步梯度下降的 f'(w) 与 w；最大稳定学习率 2/f''(w*)；哪些学习率发散。")
    example = "quizgen solve optim.gd_function --set 'poly=[1, 0, -3, 0, 2]' --set w0=2 --set lr=0.05 --set steps=2"
    conventions = (t("Gradient descent: $w_t = w_{t-1} - \\eta f'(w_{t-1})$, from $w_0$, one step at a time.",
                     "梯度下降：$w_t = w_{t-1} - \\eta f'(w_{t-1})$，从 $w_0$ 出发，逐步更新。"),
                   t(f"A learning rate diverges when |w| exceeds $10^6$ within {PROBE_STEPS} steps.",
                     f"若 {PROBE_STEPS} 步之内 |w| 超过 $10^6$，称该学习率发散。"))
    params = (
        P.vector("poly", "coefficients of f, highest power first ([1, 0, -3, 0, 2] is w⁴ − 3w² + 2)", (2, 7),
                 -100, 100, "[1, 0, -3, 0, 2]"),
        P.real("w0", "starting point", -100, 100, "2"),
        P.real("lr", "learning rate η", 0, 100, "0.05"),
        P.integer("steps", "number of steps", 1, 20, "2", default=2),
        P.vector("lrs", "learning rates to judge: which diverge? (optional)", (1, 6), 0, 100, "[0.1, 0.2]", default=None),
        P.real("wstar", "the minimum w* for 2/f''(w*) (default: the one nearest w0)", -100, 100, "1.2247", default=None),
    )

    # -------------------------------------------------------------- generate
    @staticmethod
    def _draw(rng, difficulty: str) -> dict:
        pick = picker(rng)
        kind = "quad" if difficulty == "easy" else pick(["quad", "quartic", "doublewell"])
        if kind == "quad":
            a, c = pick([0.5, 1, 2, 2.5]), pick([0, 1, 2, -1, 3])
            p = {"poly": [a, -2 * a * c, a * c * c], "template": "quad", "wstar": float(c), "wstar_tex": _g(c)}
            p["w0"] = float(c + pick([-3, -2, 2, 3, 4]))
            p["lr"] = pick([0.1, 0.05, 0.2, 0.25])
        else:
            coeffs, (tex, ws) = TEMPLATES[kind]
            p = {"poly": [float(x) for x in coeffs], "template": kind, "w0": pick([-2.0, -1.5, 1.5, 2.0, 0.5, -0.5]),
                 "lr": pick([0.01, 0.02, 0.05, 0.1])}
            p["wstar"], p["wstar_tex"] = (ws, tex) if p["w0"] > 0 else (-ws, "-" + tex)
        p["steps"] = {"easy": 2, "medium": 2, "hard": 3}[difficulty]
        if difficulty != "easy":
            crit = 2 / poly(p["poly"], p["wstar"], 2)
            fs = rng.choice([0.3, 0.6, 0.8, 1.3, 1.6, 2.5], 3, replace=False)
            p["lrs"] = sorted(set(round(crit * f * 100) / 100 for f in fs))  # numpy's round(x, 2): rint(100x)/100
        return p

    @staticmethod
    def _friendly(p: dict) -> bool:
        w = p["w0"]
        for _ in range(p["steps"]):
            g = poly(p["poly"], w, 1)
            w_next = w - p["lr"] * g
            if not (_exact(g) and _exact(w_next) and abs(w_next) < 20 and g):
                return False
            w = w_next
        verdicts = {diverges(p["poly"], p["w0"], x) for x in p.get("lrs", [])}
        return not p.get("lrs") or verdicts == {True, False} and all(x > 0 for x in p["lrs"])

    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        coeffs = [float(c) for c in v["poly"]]
        while len(coeffs) > 1 and coeffs[0] == 0:
            coeffs = coeffs[1:]
        if len(coeffs) < 3:
            raise QuizgenError("poly: f must have degree 2 or more, like [1, 0, -3, 0, 2] for w⁴ − 3w² + 2")
        p = {"poly": coeffs, "w0": v["w0"], "lr": v["lr"], "steps": v["steps"]}
        ws = v["wstar"] if v["wstar"] is not None else nearest_minimum(coeffs, v["w0"])
        if ws is None or poly(coeffs, ws, 2) <= 0:
            raise QuizgenError("f has no minimum with f''(w*) > 0 here; give --set wstar= at a minimum")
        p["wstar"], p["wstar_tex"] = float(ws), _g(ws)
        if v["lrs"]:
            p["lrs"] = sorted(v["lrs"])
        w = p["w0"]
        for _ in range(p["steps"]):
            w -= p["lr"] * poly(coeffs, w, 1)
            if not abs(w) < 1e9:
                raise QuizgenError("w blows up within these steps; use a smaller learning rate or fewer steps")
        return p

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        c, lr, w, off = params["poly"], params["lr"], params["w0"], False
        for k in range(1, params["steps"] + 1):
            g = exact = poly(c, w, 1)
            yield Work(t(f"$f'(w_{{{k - 1}}}) = f'({_g(w)}) = {_g(g)}$"))
            g = yield Value("real", t(f"$f'(w_{{{k - 1}}})$, the derivative at step {k}", f"第 {k} 步的导数 $f'(w_{{{k - 1}}})$"),
                            g, decimals=DECIMALS, step=k, column="f'", wrong=self._wrong_derivative(c, w, g))
            g, off = self._continue(g, exact, off)
            w_new = exact = w - lr * g
            yield Work(t(f"$w_{{{k}}} = {_g(w)} - {_g(lr)} \\cdot {_p(g)} = {_g(w_new)}$"))
            w = yield Value("real", t(f"$w_{{{k}}}$ after step {k}", f"第 {k} 步之后的 $w_{{{k}}}$"), w_new,
                            decimals=DECIMALS, step=k, column="w",
                            wrong=(Wrong(w + lr * g, "ascent", t("You stepped up the slope: GD subtracts η f'(w).",
                                                                   "你沿斜率上升了：梯度下降要减去 η f'(w)。")),
                                   Wrong(w - g, "no_lr", t("You left out η: the step is η f'(w).", "你漏了 η：步长是 η f'(w)。"))))
            w, off = self._continue(w, exact, off)
        ws = params["wstar"]
        curv = poly(c, ws, 2)
        yield Work(t(f"Near $w_{{\\min}} = {params['wstar_tex']}$: $w_t - w_{{\\min}} \\approx (1 - \\eta f''(w_{{\\min}}))(w_{{t-1}} - w_{{\\min}})$ with "
                     f"$f''(w_{{\\min}}) = {_g(curv)}$; the distance shrinks only if $|1 - \\eta f''(w_{{\\min}})| < 1$, i.e. "
                     f"$\\eta < 2/f''(w_{{\\min}}) = {_g(2 / curv)}$. A larger η overshoots the minimum by more than it was away.",
                     f"在 $w_{{\\min}} = {params['wstar_tex']}$ 附近：$w_t - w_{{\\min}} \\approx (1 - \\eta f''(w_{{\\min}}))(w_{{t-1}} - w_{{\\min}})$，"
                     f"$f''(w_{{\\min}}) = {_g(curv)}$；只有 $|1 - \\eta f''(w_{{\\min}})| < 1$，即 $\\eta < 2/f''(w_{{\\min}}) = {_g(2 / curv)}$ 时距离才会缩小。"
                     "η 更大时每一步越过极小点的距离比原来还远。"))
        yield Value("real", t(f"$f''(w_{{\\min}})$ at the minimum $w_{{\\min}} = {params['wstar_tex']}$", f"极小点 $w_{{\\min}} = {params['wstar_tex']}$ 处的 $f''(w_{{\\min}})$"),
                    curv, decimals=DECIMALS, trace=False)
        yield Value("real", t("the largest learning rate for which GD settles at $w_{\\min}$ (the bound on η)",
                              "梯度下降能收敛到 $w_{\\min}$ 的最大学习率（η 的上界）"), 2 / curv, decimals=DECIMALS, trace=False,
                    wrong=(Wrong(1 / curv, "no_two", t("The condition is |1 − η f''| < 1, so η < 2/f'', not 1/f''.",
                                                       "条件是 |1 − η f''| < 1，所以 η < 2/f''，而不是 1/f''。")),))
        if params.get("lrs"):
            verdict = [diverges(c, params["w0"], x) for x in params["lrs"]]
            from quizgen.model import part_id

            yield Work(t(f"Running {PROBE_STEPS} steps from $w_0$: " + ", ".join(
                f"η = {_g(x)} {'diverges' if d else 'settles'}" for x, d in zip(params["lrs"], verdict)) + ".",
                f"从 $w_0$ 出发运行 {PROBE_STEPS} 步：" + "，".join(
                f"η = {_g(x)} {'发散' if d else '收敛'}" for x, d in zip(params["lrs"], verdict)) + "。"))
            yield Value("choice", t("Which of these learning rates make GD diverge from $w_0$? (select all that apply)",
                                    "以下哪些学习率会使梯度下降从 $w_0$ 出发后发散？（多选）"),
                        [part_id(i) for i, d in enumerate(verdict) if d],
                        choices=tuple(t(f"η = {_g(x)}") for x in params["lrs"]), trace=False)

    @staticmethod
    def _continue(value: float, exact: float, off: bool) -> tuple[float, bool]:
        """Once a student's value has left the key's path, later steps start from values rounded to
        the stated decimals, so a carried-forward value does not depend on digits nobody wrote."""
        off = off or value != exact
        return (round(value, DECIMALS) if off else value), off

    @staticmethod
    def _wrong_derivative(c: list[float], w: float, g: float) -> tuple[Wrong, ...]:
        n = len(c) - 1
        no_power = sum(ci * w ** (n - i - 1) for i, ci in enumerate(c[:-1]))  # c·w^(n−1): the n not brought down
        return (Wrong(no_power, "power_rule", t("Power rule: the derivative of $c w^n$ is $n c w^{n-1}$.",
                                                 "幂函数求导：$c w^n$ 的导数是 $n c w^{n-1}$。")),
                Wrong(-g, "sign", t("Check the signs of the terms of f'.", "检查 f' 各项的符号。")))

    def resume(self, params: dict, part_id_: str, value):
        from quizgen.model import part_id

        ids = [part_id(i) for i in range(2 * params["steps"])]
        index = ids.index(part_id_) if part_id_ in ids else None
        if index is None or index % 2 == 0 or index == len(ids) - 1:
            return None
        k = index // 2 + 1
        new = {**params, "w0": value, "steps": params["steps"] - k}
        new.pop("lrs", None)
        later = range(2 * k, 2 * params["steps"])
        return new, {part_id(j): part_id(i) for j, i in enumerate(later)}

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        f, k = poly_tex(params["poly"]), params["steps"]
        w0, lr = _g(params["w0"]), _g(params["lr"])
        lrs = ", ".join(_g(x) for x in params.get("lrs", []))
        if lang == "zh":
            lines = [f"用梯度下降 $w_t = w_{{t-1}} - \\eta f'(w_{{t-1}})$ 最小化 $f(w) = {f}$，从 $w_0 = {w0}$ 出发，$\\eta = {lr}$。",
                     f"给出 {k} 步中每一步的 $f'(w_{{t-1}})$ 与 $w_t$。然后在极小点 $w_{{\\min}} = {params['wstar_tex']}$ 处求 $f''(w_{{\\min}})$，"
                     "以及能收敛到 $w_{\\min}$ 的最大学习率。"]
            if lrs:
                lines.append(f"从同一个 $w_0$ 出发，学习率 {lrs} 中哪些会发散？")
        else:
            lines = [f"Minimise $f(w) = {f}$ by gradient descent $w_t = w_{{t-1}} - \\eta f'(w_{{t-1}})$ from $w_0 = {w0}$ "
                     f"with $\\eta = {lr}$.",
                     f"Give $f'(w_{{t-1}})$ and $w_t$ at each of {k} step{'s' if k > 1 else ''}. Then, at the minimum "
                     f"$w_{{\\min}} = {params['wstar_tex']}$, give $f''(w_{{\\min}})$ and the largest learning rate for which GD settles there."]
            if lrs:
                lines.append(f"From the same $w_0$, which of the learning rates {lrs} diverge?")
        return "\n".join(lines)
