"""Shared arithmetic and wording of the recurrent families (rnn.forward, lstm.step, gru.step).

    σ(a) = 1/(1 + e^−a),   tanh(a),   ReLU(a) = max(0, a),   softmax(o)_k = e^{o_k} / Σ_j e^{o_j}
    W v  (matrix × vector),   u ⊙ v  (element-wise product)

Plain Python floats (no numpy: thousands of problems per second).  States are lists of floats;
a part with hidden size 1 is a `real`, otherwise a `vector` (`part_value`, `as_list`).
`array_param` reads a number, a vector or a matrix for `--set`, also as PyTorch prints it
(`tensor([[0.1, 0.2]])`, `Parameter containing:`), and `fit` shapes it for one weight.
"""

from __future__ import annotations

import math
import operator
import random
import re

from quizgen.errors import FormatError, QuizgenError
from quizgen.model import t
from quizgen.registry import REQUIRED, Param

DECIMALS = 2          # answers within ±0.01
PEEK = 4              # decimals shown in the worked solution


# ---------------------------------------------------------------- arithmetic

def sigmoid(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))


def relu(a: float) -> float:
    return a if a > 0 else 0.0


ACTIVATIONS = {"tanh": math.tanh, "relu": relu, "sigmoid": sigmoid}


def matvec(m: list[list[float]], v: list[float]) -> list[float]:
    return [sum(map(operator.mul, row, v)) for row in m]


def add(*vectors: list[float]) -> list[float]:
    return list(map(sum, zip(*vectors)))


def mul(u: list[float], v: list[float]) -> list[float]:
    return list(map(operator.mul, u, v))


def apply(name: str, v: list[float]) -> list[float]:
    f = ACTIVATIONS[name]
    return [f(a) for a in v]


def softmax(v: list[float]) -> list[float]:
    top = max(v)
    e = [math.exp(a - top) for a in v]
    return [x / sum(e) for x in e]


def transpose(m: list[list[float]]) -> list[list[float]]:
    return [list(col) for col in zip(*m)]


def zeros(n: int) -> list[float]:
    return [0.0] * n


def rows(m: list[list[float]], k: int, size: int) -> list[list[float]]:
    """Block k (rows k·size … (k+1)·size − 1) of a stacked matrix or vector."""
    return m[k * size:(k + 1) * size]


# ---------------------------------------------------------------- draws

WEIGHTS = (-1.0, -0.5, -0.4, -0.3, -0.2, -0.1, 0.1, 0.2, 0.3, 0.4, 0.5, 1.0)


def chooser(rng):
    """`pick(options)`: uniform choices from a generator seeded by one draw of `rng` (deterministic,
    and ~20× cheaper per choice than a numpy call; no global random state)."""
    r = random.Random(int(rng.integers(2 ** 62)))
    return lambda options: options[int(r.random() * len(options))]


def draw_vector(pick, n: int, options=WEIGHTS) -> list[float]:
    """n numbers drawn uniformly from `options`."""
    return [float(pick(options)) for _ in range(n)]


def draw_matrix(pick, n_rows: int, n_cols: int, options=WEIGHTS) -> list[list[float]]:
    flat = draw_vector(pick, n_rows * n_cols, options)
    return [flat[r * n_cols:(r + 1) * n_cols] for r in range(n_rows)]


# ---------------------------------------------------------------- parts

def part_value(v: list[float]):
    """A state as a part's value: a number for hidden size 1, else the vector."""
    return v[0] if len(v) == 1 else list(v)


def kind_of(v: list[float]) -> str:
    return "real" if len(v) == 1 else "vector"


def as_list(value) -> list[float]:
    """A part's value (the key's or a student's) back as a list of floats."""
    return [float(value)] if isinstance(value, (int, float)) else [float(x) for x in value]


# ---------------------------------------------------------------- text

def num(x: float) -> str:
    """A given number as typed on a slide: 0.5, -1, 0.25."""
    s = f"{x:.6g}"
    return "0" if s in ("-0", "0") else s


def peek(x: float) -> str:
    """A computed number in the worked solution (4 decimals)."""
    s = f"{x:.{PEEK}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def vec(v: list[float], show=num) -> str:
    return show(v[0]) if len(v) == 1 else "[" + ", ".join(show(x) for x in v) + "]"


def mat(m: list[list[float]]) -> str:
    if len(m) == 1 and len(m[0]) == 1:
        return num(m[0][0])
    return "[" + ", ".join("[" + ", ".join(num(x) for x in r) + "]" for r in m) + "]"


def sequence(xs: list[list[float]]) -> str:
    """x₁ = …, x₂ = … as a sentence fragment."""
    return ", ".join(f"$x_{k}$ = {vec(x)}" for k, x in enumerate(xs, 1))


# ---------------------------------------------------------------- --set values

_TORCH = re.compile(r"^\s*(?:parameter containing:)?\s*tensor\((.*?)(?:,\s*(?:requires_grad|dtype|grad_fn)=[^)]*)*\)\s*$",
                    re.S | re.I)


def read_array(text: str):
    """A number, a vector or a matrix; PyTorch's printout `tensor([[…]])` is accepted too."""
    from quizgen.parse import parse_matrix, parse_real, parse_vector

    s = text.strip()
    m = _TORCH.match(s)
    if m:
        s = m.group(1).strip()
    s = " ".join(s.split())
    if s.startswith("[["):
        return parse_matrix(s)
    if s.startswith("["):
        return parse_vector(s)
    return parse_real(s)


def array_param(name: str, help: str, example: str, default=REQUIRED, limit: float = 100.0) -> Param:
    def parse(text: str):
        try:
            value = read_array(text)
        except FormatError as exc:
            raise QuizgenError(f"{name}: {exc}, got {text.strip()[:40]!r}") from None
        flat = value if isinstance(value, list) else [value]
        flat = [x for r in flat for x in (r if isinstance(r, list) else [r])]
        if len(flat) > 64 or any(not abs(x) <= limit for x in flat):
            raise QuizgenError(f"{name}: at most 64 numbers, each between -{limit:g} and {limit:g}")
        return value

    return Param(name, f"{help}; a number, a vector [..] or a matrix [[..], ..]", parse, example, default)


def fit(name: str, value, n_rows: int, n_cols: int, what: str) -> list[list[float]]:
    """`value` as an n_rows × n_cols matrix; a number or a flat vector fills a 1-row or 1-column one."""
    if isinstance(value, (int, float)):
        value = [value]
    if value and not isinstance(value[0], list):
        if len(value) == n_rows * n_cols and (n_rows == 1 or n_cols == 1):
            return [[float(x)] for x in value] if n_cols == 1 else [[float(x) for x in value]]
        raise QuizgenError(f"{name}: expected a {n_rows}×{n_cols} matrix ({what}), got {len(value)} numbers")
    if len(value) != n_rows or len(value[0]) != n_cols:
        raise QuizgenError(f"{name}: expected a {n_rows}×{n_cols} matrix ({what}), got {len(value)}×{len(value[0])}")
    return [[float(x) for x in r] for r in value]


def fit_oriented(name: str, value, n_rows: int, n_cols: int, what: str, orient: str) -> list[list[float]]:
    """`fit` for a weight written W (orient=column, W x as in PyTorch) or Wᵀ (orient=row, x W as in
    Keras and Saito's Deep Learning from Scratch 2); returned in the column form W."""
    if orient == "column":
        return fit(name, value, n_rows, n_cols, what)
    rows_, cols_ = what.split(" × ") if " × " in what else (what, "")
    return transpose(fit(name, value, n_cols, n_rows, f"{cols_} × {rows_}, orient=row"))


def fit_vector(name: str, value, n: int, what: str) -> list[float]:
    """`value` as n numbers (a number for n = 1; a 1-row or 1-column matrix is accepted)."""
    if isinstance(value, (int, float)):
        value = [value]
    if value and isinstance(value[0], list):
        value = [x for r in value for x in r] if min(len(value), len(value[0])) == 1 else value
    if len(value) != n or any(isinstance(x, list) for x in value):
        raise QuizgenError(f"{name}: expected {n} numbers ({what})")
    return [float(x) for x in value]


def inputs(name: str, value) -> list[list[float]]:
    """The input sequence: one row per time step (a flat vector = scalar inputs)."""
    if isinstance(value, (int, float)):
        value = [value]
    xs = [[float(x)] for x in value] if not isinstance(value[0], list) else [[float(x) for x in r] for r in value]
    if not 1 <= len(xs) <= 6:
        raise QuizgenError(f"{name}: give 1 to 6 time steps")
    if any(len(x) != len(xs[0]) for x in xs):
        raise QuizgenError(f"{name}: every time step needs the same number of inputs")
    return xs


# ---------------------------------------------------------------- shared wording

ORIENT_HELP = ("how weights are written: column = W x with W hidden × input (PyTorch, most textbooks); "
               "row = x W with W input × hidden (Keras, Deep Learning from Scratch 2)")

PEEPHOLE_FREE = t("No peephole connections: the gates see $h_{t-1}$ and $x_t$ only, not $c_{t-1}$.",
                  "无窥视孔（peephole）连接：各门只依赖 $h_{t-1}$ 和 $x_t$，不依赖 $c_{t-1}$。")
SIGMOID = t("$\\sigma$ is the logistic sigmoid $1/(1+e^{-a})$.", "$\\sigma$ 为 logistic sigmoid 函数 $1/(1+e^{-a})$。")
ROUNDING = t("Keep at least 3 decimals in intermediate values.", "中间结果至少保留 3 位小数。")
