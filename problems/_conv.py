"""Convolution and pooling values by hand, on plain lists (PyTorch's F.conv2d, F.max_pool2d,
F.avg_pool2d conventions):

    cross-correlation   Y[i][j] = Σ_{u,v} X_pad[i·S + u][j·S + v] · K[u][v]      (no kernel flip)
    true convolution    the same with K rotated by 180° (a known mistake here)
    output size         H_out = ⌊(H + 2P − K)/S⌋ + 1                              (floor)
    max pooling         max of the window; padding is −∞ (never chosen)
    average pooling     Σ window / (k·k) when the zero padding is counted (count_include_pad,
                        PyTorch's default), else / (number of real cells in the window)
"""

from __future__ import annotations

Matrix = list[list[float]]


def out_size(size: int, k: int, s: int, p: int) -> int:
    return (size + 2 * p - k) // s + 1


def padded(x: Matrix, p: int, fill: float = 0) -> Matrix:
    w = len(x[0]) + 2 * p
    return [[fill] * w for _ in range(p)] + [[fill] * p + list(r) + [fill] * p for r in x] + \
        [[fill] * w for _ in range(p)]


def rotated(k: Matrix) -> Matrix:
    """K rotated by 180° (what a true convolution slides)."""
    return [list(reversed(r)) for r in reversed(k)]


def correlate(x: Matrix, k: Matrix, s: int = 1, p: int = 0) -> Matrix:
    """The cross-correlation of x with k, stride s, zero padding p."""
    xp, kh, kw = padded(x, p), len(k), len(k[0])
    rows, cols = out_size(len(x), kh, s, p), out_size(len(x[0]), kw, s, p)
    return [[sum(xp[i * s + u][j * s + v] * k[u][v] for u in range(kh) for v in range(kw)) for j in range(cols)]
            for i in range(rows)]


def add(*ms: Matrix, bias: float = 0) -> Matrix:
    return [[sum(vals) + bias for vals in zip(*rows)] for rows in zip(*ms)]


def windows(x: Matrix, k: int, s: int, p: int) -> list[list[list[float | None]]]:
    """Each output cell's window, padding cells as None."""
    xp = padded([[float(v) for v in r] for r in x], p, None)
    rows, cols = out_size(len(x), k, s, p), out_size(len(x[0]), k, s, p)
    return [[[xp[i * s + u][j * s + v] for u in range(k) for v in range(k)] for j in range(cols)] for i in range(rows)]


def pool(x: Matrix, kind: str, k: int, s: int, p: int = 0, count_pad: bool = True,
         pad_as_zero: bool = False) -> Matrix:
    """Max or average pooling; `pad_as_zero` (max) is the mistake of padding with 0 instead of −∞."""
    out = []
    for row in windows(x, k, s, p):
        cells = []
        for win in row:
            real = [v for v in win if v is not None]
            if kind == "max":
                cells.append(max(real + ([0.0] if pad_as_zero and len(real) < len(win) else [])))
            else:
                cells.append(sum(real) / (len(win) if count_pad else len(real)))
        out.append(cells)
    return out


def bmatrix(m: Matrix) -> str:
    """LaTeX for a matrix of numbers: \\begin{bmatrix} 0 & 1 \\\\ 2 & 3 \\end{bmatrix}."""
    return "\\begin{bmatrix} " + " \\\\ ".join(" & ".join(_g(v) for v in r) for r in m) + " \\end{bmatrix}"


def _g(v: float) -> str:
    if isinstance(v, int) or float(v).is_integer():
        return str(int(v))
    s = f"{float(v):.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def as_numbers(m: Matrix) -> Matrix:
    """Whole numbers as int (JSON and display), others as float."""
    return [[int(v) if float(v).is_integer() else float(v) for v in r] for r in m]


def _t(en: str, zh: str):
    from quizgen.model import t

    return t(en, zh)


CROSS_CORRELATION = _t("Convolution is cross-correlation, as in PyTorch's nn.Conv2d: the kernel is not flipped.",
                       "卷积按互相关计算（不翻转卷积核），与 PyTorch 的 nn.Conv2d 一致。")
FLOOR = _t("Output size ⌊(H + 2P − K)/S⌋ + 1 (floor, as PyTorch); padding P adds P zeros on every side.",
           "输出尺寸为 ⌊(H + 2P − K)/S⌋ + 1（向下取整，与 PyTorch 一致）；填充 P 在每一边补 P 个 0。")
