"""The basics families: published worked examples and the slips they name."""

from __future__ import annotations

import math

import pytest

from quizgen import kinds
from quizgen.check import check_problem
from quizgen.registry import get_family
from quizgen.sheet import build_problem


def solved(name: str, values: dict):
    fam = get_family(name)
    return build_problem(fam, fam.params_from_user(values), None, "custom")


def grade_one(problem, pid: str, value) -> object:
    answers = {q.id: kinds.show(q, q.answer) for q in problem.parts if q.id < pid and len(q.id) == len(pid)}
    answers[pid] = value if isinstance(value, str) else kinds.show(problem.part(pid), value)
    return {r.part: r for r in check_problem(problem, 1, answers)}[pid]


# ---------------------------------------------------------------- basics.softmax_ce

def test_softmax_wikipedia_example():
    # Wikipedia, "Softmax function": softmax([1, 2, 3, 4, 1, 2, 3]) ≈ [0.024, 0.064, 0.175, 0.475, 0.024, 0.064, 0.175]
    p = solved("basics.softmax_ce", {"z": [1, 2, 3, 4, 1, 2, 3], "y": [0, 0, 0, 1, 0, 0, 0]})
    assert p.part("a").answer == [-3, -2, -1, 0, -3, -2, -1]
    assert p.part("b").answer == pytest.approx([0.024, 0.064, 0.175, 0.475, 0.024, 0.064, 0.175], abs=5e-4)


def test_softmax_two_one_point_one():
    # the common tutorial example: softmax([2.0, 1.0, 0.1]) ≈ [0.659, 0.242, 0.099]
    p = solved("basics.softmax_ce", {"z": [2, 1, 0.1], "y": [1, 0, 0]})
    assert p.part("b").answer == pytest.approx([0.659, 0.242, 0.099], abs=5e-4)
    assert p.part("c").answer == pytest.approx(-math.log(0.659), abs=1e-3)
    assert p.part("d").answer == pytest.approx([0.659 - 1, 0.242, 0.099], abs=5e-4)
    assert p.part("f").answer == ["a"]  # scale 2 sharpens


def test_cs231n_cat_scores():
    # CS231n (Stanford), linear classification notes: scores cat 3.2, car 5.1, frog -1.7 for a cat image:
    # probabilities 0.13, 0.87, 0.00 and L = -ln 0.13 = 2.04; the log10 slip gives 0.89
    p = solved("basics.softmax_ce", {"z": [3.2, 5.1, -1.7], "y": [1, 0, 0], "decimals": 2})
    assert p.part("b").answer == pytest.approx([0.13, 0.87, 0.00], abs=5e-3)
    assert p.part("c").answer == pytest.approx(2.04, abs=5e-3)
    r = grade_one(p, "c", "0.89")
    assert r.status == "wrong" and r.mistake == "log10"


def test_loss_from_probabilities_and_its_gradient():
    p = solved("basics.softmax_ce", {"p": [0.7, 0.2, 0.1], "y": [0, 1, 0]})
    assert p.part("a").answer == pytest.approx(-math.log(0.2))
    assert p.part("b").answer == pytest.approx([0.7, -0.8, 0.1])
    assert "from the probabilities" in p.statement.en and "自然对数" in p.statement.zh


def test_softmax_slips_are_named():
    p = solved("basics.softmax_ce", {"z": [2, 1, 0.1], "y": [1, 0, 0], "scale": 0.5})
    probs = p.part("b").answer
    assert grade_one(p, "d", [1 - probs[0], -probs[1], -probs[2]]).mistake == "sign"
    assert grade_one(p, "b", [2 / 3.1, 1 / 3.1, 0.1 / 3.1]).mistake == "no_exp"
    assert p.part("f").answer == ["b"]  # scale 0.5 flattens


@pytest.mark.parametrize("values, message", [
    ({"z": [1, 2], "y": [1, 0, 0]}, "y: expected 2 numbers"),
    ({"z": [1, 2], "p": [0.5, 0.5], "y": [1, 0]}, "either the logits z or the probabilities p"),
    ({"p": [0.5, 0.6], "y": [1, 0]}, "sum to 1"),
    ({"z": [1, 2], "y": [0.5, 0.6]}, "sum to 1"),
])
def test_softmax_bad_input(values, message):
    from quizgen.errors import QuizgenError

    with pytest.raises(QuizgenError, match=message):
        get_family("basics.softmax_ce").params_from_user(values)
