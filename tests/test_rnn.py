"""The recurrent families on published worked examples (values taken from the sources, never
from this code), their --set conventions, and their one-line errors.  The 200-seed checks
against torch's nn.RNN / nn.LSTM / nn.GRU run in tests/test_references.py."""

from __future__ import annotations

import pytest

from conftest import run_cli
from quizgen.check import check_problem
from quizgen.errors import QuizgenError
from quizgen.registry import get_family
from quizgen.sheet import build_problem


def solve(family: str, **settings) -> dict:
    """The key of `quizgen solve family --set k=v ...`, by part id."""
    fam = get_family(family)
    by_name = {p.name: p for p in fam.params}
    values = {k: by_name[k].parse(v) for k, v in settings.items()}
    return build_problem(fam, fam.params_from_user(values), None, "custom")


def close(got, want, tol=0.001):
    got, want = (got if isinstance(got, list) else [got]), (want if isinstance(want, list) else [want])
    return len(got) == len(want) and all(abs(g - w) <= tol for g, w in zip(got, want))


# ---------------------------------------------------------------- rnn.forward

TOM_YEH = dict(x="[3, 4]", W_xh="[[1], [2]]", W_hh="[[1, -1], [1, 1]]", W_hy="[-1, 1]", act="relu")


def test_rnn_tom_yeh_ai_by_hand():
    # Tom Yeh, "AI by Hand" RNN exercise, worked on ai.stackexchange.com question 45724:
    # ReLU, no bias, h1 = [3, 6], y1 = 3, h2 = [1, 17], y2 = 16.
    p = solve("rnn.forward", **TOM_YEH)
    a = [part.answer for part in p.parts]
    assert a == [[3, 6], [3, 6], 3, [1, 17], [1, 17], 16]


def test_rnn_row_orientation_is_the_same_network():
    # Deep Learning from Scratch 2 / Keras write h W + x W with W input × hidden: the transposes.
    p = solve("rnn.forward", **dict(TOM_YEH, W_xh="[1, 2]", W_hh="[[1, 1], [-1, 1]]", W_hy="[[-1], [1]]",
                                    orient="row"))
    assert [part.answer for part in p.parts] == [[3, 6], [3, 6], 3, [1, 17], [1, 17], 16]
    assert "x_t W_{xh}" in p.statement.en


def test_rnn_scalar_tutorial_three_steps():
    # AyanPaul2210/Deep-Learning-Tutorial (GitHub), RNN by hand: x = 0.7, 0.5, 0.2, h0 = 0.1,
    # W_xh = 0.9, W_hh = 0.5, b = 0.3, tanh: h1 ≈ 0.753, h2 ≈ 0.809, h3 ≈ 0.708 (3 decimals).
    p = solve("rnn.forward", x="[0.7, 0.5, 0.2]", h0="0.1", W_xh="0.9", W_hh="0.5", b_h="0.3")
    assert close(p.parts[0].answer, 0.98) and close(p.part("c").answer, 1.1265)
    assert [close(p.part(i).answer, v, 0.0015) for i, v in zip("bdf", (0.753, 0.809, 0.708))] == [True] * 3
    source = {"a": "0.98", "b": "0.753", "c": "1.1265", "d": "0.809", "e": "0.8845", "f": "0.708"}
    assert {r.status for r in check_problem(p, 1, source)} == {"correct"}


def test_rnn_scalar_with_output():
    # "RNN Numerical Example" (web text, in nvidia/Nemotron-CC-Math-v1): x = 0.5, 1.0, 1.5, h0 = 0,
    # W_hh = 0.5, W_xh = 0.8, b_h = 0.1, W_hy = 1, b_y = 0.2: h1 ≈ 0.462, y1 ≈ 0.662.
    p = solve("rnn.forward", x="[0.5, 1, 1.5]", W_xh="0.8", W_hh="0.5", b_h="0.1", W_hy="1", b_y="0.2")
    assert close(p.part("b").answer, 0.462, 5e-4) and close(p.part("c").answer, 0.662, 5e-4)


def test_rnn_two_biases_are_both_added_and_one_is_a_known_mistake():
    p = solve("rnn.forward", x="[1]", W_xh="0.5", W_hh="0", b_ih="0.25", b_hh="0.25")
    assert p.parts[0].answer == 1.0
    assert {m.tag for m in p.mistakes if m.part == "a"} >= {"one_bias"}
    results = check_problem(p, 1, {"a": "0.75"})
    assert results[0].status == "wrong" and results[0].mistake == "one_bias"


def test_rnn_forgotten_recurrence_is_recognised_and_carried():
    p = solve("rnn.forward", **TOM_YEH)
    # a2 without W_hh h1 = [4, 8]; then h2 = ReLU([4, 8]) and y2 = 4 are carried forward.
    results = check_problem(p, 1, {"a": "[3, 6]", "b": "[3, 6]", "c": "3", "d": "[4, 8]", "e": "[4, 8]", "f": "4"})
    status = {r.part: r.status for r in results}
    assert status == {"a": "correct", "b": "correct", "c": "correct", "d": "wrong", "e": "carried", "f": "carried"}
    assert results[3].mistake == "no_recurrence"


def test_rnn_softmax_output():
    p = solve("rnn.forward", x="[0]", W_xh="0", W_hh="0", b_h="0.5", W_hy="[[2], [0]]", output="softmax")
    # h1 = tanh(0.5) = 0.46212; y1 = [0.92423, 0]; softmax = [0.71591, 0.28409]
    assert close(p.part("c").answer, [0.92423, 0.0]) and close(p.part("d").answer, [0.71591, 0.28409])


@pytest.mark.parametrize("settings, message", [
    (dict(x="[1, 2]", W_xh="[1, 2, 3]", W_hh="[[1, 0], [0, 1]]"), "W_xh: expected a 2×1 matrix"),
    (dict(x="[1, 2]", W_xh="1", W_hh="1", b_h="1", b_hh="1"), "not both"),
    (dict(x="[1, 2]", W_xh="1", W_hh="1", output="softmax", W_hy="1"), "at least 2 outputs"),
    (dict(x="[1, 2]", W_xh="1", W_hh="1", output="linear"), "needs --set W_hy"),
    (dict(x="[[1, 2], [3]]", W_xh="1", W_hh="1"), "x:"),
    (dict(x="[1, 2]", W_xh="1", W_hh="tensor([[1e9]])"), "between"),
])
def test_rnn_bad_settings_are_one_line_errors(settings, message):
    with pytest.raises(QuizgenError, match=message.replace("[", r"\[").replace("]", r"\]")):
        solve("rnn.forward", **settings)


def test_rnn_solve_cli_prints_every_step_and_takes_pytorch_printouts():
    r = run_cli("solve", "rnn.forward", "--set", "x=[3, 4]", "--set", "W_xh=tensor([[1.], [2.]])",
                "--set", "W_hh=Parameter containing:\ntensor([[1., -1.],\n        [1., 1.]], requires_grad=True)",
                "--set", "W_hy=[-1, 1]", "--set", "act=relu")
    assert r.returncode == 0, r.stderr
    assert "[1.00, 17.00]" in r.stdout and "16.00" in r.stdout
    bad = run_cli("solve", "rnn.forward", "--set", "x=[1]", "--set", "W_xh=[1, 2]", "--set", "W_hh=abc")
    assert bad.returncode == 2 and bad.stderr.startswith("quizgen: error: ") and len(bad.stderr.splitlines()) == 1
