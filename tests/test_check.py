"""Checking: typed comparison, known-mistake feedback, error carried forward, answers files."""

from __future__ import annotations

import pytest

from quizgen.check import check_problem, check_sheet, read_answers
from quizgen.errors import QuizgenError
from quizgen.model import Sheet
from quizgen.netspec import parse_netspec
from quizgen.registry import get_family
from quizgen.sheet import build_problem, generate_sheet


def lecture_problem():
    """The lecture's example: 1x28x28 -> conv 25@3x3 -> pool 2 -> conv 50@3x3 -> pool 2."""
    shape, layers = parse_netspec("in 1x28x28; conv 25 k3; maxpool 2; conv 50 k3; maxpool 2")
    return build_problem(get_family("cnn.shape"), {"input": shape, "layers": layers}, None, "custom")


def statuses(results):
    return [r.status for r in results]


def test_lecture_example_all_correct():
    p = lecture_problem()
    results = check_problem(p, 1, {"a": "25x26x26", "b": "(25, 13, 13)", "c": "50*11*11", "d": "50×5×5"})
    assert statuses(results) == ["correct"] * 4


def test_known_mistake_gets_its_explanation():
    p = lecture_problem()
    # forgot the +1 in layer 1: 28 - 3 = 25
    r = check_problem(p, 1, {"a": "25x25x25"})[0]
    assert r.status == "wrong" and r.mistake == "no_plus_one"
    assert "+1" in r.feedback.en and "first divergence" in r.feedback.en
    # kept the input's single channel
    r = check_problem(p, 1, {"a": "1x26x26"})[0]
    assert r.mistake == "channels_kept" and "kernel" in r.feedback.en


def test_error_carried_forward_through_the_trace():
    p = lecture_problem()
    # a wrong first layer (28x28, as if padded); each later layer follows from the student's value:
    # pool 2 on 28 -> 14; conv 3 on 14 -> 12; pool 2 on 12 -> 6
    results = check_problem(p, 1, {"a": "25x28x28", "b": "25x14x14", "c": "50x12x12", "d": "50x6x6"})
    assert statuses(results) == ["wrong", "carried", "carried", "carried"]
    assert "part a" in results[0].feedback.en
    # the key's own later values are still accepted after an early slip
    results = check_problem(p, 1, {"a": "25x28x28", "b": "25x13x13", "c": "50x11x11", "d": "50x5x5"})
    assert statuses(results) == ["wrong", "correct", "correct", "correct"]
    # a second, independent slip is wrong even with carried values
    results = check_problem(p, 1, {"a": "25x28x28", "b": "25x14x14", "c": "50x13x13", "d": "50x6x6"})
    assert statuses(results) == ["wrong", "carried", "wrong", "carried"]


def test_format_error_is_not_wrong_and_missing_is_reported():
    p = lecture_problem()
    results = check_problem(p, 1, {"a": "25x26.5x26", "c": "50x11x11"})
    assert statuses(results) == ["format", "missing", "correct", "missing"]
    assert "25x13x13" in results[0].feedback.en  # says what was expected


def test_network_total_is_judged_from_own_layer_counts():
    shape, layers = parse_netspec("in 1x28x28; conv 6 k5; maxpool 2; flatten; fc 10")
    p = build_problem(get_family("cnn.network"), {"input": shape, "layers": layers}, None, "custom")
    # by hand: conv 6*(25+1)=156; pool 0; 6x12x12=864 -> fc 10*(864+1)=8650; total 8806
    assert [part.answer for part in p.parts] == [156, 0, 8650, 8806]
    results = check_problem(p, 1, {"a": "150", "b": "0", "c": "8650", "d": "8800"})
    assert statuses(results) == ["wrong", "correct", "correct", "carried"]
    assert results[0].mistake == "forgot_bias"
    r = check_problem(p, 1, {"b": "20"})[1]
    assert r.mistake == "pool_params"


def test_answers_file_reading():
    sheet = generate_sheet(["cnn.params", "cnn.shape"], 2, 5)
    n_parts = len(sheet.problems[1].parts)
    text = "# my answers\n1: 100\n\n2a: 3x4x5\n"
    answers = read_answers(text, sheet)
    assert answers == {(1, "a"): "100", (2, "a"): "3x4x5"}
    results = check_sheet(sheet, answers)
    assert len(results) == 1 + n_parts
    assert results[0].status in ("wrong", "correct")


def test_matrix_rows_continue_on_following_lines():
    sheet = generate_sheet(["cnn.params"], 1, 5)
    assert read_answers("1a: 1 2\n3 4\n", sheet) == {(1, "a"): "1 2\n3 4"}


@pytest.mark.parametrize("text,message", [
    ("9a: 5", "no problem 9"),
    ("1z: 5", "no part z"),
    ("1a: 5\n1a: 6", "answered twice"),
    ("hello", "expected an id"),
    ("2: 5", "has parts"),
])
def test_unusable_answers_files(text, message):
    sheet = generate_sheet(["cnn.params", "cnn.shape"], 2, 5)
    with pytest.raises(QuizgenError, match=message):
        read_answers(text, sheet)


def test_sheet_from_json_rejects_bad_files():
    with pytest.raises(QuizgenError, match="not valid JSON"):
        Sheet.from_json('{"schema": 1, "title": ')
    with pytest.raises(QuizgenError, match="schema version"):
        Sheet.from_json('{"schema": 99}')
    with pytest.raises(QuizgenError, match="malformed"):
        Sheet.from_json('{"schema": 1, "title": "x", "difficulty": "easy", "lang": "en", "topics": [], '
                        '"problems": [{"family": 3}]}')
    with pytest.raises(QuizgenError, match="not a quizgen sheet"):
        Sheet.from_json("[1, 2]")


def test_expression_parts_compare_symbolically():
    from quizgen import kinds
    from quizgen.model import Part, t
    from quizgen.parse import parse_expression

    part = Part("a", "expression", t("dσ/dz"), "sigma(z)*(1-sigma(z))")
    for equivalent in ("exp(-z)/(1+exp(-z))^2", "σ(z) - σ(z)^2", "sigma(z)*(1 - sigma(z))"):
        assert kinds.equal(part, parse_expression(equivalent), part.answer), equivalent
    for different in ("sigma(z)", "1 - sigma(z)", "sigma(z)^2", "z*(1-z)"):
        assert not kinds.equal(part, parse_expression(different), part.answer), different


def test_text_parts_are_self_graded_and_choice_parts_exact():
    from quizgen.model import Part, Problem, t

    text = Part("a", "text", t("Explain."), "model answer", key_points=(t("point one", "要点一"),))
    choice = Part("b", "choice", t("Pick."), ["a", "c"], choices=(t("x"), t("y"), t("z")))
    p = Problem("bank", 1, None, "easy", {"id": "x"}, t("Q", "问"), (text, choice), (t("A", "答"),))
    results = check_problem(p, 1, {"a": "my essay", "b": "c, a"})
    assert statuses(results) == ["self", "correct"]
    assert statuses(check_problem(p, 1, {"b": "a"})) == ["missing", "wrong"]
    assert statuses(check_problem(p, 1, {"b": "q"})) == ["missing", "format"]
