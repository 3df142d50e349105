"""Each lab's predict-first grader, fed measured values at every band edge (issue 10 §5).

The choices are worded "below X / X to Y / Y or more" (an edge opens its band) or "within X /
X to Y / more than Y" (an edge closes its band); a value printed as exactly an edge, even a
float32 one such as 0.949999988 for 95%, falls where the wording puts it.  No torch needed:
the outcomes are built by hand.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from quizgen.lab import grade_predictions
from quizgen.labs import Outcome, load_labs

F32_95 = float(np.float32(0.95))  # 0.949999988079071
CURVES = {"acc": {"rnn": [0.5], "lstm": [0.5]}, "lengths": [5], "init": {"sigmoid": [1e-6, 1e-4, 1e-2]}}

CASES = [
    # optimizers b: ratio SGD/Adam: lower | within a factor of 2 | 2 to 10 times | more than 10 times
    *[("optimizers", "b", {"ratio_sgd_adam": r}, want) for r, want in [
        (0.5, "a"), (0.999, "a"), (1.0, "b"), (1.5, "b"), (2.0, "b"), (0.2 / 0.1, "b"), (2.01, "c"),
        (6.2, "c"), (10.0, "c"), (10.01, "d"), (50.0, "d")]],
    # vanishing-gradients a: ReLU/sigmoid first-layer ratio: <10 | 10 to 1e3 | 1e3 to 1e5 | 1e5 or more
    *[("vanishing-gradients", "a", {"first_relu": r * 1e-7, "first_sigmoid": 1e-7}, want) for r, want in [
        (9.99, "a"), (10, "b"), (999, "b"), (1000, "c"), (99_999, "c"), (100_000, "d"), (1e7, "d")]],
    # vanishing-gradients c: sigmoid test accuracy: below 20% | 20% to 80% | 80% or more
    *[("vanishing-gradients", "c", {"acc_sigmoid": v}, want) for v, want in [
        (0.1999, "a"), (0.2, "b"), (0.7999, "b"), (0.8, "c"), (float(np.float32(0.8)), "c")]],
    # dropout a: gaps within 2 points | without wider | with wider
    *[("dropout", "a", {"gap_plain": a, "gap_dropout": b}, want) for a, b, want in [
        (0.12, 0.10, "c"), (0.10, 0.12, "c"), (0.52, 0.50, "c"), (0.121, 0.10, "a"), (0.10, 0.1201, "b")]],
    # dropout b: test accuracy with dropout higher | lower | within 1 point
    *[("dropout", "b", {"test_dropout": a, "test_plain": b}, want) for a, b, want in [
        (0.51, 0.50, "c"), (0.50, 0.51, "c"), (0.52, 0.50, "a"), (0.48, 0.50, "b")]],
    # dropout c: training accuracy below 80% | 80% to 95% | 95% or more
    *[("dropout", "c", {"train_plain": v}, want) for v, want in [
        (0.7999, "a"), (0.8, "b"), (0.9499, "b"), (0.95, "c"), (F32_95, "c"), (1.0, "c")]],
    # mlp-vs-cnn b: CNN minus permuted CNN: within 1 point | 1 to 5 lower | more than 5 lower | more than 1 higher
    *[("mlp-vs-cnn", "b", {"acc_cnn": 0.9 + d, "acc_cnn-permuted": 0.9}, want) for d, want in [
        (0.0, "a"), (0.01, "a"), (-0.01, "a"), (0.011, "b"), (0.05, "b"), (0.051, "c"), (-0.011, "d")]],
    # mlp-vs-cnn c: CNN accuracy below 90% | 90 to 95 | 95 to 98 | 98 or more
    *[("mlp-vs-cnn", "c", {"acc_cnn": v}, want) for v, want in [
        (0.8999, "a"), (0.9, "b"), (0.95, "c"), (F32_95, "c"), (0.9799, "c"), (0.98, "d")]],
    # residual a: plain | residual | within 2 points
    *[("residual", "a", {"acc_plain": a, "acc_residual": b}, want) for a, b, want in [
        (0.30, 0.32, "c"), (0.32, 0.30, "c"), (0.30, 0.321, "b"), (0.321, 0.30, "a")]],
    # residual b: plain training loss below 1.0 | 1.0 to 2.2 | 2.2 or more
    *[("residual", "b", {"loss_plain": v}, want) for v, want in [
        (0.999, "a"), (1.0, "b"), (2.199, "b"), (2.2, "c"), (2.303, "c")]],
    # rnn-vs-lstm a: at the longest length RNN | LSTM | within 5 points
    *[("rnn-vs-lstm", "a", {"rnn_longest": a, "lstm_longest": b}, want) for a, b, want in [
        (0.80, 0.75, "c"), (0.75, 0.80, "c"), (0.81, 0.75, "a"), (0.30, 0.90, "b")]],
    # rnn-vs-lstm b: who reaches 95% at T = 5: both | only the LSTM | only the RNN | neither
    *[("rnn-vs-lstm", "b", {"rnn_shortest": a, "lstm_shortest": b}, want) for a, b, want in [
        (0.95, 0.95, "a"), (F32_95, 1.0, "a"), (0.9499, 0.95, "b"), (0.95, 0.94, "c"), (0.5, 0.5, "d")]],
]


def outcome(facts: dict, curves: dict = CURVES) -> Outcome:
    base = defaultdict(lambda: 0.5, {"epochs": 10, "n_test": 360})
    base.update(facts)
    return Outcome(("x",), (("1",),), base, curves)


@pytest.mark.parametrize("lab,pid,facts,want", CASES)
def test_band_edges(lab, pid, facts, want):
    the_lab = load_labs()[lab]
    graded = {g["id"]: g for g in grade_predictions(the_lab, outcome(facts), {pid: want})}
    assert graded[pid]["answer"] == [want], (lab, pid, facts)
    assert graded[pid]["status"] == "correct"
    other = "a" if want != "a" else "b"
    assert {g["id"]: g for g in grade_predictions(the_lab, outcome(facts), {pid: other})}[pid]["status"] == "wrong"


@pytest.mark.parametrize("norms,want", [([3, 2, 1], "a"), ([1, 3, 2], "b"), ([1e-6, 1e-4, 1e-2], "c")])
def test_vanishing_gradients_largest_layer(norms, want):
    lab = load_labs()["vanishing-gradients"]
    o = outcome({}, {**CURVES, "init": {"sigmoid": norms}})
    assert {g["id"]: g["answer"] for g in grade_predictions(lab, o, {})}["b"] == [want]


def test_the_optimizers_ratio_of_the_issue_is_not_within_a_factor_of_2():
    lab = load_labs()["optimizers"]
    assert {g["id"]: g["answer"] for g in grade_predictions(lab, outcome({"ratio_sgd_adam": 6.2}), {})}["b"] == ["c"]


def test_every_banded_prediction_is_covered():
    covered = {(lab, pid) for lab, pid, _, _ in CASES} | {("vanishing-gradients", "b")}
    unbanded = {("optimizers", "a"), ("mlp-vs-cnn", "a")}  # the lowest / highest of measured values
    every = {(name, p.id) for name, lab in load_labs().items() for p in lab.predictions()}
    assert every - unbanded <= covered
