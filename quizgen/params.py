"""Parameter factories for `quizgen solve FAMILY --set name=value`.

    integer(name, help, lo, hi)        whole number in [lo, hi]
    real(name, help, lo, hi)           number in [lo, hi] (3/4, 0.1, 1e-3, σ(0.5) allowed)
    fraction(name, help, lo, hi)       exact rational, stored as "p/q" text (`Fraction(s)`)
    vector(name, help, n, lo, hi)      [..] of n[0]..n[1] numbers in [lo, hi]
    matrix(name, help, rows, cols)     [[..], ..] or rows split by ';'
    choice(name, help, options)        one of the options (case-insensitive)
    boolean(name, help)                yes/no, true/false, 1/0, 是/否

Each returns a `Param` whose `help` states the range and whose parser raises a one-line
QuizgenError naming the parameter: `eta: expected a number from 0 to 10, got 'abc'`.
Values are read by the safe answer parser: never evaluated.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from quizgen.errors import FormatError, QuizgenError
from quizgen.registry import REQUIRED, Param

LIMIT = 1e6


def _g(x: float) -> str:
    return f"{x:g}"


def _read(name: str, fn: Callable[[str], Any], text: str) -> Any:
    try:
        return fn(text)
    except FormatError as exc:
        raise QuizgenError(f"{name}: {exc}, got {text.strip()[:40]!r}") from None


def _check_range(name: str, values, lo: float, hi: float) -> None:
    for v in values:
        if not lo <= v <= hi:
            raise QuizgenError(f"{name}: values must lie between {_g(lo)} and {_g(hi)}, got {_g(v)}")


def _number(name: str, help: str, lo: float, hi: float, whole: bool, example: str | None, default: Any) -> Param:
    what = "a whole number" if whole else "a number"

    def parse(text: str):
        from quizgen.parse import parse_integer, parse_real

        v = _read(name, parse_integer if whole else parse_real, text)
        if not lo <= v <= hi:
            raise QuizgenError(f"{name}: expected {what} from {_g(lo)} to {_g(hi)}, got {_g(v)}")
        return v

    return Param(name, f"{help}; {what} from {_g(lo)} to {_g(hi)}", parse, example or _g(lo), default)


def integer(name: str, help: str, lo: int, hi: int, example: str | None = None,
            default: Any = REQUIRED) -> Param:
    return _number(name, help, lo, hi, True, example, default)


def real(name: str, help: str, lo: float = -LIMIT, hi: float = LIMIT, example: str | None = None,
         default: Any = REQUIRED) -> Param:
    return _number(name, help, lo, hi, False, example, default)


def fraction(name: str, help: str, lo: float = -LIMIT, hi: float = LIMIT, example: str | None = None,
             default: Any = REQUIRED) -> Param:
    def parse(text: str) -> str:
        from quizgen.parse import parse_number

        v = _read(name, parse_number, text)
        if not isinstance(v, Fraction):
            v = Fraction(v).limit_denominator(10**6)
        if not lo <= v <= hi:
            raise QuizgenError(f"{name}: expected a number from {_g(lo)} to {_g(hi)}, got {v}")
        return str(v)

    return Param(name, f"{help}; an exact number from {_g(lo)} to {_g(hi)}, like 1/3", parse,
                 example or "1/2", default)


def vector(name: str, help: str, n: tuple[int, int] = (1, 8), lo: float = -LIMIT, hi: float = LIMIT,
           example: str | None = None, default: Any = REQUIRED) -> Param:
    def parse(text: str) -> list[float]:
        from quizgen.parse import parse_vector

        v = _read(name, parse_vector, text)
        if not n[0] <= len(v) <= n[1]:
            raise QuizgenError(f"{name}: expected {n[0]} to {n[1]} numbers, got {len(v)}")
        _check_range(name, v, lo, hi)
        return v

    size = f"{n[0]}" if n[0] == n[1] else f"{n[0]} to {n[1]}"
    return Param(name, f"{help}; {size} numbers", parse, example or "[1, 0]", default)


def matrix(name: str, help: str, rows: tuple[int, int] = (1, 8), cols: tuple[int, int] = (1, 8),
           lo: float = -LIMIT, hi: float = LIMIT, example: str | None = None, default: Any = REQUIRED) -> Param:
    def parse(text: str) -> list[list[float]]:
        from quizgen.parse import parse_matrix

        m = _read(name, parse_matrix, text)
        if not rows[0] <= len(m) <= rows[1] or not cols[0] <= len(m[0]) <= cols[1]:
            raise QuizgenError(f"{name}: expected {rows[0]}-{rows[1]} rows of {cols[0]}-{cols[1]} numbers, "
                               f"got {len(m)}×{len(m[0])}")
        _check_range(name, [x for r in m for x in r], lo, hi)
        return m

    return Param(name, f"{help}; a matrix like [[1, 2], [3, 4]]", parse, example or "[[1, 0], [0, 1]]", default)


def choice(name: str, help: str, options: tuple[str, ...], default: Any = REQUIRED,
           example: str | None = None) -> Param:
    def parse(text: str) -> str:
        s = text.strip().lower()
        for option in options:
            if s == option.lower():
                return option
        raise QuizgenError(f"{name}: expected one of {', '.join(options)}, got {text.strip()[:40]!r}")

    return Param(name, f"{help}; one of {', '.join(options)}", parse, example or options[0], default)


def boolean(name: str, help: str, default: Any = REQUIRED, example: str = "yes") -> Param:
    def parse(text: str) -> bool:
        from quizgen.labels import parse_boolean

        return _read(name, parse_boolean, text)

    return Param(name, f"{help}; yes or no", parse, example, default)
