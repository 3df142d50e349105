"""Every convention of the recurrent families against the torch references, 200 seeds each.

The generated problems use some conventions more than others (textbook layouts on easy, PyTorch's
on hard); here each seed's numbers are rewritten into every convention, so none is checked on a
handful of seeds only.  The rewrites keep the network where they can (a PyTorch LSTM written in the
textbook layout is the same cell), and otherwise just relabel the numbers: the reference decides.
"""

from __future__ import annotations

import itertools

import pytest

from quizgen import kinds
from quizgen.registry import get_family
from quizgen.sheet import build_problem, generate_problem

torch = pytest.importorskip("torch")
from solvers import references  # noqa: E402

SEEDS = range(200)


def check(name: str, params: dict) -> None:
    fam = get_family(name)
    p = build_problem(fam, params, None, "custom")
    for ref in references(name):
        got = ref(params)
        assert set(got) == {part.id for part in p.parts}
        for part in p.parts:
            assert kinds.equal(part, got[part.id], part.answer), (name, params, part.id, got[part.id], part.answer)


def generated(name: str, seed: int) -> dict:
    fam = get_family(name)
    return dict(generate_problem(fam, seed, fam.difficulties[seed % len(fam.difficulties)]).params)


@pytest.mark.parametrize("act, biases, output", list(itertools.product(("tanh", "relu"), ("one", "two"),
                                                                       ("none", "linear", "softmax"))))
def test_rnn_forward_every_convention(act, biases, output):
    for seed in SEEDS:
        p = generated("rnn.forward", seed)
        H = len(p["h0"])
        b = [p.pop(k) for k in ("b_h", "b_ih", "b_hh") if k in p]
        p.update(act=act, biases=biases, output=output)
        if biases == "one":
            p["b_h"] = [sum(v) for v in zip(*b)]
        else:
            p["b_ih"], p["b_hh"] = b[0], [0.1 * (k + 1) for k in range(H)]
        p.pop("W_hy", None), p.pop("b_y", None)
        if output != "none":
            K = 2 if output == "softmax" else 1
            p["W_hy"] = [[0.5 - 0.3 * (r + c) for c in range(H)] for r in range(K)]
            p["b_y"] = [0.1] * K
        check("rnn.forward", p)


def textbook_lstm(p: dict, concat: str) -> dict:
    """A PyTorch-layout LSTM written in the textbook layout (the same cell)."""
    if p["layout"] == "textbook":
        p = to_pytorch_lstm(p)
    H = len(p["h0"])
    out = {k: p[k] for k in ("x", "h0", "c0")} | {"layout": "textbook", "concat": concat}
    for k, n in enumerate(("i", "f", "c", "o")):
        wx = p["weight_ih_l0"][k * H:(k + 1) * H]
        wh = p["weight_hh_l0"][k * H:(k + 1) * H]
        out[f"W_{n}"] = [h + x if concat == "hx" else x + h for x, h in zip(wx, wh)]
        out[f"b_{n}"] = [a + b for a, b in zip(p["bias_ih_l0"][k * H:(k + 1) * H], p["bias_hh_l0"][k * H:(k + 1) * H])]
    return out


def to_pytorch_lstm(p: dict) -> dict:
    H = len(p["h0"])
    out = {k: p[k] for k in ("x", "h0", "c0")} | {"layout": "pytorch"}
    out["weight_ih_l0"] = [r[H:] for n in ("i", "f", "c", "o") for r in p[f"W_{n}"]]
    out["weight_hh_l0"] = [r[:H] for n in ("i", "f", "c", "o") for r in p[f"W_{n}"]]
    out["bias_ih_l0"] = [b for n in ("i", "f", "c", "o") for b in p[f"b_{n}"]]
    out["bias_hh_l0"] = [0.1] * (4 * H)
    return out


@pytest.mark.parametrize("layout", ("textbook-hx", "textbook-xh", "pytorch"))
def test_lstm_every_layout(layout):
    for seed in SEEDS:
        p = generated("lstm.step", seed)
        if layout == "pytorch":
            p = p if p["layout"] == "pytorch" else to_pytorch_lstm(p)
        else:
            p = textbook_lstm(p, layout.split("-")[1])
        check("lstm.step", p)


def test_lstm_layouts_describe_the_same_cell():
    for seed in range(40):
        p = generated("lstm.step", seed)
        if p["layout"] != "pytorch":
            continue
        keys = [build_problem(get_family("lstm.step"), q, None, "custom").parts
                for q in (p, textbook_lstm(p, "hx"), textbook_lstm(p, "xh"))]
        for a, b, c in zip(*keys):
            assert kinds.equal(a, a.answer, b.answer) and kinds.equal(a, a.answer, c.answer)


@pytest.mark.parametrize("convention, update, reset", list(itertools.product(("cho", "pytorch"), ("candidate", "previous"),
                                                                             ("before", "after"))))
def test_gru_every_convention(convention, update, reset):
    for seed in SEEDS:
        p = generated("gru.step", seed)
        if p["convention"] != convention:
            p = _gru_relabel(p, convention)
        p.update(update=update, reset=reset)
        check("gru.step", p)


def _gru_relabel(p: dict, convention: str) -> dict:
    """The same numbers in the other weight layout (one layer)."""
    H = len(p["h0"][0])
    out = {"x": p["x"], "h0": p["h0"][:1], "convention": convention}
    if convention == "pytorch":
        out["weight_ih_l0"] = [r for n in "rzh" for r in p[f"W_{n}"]]
        out["weight_hh_l0"] = [r for n in "rzh" for r in p[f"U_{n}"]]
        out["bias_ih_l0"] = [b for n in "rzh" for b in p[f"b_{n}"]]
        out["bias_hh_l0"] = [0.1] * (3 * H)
    else:
        for k, n in enumerate("rzh"):
            out[f"W_{n}"] = p["weight_ih_l0"][k * H:(k + 1) * H]
            out[f"U_{n}"] = p["weight_hh_l0"][k * H:(k + 1) * H]
            out[f"b_{n}"] = p["bias_ih_l0"][k * H:(k + 1) * H]
    return out


@pytest.mark.parametrize("bias", ("pytorch", "one", "none"))
def test_rnn_params_every_bias_convention(bias):
    for seed in SEEDS:
        p = generated("rnn.params", seed)
        check("rnn.params", dict(p, bias=bias))


@pytest.mark.parametrize("batch_first, bidirectional", list(itertools.product((False, True), (False, True))))
def test_rnn_shapes_every_layout(batch_first, bidirectional):
    for seed in SEEDS:
        p = generated("rnn.shapes", seed)
        if p["module"] == "embedding":
            continue
        x = p["shape"]
        if len(x) == 3:
            L, N = (x[1], x[0]) if p["batch_first"] else (x[0], x[1])
            x = [N, L, x[2]] if batch_first else [L, N, x[2]]
        check("rnn.shapes", dict(p, batch_first=batch_first, bidirectional=bidirectional, shape=x))
