"""SymPy references for the basics topic: exact derivatives of the templates (never of user text).

    basics.chain_rule   the template's expression f(g(v)) built in SymPy; u = g(v₀), du/dv and
                        df/dv by sympy.diff at the point, f′(u) by differentiating the outer function
"""

from __future__ import annotations

import sympy as sp

from solvers import reference

X, W, B, U = sp.symbols("x w b u")
SIG = lambda e: 1 / (1 + sp.exp(-e))  # noqa: E731
TEMPLATES = {  # name: (variable, inner g, outer f(u))
    "sigmoid": (X, W * X + B, SIG(U)),
    "squared_sigmoid": (W, SIG(W * X) + B, U ** 2),
    "tanh_square": (X, X ** 2 + B, sp.tanh(U)),
    "softplus": (W, W * X + B, sp.log(1 + sp.exp(U))),
    "squared_linear": (W, W * X + B, U ** 2),
}


@reference("basics.chain_rule")
def chain_rule(p: dict) -> dict:
    var, inner, outer = TEMPLATES[p["template"]]
    at = {X: sp.nsimplify(p["x"]), W: sp.nsimplify(p["w"]), B: sp.nsimplify(p["b"])}
    u = inner.subs(at)
    whole = outer.subs(U, inner)
    value = lambda e: float(sp.N(e.subs(at), 30))  # noqa: E731
    return {"a": float(sp.N(u, 30)), "b": value(sp.diff(inner, var)), "c": float(sp.N(sp.diff(outer, U).subs(U, u), 30)),
            "d": value(sp.diff(whole, var))}
