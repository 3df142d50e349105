"""perceptron.boundary: 李航 例 2.1's separating line forwards and backwards, positive multiples,
the side of the line when w₂ < 0, and bad input."""

from __future__ import annotations

import pytest

from conftest import run_cli
from quizgen import kinds
from quizgen.check import check_problem
from quizgen.registry import get_family
from quizgen.sheet import build_problem, generate_problem

FAM = get_family("perceptron.boundary")


def solved(**values):
    return build_problem(FAM, FAM.params_from_user(values), None, "custom")


def test_li_hang_example_2_1_boundary_forwards():
    """李航 例 2.1 ends with the separating line x⁽¹⁾ + x⁽²⁾ − 3 = 0 (w = (1, 1), b = −3)."""
    p = solved(w=[1, 1], b=-3, points=[[3, 3], [4, 3], [1, 1]])
    expr = p.part("a")
    for typed in ("3 - x1", "-x1 + 3", "-1*x1+3"):
        assert kinds.equal(expr, kinds.parse_answer(expr, typed), expr.answer)
    assert not kinds.equal(expr, kinds.parse_answer(expr, "x1 - 3"), expr.answer)
    assert p.part("b").answer == -1 and p.part("c").answer == 3
    assert [p.part(i).answer for i in "defghi"] == ["above", 1, "above", 1, "below", -1]


def test_li_hang_boundary_backwards_any_positive_multiple():
    p = solved(through=[[0, 3], [3, 0]], positive=[3, 3], points=[[1, 1]])
    part = p.part("a")
    for typed in ("[1, 1, -3]", "[2, 2, -6]", "[0.5, 0.5, -1.5]", "[0.333, 0.333, -1]"):
        assert kinds.equal(part, kinds.parse_answer(part, typed), part.answer), typed
    results = {r.part: r for r in check_problem(p, 1, {"a": "[-1, -1, 3]", "b": "-1"})}
    assert results["a"].mistake == "orientation" and results["b"].status == "correct"
    along = {r.part: r for r in check_problem(p, 1, {"a": "[3, -3, 9]"})}
    assert along["a"].mistake == "direction"


def test_negnevitsky_and_boundary():
    """Negnevitsky's trained AND neuron (w = (0.1, 0.1), θ = 0.2, so b = −0.2): x₂ = −x₁ + 2."""
    p = solved(w=[0.1, 0.1], b=-0.2, points=[[1, 1], [0, 1]])
    assert p.part("b").answer == -1 and p.part("c").answer == 2
    assert [p.part(i).answer for i in "defg"] == ["on", 0, "below", -1]   # (1, 1) lies on the line


def test_the_positive_side_is_below_when_w2_is_negative():
    p = solved(w=[2, -1], b=3, points=[[0, 0]])
    assert p.part("d").answer == "below" and p.part("e").answer == 1
    results = {r.part: r for r in check_problem(p, 1, {"d": "above", "b": "-2", "c": "-3"})}
    assert results["d"].mistake == "above_is_positive"
    assert results["b"].mistake == "slope_sign" and results["c"].mistake == "intercept_sign"
    assert check_problem(p, 1, {"d": "下方"})[3].status == "correct"


def test_generated_draws_use_both_modes_and_friendly_slopes():
    modes = {generate_problem(FAM, s, d).params["mode"] for s in range(20) for d in ("medium", "hard")}
    assert modes == {"forward", "reverse"}
    for s in range(30):
        p = generate_problem(FAM, s, "easy")
        assert p.params["mode"] == "forward" and p.params["w"][1] > 0
        assert abs(p.part("b").answer * 100 - round(p.part("b").answer * 100)) < 1e-9


@pytest.mark.parametrize("settings, message", [
    (["w=[1, 0]"], "vertical"),
    (["through=[[0, 0], [0, 0]]", "positive=[1, 1]"], "must differ"),
    (["through=[[0, 0], [1, 1]]", "positive=[2, 2]"], "on the boundary"),
    (["through=[[0, 0], [1, 1]]"], "positive="),
    (["b=1"], "needs --set w"),
])
def test_bad_input_is_one_line(settings, message):
    r = run_cli("solve", "perceptron.boundary", *[x for s in settings for x in ("--set", s)])
    assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1
