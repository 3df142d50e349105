"""Torch float64 references for the autodiff family.

    f, ∂f/∂x_k, ∇f   torch.func.jvp / torch.func.vjp of f built from the parsed tree by its own
                     walker (torch.log, torch.sin, ...), not from the family's trace
    v_i, v̇_i, v̄_i    the trace's operations run as torch ops: jvp gives the tangents, backward
                     with retain_grad the adjoints; a primal value given in place of v_i (a
                     student's slip) is a straight-through override v + (given − v).detach()
    central diff     f(x ± h e_k) in torch; its error against the exact jvp slope of f
"""

from __future__ import annotations

import torch

from problems import _autodiff as A
from quizgen.model import part_id
from solvers import reference

_UNARY = {"ln": torch.log, "log": torch.log, "exp": torch.exp, "sin": torch.sin, "cos": torch.cos,
          "sqrt": torch.sqrt, "tanh": torch.tanh, "sigma": torch.sigmoid, "sigmoid": torch.sigmoid}


def tree_function(tree: tuple):
    """x (a float64 tensor of the inputs) -> f(x), walking the parsed tree."""
    import math

    def go(t: tuple, x):
        tag = t[0]
        if tag == "num":
            return torch.tensor(float(t[1]), dtype=torch.float64)
        if tag == "const":
            return torch.tensor(math.e if t[1] == "e" else math.pi, dtype=torch.float64)
        if tag == "var":
            return x[int(t[1][1:]) - 1]
        if tag == "neg":
            return -go(t[1], x)
        if tag == "add":
            out = 0
            for sign, s in t[1]:
                out = out + go(s, x) if sign > 0 else out - go(s, x)
            return out
        if tag == "mul":
            out = 1
            for divide, s in t[1]:
                out = out / go(s, x) if divide else out * go(s, x)
            return out
        if tag == "pow":
            return torch.pow(go(t[1], x), go(t[2], x))
        return _UNARY[t[1]](go(t[2], x))

    return lambda x: go(tree, x)


_OPS = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow, "powv": torch.pow,
        "neg": torch.neg, "ln": torch.log, "exp": torch.exp, "sin": torch.sin, "cos": torch.cos, "sqrt": torch.sqrt,
        "tanh": torch.tanh, "sigma": torch.sigmoid}


def trace_function(g: A.Graph, given: dict):
    """x -> the stacked intermediates v_1..v_k, with given primal values overriding straight-through."""
    def run(x):
        vals = list(x.unbind())
        for i, op in enumerate(g.ops):
            args = [vals[j] if kind == "v" else torch.tensor(j, dtype=torch.float64) for kind, j in op.args]
            v = _OPS[op.op](*args)
            if str(i) in given:
                v = v + (torch.tensor(float(given[str(i)]), dtype=torch.float64) - v).detach()
            vals.append(v)
        return vals
    return run


def cheaper(n: int, m: int) -> list[str]:
    """The options (a forward, b reverse) with the fewest sweeps: n forward or m reverse."""
    sweeps = {"a": n, "b": m}
    return [mode for mode, count in sweeps.items() if count == min(sweeps.values())]


@reference("autodiff.modes")
def modes(params: dict) -> dict:
    g = A.graph(params["f"])
    n, k, wrt, h = g.n, len(g.ops), params["wrt"] - 1, float(params["h"])
    given = params.get("given", {})
    x = torch.tensor([float(v) for v in params["at"]], dtype=torch.float64)
    seed = torch.zeros(n, dtype=torch.float64)
    seed[wrt] = 1
    run = trace_function(g, given)
    primal, tangents = torch.func.jvp(lambda x: torch.stack(run(x)[n:]), (x,), (seed,))
    leaf = x.clone().requires_grad_(True)
    vals = run(leaf)
    for v in vals[n:]:
        v.retain_grad()
    vals[-1].backward()
    adjoints = {j: (vals[j].grad.item() if vals[j].grad is not None else 0.0) for j in range(n, n + k - 1)}
    adjoints.update({j: leaf.grad[j].item() for j in range(n)})
    f = tree_function(g.tree)
    value, slope = torch.func.jvp(f, (x,), (seed,))
    if not given:  # the trace computes f, and its derivatives are f's own
        _, pullback = torch.func.vjp(f, x)
        gradient = pullback(torch.tensor(1.0, dtype=torch.float64))[0]
        assert torch.allclose(value, primal[-1]) and torch.allclose(slope, tangents[-1])
        assert all(abs(gradient[j].item() - adjoints[j]) < 1e-9 * max(1, abs(adjoints[j])) for j in range(n))
    estimate = ((f(x + h * seed) - f(x - h * seed)) / (2 * h)).item()
    answers = [*primal.tolist(), *tangents.tolist(), *(adjoints[j] for j in [*range(n + k - 2, n - 1, -1), *range(n)]),
               estimate, abs(estimate - slope.item()),
               cheaper(params["inputs"], params["outputs"])]
    return {part_id(i): a for i, a in enumerate(answers)}
