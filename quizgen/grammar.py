"""The answer grammar: a bounded tokenizer and recursive-descent parser into a small tree.

    expr   := term  (('+' | '-') term)*                     n-ary "add" node
    term   := unary (('*' | '/') unary | implicit unary)*    n-ary "mul" node
    unary  := ('+' | '-')* power
    power  := atom ('**' unary)?                             right-associative, -2**2 = -4
    atom   := number | e | pi | name | f '(' expr ')' | '(' expr ')'
              f in sqrt, exp, ln, log, sigma, sigmoid, tanh, abs

Implicit products (`2x`, `2(x+1)`, `(a)(b)`) only where `implicit=True` (expressions).
Trees are tuples:  ("num", Fraction) | ("const", "e"|"pi") | ("var", name) | ("neg", t)
| ("add", ((sign, t), ...)) | ("mul", ((divide, t), ...)) | ("pow", base, exponent)
| ("call", f, t).  Sums and products are flat, so the tree depth is the operator nesting.

Limits, checked while parsing (never after): MAX_NODES nodes, MAX_DEPTH nesting (brackets,
powers, functions and signs all count), MAX_DIGITS digits per literal, decimal exponents
within ±MAX_LITERAL_EXPONENT.  Anything else is a FormatError.  Python's parser is not used.
"""

from __future__ import annotations

import re
from fractions import Fraction

from quizgen.errors import FormatError

MAX_NODES = 256
MAX_DEPTH = 24
MAX_DIGITS = 40
MAX_LITERAL_EXPONENT = 300
MAX_NAME = 12

FUNCTIONS = ("sqrt", "exp", "ln", "log", "sigma", "sigmoid", "tanh", "abs")
CONSTANTS = ("e", "pi")

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    | (?P<name>[A-Za-z][A-Za-z0-9]*)
    | (?P<op>\*\*|[-+*/()])
    | (?P<bad>.)
    )""", re.VERBOSE | re.DOTALL)


NUMBERS_ONLY = "only numbers, + - * / ^, sqrt, exp, ln, σ, tanh, abs, e and pi are allowed"


def tokenize(text: str, names: bool = True) -> list[tuple[str, str]]:
    """`2x + 1` -> [("num", "2"), ("name", "x"), ("op", "+"), ("num", "1")]."""
    tokens = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind is None:  # trailing whitespace
            continue
        value = m.group(kind)
        if kind == "bad":
            raise FormatError(f"the character {value!r} is not allowed" if names else f"{NUMBERS_ONLY}, not {value!r}")
        tokens.append((kind, value))
    return tokens


def literal(text: str) -> Fraction:
    """A decimal literal, read exactly: `0.1` is 1/10, `1e-3` is 1/1000."""
    mantissa, _, exponent = text.lower().partition("e")
    if len(mantissa.replace(".", "").lstrip("0")) > MAX_DIGITS:
        raise FormatError("number has too many digits")
    if exponent and abs(int(exponent)) > MAX_LITERAL_EXPONENT:
        raise FormatError("number is too large")
    return Fraction(text)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], implicit: bool, names: bool):
        self.tokens, self.pos = tokens, 0
        self.implicit, self.names = implicit, names
        self.nodes, self.depth = 0, 0

    # -- helpers
    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise FormatError("the answer ends too early")
        self.pos += 1
        return tok

    def is_op(self, *ops: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "op" and tok[1] in ops

    def node(self, *parts) -> tuple:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormatError(f"answer is too long (over {MAX_NODES} terms and operations)")
        return parts

    def enter(self, levels: int = 1) -> None:
        self.depth += levels
        if self.depth > MAX_DEPTH:
            raise FormatError("answer is nested too deeply")

    # -- grammar
    def expr(self) -> tuple:
        terms = [(1, self.term())]
        while self.is_op("+", "-"):
            sign = 1 if self.take()[1] == "+" else -1
            terms.append((sign, self.term()))
        return terms[0][1] if len(terms) == 1 and terms[0][0] == 1 else self.node("add", tuple(terms))

    def term(self) -> tuple:
        factors = [(False, self.unary())]
        while True:
            if self.is_op("*", "/"):
                divide = self.take()[1] == "/"
                factors.append((divide, self.unary()))
            elif self.implicit and self._implicit_follows(factors[-1][1]):
                factors.append((False, self.unary()))
            else:
                break
        return factors[0][1] if len(factors) == 1 else self.node("mul", tuple(factors))

    def _implicit_follows(self, prev: tuple) -> bool:
        """`2x`, `2(x+1)`, `(a)(b)`: a number or a bracket followed by a name or a bracket."""
        tok = self.peek()
        if tok is None or not (tok[0] == "name" or tok == ("op", "(")):
            return False
        before = self.tokens[self.pos - 1]
        return before[0] == "num" or (before == ("op", ")") and tok == ("op", "("))

    def unary(self) -> tuple:
        negative, signs = False, 0
        while self.is_op("+", "-"):
            negative ^= self.take()[1] == "-"
            signs += 1
        self.enter(signs)
        value = self.power()
        self.depth -= signs
        return self.node("neg", value) if negative else value

    def power(self) -> tuple:
        base = self.atom()
        if not self.is_op("**"):
            return base
        self.take()
        self.enter()
        exponent = self.unary()
        self.depth -= 1
        return self.node("pow", base, exponent)

    def atom(self) -> tuple:
        kind, value = self.take()
        if kind == "num":
            return self.node("num", literal(value))
        if kind == "name":
            if value in FUNCTIONS:
                if not self.is_op("("):
                    raise FormatError(f"{value} needs brackets: {value}(...)")
                return self.node("call", value, self.group())
            if value in CONSTANTS:
                return self.node("const", value)
            if not self.names:
                raise FormatError(f"a number cannot contain the name {value!r}")
            if len(value) > MAX_NAME:
                raise FormatError(f"variable name {value[:20]!r} is too long")
            if self.is_op("("):
                raise FormatError(f"{value}(...) is not a function; write {value}*(...) for a product")
            return self.node("var", value)
        if value == "(":
            self.pos -= 1
            return self.group()
        raise FormatError(f"could not read {value!r} here")

    def group(self) -> tuple:
        self.take()  # "("
        self.enter()
        inner = self.expr()
        if not self.is_op(")"):
            raise FormatError("a bracket is not closed" if self.peek() is None else
                              f"could not read {self.peek()[1]!r} here; functions take one argument")
        self.take()
        self.depth -= 1
        return inner


def parse_tree(text: str, implicit: bool = False, names: bool = False) -> tuple:
    """Parse normalised text into a tree; `names` allows variables, `implicit` allows `2x`."""
    tokens = tokenize(text, names)
    if not tokens:
        raise FormatError("empty answer")
    if len(tokens) > 4 * MAX_NODES:
        raise FormatError(f"answer is too long (over {MAX_NODES} terms and operations)")
    parser = _Parser(tokens, implicit, names)
    tree = parser.expr()
    if parser.peek() is not None:
        raise FormatError(f"could not read {parser.peek()[1]!r} here")
    return tree


def variables(tree: tuple) -> set[str]:
    """The variable names used in a tree."""
    tag = tree[0]
    if tag == "var":
        return {tree[1]}
    if tag in ("add", "mul"):
        return set().union(*(variables(t) for _, t in tree[1]))
    if tag == "pow":
        return variables(tree[1]) | variables(tree[2])
    if tag in ("neg", "call"):
        return variables(tree[-1])
    return set()


def _precedence(tree: tuple) -> int:
    tag = tree[0]
    if tag == "num":
        return 5 if tree[1].denominator == 1 else 2  # 3/10 reads as a division
    return {"add": 1, "mul": 2, "neg": 3, "pow": 4}.get(tag, 5)


def show(tree: tuple, need: int = 0) -> str:
    """A tree written back as plain text: `sigma(z)*(1 - sigma(z))`; brackets where the
    child binds less tightly than `need`."""
    tag = tree[0]
    if tag == "num":
        v = tree[1]
        s = str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    elif tag in ("const", "var"):
        s = tree[1]
    elif tag == "call":
        s = f"{tree[1]}({show(tree[2])})"
    elif tag == "add":
        s = "".join((" + " if sign > 0 else " - ") + show(t, 1 if sign > 0 else 2) for sign, t in tree[1])
        s = s[3:] if s.startswith(" + ") else "-" + s[3:]
    elif tag == "mul":
        s = "".join(("/" + show(t, 3) if div else "*" + show(t, 2)) for div, t in tree[1])[1:]
    elif tag == "neg":
        s = "-" + show(tree[1], 3)
    else:
        s = show(tree[1], 5) + "**" + show(tree[2], 3)
    return f"({s})" if _precedence(tree) < need else s
