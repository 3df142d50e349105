"""Validation of a sheet as loaded from JSON, before any of it is used.

Every field is checked for its type and range; the first fault raises one QuizgenError
that names the field by its path, e.g.

    sheet field problems[0].parts[1].answer: expected a whole number (integer part), got 'abc'

Answers are checked against their part's kind (integer: an int; real: a finite number;
vector / matrix: lists of them, rows of equal length; shape: whole numbers >= 0; choice:
letters among the part's choices, of which there are at least 2; expression: text the
answer parser reads; text: text).  Part ids are unique within a problem and every mistake
names one of them.  Free-form JSON (params, options) is nested at most MAX_NESTING deep.
"""

from __future__ import annotations

import math
import re
from typing import Any

from quizgen.errors import FormatError, QuizgenError

MAX_NESTING = 32
MAX_DECIMALS = 12
LETTERS = "abcdefghijklmnopqrstuvwxyz"


class _Fault(Exception):
    pass


def _fail(path: str, what: str, value: Any = ...) -> None:
    got = "" if value is ... else f", got {_short(value)}"
    raise _Fault(f"malformed sheet field {path}: expected {what}{got}")


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_real(x: Any) -> bool:
    return (_is_int(x) and abs(x) < 10**300) or (isinstance(x, float) and math.isfinite(x))


def _field(d: dict, key: str, path: str, required: bool = True) -> Any:
    if key not in d:
        if required:
            raise _Fault(f"malformed sheet field {path}.{key} is missing" if path else f"malformed sheet field {key} is missing")
        return None
    return d[key]


def _string(x: Any, path: str) -> str:
    if not isinstance(x, str):
        _fail(path, "text", x)
    return x


def _text(x: Any, path: str) -> None:
    if not isinstance(x, dict):
        _fail(path, 'a text {"en": ..., "zh": ...}', x)
    for lang in ("en", "zh"):
        _string(_field(x, lang, path), f"{path}.{lang}")


def _list(x: Any, path: str, nonempty: bool = False) -> list:
    if not isinstance(x, list) or (nonempty and not x):
        _fail(path, "a non-empty list" if nonempty else "a list", x)
    return x


def _texts(x: Any, path: str) -> None:
    for i, item in enumerate(_list(x, path)):
        _text(item, f"{path}[{i}]")


def _nesting(x: Any, path: str) -> None:
    """Free-form JSON, walked without recursion: at most MAX_NESTING levels."""
    stack = [(x, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise _Fault(f"malformed sheet field {path}: nested more than {MAX_NESTING} levels deep")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _answer(kind: str, x: Any, n_choices: int, path: str) -> None:
    """Is `x` a valid key (or known mistake) for a part of this kind?"""
    if kind == "integer" and not (_is_int(x) and abs(x) < 10**40):
        _fail(path, "a whole number (integer part)", x)
    if kind == "real" and not _is_real(x):
        _fail(path, "a finite number (real part)", x)
    if kind == "vector" and not (isinstance(x, list) and x and all(_is_real(v) for v in x)):
        _fail(path, "a non-empty list of numbers (vector part)", x)
    if kind == "matrix":
        if not (isinstance(x, list) and x and all(isinstance(r, list) and r and all(_is_real(v) for v in r)
                                                  for r in x)):
            _fail(path, "a list of rows of numbers (matrix part)", x)
        if any(len(r) != len(x[0]) for r in x):
            _fail(path, "matrix rows of equal length")
    if kind == "shape" and not (isinstance(x, list) and x and all(_is_int(v) and 0 <= v < 10**9 for v in x)):
        _fail(path, "a list of whole numbers >= 0 (shape part)", x)
    if kind == "choice":
        letters = x if isinstance(x, list) else [x]
        if not letters or not all(isinstance(v, str) and v in LETTERS[:n_choices] and v for v in letters):
            _fail(path, f"option letters from a to {LETTERS[max(n_choices, 1) - 1]} (choice part)", x)
    if kind in ("expression", "text"):
        _string(x, path)
    if kind == "boolean" and not isinstance(x, bool):
        _fail(path, "true or false (boolean part)", x)
    if kind == "sign" and not (_is_int(x) and x in (-1, 0, 1)):
        _fail(path, "+1, -1 or 0 (sign part)", x)
    if kind == "label":
        _string(x, path)
    if kind == "set" and not (isinstance(x, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                                          for v in x)):
        _fail(path, "a list of items (set part)", x)
    if kind == "truthtable" and not (isinstance(x, list) and x):
        _fail(path, "a truth table or a network of neurons (truthtable part)", x)
    if kind == "expression":
        from quizgen.parse import parse_expression

        try:
            parse_expression(x)
        except FormatError as exc:
            _fail(path, f"an expression the answer parser reads ({exc})", x)


def _part(d: Any, path: str) -> dict:
    from quizgen.kinds import KINDS

    if not isinstance(d, dict):
        _fail(path, "a part (an object)", d)
    pid = _string(_field(d, "id", path), f"{path}.id")
    if not re.fullmatch(r"[a-z]{1,2}", pid):
        _fail(f"{path}.id", "a part id of one or two letters, like a or ab", pid)
    kind = _field(d, "kind", path)
    if kind not in KINDS:
        _fail(f"{path}.kind", "one of " + ", ".join(KINDS), kind)
    _text(_field(d, "prompt", path), f"{path}.prompt")
    decimals = _field(d, "decimals", path, required=False)
    if decimals is not None and not (_is_int(decimals) and 0 <= decimals <= MAX_DECIMALS):
        _fail(f"{path}.decimals", f"a whole number from 0 to {MAX_DECIMALS}", decimals)
    choices = _field(d, "choices", path, required=False) or []
    _texts(choices, f"{path}.choices")
    if kind == "choice" and not 2 <= len(choices) <= len(LETTERS):
        _fail(f"{path}.choices", f"2 to {len(LETTERS)} choices for a choice part", choices)
    _texts(_field(d, "key_points", path, required=False) or [], f"{path}.key_points")
    trace = _field(d, "trace", path, required=False)
    if trace is not None and not isinstance(trace, bool):
        _fail(f"{path}.trace", "true or false", trace)
    step = _field(d, "step", path, required=False)
    if step is not None and not (_is_int(step) and 0 <= step < 10**6):
        _fail(f"{path}.step", "a whole number (the table row)", step)
    column = _field(d, "column", path, required=False)
    if column is not None:
        _string(column, f"{path}.column")
    spec = _field(d, "spec", path, required=False) or {}
    if not isinstance(spec, dict):
        _fail(f"{path}.spec", "an object", spec)
    _nesting(spec, f"{path}.spec")
    if kind == "label" and not (isinstance(spec.get("labels"), list) and spec["labels"]):
        _fail(f"{path}.spec.labels", "a list of labels (label part)", spec.get("labels"))
    if kind == "truthtable" and not (_is_int(spec.get("inputs")) and 1 <= spec["inputs"] <= 4):
        _fail(f"{path}.spec.inputs", "the number of inputs, 1 to 4 (truthtable part)", spec.get("inputs"))
    _answer(kind, _field(d, "answer", path), len(choices), f"{path}.answer")
    return d


def _figure(d: Any, path: str) -> None:
    from quizgen.figures import DRAWERS

    if not isinstance(d, dict):
        _fail(path, "a figure (an object)", d)
    if _field(d, "kind", path) not in DRAWERS:
        _fail(f"{path}.kind", "one of " + ", ".join(DRAWERS), d["kind"])
    data = _field(d, "data", path)
    if not isinstance(data, dict):
        _fail(f"{path}.data", "an object", data)
    _nesting(data, f"{path}.data")
    _text(_field(d, "caption", path), f"{path}.caption")


def _problem(d: Any, path: str) -> None:
    if not isinstance(d, dict):
        _fail(path, "a problem (an object)", d)
    _string(_field(d, "family", path), f"{path}.family")
    version = _field(d, "family_version", path)
    if not (_is_int(version) and version >= 0):
        _fail(f"{path}.family_version", "a whole number", version)
    seed = _field(d, "seed", path)
    if seed is not None and not _is_int(seed):
        _fail(f"{path}.seed", "a whole number or null", seed)
    _string(_field(d, "difficulty", path), f"{path}.difficulty")
    for key in ("params", "options"):
        value = _field(d, key, path, required=key == "params")
        if value is not None and not isinstance(value, dict):
            _fail(f"{path}.{key}", "an object", value)
        _nesting(value, f"{path}.{key}")
    if _field(d, "topic", path, required=False) is not None:
        _string(d["topic"], f"{path}.topic")
    if _field(d, "title", path, required=False) is not None:
        _text(d["title"], f"{path}.title")
    _text(_field(d, "statement", path), f"{path}.statement")
    parts = _list(_field(d, "parts", path), f"{path}.parts", nonempty=True)
    kinds: dict[str, tuple[str, int]] = {}
    for i, p in enumerate(parts):
        _part(p, f"{path}.parts[{i}]")
        if p["id"] in kinds:
            raise _Fault(f"malformed sheet field {path}.parts[{i}].id: part {p['id']!r} appears twice")
        kinds[p["id"]] = (p["kind"], len(p.get("choices") or []))
    _texts(_field(d, "steps", path), f"{path}.steps")
    _texts(_field(d, "conventions", path, required=False) or [], f"{path}.conventions")
    for i, fig in enumerate(_list(_field(d, "figures", path, required=False) or [], f"{path}.figures")):
        _figure(fig, f"{path}.figures[{i}]")
    for i, m in enumerate(_list(_field(d, "mistakes", path, required=False) or [], f"{path}.mistakes")):
        mp = f"{path}.mistakes[{i}]"
        if not isinstance(m, dict):
            _fail(mp, "a mistake (an object)", m)
        target = _field(m, "part", mp)
        if target not in kinds:
            _fail(f"{mp}.part", "the id of a part of this problem", target)
        _string(_field(m, "tag", mp), f"{mp}.tag")
        _text(_field(m, "explanation", mp), f"{mp}.explanation")
        if _field(m, "answer", mp) != "*":
            kind, n_choices = kinds[target]
            _answer(kind, m["answer"], n_choices, f"{mp}.answer")


def check_sheet_dict(d: dict) -> None:
    """Raise a QuizgenError naming the first invalid field of a sheet's parsed JSON."""
    from quizgen.model import LANGS

    try:
        _string(_field(d, "title", ""), "title")
        seed = _field(d, "seed", "", required=False)
        if seed is not None and not _is_int(seed):
            _fail("seed", "a whole number or null", seed)
        _string(_field(d, "difficulty", ""), "difficulty")
        lang = _field(d, "lang", "")
        if lang not in LANGS:
            _fail("lang", " or ".join(LANGS), lang)
        for i, topic in enumerate(_list(_field(d, "topics", ""), "topics")):
            _string(topic, f"topics[{i}]")
        for i, p in enumerate(_list(_field(d, "problems", ""), "problems")):
            _problem(p, f"problems[{i}]")
    except _Fault as exc:
        raise QuizgenError(str(exc)) from None
