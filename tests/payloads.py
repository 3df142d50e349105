"""The payload corpus: hostile, huge, deep and tricky answers, for every answer kind.

Shared by tests/test_payloads.py (no crash, the stated verdict) and bench/grading.py (the
time each one takes).  `SHEET_PROBLEM` has one part per kind; `CORPUS` is a list of
(part id, answer text, statuses allowed), where the statuses are those of quizgen.check.
"""

from __future__ import annotations

from quizgen.model import Part, Problem, Text

KEYS = {  # part id -> (kind, key, extra Part fields)
    "a": ("integer", 576, {}),
    "b": ("real", 0.125, {"decimals": 3}),
    "c": ("vector", [0.1, 0.2], {"decimals": 2}),
    "d": ("matrix", [[1, 2], [3, 4]], {"decimals": 2}),
    "e": ("shape", [25, 13, 13], {}),
    "f": ("choice", "b", {"choices": tuple(Text(c, c) for c in "wxyz")}),
    "g": ("expression", "sigma(z)*(1-sigma(z))", {}),
    "h": ("expression", "x", {}),
    "i": ("expression", "x*y", {}),
    "j": ("expression", "z", {}),
    "k": ("text", "model answer", {"key_points": (Text("p", "p"),)}),
}
KIND_PART = {"integer": "a", "real": "b", "vector": "c", "matrix": "d", "shape": "e", "choice": "f",
             "expression": "h", "text": "k"}

SHEET_PROBLEM = Problem(
    family="test.payloads", family_version=1, seed=1, difficulty="easy", params={},
    statement=Text("Payloads.", "攻击载荷。"),
    parts=tuple(Part(pid, kind, Text(pid, pid), key, **extra) for pid, (kind, key, extra) in KEYS.items()),
    steps=(Text("answer", "答案"),))

NOT_CORRECT = ("format", "wrong")
FORMAT = ("format",)
WRONG = ("wrong",)
CORRECT = ("correct",)
ANY = ("format", "wrong", "correct", "self")

# Injection and resource payloads: each is tried against every kind and is never correct.
INJECTIONS = [  # a format error for every kind (tests/test_parse.py)
    "__import__('os').system('touch /tmp/quizgen-pwned')",
    "().__class__.__bases__",
    "().__class__.__bases__[0].__subclasses__()",
    "open('/etc/passwd').read()",
    "exec('import os')",
    "eval('1+1')",
    "lambda: 0",
    "[x for x in range(10**9)]",
    "globals()",
    "__builtins__",
    "sigma.__globals__",
    "sqrt.__self__",
    "9**9**9**9",
    "2**100000",
    "1" * 5000,
    "(" * 500 + "1" + ")" * 500,
    "(" * 24 + "1" + ")" * 24 + "+" + "(" * 25 + "1" + ")" * 25,
    "exp(1e308)",
]
HOSTILE = INJECTIONS + [
    # overflow (issue 10, section 1)
    "1e308*10",
    "abs(1e308*10)",
    "tanh(1e308*10)",
    "sigma(1e308*10)",
    "sqrt(1e308*10)",
    "ln(1e308*10)",
    "exp(exp(exp(exp(exp(10)))))",
    "1e308*1e308",
    "1/1e-308/1e-308",
    "1e400",
    "1e-400",
    "10**64*10**64*10**64*10**64*10**64",
    "(1e300)**2",
    "0.5**-64**2",
    # recursion (section 1)
    "-" * 1999 + "1",
    "-" * 2000 + "1",
    "+" * 1999 + "1",
    "- " * 999 + "1",
    "+".join(["1"] * 1000),
    "-".join(["1"] * 1000),
    "*".join(["x"] * 1000),
    "*".join(["2"] * 1000),
    "/".join(["2"] * 1000),
    "x".join(["1"] * 1000),
    "**".join(["1"] * 600),
    "sqrt(" * 300 + "2" + ")" * 300,
    "(-" * 600 + "1" + ")" * 600,
    "[" * 900 + "1" + "]" * 900,
    # power towers (section 1)
    "((2**64)**64)**64",
    "(((2**64)**64)**64)**64",
    "((10**9)**64)**64",
    "((1/3)**64)**64",
    "(2**0.5)**64**64",
    "((x+1)**64)**64",
    # hangs (section 2)
    "(x+y+z+1)**64",
    "exp(" * 24 + "x" + ")" * 24,
    "sigma(" * 24 + "x" + ")" * 24,
    "tanh(" * 24 + "x" + ")" * 24,
    "exp(" * 25 + "x" + ")" * 25,
    "x" * 2000,
    "1," * 999 + "1",
    "[" + "1," * 999 + "1]",
    "1\n" * 1000,
    "\x00\x01\x02",
    "１e308＊１０",
]

# Answers for one part, with the statuses each may get.
SPECIFIC = [
    # the wrong verdicts of section 3: all must be wrong
    ("g", "sigma(z)*(1-sigma(z)) + (z-3/10)*(z+7/10)*(z-13/10)", WRONG),
    ("h", "x + (x-3/10)*(x+7/10)*(x-13/10)", WRONG),
    ("i", "x + (x-3/10)*(x+7/10)*(x-13/10)", WRONG),
    ("j", "z + abs(z-3/10)*abs(z+7/10)*abs(z-13/10)", WRONG),
    ("h", "x + 1/10**10", WRONG),
    ("h", "x + 1/10**30", WRONG),
    ("h", "x + exp(-40)", WRONG),
    ("h", "x*(1 + 1/10**9)", WRONG),
    ("g", "sigma(z)*(1-sigma(z)) + 1/10**12", WRONG),
    ("g", "sigma(z)*(1-sigma(z))*(1 + (z-3/10)**2*(z+7/10)**2*(z-13/10)**2)", WRONG),
    ("g", "sigma(z)*(1-sigma(z)) + sigma(z)*(1-sigma(z))*(z-3/10)*(z+7/10)*(z-13/10)", WRONG),
    ("h", "x + (x-3/10)*(x+7/10)*(x-13/10)*(x-1/2)*(x+1/2)*(x-1)*(x+1)*(x-2)*(x+2)", WRONG),
    ("h", "abs(x)", WRONG),
    ("h", "sqrt(x**2)", WRONG),
    ("h", "exp(ln(x))", WRONG),
    ("h", "x**2/x + 0*ln(x - 100)", WRONG),
    ("i", "x*y + (x-y)*(x+y)*0 + (x*y - 3/10)*(x*y + 7/10)", WRONG),
    # hangs of section 2, decided or refused within the budget
    ("h", "(x+y+z+1)**64", WRONG),
    ("h", "((x+1)**64)**64", FORMAT),
    ("h", "exp(" * 24 + "x" + ")" * 24, NOT_CORRECT),
    ("h", "sigma(" * 24 + "x" + ")" * 24, WRONG),
    ("h", "tanh(" * 24 + "x" + ")" * 24, WRONG),
    ("g", "exp(exp(exp(exp(exp(10)))))", FORMAT),
    ("g", "1e308*10", FORMAT),
    ("h", "x**64**64", FORMAT),
    ("h", "x**(x**(x**(x**x)))", NOT_CORRECT),
    ("h", "(10**9)**64*x", FORMAT),
    ("h", "x/0", WRONG),
    ("h", "x/(1-1)", NOT_CORRECT),
    ("h", "ln(-1) + x", FORMAT),
    ("h", "sqrt(-x**2 - 1) + x", WRONG),
    # equivalent forms stay correct
    ("g", "exp(-z)/(1+exp(-z))**2", CORRECT),
    ("g", "sigma(z) - sigma(z)^2", CORRECT),
    ("g", "σ(z)(1−σ(z))", CORRECT),
    ("g", "1/(2 + exp(z) + exp(-z))", CORRECT),
    ("h", "x + 0", CORRECT),
    ("h", "2x - x", CORRECT),
    ("h", "(x**2 - 1)/(x - 1) - 1", CORRECT),
    ("h", "-" * 20 + "x", CORRECT),
    ("h", "+".join(["x/50"] * 50), CORRECT),
    ("i", "y*x", CORRECT),
    ("i", "((x + y)**2 - (x - y)**2)/4", CORRECT),
    ("j", "ln(exp(z))", CORRECT),
    # slow but equivalent: decided, or refused within the budget
    ("h", "x+0*(" + "+".join(f"sigma(tanh(sigma(x/{i})))" for i in range(1, 40)) + ")", ("correct", "format")),
    ("h", "x+0*(" + "+".join(f"sigma(tanh(sigma(x/{i})))" for i in range(1, 52)) + ")", ("correct", "format")),
    ("h", "x+0*(" + "+".join(f"exp(sqrt(ln(x**2+{i})))" for i in range(1, 30)) + ")", ("correct", "format")),
    ("h", "x+0*(" + "+".join(f"(x**2+{i})**(1/{i + 1})" for i in range(1, 25)) + ")", ("correct", "format")),
    ("h", "x+0*(" + "*".join(f"(x+{i}/7)**64" for i in range(1, 4)) + ")", ("correct", "format")),
    # numbers: overflow and exactness
    ("a", "1e308*10", FORMAT),
    ("a", "576", CORRECT),
    ("a", "576.0", CORRECT),
    ("a", "24**2", CORRECT),
    ("a", "((2**64)**64)**64", FORMAT),
    ("a", "577", WRONG),
    ("a", "5.76e2", CORRECT),
    ("a", "2**64", WRONG),
    ("b", "1e308*10", FORMAT),
    ("b", "1/8", CORRECT),
    ("b", "2^-3", CORRECT),
    ("b", "abs(1e308*10)", FORMAT),
    ("b", "tanh(1e308*10)", FORMAT),
    ("b", "tanh(1e300)", WRONG),
    ("b", "sigma(-1e300)", WRONG),
    ("b", "exp(-1e300)", WRONG),
    ("b", "1e-300", WRONG),
    ("b", "0.1249", CORRECT),
    ("b", "0.127", WRONG),
    ("c", "[1e308*10, 1]", FORMAT),
    ("c", "[0.1, 0.2]", CORRECT),
    ("c", "[1/10, 1/5]", CORRECT),
    ("c", "[0.1, 0.2, 0.3]", WRONG),
    ("d", "[[1e308*10, 1], [1, 2]]", FORMAT),
    ("d", "[[1, 2], [3, 4]]", CORRECT),
    ("d", "[[1, 2], [3, 4]", FORMAT),
    ("d", "[[1, 2]; [3, 4]]", FORMAT),
    ("d", "[[1, [2]], [3, 4]]", FORMAT),
    ("d", "1 2\n3 4", CORRECT),
    ("d", "[[1,2],[3,4]]" + "]" * 10, FORMAT),
    ("e", "1x1x1x1x1", WRONG),
    ("e", "25x13x13", CORRECT),
    ("e", "25×13×13", CORRECT),
    ("e", "(25, 13, 13)", CORRECT),
    ("e", "1e308x10", FORMAT),
    ("f", "b", CORRECT),
    ("f", "e", FORMAT),
    ("f", "a" * 1000, FORMAT),
    ("k", "any text at all", ("self",)),
    ("k", "x" * 3000, FORMAT),
    # full-width input (section 5)
    ("a", "５７６", CORRECT),
    ("a", "－５７６", WRONG),
    ("b", "１／８", CORRECT),
    ("c", "［０.１，０.２］", CORRECT),
    ("c", "（0.1，0.2）", CORRECT),
    ("d", "［［1，2］，［3，4］］", CORRECT),
    ("e", "（２５，１３，１３）", CORRECT),
    ("e", "２５ｘ１３ｘ１３", CORRECT),
    ("f", "（ｂ）", CORRECT),
    ("g", "ｓｉｇｍａ（ｚ）＊（１－ｓｉｇｍａ（ｚ））", CORRECT),
    ("h", "２ｘ－ｘ", CORRECT),
]

# Every payload named in issue 10 (sections 1-3 and the full-width input of section 5).
CORPUS_ISSUE = [
    "1e308*10", "abs(1e308*10)", "tanh(1e308*10)", "[1e308*10, 1]", "exp(exp(exp(exp(exp(10)))))",
    "-" * 1999 + "1", "+".join(["1"] * 1000), "*".join(["x"] * 1000), "x".join(["1"] * 1000),
    "((2**64)**64)**64", "(((2**64)**64)**64)**64", "((10**9)**64)**64",
    "((x+1)**64)**64", "(x+y+z+1)**64",
    "exp(" * 24 + "x" + ")" * 24, "sigma(" * 24 + "x" + ")" * 24, "tanh(" * 24 + "x" + ")" * 24,
    "sigma(z)*(1-sigma(z)) + (z-3/10)*(z+7/10)*(z-13/10)", "x + (x-3/10)*(x+7/10)*(x-13/10)",
    "z + abs(z-3/10)*abs(z+7/10)*abs(z-13/10)", "x + 1/10**10", "５７６",
]


def corpus() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every (part id, answer, statuses allowed): HOSTILE against every kind, then SPECIFIC."""
    items = [(pid, text, NOT_CORRECT if kind != "text" else ("format", "self"))
             for text in HOSTILE for kind, pid in KIND_PART.items()]
    return items + SPECIFIC
