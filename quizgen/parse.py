"""Safe parsing of typed answers.  User text is never evaluated by Python.

Grammar (numbers):  expr := number | e | pi | expr (+ - * / ^ **) expr | -expr | (expr)
                           | f(expr) for f in sqrt, exp, ln, log, sigma/σ, tanh, abs
Numbers are parsed with `ast.parse(mode="eval")` and the tree is walked by a whitelist:
any other node (names, attributes, calls of anything else, subscripts, strings, lambdas)
is a FormatError.  Exact arithmetic uses `fractions.Fraction`; functions fall back to float.
Length, nesting depth, number size and exponents are limited before anything is computed.

Kinds:  integer, real, vector `[0.1, 0.2]`, matrix `[[1,2],[3,4]]` or one row per line,
shape `25x13x13` / `25×13×13` / `(25, 13, 13)` / `25*13*13`, choice `b` or `a,c`,
expression (built into SymPy objects from the walked tree), text (kept as typed).
"""

from __future__ import annotations

import ast
import math
import re
from fractions import Fraction
from typing import Any

from quizgen.errors import FormatError

MAX_LENGTH = 2000
MAX_DEPTH = 24
MAX_EXPONENT = 64
MAX_DIGITS = 40
MAX_BITS = 4096
MAX_EXPRESSION_NUMBER = 10**9

_UNICODE = {
    "−": "-", "–": "-", "—": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "^": "**",
    "σ": "sigma", "π": "pi", "，": ",", "（": "(", "）": ")", "［": "[", "］": "]",
    "；": ";", "：": ":", "\u00a0": " ", "\u3000": " ",
}
_FUNCTIONS = ("sqrt", "exp", "ln", "log", "sigma", "sigmoid", "tanh", "abs")
_CONSTANTS = ("e", "pi")


def normalize(text: str) -> str:
    """Map Unicode operators and full-width punctuation to ASCII; check the length."""
    if not isinstance(text, str):
        raise FormatError("expected text")
    if len(text) > MAX_LENGTH:
        raise FormatError(f"answer is too long (over {MAX_LENGTH} characters)")
    text = re.sub(r"√\s*(\d+(?:\.\d+)?|[A-Za-z]\w*)", r"sqrt(\1)", text)
    text = text.replace("√", "sqrt")
    for src, dst in _UNICODE.items():
        text = text.replace(src, dst)
    return text.strip()


def _tree(text: str, what: str) -> ast.AST:
    depth = 0
    for ch in text:
        depth += ch in "([" or -(ch in ")]")
        if depth > MAX_DEPTH:
            raise FormatError("answer is nested too deeply")
    try:
        return ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise FormatError(f"could not read {text!r} as {what}") from None


# ---------------------------------------------------------------- numbers

def _number_literal(node: ast.Constant) -> Fraction | float:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormatError("only numbers are allowed here")
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_DIGITS:
            raise FormatError("number is too large")
        return Fraction(value)
    if not math.isfinite(value):
        raise FormatError("number is too large")
    return Fraction(repr(value))


def _apply(name: str, x: Fraction | float) -> float:
    v = float(x)
    try:
        if name == "sqrt":
            if v < 0:
                raise FormatError("square root of a negative number")
            root = Fraction(math.isqrt(int(x))) if isinstance(x, Fraction) and x.denominator == 1 else None
            return root if root is not None and root * root == x else math.sqrt(v)
        if name == "exp":
            return math.exp(v)
        if name in ("ln", "log"):
            if v <= 0:
                raise FormatError("logarithm of a non-positive number")
            return math.log(v)
        if name in ("sigma", "sigmoid"):
            return 1.0 / (1.0 + math.exp(-v)) if v > -700 else 0.0
        if name == "tanh":
            return math.tanh(v)
        if name == "abs":
            return abs(x)
    except OverflowError:
        raise FormatError("number is too large") from None
    raise FormatError(f"unknown function {name!r}")


_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


def _arith(op: ast.operator, a, b, power):
    """a op b for numbers and SymPy objects alike; `power` applies the exponent limits."""
    if isinstance(op, ast.Add):
        return a + b
    if isinstance(op, ast.Sub):
        return a - b
    if isinstance(op, ast.Mult):
        return a * b
    if isinstance(op, ast.Div):
        if b == 0:
            raise FormatError("division by zero")
        return a / b
    return power(a, b)


def _number_power(a: Fraction | float, b: Fraction | float) -> Fraction | float:
    if abs(b) > MAX_EXPONENT:
        raise FormatError(f"exponent is too large (at most {MAX_EXPONENT})")
    if isinstance(b, Fraction) and b.denominator == 1 and isinstance(a, Fraction):
        if a == 0 and b < 0:
            raise FormatError("division by zero")
        if max(a.numerator.bit_length(), a.denominator.bit_length()) * abs(int(b)) > MAX_BITS:
            raise FormatError("number is too large")
        return a ** int(b)
    if float(a) < 0:
        raise FormatError("fractional power of a negative number")
    return float(a) ** float(b)


def _symbolic_power(a, b):
    if b.is_number and abs(b) > MAX_EXPONENT:
        raise FormatError(f"exponent is too large (at most {MAX_EXPONENT})")
    return a ** b


def _eval_number(node: ast.AST) -> Fraction | float:
    """Walk a whitelisted arithmetic tree; never calls Python's evaluator."""
    if isinstance(node, ast.Constant):
        return _number_literal(node)
    if isinstance(node, ast.Name):
        if node.id == "e":
            return math.e
        if node.id == "pi":
            return math.pi
        raise FormatError(f"unexpected name {node.id!r} in a number")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _eval_number(node.operand)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp) and isinstance(node.op, _OPERATORS):
        try:
            return _arith(node.op, _eval_number(node.left), _eval_number(node.right), _number_power)
        except (OverflowError, ZeroDivisionError):
            raise FormatError("number is too large") from None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
        if len(node.args) != 1 or node.keywords:
            raise FormatError(f"{node.func.id} takes one argument")
        return _apply(node.func.id, _eval_number(node.args[0]))
    raise FormatError("only numbers, + - * / ^, sqrt, exp, ln, σ, e and pi are allowed")


def parse_number(text: str) -> Fraction | float:
    """A single number or arithmetic expression such as `3/4`, `-0.25`, `σ(0.5)`, `2^-3`."""
    s = normalize(text)
    if not s:
        raise FormatError("empty answer")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", s):  # thousands separators: 34,944
        s = s.replace(",", "")
    if re.fullmatch(r"[-+]?\d{1,3}( \d{3})+", s):  # 34 944
        s = s.replace(" ", "")
    return _eval_number(_tree(s, "a number"))


def parse_integer(text: str) -> int:
    value = parse_number(text)
    if isinstance(value, float):
        if not value.is_integer():
            raise FormatError("expected a whole number, like 55")
        return int(value)
    if value.denominator != 1:
        raise FormatError("expected a whole number, like 55")
    return int(value)


def parse_real(text: str) -> float:
    return float(parse_number(text))


def _split_items(s: str) -> list[str]:
    s = s.strip()
    if len(s) >= 2 and s[0] + s[-1] in ("[]", "()"):
        s = s[1:-1]
    parts = s.split(",") if "," in s else s.split(";") if ";" in s else s.split()
    items = [p.strip() for p in parts]
    if not items or any(not p for p in items):
        raise FormatError("expected numbers separated by commas, like [0.1, 0.2]")
    return items


def parse_vector(text: str) -> list[float]:
    """`[0.1, 0.2]`, `(0.1, 0.2)`, `0.1, 0.2` or `0.1 0.2`."""
    s = normalize(text)
    if not s:
        raise FormatError("empty answer")
    return [parse_real(item) for item in _split_items(s)]


def parse_matrix(text: str) -> list[list[float]]:
    """`[[1,2],[3,4]]`, rows on lines (`1 2` newline `3 4`), or rows split by `;`."""
    s = normalize(text)
    if not s:
        raise FormatError("empty answer")
    if s.startswith("[["):
        node = _tree(s, "a matrix")
        if not isinstance(node, ast.List) or not all(isinstance(r, ast.List) for r in node.elts):
            raise FormatError("expected a matrix like [[1, 2], [3, 4]]")
        rows = [[float(_eval_number(x)) for x in r.elts] for r in node.elts]
    else:
        lines = [ln for ln in re.split(r"[\n;]", s) if ln.strip()]
        rows = [[parse_real(x) for x in _split_items(ln)] for ln in lines]
    if not rows or not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        raise FormatError("matrix rows must all have the same length")
    return rows


def parse_shape(text: str) -> list[int]:
    """`25x13x13`, `25×13×13`, `(25, 13, 13)`, `[25,13,13]`, `25*13*13` or `25 13 13`."""
    s = normalize(text).lower()
    if len(s) >= 2 and s[0] + s[-1] in ("()", "[]"):
        s = s[1:-1].strip()
    tokens = re.split(r"\s*(?:\*|x|,)\s*|\s+", s)
    if not tokens or not all(re.fullmatch(r"\d{1,9}", tok) for tok in tokens):
        raise FormatError("expected a shape of whole numbers, like 25x13x13")
    return [int(tok) for tok in tokens]


def parse_choice(text: str, n_choices: int) -> list[str]:
    """Option letters: `b`, `(b)`, `B)`, or several for multiple choice: `a, c`."""
    s = normalize(text).lower()
    letters = re.findall(r"[a-z]+", s)
    rest = re.sub(r"[a-z\s,()\.]", "", s)
    valid = "abcdefghijklmnopqrstuvwxyz"[:n_choices]
    if rest or not letters or any(len(x) != 1 or x not in valid for x in letters):
        raise FormatError(f"expected an option letter from {valid[0]} to {valid[-1]}")
    return sorted(set(letters))


# ---------------------------------------------------------------- expressions

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,11}$")


def _implicit_products(s: str) -> str:
    s = re.sub(r"(\d)(?!e[-+]?\d)(?=[A-Za-z(])", r"\1*", s)
    return s.replace(")(", ")*(")


def parse_expression(text: str):
    """Build a SymPy expression from a whitelisted tree: `sigma(z)*(1-sigma(z))`, `2x+1`."""
    import sympy

    s = _implicit_products(normalize(text))
    if not s:
        raise FormatError("empty answer")
    funcs = {
        "sqrt": sympy.sqrt, "exp": sympy.exp, "ln": sympy.log, "log": sympy.log,
        "tanh": sympy.tanh, "abs": sympy.Abs,
        "sigma": lambda x: 1 / (1 + sympy.exp(-x)), "sigmoid": lambda x: 1 / (1 + sympy.exp(-x)),
    }

    def build(node: ast.AST):
        if isinstance(node, ast.Constant):
            v = _number_literal(node)
            if abs(v) > MAX_EXPRESSION_NUMBER:
                raise FormatError("number is too large for an expression")
            return sympy.Rational(v.numerator, v.denominator)
        if isinstance(node, ast.Name):
            if node.id == "e":
                return sympy.E
            if node.id == "pi":
                return sympy.pi
            if node.id in funcs or not _NAME.match(node.id):
                raise FormatError(f"unexpected name {node.id!r}")
            return sympy.Symbol(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = build(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and isinstance(node.op, _OPERATORS):
            return _arith(node.op, build(node.left), build(node.right), _symbolic_power)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in funcs:
            if len(node.args) != 1 or node.keywords:
                raise FormatError(f"{node.func.id} takes one argument")
            return funcs[node.func.id](build(node.args[0]))
        raise FormatError("only variables, numbers, + - * / ^, sqrt, exp, ln, σ and tanh are allowed")

    return build(_tree(s, "an expression"))


def parse(kind: str, text: str, n_choices: int = 0) -> Any:
    """Parse `text` as an answer of `kind`; a FormatError says what was expected."""
    if kind == "integer":
        return parse_integer(text)
    if kind == "real":
        return parse_real(text)
    if kind == "vector":
        return parse_vector(text)
    if kind == "matrix":
        return parse_matrix(text)
    if kind == "shape":
        return parse_shape(text)
    if kind == "choice":
        return parse_choice(text, n_choices)
    if kind == "expression":
        return parse_expression(text)
    if kind == "text":
        s = normalize(text)
        if not s:
            raise FormatError("empty answer")
        return s
    raise ValueError(f"unknown kind {kind!r}")
