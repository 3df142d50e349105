"""Shared arithmetic of the transformer families, in plain Python floats (lists of rows).

    scores       S = Q Kᵀ                     S_ij = q_i · k_j
    scaling      Z = S / √d_k                  (or Z = S for unscaled attention)
    masking      Z_ij = −∞ where query i may not see key j (causal: j > i; padding: key j padded)
    softmax      A_ij = exp(Z_ij − m_i) / Σ_j' exp(Z_ij' − m_i),   m_i = max_j Z_ij  (row-wise)
    output       O = A V

    sinusoidal positional encoding (Vaswani et al. 2017), frequency ω_i = 1 / base^{2i/d}
    (tensor2tensor's spacing: ω_i = 1 / base^{i/(d/2 − 1)}, from 1 down to exactly 1/base):
        interleaved  PE(pos, 2i) = sin(pos ω_i),   PE(pos, 2i+1) = cos(pos ω_i)
        halves       PE(pos, i)  = sin(pos ω_i),   PE(pos, d/2 + i) = cos(pos ω_i)   (i < d/2)
"""

from __future__ import annotations

import math

Matrix = list[list[float]]


def clean(x: float, digits: int = 10) -> float | int:
    """A float rounded to `digits` places (0.30000000000000004 -> 0.3); whole numbers as int."""
    r = round(float(x), digits) + 0.0
    return int(r) if r.is_integer() else r


def g(x: float) -> str:
    """A number as written by hand: 3, -0.5, 0.25 (at most 4 decimals)."""
    return f"{round(x, 4) + 0.0:g}"


def _tidy(v):
    return v if type(v) is int else clean(v)


def matmul(a: Matrix, b: Matrix) -> Matrix:
    cols = list(zip(*b))
    return [[_tidy(sum([x * y for x, y in zip(row, col)])) for col in cols] for row in a]


def transpose(a: Matrix) -> Matrix:
    return [list(col) for col in zip(*a)]


def scale(a: Matrix, c: float) -> Matrix:
    return [[clean(x * c) for x in row] for row in a]


def allowed(mask: str, padded: list[int], i: int, j: int) -> bool:
    """May query i see key j (0-based)?  `padded` holds 1-based key positions."""
    if mask == "causal":
        return j <= i
    if mask == "padding":
        return j + 1 not in padded
    return True


def softmax_rows(z: Matrix, keep=lambda i, j: True) -> Matrix:
    """Row-wise softmax; entries with keep(i, j) false are −∞ (weight 0; a row with none kept: 0s)."""
    out = []
    for i, row in enumerate(z):
        live = [x for j, x in enumerate(row) if keep(i, j)]
        if not live:
            out.append([0.0] * len(row))
            continue
        m = max(live)
        e = [math.exp(x - m) if keep(i, j) else 0.0 for j, x in enumerate(row)]
        total = sum(e)
        out.append([v / total for v in e])
    return out


def softmax_columns(z: Matrix, keep=lambda i, j: True) -> Matrix:
    """The slip: the softmax taken down each column (over the queries) instead of each row."""
    return transpose(softmax_rows(transpose(z), lambda j, i: keep(i, j)))


def bmatrix(a: Matrix) -> str:
    """LaTeX bmatrix of a matrix, numbers written by hand."""
    return "\\begin{bmatrix} " + " \\\\ ".join(" & ".join(g(x) for x in row) for row in a) + " \\end{bmatrix}"


def rounded(a: Matrix, digits: int = 3) -> Matrix:
    return [[round(x, digits) + 0.0 for x in row] for row in a]


def frequency(i: int, d: int, base: float, spacing: str = "paper") -> float:
    """ω_i = 1 / base^{2i/d} (the paper), or 1 / base^{i/(d/2 − 1)} (tensor2tensor)."""
    if spacing == "t2t":
        return base ** (-i / max(d // 2 - 1, 1))
    return base ** (-2 * i / d)


def pe_value(pos: float, j: int, d: int, base: float, layout: str, swap: bool = False,
             spacing: str = "paper") -> float:
    """PE(pos, j) for dimension j (0-based) under `layout`; `swap` exchanges sin and cos (the slip)."""
    i, use_sin = pe_pair(j, d, layout)
    angle = pos * frequency(i, d, base, spacing)
    return math.sin(angle) if use_sin != swap else math.cos(angle)


def pe_pair(j: int, d: int, layout: str) -> tuple[int, bool]:
    """(i, uses sin) of dimension j: the frequency index and the function."""
    if layout == "interleaved":
        return j // 2, j % 2 == 0
    return (j, True) if j < d // 2 else (j - d // 2, False)
