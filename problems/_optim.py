"""Shared math of the optimizer families: objectives, one optimizer step as a chain of named
quantities, decimals per part.  Everything is element-wise, on plain Python floats (the words and
LaTeX of the rules are in _optim_text.py, the known slips in _optim_mistakes.py).

    objective   grads: g_t given  |  quad: f(w) = Σ aᵢ(wᵢ − cᵢ)², ∇f = 2a ⊙ (w − c)
                data: ŷ = w·x + b, L = (1/n) Σ (ŷ − y)² (or ½ of it), ∇L = (2/n) Σ rₙ [xₙ, 1]
    decay       coupled (L2):  g = ∇f(w) + λw      decoupled:  w ← w − ηλw − (the step from g)
    SGD                w ← w − ηg
    momentum pytorch   b = μb + (1−τ)g  (b₁ = g₁),    w ← w − ηb
             keras     v = μv − ηg,                   w ← w + v
             ema       v = βv + (1−β)g,               w ← w − ηv
    nesterov pytorch   b as above (τ = 0),            w ← w − η(g + μb)
             keras     v = μv − ηg,                   w ← w + μv − ηg
             lookahead w̃ = w + μv, g = ∇f(w̃), v = μv − ηg,   w ← w + v
    AdaGrad            s = s + g²  (s₀ = init),       w ← w − ηg / D(s)
    RMSProp            s = ρs + (1−ρ)g²,              w ← w − ηg / D(s)
    Adam               m = β₁m + (1−β₁)g,  v = β₂v + (1−β₂)g²,  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)
                       w ← w − η m̂ / D(v̂)            (t counted from 1)
    ε placement        D(s) = √s + ε (outside, PyTorch)  |  √(s + ε) (inside: Keras RMSprop and
                       Adagrad, D2L, Goodfellow's RMSProp)  |  hat (Keras Adam):
                       α_t = η√(1−β₂ᵗ)/(1−β₁ᵗ),  w ← w − α_t m / (√v + ε̂)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from quizgen.registry import per_params


OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
FORMS = {"momentum": ("pytorch", "keras", "ema"), "nesterov": ("pytorch", "keras", "lookahead")}
ADAPTIVE = ("adagrad", "rmsprop", "adam", "adamw")
DEFAULT_EPS = {"adagrad": 1e-10, "rmsprop": 1e-8, "adam": 1e-8, "adamw": 1e-8}  # PyTorch's
NAMES = {"sgd": "SGD", "momentum": "SGD with momentum", "nesterov": "Nesterov momentum",
         "adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam", "adamw": "AdamW"}
NAMES_ZH = {"sgd": "SGD", "momentum": "带动量的 SGD", "nesterov": "Nesterov 动量", "adagrad": "AdaGrad",
            "rmsprop": "RMSProp", "adam": "Adam", "adamw": "AdamW"}


class CachedSolve:
    """Mixin for a plain Family whose `mistakes` needs the parts: `solve` computes once per params
    (the subclass writes `_solve`; build_problem asks for solve, then mistakes)."""

    @per_params
    def solve(self, params: dict):
        return self._solve(params)


# ---------------------------------------------------------------- numbers and vectors

def num(x: float, decimals: int = 4) -> str:
    """A number as written in statements and worked lines (at most `decimals` decimals)."""
    s = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def vec(v: list[float], decimals: int = 4) -> str:
    return num(v[0], decimals) if len(v) == 1 else "[" + ", ".join(num(x, decimals) for x in v) + "]"


def decimals(params: dict, name: str, value: list[float], t_: int, base: int = 4) -> int:
    """Decimals asked for a part, so that rounding it never moves a later answer past its tolerance:
    quantities under a root (s, v, v̂, α) to 5 significant digits; m to `base` more digits than
    m̂ = m/(1−β₁ᵗ) needs (the division multiplies its rounding by up to 1/(1−β₁))."""
    relative = name in ("s", "vhat", "alpha") or name == "v" and params["optimizer"] in ("adam", "adamw")
    if relative:
        small = min((abs(x) for x in value if x), default=1.0)
        return max(base, min(10, base - math.floor(math.log10(small))))
    if name == "m" and params.get("eps_at") != "hat":
        return base + max(0, math.ceil(math.log10(1 / (1 - params["beta1"] ** t_)) - 1e-9))
    return base


def vmap(f: Callable[..., float], *vs: list[float]) -> list[float]:
    return [f(*xs) for xs in zip(*vs)]


def root(x: float) -> float:
    if x < 0:
        raise ValueError("square root of a negative number")
    return math.sqrt(x)


def denominator(s: float, eps: float, at: str) -> float:
    return root(s + eps) if at == "inside" else root(s) + eps


# ---------------------------------------------------------------- objectives

def objective(params: dict) -> str:
    return "grads" if "grads" in params else "quad" if "quad" in params else "data"


def raw_gradient(params: dict, w: list[float], k: int, factor: float = 1.0) -> list[float]:
    """∇f at w for step k (1-based) of this problem; `factor` scales the 2 of the derivative
    (the known slips: 1/2 of it, or the sum instead of the mean)."""
    kind = objective(params)
    if kind == "grads":
        return list(params["grads"][k - 1])
    if kind == "quad":
        c = params.get("center") or [0.0] * len(w)
        return vmap(lambda a, x, ci: 2 * factor * a * (x - ci), params["quad"], w, c)
    points = params["data"]
    n, scale = len(points), (1.0 if params.get("loss") == "half" else 2.0) * factor
    r = [w[0] * x + w[1] - y for x, y in points]
    return [scale / n * sum(ri * x for ri, (x, _) in zip(r, points)), scale / n * sum(r)]


def coupled(params: dict) -> bool:
    return params.get("weight_decay", 0) > 0 and decay_kind(params) == "coupled"


def decay_kind(params: dict) -> str:
    return "decoupled" if params["optimizer"] == "adamw" else params.get("decay", "coupled")


def gradient(params: dict, w: list[float], k: int) -> list[float]:
    g = raw_gradient(params, w, k)
    if coupled(params):
        g = vmap(lambda gi, x: gi + params["weight_decay"] * x, g, w)
    return g


def has_gradient_part(params: dict) -> bool:
    """The gradient is asked for when it takes work: an objective to differentiate, or L2 decay."""
    return objective(params) != "grads" or coupled(params)


# ---------------------------------------------------------------- one step as a chain

@dataclass(frozen=True)
class Quantity:
    """One accumulator of a step: its name (also its table column), LaTeX symbol, words, rule."""

    name: str
    symbol: str
    en: str
    zh: str
    rule: Callable[[dict, dict], list[float]]   # (params, env) -> value
    tex: Callable[[dict, int], str]            # (params, t) -> the rule with numbers, LaTeX
    state: bool = True                          # carried into the next step
    scalar: bool = False


def _hp(params: dict, name: str) -> float:
    return params[name]


def _buffer(p: dict, e: dict) -> list[float]:
    if e.get("b0") is None:                     # PyTorch: the first step's buffer is g itself
        return list(e["g"])
    return vmap(lambda b, g: p["momentum"] * b + (1 - p.get("dampening", 0.0)) * g, e["b0"], e["g"])


def _bias_t(p: dict, t_: int) -> int:
    return t_ - 1 if p.get("_bias") == "from0" else t_


def _hat(p: dict, e: dict, key: str, beta: str) -> list[float]:
    if p.get("_bias") == "none":
        return list(e[key])
    c = 1 - p[beta] ** _bias_t(p, e["t"])
    return [x / c for x in e[key]]


def _alpha(p: dict, e: dict) -> list[float]:
    tt = _bias_t(p, e["t"])
    return [p["lr"] * root(1 - p["beta2"] ** tt) / (1 - p["beta1"] ** tt)]


def _damped(p: dict, t_: int) -> str:
    coef = f"{num(1 - p['dampening'])}\\," if p.get("dampening") else ""
    return f"{coef}g_{{{t_}}}"


def _mom(p: dict) -> str:
    return num(p["momentum"])


def chain(params: dict) -> tuple[Quantity, ...]:
    """The accumulators of one step, in the order they are computed."""
    return _chain(params["optimizer"], params.get("form", "pytorch"), params.get("eps_at") == "hat")


@lru_cache(maxsize=None)
def _chain(opt: str, form: str, hat: bool) -> tuple[Quantity, ...]:
    return tuple(_chain_list(opt, form, hat))


def _chain_list(opt: str, form: str, hat: bool) -> list[Quantity]:
    mu = lambda p: _mom(p)  # noqa: E731
    if opt == "sgd":
        return []
    if opt in ("momentum", "nesterov") and form == "pytorch":
        return [Quantity("b", "b", "momentum buffer", "动量缓冲", _buffer,
                         lambda p, t_: f"{mu(p)}\\,b_{{{t_ - 1}}} + {_damped(p, t_)}")]
    if opt in ("momentum", "nesterov") and form in ("keras", "lookahead"):
        return [Quantity("v", "v", "velocity", "速度", lambda p, e: vmap(lambda v, g: p["momentum"] * v - p["lr"] * g, e["v0"], e["g"]),
                         lambda p, t_: f"{mu(p)}\\,v_{{{t_ - 1}}} - {num(p['lr'])}\\,g_{{{t_}}}")]
    if opt == "momentum":  # ema
        return [Quantity("v", "v", "moving average of the gradients", "梯度的滑动平均",
                         lambda p, e: vmap(lambda v, g: p["momentum"] * v + (1 - p["momentum"]) * g, e["v0"], e["g"]),
                         lambda p, t_: f"{mu(p)}\\,v_{{{t_ - 1}}} + {num(1 - p['momentum'])}\\,g_{{{t_}}}")]
    if opt == "adagrad":
        return [Quantity("s", "s", "sum of squared gradients", "梯度平方和",
                         lambda p, e: vmap(lambda s, g: s + g * g, e["s0"], e["g"]),
                         lambda p, t_: f"s_{{{t_ - 1}}} + g_{{{t_}}}^2")]
    if opt == "rmsprop":
        return [Quantity("s", "s", "moving average of squared gradients", "梯度平方的滑动平均",
                         lambda p, e: vmap(lambda s, g: p["rho"] * s + (1 - p["rho"]) * g * g, e["s0"], e["g"]),
                         lambda p, t_: f"{num(p['rho'])}\\,s_{{{t_ - 1}}} + {num(1 - p['rho'])}\\,g_{{{t_}}}^2")]
    first = [Quantity("m", "m", "first moment", "一阶矩",
                      lambda p, e: vmap(lambda m, g: p["beta1"] * m + (1 - p["beta1"]) * g, e["m0"], e["g"]),
                      lambda p, t_: f"{num(p['beta1'])}\\,m_{{{t_ - 1}}} + {num(1 - p['beta1'])}\\,g_{{{t_}}}"),
             Quantity("v", "v", "second moment", "二阶矩",
                      lambda p, e: vmap(lambda v, g: p["beta2"] * v + (1 - p["beta2"]) * g * g, e["v0"], e["g"]),
                      lambda p, t_: f"{num(p['beta2'])}\\,v_{{{t_ - 1}}} + {num(1 - p['beta2'])}\\,g_{{{t_}}}^2")]
    if hat:
        return first + [Quantity("alpha", "\\alpha", "bias-corrected step size", "偏差修正后的步长", _alpha,
                                 lambda p, t_: f"{num(p['lr'])}\\sqrt{{1-{num(p['beta2'])}^{{{t_}}}}}/(1-{num(p['beta1'])}^{{{t_}}})",
                                 state=False, scalar=True)]
    return first + [
        Quantity("mhat", "\\hat{m}", "bias-corrected first moment", "偏差修正后的一阶矩",
                 lambda p, e: _hat(p, e, "m", "beta1"), lambda p, t_: f"m_{{{t_}}}/(1-{num(p['beta1'])}^{{{t_}}})", state=False),
        Quantity("vhat", "\\hat{v}", "bias-corrected second moment", "偏差修正后的二阶矩",
                 lambda p, e: _hat(p, e, "v", "beta2"), lambda p, t_: f"v_{{{t_}}}/(1-{num(p['beta2'])}^{{{t_}}})", state=False)]


def step_change(params: dict, e: dict) -> list[float]:
    """The change the optimizer makes to w from this step's quantities (decay not included)."""
    opt, form, lr = params["optimizer"], params.get("form", "pytorch"), params["lr"]
    if opt == "sgd":
        return [-lr * g for g in e["g"]]
    if opt in ("momentum", "nesterov") and form == "pytorch":
        look = 1.0 if opt == "nesterov" else 0.0
        return vmap(lambda g, b: -lr * (look * g + (params["momentum"] if look else 1.0) * b), e["g"], e["b"])
    if opt == "nesterov" and form == "keras":
        return vmap(lambda v, g: params["momentum"] * v - lr * g, e["v"], e["g"])
    if form in ("keras", "lookahead") and opt in ("momentum", "nesterov"):
        return list(e["v"])
    if opt == "momentum":
        return [-lr * v for v in e["v"]]
    eps, at = params["eps"], params.get("eps_at", "outside")
    if opt in ("adagrad", "rmsprop"):
        return vmap(lambda g, s: -lr * g / denominator(s, eps, at), e["g"], e["s"])
    if at == "hat":
        return vmap(lambda m, v: -e["alpha"][0] * m / (root(v) + eps), e["m"], e["v"])
    return vmap(lambda m, v: -lr * m / denominator(v, eps, at), e["mhat"], e["vhat"])


def new_w(params: dict, e: dict) -> list[float]:
    shrink = 1.0
    if params.get("weight_decay", 0) > 0 and decay_kind(params) == "decoupled":
        shrink = 1 - params["lr"] * params["weight_decay"]
    return vmap(lambda w, dw: shrink * w + dw, e["w"], step_change(params, e))


def run_step(params: dict, state: dict, w: list[float], g: list[float], t_: int) -> dict:
    """Every quantity of step t from the state before it (no student values): for known slips."""
    e = {"w": w, "g": g, "t": t_, **{f"{k}0": v for k, v in state.items()}}
    for q in chain(params):
        e[q.name] = q.rule(params, e)
    e["w_new"] = new_w(params, e)
    return e


def initial_state(params: dict, d: int) -> dict:
    """The accumulators before the first step (or those a resumed problem starts from)."""
    given = params.get("state") or {}
    out = {}
    for q in chain(params):
        if q.state:
            if q.name in given:
                out[q.name] = list(given[q.name])
            elif q.name == "b":
                out[q.name] = None          # PyTorch creates the buffer at the first step
            else:
                out[q.name] = [float(params.get("init", 0.0)) if q.name == "s" else 0.0] * d
    return out


def columns(params: dict) -> list[str]:
    """The parts of one step, in order (the table's columns)."""
    look = ["look"] if params.get("form") == "lookahead" else []
    grad = ["g"] if has_gradient_part(params) else []
    return look + grad + [q.name for q in chain(params)] + ["w"]
