"""perceptron.logic: published M-P neurons (Fausett), any valid neuron accepted, XOR impossibility,
error carried forward from the outputs to the gate's name."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from quizgen import kinds
from quizgen.check import check_problem
from quizgen.registry import get_family
from quizgen.sheet import build_problem, generate_problem
from quizgen.truthtable import table

FAM = get_family("perceptron.logic")


def solved(**values):
    p = FAM.params_from_user(values)
    return build_problem(FAM, p, None, "custom")


@pytest.mark.parametrize("w, theta, gate", [
    # Fausett, Fundamentals of Neural Networks, §1.6 (McCulloch-Pitts neurons, fire when net ≥ θ = 2)
    ([1, 1], 2, "AND"), ([2, 2], 2, "OR"), ([2, -1], 2, "none"),   # the last is x1 AND NOT x2
    ([-1], -0.5, "NOT"), ([-1, -1], -1.5, "NAND"), ([-1, -1], -0.5, "NOR"),
])
def test_published_neurons_are_named(w, theta, gate):
    p = solved(w=w, theta=theta, xor=False, network="none")
    assert p.part("b").answer == gate


def test_fire_convention_and_bias_form_are_honoured():
    assert solved(w=[1, 1], theta=1, fire="gt").part("b").answer == "AND"
    assert solved(w=[1, 1], theta=1, fire="ge").part("b").answer == "OR"
    assert solved(w=[1, 1], theta=-1.5, form="bias").part("b").answer == "AND"   # b = −1.5 means θ = 1.5


def test_any_valid_neuron_is_accepted_and_the_complement_is_explained():
    p = solved(w=[1, 1], theta=1.5, gate="NOR")
    part = p.part("c")
    assert kinds.equal(part, kinds.parse_answer(part, "-2, -2, -1"), part.answer)
    assert kinds.equal(part, kinds.parse_answer(part, "[-0.5, -0.5, -0.25]"), part.answer)
    results = {r.part: r for r in check_problem(p, 1, {"c": "1, 1, 0.5"})}
    assert results["c"].status == "wrong" and results["c"].mistake == "complement"


def test_fausett_xor_network_is_accepted():
    """Fausett's XOR: z1 = x1 AND NOT x2, z2 = x2 AND NOT x1 (weights 2, −1, θ = 2), y = z1 OR z2."""
    p = solved(w=[1, 1], theta=1.5, network="XOR")
    part = p.part("e")
    answer = kinds.parse_answer(part, "[[2, -1, 2], [-1, 2, 2]]; [2, 2, 2]")
    assert kinds.equal(part, answer, part.answer)
    assert not kinds.equal(part, kinds.parse_answer(part, "1, 1, 0.5"), part.answer)
    xnor = solved(w=[1, 1], theta=1.5, network="XNOR").part("e")
    assert not kinds.equal(xnor, answer, xnor.answer)


def test_no_single_neuron_on_a_grid_computes_xor():
    grid = [v / 2 for v in range(-8, 9)]
    tables = {tuple(table([[[a, b, c]]], 2)) for a, b, c in itertools.product(grid, repeat=3)}
    assert (0, 1, 1, 0) not in tables and (1, 0, 0, 1) not in tables
    assert (0, 0, 0, 1) in tables  # the grid is rich enough to hold AND


def test_the_gate_name_is_carried_from_the_students_outputs():
    p = solved(w=[1, 1], theta=1.5)
    results = {r.part: r for r in check_problem(p, 1, {"a": "[0, 1, 1, 1]", "b": "OR"})}
    assert results["a"].status == "wrong" and results["b"].status == "carried"
    zh = {r.part: r for r in check_problem(p, 1, {"a": "[0, 0, 0, 1]", "b": "与"})}
    assert zh["b"].status == "correct"


def test_fire_at_theta_mistake_is_recognised():
    p = solved(w=[1, 1], theta=1)       # fires at w·x = 1 (≥): OR; with > it would be AND
    results = {r.part: r for r in check_problem(p, 1, {"a": "[0, 0, 0, 1]"})}
    assert results["a"].mistake == "fire_at_theta"


def test_generated_problems_cover_every_gate_and_the_xor_part():
    names = Counter(generate_problem(FAM, s, d).part("b").answer for s in range(60) for d in FAM.difficulties)
    assert set(names) == {"AND", "OR", "NOT", "NAND", "NOR", "none"}
    hard = generate_problem(FAM, 4, "hard")
    assert hard.part("d").kind == "choice" and hard.part("e").kind == "truthtable"
