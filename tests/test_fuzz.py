"""Hypothesis fuzz over every answer kind, answers files and sheets: 20,500 inputs in all,
and nothing escapes but the checker's own statuses (or a QuizgenError for files).

Each answer goes through `grade_part`, as `check` and the quiz use it, so the parser, the
comparison and expression equivalence are all exercised."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from payloads import KIND_PART, SHEET_PROBLEM

from quizgen.check import grade_part, read_answers
from quizgen.errors import QuizgenError
from quizgen.model import Sheet

STATUSES = {"correct", "wrong", "format", "self", "missing"}
PART_IDS = sorted({pid for pid in KIND_PART.values()} | {"g", "i", "j"})
SIZES = {"text": 6000, "alphabet": 6000, "numbers": 3000, "expressions": 2000, "answers": 2000, "sheets": 1500}


def fuzz(name: str) -> settings:
    return settings(max_examples=SIZES[name], deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def grade(pid: str, text: str) -> str:
    result, _ = grade_part(SHEET_PROBLEM, 1, SHEET_PROBLEM.part(pid), text)
    assert result.status in STATUSES
    return result.status


@fuzz("text")
@given(st.text(max_size=100), st.sampled_from(PART_IDS))
def test_any_text(text, pid):
    grade(pid, text)


ARITHMETIC = "0123456789+-*/^().,x×eσπ[]√ \n−·ｘ５（）［］，－：；zyabc"


@fuzz("alphabet")
@given(st.text(alphabet=ARITHMETIC, max_size=60), st.sampled_from(PART_IDS))
def test_arithmetic_alphabet(text, pid):
    grade(pid, text)


NUMBERS = st.one_of(st.integers(-10**12, 10**12).map(str),
                    st.floats(allow_nan=False, allow_infinity=False).map(repr),
                    st.sampled_from(["1e308", "1e-308", "1e309", "9" * 45, "0.1", "e", "pi", "2**64"]))
FUNCTIONS = ["sqrt", "exp", "ln", "sigma", "tanh", "abs"]


def formulas(leaves):
    return st.recursive(leaves, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(lambda t: f"({t[0]}){t[1]}({t[2]})"),
        st.tuples(st.sampled_from(FUNCTIONS), inner).map(lambda t: f"{t[0]}({t[1]})"),
        inner.map(lambda s: f"-{s}")), max_leaves=12)


@fuzz("numbers")
@given(formulas(NUMBERS), st.sampled_from(["a", "b", "c", "d", "e"]))
def test_number_formulas(text, pid):
    if pid in ("c", "d"):
        text = f"[{text}, 1]" if pid == "c" else f"[[{text}, 1], [1, 2]]"
    grade(pid, text)


@fuzz("expressions")
@given(formulas(st.one_of(st.sampled_from(["x", "y", "z", "1", "2", "3/10", "0", "e"]), NUMBERS)),
       st.sampled_from(["g", "h", "i", "j"]))
def test_expression_formulas(text, pid):
    grade(pid, text)


LINE = st.one_of(st.text(max_size=30),
                 st.tuples(st.integers(0, 3), st.sampled_from(list("abcdefghijkz") + ["", "aa"]),
                           st.sampled_from([":", "：", "=", ""]), st.text(max_size=20))
                 .map(lambda t: f"{t[0]}{t[1]}{t[2]} {t[3]}"))


@fuzz("answers")
@given(st.lists(LINE, max_size=8), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_answers_files(lines, newline, bom):
    sheet = Sheet("fuzz", 1, "easy", "en", (), (SHEET_PROBLEM,))
    text = ("\ufeff" if bom else "") + newline.join(lines)
    try:
        answers = read_answers(text, sheet)
    except QuizgenError as exc:
        assert "\n" not in str(exc)
        return
    for (_, pid), raw in answers.items():
        grade(pid, raw)


BASE = json.loads(Sheet("fuzz", 1, "easy", "en", (), (SHEET_PROBLEM,)).to_json())
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=6)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


PATHS = [p for p in _paths(BASE) if p]


@fuzz("sheets")
@given(st.sampled_from(PATHS), JSON, st.booleans())
def test_sheets_with_one_field_changed(path, value, delete):
    d = copy.deepcopy(BASE)
    target = d
    for k in path[:-1]:
        target = target[k]
    if delete and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = value
    try:
        sheet = Sheet.from_dict(d)
    except QuizgenError as exc:
        assert "\n" not in str(exc)
        return
    for problem in sheet.problems:  # a sheet that loads can be graded
        for part in problem.parts:
            grade_part(problem, 1, part, "1")


def test_fuzz_sizes_add_up():
    assert sum(SIZES.values()) >= 20_000
