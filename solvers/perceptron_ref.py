"""Perceptron references, written from the textbook rules independently of problems/_perceptron.py.

    augmented form   x̃ = (x₀, x),  w̃ = (b or θ, w),  x₀ = +1 (bias) or −1 (threshold),  net = w̃·x̃
    correction       δ = y if y·net ≤ 0 ("margin", 李航);  δ = y if o ≠ d ("output");
                     δ = d − o ("error", every presentation);          w̃ ← w̃ + η δ x̃
                     (the x₀ component only when the bias is learned)

`sympy_trace`: exact, in SymPy Rationals.  `numpy_traces`: float64, vectorised over a batch of
problems of the same size and conventions (one NumPy op per presentation for the whole batch);
|net| < 1e-9 counts as 0.  Both give the parts of `perceptron.rosenblatt` in its layout:
per presentation net, output, updated, w, (b); then final w, (b), epochs | converged.
"""

from __future__ import annotations

import sympy as sp

from solvers import reference

MAX_EPOCHS = 1000
ZERO = 1e-9


def _layout(rows: list[list], final: list, params: dict) -> dict:
    from quizgen.model import part_id

    flat = [v for row in rows for v in row] + final
    return {part_id(i): v for i, v in enumerate(flat)}


def _py(r):
    r = sp.Rational(r)
    return int(r) if r.q == 1 else float(r)


def sympy_trace(params: dict) -> dict:
    pm, learn = params["labels"] == "pm1", params["learn_bias"]
    x0 = 1 if params["bias"] == "plus" else -1
    xs = [[sp.Integer(x0)] + [sp.Rational(str(v)) for v in x] for x in params["X"]]
    wt = [sp.Rational(str(params["b0"]))] + [sp.Rational(str(v)) for v in params["w0"]]
    eta, at0 = sp.Rational(str(params["eta"])), int(params["at0"])
    rows, epochs, converged = [], 0, False
    while (params["epochs"] == 0 and epochs < MAX_EPOCHS) or epochs < params["epochs"]:
        epochs += 1
        clean = True
        for xt, d in zip(xs, params["y"]):
            net = sum((a * b for a, b in zip(wt, xt)), sp.Integer(0))
            o = 1 if net > 0 else (-1 if pm else 0) if net < 0 else at0
            yy = 1 if d == 1 else -1
            if params["update"] == "error":
                delta = d - o
                updated = delta != 0
            else:
                updated = (yy * net <= 0) if params["mistake"] == "margin" else (o != d)
                delta = yy if updated else 0
            wt = [wt[0] + (eta * delta * xt[0] if learn else 0)] + [a + eta * delta * b for a, b in zip(wt[1:], xt[1:])]
            clean = clean and not updated
            rows.append([_py(net), o, bool(updated), [_py(v) for v in wt[1:]]] + ([_py(wt[0])] if learn else []))
        if clean:
            converged = True
            if params["epochs"] == 0:
                break
    final = [[_py(v) for v in wt[1:]]] + ([_py(wt[0])] if learn else [])
    final.append(converged if params["epochs"] else epochs)
    return _layout(rows, final, params)


def numpy_traces(X, y, eta, w0, b0, conventions: dict, epochs: int):
    """Batched float64 traces: X (B, n, d), y (B, n), eta (B,), w0 (B, d), b0 (B,), a fixed number
    of epochs.  Returns nets, outputs, updated (B, T) and W (B, T, d), bias (B, T), T = epochs·n."""
    import numpy as np

    X, y = np.asarray(X, float), np.asarray(y, float)
    B, n, d = X.shape
    x0 = 1.0 if conventions["bias"] == "plus" else -1.0
    Xt = np.concatenate([np.full((B, n, 1), x0), X], axis=2)
    wt = np.concatenate([np.asarray(b0, float)[:, None], np.asarray(w0, float)], axis=1)
    eta = np.asarray(eta, float)[:, None]
    neg = -1.0 if conventions["labels"] == "pm1" else 0.0
    learn = np.ones(d + 1)
    learn[0] = 1.0 if conventions["learn_bias"] else 0.0
    T = epochs * n
    nets, outs, upds = np.zeros((B, T)), np.zeros((B, T)), np.zeros((B, T), bool)
    W, bias = np.zeros((B, T, d)), np.zeros((B, T))
    for step in range(T):
        xt, d_ = Xt[:, step % n], y[:, step % n]
        net = np.einsum("bi,bi->b", wt, xt)
        net = np.where(np.abs(net) < ZERO, 0.0, net)
        o = np.where(net > 0, 1.0, np.where(net < 0, neg, float(conventions["at0"])))
        yy = np.where(d_ == 1, 1.0, -1.0)
        if conventions["update"] == "error":
            delta = d_ - o
            upd = delta != 0
        else:
            upd = yy * net <= 0 if conventions["mistake"] == "margin" else o != d_
            delta = np.where(upd, yy, 0.0)
        wt = wt + eta * delta[:, None] * xt * learn
        nets[:, step], outs[:, step], upds[:, step] = net, o, upd
        W[:, step], bias[:, step] = wt[:, 1:], wt[:, 0]
    return nets, outs, upds, W, bias


def numpy_trace(params: dict) -> dict:
    """One problem through `numpy_traces`; until convergence, the run is cut after the first
    epoch with no update."""
    n = len(params["X"])
    epochs = params["epochs"] or min(MAX_EPOCHS, 200)
    nets, outs, upds, W, bias = numpy_traces([params["X"]], [params["y"]], [params["eta"]], [params["w0"]],
                                             [params["b0"]], params, epochs)
    clean = [e for e in range(epochs) if not upds[0, e * n:(e + 1) * n].any()]
    run = epochs if params["epochs"] else clean[0] + 1
    learn = params["learn_bias"]
    rows = [[float(nets[0, s]), int(outs[0, s]), bool(upds[0, s]), W[0, s].tolist()]
            + ([float(bias[0, s])] if learn else []) for s in range(run * n)]
    last = run * n - 1
    final = [W[0, last].tolist()] + ([float(bias[0, last])] if learn else [])
    final.append(bool(clean) and clean[0] < epochs if params["epochs"] else run)
    return _layout(rows, final, params)


reference("perceptron.rosenblatt")(sympy_trace)
reference("perceptron.rosenblatt")(numpy_trace)


# ------------------------------------------------------------------ perceptron.logic
GATES = {"AND": lambda a, b: a & b, "OR": lambda a, b: a | b, "NAND": lambda a, b: 1 - (a & b),
         "NOR": lambda a, b: 1 - (a | b), "XOR": lambda a, b: a ^ b, "XNOR": lambda a, b: 1 - (a ^ b)}


def _gate_table(gate: str) -> list[int]:
    if gate == "NOT":
        return [1, 0]
    return [GATES[gate](a, b) for a in (0, 1) for b in (0, 1)]


@reference("perceptron.logic")
def logic_sympy(params: dict) -> dict:
    """The given neuron's outputs in exact arithmetic, its gate by comparing with the Boolean
    functions, and the truth tables the built neurons must have."""
    import itertools

    n = len(params["w"])
    theta = sp.Rational(str(params["theta"])) * (1 if params["form"] == "threshold" else -1)
    outs = []
    for x in itertools.product((0, 1), repeat=n):
        s = sum(sp.Rational(str(w)) * xi for w, xi in zip(params["w"], x))
        outs.append(int(bool(s > theta if params["fire"] == "gt" else s >= theta)))
    names = [g for g in ("AND", "OR", "NAND", "NOR", "NOT") if len(_gate_table(g)) == len(outs)
             and _gate_table(g) == outs]
    out = {"a": outs, "b": names[0] if names else "none", "c": _gate_table(params["gate"])}
    ids = iter("de")
    if params["xor"]:
        out[next(ids)] = chr(97 + params["order"].index(0))  # where the "not linearly separable" option was put
    if params["network"]:
        out[next(ids)] = _gate_table(params["network"])
    return out


# ------------------------------------------------------------------ perceptron.boundary
@reference("perceptron.boundary")
def boundary_sympy(params: dict) -> dict:
    """SymPy geometry: the boundary as a Line (from w, b or through P and Q, oriented by R), its
    slope and x₂-intercept, and each point's side and class."""
    from quizgen.model import part_id

    x1, x2 = sp.symbols("x1 x2")
    R = lambda v: sp.Rational(str(v))  # noqa: E731
    if params["mode"] == "reverse":
        (p, q), r = params["through"], params["positive"]
        a, b, c = sp.Line(sp.Point(R(p[0]), R(p[1])), sp.Point(R(q[0]), R(q[1]))).coefficients
        if a * R(r[0]) + b * R(r[1]) + c < 0:
            a, b, c = -a, -b, -c
        out = {"a": [_py(a), _py(b), _py(c)]}
    else:
        a, b, c = R(params["w"][0]), R(params["w"][1]), R(params["b"])
        rhs = sp.solve(sp.Eq(a * x1 + b * x2 + c, 0), x2)[0]
        out = {"a": rhs, "b": _py(sp.diff(rhs, x1)), "c": _py(rhs.subs(x1, 0))}
    for point in params["points"]:
        u, v = R(point[0]), R(point[1])
        value = a * u + b * v + c
        if params["mode"] == "forward":
            on_line = rhs.subs(x1, u)
            out[part_id(len(out))] = "on" if v == on_line else "above" if v > on_line else "below"
        out[part_id(len(out))] = int(sp.sign(value))
    return out
