"""transformer.attention: published worked examples, the named mistakes, masks, bad input."""

from __future__ import annotations

import math

import pytest

from conftest import run_cli
from quizgen import kinds
from quizgen.check import check_problem
from quizgen.registry import get_family
from quizgen.sheet import build_problem, generate_problem

FAM = get_family("transformer.attention")


def solved(**texts):
    """A problem from `--set` texts, read by the family's own Param parsers (as the CLI does)."""
    params = {p.name: p for p in FAM.params}
    return build_problem(FAM, FAM.params_from_user({k: params[k].parse(v) for k, v in texts.items()}), None, "custom")


def answers(p):
    return [part.answer for part in p.parts]


def close(a, b, tol=1e-9):
    return all(abs(x - y) <= tol for ra, rb in zip(a, b) for x, y in zip(ra, rb)) and len(a) == len(b)


def test_alammar_illustrated_transformer_scores_112_and_96():
    """Jay Alammar, "The Illustrated Transformer": q1·k1 = 112, q1·k2 = 96, d_k = 64; divided by
    √d_k = 8 they are 14 and 12, and the softmax gives 0.88 and 0.12."""
    p = solved(scores="[[112, 96]]", dk="64", V="[[1, 0], [0, 1]]")
    z, a, o = answers(p)
    assert z == [[14, 12]]
    assert [round(x, 2) for x in a[0]] == [0.88, 0.12]
    assert close(o, a)


def test_vaswani_equation_1_on_a_hand_example():
    """softmax(QKᵀ/√d_k)V with Q = K = I₂ (d_k = 2): the scores are I, so each row's weights are
    e^{1/√2}/(e^{1/√2} + 1) and 1/(e^{1/√2} + 1)."""
    p = solved(Q="[[1, 0], [0, 1]]", K="[[1, 0], [0, 1]]", V="[[1, 2], [3, 4]]")
    s, z, a, o = answers(p)
    w = math.exp(1 / math.sqrt(2)) / (math.exp(1 / math.sqrt(2)) + 1)
    assert s == [[1, 0], [0, 1]] and close(z, [[1 / math.sqrt(2), 0], [0, 1 / math.sqrt(2)]])
    assert close(a, [[w, 1 - w], [1 - w, w]])
    assert close(o, [[w + 3 * (1 - w), 2 * w + 4 * (1 - w)], [(1 - w) + 3 * w, 2 * (1 - w) + 4 * w]])


def test_causal_mask_first_row_sees_only_itself_and_padding_zeroes_columns():
    causal = solved(Q="[[1, 0], [0, 1], [1, 1]]", K="[[1, 0], [0, 1], [1, 1]]", V="[[1], [2], [3]]", mask="causal")
    a = causal.parts[2].answer
    assert a[0] == [1.0, 0.0, 0.0] and a[1][2] == 0.0 and abs(sum(a[2]) - 1) < 1e-12
    pad = solved(Q="[[1, 0], [0, 1], [1, 1]]", K="[[1, 0], [0, 1], [1, 1]]", V="[[1], [2], [3]]",
                 mask="padding", padded="[3]")
    a = pad.parts[2].answer
    assert all(row[2] == 0.0 and abs(sum(row) - 1) < 1e-12 for row in a)  # the padded query row too


def test_unscaled_variant_has_no_scaled_part_and_uses_raw_scores():
    p = solved(Q="[[1, 0], [0, 1]]", K="[[1, 0], [0, 1]]", V="[[1, 2], [3, 4]]", scale="none")
    assert len(p.parts) == 3
    e = math.e / (math.e + 1)
    assert close(p.parts[1].answer, [[e, 1 - e], [1 - e, e]])
    assert "no division" in p.statement.en and "不除以" in p.statement.zh


def test_easy_variant_projects_x_first():
    p = solved(X="[[1, 2], [0, 1]]", WQ="[[1, 0], [0, 1]]", WK="[[0, 1], [1, 0]]", WV="[[1, 1], [0, 1]]")
    q, k, v = answers(p)[:3]
    assert q == [[1, 2], [0, 1]] and k == [[2, 1], [1, 0]] and v == [[1, 3], [0, 1]]
    assert answers(p)[3] == [[4, 1], [1, 0]]


@pytest.mark.parametrize("tag", ["no_scaling", "softmax_axis", "mask_after_softmax"])
def test_the_issue_mistakes_are_recognised(tag):
    p = solved(Q="[[1, 0], [0, 2], [1, 1]]", K="[[2, 0], [0, 1], [1, 1]]", V="[[1, 0], [0, 1], [1, 1]]", mask="causal")
    m = next(m for m in p.mistakes if m.tag == tag and m.part == "c")
    result = check_problem(p, 1, {"a": "[[2, 0, 1], [0, 2, 2], [2, 1, 2]]", "c": kinds.show(p.part("c"), m.answer)})
    graded = {r.part: r for r in result}
    assert graded["c"].status == "wrong" and graded["c"].mistake == tag


def test_mask_after_softmax_rows_do_not_sum_to_one():
    p = solved(Q="[[1, 0], [0, 2]]", K="[[2, 0], [0, 1]]", V="[[1, 0], [0, 1]]", mask="causal")
    after = next(m.answer for m in p.mistakes if m.tag == "mask_after_softmax" and m.part == "c")
    assert sum(after[0]) < 0.99


def test_the_weights_heat_map_goes_with_the_key_only():
    p = solved(Q="[[1, 0], [0, 1]]", K="[[1, 0], [0, 1]]", V="[[1, 2], [3, 4]]")
    (fig,) = p.figures
    assert fig.key and fig.kind == "heatmap" and close(fig.data["matrix"], p.parts[2].answer, 1e-4)
    assert fig.data["rows"] == ["q1", "q2"] and fig.data["cols"] == ["k1", "k2"]
    for s in range(20):
        g = generate_problem(FAM, s, "medium")
        shown = [f for f in g.figures if not f.key]
        assert [f.key for f in g.figures].count(True) == 1  # the weights: an answer, drawn with the key
        if g.params["mask"] == "none":
            assert not shown
        else:  # the statement shows only the mask, never the weights
            (mask,) = shown
            a = g.parts[-2].answer
            assert mask.data["matrix"] == [[int(w > 0) for w in row] for row in a]


def test_generated_problems_cover_every_variant():
    seen = set()
    for d in FAM.difficulties:
        for s in range(40):
            prm = generate_problem(FAM, s, d).params
            seen |= {prm["mode"], prm["mask"], prm["scale"]}
    assert {"x", "qkv", "none", "causal", "padding", "sqrt"} <= seen and "none" in seen


@pytest.mark.parametrize("settings, message", [
    (["Q=[[1, 0]]", "K=[[1]]", "V=[[1]]"], "same number of columns"),
    (["Q=[[1, 0]]", "K=[[1, 0]]", "V=[[1], [2]]"], "one row per key"),
    (["Q=[[1, 0]]", "K=[[1, 0], [0, 1]]", "V=[[1], [2]]", "mask=causal"], "causal"),
    (["Q=[[1, 0]]", "K=[[1, 0]]", "V=[[1]]", "mask=padding", "padded=[1]"], "every key is padding"),
    (["Q=[[1, 0]]", "K=[[1, 0]]", "V=[[1]]", "mask=padding"], "padded"),
    (["scores=[[1, 2]]", "V=[[1], [2]]"], "dk"),
    (["Q=[[1, 0]]"], "--set K"),
    (["X=[[1, 0]]", "WQ=[[1]]", "WK=[[1]]", "WV=[[1]]"], "rows"),
    (["Q=[[1, 0]]", "K=[[1, 0]]", "V=[[1]]", "scores=[[1]]", "dk=2"], "not both"),
    (["Q=[[1, 0]]", "K=[[1, 0]]", "V=[[1]]", "padded=[1]"], "mask=padding"),
])
def test_bad_input_is_one_line(settings, message):
    r = run_cli("solve", "transformer.attention", *[x for s in settings for x in ("--set", s)])
    assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_200_problems_against_one_batched_sdpa_call_per_shape():
    """Batched reference: the Q/K/V problems of 200 seeds, grouped by size, each group checked with
    one float64 F.scaled_dot_product_attention call (per-problem masks as −∞ float masks, the
    per-problem scale folded into Q)."""
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    groups: dict = {}
    for s in range(200):
        p = generate_problem(FAM, s, ("medium", "hard")[s % 2])
        prm = p.params
        groups.setdefault((len(prm["Q"]), len(prm["Q"][0]), len(prm["V"][0])), []).append(p)
    checked = 0
    for (n, dk, dv), probs in groups.items():
        q = torch.tensor([p.params["Q"] for p in probs], dtype=torch.float64)
        k = torch.tensor([p.params["K"] for p in probs], dtype=torch.float64)
        v = torch.tensor([p.params["V"] for p in probs], dtype=torch.float64)
        scale = torch.tensor([1 / math.sqrt(dk) if p.params["scale"] == "sqrt" else 1.0 for p in probs],
                             dtype=torch.float64)
        mask = torch.zeros(len(probs), n, n, dtype=torch.float64)
        for b, p in enumerate(probs):
            if p.params["mask"] == "causal":
                mask[b] = torch.triu(torch.full((n, n), float("-inf"), dtype=torch.float64), diagonal=1)
            for j in p.params["padded"]:
                mask[b, :, j - 1] = float("-inf")
        out = F.scaled_dot_product_attention(q * scale[:, None, None], k, v, attn_mask=mask, scale=1.0)
        for b, p in enumerate(probs):
            assert close(p.parts[-1].answer, out[b].tolist(), 1e-9), p.seed
            checked += 1
    assert checked == 200
