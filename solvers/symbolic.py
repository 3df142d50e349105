"""SymPy references: the size and count formulas in exact arithmetic.

    H_out = floor((H + 2P - D(K-1) - 1) / S) + 1        (sympy.floor of a Rational)
    conv params = C_out (C_in k_h k_w + [bias]),  fc params = N_out (N_in + [bias])
    unseen rows = (H + 2P - D(K-1) - 1) mod S      (sympy.Mod; per axis for kh×kw, sh×sw, ph×pw)

written here from the formulas, independently of quizgen/layers.py.
"""

from __future__ import annotations

import sympy as sp

from solvers import reference

H, P, D, K, S = sp.symbols("H P D K S", integer=True)
SIZE = sp.floor((H + 2 * P - D * (K - 1) - 1) / S) + 1
C_IN, C_OUT, BIAS = sp.symbols("C_in C_out b", integer=True)
KH, KW = sp.symbols("k_h k_w", integer=True)
CONV_PARAMS = C_OUT * (C_IN * KH * KW + BIAS)
FC_PARAMS = C_OUT * (C_IN + BIAS)


def along(v, axis: int) -> int:
    """The height (axis 0) or width (axis 1) value of an int or an [h, w] pair."""
    return v[axis] if isinstance(v, (list, tuple)) else v


def _subs(h: int, layer: dict, axis: int) -> dict:
    stride = layer.get("s") if layer.get("s") is not None else layer["k"]
    return {H: h, P: along(layer.get("p", 0), axis), D: along(layer.get("d", 1), axis),
            K: along(layer["k"], axis), S: along(stride, axis)}


def size(h: int, layer: dict, axis: int = 0) -> int:
    return int(SIZE.subs(_subs(h, layer, axis)))


def unseen(h: int, layer: dict, axis: int = 0) -> int:
    """Rows of the padded input past the last window: (H + 2P - D(K-1) - 1) mod S."""
    return int(sp.Mod(H + 2 * P - D * (K - 1) - 1, S).subs(_subs(h, layer, axis)))


def forward_shape(shape: list[int], layer: dict) -> list[int]:
    kind = layer["type"]
    if kind in ("relu", "sigmoid", "tanh"):
        return shape
    if kind == "flatten":
        return [int(sp.prod(shape))]
    if kind == "fc":
        return [layer["out"]]
    channels = layer["out"] if kind == "conv" else shape[0]
    return [channels, size(shape[1], layer, 0), size(shape[2], layer, 1)]


def count(shape: list[int], layer: dict) -> int:
    bias = 1 if layer.get("bias") else 0
    if layer["type"] == "conv":
        kh, kw = along(layer["k"], 0), along(layer["k"], 1)
        return int(CONV_PARAMS.subs({C_OUT: layer["out"], C_IN: shape[0], KH: kh, KW: kw, BIAS: bias}))
    if layer["type"] == "fc":
        return int(FC_PARAMS.subs({C_OUT: layer["out"], C_IN: shape[0], BIAS: bias}))
    return 0


@reference("cnn.shape")
def cnn_shape(params: dict) -> dict:
    from quizgen.model import part_id

    shape, out = params["input"], {}
    shapes = [shape]
    for i, layer in enumerate(params["layers"]):
        shape = forward_shape(shape, layer)
        out[part_id(i)] = shape
        shapes.append(shape)
    j = params.get("check")
    if j is not None:
        rows = unseen(shapes[j][1], params["layers"][j], 0)
        cols = unseen(shapes[j][2], params["layers"][j], 1)
        n = len(params["layers"])
        out[part_id(n)], out[part_id(n + 1)] = rows == 0 and cols == 0, [rows, cols]
    return out


@reference("cnn.params")
def cnn_params(params: dict) -> dict:
    answers = {"a": count(params["in"], params["layer"])}
    if params.get("unshared") and params["layer"]["type"] == "conv":
        _, ho, wo = forward_shape(params["in"], params["layer"])
        answers["b"] = int(sp.Integer(ho) * wo * answers["a"])  # each output position its own kernels and biases
    return answers


@reference("cnn.network")
def cnn_network(params: dict) -> dict:
    from quizgen.model import part_id

    shape, rows = params["input"], []
    for layer in params["layers"]:
        if layer["type"] not in ("flatten", "relu", "sigmoid", "tanh"):
            rows.append(count(shape, layer))
        shape = forward_shape(shape, layer)
    out = {part_id(i): c for i, c in enumerate(rows)}
    out[part_id(len(rows))] = sum(rows)
    return out


@reference("cnn.flatten")
def cnn_flatten(params: dict) -> dict:
    shape = params["input"]
    for layer in params["layers"]:
        shape = forward_shape(shape, layer)
    return {"a": shape, "b": int(sp.prod(shape))}
