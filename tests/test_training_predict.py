"""training.predict's batched probe curves (problems/_training_probe.py, numpy over the rates)
against the scalar trainer the worked solution uses, over 300 hard draws: the same verdicts,
and the same losses to 1e-9 while they stay below 10^4 (a diverging run amplifies rounding).
The verdicts themselves are checked against torch in tests/test_references.py."""

from __future__ import annotations

import math

import numpy as np

import problems.training_predict as M
from quizgen.registry import get_family


def test_probe_curves_match_the_scalar_trainer():
    family = get_family("training.predict")
    checked = 0
    for seed in range(300):
        params = family.generate(np.random.default_rng(seed), "hard")
        for lr, batched in zip(params["probe_lrs"], M.probes(params)):
            scalar = M._losses(M._key(params), lr, M.PROBE_STEPS)
            assert M.ends_above(batched) == M.ends_above(scalar)
            assert math.isfinite(batched[-1]) == math.isfinite(scalar[-1])
            for a, b in zip(batched, scalar):
                if math.isfinite(b) and abs(b) < 1e4:
                    assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), (seed, lr)
                    checked += 1
    assert checked > 5000


def test_an_overflowing_probe_is_inf_then_nan():
    from problems._training_probe import probe_curves

    # one point x = 1e200 (σ saturates at 1), t = 0, w2 = 1: E = ½; a step of η = 1e200 sends
    # w2 to 1 − 1e200, and then (y − t)² overflows
    key = ("sigmoid", ((1e200,),), (0.0,), (1.0,), 0.0, ((1.0,),), (0.0,))
    curve = probe_curves(key, (1e200,), 3)[0]
    assert curve[0] == 0.5 and curve[1] == math.inf and all(math.isnan(e) for e in curve[2:])
    assert M.ends_above(curve)
