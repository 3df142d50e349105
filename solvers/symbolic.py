"""SymPy references: the size and count formulas in exact arithmetic.

    H_out = floor((H + 2P - D(K-1) - 1) / S) + 1        (sympy.floor of a Rational)
    conv params = C_out (C_in K^2 + [bias]),  fc params = N_out (N_in + [bias])

written here from the formulas, independently of quizgen/layers.py.
"""

from __future__ import annotations

import sympy as sp

from solvers import reference

H, P, D, K, S = sp.symbols("H P D K S", integer=True)
SIZE = sp.floor((H + 2 * P - D * (K - 1) - 1) / S) + 1
C_IN, C_OUT, BIAS = sp.symbols("C_in C_out b", integer=True)
CONV_PARAMS = C_OUT * (C_IN * K**2 + BIAS)
FC_PARAMS = C_OUT * (C_IN + BIAS)


def size(h: int, layer: dict) -> int:
    stride = layer.get("s") or layer["k"]
    value = SIZE.subs({H: h, P: layer.get("p", 0), D: layer.get("d", 1), K: layer["k"], S: stride})
    return int(value)


def forward_shape(shape: list[int], layer: dict) -> list[int]:
    kind = layer["type"]
    if kind in ("relu", "sigmoid", "tanh"):
        return shape
    if kind == "flatten":
        return [int(sp.prod(shape))]
    if kind == "fc":
        return [layer["out"]]
    channels = layer["out"] if kind == "conv" else shape[0]
    return [channels, size(shape[1], layer), size(shape[2], layer)]


def count(shape: list[int], layer: dict) -> int:
    bias = 1 if layer.get("bias") else 0
    if layer["type"] == "conv":
        return int(CONV_PARAMS.subs({C_OUT: layer["out"], C_IN: shape[0], K: layer["k"], BIAS: bias}))
    if layer["type"] == "fc":
        return int(FC_PARAMS.subs({C_OUT: layer["out"], C_IN: shape[0], BIAS: bias}))
    return 0


@reference("cnn.shape")
def cnn_shape(params: dict) -> dict:
    from quizgen.model import part_id

    shape, out = params["input"], {}
    for i, layer in enumerate(params["layers"]):
        shape = forward_shape(shape, layer)
        out[part_id(i)] = shape
    return out


@reference("cnn.params")
def cnn_params(params: dict) -> dict:
    return {"a": count(params["in"], params["layer"])}


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
