"""Answer kinds: how each is compared, shown, and described to a student.

    integer, shape, choice     exact
    real, vector, matrix       |given - expected| <= 10^-decimals, element-wise
                               (one unit in the last asked decimal place)
    expression                 equal at 24 seeded points of the key's domain, exactly or
                               in interval arithmetic (quizgen/equiv.py; undecidable within
                               its budget: a FormatError)
    text                       self-graded against the key points
"""

from __future__ import annotations

from typing import Any

from quizgen.model import Part, Text, t

FORMATS: dict[str, Text] = {
    "integer": t("a whole number, like 55", "整数，如 55"),
    "real": t("a number, like 0.125 or 1/8", "数值，如 0.125 或 1/8"),
    "vector": t("a vector, like [0.1, 0.2]", "向量，如 [0.1, 0.2]"),
    "matrix": t("a matrix, like [[1, 2], [3, 4]], or one row per line",
                "矩阵，如 [[1, 2], [3, 4]]，或每行一行"),
    "shape": t("a shape, like 25x13x13", "形状，如 25x13x13"),
    "choice": t("option letter(s), like b or a, c", "选项字母，如 b 或 a, c"),
    "expression": t("an expression, like sigma(z)*(1-sigma(z))", "表达式，如 sigma(z)*(1-sigma(z))"),
    "text": t("your own words (self-graded)", "用自己的话作答（自评）"),
}


def tolerance_text(decimals: int) -> Text:
    step = f"{10 ** -decimals:.{decimals}f}"
    return t(f"Give {decimals} decimal places; answers within ±{step} are accepted.",
             f"保留 {decimals} 位小数；误差在 ±{step} 以内即算正确。")


def tolerance_lines(parts) -> list[Text]:
    """One tolerance sentence per distinct `decimals` among the parts, in order."""
    seen: list[int] = []
    for part in parts:
        if part.decimals is not None and part.decimals not in seen:
            seen.append(part.decimals)
    return [tolerance_text(d) for d in seen]


def _close(a: float, b: float, decimals: int | None) -> bool:
    tol = 10.0 ** -(decimals if decimals is not None else 6) + 1e-12
    return abs(float(a) - float(b)) <= tol


def _expr_equal(a, b, seed_text: str = "") -> bool:
    from quizgen.equiv import equivalent

    return equivalent(a, b, seed_text)


def equal(part: Part, given: Any, expected: Any) -> bool:
    """Does the parsed answer `given` equal `expected` for this part's kind?"""
    kind = part.kind
    if kind in ("integer", "shape"):
        return list(given) == list(expected) if kind == "shape" else int(given) == int(expected)
    if kind == "choice":
        want = expected if isinstance(expected, list) else [expected]
        return sorted(given) == sorted(want)
    if kind == "real":
        return _close(given, expected, part.decimals)
    if kind == "vector":
        return len(given) == len(expected) and all(_close(g, e, part.decimals) for g, e in zip(given, expected))
    if kind == "matrix":
        return (len(given) == len(expected)
                and all(len(g) == len(e) and all(_close(x, y, part.decimals) for x, y in zip(g, e))
                        for g, e in zip(given, expected)))
    if kind == "expression":
        from quizgen.parse import parse_expression

        want = parse_expression(expected) if isinstance(expected, str) else expected
        return _expr_equal(given, want, f"{part.id}:{expected}")
    return False  # text is self-graded


def _num(x: float, decimals: int | None) -> str:
    if decimals is None:
        return f"{x:g}"
    s = f"{float(x):.{decimals}f}"
    return "0" if s.strip("-0.") == "" else s


def show(part: Part, value: Any) -> str:
    """A value as a student would write it: 25×13×13, 34,944, 0.125, [0.1, 0.2]."""
    kind = part.kind
    if kind == "integer":
        return f"{int(value):,}"
    if kind == "shape":
        return "×".join(str(v) for v in value)
    if kind == "real":
        return _num(value, part.decimals)
    if kind == "vector":
        return "[" + ", ".join(_num(v, part.decimals) for v in value) + "]"
    if kind == "matrix":
        return "[" + ", ".join("[" + ", ".join(_num(v, part.decimals) for v in row) + "]" for row in value) + "]"
    if kind == "choice":
        letters = value if isinstance(value, list) else [value]
        return ", ".join(letters)
    return str(value)
