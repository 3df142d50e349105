"""transformer.posenc: the published values (Vaswani et al.'s formula, Machine Learning Mastery's
d = 4, n = 100 table), every convention as an option, the named mistakes, bad input."""

from __future__ import annotations

import math

import pytest

from conftest import run_cli
from quizgen.registry import get_family
from quizgen.sheet import build_problem, generate_problem

FAM = get_family("transformer.posenc")


def solved(**texts):
    params = {p.name: p for p in FAM.params}
    return build_problem(FAM, FAM.params_from_user({k: params[k].parse(v) for k, v in texts.items()}), None, "custom")


def test_machine_learning_mastery_table_d4_n100():
    """M. Saeed, "A Gentle Introduction to Positional Encoding in Transformer Models" (Machine Learning
    Mastery, 2022): "I am a robot" with d = 4 and n = 100 gives these rows P[0..3]."""
    published = [[0, 1, 0, 1],
                 [0.84147098, 0.54030231, 0.09983342, 0.99500417],
                 [0.90929743, -0.41614684, 0.19866933, 0.98006658],
                 [0.14112001, -0.9899925, 0.29552021, 0.95533649]]
    p = solved(d="4", base="100", tokens="[1, 2, 3, 4]")
    for part, row in zip(p.parts, published):
        assert all(abs(a - b) < 1e-8 for a, b in zip(part.answer, row))


def test_vaswani_first_pair_is_sin_and_cos_of_pos():
    """PE(pos, 0) = sin(pos/10000^0) = sin(pos) and PE(pos, 1) = cos(pos), for any d; dimension 256
    of d = 512 has ω = 10000^(−1/2) = 1/100."""
    p = solved(d="512", tokens="[2]", dims="[0, 1, 256, 257]")
    assert [round(x.answer, 4) for x in p.parts] == [0.8415, 0.5403, round(math.sin(0.01), 4), round(math.cos(0.01), 4)]


def test_conventions_halves_and_one_based_positions():
    halves = solved(d="4", tokens="[2]", layout="halves")
    assert [round(x, 4) for x in halves.parts[0].answer] == [0.8415, 0.01, 0.5403, 1.0]
    one = solved(d="4", tokens="[1]", start="1")
    assert [round(x, 4) for x in one.parts[0].answer] == [0.8415, 0.5403, 0.01, 1.0]
    assert "pos = k − 1 + 1" in one.statement.en or "pos = k - 1 + 1" in one.statement.en


@pytest.mark.parametrize("tag", ["sin_cos_swapped", "degrees", "position_offset", "exponent_j", "layout"])
def test_known_mistakes(tag):
    p = solved(d="8", tokens="[3]")
    m = next(m for m in p.mistakes if m.tag == tag)
    if tag == "sin_cos_swapped":
        assert abs(m.answer[0] - math.cos(2)) < 1e-12 and abs(m.answer[1] - math.sin(2)) < 1e-12
    if tag == "degrees":
        assert abs(m.answer[0] - math.sin(math.radians(2))) < 1e-12


def test_generated_problems_use_every_convention():
    seen = set()
    for d in FAM.difficulties:
        for s in range(30):
            prm = generate_problem(FAM, s, d).params
            seen |= {prm["layout"], f"start{prm['start']}", f"base{prm['base']}", prm["spacing"]}
    assert {"interleaved", "halves", "start0", "start1", "base10000", "base100", "paper", "t2t"} <= seen


@pytest.mark.parametrize("settings, message", [
    (["d=5", "tokens=[1]"], "even"),
    (["d=512", "tokens=[1]"], "dims"),
    (["d=4", "tokens=[1]", "dims=[4]"], "0 to 3"),
    (["d=4", "tokens=[1.5]"], "whole"),
    (["d=4", "tokens=[1]", "layout=diagonal"], "layout"),
])
def test_bad_input_is_one_line(settings, message):
    r = run_cli("solve", "transformer.posenc", *[x for s in settings for x in ("--set", s)])
    assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_tensor2tensor_spacing_ends_at_one_over_base():
    """tensor2tensor's get_timing_signal_1d (the layout of Alammar's "Illustrated Transformer"
    figure): sin in the first half, cos in the second, ω_i = 10000^(−i/(d/2 − 1)), so the last
    pair has ω = 1/10000 exactly."""
    p = solved(d="8", tokens="[2]", layout="halves", spacing="t2t")
    w = [10000 ** (-i / 3) for i in range(4)]
    assert all(abs(a - b) < 1e-12 for a, b in zip(p.parts[0].answer, [math.sin(x) for x in w] + [math.cos(x) for x in w]))
    assert abs(w[3] - 1e-4) < 1e-15
    assert any(m.tag == "spacing" for m in p.mistakes)
