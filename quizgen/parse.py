"""Safe parsing of typed answers.  User text is never evaluated by Python.

Grammar (`quizgen/grammar.py`):  expr := number | e | pi | expr (+ - * / ^ **) expr | -expr
    | (expr) | f(expr) for f in sqrt, exp, ln, log, sigma/σ, tanh, abs; expressions add
    variables and implicit products (`2x`).  The tokenizer and recursive-descent parser are
    our own and bounded (nodes, nesting of brackets, powers, functions and signs).
Numbers are computed exactly with `fractions.Fraction` where they can be, otherwise in float;
every intermediate value is bounded:  |v| <= 10^300, exact values within MAX_BITS bits,
exponents |b| <= 64, so no answer overflows or exhausts memory.

Kinds:  integer, real, vector `[0.1, 0.2]`, matrix `[[1,2],[3,4]]` or one row per line,
shape `25x13x13` / `25×13×13` / `(25, 13, 13)` / `25*13*13`, choice `b` or `a,c`,
expression (an `Expression`: the parsed tree, compared by `quizgen.equiv`), text (as typed).
Full-width input (`５７６`, `：`, `（`, `，`, `－`) is read as its ASCII form.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from quizgen import grammar
from quizgen.errors import FormatError

MAX_LENGTH = 2000
MAX_DEPTH = grammar.MAX_DEPTH
MAX_EXPONENT = 64
MAX_DIGITS = grammar.MAX_DIGITS
MAX_BITS = 4096
MAX_MAGNITUDE = 10**300
MAX_EXPRESSION_NUMBER = 10**9
MAX_DEGREE = 256

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, as typed on a Chinese keyboard.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x3001: 0x2C}
_UNICODE = {
    "−": "-", "–": "-", "—": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "^": "**",
    "σ": "sigma", "π": "pi", "\u00a0": " ",
}


def full_width_to_ascii(text: str) -> str:
    """`１b：５７６` -> `1b:576` (full-width ASCII and the ideographic space and comma)."""
    return text.translate(_FULL_WIDTH)


def normalize(text: str) -> str:
    """Map full-width characters, Unicode operators and punctuation to ASCII; check the length."""
    if not isinstance(text, str):
        raise FormatError("expected text")
    if len(text) > MAX_LENGTH:
        raise FormatError(f"answer is too long (over {MAX_LENGTH} characters)")
    text = full_width_to_ascii(text)
    text = re.sub(r"√\s*(\d+(?:\.\d+)?|[A-Za-z]\w*)", r"sqrt(\1)", text)
    text = text.replace("√", "sqrt")
    for src, dst in _UNICODE.items():
        text = text.replace(src, dst)
    return text.strip()


# ---------------------------------------------------------------- numbers

Number = Fraction | float


def _bounded(v: Number) -> Number:
    """Refuse values no answer needs: beyond 10^300, or exact values over MAX_BITS bits."""
    if isinstance(v, Fraction):
        if max(v.numerator.bit_length(), v.denominator.bit_length()) > MAX_BITS or abs(v) > MAX_MAGNITUDE:
            raise FormatError("number is too large")
        return v
    if not math.isfinite(v) or abs(v) > MAX_MAGNITUDE:
        raise FormatError("number is too large")
    return v


def _apply(name: str, x: Number) -> Number:
    v = float(x)  # |x| <= 10^300, so this cannot overflow
    if name == "sqrt":
        if v < 0:
            raise FormatError("square root of a negative number")
        if isinstance(x, Fraction):
            num, den = math.isqrt(x.numerator), math.isqrt(x.denominator)
            if num * num == x.numerator and den * den == x.denominator:
                return Fraction(num, den)
        return math.sqrt(v)
    if name == "exp":
        if v > 690:
            raise FormatError("number is too large")
        return math.exp(v)
    if name in ("ln", "log"):
        if v <= 0 and not (isinstance(x, Fraction) and x > 0):
            raise FormatError("logarithm of a non-positive number")
        return math.log(x.numerator) - math.log(x.denominator) if isinstance(x, Fraction) else math.log(v)
    if name in ("sigma", "sigmoid"):
        return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))
    if name == "tanh":
        return math.tanh(v)
    if name == "abs":
        return abs(x)
    raise FormatError(f"unknown function {name!r}")


def _number_power(a: Number, b: Number) -> Number:
    if abs(b) > MAX_EXPONENT:
        raise FormatError(f"exponent is too large (at most {MAX_EXPONENT})")
    if a == 0 and b < 0:
        raise FormatError("division by zero")
    if isinstance(b, Fraction) and b.denominator == 1 and isinstance(a, Fraction):
        if max(a.numerator.bit_length(), a.denominator.bit_length()) * abs(int(b)) > MAX_BITS:
            raise FormatError("number is too large")
        return a ** int(b)
    if a < 0 and not float(b).is_integer():
        raise FormatError("fractional power of a negative number")
    if a != 0 and float(b) * math.log10(abs(float(a))) > 300:
        raise FormatError("number is too large")
    return float(a) ** float(b)


def _eval_number(tree: tuple) -> Number:
    """Compute a parsed tree of numbers; each value is bounded as soon as it exists."""
    tag = tree[0]
    if tag == "num":
        return _bounded(tree[1])
    if tag == "const":
        return math.e if tree[1] == "e" else math.pi
    if tag == "neg":
        return -_eval_number(tree[1])
    if tag == "add":
        total: Number = Fraction(0)
        for sign, term in tree[1]:
            total = _bounded(total + sign * _eval_number(term))
        return total
    if tag == "mul":
        product: Number = Fraction(1)
        for divide, factor in tree[1]:
            v = _eval_number(factor)
            if divide and v == 0:
                raise FormatError("division by zero")
            product = _bounded(product / v if divide else product * v)
        return product
    if tag == "pow":
        return _bounded(_number_power(_eval_number(tree[1]), _eval_number(tree[2])))
    if tag == "call":
        return _bounded(_apply(tree[1], _eval_number(tree[2])))
    raise FormatError(f"a number cannot contain the name {tree[1]!r}")


def parse_number(text: str) -> Number:
    """A single number or arithmetic expression such as `3/4`, `-0.25`, `σ(0.5)`, `2^-3`."""
    s = normalize(text)
    if not s:
        raise FormatError("empty answer")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", s):  # thousands separators: 34,944
        s = s.replace(",", "")
    if re.fullmatch(r"[-+]?\d{1,3}( \d{3})+", s):  # 34 944
        s = s.replace(" ", "")
    return _eval_number(grammar.parse_tree(s))


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
        if not s.endswith("]]"):
            raise FormatError("expected a matrix like [[1, 2], [3, 4]]")
        inner = s[1:-1]
        rows_text = re.findall(r"\[([^\[\]]*)\]", inner)
        if re.sub(r"\[[^\[\]]*\]", "", inner).strip(" ,\n") or not rows_text:
            raise FormatError("expected a matrix like [[1, 2], [3, 4]]")
        rows = [[parse_real(x) for x in _split_items(r)] for r in rows_text]
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

@dataclass(frozen=True)
class Expression:
    """A parsed expression answer: its tree (see `quizgen.grammar`) and its variables.
    Compared with `quizgen.equiv.equivalent`; `str()` writes it back as plain text."""

    tree: tuple
    variables: frozenset[str]

    def __str__(self) -> str:
        return grammar.show(self.tree)

    def to_sympy(self):
        """The same expression as a SymPy object (for references and tests; bounded input)."""
        import sympy

        def build(t: tuple):
            tag = t[0]
            if tag == "num":
                return sympy.Rational(t[1].numerator, t[1].denominator)
            if tag == "const":
                return sympy.E if t[1] == "e" else sympy.pi
            if tag == "var":
                return sympy.Symbol(t[1])
            if tag == "neg":
                return -build(t[1])
            if tag == "add":
                return sympy.Add(*(sign * build(x) for sign, x in t[1]))
            if tag == "mul":
                return sympy.Mul(*(1 / build(x) if div else build(x) for div, x in t[1]))
            if tag == "pow":
                return build(t[1]) ** build(t[2])
            f = {"sqrt": sympy.sqrt, "exp": sympy.exp, "ln": sympy.log, "log": sympy.log,
                 "tanh": sympy.tanh, "abs": sympy.Abs}.get(t[1], lambda x: 1 / (1 + sympy.exp(-x)))
            return f(build(t[2]))

        return build(self.tree)


def _degree(tree: tuple) -> int:
    """A bound on the size of a tree as a polynomial: constants 0, variables 1, products
    add, powers multiply; constant parts are computed (bounded) on the way."""
    if not grammar.variables(tree):
        value = _eval_number(tree)
        if tree[0] == "num" and abs(value) > MAX_EXPRESSION_NUMBER:
            raise FormatError("number is too large for an expression")
        return 0
    tag = tree[0]
    if tag == "var":
        return 1
    if tag == "add":
        return max(_degree(t) for _, t in tree[1])
    if tag == "mul":
        return sum(_degree(t) for _, t in tree[1])
    if tag == "pow":
        base, exponent = _degree(tree[1]), tree[2]
        if grammar.variables(exponent):
            return base + _degree(exponent) + 1
        b = _eval_number(exponent)
        if abs(b) > MAX_EXPONENT:
            raise FormatError(f"exponent is too large (at most {MAX_EXPONENT})")
        return base * max(1, math.ceil(abs(b)))
    return max(1, _degree(tree[-1]))  # neg, call


def parse_expression(text: str) -> Expression:
    """Parse an expression such as `sigma(z)*(1-sigma(z))` or `2x+1` into a bounded tree."""
    s = normalize(text)
    if not s:
        raise FormatError("empty answer")
    tree = grammar.parse_tree(s, implicit=True, names=True)
    if _degree(tree) > MAX_DEGREE:
        raise FormatError(f"expression is too complex (degree over {MAX_DEGREE}); simplify it")
    return Expression(tree, frozenset(grammar.variables(tree)))


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
