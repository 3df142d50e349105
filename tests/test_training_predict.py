"""training.predict's numbers: the probes' written-out 2×2 kernel against the general loop.

The answers themselves are checked against the torch reference trainer by the registry-wide
reference tests (solvers/training_ref.py); here the fast path must give the very same floats.
"""

from __future__ import annotations

import math

from problems import _gd_net as G
from quizgen.registry import get_family
from quizgen.rng import default_rng


def test_the_2x2_kernel_gives_the_general_loops_floats_over_600_draws():
    family = get_family("training.predict")
    for seed in range(600):
        params = family._draw(default_rng(seed), "hard")  # 2 inputs, 2 hidden units: the probes' shape
        key = G.key(params)
        for lr in (0.05, 0.5, 1.0, 3.0, 12.0, -2.0):
            general = G._run(key, lr, 10, False)
            try:
                fast = G._curve_2x2(key, lr, 10)
            except OverflowError:
                assert math.inf in general  # the general loop records where it overflowed
                continue
            assert repr(fast) == repr(general), (seed, lr)


def test_an_overflowing_curve_falls_back_to_the_general_loop():
    key = ("tanh", ((1.0, 2.0), (2.0, -1.0)), (1.0, 0.0), (1.0, 1.0), 0.0, ((1.0, 1.0), (1.0, -1.0)), (0.0, 0.0))
    curve = G.curve(key, 1e100, 4)  # E grows past 1e308 at step 2: inf, then NaN weights
    assert curve[2] == math.inf and math.isnan(curve[3])
    assert repr(curve) == repr(G._run(key, 1e100, 4, False))


def test_hard_problems_use_the_kernel_and_other_shapes_the_general_loop(monkeypatch):
    family = get_family("training.predict")
    calls = []
    monkeypatch.setattr(G, "_curve_2x2", lambda *a: calls.append(a) or G._run(*a, False))
    G.curve.cache_clear()
    hard = family._draw(default_rng(3), "hard")
    G.curve(G.key(hard), 0.5, 10)
    easy = family._draw(default_rng(3), "easy")  # 1 input
    G.curve(G.key(easy), 0.5, 10)
    assert len(calls) == 1
