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


# ---------------------------------------------------------------- lstm.step

# Yasmeen-Akl/DL-lSTM- (GitHub notebook), scalar LSTM by hand: W_x = 0.5, 0.6, 0.7, 0.8 and
# W_h = 0.1, 0.2, 0.3, 0.4 for f, i, c̃, o; no biases; h0 = c0 = 0; x = 1, 2, 3.  Its printout (4 decimals):
YASMEEN = [(0.6225, 0.6457, 0.6044, 0.6900, 0.3902, 0.2564),      # f, i, c̃, o, c, h
           (0.7361, 0.7775, 0.9009, 0.8459, 0.9877, 0.6398),
           (0.8269, 0.8730, 0.9798, 0.9344, 1.6721, 0.8707)]


def test_lstm_scalar_notebook_textbook_layout():
    p = solve("lstm.step", x="[1, 2, 3]", W_f="[0.1, 0.5]", W_i="[0.2, 0.6]", W_c="[0.3, 0.7]", W_o="[0.4, 0.8]")
    got = [part.answer for part in p.parts]
    assert close(got, [v for row in YASMEEN for v in row], 1e-4)


def test_lstm_same_cell_from_a_pytorch_state_dict():
    # the same cell as nn.LSTM(1, 1) prints it: rows in the gate order i, f, g, o
    p = solve("lstm.step", x="[1, 2, 3]",
              weight_ih_l0="Parameter containing:\ntensor([[0.6000],\n        [0.5000],\n        [0.7000],\n"
                           "        [0.8000]], requires_grad=True)",
              weight_hh_l0="tensor([[0.2], [0.1], [0.3], [0.4]])")
    assert p.params["layout"] == "pytorch"
    assert close([part.answer for part in p.parts], [v for row in YASMEEN for v in row], 1e-4)
    assert "order i, f, g, o" in p.statement.en and "no peephole" in p.statement.en


def test_lstm_concatenation_order_xh():
    # [x_t, h_{t-1}]: the same weights written the other way round give the same cell
    p = solve("lstm.step", x="[1, 2, 3]", concat="xh", W_f="[0.5, 0.1]", W_i="[0.6, 0.2]", W_c="[0.7, 0.3]",
              W_o="[0.8, 0.4]")
    assert close([part.answer for part in p.parts], [v for row in YASMEEN for v in row], 1e-4)
    assert "[x_t, h_{t-1}]" in p.statement.en


def test_lstm_two_d_hidden_against_hand_values():
    # identity-like cell, hidden size 2: every gate pre-activation is x + h0 = [1, 0]; c0 = [1, -1]
    p = solve("lstm.step", x="[[1, 0]]", h0="[0, 0]", c0="[1, -1]",
              **{f"W_{n}": "[[0, 0, 1, 0], [0, 0, 0, 1]]" for n in "fico"})
    s1, s0, t1 = 0.7310585786, 0.5, 0.7615941559
    f, i, g, o, c, h = (part.answer for part in p.parts)
    assert close(f, [s1, s0]) and close(i, [s1, s0]) and close(g, [t1, 0]) and close(o, [s1, s0])
    assert close(c, [s1 + s1 * t1, -0.5], 1e-6)
    assert close(h, [s1 * 0.8586, 0.5 * -0.4621], 1e-3)  # tanh(1.2879) = 0.8586, tanh(-0.5) = -0.4621


def test_lstm_known_mistakes_are_recognised():
    p = solve("lstm.step", x="[1, 2, 3]", weight_ih_l0="[[0.6], [0.5], [0.7], [0.8]]",
              weight_hh_l0="[[0.2], [0.1], [0.3], [0.4]]", bias_hh_l0="[0.5, 0, 0, 0]")
    tags = {(m.part, m.tag) for m in p.mistakes}
    assert {("a", "gate_order"), ("b", "one_bias"), ("c", "sigmoid_candidate"), ("f", "no_tanh"),
            ("e", "f_i_swapped")} <= tags
    key = {part.id: part.answer for part in p.parts}
    # h1 = o1 ⊙ c1, without the tanh: the mistake is named, and h is then carried into step 2
    results = check_problem(p, 1, {"a": "0.6225", "b": f"{key['b']}", "c": "0.6044", "d": "0.6900",
                                   "e": f"{key['e']}", "f": f"{key['d'] * key['e']:.4f}"})
    assert results[5].status == "wrong" and results[5].mistake == "no_tanh"


@pytest.mark.parametrize("settings, message", [
    (dict(x="1", W_f="[1, 1]"), "W_i is missing"),
    (dict(x="1", W_f="[1, 1]", W_i="1", W_c="1", W_o="1"), "W_i: expected a 1×2 matrix"),
    (dict(x="1", weight_ih_l0="[[1], [1], [1]]"), "hidden size"),
    (dict(x="1", W_f="[1, 1]", weight_ih_l0="[[1], [1], [1], [1]]"), "not both"),
    (dict(x="[1, 2]", weight_ih_l0="[1, 1, 1, 1]", bias_ih_l0="[1, 2]"), "bias_ih_l0: expected 4 numbers"),
])
def test_lstm_bad_settings_are_one_line_errors(settings, message):
    with pytest.raises(QuizgenError, match=message.replace("[", r"\[").replace("]", r"\]")):
        solve("lstm.step", **settings)


# ---------------------------------------------------------------- gru.step

def test_gru_click4ai_cell_example():
    # click4ai "GRU Cell" problem: W_z, W_r, W_h act on [x_t; h_{t-1}] (2×4, split here into W on x and
    # U on h); x = [1, 0.5], h = 0; h_t = (1 − z) ⊙ h + z ⊙ h̃; published z = [0.599, 0.587],
    # r = [0.599, 0.611], h̃ = [0.500, 0.337], h = [0.300, 0.198].
    p = solve("gru.step", x="[[1, 0.5]]", h0="[0, 0]",
              W_z="[[0.3, 0.2], [0.1, 0.5]]", U_z="[[0.1, 0.4], [0.3, 0.2]]",
              W_r="[[0.2, 0.4], [0.4, 0.1]]", U_r="[[0.3, 0.1], [0.2, 0.3]]",
              W_h="[[0.5, 0.1], [0.2, 0.3]]", U_h="[[0.2, 0.3], [0.4, 0.1]]")
    r, z, n, h = (part.answer for part in p.parts)
    assert close(r, [0.599, 0.611], 5e-4) and close(z, [0.599, 0.587], 5e-4)
    assert close(n, [0.500, 0.337], 1e-3) and close(h, [0.300, 0.198], 1e-3)  # tanh(0.35) = 0.3364: the source rounds up
    assert "(1 - z_t) \\odot h_{t-1} + z_t \\odot \\tilde{h}_t" in p.statement.en


def test_gru_pytorch_convention_by_hand():
    # nn.GRU(1, 1) with weight_ih = [0, 0, 1] (r, z, n), weight_hh = 0, bias_hh = [0, 0, 0.5], x = 1, h0 = 0.5:
    # r = z = σ(0) = 0.5;  n = tanh(1 + 0.5·(0 + 0.5)) = tanh(1.25) = 0.848284;  h = 0.5·n + 0.5·0.5 = 0.674142
    p = solve("gru.step", x="1", h0="0.5", weight_ih_l0="[[0], [0], [1]]", bias_hh_l0="[0, 0, 0.5]")
    assert close([part.answer for part in p.parts], [0.5, 0.5, 0.848284, 0.674142], 1e-6)
    assert ("d", "z_swapped") not in {(m.part, m.tag) for m in p.mistakes}
    # the z convention swapped gives (1 − z)·h + z·n: the same here (z = 0.5), so it is not offered as a mistake
    p2 = solve("gru.step", x="1", h0="0.5", weight_ih_l0="[[0], [2], [1]]", bias_hh_l0="[0, 0, 0.5]")
    z = 1 / (1 + 2.718281828459045 ** -2)
    assert close(p2.parts[3].answer, (1 - z) * 0.848284 + z * 0.5, 1e-5)
    assert ("d", "z_swapped") in {(m.part, m.tag) for m in p2.mistakes}


def test_gru_reset_placement_matters_for_hidden_size_two():
    common = dict(x="[1]", h0="[1, -1]", W_r="[[0], [0]]", W_z="[[0], [0]]", W_h="[[0], [0]]",
                  U_r="[[2, 0], [0, 0]]", U_h="[[1, 1], [1, 1]]")
    before, after = solve("gru.step", **common), solve("gru.step", reset="after", **common)
    # r = [σ(2), 0.5] = [0.880797, 0.5]; before: U_h (r ⊙ h) = [0.880797 − 0.5] twice, tanh(0.380797) = 0.363399;
    # after: r ⊙ (U_h h) = r ⊙ [0, 0] = 0
    assert close(before.parts[2].answer, [0.363399] * 2, 1e-6)
    assert close(after.parts[2].answer, [0.0, 0.0])
    assert "r_t \\odot (U_h h_{t-1})" in after.statement.en


def test_gru_two_stacked_layers_feed_layer_one_into_layer_two():
    # layer 1: n = tanh(x) with z = 0.5 (from h0 = 0): h¹ = 0.5·tanh(1) = 0.380797
    # layer 2 takes h¹ as its input: h² = 0.5·tanh(h¹) = 0.5·0.363399 = 0.181700
    p = solve("gru.step", x="1", weight_ih_l0="[[0], [0], [1]]", weight_ih_l1="[[0], [0], [1]]")
    got = [part.answer for part in p.parts]
    assert len(got) == 8 and close(got[3], 0.380797, 1e-6) and close(got[7], 0.181700, 1e-6)
    assert "2 stacked layers" in p.statement.en


def test_gru_update_override_matches_the_cho_paper_form():
    # update=previous: h = z ⊙ h + (1 − z) ⊙ h̃ (Cho et al. 2014, eq. 7); z = σ(0) = 0.5 either way, so use U_z
    # z = σ(U_z h0) = σ(2) = 0.880797, h̃ = tanh(W_h x) = tanh(1) = 0.761594 (U_h = 0):
    # h = 0.880797·1 + 0.119203·0.761594 = 0.971582
    p = solve("gru.step", x="1", h0="1", W_r="0", W_z="0", U_z="2", W_h="1", update="previous")
    assert close(p.parts[3].answer, 0.971582, 1e-6)
    assert "z_t \\odot h_{t-1} + (1 - z_t)" in p.statement.en


@pytest.mark.parametrize("settings, message", [
    (dict(x="1", W_r="1"), "needs W_r, W_z and W_h"),
    (dict(x="1", weight_ih_l0="[[1], [1]]"), "3·hidden rows"),
    (dict(x="1", W_r="1", W_z="1", W_h="1", weight_ih_l0="[[1], [1], [1]]"), "not both"),
    (dict(x="1", weight_ih_l0="[[1], [1], [1]]", bias_hh_l1="[0, 0, 0]"), "second layer needs weight_ih_l1"),
    (dict(x="1", weight_ih_l0="[[1], [1], [1]]", weight_ih_l1="[[1], [1], [1]]", h0="[1, 2, 3]"), "h0:"),
])
def test_gru_bad_settings_are_one_line_errors(settings, message):
    with pytest.raises(QuizgenError, match=message.replace("[", r"\[").replace("]", r"\]")):
        solve("gru.step", **settings)


def test_gru_solve_cli_prints_every_gate_with_its_role():
    r = run_cli("solve", "gru.step", "--set", "x=[1, 2]", "--set", "weight_ih_l0=[[0.5], [0.5], [1]]",
                "--set", "weight_hh_l0=[[0.1], [0.2], [0.3]]")
    assert r.returncode == 0, r.stderr
    assert "reset gate" in r.stdout and "update gate: the share of" in r.stdout and "(h)" in r.stdout


# ---------------------------------------------------------------- rnn.shapes and rnn.params

def test_shapes_pytorch_docs_lstm_example():
    # PyTorch docs (nn.LSTM): rnn = nn.LSTM(10, 20, 2); input = torch.randn(5, 3, 10) -> output (5, 3, 20),
    # h_n and c_n (2, 3, 20)
    p = solve("rnn.shapes", module="lstm", input="10", hidden="20", layers="2", shape="5x3x10")
    assert [part.answer for part in p.parts] == [[5, 3, 20], [2, 3, 20], [2, 3, 20]]
    assert "nn.LSTM(10, 20, num_layers=2)" in p.statement.en


def test_shapes_batch_first_bidirectional_and_unbatched():
    p = solve("rnn.shapes", module="gru", input="10", hidden="20", layers="2", batch_first="yes",
              bidirectional="yes", shape="3x5x10")
    assert [part.answer for part in p.parts] == [[3, 5, 40], [4, 3, 20]]
    tags = {(m.part, m.tag) for m in p.mistakes}
    assert {("a", "output_seq_first"), ("b", "batch_first"), ("b", "h_n_batch_first"), ("a", "one_direction"),
            ("b", "one_direction")} <= tags
    assert ("b", "batch_first", (4, 5, 20)) in {(m.part, m.tag, tuple(m.answer)) for m in p.mistakes}
    # unbatched input (L, H_in): no batch axis anywhere
    q = solve("rnn.shapes", module="rnn", input="10", hidden="20", shape="5x10")
    assert [part.answer for part in q.parts] == [[5, 20], [1, 20]]
    # proj_size: h is projected, c is not
    r = solve("rnn.shapes", module="lstm", input="10", hidden="20", proj_size="5", shape="5x3x10")
    assert [part.answer for part in r.parts] == [[5, 3, 5], [1, 3, 5], [1, 3, 20]]


def test_shapes_embedding_pytorch_docs_example():
    # PyTorch docs (nn.Embedding): embedding = nn.Embedding(10, 3) on a (2, 4) LongTensor -> (2, 4, 3)
    p = solve("rnn.shapes", module="embedding", num="10", dim="3", shape="2x4")
    assert [part.answer for part in p.parts] == [[2, 4, 3], 30]


def test_params_chollet_keras_counts_are_the_textbook_convention():
    # Chollet, Deep Learning with Python (1st ed., ch. 6): Embedding(10000, 32) 320,000;
    # SimpleRNN(32) on 32 inputs 2,080; LSTM(32) on 32 inputs 8,320 (Keras: one bias per gate)
    assert solve("rnn.shapes", module="embedding", num="10000", dim="32", shape="7").parts[1].answer == 320_000
    assert solve("rnn.params", module="rnn", input="32", hidden="32", bias="one").parts[0].answer == 2_080
    assert solve("rnn.params", module="lstm", input="32", hidden="32", bias="one").parts[0].answer == 8_320
    # the classic Keras LSTM(10) on one input feature: 4·(10·1 + 10² + 10) = 480
    assert solve("rnn.params", module="lstm", input="1", hidden="10", bias="one").parts[0].answer == 480


def test_params_pytorch_two_biases_and_stacked_layers():
    # nn.LSTM(10, 20, 2): layer 1 = 4·20·(10 + 20) + 2·4·20 = 2560, layer 2 = 4·20·40 + 160 = 3360
    p = solve("rnn.params", module="lstm", input="10", hidden="20", layers="2")
    assert [part.answer for part in p.parts] == [2560, 3360, 5920]
    tags = {(m.part, m.tag, m.answer) for m in p.mistakes}
    assert ("a", "one_bias", 2480) in tags and ("b", "later_input_size", 2560) in tags
    # Keras' GRU (reset_after=True) also has two biases: GRU(32) on 32 inputs = 3·(32·32 + 32·32 + 2·32) = 6336
    assert solve("rnn.params", module="gru", input="32", hidden="32").parts[0].answer == 6_336
    assert solve("rnn.params", module="gru", input="32", hidden="32", bias="none").parts[0].answer == 6_144


def test_params_and_shapes_bad_settings():
    with pytest.raises(QuizgenError, match="proj_size is for nn.LSTM only"):
        solve("rnn.params", module="gru", input="3", hidden="4", proj_size="2")
    with pytest.raises(QuizgenError, match="last size must be input_size = 10"):
        solve("rnn.shapes", module="lstm", input="10", hidden="20", shape="5x3x11")
    with pytest.raises(QuizgenError, match="needs --set num"):
        solve("rnn.shapes", module="embedding", shape="2x4")


# ---------------------------------------------------------------- rnn.bptt

def test_bptt_two_steps_by_hand():
    # (calculator values) h1 = tanh(0.5·1 + 0.8·0.5) = tanh(0.9) = 0.716298;
    # h2 = tanh(0.25 + 0.8·0.716298) = tanh(0.823038) = 0.676720; ∂L/∂h2 = (h2 − 1)·1 = −0.323280;
    # factor = 0.8·(1 − h2²) = 0.433640; term1 = −0.323280·0.433640·(1 − h1²)·0.5 = −0.034130;
    # term2 = −0.323280·(1 − h2²)·h1 = −0.125520; total −0.159649
    p = solve("rnn.bptt", x="[1, 0.5]", w_xh="0.5", w_hh="0.8", target="1", h0="0.5")
    got = [part.answer for part in p.parts]
    assert close(got[:7], [0.716298, 0.676720, -0.323280, 0.433640, -0.034130, -0.125520, -0.159649], 2e-6)
    assert got[7:] == [["a"], ["a"]]


def test_bptt_mistakes_and_the_vanishing_product():
    p = solve("rnn.bptt", x="[1, 1, 1]", w_xh="0.5", w_hh="0.5", target="1", w_hy="2")
    tags = {(m.part, m.tag) for m in p.mistakes}
    assert {("d", "no_w_hy"), ("e", "no_w_hh"), ("e", "wrong_step"), ("j", "last_term_only")} <= tags
    terms = [abs(part.answer) for part in p.parts[6:9]]
    assert terms[0] < terms[1] < terms[2]  # |w_hh tanh'| < 1: the older a step, the smaller its term
    with pytest.raises(QuizgenError, match="saturates"):
        solve("rnn.bptt", x="[100, 100]", w_xh="100", w_hh="1", target="1")


# ---------------------------------------------------------------- rnn.embedding

def test_embedding_skipgram_by_hand():
    # V = [[1, 0], [0, 1], [1, 1]], U = [[0.5, 0], [0, 0.5], [1, 0]], c = 0, o = 2 (calculator values):
    # v_c = [1, 0]; s = U v_c = [0.5, 0, 1]; p = [0.30720, 0.18632, 0.50648]; L = −ln 0.50648 = 0.68027;
    # ∂L/∂v_c = Σ p_w u_w − u_o = [0.15360 + 0.50648 − 1, 0.09316] = [−0.33992, 0.09316]
    p = solve("rnn.embedding", V="[[1, 0], [0, 1], [1, 1]]", U="[[0.5, 0], [0, 0.5], [1, 0]]", centre="0",
              context="2", ids="[2, 1]")
    rows, v, s, prob, loss, grad = (part.answer for part in p.parts)
    assert rows == [[1, 1], [0, 1]] and v == [1, 0] and s == [0.5, 0, 1]
    assert close(prob, [0.30720, 0.18632, 0.50648], 1e-5) and close(loss, 0.68027, 1e-5)
    assert close(grad, [-0.33992, 0.09316], 1e-5)
    tags = {(m.part, m.tag) for m in p.mistakes}
    assert {("a", "one_based"), ("c", "centre_table"), ("e", "no_minus"), ("f", "sign"), ("f", "no_u_o")} <= tags


def test_embedding_tied_tables_and_errors():
    p = solve("rnn.embedding", V="[[1, 0], [0, 1]]", tied="yes", centre="0", context="1")
    assert p.parts[2].answer == [1, 0]  # s = V v_c with one table
    with pytest.raises(QuizgenError, match="context table U"):
        solve("rnn.embedding", V="[[1, 0], [0, 1]]", centre="0", context="1")
    with pytest.raises(QuizgenError, match="ids run from 0 to 1"):
        solve("rnn.embedding", V="[[1, 0], [0, 1]]", tied="yes", centre="2", context="1")
