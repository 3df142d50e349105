"""optim.gd_function: D2L's published gradient-descent runs, the stability bound, mistakes, bad input."""

from __future__ import annotations

import math

import pytest

from conftest import run_cli
from quizgen.check import check_problem
from quizgen.errors import QuizgenError
from quizgen.registry import get_family
from quizgen.sheet import build_problem

FAM = get_family("optim.gd_function")


def problem(**settings):
    names = [p.name for p in FAM.params]
    values = {k: FAM.params[names.index(k)].parse(str(v)) for k, v in settings.items()}
    return build_problem(FAM, FAM.params_from_user(values), None, "custom")


def column(p, name):
    return [q.answer for q in p.parts if q.column == name]


@pytest.mark.parametrize("lr,final", [(0.2, 0.060466), (0.05, 3.486784), (1.1, 61.917364)])
def test_d2l_gradient_descent_on_x_squared(lr, final):
    # D2L §12.3.1 (f(x) = x², x₀ = 10, 10 steps): "epoch 10, x: 0.060466" (η = 0.2),
    # "epoch 10, x: 3.486784" (η = 0.05), "epoch 10, x: 61.917364" (η = 1.1, too large)
    p = problem(poly="[1, 0, 0]", w0=10, lr=lr, steps=10)
    assert abs(column(p, "w")[-1] - final) < 1e-6


def test_the_stability_bound_is_two_over_the_curvature():
    # f = x²: f'' = 2, GD settles iff η < 1; D2L's η = 1.1 diverges, η = 0.2 settles
    p = problem(poly="[1, 0, 0]", w0=10, lr=0.2, steps=1, lrs="[0.2, 1.1]")
    assert [q.answer for q in p.parts[-3:]] == [2.0, 1.0, ["b"]]
    # w⁴ − 3w² + 2: minima ±√1.5 with f'' = 12, so η < 1/6
    p = problem(poly="[1, 0, -3, 0, 2]", w0=2, lr=0.05, steps=2)
    assert abs(p.parts[-2].answer - 12) < 1e-9 and abs(p.parts[-1].answer - 1 / 6) < 1e-12
    assert column(p, "f'") == [20.0, -2.0] and column(p, "w") == [1.0, 1.1]


def test_mistakes_are_named():
    p = problem(poly="[1, 0, -3, 0, 2]", w0=2, lr=0.05, steps=2)
    tags = {m.tag for m in p.mistakes if m.part == "a"}
    assert {"power_rule", "sign"} <= tags
    by_tag = {m.tag: m.answer for m in p.mistakes if m.part == "a"}
    assert by_tag["power_rule"] == 2.0   # 1·2³ − 3·2 + 0 (no n brought down)
    answers = {"a": "20", "b": "3"}      # 2 + 0.05·20: stepped up the slope
    result = check_problem(p, 1, answers)[1]
    assert result.status == "wrong" and result.mistake == "ascent"
    assert "no_two" in {m.tag for m in p.mistakes if m.part == p.parts[-1].id}


def test_a_wrong_derivative_is_carried_forward():
    p = problem(poly="[1, 0, 0]", w0=10, lr=0.2, steps=2)
    # f'(10) = 10 (slip, should be 20): w₁ = 8, f'(8) = 16, w₂ = 4.8
    results = check_problem(p, 1, {"a": "10", "b": "8", "c": "16", "d": "4.8"})
    assert [r.status for r in results[:4]] == ["wrong", "carried", "carried", "carried"]


@pytest.mark.parametrize("settings,message", [
    ({"poly": "[1, 0]", "w0": "1", "lr": "0.1"}, "degree 2"),
    ({"poly": "[-1, 0, 0]", "w0": "1", "lr": "0.1"}, "no minimum"),
    ({"poly": "[1, 0, 0]", "w0": "10", "lr": "5", "steps": "20"}, "blows up"),
    ({"poly": "[1, 0, 0, 0, 0]", "w0": "1", "lr": "0.1"}, "no minimum"),
])
def test_bad_settings(settings, message):
    with pytest.raises(QuizgenError) as exc:
        problem(**settings)
    assert message in str(exc.value)


def test_solve_on_the_command_line():
    r = run_cli("solve", "optim.gd_function", "--set", "poly=[1, 0, -3, 0, 2]", "--set", "w0=2", "--set", "lr=0.05")
    assert r.returncode == 0 and "2/f′′" in r.stdout
    r = run_cli("solve", "optim.gd_function", "--set", "poly=[1, x]", "--set", "w0=2", "--set", "lr=0.05")
    assert r.returncode == 2 and r.stderr.startswith("quizgen: error:")


# ---------------------------------------------------------------- optim.compare

def compare(**settings):
    fam = get_family("optim.compare")
    names = [p.name for p in fam.params]
    values = {k: fam.params[names.index(k)].parse(str(v)) for k, v in settings.items()}
    return build_problem(fam, fam.params_from_user(values), None, "custom")


def test_compare_on_d2l_ravine():
    # D2L §12.6's ravine f = 0.1x₁² + 2x₂² from (−5, −2), η = 0.4: GD's first step is (−4.6, 1.2),
    # x₂ flips sign each step (zig-zag); momentum gets lower, AdaGrad's steps shrink
    p = compare(optimizers="sgd,momentum,adagrad", lrs="[0.4, 0.4, 0.4]", quad="[0.1, 2]", w0="[-5, -2]", steps=3)
    f_sgd = 0.1 * 3.8934 ** 2 + 2 * 0.432 ** 2            # w₃ = (−5·0.92³, −2·(−0.6)³)
    assert abs(p.parts[0].answer - f_sgd) < 1e-3
    assert p.parts[3].answer == "b"                       # momentum lowest
    adagrad = [compare(optimizers="sgd,adagrad", lrs="[0.4, 0.4]", quad="[0.1, 2]", w0="[-5, -2]", steps=k).parts[4].answer
               for k in (1, 2, 3, 4)]
    assert adagrad == sorted(adagrad, reverse=True)       # each AdaGrad step shorter than the last
    why = {q.prompt.en: q.choices[ord(q.answer) - 97].en for q in p.parts if q.kind == "choice" and "Why" in q.prompt.en}
    assert "never decays" in why["Why does AdaGrad's step keep shrinking?"]
    assert "alternate" in why["Why does momentum help in a ravine?"]


@pytest.mark.parametrize("settings,message", [
    ({"optimizers": "sgd", "lrs": "[0.1, 0.1]", "quad": "[1]", "w0": "[1]"}, "two or three"),
    ({"optimizers": "sgd,adamw", "lrs": "[0.1, 0.1]", "quad": "[1]", "w0": "[1]"}, "two or three"),
    ({"optimizers": "sgd,adam", "lrs": "[0.1, 0.1, 0.1]", "quad": "[1]", "w0": "[1]"}, "one learning rate"),
    ({"optimizers": "sgd,adam", "lrs": "[0.1, 0.1]", "quad": "[1, 2]", "w0": "[1]"}, "quad and center"),
])
def test_compare_bad_settings(settings, message):
    with pytest.raises(QuizgenError) as exc:
        compare(**settings)
    assert message in str(exc.value)


# ---------------------------------------------------------------- optim.clip

def clip(**settings):
    fam = get_family("optim.clip")
    names = [p.name for p in fam.params]
    values = {k: fam.params[names.index(k)].parse(str(v)) for k, v in settings.items()}
    return build_problem(fam, fam.params_from_user(values), None, "custom")


def test_clip_by_global_norm_3_4_12():
    # ‖(3, 4, 12)‖ = 13; max_norm 5 scales everything by 5/13 (global norm, one factor)
    p = clip(grads="[3, 4]; [12]", mode="norm", c=5)
    assert abs(p.parts[0].answer - 13) < 1e-12 and abs(p.parts[-1].answer - 5) < 1e-5
    assert all(abs(a - b) < 1e-6 for a, b in zip(p.parts[1].answer, [15 / 13, 20 / 13]))
    tags = {m.tag for m in p.mistakes}
    assert {"clipped_values", "per_tensor_norm", "norms_added"} <= tags
    # the classic [3, 4] with max_norm 1 -> [0.6, 0.8]
    q = clip(grads="[3, 4]; [0]", mode="norm", c=1)
    assert all(abs(a - b) < 1e-6 for a, b in zip(q.parts[1].answer, [0.6, 0.8]))


def test_clip_by_value_and_a_norm_already_small():
    p = clip(grads="[3, -0.5]; [-2]", mode="value", c=1)
    assert p.parts[0].answer == [1.0, -0.5] and p.parts[1].answer == [-1.0]
    assert abs(p.parts[2].answer - math.sqrt(13.25)) < 1e-12 and abs(p.parts[3].answer - math.sqrt(2.25)) < 1e-12
    q = clip(grads="[0.3, 0.4]", mode="norm", c=1)          # N = 0.5 < 1: nothing changes
    assert q.parts[1].answer == [0.3, 0.4]
    with pytest.raises(QuizgenError):
        clip(grads="[1, 2]; []", mode="norm", c=1)


# ---------------------------------------------------------------- optim.norm

def norm_problem(**settings):
    fam = get_family("optim.norm")
    names = [p.name for p in fam.params]
    values = {k: fam.params[names.index(k)].parse(str(v)) for k, v in settings.items()}
    return build_problem(fam, fam.params_from_user(values), None, "custom")


def close_all(a, b, tol=1e-4):
    flat = lambda v: [x for r in v for x in (r if isinstance(r, list) else [r])]  # noqa: E731
    return len(flat(a)) == len(flat(b)) and all(abs(x - y) < tol for x, y in zip(flat(a), flat(b)))


def test_batch_norm_by_hand():
    # x = [1, 2, 3] in one feature: μ = 2, σ² = 2/3 (biased), x̂ = ±√1.5 = ±1.2247, 0
    p = norm_problem(mode="batch", x="[[1], [2], [3]]")
    assert close_all(p.parts[0].answer, [2]) and close_all(p.parts[1].answer, [2 / 3])
    assert close_all(p.parts[2].answer, [[-1.2247], [0], [1.2247]])
    # PyTorch: running_mean 0.9·0 + 0.1·2 = 0.2; running_var 0.9·1 + 0.1·1 (unbiased var of 1,2,3 is 1) = 1.0
    assert close_all(p.parts[4].answer, [0.2]) and close_all(p.parts[5].answer, [1.0])
    # Keras momentum 0.9 = PyTorch 0.1 for the mean; the variance update takes the biased 2/3
    k = norm_problem(mode="batch", x="[[1], [2], [3]]", convention="keras", momentum=0.9)
    assert close_all(k.parts[4].answer, [0.2]) and close_all(k.parts[5].answer, [0.9 + 0.1 * 2 / 3])
    tags = {m.tag for m in p.mistakes}
    assert {"unbiased_variance", "momentum_swapped", "running_var_variance"} <= tags


def test_layer_norm_and_inference():
    # LN of [1, 2, 3, 4]: μ = 2.5, σ² = 1.25, x̂ = ±1.3416, ±0.4472
    p = norm_problem(mode="layer", x="[[1, 2, 3, 4]]", gamma="[1, 1, 1, 1]", beta="[0, 0, 0, 0]")
    assert close_all(p.parts[0].answer, [2.5]) and close_all(p.parts[1].answer, [1.25])
    assert close_all(p.parts[2].answer, [[-1.3416, -0.4472, 0.4472, 1.3416]])
    e = norm_problem(mode="eval", x="[[3], [5]]", running_mean="[1]", running_var="[4]", gamma="[2]", beta="[1]")
    assert close_all(e.parts[0].answer, [[1], [2]], 1e-4) and close_all(e.parts[1].answer, [[3], [5]], 1e-4)
    assert "batch_stats_in_eval" in {m.tag for m in e.mistakes}
    with pytest.raises(QuizgenError):
        norm_problem(mode="batch", x="[[1, 2]]")
    with pytest.raises(QuizgenError):
        norm_problem(mode="layer", x="[[1, 2]]", gamma="[1]")


# ---------------------------------------------------------------- optim.schedule

def schedule(**settings):
    fam = get_family("optim.schedule")
    names = [p.name for p in fam.params]
    values = {k: fam.params[names.index(k)].parse(str(v)) for k, v in settings.items()}
    return [q.answer for q in build_problem(fam, fam.params_from_user(values), None, "custom").parts]


def test_pytorch_steplr_docstring():
    # torch.optim.lr_scheduler.StepLR docstring (lr 0.05, step_size 30, gamma 0.1):
    # 0.05 for epoch < 30, 0.005 for 30 <= epoch < 60, 0.0005 for 60 <= epoch < 90
    got = schedule(kind="step", lr=0.05, gamma=0.1, s=30, epochs="[0, 29, 30, 59, 60, 89]")
    assert all(abs(a - b) < 1e-12 for a, b in zip(got, [0.05, 0.05, 0.005, 0.005, 0.0005, 0.0005]))


def test_pytorch_linearlr_docstring():
    # LinearLR docstring (lr 0.05, start_factor 0.5, total_iters 4): 0.025, 0.03125, 0.0375, 0.04375, then 0.05
    got = schedule(kind="warmup", lr=0.05, f=0.5, W=4, epochs="[0, 1, 2, 3, 4, 9]")
    assert all(abs(a - b) < 1e-12 for a, b in zip(got, [0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05]))


def test_cosine_and_warmup_cosine_landmarks():
    got = schedule(kind="cosine", lr=0.1, T=100, eta_min=0.001, epochs="[0, 50, 100]")
    assert abs(got[0] - 0.1) < 1e-12 and abs(got[1] - 0.0505) < 1e-12 and abs(got[2] - 0.001) < 1e-12
    got = schedule(kind="warmup_cosine", lr=1, W=10, T=110, f=0, epochs="[0, 5, 10, 60, 110]")
    assert all(abs(a - b) < 1e-12 for a, b in zip(got, [0, 0.5, 1, 0.5, 0]))
    # TF's ExponentialDecay η₀·γ^(e/k): after k epochs exactly one factor γ
    assert abs(schedule(kind="exp", lr=0.01, gamma=0.9, k=10, epochs="[10]")[0] - 0.009) < 1e-12


@pytest.mark.parametrize("settings,message", [
    ({"kind": "step", "lr": "0.1", "epochs": "[1]"}, "needs --set for gamma, s"),
    ({"kind": "cosine", "lr": "0.1", "T": "10", "epochs": "[11]"}, "up to epoch T"),
    ({"kind": "warmup_cosine", "lr": "0.1", "T": "10", "W": "10", "epochs": "[1]"}, "W < T"),
    ({"kind": "exp", "lr": "0.1", "gamma": "0.9", "epochs": "[1.5]"}, "whole numbers"),
])
def test_schedule_bad_settings(settings, message):
    with pytest.raises(QuizgenError) as exc:
        schedule(**settings)
    assert message in str(exc.value)


# ---------------------------------------------------------------- 200 seeds per convention against torch

def _agree(parts, want) -> bool:
    from quizgen import kinds

    return set(want) == {p.id for p in parts} and all(kinds.equal(p, want[p.id], p.answer) for p in parts)


@pytest.mark.parametrize("mode,convention", [("batch", "pytorch"), ("batch", "keras"), ("eval", "pytorch"), ("layer", None)])
def test_norm_every_convention_against_torch(mode, convention):
    ref = pytest.importorskip("solvers.optim_ref")
    import numpy as np

    fam, rng = get_family("optim.norm"), np.random.default_rng(7)
    for _ in range(200):
        n, d = int(rng.integers(2, 5)), int(rng.integers(1, 4))
        p = {"mode": mode, "x": rng.integers(-5, 6, (n, d)).astype(float).tolist(), "gamma": rng.uniform(-2, 2, d).round(1).tolist(),
             "beta": rng.uniform(-2, 2, d).round(1).tolist(), "eps": float(rng.choice([1e-5, 1e-3]))}
        if mode != "layer":
            p.update(convention=convention, momentum=float(rng.choice([0.1, 0.3])) if convention == "pytorch" else 0.99,
                     running_mean=rng.uniform(-1, 1, d).round(1).tolist(), running_var=rng.uniform(0.5, 3, d).round(1).tolist())
        assert _agree(fam.solve(p).parts, ref.optim_norm(p)), p


@pytest.mark.parametrize("kind", ["step", "exp", "cosine", "warmup", "warmup_cosine"])
def test_schedule_every_kind_against_torch(kind):
    ref = pytest.importorskip("solvers.optim_ref")
    import numpy as np

    fam, rng = get_family("optim.schedule"), np.random.default_rng(11)
    for _ in range(200):
        p = {"kind": kind, "lr": float(rng.choice([0.1, 1.0, 0.05])), "gamma": float(rng.choice([0.5, 0.9, 0.1])),
             "s": int(rng.integers(1, 20)), "k": int(rng.integers(1, 5)), "T": int(rng.integers(20, 60)),
             "eta_min": float(rng.choice([0.0, 0.001])), "W": int(rng.integers(1, 10)), "f": float(rng.choice([0.0, 0.25]))}
        p = {k: v for k, v in p.items() if k in ("kind", "lr") or k in fam.NEEDS[kind]}
        p["epochs"] = sorted({int(e) for e in rng.integers(0, 20, 4)})
        assert _agree(fam.solve(p).parts, ref.optim_schedule(p)), p


@pytest.mark.parametrize("mode", ["norm", "value"])
def test_clip_every_mode_against_torch(mode):
    ref = pytest.importorskip("solvers.optim_ref")
    import numpy as np

    fam, rng = get_family("optim.clip"), np.random.default_rng(5)
    for _ in range(200):
        grads = [rng.uniform(-5, 5, int(rng.integers(1, 4))).round(1).tolist() for _ in range(int(rng.integers(1, 4)))]
        p = {"grads": grads, "mode": mode, "c": float(rng.choice([0.5, 1, 3, 10]))}
        assert _agree(fam.solve(p).parts, ref.optim_clip(p)), p


@pytest.mark.parametrize("coeffs", [[1.0, -2.0, 1.0], [1.0, 0.0, -3.0, 0.0, 2.0], [1.0, 0.0, -2.0, 0.0, 1.0], [0.5, 1.0, 0.0, -1.0]])
def test_gd_function_every_template_against_torch(coeffs):
    ref = pytest.importorskip("solvers.optim_ref")
    import numpy as np

    fam, rng = get_family("optim.gd_function"), np.random.default_rng(3)
    for _ in range(200):
        p = {"poly": coeffs, "w0": round(float(rng.uniform(-2, 2)), 2), "lr": float(rng.choice([0.01, 0.02, 0.05])),
             "steps": 3, "wstar": _a_minimum(coeffs), "wstar_tex": "w"}
        assert _agree(fam.solve(p).parts, ref.gd_function(p)), p


def _a_minimum(coeffs):
    from problems.optim_gd_function import nearest_minimum

    return nearest_minimum(coeffs, 1.0)


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_compare_every_optimizer_against_torch(name):
    ref = pytest.importorskip("solvers.optim_ref")
    import numpy as np

    fam, rng = get_family("optim.compare"), np.random.default_rng(9)
    for _ in range(200):
        other = str(rng.choice([x for x in ("sgd", "adam") if x != name]))
        p = {"optimizers": [name, other], "lrs": rng.choice([0.05, 0.1, 0.2], 2).tolist(),
             "quad": rng.uniform(0.1, 2, 2).round(2).tolist(), "w0": rng.uniform(-3, 3, 2).round(1).tolist(),
             "steps": int(rng.integers(1, 4)), "orders": [rng.permutation(4).tolist(), rng.permutation(4).tolist()]}
        got = ref.optim_compare(p)
        parts = fam.solve(p).parts
        ends = [got["a"], got["b"]]
        if abs(ends[0] - ends[1]) < 1e-9:
            continue   # a tie: "lowest" is not defined
        assert _agree(parts, got), p
