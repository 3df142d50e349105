"""optim.steps: published worked examples, every convention against torch.optim (batched) and the
NumPy re-derivation, known mistakes, error carried forward and bad input."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

from conftest import run_cli
from quizgen.check import check_problem
from quizgen.errors import QuizgenError
from quizgen.registry import get_family
from quizgen.sheet import build_problem

FAM = get_family("optim.steps")
D2L = {"quad": "[0.1, 2]", "w0": "[-5, -2]", "steps": "20"}   # D2L §12: f = 0.1x₁² + 2x₂², x₀ = (−5, −2)


def solve(**settings) -> list:
    """The answers of a problem set up as `quizgen solve optim.steps --set k=v ...` would."""
    values = {name: FAM.params[[p.name for p in FAM.params].index(name)].parse(str(v)) for name, v in settings.items()}
    return [part for part in build_problem(FAM, FAM.params_from_user(values), None, "custom").parts]


def last_w(parts) -> list[float]:
    w = [p for p in parts if p.column == "w"][-1].answer
    return w if isinstance(w, list) else [w]


def close(a, b, tol=1e-6) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b)) and len(a) == len(b)


# ---------------------------------------------------------------- published worked examples

def test_d2l_gradient_descent_2d():
    # D2L §12.3 (gd_2d, eta = 0.4): "epoch 20, x1: -0.943467, x2: -0.000073"; eta = 0.6 diverges in x2:
    # "epoch 20, x1: -0.387814, x2: -1673.365109"
    assert close(last_w(solve(optimizer="sgd", lr=0.4, **D2L)), [-0.943467, -0.000073])
    assert close(last_w(solve(optimizer="sgd", lr=0.6, **D2L)), [-0.387814, -1673.365109])


def test_d2l_momentum_is_the_pytorch_form():
    # D2L §12.6 (momentum_2d: v = βv + g, x −= ηv): eta 0.6, beta 0.5 -> "x1: 0.007188, x2: 0.002553";
    # beta 0.25 -> "x1: -0.126340, x2: -0.186632"
    assert close(last_w(solve(optimizer="momentum", lr=0.6, momentum=0.5, **D2L)), [0.007188, 0.002553])
    assert close(last_w(solve(optimizer="momentum", lr=0.6, momentum=0.25, **D2L)), [-0.126340, -0.186632])


def test_d2l_adagrad_eps_inside():
    # D2L §12.7 (adagrad_2d: s += g², x −= η g/√(s + ε), ε = 1e-6): eta 0.4 -> "x1: -2.382563, x2: -0.158591";
    # eta 2 -> "x1: -0.002295, x2: -0.000000"
    common = dict(optimizer="adagrad", eps=1e-6, eps_at="inside", **D2L)
    assert close(last_w(solve(lr=0.4, **common)), [-2.382563, -0.158591])
    assert close(last_w(solve(lr=2, **common)), [-0.002295, 0.0])


def test_d2l_rmsprop_eps_inside():
    # D2L §12.8 (rmsprop_2d, eta 0.4, gamma 0.9, ε = 1e-6 inside the root): "x1: -0.010599, x2: 0.000000"
    assert close(last_w(solve(optimizer="rmsprop", lr=0.4, rho=0.9, eps=1e-6, eps_inside="yes", **D2L)),
                 [-0.010599, 0.0])


def test_keras_sgd_docstring():
    # keras.optimizers.SGD docstring: var = 1.0, loss = var²/2, lr 0.1 -> 0.9; with momentum 0.9 the
    # first step is 0.1 and the second 0.18 (classical form v = μv − ηg)
    assert close(last_w(solve(optimizer="sgd", lr=0.1, quad="[0.5]", w0="[1]", steps=1)), [0.9])
    parts = solve(optimizer="momentum", form="keras", lr=0.1, momentum=0.9, quad="[0.5]", w0="[1]", steps=2)
    w = [p.answer for p in parts if p.column == "w"]
    assert close([1 - w[0], w[0] - w[1]], [0.1, 0.18])


def test_keras_rmsprop_docstring():
    # keras.optimizers.RMSprop docstring: lr 0.1 (rho 0.9, epsilon 1e-7 inside the root), var1 = 10,
    # loss = var1²/2 -> 9.683772
    parts = solve(optimizer="rmsprop", lr=0.1, rho=0.9, eps=1e-7, eps_at="inside", quad="[0.5]", w0="[10]", steps=1)
    assert close(last_w(parts), [9.683772])


def test_keras_adam_docstring():
    # keras.optimizers.Adam docstring: lr 0.1, var1 = 10, loss = var1²/2 -> 9.9 after one step (ε̂ = 1e-7)
    parts = solve(optimizer="adam", lr=0.1, eps=1e-7, eps_at="hat", quad="[0.5]", w0="[10]", steps=1)
    assert close(last_w(parts), [9.9])


def test_adam_first_step_is_lr_times_sign():
    # Kingma & Ba §2.1: with ε ≈ 0 the first step is exactly α in size (m̂₁ = g₁, v̂₁ = g₁²)
    parts = solve(optimizer="adam", lr=0.01, grads="[[3, -0.5]]", w0="[1, 1]")
    assert close(last_w(parts), [0.99, 1.01])


def test_adamw_differs_from_adam_with_l2():
    # Loshchilov & Hutter: decoupled decay is not L2 for Adam (for plain SGD the two coincide)
    common = dict(lr=0.1, grads="[[1, 1], [1, 1]]", w0="[2, -3]", weight_decay=0.1)
    assert not close(last_w(solve(optimizer="adam", decay="coupled", **common)), last_w(solve(optimizer="adamw", **common)))
    assert close(last_w(solve(optimizer="sgd", decay="coupled", **common)), last_w(solve(optimizer="sgd", decay="decoupled", **common)))


def test_pytorch_and_keras_momentum_give_the_same_weights():
    common = dict(optimizer="momentum", lr=0.2, momentum=0.9, quad="[0.5, 2]", w0="[1, -1]", steps=4)
    pt, ke = solve(form="pytorch", **common), solve(form="keras", **common)
    assert close(last_w(pt), last_w(ke), 1e-12)
    b = [p.answer for p in pt if p.column == "b"]
    v = [p.answer for p in ke if p.column == "v"]
    assert all(close([-0.2 * x for x in bb], vv, 1e-12) for bb, vv in zip(b, v))  # v = −ηb


# ---------------------------------------------------------------- every convention, 200 seeds, batched

CONVENTIONS = [
    {"optimizer": "sgd"},
    {"optimizer": "momentum", "form": "pytorch", "momentum": 0.9},
    {"optimizer": "momentum", "form": "pytorch", "momentum": 0.8, "dampening": 0.5},
    {"optimizer": "momentum", "form": "keras", "momentum": 0.9},
    {"optimizer": "momentum", "form": "ema", "momentum": 0.8},
    {"optimizer": "nesterov", "form": "pytorch", "momentum": 0.9},
    {"optimizer": "nesterov", "form": "keras", "momentum": 0.8},
    {"optimizer": "nesterov", "form": "lookahead", "momentum": 0.9},
    {"optimizer": "adagrad", "eps": 0.1, "eps_at": "outside", "init": 0.0},
    {"optimizer": "adagrad", "eps": 0.01, "eps_at": "inside", "init": 0.1},
    {"optimizer": "rmsprop", "rho": 0.9, "eps": 0.1, "eps_at": "outside"},
    {"optimizer": "rmsprop", "rho": 0.99, "eps": 0.01, "eps_at": "inside"},
    {"optimizer": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "eps_at": "outside"},
    {"optimizer": "adam", "beta1": 0.8, "beta2": 0.99, "eps": 0.1, "eps_at": "inside"},
    {"optimizer": "adam", "beta1": 0.9, "beta2": 0.9, "eps": 0.1, "eps_at": "hat"},
    {"optimizer": "adamw", "beta1": 0.9, "beta2": 0.999, "eps": 0.01, "eps_at": "outside"},
    {"optimizer": "adamw", "beta1": 0.9, "beta2": 0.99, "eps": 0.1, "eps_at": "hat"},
]
DECAYS = [{}, {"weight_decay": 0.1, "decay": "coupled"}, {"weight_decay": 0.1, "decay": "decoupled"}]


def _cases():
    for i, conv in enumerate(CONVENTIONS):
        for j, decay in enumerate(DECAYS):
            if conv["optimizer"] == "adamw" and decay.get("decay") != "decoupled":
                continue
            if conv.get("form") == "lookahead" and decay.get("decay") == "decoupled":
                continue
            yield pytest.param(conv, decay, ("quad", "grads", "data")[(i + j) % 3],
                               id=f"{'-'.join(str(v) for v in conv.values())}-{decay.get('decay', 'none')}")


def _batch(conv: dict, decay: dict, kind: str, n: int = 200) -> list[dict]:
    rng = np.random.default_rng(zlib.crc32(f"{conv}{decay}{kind}".encode()))   # the same draws every run
    out = []
    for _ in range(n):
        p = {**conv, **decay, "lr": 0.1, "steps": 3, "w0": rng.uniform(-3, 3, 2).round(2).tolist()}
        if kind == "quad":
            p["quad"], p["center"] = rng.uniform(0.1, 2, 2).round(2).tolist(), rng.uniform(-1, 1, 2).round(1).tolist()
        elif kind == "grads":
            p["grads"] = rng.uniform(-3, 3, (3, 2)).round(1).tolist()
        else:
            p["data"] = rng.uniform(-2, 3, (3, 2)).round(1).tolist()
        out.append(p)
    return out


@pytest.mark.parametrize("conv,decay,kind", list(_cases()))
def test_every_convention_agrees_with_torch_and_numpy(conv, decay, kind):
    torch_ref = pytest.importorskip("solvers.optim_ref")
    from solvers.optim_numpy import numpy_steps

    batch = _batch(conv, decay, kind)
    from_torch = torch_ref.torch_batch(batch)
    for params, want in zip(batch, from_torch):
        got = {p.id: p.answer for p in FAM.solve(params).parts}
        for ref in (want, numpy_steps(params)):
            assert set(ref) == set(got)
            for pid, value in ref.items():
                a, b = np.atleast_1d(value), np.atleast_1d(got[pid])
                assert np.allclose(a, b, rtol=1e-9, atol=1e-9), (conv, decay, kind, params, pid, value, got[pid])


# ---------------------------------------------------------------- mistakes and error carried forward

def _problem(**settings):
    values = {name: FAM.params[[p.name for p in FAM.params].index(name)].parse(str(v)) for name, v in settings.items()}
    return build_problem(FAM, FAM.params_from_user(values), None, "custom")


def _tags(problem, column: str, step: int) -> set[str]:
    ids = {p.id for p in problem.parts if p.column == column and p.step == step}
    return {m.tag for m in problem.mistakes if m.part in ids}


def test_named_mistakes_are_recognised():
    adam = _problem(optimizer="adamw", lr=0.1, beta2=0.9, eps=0.1, grads="[[1, -2], [2, 1]]", w0="[1, 1]", weight_decay=0.1)
    assert {"no_bias_correction", "bias_t_from_0"} <= _tags(adam, "mhat", 2)
    assert {"eps_placement", "no_bias_correction", "decay_coupled"} <= _tags(adam, "w", 1)
    mom = _problem(optimizer="momentum", lr=0.1, dampening=0.5, grads="[[1], [2]]", w0="[1]")
    assert {"dampened_first", "mixed_forms"} <= _tags(mom, "b", 1)
    keras = _problem(optimizer="momentum", form="keras", lr=0.1, grads="[[1], [2]]", w0="[1]")
    assert "mixed_forms" in _tags(keras, "v", 2)
    quad = _problem(optimizer="nesterov", form="lookahead", lr=0.1, quad="[1]", w0="[2]", steps=2)
    assert {"no_factor_2", "gradient_at_w"} <= _tags(quad, "g", 2)


def test_a_known_mistake_gets_its_explanation_when_checked():
    p = _problem(optimizer="adam", lr=0.1, beta1=0.9, beta2=0.999, grads="[[2], [1]]", w0="[1]")
    mhat2 = next(q for q in p.parts if q.column == "mhat" and q.step == 2)
    m2 = next(q for q in p.parts if q.column == "m" and q.step == 2)
    answers = {q.id: f"{q.answer:.6f}" for q in p.parts if q.id < mhat2.id}
    answers[mhat2.id] = f"{m2.answer:.6f}"                       # m̂ = m: no bias correction
    result = {r.part: r for r in check_problem(p, 1, answers)}[mhat2.id]
    assert result.status == "wrong" and result.mistake == "no_bias_correction"


def test_a_wrong_gradient_is_carried_into_the_later_steps():
    p = _problem(optimizer="momentum", lr=0.1, momentum=0.9, quad="[1]", w0="[2]", steps=2)
    # g₁ = 2 instead of 4 (forgot the 2): then b₁ = 2, w₁ = 1.8, g₂ = 3.6, b₂ = 0.9·2 + 3.6 = 5.4, w₂ = 1.26
    answers = dict(zip([q.id for q in p.parts], ["2", "2", "1.8", "3.6", "5.4", "1.26"]))
    results = check_problem(p, 1, answers)
    assert results[0].status == "wrong" and results[0].mistake == "no_factor_2"
    assert [r.status for r in results[1:]] == ["carried"] * 5


# ---------------------------------------------------------------- the command line

def test_solve_prints_every_step():
    r = run_cli("solve", "optim.steps", "--set", "optimizer=adam", "--set", "lr=0.1", "--set", "grads=[[1, -2], [0.5, 1]]",
                "--set", "w0=[1, 1]", "--set", "eps_inside=yes")
    assert r.returncode == 0, r.stderr
    assert "m̂₂" in r.stdout and "inside the square root" in r.stdout
    r = run_cli("solve", "optim.steps", "--set", "optimizer=sgd", "--set", "lr=0.1", "--set", "data=[[1, 2], [2, 3]]",
                "--set", "w0=[0, 0]", "--lang", "zh")
    assert r.returncode == 0 and "拟合" in r.stdout


@pytest.mark.parametrize("settings,message", [
    ({"optimizer": "sgd", "lr": "0.1", "w0": "[1]"}, "exactly one objective"),
    ({"optimizer": "sgd", "lr": "0.1", "w0": "[1]", "quad": "[1]", "grads": "[1]"}, "exactly one objective"),
    ({"optimizer": "adagrad", "lr": "0.1", "w0": "[1]", "quad": "[1]", "form": "keras"}, "not a form of adagrad"),
    ({"optimizer": "momentum", "lr": "0.1", "w0": "[1]", "quad": "[1]", "form": "lookahead"}, "not a form"),
    ({"optimizer": "nesterov", "lr": "0.1", "w0": "[1]", "quad": "[1]", "dampening": "0.5"}, "dampening"),
    ({"optimizer": "rmsprop", "lr": "0.1", "w0": "[1]", "quad": "[1]", "eps_at": "hat"}, "Keras' Adam"),
    ({"optimizer": "adamw", "lr": "0.1", "w0": "[1]", "quad": "[1]", "decay": "coupled"}, "decoupled"),
    ({"optimizer": "sgd", "lr": "0.1", "w0": "[1, 2]", "grads": "[[1, 2], [3]]"}, "grads"),
    ({"optimizer": "sgd", "lr": "0.1", "w0": "[1]", "grads": "[1, 2]", "steps": "3"}, "only 2 gradients"),
    ({"optimizer": "sgd", "lr": "3", "w0": "[1]", "quad": "[100]", "steps": "20"}, "blow up"),
    ({"optimizer": "adam", "lr": "0.1", "w0": "[1]", "grads": "[0]", "eps": "0"}, "divide by zero"),
    ({"optimizer": "sgd", "lr": "0.1", "w0": "[1]", "data": "[[1, 2]]"}, "[w, b]"),
])
def test_bad_settings_are_one_line_errors(settings, message):
    with pytest.raises(QuizgenError) as exc:
        _problem(**settings)
    assert message in str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.parametrize("args", [["--set", "optimizer=nesterov", "--set", "lr=0.1", "--set", "w0=[1]", "--set", "quad=[1]",
                                   "--set", "dampening=0.5"],
                                  ["--set", "optimizer=adamm", "--set", "lr=0.1"],
                                  ["--set", "optimizer=sgd", "--set", "lr=0.1", "--set", "w0=[1]", "--set", "grads=[1, x]"]])
def test_bad_settings_on_the_command_line(args):
    r = run_cli("solve", "optim.steps", *args)
    assert r.returncode == 2 and r.stderr.startswith("quizgen: error:") and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_generated_problems_state_every_convention():
    from quizgen.sheet import generate_problem

    for seed in range(60):
        p = generate_problem(FAM, seed, ("easy", "medium", "hard")[seed % 3])
        text = p.statement.en
        if p.params["optimizer"] in ("adagrad", "rmsprop", "adam", "adamw"):
            assert "ε" in text and ("inside" in text or "outside" in text or "before bias correction" in text)
            assert "ε" in p.statement.zh
        if p.params.get("weight_decay"):
            assert ("decoupled" in text) != ("coupled (L2)" in text)
        assert math.isfinite(p.parts[-1].answer if not isinstance(p.parts[-1].answer, list) else p.parts[-1].answer[0])


def test_solve_prints_the_trace_as_a_table():
    from rich.console import Console

    from quizgen.render import layout
    from quizgen.render.terminal import solution_panel

    p = _problem(optimizer="momentum", lr=0.1, momentum=0.9, quad="[1]", w0="[2]", steps=3)
    columns, rows = layout.key_table(p)
    assert len(rows) == 3 and columns == ["g", "b", "w"]
    console = Console(record=True, width=100)
    console.print(solution_panel(p, 1, "en"))
    text = console.export_text()   # f = w²: w₁ = 1.6, b₂ = 0.9·4 + 3.2 = 6.8, w₂ = 0.92, b₃ = 7.96, w₃ = 0.124
    assert all(v in text for v in ("1.6000", "6.8000", "0.9200", "7.9600", "0.1240"))
    from quizgen.sheet import build_problem as build

    cnn = get_family("cnn.shape")
    assert layout.key_table(build(cnn, cnn.params_from_user({"input": [1, 28, 28], "layers": cnn.params[1].parse("conv 8 k3; maxpool 2")}),
                                  None, "custom")) is None   # one column: no table


@pytest.mark.parametrize("conv,decay,kind", list(_cases()))
def test_resumed_state_agrees_with_torch_for_every_convention(conv, decay, kind):
    """A slip in w₁ is carried forward: the later parts equal torch.optim restarted from that w with the
    accumulators of step 1 in its own state slots (and the NumPy re-derivation)."""
    torch_ref = pytest.importorskip("solvers.optim_ref")
    from quizgen.model import part_id
    from quizgen.trace import run_trace
    from solvers.optim_numpy import numpy_steps

    for params in _batch(conv, decay, kind, n=5):
        parts = FAM.solve(params).parts
        w1 = next(p for p in parts if p.column == "w" and p.step == 1)
        slip = [x + 1 for x in w1.answer]
        new, mapping = FAM.resume(params, w1.id, slip)
        assert new["state"]["t"] == 1
        given = {p.id: p.answer for p in parts[:parts.index(w1)]} | {w1.id: slip}
        recomputed = {p.id: p.answer for p in run_trace(FAM, params, given=given).parts}
        for want in (torch_ref.torch_batch([new])[0], numpy_steps(new)):
            for new_id, old_id in mapping.items():
                assert np.allclose(np.atleast_1d(want[new_id]), np.atleast_1d(recomputed[old_id]), rtol=1e-9, atol=1e-9), \
                    (conv, decay, kind, old_id)
        assert part_id(0) in mapping
