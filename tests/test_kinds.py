"""The answer-kind table: every kind parses, compares and shows; the new kinds; table rows."""

from __future__ import annotations

import pytest

from quizgen import kinds
from quizgen.check import read_answers
from quizgen.errors import FormatError, QuizgenError
from quizgen.model import Part, Problem, Sheet, Text, t
from quizgen.params import boolean, choice, fraction, integer, matrix, real, vector


def part(kind: str, answer, **kw) -> Part:
    return Part("a", kind, t("p", "题"), answer, **kw)


def test_every_kind_has_an_entry_used_by_the_model():
    assert set(kinds.KINDS) >= {"integer", "real", "vector", "matrix", "shape", "choice", "expression", "text",
                                "boolean", "sign", "label", "set", "truthtable"}
    with pytest.raises(ValueError):
        part("colour", 1)
    for name, k in kinds.KINDS.items():
        assert k.hint.en and k.hint.zh != k.hint.en


@pytest.mark.parametrize("text, value", [("yes", True), ("Y", True), ("是", True), ("true", True), ("1", True),
                                         ("no", False), ("否", False), ("False", False), ("0", False), ("错", False)])
def test_boolean(text, value):
    p = part("boolean", True)
    assert kinds.parse_answer(p, text) is value
    assert kinds.equal(p, value, True) is value


@pytest.mark.parametrize("text", ["maybe", "", "2", "yes no"])
def test_boolean_rejects(text):
    with pytest.raises(FormatError):
        kinds.parse_answer(part("boolean", True), text)


@pytest.mark.parametrize("text, value", [("+1", 1), ("1", 1), ("−1", -1), ("-1", -1), ("0", 0), ("+", 1)])
def test_sign(text, value):
    p = part("sign", -1)
    assert kinds.parse_answer(p, text) == value
    assert kinds.show(p, -1) == "-1" and kinds.show(p, 1) == "+1" and kinds.show(p, 0) == "0"
    with pytest.raises(FormatError):
        kinds.parse_answer(p, "2")


def test_label_with_aliases():
    p = part("label", "NAND", spec={"labels": ["AND", "OR", "NAND", "none"], "aliases": {"与非": "NAND"}})
    assert kinds.parse_answer(p, "nand") == "NAND"
    assert kinds.parse_answer(p, "与非") == "NAND"
    assert kinds.equal(p, "NAND", "NAND") and not kinds.equal(p, "AND", "NAND")
    with pytest.raises(FormatError):
        kinds.parse_answer(p, "XOR")


@pytest.mark.parametrize("text, items", [("x1, x3", ["x1", "x3"]), ("{x3, x1}", ["x1", "x3"]), ("none", []),
                                         ("∅", []), ("无", []), ("X10 x2", ["x2", "x10"])])
def test_set(text, items):
    assert kinds.parse_answer(part("set", []), text) == items


def test_set_compares_unordered_and_by_prefix():
    p = part("set", ["x1", "x3"], spec={"prefix": "x"})
    assert kinds.equal(p, kinds.parse_answer(p, "3, 1"), p.answer)
    assert not kinds.equal(p, kinds.parse_answer(p, "x1"), p.answer)
    assert kinds.show(p, p.answer) == "{x1, x3}" and kinds.show(p, []) == "∅"


AND = [0, 0, 0, 1]


@pytest.mark.parametrize("text", ["1, 1, 1.5", "[1, 1, 2]", "[0.5, 0.5, 0.75]", "2 2 3"])
def test_truthtable_accepts_any_neuron_for_and(text):
    p = part("truthtable", [[[1, 1, 1.5]]], spec={"inputs": 2})
    value = kinds.parse_answer(p, text)
    assert kinds.equal(p, value, p.answer)
    assert kinds.equal(p, value, AND)


@pytest.mark.parametrize("text", ["1, 1, 0.5", "1, 1, 3", "-1, -1, -1.5"])
def test_truthtable_rejects_other_gates(text):
    p = part("truthtable", [[[1, 1, 1.5]]], spec={"inputs": 2})
    assert not kinds.equal(p, kinds.parse_answer(p, text), p.answer)


def test_truthtable_two_layer_xor_and_strict_firing():
    p = part("truthtable", [0, 1, 1, 0], spec={"inputs": 2})
    xor = kinds.parse_answer(p, "[[1, 1, 0.5], [-1, -1, -1.5]]; [1, 1, 1.5]")
    assert kinds.equal(p, xor, p.answer)
    strict = part("truthtable", [0, 0, 0, 1], spec={"inputs": 2, "fire": ">"})
    assert kinds.equal(strict, kinds.parse_answer(strict, "1, 1, 1"), strict.answer)  # 2 > 1 only for 11
    assert not kinds.equal(strict, kinds.parse_answer(strict, "1, 1, 2"), strict.answer)  # 2 > 2 never
    bias = part("truthtable", [0, 0, 0, 1], spec={"inputs": 2, "form": "bias"})
    assert kinds.equal(bias, kinds.parse_answer(bias, "1, 1, -1.5"), bias.answer)


@pytest.mark.parametrize("text, why", [("1, 1", "threshold"), ("[[1,1,0.5],[1,1,1]]", "exactly one"),
                                       ("", "empty")])
def test_truthtable_format_errors(text, why):
    with pytest.raises(FormatError, match=why):
        kinds.parse_answer(part("truthtable", AND, spec={"inputs": 2}), text)


def test_same_form_guards_carrying():
    assert kinds.same_form(part("vector", [1.0, 2.0]), [3.0, 4.0])
    assert not kinds.same_form(part("vector", [1.0, 2.0]), [3.0])
    assert not kinds.same_form(part("matrix", [[1.0, 2.0]]), [[1.0]])
    assert not kinds.same_form(part("shape", [1, 2, 3]), [1, 0, 3])
    assert not kinds.same_form(part("real", 1.0), float("inf"))


def trace_sheet() -> Sheet:
    parts = [Part(pid, "real", t(pid, pid), v, decimals=1, step=s, column=c)
             for pid, v, s, c in [("a", 1.0, 1, "net"), ("b", 2.0, 1, "w"), ("c", 3.0, 2, "net"), ("d", 4.0, 2, "w")]]
    problem = Problem("demo", 1, 1, "easy", {}, Text("s", "题"), tuple(parts), ())
    return Sheet("s", 1, "easy", "en", (), (problem,))


def test_an_answers_file_may_give_a_trace_row():
    answers = read_answers("1.1: 1 | 2\n1.2: 3 | ?\n", trace_sheet())
    assert answers == {(1, "a"): "1", (1, "b"): "2", (1, "c"): "3"}


@pytest.mark.parametrize("text, why", [("1.3: 1 | 2", "no table row 3"), ("1.1: 1", "has 2 cells"),
                                       ("1.1: 1 | 2\n1a: 5", "answered twice")])
def test_bad_rows_are_one_line_errors(text, why):
    with pytest.raises(QuizgenError, match=why):
        read_answers(text, trace_sheet())


@pytest.mark.parametrize("param, text, value", [
    (integer("n", "count", 1, 5), "3", 3), (real("eta", "rate", 0, 1), "1/4", 0.25),
    (fraction("p", "prob", 0, 1), "0.5", "1/2"), (vector("x", "v", (2, 2)), "[1, 2]", [1.0, 2.0]),
    (matrix("W", "m", (1, 2), (2, 2)), "[[1, 2]]", [[1.0, 2.0]]), (choice("c", "c", ("pytorch", "keras")), "Keras", "keras"),
    (boolean("b", "b"), "no", False)])
def test_param_factories_read_values(param, text, value):
    assert param.parse(text) == value
    assert param.name in param.help_line()


@pytest.mark.parametrize("param, text, why", [
    (integer("n", "count", 1, 5), "9", "n: expected a whole number from 1 to 5"),
    (real("eta", "rate", 0, 1), "abc", "eta:"), (vector("x", "v", (2, 2)), "[1]", "x: expected 2 to 2"),
    (matrix("W", "m", (1, 2), (2, 2), -1, 1), "[[1, 5]]", "W: values must lie between -1 and 1"),
    (choice("c", "c", ("pytorch", "keras")), "tf", "c: expected one of pytorch, keras"),
    (boolean("b", "b"), "maybe", "b:")])
def test_param_factories_give_one_line_errors(param, text, why):
    with pytest.raises(QuizgenError, match=why) as err:
        param.parse(text)
    assert "\n" not in str(err.value)
