"""Drawing a perceptron.rosenblatt problem: a try, and the run it must have.

    labels   from a line w*·x = t with t an integer between the samples' scores, each sample at
             least 1 from it: both classes, separable with margin
    samples  easy in −3…4; medium and hard in the first quadrant (0…5, or halves), where the
             bias has far to go and training takes more epochs; 3 (easy, hard) or 3–4 (medium),
             so that no problem has more than 12 presentations to work by hand
    epochs   easy / medium / hard: 1 / 2 / 3 epochs with updates, then one clean epoch; a medium
             or hard run up to MAX_SKIPPED epochs longer starts from its own weights that many
             epochs in (the run from there is the old run's tail)
"""

from __future__ import annotations

import math

from problems import _perceptron as M
from quizgen.draw import digits
from quizgen.errors import QuizgenError

MAX_SKIPPED = 4          # epochs a draw may start after (see fitted)
TARGET_EPOCHS = {"easy": 1, "medium": 2, "hard": 3}   # epochs with updates, then one clean epoch


def draw(rng, difficulty: str) -> dict | None:
    """One try, its choices read from the digits of two draws (draw.digits).  The labels
    come from a drawn line w*·x = t, its t between the samples' scores (so both classes
    occur, every sample at least 1 from the line); medium and hard samples lie in the
    first quadrant, where the bias has far to go and training takes more epochs.  The
    cheap checks (a zero or repeated sample, no such t) come before the conventions."""
    hard = difficulty == "hard"
    vd, vn, vh, vl, vm, va, vu, vb, vlb, vg, ve, vf, vb0, *vw = digits(
        rng, (3, 2, 5, 10, 5, 4, 5, 10, 10, 2, 12, 4, 5, 5, 5, 5))  # the shape, then the conventions
    # at most 12 presentations (60 cells) a problem: 3 samples for 4 epochs (hard), 3 or 4 for 3 (medium)
    d, n = (3 if hard and vd == 2 else 2), (3 + vn if difficulty == "medium" else 3)
    halves, (low, size) = hard and vh < 2, ((-3, 8) if difficulty == "easy" else (0, 6))
    v = digits(rng, (11 if halves else size,) * (n * d) + (7,) * d + (1 << 20,))
    if halves:
        X = [[a / 2 for a in v[r:r + d]] for r in range(0, n * d, d)]
    elif low:
        X = [[a + low for a in v[r:r + d]] for r in range(0, n * d, d)]
    else:
        X = [v[r:r + d] for r in range(0, n * d, d)]
    if any(not any(x) for x in X) or len({tuple(x) for x in X}) < n:
        return None
    ws = [a - 3 for a in v[n * d:n * d + d]]
    scores = [sum(a * b for a, b in zip(ws, x)) for x in X]
    t = _threshold(scores, v[-1])
    if t is None:
        return None
    scores = [s - t for s in scores]
    labels = "pm1" if vl < 7 else "01"
    mistake = "margin" if labels == "pm1" and vm < 3 else "output"
    rules = {
        "labels": labels,
        "at0": [1, 1, 0, -1][va] if labels == "pm1" else [1, 0][va % 2],
        "mistake": mistake,
        "update": "mistakes" if mistake == "margin" or vu < 3 else "error",
        "bias": "plus" if vb < 7 else "threshold",
        "learn_bias": difficulty == "easy" or vlb < 9,
    }
    given = difficulty != "easy" and vg == 1
    eta = (1, 1, 0.5)[ve % 3] if difficulty == "medium" else (1, 0.5, 0.2, 0.1)[ve % 4] if hard else 1
    fixed = hard and vf == 0
    return {"X": X, "y": [1 if s > 0 else (-1 if labels == "pm1" else 0) for s in scores], "eta": eta,
            "w0": [a - 2 for a in vw[:d]] if given else [0] * d,
            "b0": vb0 - 2 if given or not rules["learn_bias"] else 0,
            **rules, "epochs": TARGET_EPOCHS[difficulty] + 1 if fixed else 0}


def _threshold(scores: list, digit: int) -> int | None:
    """An integer t with some scores above it and some below, each at least 1 away (the
    `digit`-th such t, cyclically); None when there is none."""
    u = sorted(set(scores))
    options = [(math.ceil(lo + 1), math.floor(hi - 1)) for lo, hi in zip(u, u[1:]) if hi - lo >= 2]
    count = sum(hi - lo + 1 for lo, hi in options)
    if not count:
        return None
    k = digit % count
    for lo, hi in options:
        if k <= hi - lo:
            return lo + k
        k -= hi - lo + 1


def fitted(p: dict | None, difficulty: str) -> dict | None:
    """The draw `p` with the difficulty's number of epochs with updates, or None.  A cheap look
    (no rows) runs it first; a run that takes up to MAX_SKIPPED epochs more (medium and hard)
    starts instead from its weights after those epochs, so that what is left is its last
    TARGET_EPOCHS.  Its numbers stay under 100, with at most 3 decimals."""
    if p is None:
        return None
    target, epochs = TARGET_EPOCHS[difficulty], p["epochs"]
    most = target if epochs or difficulty == "easy" else target + MAX_SKIPPED
    try:
        look = M.train(p["X"], p["y"], p["eta"], p["w0"], p["b0"], M.Rules.of(p), epochs,
                       (most + 1) * len(p["X"]), rows=False, most=None if epochs else most)
    except QuizgenError:
        return None
    if look.update_epochs < target or not epochs and not look.converged:
        return None
    if not epochs and look.update_epochs > target:
        w0, b0, places = look.start(look.update_epochs - target)
        if max(map(abs, w0), default=0) >= 100 or places > 3:
            return None
        p = dict(p, w0=w0, b0=b0)
    key = M.training(p)
    return None if key.reaches(100) or (M.decimals(p, key) or 0) > 3 else p
