"""The `quizgen solve backprop.mlp --set ...` parameters: a student's own network, validated.

    weights    W1, W2[, W3] as matrices in the chosen layout (W[out][in] or W[in][out]),
               or w = [w1, w2, ...] named weights (numbered by receiving or sending unit)
    biases     b1, b2[, b3]: one number per unit, one number shared by the layer, or omitted
               (no bias)
    options    hidden, output, loss, eta, biases (updated or not), updates (simultaneous or
               sequential), layout, naming, numbering, steps, decimals

Params are stored with W[out][in] matrices whatever the layout; a wrong-shaped matrix is a
one-line error naming the shape expected.
"""

from __future__ import annotations

from problems import _backprop as B
from quizgen import params as P
from quizgen.errors import QuizgenError

MAX_UNITS = 6

PARAMS = (
    P.vector("x", "the input", (1, MAX_UNITS), -100, 100, "[0.05, 0.1]"),
    P.vector("y", "the target", (1, MAX_UNITS), -100, 100, "[0.01, 0.99]"),
    P.matrix("W1", "weights of layer 1 in the chosen layout", (1, MAX_UNITS), (1, MAX_UNITS), -100, 100,
             "[[0.15, 0.2], [0.25, 0.3]]", default=None),
    P.vector("b1", "biases of layer 1 (one number: shared by the layer; omitted: no bias)", (1, MAX_UNITS),
             -100, 100, "0.35", default=None),
    P.matrix("W2", "weights of layer 2", (1, MAX_UNITS), (1, MAX_UNITS), -100, 100, "[[0.4, 0.45], [0.5, 0.55]]",
             default=None),
    P.vector("b2", "biases of layer 2", (1, MAX_UNITS), -100, 100, "0.6", default=None),
    P.matrix("W3", "weights of layer 3 (two hidden layers)", (1, MAX_UNITS), (1, MAX_UNITS), -100, 100,
             "[[0.1, -0.2]]", default=None),
    P.vector("b3", "biases of layer 3", (1, MAX_UNITS), -100, 100, "0", default=None),
    P.vector("w", "named weights w1, w2, ... instead of W1, W2 (see numbering)", (2, 90), -100, 100,
             "[0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]", default=None),
    P.vector("sizes", "layer sizes with w, like [2, 2, 2] (needed for two hidden layers)", (3, 4), 1, MAX_UNITS,
             "[2, 2, 2]", default=None),
    P.real("eta", "learning rate η", 0, 10, "0.5"),
    P.choice("hidden", "hidden activation", B.HIDDEN, default="sigmoid"),
    P.choice("output", "output activation (default sigmoid; softmax with loss ce)", B.OUTPUT, default=None),
    P.choice("loss", "half_sse ½Σ, sse Σ, mse mean, half_mse ½·mean, ce cross-entropy, bce binary CE "
             "(default half_sse; ce with softmax)", B.LOSSES, default=None),
    P.boolean("biases", "update the biases", default=True),
    P.choice("updates", "simultaneous (old weights everywhere) or sequential (output layer first)",
             ("simultaneous", "sequential"), default="simultaneous"),
    P.choice("layout", "out_in: W[out][in], row j = weights into unit j; in_out: W[in][out]",
             ("out_in", "in_out"), default="out_in"),
    P.choice("naming", "matrix entries or named weights w1, w2, ... (default: named with w)",
             ("matrix", "named"), default=None),
    P.choice("numbering", "named weights by receiving unit (to: Mazur, w1 = i1→h1, w2 = i2→h1) or by sending unit",
             ("to", "from"), default="to"),
    P.integer("steps", "training steps", 1, 5, "1", default=1),
    P.integer("decimals", "decimal places of the answers (the tolerance follows)", 1, 9, "4", default=4),
)


def named_weights(sizes: list[int], numbering: str) -> list[tuple[int, int, int]]:
    """(layer index of W, receiving unit j, sending unit i) of w1, w2, ... in order."""
    out = []
    for l in range(len(sizes) - 1):
        if numbering == "to":
            out += [(l, j, i) for j in range(sizes[l + 1]) for i in range(sizes[l])]
        else:
            out += [(l, j, i) for i in range(sizes[l]) for j in range(sizes[l + 1])]
    return out


def unit(layer: int, j: int, n_layers: int) -> str:
    """Unit names: inputs i1, i2, ...; hidden h1, ... (second hidden layer g1, ...); outputs o1, ..."""
    prefix = "i" if layer == 0 else "o" if layer == n_layers else "h" if layer == 1 else "g"
    return f"{prefix}{j + 1}"


def _matrices(values: dict, n_in: int, n_out: int, layout: str) -> list[list[list[float]]]:
    given = [values.get(f"W{l}") for l in (1, 2, 3)]
    if given[0] is None or given[1] is None:
        raise QuizgenError("backprop.mlp needs W1 and W2 (or the named weights w); "
                           "`quizgen solve backprop.mlp --help-params`")
    mats = [m for m in given if m is not None]
    W, prev = [], n_in
    for l, m in enumerate(mats, 1):
        m = [list(r) for r in m] if layout == "out_in" else [list(r) for r in zip(*m)]
        last = l == len(mats)
        rows_ok = len(m) == n_out if last else True
        if len(m[0]) != prev or not rows_ok:
            rows = n_out if last else "k"
            shape = (f"{rows}×{prev} (W[out][in]: one row per unit of layer {l})" if layout == "out_in" else
                     f"{prev}×{rows} (W[in][out]: one row per input of layer {l})")
            got = m if layout == "out_in" else list(zip(*m))
            raise QuizgenError(f"W{l}: expected a {shape}, got {len(got)}×{len(got[0])}")
        W.append(m)
        prev = len(m)
    return W


def _from_named(values: dict, n_in: int, n_out: int, numbering: str) -> list[list[list[float]]]:
    w = values["w"]
    sizes = values.get("sizes")
    if sizes is None:
        h, rest = divmod(len(w), n_in + n_out)
        if rest or not h:
            raise QuizgenError(f"w: {len(w)} weights do not fit a {n_in}-h-{n_out} network; "
                               "give the layer sizes with --set sizes='[2, 2, 2]'")
        sizes = [n_in, h, n_out]
    sizes = [int(s) for s in sizes]
    if sizes[0] != n_in or sizes[-1] != n_out:
        raise QuizgenError(f"sizes: the first must be the {n_in} inputs and the last the {n_out} outputs")
    need = sum(a * b for a, b in zip(sizes, sizes[1:]))
    if len(w) != need:
        raise QuizgenError(f"w: a {'-'.join(map(str, sizes))} network has {need} weights, got {len(w)}")
    W = [[[0.0] * sizes[l] for _ in range(sizes[l + 1])] for l in range(len(sizes) - 1)]
    for v, (l, j, i) in zip(w, named_weights(sizes, numbering)):
        W[l][j][i] = float(v)
    return W


def _biases(values: dict, W: list) -> list[list[float]]:
    for l in range(len(W) + 1, 4):
        if values.get(f"b{l}") is not None:
            raise QuizgenError(f"b{l}: the network has only {len(W)} layers")
    out = []
    for l, w in enumerate(W, 1):
        b = values.get(f"b{l}")
        if b is not None and len(b) not in (1, len(w)):
            raise QuizgenError(f"b{l}: expected {len(w)} numbers (one per unit) or one shared number, got {len(b)}")
        out.append([float(v) for v in b] if b is not None else [])
    return out


def from_user(values: dict) -> dict:
    """Validated params from the parsed `--set` values."""
    for name in ("x", "y", "eta"):
        if name not in values:
            raise QuizgenError(f"backprop.mlp needs --set {name}=... (`quizgen solve backprop.mlp --help-params`)")
    x, y = [float(v) for v in values["x"]], [float(v) for v in values["y"]]
    layout = values.get("layout", "out_in")
    numbering = values.get("numbering", "to")
    if values.get("w") is not None:
        if any(values.get(f"W{l}") is not None for l in (1, 2, 3)):
            raise QuizgenError("give either the named weights w or the matrices W1, W2, not both")
        W = _from_named(values, len(x), len(y), numbering)
        naming = values.get("naming") or "named"
    else:
        if values.get("sizes") is not None:
            raise QuizgenError("sizes goes with the named weights w; the matrices W1, W2 give the sizes themselves")
        W = _matrices(values, len(x), len(y), layout)
        naming = values.get("naming") or "matrix"
    output = values.get("output") or ("softmax" if values.get("loss") == "ce" else "sigmoid")
    loss = values.get("loss") or ("ce" if output == "softmax" else "half_sse")
    if loss == "ce" and output != "softmax":
        raise QuizgenError("loss ce (cross-entropy) goes with output=softmax; use bce with a sigmoid output")
    if loss == "bce" and output != "sigmoid":
        raise QuizgenError("loss bce (binary cross-entropy) goes with output=sigmoid")
    if loss == "bce" and not all(0 <= v <= 1 for v in y):
        raise QuizgenError("y: binary cross-entropy targets lie between 0 and 1")
    if loss == "ce" and (min(y) < 0 or sum(y) <= 0):
        raise QuizgenError("y: cross-entropy targets are probabilities, like [0, 1, 0]")
    return {"x": x, "y": y, "W": W, "b": _biases(values, W), "hidden": values.get("hidden", "sigmoid"),
            "output": output, "loss": loss, "eta": float(values["eta"]), "update_biases": values.get("biases", True),
            "updates": values.get("updates", "simultaneous"), "layout": layout, "naming": naming,
            "numbering": numbering, "steps": values.get("steps", 1), "decimals": values.get("decimals", 4)}
