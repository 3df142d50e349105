"""Answer kinds, as one table: how each is parsed, compared, shown and described.

    kind         parse                 equal                                show
    integer      3/4 → error, 55       exact                                34,944
    real         0.125, 1/8, σ(0.5)    |given − key| ≤ 10^−decimals          0.125
    vector       [0.1, 0.2]            element-wise, same length            [0.1, 0.2]
    matrix       [[1,2],[3,4]], rows   element-wise, same size              [[1, 2], [3, 4]]
    shape        25x13x13              exact                                25×13×13
    choice       b, a c                same letters                         a, c
    expression   sigma(z)*(1-sigma(z)) equal at 24 seeded points (equiv.py)   as typed
    text         own words             self-graded against key points       as typed
    boolean      yes/no, 是/否, 1/0     exact                                yes / no
    sign         +1, −1, 0             exact                                +1
    label        AND, nand, 与非        one of spec["labels"]                AND
    set          x1, x3 / none         same items, any order                {x1, x3}
    truthtable   [1, 1, 1.5]           same truth table (spec["inputs"])    [1, 1, 1.5]
    multiple     [1, 1, -3]            a positive multiple of the key       [1, 1, -3]
                                       (unit vectors within 10^−decimals,
                                       default 10^−3)

The parser, the checker, the quiz and the renderers read this table only (`KINDS[name]`);
adding a kind is one entry here.  `same_form` says whether a value has the key's form (same
length, same size): only then is a student's value carried forward in a trace.
"""

from __future__ import annotations

import math
from operator import sub
from dataclasses import dataclass
from typing import Any, Callable

from typing import TYPE_CHECKING

from quizgen.text import Text, t

if TYPE_CHECKING:
    from quizgen.model import Part


@dataclass(frozen=True)
class Kind:
    name: str
    hint: Text                                 # the format hint shown next to a part
    parse: Callable[[str, Part], Any]          # FormatError when unreadable
    equal: Callable[[Part, Any, Any], bool]
    show: Callable[[Part, Any], str]
    same_form: Callable[[Part, Any], bool]
    multiline: bool = False                    # may take several lines (matrix rows)


# ---------------------------------------------------------------- comparisons

def tolerance(part: Part) -> float:
    tol = _TOLERANCES.get(part.decimals)
    return tol if tol is not None else 10.0 ** -part.decimals + 1e-12


_TOLERANCES = {None: 10.0 ** -6 + 1e-12, **{d: 10.0 ** -d + 1e-12 for d in range(13)}}


def _close(part: Part, a, b) -> bool:
    try:
        return abs(float(a) - float(b)) <= tolerance(part)
    except (TypeError, ValueError, OverflowError):
        return False


def rows_close(tol: float, given, expected) -> bool:
    try:
        if len(given) != len(expected):
            return False
        if _INT_FLOAT.issuperset(map(type, given)) and _INT_FLOAT.issuperset(map(type, expected)):
            return all(map(tol.__ge__, map(abs, map(sub, given, expected))))  # NaN: not close
        return all(abs(float(g) - float(e)) <= tol for g, e in zip(given, expected))
    except (TypeError, ValueError, OverflowError):
        return False


_INT_FLOAT = frozenset({int, float})


def _vectors_equal(part: Part, given, expected) -> bool:
    return rows_close(tolerance(part), given, expected)


def _matrices_equal(part: Part, given, expected) -> bool:
    tol = tolerance(part)
    return len(given) == len(expected) and all(rows_close(tol, g, e) for g, e in zip(given, expected))


def _expr_equal(a, b, seed_text: str = "") -> bool:
    from quizgen.equiv import equivalent

    return equivalent(a, b, seed_text)


def _expressions_equal(part: Part, given, expected) -> bool:
    from quizgen.parse import parse_expression

    def expr(v):
        if isinstance(v, str):
            return parse_expression(v)
        if hasattr(v, "free_symbols"):  # a SymPy object (a reference's): read back from its text
            return parse_expression(str(v))
        return v

    return _expr_equal(expr(given), expr(expected), f"{part.id}:{expected}")


def _set_equal(part: Part, given, expected) -> bool:
    from quizgen.labels import canonical_item

    def norm(items):
        out = set()
        for x in items:
            x = canonical_item(x)
            prefix = part.spec.get("prefix", "")
            out.add(x[len(prefix):] if prefix and x.startswith(prefix) and x[len(prefix):].isdigit() else x)
        return out

    return norm(given) == norm(expected)


def _tables_equal(part: Part, given, expected) -> bool:
    from quizgen.truthtable import table

    def truth(v):
        if isinstance(v, list) and v and all(isinstance(x, int) and not isinstance(x, bool) for x in v):
            return v  # already a table
        return table(v, part.spec["inputs"], part.spec.get("form", "threshold"), part.spec.get("fire") == ">")

    return truth(given) == truth(expected)


def _positive_multiple(part: Part, given, expected) -> bool:
    """given = λ·expected for some λ > 0 (a boundary's w and b, which any positive scale keeps)."""
    if not isinstance(given, list) or len(given) != len(expected):
        return False
    try:
        g, e = [float(v) for v in given], [float(v) for v in expected]
    except (TypeError, ValueError, OverflowError):
        return False
    ng, ne = math.hypot(*g), math.hypot(*e)
    if ng == 0 or ne == 0 or sum(a * b for a, b in zip(g, e)) <= 0:
        return False
    tol = tolerance(part) if part.decimals is not None else 1e-3
    return all(abs(a / ng - b / ne) <= tol for a, b in zip(g, e))


# ---------------------------------------------------------------- display

def _num(x: float, decimals: int | None) -> str:
    if decimals is None:
        return f"{float(x):g}"
    s = f"{float(x):.{decimals}f}"
    return "0" if s.strip("-0.") == "" else s


def _show_vector(part: Part, v) -> str:
    return "[" + ", ".join(_num(x, part.decimals) for x in v) + "]"


def _show_set(part: Part, items) -> str:
    return "{" + ", ".join(str(x) for x in items) + "}" if items else "∅"


def _show_truthtable(part: Part, v) -> str:
    from quizgen.truthtable import show_network

    if isinstance(v, list) and v and all(isinstance(x, int) for x in v):
        return "table " + " ".join(map(str, v))
    return show_network(v)


# ---------------------------------------------------------------- forms

def _is_number(x) -> bool:
    return type(x) in _NUMBERS and math.isfinite(x) or (
        isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x))


_NUMBERS = (int, float)


def _same_length(part: Part, v) -> bool:
    if type(v) is list and _INT_FLOAT.issuperset(map(type, v)):  # the common case, in C
        return len(v) == len(part.answer) and all(map(math.isfinite, v))
    return isinstance(v, list) and len(v) == len(part.answer) and all(map(_is_number, v))


def _same_size(part: Part, v) -> bool:
    return (isinstance(v, list) and len(v) == len(part.answer)
            and all(isinstance(r, list) and len(r) == len(a) and all(map(_is_number, r))
                    for r, a in zip(v, part.answer)))


def _same_shape_form(part: Part, v) -> bool:
    """A list as long as the key of whole numbers >= 1 (ints, or whole floats)."""
    if type(v) is not list or len(v) != len(part.answer):
        return False
    return (_INT.issuperset(map(type, v)) and min(v, default=1) >= 1) or (
        all(map(_is_number, v)) and all(x >= 1 and float(x).is_integer() for x in v))


_INT = frozenset({int})


def _any(part: Part, v) -> bool:
    return v is not None


# ---------------------------------------------------------------- parsers (lazy imports)

def _p(name: str) -> Callable[[str, Part], Any]:
    def parse(text: str, part: Part):
        from quizgen import labels, parse as P, truthtable

        if name == "choice":
            return P.parse_choice(text, len(part.choices))
        if name == "text":
            return P.parse("text", text)
        if name == "boolean":
            return labels.parse_boolean(text)
        if name == "sign":
            return labels.parse_sign(text)
        if name == "label":
            return labels.parse_label(text, part.spec["labels"], part.spec.get("aliases"))
        if name == "set":
            return labels.parse_set(text)
        if name == "truthtable":
            return truthtable.parse_network(text, part.spec["inputs"])
        return getattr(P, f"parse_{name}")(text)

    return parse


def _choice_equal(part: Part, given, expected) -> bool:
    want = expected if isinstance(expected, list) else [expected]
    have = given if isinstance(given, list) else [given]
    return sorted(have) == sorted(want)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("integer", t("a whole number, like 55", "整数，如 55"), _p("integer"),
         lambda p, g, e: _is_number(g) and float(g).is_integer() and int(g) == int(e),
         lambda p, v: f"{int(v):,}", lambda p, v: _is_number(v)),
    Kind("real", t("a number, like 0.125 or 1/8", "数值，如 0.125 或 1/8"), _p("real"),
         _close, lambda p, v: _num(v, p.decimals), lambda p, v: _is_number(v)),
    Kind("vector", t("a vector, like [0.1, 0.2]", "向量，如 [0.1, 0.2]"), _p("vector"),
         _vectors_equal, _show_vector, _same_length),
    Kind("matrix", t("a matrix, like [[1, 2], [3, 4]], or one row per line",
                     "矩阵，如 [[1, 2], [3, 4]]，或每行写一行"), _p("matrix"),
         _matrices_equal, lambda p, v: "[" + ", ".join(_show_vector(p, r) for r in v) + "]", _same_size,
         multiline=True),
    Kind("shape", t("a shape, like 25x13x13", "形状，如 25x13x13"), _p("shape"),
         lambda p, g, e: list(g) == list(e), lambda p, v: "×".join(str(x) for x in v),
         _same_shape_form),
    Kind("choice", t("option letter(s), like b or a, c", "选项字母，如 b 或 a, c"), _p("choice"),
         _choice_equal, lambda p, v: ", ".join(v if isinstance(v, list) else [v]), _any),
    Kind("expression", t("an expression, like sigma(z)*(1-sigma(z))", "表达式，如 sigma(z)*(1-sigma(z))"),
         _p("expression"), _expressions_equal, lambda p, v: str(v), _any),
    Kind("text", t("your own words (self-graded)", "用自己的话作答（自评）"), _p("text"),
         lambda p, g, e: False, lambda p, v: str(v), _any),
    Kind("boolean", t("yes or no", "是 或 否"), _p("boolean"),
         lambda p, g, e: isinstance(g, bool) and g == e, lambda p, v: "yes" if v else "no",
         lambda p, v: isinstance(v, bool)),
    Kind("sign", t("+1, -1 or 0", "+1、-1 或 0"), _p("sign"),
         lambda p, g, e: _is_number(g) and g == e, lambda p, v: f"{int(v):+d}" if v else "0",
         lambda p, v: v in (-1, 0, 1) and not isinstance(v, bool)),
    Kind("label", t("a name, like AND", "名称，如 AND"), _p("label"),
         lambda p, g, e: isinstance(g, str) and g.lower() == str(e).lower(), lambda p, v: str(v),
         lambda p, v: isinstance(v, str)),
    Kind("set", t("items separated by commas, like x1, x3 (or none)", "用逗号分隔的各项，如 x1, x3（没有则写 none）"),
         _p("set"), _set_equal, _show_set, lambda p, v: isinstance(v, list)),
    Kind("truthtable", t("weights and threshold, like 1, 1, 1.5; layers separated by ;",
                         "权重和阈值，如 1, 1, 1.5；多层之间用 ; 分隔"),
         _p("truthtable"), _tables_equal, _show_truthtable, lambda p, v: isinstance(v, list), multiline=True),
    Kind("multiple", t("numbers like [1, 1, -3]; any positive multiple is accepted",
                       "一组数，如 [1, 1, -3]；任意正数倍都算对"),
         _p("vector"), _positive_multiple, _show_vector, _same_length),
)}

FORMATS: dict[str, Text] = {name: k.hint for name, k in KINDS.items()}


def parse_answer(part: Part, text: str) -> Any:
    """Read `text` as an answer to `part`; FormatError says what was expected."""
    return KINDS[part.kind].parse(text, part)


def equal(part: Part, given: Any, expected: Any) -> bool:
    """Does the parsed answer `given` equal `expected` for this part's kind?"""
    return KINDS[part.kind].equal(part, given, expected)


def show(part: Part, value: Any) -> str:
    """A value as a student would write it: 25×13×13, 34,944, 0.125, [0.1, 0.2]."""
    return KINDS[part.kind].show(part, value)


def same_form(part: Part, value: Any) -> bool:
    """Has `value` the form of this part's key (same length, same size, finite numbers)?"""
    try:
        return bool(KINDS[part.kind].same_form(part, value))
    except (TypeError, ValueError, OverflowError):
        return False


def tolerance_text(decimals: int) -> Text:
    step = f"{10 ** -decimals:.{decimals}f}"
    return t(f"Give {decimals} decimal places; answers within ±{step} are accepted.",
             f"保留 {decimals} 位小数；误差在 ±{step} 以内即算正确。")


def tolerance_lines(parts) -> list[Text]:
    """One tolerance sentence per distinct `decimals` among the parts, in order."""
    seen: list[int] = []
    for part in parts:
        if part.decimals is not None and part.kind in ("real", "vector", "matrix") and part.decimals not in seen:
            seen.append(part.decimals)
    return [tolerance_text(d) for d in seen]
