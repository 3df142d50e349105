"""gd.batch_variants: a hand-worked epoch, the mean/sum and ½ conventions, the slips."""

from __future__ import annotations

import pytest

from quizgen import kinds
from quizgen.check import check_problem
from quizgen.errors import QuizgenError
from quizgen.registry import get_family
from quizgen.sheet import build_problem

FAM = get_family("gd.batch_variants")


def solved(**values):
    return build_problem(FAM, FAM.params_from_user(values), None, "custom")


def answers(p) -> dict:
    return {q.column: q.answer for q in p.parts}


def test_hand_worked_epoch_mean_with_half():
    # points (1, 2), (2, 4), w = b = 0, η = 0.1, L = ½·mean, worked on paper:
    # BGD: ∇ = (−5, −3) → [0.5, 0.3];  SGD: [0.2, 0.2] then e = −3.4 → [0.88, 0.54];  mini-batch of 2 = BGD
    a = answers(solved(x=[1, 2], t=[2, 4], eta=0.1))
    assert a["L0"] == pytest.approx(5.0)
    assert a["BGD 1"] == pytest.approx([0.5, 0.3])
    assert a["SGD 1"] == pytest.approx([0.2, 0.2]) and a["SGD 2"] == pytest.approx([0.88, 0.54])
    assert a["mini-batch 1"] == pytest.approx([0.5, 0.3])
    assert a["L BGD"] == pytest.approx(2.1825) and a["L SGD"] == pytest.approx(0.8066)


def test_sum_without_half_keeps_the_two():
    a = answers(solved(x=[1, 2], t=[2, 4], eta=0.1, loss="sum", half=False))
    assert a["L0"] == pytest.approx(20.0)
    assert a["BGD 1"] == pytest.approx([2.0, 1.2])  # ∇ = 2·Σ e x, 2·Σ e = (−20, −12)


def test_statement_says_mean_or_sum():
    assert "mean" in solved(x=[1, 2], t=[2, 4], eta=0.1).statement.en
    assert "总和" in solved(x=[1, 2], t=[2, 4], eta=0.1, loss="sum").statement.zh


def test_slips_are_named_and_sgd_is_carried_forward():
    p = solved(x=[1, 2, 3], t=[2, 4, 5], eta=0.1)
    col = {q.column: q for q in p.parts}
    shown = {q.id: kinds.show(q, q.answer) for q in p.parts[:2]}
    slip = [0.4, 0.4]  # the gradient doubled in SGD step 1 (the ½ ignored)
    shown[col["SGD 1"].id] = "[0.4, 0.4]"
    later = FAM.follow_through(p.params, col["SGD 2"].id, {**{q.id: q.answer for q in p.parts[:2]}, col["SGD 1"].id: slip})
    shown[col["SGD 2"].id] = kinds.show(col["SGD 2"], later)
    r = {x.part: x for x in check_problem(p, 1, shown)}
    assert r[col["SGD 1"].id].mistake == "factor_two"
    assert r[col["SGD 2"].id].status == "carried"
    bgd = col["BGD 1"]
    w_sum = [v * 3 for v in bgd.answer]  # sum instead of mean, from w = b = 0
    assert r[bgd.id].status == "correct"
    assert {m.tag for m in p.mistakes if m.part == bgd.id} >= {"sign", "mean_vs_sum", "factor_two"}
    assert any(kinds.equal(bgd, m.answer, w_sum) for m in p.mistakes if m.tag == "mean_vs_sum")


def test_bad_input():
    with pytest.raises(QuizgenError, match="t: expected 3 targets"):
        FAM.params_from_user({"x": [1, 2, 3], "t": [1, 2], "eta": 0.1})
