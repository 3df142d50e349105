"""Evaluation traces for automatic differentiation (Baydin et al. 2018, "Automatic
differentiation in machine learning: a survey", Tables 2 and 3).

A function's parsed tree (`quizgen.parse.parse_expression`, never `eval`) becomes a list of
elementary operations, each reading earlier variables or constants:

    inputs        v_{i-n} = x_i                 (i = 1..n; or v_1..v_n with numbering "from1")
    primal        v_i = φ_i(v_j, ...)           n-ary sums and products folded left to right,
                                                after all their operands (Baydin's order)
    tangent       v̇_i = Σ_j ∂φ_i/∂v_j · v̇_j      forward mode, seed ẋ = e_wrt
    adjoint       v̄_j = Σ_{i uses j} v̄_i · ∂φ_i/∂v_j   reverse mode, seed v̄_last = 1
    central diff  [f(x + h e) − f(x − h e)] / (2h)

Equal sub-expressions share one variable (a graph, not a tree).  Local partials are
functions of the operands only (∂ exp(a)/∂a = exp(a), not the result), so a student's slip
in a primal value carries forward exactly as torch's straight-through override does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from quizgen.errors import FormatError, QuizgenError

MAX_OPS = 12          # elementary operations a hand trace can hold
MAX_INPUTS = 3
LIMIT = 1e9           # |value| beyond this is not a hand problem
UNARY = {"ln": "ln", "log": "ln", "exp": "exp", "sin": "sin", "cos": "cos", "sqrt": "sqrt",
         "tanh": "tanh", "sigma": "sigma", "sigmoid": "sigma"}


class Undefined(ArithmeticError):
    """An operation outside its domain (ln of a non-positive number, division by zero)."""


@dataclass(frozen=True)
class Op:
    """v = op(args); each arg is ("v", index) for a variable or ("c", number) for a constant."""

    op: str
    args: tuple


@dataclass(frozen=True)
class Graph:
    n: int                 # inputs x1..xn (variables 0..n-1)
    ops: tuple[Op, ...]    # intermediates (variables n..n+k-1); the last one is f
    tree: tuple            # the parsed expression (for the statement and the references)

    def consumers(self, index: int) -> list[tuple[int, int]]:
        """(op position, arg position) of every use of variable `index`."""
        return [(i, a) for i, op in enumerate(self.ops) for a, arg in enumerate(op.args) if arg == ("v", index)]


# ---------------------------------------------------------------- building the graph

def input_names(n: int) -> tuple[str, ...]:
    return tuple(f"x{i}" for i in range(1, n + 1))


@lru_cache(maxsize=256)
def graph(text: str) -> Graph:
    """The evaluation trace of `text` (variables x1..x3); QuizgenError for what cannot be traced."""
    from quizgen import grammar
    from quizgen.parse import parse_expression

    try:
        expr = parse_expression(text)
    except FormatError as exc:
        raise QuizgenError(f"f: {exc}") from None
    names = sorted(expr.variables)
    n = len(names)
    if not 1 <= n <= MAX_INPUTS or names != list(input_names(n)):
        raise QuizgenError(f"f: use the variables x1, x2 (up to x{MAX_INPUTS}), got {', '.join(names) or 'none'}")
    ops: list[Op] = []
    seen: dict[Op, int] = {}

    def emit(op: str, *args) -> tuple:
        if all(a[0] == "c" for a in args):
            return ("c", apply(op, [a[1] for a in args]))
        key = Op(op, tuple(args))
        if key not in seen:
            if len(ops) >= MAX_OPS:
                raise QuizgenError(f"f: more than {MAX_OPS} elementary operations; a hand trace holds at most {MAX_OPS}")
            seen[key] = n + len(ops)
            ops.append(key)
        return ("v", seen[key])

    def walk(tree: tuple) -> tuple:
        tag = tree[0]
        if not grammar.variables(tree):
            from quizgen.parse import _eval_number

            try:
                return ("c", float(_eval_number(tree)))
            except FormatError as exc:
                raise QuizgenError(f"f: {exc}") from None
        if tag == "var":
            return ("v", names.index(tree[1]))
        if tag == "neg":
            return emit("neg", walk(tree[1]))
        if tag in ("add", "mul"):
            operands = [(flag, walk(t)) for flag, t in tree[1]]
            first_flag, acc = operands[0]
            if tag == "add" and first_flag < 0:
                acc = emit("neg", acc)
            for flag, arg in operands[1:]:
                if tag == "add":
                    acc = emit("add" if flag > 0 else "sub", acc, arg)
                else:
                    acc = emit("div" if flag else "mul", acc, arg)
            return acc
        if tag == "pow":
            base, exponent = walk(tree[1]), walk(tree[2])
            return emit("pow" if exponent[0] == "c" else "powv", base, exponent)
        if tag == "call":
            if tree[1] not in UNARY:
                raise QuizgenError(f"f: {tree[1]} is not differentiable everywhere; use "
                                   f"{', '.join(sorted(set(UNARY.values())))}")
            return emit(UNARY[tree[1]], walk(tree[2]))
        raise QuizgenError(f"f: cannot trace {tag}")

    try:
        last = walk(expr.tree)
    except Undefined as exc:
        raise QuizgenError(f"f: a constant part is undefined ({exc})") from None
    if last[0] != "v" or last[1] < n:
        raise QuizgenError("f: needs at least one operation on x1, x2 (not a constant or a lone variable)")
    return Graph(n, tuple(ops), expr.tree)


# ---------------------------------------------------------------- numbers

def _checked(v: float) -> float:
    if not math.isfinite(v) or abs(v) > LIMIT:
        raise Undefined("a value beyond 10^9")
    return v


def apply(op: str, a: list[float]) -> float:
    """The value of one operation on its operands' values."""
    x = a[0]
    try:
        if op == "add":
            return _checked(x + a[1])
        if op == "sub":
            return _checked(x - a[1])
        if op == "mul":
            return _checked(x * a[1])
        if op == "div":
            if a[1] == 0:
                raise Undefined("division by zero")
            return _checked(x / a[1])
        if op == "neg":
            return -x
        if op in ("pow", "powv"):
            if x < 0 and not float(a[1]).is_integer() or x == 0 and a[1] < 0:
                raise Undefined("a power outside its domain")
            if x != 0 and a[1] * math.log10(abs(x)) > 9:
                raise Undefined("a value beyond 10^9")
            return _checked(x ** a[1])
        if op == "ln":
            if x <= 0:
                raise Undefined("ln of a non-positive number")
            return math.log(x)
        if op == "sqrt":
            if x < 0:
                raise Undefined("square root of a negative number")
            return math.sqrt(x)
        if op == "exp":
            if x > 20:
                raise Undefined("a value beyond 10^9")
            return math.exp(x)
        if op == "sin":
            return math.sin(x)
        if op == "cos":
            return math.cos(x)
        if op == "tanh":
            return math.tanh(x)
        if op == "sigma":
            return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
    except OverflowError:
        raise Undefined("a value beyond 10^9") from None
    raise ValueError(op)


def partials(op: str, a: list[float]) -> list[float]:
    """∂op/∂a_j for each operand, from the operands' values."""
    x = a[0]
    if op == "add":
        return [1.0, 1.0]
    if op == "sub":
        return [1.0, -1.0]
    if op == "mul":
        return [a[1], x]
    if op == "div":
        if a[1] == 0:
            raise Undefined("division by zero")
        return [1 / a[1], -x / a[1] ** 2]
    if op == "neg":
        return [-1.0]
    if op == "pow":
        if x == 0 and a[1] < 1:
            raise Undefined("the power's slope at 0")
        return [_checked(a[1] * apply("pow", [x, a[1] - 1])), 0.0]
    if op == "powv":
        if x <= 0:
            raise Undefined("a variable power of a non-positive base")
        return [_checked(a[1] * x ** (a[1] - 1)), _checked(math.log(x) * apply("pow", a))]
    if op == "ln":
        if x == 0:
            raise Undefined("division by zero")
        return [1 / x]
    if op == "sqrt":
        if x <= 0:
            raise Undefined("the square root's slope at 0")
        return [1 / (2 * math.sqrt(x))]
    if op == "exp":
        return [apply("exp", a)]
    if op == "sin":
        return [math.cos(x)]
    if op == "cos":
        return [-math.sin(x)]
    if op == "tanh":
        return [1 - math.tanh(x) ** 2]
    if op == "sigma":
        s = apply("sigma", a)
        return [s * (1 - s)]
    raise ValueError(op)


def values(g: Graph, at: list[float]) -> list[float]:
    """Every variable's value at `at` (inputs first); Undefined outside the domain."""
    vals = [float(x) for x in at]
    for op in g.ops:
        vals.append(apply(op.op, operands(op, vals)))
    return vals


def slope(g: Graph, at: list[float], k: int) -> float:
    """∂f/∂x_k at `at` (forward mode on the exact values; k counts from 0)."""
    vals = values(g, at)
    dots = [1.0 if j == k else 0.0 for j in range(g.n)]
    for op in g.ops:
        grads = partials(op.op, operands(op, vals))
        dots.append(sum(p * dots[i] for p, (kind, i) in zip(grads, op.args) if kind == "v"))
    return dots[-1]


def operands(op: Op, vals: list[float]) -> list[float]:
    return [vals[i] if kind == "v" else i for kind, i in op.args]


def f_at(g: Graph, at: list[float]) -> float:
    return values(g, at)[-1]


# ---------------------------------------------------------------- names and LaTeX

def number(index: int, n: int, numbering: str) -> int:
    """The subscript of variable `index`: Baydin's v_{1-n}..v_0 for inputs, or v_1.. for all."""
    return index + 1 if numbering == "from1" else index - n + 1


def name(index: int, n: int, numbering: str, mark: str = "") -> str:
    """LaTeX for v_i, \\dot v_i (mark "dot") or \\bar v_i (mark "bar")."""
    base = f"\\{mark}{{v}}" if mark else "v"
    return f"{base}_{{{number(index, n, numbering)}}}"


def plain_name(index: int, n: int, numbering: str) -> str:
    """v₋₁, v₀, v₁ (for the drawn graph, which is plain text)."""
    digits = str(number(index, n, numbering)).translate(str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉"))
    return "v" + digits


def num(x: float) -> str:
    """A constant or a value in a formula: 2, 0.5, −0.959 (at most 6 significant digits)."""
    s = f"{x:.6g}"
    return s if "e" not in s else f"{x:.3e}"


def symbols(n: int, numbering: str, mark: str = ""):
    """An arg shower for `formula`: variables by name (v_{-1}), constants as numbers."""
    return lambda arg: name(arg[1], n, numbering, mark) if arg[0] == "v" else num(arg[1])


def numbers(vals: list[float]):
    """An arg shower for `formula`: every operand by its value, negatives in brackets."""
    return lambda arg: signed(vals[arg[1]] if arg[0] == "v" else arg[1])


def signed(v: float) -> str:
    """A value as a factor: negatives in brackets, (−0.959)."""
    return f"({short(v)})" if v < 0 else short(v)


def short(x: float) -> str:
    """A value in a worked line: at most 4 decimals, trailing zeros dropped."""
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def formula(op: Op, show) -> str:
    """The right side of v_i = ..., in LaTeX: \\ln v_{-1}, v_{-1} \\times v_0."""
    a = [show(x) for x in op.args]
    return {
        "add": lambda: f"{a[0]} + {a[1]}", "sub": lambda: f"{a[0]} - {a[1]}",
        "mul": lambda: f"{a[0]} \\times {a[1]}", "div": lambda: f"{a[0]} / {a[1]}",
        "neg": lambda: f"-{a[0]}", "pow": lambda: f"{a[0]}^{{{a[1]}}}", "powv": lambda: f"{a[0]}^{{{a[1]}}}",
        "ln": lambda: f"\\ln {a[0]}", "exp": lambda: f"\\exp {a[0]}", "sin": lambda: f"\\sin {a[0]}",
        "cos": lambda: f"\\cos {a[0]}", "sqrt": lambda: f"\\sqrt{{{a[0]}}}", "tanh": lambda: f"\\tanh {a[0]}",
        "sigma": lambda: f"\\sigma({a[0]})",
    }[op.op]()


def partial_formula(op: Op, j: int, show) -> str:
    """∂v_i/∂(operand j) in LaTeX, from the operands."""
    a = [show(x) for x in op.args]
    table = {
        "add": ("1", "1"), "sub": ("1", "-1"), "mul": (a[-1], a[0]),
        "div": (f"1/{a[-1]}", f"-{a[0]}/{a[-1]}^2"), "neg": ("-1",),
        "pow": (f"{a[-1]} \\cdot {a[0]}^{{{a[-1]} - 1}}",),
        "powv": (f"{a[-1]} \\cdot {a[0]}^{{{a[-1]} - 1}}", f"\\ln {a[0]} \\cdot {a[0]}^{{{a[-1]}}}"),
        "ln": (f"1/{a[0]}",), "exp": (f"\\exp {a[0]}",), "sin": (f"\\cos {a[0]}",), "cos": (f"-\\sin {a[0]}",),
        "sqrt": (f"1/(2\\sqrt{{{a[0]}}})",), "tanh": (f"1 - \\tanh^2 {a[0]}",),
        "sigma": (f"\\sigma({a[0]})(1 - \\sigma({a[0]}))",),
    }
    return table[op.op][j]


def latex(tree: tuple) -> str:
    """The expression tree as LaTeX: ln(x1) + x1*x2 -> \\ln(x_1) + x_1 x_2."""
    from quizgen.grammar import _precedence

    def wrap(t: tuple, need: int) -> str:
        s = go(t)
        return f"\\left({s}\\right)" if _precedence(t) < need else s

    def go(t: tuple) -> str:
        tag = t[0]
        if tag == "num":
            v = t[1]
            return str(v.numerator) if v.denominator == 1 else f"\\frac{{{v.numerator}}}{{{v.denominator}}}"
        if tag == "const":
            return "e" if t[1] == "e" else "\\pi"
        if tag == "var":
            return f"x_{{{t[1][1:]}}}"
        if tag == "neg":
            return "-" + wrap(t[1], 3)
        if tag == "add":
            s = "".join((" + " if sign > 0 else " - ") + wrap(x, 1 if sign > 0 else 2) for sign, x in t[1])
            return s[3:] if s.startswith(" + ") else "-" + s[3:]
        if tag == "mul":
            top = [wrap(x, 2) for div, x in t[1] if not div]
            bottom = [wrap(x, 2) for div, x in t[1] if div]
            joined = " \\cdot ".join(top) if any(s[0].isdigit() for s in top[1:]) else " ".join(top)
            return f"\\frac{{{joined or '1'}}}{{{' '.join(bottom)}}}" if bottom else joined
        if tag == "pow":
            return f"{wrap(t[1], 5)}^{{{go(t[2])}}}"
        f = {"ln": "\\ln", "log": "\\ln", "exp": "\\exp", "sin": "\\sin", "cos": "\\cos", "tanh": "\\tanh",
             "sigma": "\\sigma", "sigmoid": "\\sigma", "abs": ""}[t[1]] if t[1] != "sqrt" else None
        if f is None:
            return f"\\sqrt{{{go(t[2])}}}"
        return f"{f}\\left({go(t[2])}\\right)" if f else f"\\left|{go(t[2])}\\right|"

    return go(tree)


@lru_cache(maxsize=256)
def layout(g: Graph, numbering: str) -> dict:
    """The `graph` figure's data: inputs on the left, each operation one column right of its
    deepest operand."""
    depth = [0] * g.n
    for op in g.ops:
        depth.append(1 + max(depth[i] for kind, i in op.args if kind == "v"))
    top = max(depth) or 1
    columns: dict[int, list[int]] = {}
    for index, d in enumerate(depth):
        columns.setdefault(d, []).append(index)
    nodes = []
    for d, members in columns.items():
        for row, index in enumerate(members):
            label = f"x{index + 1}".translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")) if index < g.n else \
                plain_name(index, g.n, numbering)
            nodes.append([f"v{index}", label, 0.02 + 0.96 * d / top, (row + 1) / (len(members) + 1)])
    labels = {"add": "+", "sub": "−", "mul": "×", "div": "/", "neg": "−", "pow": "^", "powv": "^"}
    edges = [[f"v{i}", f"v{g.n + k}", labels.get(op.op, op.op)]
             for k, op in enumerate(g.ops) for kind, i in op.args if kind == "v"]
    return {"nodes": nodes, "edges": edges}
