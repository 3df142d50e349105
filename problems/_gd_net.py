"""Full-batch gradient descent on a one-hidden-layer network, in plain Python floats.

    forward   z = W₁x + b₁,  h = φ(z)  (φ = logistic sigmoid or tanh),  y = w₂·h + b₂
    loss      E = 1/(2n) Σₙ (yₙ − tₙ)²            (one half of the mean squared error)
    backward  δₙ = (yₙ − tₙ)/n,  ∂E/∂w₂ = Σ δₙ hₙ,  ∂E/∂b₂ = Σ δₙ
              εₙ = δₙ w₂ ⊙ φ'(zₙ),  ∂E/∂W₁ = Σ εₙ xₙᵀ,  ∂E/∂b₁ = Σ εₙ
              (σ' = σ(1 − σ) with σ(z) = (1 + tanh(z/2))/2,  tanh' = 1 − tanh²)
    update    θ ← θ − η ∂E/∂θ     for every weight at once (full batch, old weights)

Every sum adds its terms in point order, from 0, so a run is reproducible to the last bit.
Runs are cached by key(params): generate, solve and the mistakes of a problem share them.
The numbers of training.predict (problems/training_predict.py).
"""

from __future__ import annotations

import math
from functools import lru_cache
from operator import mul

NAMES = ("w2", "b2", "W1", "b1")


def forward_backward(params: dict, w: dict, backward: bool = True) -> tuple[tuple, dict | None]:
    """((h per point, y per point, E), ∂E/∂θ) for weights w = {W1, b1, w2, b2}: the forward
    pass and the chain rule above in one pass over the points (each sum in point order).
    With backward=False the forward values only (∂E/∂θ None)."""
    rows, w2, b2 = list(zip(w["W1"], w["b1"])), w["w2"], w["b2"]
    tanh = params["act"] == "tanh"
    n, hidden = len(params["x"]), len(w2)
    hs, ys = [], []
    g_w2, g_b1 = [0.0] * hidden, [0.0] * hidden
    g_w1 = [[0.0] * len(params["x"][0]) for _ in range(hidden)]
    g_b2 = 0.0
    for x, tv in zip(params["x"], params["t"]):
        zs = [sum(map(mul, row, x)) + b for row, b in rows]  # sum(...) adds in order, from 0
        h = [math.tanh(z) for z in zs] if tanh else [0.5 * (1.0 + math.tanh(0.5 * z)) for z in zs]
        y = sum(map(mul, w2, h)) + b2
        hs.append(h)
        ys.append(y)
        if not backward:
            continue
        delta = (y - tv) / n
        g_b2 += delta
        for j in range(hidden):
            hj = h[j]
            g_w2[j] += delta * hj
            eps = delta * w2[j] * (1 - hj * hj if tanh else hj * (1 - hj))
            g_b1[j] += eps
            row = g_w1[j]
            for i, xi in enumerate(x):
                row[i] += eps * xi
    e = 0.5 * sum((y - tv) ** 2 for y, tv in zip(ys, params["t"])) / n
    return (hs, ys, e), {"w2": g_w2, "b2": g_b2, "W1": g_w1, "b1": g_b1} if backward else None


def step(w: dict, g: dict, lr: float) -> dict:
    """θ − η g for every parameter (lr < 0 steps up the gradient)."""
    return {"w2": [a - lr * b for a, b in zip(w["w2"], g["w2"])], "b2": w["b2"] - lr * g["b2"],
            "W1": [[a - lr * b for a, b in zip(ra, rb)] for ra, rb in zip(w["W1"], g["W1"])],
            "b1": [a - lr * b for a, b in zip(w["b1"], g["b1"])]}


def losses(params: dict, lr: float, steps: int) -> tuple[float, ...]:
    """E before training and after each of `steps` GD steps (cached, with the run's weights and
    passes: generate, solve and the mistakes share them)."""
    return tuple(ahead[2] for _, ahead, _ in descent(params, lr, steps))


def key(params: dict) -> tuple:
    """The params a loss curve depends on, hashable: (act, x, t, w2, b2, W1, b1)."""
    return (params["act"], tuple(map(tuple, params["x"])), tuple(params["t"]), tuple(params["w2"]), params["b2"],
            tuple(map(tuple, params["W1"])), tuple(params["b1"]))


@lru_cache(maxsize=256)
def _start(key_: tuple) -> tuple[dict, dict, tuple, dict]:
    """(params, initial weights, their forward values, their gradients): shared by every loss
    curve of one problem (the main one and the probes start from the same weights)."""
    act, x, target, w2, b2, w1, b1 = key_
    params = {"act": act, "x": [list(r) for r in x], "t": list(target)}
    w = {"w2": list(w2), "b2": b2, "W1": [list(r) for r in w1], "b1": list(b1)}
    return (params, w, *forward_backward(params, w))


@lru_cache(maxsize=4096)
def curve(key_: tuple, lr: float, steps: int) -> tuple[float, ...]:
    """E before training and after each of `steps` GD steps, for the params of key(params) (cached)."""
    if len(key_[1][0]) == 2 and len(key_[3]) == 2:  # 2 inputs, 2 hidden units (the probe curves)
        try:
            return _curve_2x2(key_, lr, steps)
        except OverflowError:
            pass  # the general loop records where it overflowed
    return _run(key_, lr, steps, False)


def descent(params: dict, lr: float, steps: int) -> tuple[tuple[dict, tuple, dict], ...]:
    """(weights, their forward values (h, y, E), their gradients) before training and after each
    step (cached: the trace follows the key's own run without recomputing it)."""
    return _descent(key(params), lr, steps)


@lru_cache(maxsize=8)  # small: a run holds many objects, and kept ones slow the garbage collector
def _descent(key_: tuple, lr: float, steps: int) -> tuple[tuple[dict, tuple, dict], ...]:
    return _run(key_, lr, steps, True)


def _run(key_: tuple, lr: float, steps: int, keep: bool) -> tuple:
    """E before training and after each step; with `keep`, (weights, their forward values, their
    gradients) in place of each E.  After an overflow the weights are NaN and E is inf."""
    params, w, ahead, g = _start(key_)  # never mutated: step() makes new weights
    out = [(w, ahead, g) if keep else ahead[2]]
    for i in range(steps):
        try:
            w = step(w, g, lr)
            ahead, g = forward_backward(params, w, keep or i < steps - 1)  # no step follows the last
        except OverflowError:
            w = {k: _nan_like(w[k]) for k in NAMES}
            ahead = (None, None, math.inf)
        out.append((w, ahead, g) if keep else ahead[2])
    return tuple(out)


def _nan_like(v):
    return [_nan_like(x) for x in v] if isinstance(v, list) else math.nan


def _curve_2x2(key_: tuple, lr: float, steps: int) -> tuple[float, ...]:
    """curve() for 2 inputs and 2 hidden units: forward_backward and step written out on scalars,
    every operation in the same order (so the same floats; tests/test_training_predict.py checks
    it against the general loop).  Four times faster: the hard problems' probes run 40 steps."""
    act, xs, target, (v1, v2), b2, ((a11, a12), (a21, a22)), (c1, c2) = key_
    tanh, n = act == "tanh", len(xs)
    points = [(x1, x2, t) for (x1, x2), t in zip(xs, target)]
    out = []
    for k in range(steps + 1):
        g11 = g12 = g21 = g22 = gc1 = gc2 = gv1 = gv2 = gb2 = 0.0
        squares = 0
        for x1, x2, t in points:
            z1, z2 = 0 + a11 * x1 + a12 * x2 + c1, 0 + a21 * x1 + a22 * x2 + c2  # sum() adds from 0
            if tanh:
                h1, h2 = math.tanh(z1), math.tanh(z2)
            else:
                h1, h2 = 0.5 * (1.0 + math.tanh(0.5 * z1)), 0.5 * (1.0 + math.tanh(0.5 * z2))
            r = 0 + v1 * h1 + v2 * h2 + b2 - t
            squares += r ** 2
            d = r / n
            gb2 += d
            gv1 += d * h1
            gv2 += d * h2
            e1 = d * v1 * (1 - h1 * h1 if tanh else h1 * (1 - h1))
            e2 = d * v2 * (1 - h2 * h2 if tanh else h2 * (1 - h2))
            gc1, g11, g12 = gc1 + e1, g11 + e1 * x1, g12 + e1 * x2
            gc2, g21, g22 = gc2 + e2, g21 + e2 * x1, g22 + e2 * x2
        out.append(0.5 * squares / n)
        if k < steps:
            v1, v2, b2 = v1 - lr * gv1, v2 - lr * gv2, b2 - lr * gb2
            a11, a12, a21, a22 = a11 - lr * g11, a12 - lr * g12, a21 - lr * g21, a22 - lr * g22
            c1, c2 = c1 - lr * gc1, c2 - lr * gc2
    return tuple(out)
