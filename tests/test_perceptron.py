"""perceptron.rosenblatt: published traces, every convention against the references, scikit-learn,
table answers with error carried forward, and `quizgen solve` on a student's own slide."""

from __future__ import annotations

import itertools
import json
import warnings

import numpy as np
import pytest

from conftest import run_cli
from problems import _perceptron as M
from quizgen.check import check_sheet, read_answers
from quizgen.errors import QuizgenError
from quizgen.model import Sheet
from quizgen.registry import get_family
from quizgen.sheet import build_problem, generate_problem
from solvers.perceptron_ref import numpy_traces, sympy_trace

FAM = get_family("perceptron.rosenblatt")


def solved(**values):
    p = FAM.params_from_user(values)
    return p, build_problem(FAM, p, None, "custom")


def rows_of(problem):
    return sorted({part.step for part in problem.parts if part.step})


def cell(problem, step, column):
    return next(p.answer for p in problem.parts if p.step == step and p.column == column)


# ------------------------------------------------------------------ published traces
def test_li_hang_example_2_1():
    """李航《统计学习方法》例 2.1: x1=(3,3), x2=(4,3) positive, x3=(1,1) negative, η = 1, w = b = 0:
    final w = (1, 1), b = −3; the misclassified points, in order: x1, x3, x3, x3, x1, x3, x3."""
    _, problem = solved(X=[[3, 3], [4, 3], [1, 1]], y=[1, 1, -1])
    final = [part for part in problem.parts if part.step is None]
    assert final[0].answer == [1, 1] and final[1].answer == -3
    updated = [k for k in rows_of(problem) if cell(problem, k, "updated")]
    sample = {k: int(next(p for p in problem.parts if p.step == k).prompt.en.split("x_{")[1][0]) for k in updated}
    assert [f"x{sample[k]}" for k in updated] == ["x1", "x3", "x3", "x3", "x1", "x3", "x3"]
    # the 李航 table's w·x + b at each update: 0, 7, 4, 1, −2, 5, 2
    assert [cell(problem, k, "net") for k in updated] == [0, 7, 4, 1, -2, 5, 2]
    assert final[2].answer == 6  # five epochs with updates, then the clean sixth


def test_negnevitsky_and_gate_table_6_3():
    """Negnevitsky, Artificial Intelligence (2nd ed.), Table 6.3: the AND gate, step output
    (step(0) = 1), fixed threshold θ = 0.2 on x0 = −1, w = (0.3, −0.1), α = 0.1, e = Yd − Y:
    converges in epoch 5 with w = (0.1, 0.1)."""
    p, problem = solved(X=[[0, 0], [0, 1], [1, 0], [1, 1]], y=[0, 0, 0, 1], eta=0.1, w0=[0.3, -0.1], b0=0.2,
                        labels="01", at0="1", update="error", bias="threshold", learn_bias=False)
    final = [part for part in problem.parts if part.step is None]
    assert final[0].answer == [0.1, 0.1] and final[1].answer == 5
    # epoch 1 of the table: w after each presentation
    assert [cell(problem, k, "w") for k in range(1, 5)] == [[0.3, -0.1], [0.3, -0.1], [0.2, -0.1], [0.3, 0]]
    assert [cell(problem, k, "output") for k in range(5, 9)] == [0, 0, 1, 1]   # epoch 2: X = 0 gives Y = 1


def test_and_gate_with_a_learned_threshold_matches_sympy():
    p, problem = solved(X=[[0, 0], [0, 1], [1, 0], [1, 1]], y=[0, 0, 0, 1], labels="01", at0="0",
                        bias="threshold")
    assert {part.id: part.answer for part in problem.parts} == sympy_trace(p)
    w, theta = [part.answer for part in problem.parts if part.step is None][:2]
    from quizgen.truthtable import table

    assert table([[[*w, theta]]], 2, "threshold", strict=True) == [0, 0, 0, 1]  # it computes AND


# ------------------------------------------------------------------ every convention
def combos():
    for labels, at0, rule, bias, learn in itertools.product(("pm1", "01"), (1, 0, -1),
                                                            ("margin", "output", "error"), ("plus", "threshold"),
                                                            (True, False)):
        r = {"labels": labels, "at0": at0, "mistake": "margin" if rule == "margin" else "output",
             "update": "error" if rule == "error" else "mistakes", "bias": bias, "learn_bias": learn}
        try:
            M.Rules.of(r).check()
        except QuizgenError:
            continue
        yield r


COMBOS = list(combos())


def draws(rng, count, n, d, labels):
    X = rng.integers(-3, 5, (count, n, d)) / np.array([1, 2])[rng.integers(0, 2, (count, 1, 1))]
    score = np.einsum("bnd,bd->bn", X, rng.integers(-3, 4, (count, d))) + rng.integers(-2, 3, (count, 1))
    y = np.where(score > 0, 1, -1 if labels == "pm1" else 0)
    eta = np.array([1, 0.5, 0.2, 0.1])[rng.integers(0, 4, count)]
    return X, y, eta, rng.integers(-2, 3, (count, d)), rng.integers(-2, 3, count)


def test_there_are_52_convention_combinations():
    assert len(COMBOS) == 52


@pytest.mark.parametrize("conv", COMBOS, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_exact_trace_agrees_with_numpy_batch_over_300_seeds(conv):
    rng = np.random.default_rng(abs(hash(tuple(conv.values()))) % 2**32)
    n, d, epochs = 4, int(rng.integers(2, 4)), 3
    X, y, eta, w0, b0 = draws(rng, 300, n, d, conv["labels"])
    nets, outs, upds, W, bias = numpy_traces(X, y, eta, w0, b0, conv, epochs)
    for k in range(300):
        run = M.train(X[k].tolist(), y[k].tolist(), float(eta[k]), w0[k].tolist(), int(b0[k]), M.Rules.of(conv),
                      epochs)
        assert [float(r.net) for r in run.rows] == pytest.approx(nets[k].tolist(), abs=1e-9)
        assert [r.out for r in run.rows] == outs[k].tolist()
        assert [r.updated for r in run.rows] == upds[k].tolist()
        assert np.allclose([[float(v) for v in r.w] for r in run.rows], W[k], rtol=0, atol=1e-9)
        assert [float(r.b) for r in run.rows] == pytest.approx(bias[k].tolist(), abs=1e-9)


@pytest.mark.parametrize("conv", COMBOS, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_family_agrees_with_sympy_for_every_convention(conv):
    rng = np.random.default_rng(7)
    X, y, eta, w0, b0 = draws(rng, 12, 3, 2, conv["labels"])
    for k in range(12):
        p = dict(conv, X=X[k].tolist(), y=y[k].tolist(), eta=float(eta[k]), w0=w0[k].tolist(), b0=int(b0[k]),
                 epochs=2)
        p = FAM.params_from_user(p)
        mine, ref = {part.id: part.answer for part in FAM.solve(p).parts}, sympy_trace(p)
        assert set(mine) == set(ref)
        for pid, value in ref.items():
            assert type(value) is type(mine[pid]) or not isinstance(value, bool), pid
            assert np.allclose(np.array(mine[pid], float), np.array(value, float), rtol=0, atol=1e-12), pid


def test_sklearn_perceptron_matches_the_li_hang_convention():
    """scikit-learn's Perceptron (shuffle=False, eta0=η, penalty=None, fit_intercept=True) updates
    on y(w·x + b) ≤ 0 by w += ηyx, b += ηy: the convention labels=pm1, mistake=margin,
    update=mistakes, bias=plus, learn_bias=yes (李航).  Final w and b agree over 300 problems.
    The data are dyadic (η = 1, 1/2, 1/4, 1/8; x in halves), so float64 is exact: with η = 0.1 a
    net input that is exactly 0 comes out as ±1e-17 in floats and sklearn may skip the update."""
    sklearn = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(11)
    conv = {"labels": "pm1", "at0": 1, "mistake": "margin", "update": "mistakes", "bias": "plus", "learn_bias": True}
    X, y, eta, w0, b0 = draws(rng, 300, 5, 2, "pm1")
    eta = np.array([1, 0.5, 0.25, 0.125])[rng.integers(0, 4, 300)]
    checked = 0
    for k in range(300):
        if len(set(y[k].tolist())) < 2:
            continue
        run = M.train(X[k].tolist(), y[k].tolist(), float(eta[k]), w0[k].tolist(), int(b0[k]), M.Rules.of(conv), 4)
        clf = sklearn.Perceptron(shuffle=False, eta0=float(eta[k]), penalty=None, fit_intercept=True,
                                 max_iter=4, tol=None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.fit(X[k], y[k], coef_init=w0[k][None, :].astype(float), intercept_init=[float(b0[k])])
        assert clf.coef_[0].tolist() == pytest.approx([float(v) for v in run.rows[-1].w], abs=1e-9)
        assert clf.intercept_[0] == pytest.approx(float(run.rows[-1].b), abs=1e-9)
        checked += 1
    assert checked > 250


# ------------------------------------------------------------------ generated problems
def test_generated_problems_converge_in_the_epochs_of_their_difficulty():
    from problems._perceptron import training

    for difficulty, target in (("easy", 1), ("medium", 2), ("hard", 3)):
        for seed in range(40):
            p = generate_problem(FAM, seed, difficulty).params
            key = training(p)
            if p["epochs"] == 0:
                assert key.update_epochs == target and key.converged
            assert all(abs(v) < 100 for r in key.rows for v in (r.b, *r.w))


def test_statement_states_every_convention():
    p = generate_problem(FAM, 3, "medium")
    _, problem = solved(X=[[1, 2], [2, -1]], y=[1, 0], labels="01", at0="0", update="error", bias="threshold")
    en, zh = problem.statement.en, problem.statement.zh
    for words in ("step}(0) = 0", "x_0 = -1", "error-correction", "\\theta", "first epoch"):
        assert words in en
    for words in ("step}(0) = 0", "x_0 = -1", "误差修正", "\\theta", "没有任何更新"):
        assert words in zh
    assert p.statement.en and "sign" in solved(X=[[1, 2], [2, -1]], y=[1, -1])[1].statement.en


# ------------------------------------------------------------------ table answers, carried forward
def sheet_of(problem):
    return Sheet("t", None, "custom", "en", ("perceptron",), (problem,))


def test_table_rows_are_graded_and_a_slip_is_carried():
    p, problem = solved(X=[[3, 3], [4, 3], [1, 1]], y=[1, 1, -1])
    # row 1 right; row 3 with the bias left unchanged (a slip), later rows from the student's own b
    lines = ["1.1: 0 | +1 | yes | [3, 3] | 1", "1.2: 22 | +1 | no | [3, 3] | 1", "1.3: 7 | +1 | yes | [2, 2] | 1",
             "1.4: 13 | +1 | no | [2, 2] | 1"]
    results = {r.part: r for r in check_sheet(sheet_of(problem), read_answers("\n".join(lines), sheet_of(problem)))}
    status = {(part.step, part.column): results[part.id].status for part in problem.parts if part.step in (3, 4)}
    assert status[(3, "b")] == "wrong" and results[[x for x in problem.parts if x.step == 3][-1].id].mistake == "bias_forgotten"
    assert status[(4, "net")] == "carried" and status[(4, "w")] == "correct" and status[(4, "b")] == "carried"


def test_samples_in_another_order_are_recognised():
    p, problem = solved(X=[[3, 3], [4, 3], [1, 1]], y=[1, 1, -1])
    reverse, _ = solved(X=[[1, 1], [4, 3], [3, 3]], y=[-1, 1, 1])
    theirs = {part.id: part.answer for part in FAM.solve(reverse).parts}
    first = next(part for part in problem.parts if part.answer != theirs[part.id])
    assert any(m.tag == "order" and m.part == first.id for m in problem.mistakes)


def test_net_zero_treated_as_correct_is_explained():
    _, problem = solved(X=[[3, 3], [4, 3], [1, 1]], y=[1, 1, -1])
    tags = {m.tag for m in problem.mistakes if m.part in ("c", "d")}
    assert {"zero_correct", "sign"} <= tags


# ------------------------------------------------------------------ the command line
def test_solve_prints_the_trace_and_json():
    r = run_cli("solve", "perceptron.rosenblatt", "--set", "X=[[3,3],[4,3],[1,1]]", "--set", "y=[1,1,-1]",
                "--set", "eta=1", "--json")
    assert r.returncode == 0, r.stderr
    parts = json.loads(r.stdout)["parts"]
    assert [p["answer"] for p in parts[-3:]] == [[1, 1], -3, 6]


@pytest.mark.parametrize("settings, message", [
    (["X=[[1,2],[3,4]]", "y=[1,-1,1]"], "y has 3 labels but X has 2 samples"),
    (["X=[[1,2],[3,4]]", "y=[1,0]"], "every label is one of"),
    (["X=[[0,0],[0,1],[1,0],[1,1]]", "y=[-1,1,1,-1]"], "has not converged"),
    (["X=[[1,2],[3,4]]", "y=[1,-1]", "w0=[0,0,0]"], "w0 has 3 weights"),
    (["X=[[1,2],[3,4]]", "y=[0,1]", "labels=01", "mistake=margin"], "needs labels=pm1"),
    (["X=[[1,2],[3,4]]", "y=[1,-1]", "update=error", "mistake=margin"], "takes mistake=output"),
    (["X=[[1,2],[3,4]]", "y=[1,-1]", "eta=abc"], "eta:"),
])
def test_bad_input_is_one_line(settings, message):
    args = ["solve", "perceptron.rosenblatt"] + [x for s in settings for x in ("--set", s)]
    r = run_cli(*args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_fixed_epochs_print_the_trace_and_say_it_did_not_converge():
    r = run_cli("solve", "perceptron.rosenblatt", "--set", "X=[[0,0],[0,1],[1,0],[1,1]]", "--set", "y=[-1,1,1,-1]",
                "--set", "epochs=2")
    assert r.returncode == 0, r.stderr
    assert "has not converged" in r.stdout


def test_a_trainings_places_and_peaks_agree_with_its_rows():
    """Training.places() and .reaches() are tracked while training; here, from every row."""
    import math

    from quizgen.rng import default_rng

    fam = get_family("perceptron.rosenblatt")
    checked = 0
    for seed in range(600):
        rng = default_rng(seed)
        for _ in range(5):
            p = fam._draw(rng, ("easy", "medium", "hard")[seed % 3])
            if p is None:
                continue
            try:
                run = M.train(p["X"], p["y"], p["eta"], p["w0"], p["b0"], M.Rules.of(p), p["epochs"], 25)
            except QuizgenError:
                continue
            places = max(M._den_places(d) for r in run.rows for d in
                         [r.scale * r.dx // math.gcd(r.net_s, r.scale * r.dx)]
                         + [r.scale // math.gcd(v, r.scale) for v in (*r.w_s, r.b_s)])
            assert run.places() == places
            for limit in (3, 10, 100):
                assert run.reaches(limit) == any(abs(r.net) >= limit or max(map(abs, (*r.w, r.b))) >= limit
                                                 for r in run.rows)
            checked += 1
    assert checked > 1000
