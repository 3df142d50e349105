"""backprop.mlp: published worked examples, every convention against torch, the slips, the CLI."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from quizgen import kinds
from quizgen.check import check_problem
from quizgen.registry import get_family
from quizgen.sheet import build_problem, generate_problem

FAM = get_family("backprop.mlp")

MAZUR = {"x": [0.05, 0.1], "y": [0.01, 0.99], "W1": [[0.15, 0.2], [0.25, 0.3]], "b1": [0.35],
         "W2": [[0.4, 0.45], [0.5, 0.55]], "b2": [0.6], "eta": 0.5, "biases": False, "naming": "named", "decimals": 9}


def solved(values: dict):
    return build_problem(FAM, FAM.params_from_user(values), None, "custom")


def by_column(problem, step: int = 1) -> dict:
    """Answers keyed by table column, for the given training step (rows restart per step)."""
    parts = [p for p in problem.parts if p.column]
    starts = [i for i, p in enumerate(parts) if p.column == "z1"] + [len(parts)]
    return {p.column: p.answer for p in parts[starts[step - 1]:starts[step]]}


# ---------------------------------------------------------------- published worked examples

def test_mazur_step_by_step_backpropagation_example():
    # Matt Mazur, "A Step by Step Backpropagation Example" (2015): 2-2-2 sigmoid net, E = ½Σ(target − out)²,
    # biases 0.35 / 0.60 shared per layer and not updated, η = 0.5
    p = solved(MAZUR)
    c = by_column(p)
    assert c["a1"] == pytest.approx([0.593269992, 0.596884378], abs=1e-9)
    assert c["a2"] == pytest.approx([0.75136507, 0.772928465], abs=1e-8)
    assert c["E"] == pytest.approx(0.298371109, abs=1e-9)
    assert c["∂w5"] == pytest.approx(0.082167041, abs=1e-9)
    assert c["δ2"][0] == pytest.approx(0.138498562, abs=1e-9)  # ∂E/∂net_o1
    assert [c[f"w{k}'"] for k in (5, 6, 7, 8)] == pytest.approx([0.35891648, 0.408666186, 0.511301270, 0.561370121], abs=1e-8)
    assert c["∂w1"] == pytest.approx(0.000438568, abs=1e-9)
    assert [c[f"w{k}'"] for k in (1, 2, 3, 4)] == pytest.approx([0.149780716, 0.19956143, 0.24975114, 0.29950229], abs=1e-8)
    assert not any(col.startswith("∂b") or col.startswith("b") for col in c)  # biases not updated


def test_mazur_error_after_the_first_round():
    # Mazur: "After this first round of backpropagation, the total error is now down to 0.291027924."
    # (his figure is 1.5e-7 above the exact value, 0.2910277737: rounding in the blog)
    p = solved({**MAZUR, "steps": 2})
    assert by_column(p, 2)["E"] == pytest.approx(0.291027924, abs=2e-7)


def test_mazur_with_the_weights_as_named_list():
    p = solved({k: v for k, v in MAZUR.items() if k not in ("W1", "W2")} | {"w": [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]})
    assert by_column(p)["w5'"] == pytest.approx(0.35891648, abs=1e-8)


def test_han_kamber_pei_example_9_1():
    # Han, Kamber & Pei, Data Mining: Concepts and Techniques (3rd ed.), Example 9.1 (Tables 9.1-9.3):
    # 3-2-1 sigmoid net, x = (1, 0, 1), target 1, η = 0.9, biases θ updated; Err_j = −δ_j
    p = solved({"x": [1, 0, 1], "y": [1], "W1": [[0.2, 0.4, -0.5], [-0.3, 0.1, 0.2]], "b1": [-0.4, 0.2],
                "W2": [[-0.3, -0.2]], "b2": [0.1], "eta": 0.9, "decimals": 4})
    c = by_column(p)
    assert c["a1"] == pytest.approx([0.332, 0.525], abs=5e-4)
    assert c["a2"] == pytest.approx([0.474], abs=5e-4)
    assert c["δ2"] == pytest.approx([-0.1311], abs=1e-4)  # the book rounds O6 to 0.474 first
    assert c["δ1"] == pytest.approx([0.0087, 0.0065], abs=1e-4)
    assert c["W2'"][0] == pytest.approx([-0.261, -0.138], abs=5e-4)
    assert c["W1'"][0] == pytest.approx([0.192, 0.4, -0.508], abs=5e-4)
    assert c["W1'"][1] == pytest.approx([-0.306, 0.1, 0.194], abs=5e-4)
    assert c["b2'"] == pytest.approx([0.218], abs=5e-4)
    assert c["b1'"] == pytest.approx([-0.408, 0.194], abs=5e-4)


def test_hmkcode_backpropagation_step_by_step():
    # hmkcode.com, "Backpropagation Step by Step": 2-2-1 linear net without biases, inputs (2, 3),
    # target 1, η = 0.05, E = ½(prediction − actual)²
    p = solved({"x": [2, 3], "y": [1], "w": [0.11, 0.21, 0.12, 0.08, 0.14, 0.15], "hidden": "linear",
                "output": "linear", "eta": 0.05, "steps": 2})
    c = by_column(p)
    assert c["a1"] == pytest.approx([0.85, 0.48]) and c["a2"] == pytest.approx([0.191])
    assert c["E"] == pytest.approx(0.327, abs=5e-4) and c["δ2"] == pytest.approx([-0.809])
    assert [c[f"w{k}'"] for k in range(1, 7)] == pytest.approx([0.12, 0.23, 0.13, 0.10, 0.17, 0.17], abs=5e-3)
    assert by_column(p, 2)["a2"] == pytest.approx([0.26], abs=5e-3)  # "the prediction is now 0.26"


# ---------------------------------------------------------------- every convention against torch

VARIANTS = {
    "two_steps": {"steps": 2},
    "in_out": {"layout": "in_out"},
    "out_in": {"layout": "out_in"},
    "named_to": {"naming": "named", "numbering": "to"},
    "named_from": {"naming": "named", "numbering": "from"},
    "matrix": {"naming": "matrix"},
    "sequential": {"updates": "sequential"},
    "simultaneous": {"updates": "simultaneous"},
    "biases_fixed": {"update_biases": False},
    "biases_updated": {"update_biases": True},
    "shared_bias": {"b": "shared"},
    "no_bias": {"b": "none"},
    "sse": {"loss": "sse"}, "mse": {"loss": "mse"}, "half_mse": {"loss": "half_mse"}, "half_sse": {"loss": "half_sse"},
    "tanh_out": {"output": "tanh"}, "relu_hidden": {"hidden": "relu"}, "linear_hidden": {"hidden": "linear"},
}


def variant(params: dict, change: dict) -> dict:
    p = dict(params, decimals=9, **{k: v for k, v in change.items() if k != "b"})
    if change.get("b") == "shared":
        p["b"] = [[b[0]] for b in params["b"]]
    if change.get("b") == "none":
        p["b"] = [[] for _ in params["b"]]
    if "loss" in change or change.get("output") == "tanh":
        if p["output"] == "softmax" or p["loss"] in ("ce", "bce"):
            p["output"] = "sigmoid" if "loss" in change else p["output"]
            p["loss"] = change.get("loss", "half_sse")
    if p["output"] == "tanh" and p["loss"] in ("ce", "bce"):
        p["loss"] = "half_sse"
    return p


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_convention_agrees_with_torch_autograd(name):
    pytest.importorskip("torch")
    from solvers.backprop_ref import backprop_mlp

    for seed in range(200):
        base = generate_problem(FAM, seed, FAM.difficulties[seed % 3]).params
        params = variant(base, VARIANTS[name])
        p = build_problem(FAM, params, None, "custom")
        want = backprop_mlp(params)
        assert set(want) == {q.id for q in p.parts}
        for q in p.parts:
            assert kinds.equal(q, q.answer, want[q.id]), (name, seed, q.id, q.answer, want[q.id])


# ---------------------------------------------------------------- the slips, and error carried forward

def grade(problem, answers: dict) -> dict:
    shown = {pid: v if isinstance(v, str) else kinds.show(problem.part(pid), v) for pid, v in answers.items()}
    return {r.part: r for r in check_problem(problem, 1, shown)}


def mazur_problem(**change):
    return solved({**MAZUR, "decimals": 6, **change})


def part_of(problem, column: str):
    return next(q for q in problem.parts if q.column == column)


def test_forgetting_sigma_prime_is_named_and_carried_into_the_hidden_deltas():
    p = mazur_problem()
    a2, d2 = part_of(p, "a2").answer, part_of(p, "δ2")
    no_sigma = [a - y for a, y in zip(a2, MAZUR["y"])]
    W2 = MAZUR["W2"]
    a1 = part_of(p, "a1").answer
    carried_d1 = [sum(W2[k][j] * no_sigma[k] for k in range(2)) * a1[j] * (1 - a1[j]) for j in range(2)]
    keys = {q.id: q.answer for q in p.parts if q.step is not None and q.step < d2.step}
    r = grade(p, keys | {d2.id: no_sigma, part_of(p, "δ1").id: carried_d1})
    assert r[d2.id].status == "wrong" and r[d2.id].mistake == "no_derivative"
    assert r[part_of(p, "δ1").id].status == "carried"


@pytest.mark.parametrize("column, slip, tag", [
    ("δ2", lambda p: [(a - y) * s * (1 - s) for a, y, s in zip(part_of(p, "a2").answer, MAZUR["y"],
                                                               [1 / (1 + 2.718281828459045 ** -a) for a in part_of(p, "a2").answer])],
     "derivative_at_a"),
    ("E", lambda p: 2 * part_of(p, "E").answer, "dropped_half"),
    ("δ2", lambda p: [2 * d for d in part_of(p, "δ2").answer], "dropped_half"),
    ("w5'", lambda p: MAZUR["W2"][0][0] + 0.5 * part_of(p, "∂w5").answer, "sign"),
])
def test_each_slip_gets_its_explanation(column, slip, tag):
    p = mazur_problem()
    part = part_of(p, column)
    keys = {q.id: q.answer for q in p.parts[:p.parts.index(part)]}
    r = grade(p, keys | {part.id: slip(p)})
    assert r[part.id].status == "wrong" and r[part.id].mistake == tag


def test_hidden_deltas_with_already_updated_output_weights():
    p = mazur_problem()
    new = [[part_of(p, f"w{k}'").answer for k in (5, 6)], [part_of(p, f"w{k}'").answer for k in (7, 8)]]
    d2, a1 = part_of(p, "δ2").answer, part_of(p, "a1").answer
    sequential = [sum(new[k][j] * d2[k] for k in range(2)) * a1[j] * (1 - a1[j]) for j in range(2)]
    part = part_of(p, "δ1")
    r = grade(p, {q.id: q.answer for q in p.parts[:p.parts.index(part)]} | {part.id: sequential})
    assert r[part.id].mistake == "used_new_weights"
    seq = mazur_problem(updates="sequential")
    assert part_of(seq, "δ1").answer == pytest.approx(sequential, abs=1e-12)  # the sequential convention's key


def test_mean_loss_and_log10_slips():
    p = solved({**MAZUR, "loss": "mse"})
    tags = {m.tag for m in p.mistakes}
    assert {"sum_for_mean", "added_half"} <= tags
    ce = solved({"x": [1, -1], "y": [0, 1, 0], "W1": [[0.5, 0.1], [-0.3, 0.2]], "W2": [[0.1, 0.2], [0.3, -0.1], [0, 0.4]],
                 "eta": 0.1, "loss": "ce"})
    assert ce.params["output"] == "softmax"
    assert {"log10", "extra_derivative"} <= {m.tag for m in ce.mistakes}
    assert part_of(ce, "δ2").answer == pytest.approx([a - y for a, y in zip(part_of(ce, "a2").answer, [0, 1, 0])])


def test_statement_states_every_convention():
    p = generate_problem(FAM, 5, "hard")
    for lang in ("en", "zh"):
        text = p.statement.get(lang)
        assert "W[out][in]" in text or "W[in][out]" in text or "w_{1}" in text
    en = solved({**MAZUR, "updates": "sequential"}).statement.en
    assert "not updated" in en and "sequential" in en and "Mazur" in en and "\\frac{1}{2}" in en
    zh = solved(MAZUR).statement.zh
    assert "偏置不更新" in zh and "同时更新" in zh


# ---------------------------------------------------------------- the command line

def test_solve_prints_the_full_table_for_mazur():
    r = run_cli("solve", "backprop.mlp",
                "--set", "x=[0.05, 0.1]", "--set", "y=[0.01, 0.99]", "--set", "W1=[[0.15, 0.2], [0.25, 0.3]]",
                "--set", "b1=0.35", "--set", "W2=[[0.4, 0.45], [0.5, 0.55]]", "--set", "b2=0.6", "--set", "eta=0.5",
                "--set", "biases=no", "--set", "naming=named", "--set", "decimals=8", "--json")
    assert r.returncode == 0, r.stderr
    column = {q.id: q.column for q in solved(MAZUR).parts}
    parts = {column[p["part"]]: p["answer"] for p in json.loads(r.stdout)["parts"]}
    assert parts["w5'"] == pytest.approx(0.35891648, abs=1e-8) and parts["E"] == pytest.approx(0.298371109, abs=1e-9)


@pytest.mark.parametrize("sets, message", [
    (["W2=[[0.4, 0.45, 0.1], [0.5, 0.55, 0.2]]"], "W2: expected a 2×2"),
    (["W2=[[0.4, 0.45]]"], "W2: expected a 2×2"),
    (["b3=1"], "b3: the network has only 2 layers"),
    (["b1=[1, 2, 3]"], "b1: expected 2 numbers"),
    (["loss=ce", "y=[1, -1]"], "y: cross-entropy targets"),
    (["output=linear", "loss=bce"], "bce"),
    (["w=[1, 2, 3]"], "either the named weights w or the matrices"),
    (["sizes=[2, 2, 2]"], "sizes goes with the named weights w"),
])
def test_bad_input_is_one_line(sets, message):
    base = ["x=[0.05, 0.1]", "y=[0.01, 0.99]", "W1=[[0.15, 0.2], [0.25, 0.3]]", "W2=[[0.4, 0.45], [0.5, 0.55]]", "eta=0.5"]
    names = {s.split("=")[0] for s in sets}
    args = [a for s in [b for b in base if b.split("=")[0] not in names] + sets for a in ("--set", s)]
    r = run_cli("solve", "backprop.mlp", *args)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("quizgen: error:") and message in lines[0], r.stderr


def test_in_out_layout_reads_the_transposed_matrices():
    a = solved(MAZUR)
    b = solved({**MAZUR, "layout": "in_out", "W1": [[0.15, 0.25], [0.2, 0.3]], "W2": [[0.4, 0.5], [0.45, 0.55]]})
    assert a.params["W"] == b.params["W"]


def test_check_command_carries_a_wrong_output_delta(tmp_path):
    from quizgen.files import read_sheet
    from quizgen.trace import run_trace

    sheet = tmp_path / "s.json"
    assert run_cli("generate", "--topic", "backprop", "--count", "1", "--seed", "4", "--difficulty", "easy",
                   "-o", str(sheet)).returncode == 0
    p = read_sheet(sheet).problems[0]
    d2 = part_of(p, "δ2")
    slip = [a - y for a, y in zip(part_of(p, "a2").answer, p.params["y"])]  # no σ′ at the output
    run = run_trace(FAM, p.params, given={d2.id: slip})
    lines = [f"1{q.id}: {kinds.show(q, slip if q.id == d2.id else q.answer)}" for q in run.parts]
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(lines) + "\n")
    r = run_cli("check", str(sheet), str(answers), "--json")
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    results = {x["part"]: x for x in (data["results"] if isinstance(data, dict) else data)}
    assert results[d2.id]["status"] == "wrong" and results[d2.id]["mistake"] == "no_derivative"
    later = [q.id for q in p.parts[p.parts.index(d2) + 1:]]
    assert all(results[pid]["status"] in ("carried", "correct") for pid in later)
    assert any(results[pid]["status"] == "carried" for pid in later)
