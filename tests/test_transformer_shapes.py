"""transformer.shapes: published parameter totals (Transformer base, BERT-base), shapes in both
layouts, the named mistakes, bad input."""

from __future__ import annotations

import pytest

from conftest import run_cli
from problems.transformer_shapes import counts
from quizgen.registry import get_family
from quizgen.sheet import build_problem, generate_problem

FAM = get_family("transformer.shapes")


def solved(**texts):
    params = {p.name: p for p in FAM.params}
    return build_problem(FAM, FAM.params_from_user({k: params[k].parse(v) for k, v in texts.items()}), None, "custom")


def by_prompt(p, words):
    return next(part.answer for part in p.parts if words in part.prompt.en)


def test_transformer_base_layers():
    """Vaswani et al. base model: d_model = 512, h = 8, d_k = 64, d_ff = 2048."""
    enc = solved(layer="encoder", d_model="512", heads="8", d_ff="2048")
    assert enc.parts[0].answer == 64
    assert by_prompt(enc, "one multi-head") == 1_050_624
    assert by_prompt(enc, "feed-forward network") == 2_099_712
    assert by_prompt(enc, "whole encoder") == 3_152_384
    dec = solved(layer="decoder", d_model="512", heads="8", d_ff="2048")
    assert by_prompt(dec, "whole decoder") == 4_204_032


def test_bert_base_total_109482240():
    """BERT-base (Devlin et al. 2019): 12 encoder layers, d_model 768, 12 heads, d_ff 3072; with the
    embeddings (30,522 words + 512 positions + 2 segments, one LayerNorm) and the 768×768 pooler
    the published total is 109,482,240 parameters."""
    layer = by_prompt(solved(layer="encoder", d_model="768", heads="12", d_ff="3072"), "whole encoder")
    assert layer == 7_087_872
    embeddings = (30_522 + 512 + 2) * 768 + 2 * 768
    assert 12 * layer + embeddings + 768 * 768 + 768 == 109_482_240


def test_no_bias_counts_only_weights_and_gamma():
    p = solved(layer="decoder", d_model="512", heads="8", d_ff="2048", bias="no")
    assert by_prompt(p, "whole decoder") == 2 * 4 * 512**2 + 2 * 512 * 2048 + 3 * 512 == 4_195_840
    assert by_prompt(p, "LayerNorms") == 3 * 512


def test_shapes_batch_first_or_not_and_cross_attention():
    first = solved(layer="decoder", d_model="64", heads="4", batch="2", length="5", source="7", batch_first="yes")
    assert by_prompt(first, "input X") == [2, 5, 64]
    assert by_prompt(first, "splitting") == [2, 4, 5, 16]
    assert by_prompt(first, "self-attention weights") == [2, 4, 5, 5]
    assert by_prompt(first, "cross-attention weights") == [2, 4, 5, 7]
    assert by_prompt(first, "hidden") == [2, 5, 256]
    seq = solved(layer="encoder", d_model="64", heads="4", batch="2", length="5")
    assert by_prompt(seq, "input X") == [5, 2, 64] and by_prompt(seq, "concatenating") == [5, 2, 64]


def test_mha_alone_has_no_feed_forward_or_choice():
    p = solved(layer="mha", d_model="256", heads="4")
    assert [part.kind for part in p.parts].count("choice") == 0 and p.parts[-1].answer == counts("mha", 256, 1024, True)["attn"]


@pytest.mark.parametrize("tag, part_words", [("no_out_proj", "one multi-head"), ("no_split", "head size"),
                                             ("norm_count", "LayerNorms"), ("one_attention", "whole decoder"),
                                             ("layout", "input X"), ("cross_swapped", "cross-attention")])
def test_known_mistakes(tag, part_words):
    p = solved(layer="decoder", d_model="512", heads="8", source="12")
    pid = next(part.id for part in p.parts if part_words in part.prompt.en)
    assert any(m.tag == tag and m.part == pid for m in p.mistakes), [m.tag for m in p.mistakes]


def test_choice_key_follows_the_shuffled_options():
    for s in range(20):
        p = generate_problem(FAM, s, "medium")
        choice = p.parts[-1]
        shown = [c.en for c in choice.choices]
        right = {shown.index(o) for o in shown if o.startswith("masked") or o.startswith("cross-attention")}
        assert sorted("abcdef"[i] for i in right) == choice.answer


@pytest.mark.parametrize("settings, message", [
    (["d_model=512", "heads=7"], "must divide"),
    (["heads=8"], "d_model"),
    (["d_model=512", "heads=8", "layer=bogus"], "layer"),
])
def test_bad_input_is_one_line(settings, message):
    r = run_cli("solve", "transformer.shapes", *[x for s in settings for x in ("--set", s)])
    assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
