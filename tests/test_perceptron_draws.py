"""perceptron.rosenblatt's fast paths against the general ones they stand for: the key's run made
straight from its training (against the trace driven by run_trace), a draw started after its
surplus epochs (against the whole run), the slips in ints (against floats), and the worked lines
of each epoch (against 李航's published order of misclassified points)."""

from __future__ import annotations

import pytest

from problems import _perceptron as M
from problems import _perceptron_mistakes as K
from problems import _perceptron_draw as D
from quizgen.errors import QuizgenError
from quizgen.registry import get_family
from quizgen.rng import default_rng
from quizgen.sheet import generate_problem
from quizgen.trace import MistakeSet, run_trace
from test_perceptron import COMBOS, draws, solved

FAM = get_family("perceptron.rosenblatt")


def generated(count: int):
    return [generate_problem(FAM, seed, FAM.difficulties[seed % 3]).params for seed in range(count)]


def user_problems():
    """Two small problems for every convention (52), with x in halves and η down to 0.1."""
    import numpy as np

    rng = np.random.default_rng(5)
    for conv in COMBOS:
        X, y, eta, w0, b0 = draws(rng, 2, 3, 2, conv["labels"])
        for k in range(2):
            try:
                yield FAM.params_from_user(dict(conv, X=X[k].tolist(), y=y[k].tolist(), eta=float(eta[k]),
                                                w0=w0[k].tolist(), b0=int(b0[k]), epochs=3))
            except QuizgenError:  # a single class: not a problem anyone is given
                continue


def as_dicts(run):
    return ([p.to_dict() for p in run.parts], [t.to_dict() for t in run.work],
            [[(w.answer, w.tag, w.explanation.to_dict()) for w in wrong] for wrong in run.wrongs])


@pytest.mark.parametrize("source", ["generated", "every convention"])
def test_the_key_run_is_the_traces_own_run(source):
    """key_run (straight from the training) gives exactly the parts, worked lines and known slips
    of the trace driven by run_trace (the step logic that error carried forward follows)."""
    problems = generated(450) if source == "generated" else list(user_problems())
    assert len(problems) > 90
    for p in problems:
        assert as_dicts(FAM.key_run(p)) == as_dicts(run_trace(FAM, p)), p


def test_the_mistakes_are_those_of_the_general_run():
    for p in generated(150):
        general = run_trace(FAM, p)
        found = MistakeSet(general.parts)
        for part, wrong in zip(general.parts, general.wrongs):
            for w in wrong:
                found.add_to(part, w.answer, w.tag, w.explanation)
        for pid, answer, tag, text in FAM.more_mistakes(p, general.parts):
            found.add(pid, answer, tag, text)
        assert [m.to_dict() for m in FAM.mistakes(p)] == [m.to_dict() for m in found.items]


def test_a_later_start_is_the_tail_of_the_whole_run():
    """A cheap look's weights after j epochs start a run that is the whole run from epoch j + 1."""
    checked = 0
    for seed in range(400):
        p = FAM._draw(default_rng(seed), ("medium", "hard")[seed % 2])
        if p is None or p["epochs"]:
            continue
        rules = M.Rules.of(p)
        try:
            whole = M.train(p["X"], p["y"], p["eta"], p["w0"], p["b0"], rules, 0, 60)
        except QuizgenError:
            continue
        look = M.train(p["X"], p["y"], p["eta"], p["w0"], p["b0"], rules, 0, 60, rows=False)
        assert (look.update_epochs, look.converged, look.epochs) == (whole.update_epochs, True, whole.epochs)
        n = len(p["X"])
        for j in range(1, whole.update_epochs + 1):
            w0, b0, places = look.start(j)
            tail = M.train(p["X"], p["y"], p["eta"], w0, b0, rules, 0, 60)
            assert [r.shown() for r in tail.rows] == [r.shown() for r in whole.rows[j * n:]]
            assert tail.update_epochs == whole.update_epochs - j
            assert places == (M.decimals_needed(map(M.frac, [*w0, b0])) or 0)
            checked += 1
    assert checked > 300


def test_a_stop_after_most_epochs_with_updates():
    p, _ = solved(X=[[3, 3], [4, 3], [1, 1]], y=[1, 1, -1])  # 李航 2.1: five epochs with updates
    look = M.train(p["X"], p["y"], p["eta"], p["w0"], p["b0"], M.Rules.of(p), 0, 60, rows=False, most=2)
    assert (look.update_epochs, look.converged, look.epochs, look.rows) == (3, False, 3, ())


def test_generated_starts_are_friendly():
    for seed in range(300):
        difficulty = FAM.difficulties[seed % 3]
        p = generate_problem(FAM, seed, difficulty).params
        if difficulty == "easy":
            assert p["w0"] == [0, 0] and p["b0"] == 0
        assert all(abs(v) < 100 for v in (*p["w0"], p["b0"]))
        assert (M.decimals_needed(map(M.frac, [*p["w0"], p["b0"]])) or 0) <= 3


def test_the_slips_in_ints_are_the_slips_in_floats():
    rng = default_rng(3)
    for _ in range(2000):
        w, x = rng.integers(-9, 10, 3), rng.integers(-9, 10, 3)
        f = float(rng.integers(-4, 5))
        assert K._int_shifted(w, x, f) == K._float_shifted(w, x, f)


def test_epoch_lines_tell_li_hangs_order_of_updates():
    _, problem = solved(X=[[3, 3], [4, 3], [1, 1]], y=[1, 1, -1])
    lines = [s.en for s in problem.steps]
    assert lines[:5] == [
        "Epoch 1: updates at $x_{1}$, $x_{3}$; after it $w = (2, 2)$, $b = 0$.",
        "Epoch 2: updates at $x_{3}$; after it $w = (1, 1)$, $b = -1$.",
        "Epoch 3: updates at $x_{3}$; after it $w = (0, 0)$, $b = -2$.",
        "Epoch 4: updates at $x_{1}$, $x_{3}$; after it $w = (2, 2)$, $b = -2$.",
        "Epoch 5: updates at $x_{3}$; after it $w = (1, 1)$, $b = -3$."]
    assert lines[5].startswith("Epoch 6 has no update") and len(lines) == 6
    assert problem.steps[0].zh == "第 1 轮：在 $x_{1}$、$x_{3}$ 处更新；之后 $w = (2, 2)$，$b = 0$。"


def test_an_epoch_without_updates_in_a_fixed_run_is_said():
    _, problem = solved(X=[[3, 3], [4, 3], [1, 1]], y=[1, 1, -1], epochs=7)
    lines = [s.en for s in problem.steps]
    assert lines[5] == "Epoch 6: no update; $w = (1, 1)$, $b = -3$ stay."
    assert lines[-1].startswith("Epoch 7 has no update: training has converged")


def test_a_fitted_draw_has_the_epochs_of_its_difficulty_and_its_own_run():
    for seed in range(200):
        for difficulty, target in D.TARGET_EPOCHS.items():
            p = D.fitted(FAM._draw(default_rng(seed), difficulty), difficulty)
            if p is None:
                continue
            run = M.train(p["X"], p["y"], p["eta"], p["w0"], p["b0"], M.Rules.of(p), p["epochs"])
            assert M.training(p) == run
            assert run.update_epochs == target if not p["epochs"] else run.update_epochs >= target
