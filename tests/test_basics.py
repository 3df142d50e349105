"""The basics families: published worked examples and the slips they name."""

from __future__ import annotations

import math

import pytest

from quizgen import kinds
from quizgen.check import check_problem
from quizgen.registry import get_family
from quizgen.sheet import build_problem


def solved(name: str, values: dict):
    fam = get_family(name)
    return build_problem(fam, fam.params_from_user(values), None, "custom")


def grade_one(problem, pid: str, value) -> object:
    answers = {q.id: kinds.show(q, q.answer) for q in problem.parts if q.id < pid and len(q.id) == len(pid)}
    answers[pid] = value if isinstance(value, str) else kinds.show(problem.part(pid), value)
    return {r.part: r for r in check_problem(problem, 1, answers)}[pid]


# ---------------------------------------------------------------- basics.softmax_ce

def test_softmax_wikipedia_example():
    # Wikipedia, "Softmax function": softmax([1, 2, 3, 4, 1, 2, 3]) ≈ [0.024, 0.064, 0.175, 0.475, 0.024, 0.064, 0.175]
    p = solved("basics.softmax_ce", {"z": [1, 2, 3, 4, 1, 2, 3], "y": [0, 0, 0, 1, 0, 0, 0]})
    assert p.part("a").answer == [-3, -2, -1, 0, -3, -2, -1]
    assert p.part("b").answer == pytest.approx([0.024, 0.064, 0.175, 0.475, 0.024, 0.064, 0.175], abs=5e-4)


def test_softmax_two_one_point_one():
    # the common tutorial example: softmax([2.0, 1.0, 0.1]) ≈ [0.659, 0.242, 0.099]
    p = solved("basics.softmax_ce", {"z": [2, 1, 0.1], "y": [1, 0, 0]})
    assert p.part("b").answer == pytest.approx([0.659, 0.242, 0.099], abs=5e-4)
    assert p.part("c").answer == pytest.approx(-math.log(0.659), abs=1e-3)
    assert p.part("d").answer == pytest.approx([0.659 - 1, 0.242, 0.099], abs=5e-4)
    assert p.part("f").answer == ["a"]  # scale 2 sharpens


def test_cs231n_cat_scores():
    # CS231n (Stanford), linear classification notes: scores cat 3.2, car 5.1, frog -1.7 for a cat image:
    # probabilities 0.13, 0.87, 0.00 and L = -ln 0.13 = 2.04; the log10 slip gives 0.89
    p = solved("basics.softmax_ce", {"z": [3.2, 5.1, -1.7], "y": [1, 0, 0], "decimals": 2})
    assert p.part("b").answer == pytest.approx([0.13, 0.87, 0.00], abs=5e-3)
    assert p.part("c").answer == pytest.approx(2.04, abs=5e-3)
    r = grade_one(p, "c", "0.89")
    assert r.status == "wrong" and r.mistake == "log10"


def test_loss_from_probabilities_and_its_gradient():
    p = solved("basics.softmax_ce", {"p": [0.7, 0.2, 0.1], "y": [0, 1, 0]})
    assert p.part("a").answer == pytest.approx(-math.log(0.2))
    assert p.part("b").answer == pytest.approx([0.7, -0.8, 0.1])
    assert "from the probabilities" in p.statement.en and "自然对数" in p.statement.zh


def test_softmax_slips_are_named():
    p = solved("basics.softmax_ce", {"z": [2, 1, 0.1], "y": [1, 0, 0], "scale": 0.5})
    probs = p.part("b").answer
    assert grade_one(p, "d", [1 - probs[0], -probs[1], -probs[2]]).mistake == "sign"
    assert grade_one(p, "b", [2 / 3.1, 1 / 3.1, 0.1 / 3.1]).mistake == "no_exp"
    assert p.part("f").answer == ["b"]  # scale 0.5 flattens


@pytest.mark.parametrize("values, message", [
    ({"z": [1, 2], "y": [1, 0, 0]}, "y: expected 2 numbers"),
    ({"z": [1, 2], "p": [0.5, 0.5], "y": [1, 0]}, "either the logits z or the probabilities p"),
    ({"p": [0.5, 0.6], "y": [1, 0]}, "sum to 1"),
    ({"z": [1, 2], "y": [0.5, 0.6]}, "sum to 1"),
])
def test_softmax_bad_input(values, message):
    from quizgen.errors import QuizgenError

    with pytest.raises(QuizgenError, match=message):
        get_family("basics.softmax_ce").params_from_user(values)


# ---------------------------------------------------------------- basics.activations

def test_activation_textbook_values():
    # σ(0) = ½ and σ′(0) = ¼ (its maximum); tanh′(0) = 1; softplus(0) = ln 2; ReLU′(0) = 0 (PyTorch's choice)
    p = solved("basics.activations", {"f": ["sigmoid", "tanh", "softplus", "relu"], "z": [0]})
    values = [q.answer for q in p.parts if q.kind == "real"]
    assert values == pytest.approx([0.5, 0.25, 0.0, 1.0, math.log(2), 0.5, 0.0, 0.0])
    assert "ReLU′(0) = 0" in p.statement.en


def test_leaky_relu_and_elu_negative_branch():
    p = solved("basics.activations", {"f": ["leaky_relu", "elu"], "z": [-1], "alpha": 0.1, "elu_alpha": 1})
    values = [q.answer for q in p.parts if q.kind == "real"]
    assert values == pytest.approx([-0.1, 0.1, math.exp(-1) - 1, math.exp(-1)])
    assert grade_one(p, "b", "1").mistake == "positive_branch"
    assert grade_one(p, "b", "0").mistake == "like_relu"


def test_sigma_prime_expression_is_checked_symbolically():
    p = solved("basics.activations", {"f": ["sigmoid"], "z": [0.5]})
    expr = next(q for q in p.parts if q.kind == "expression")
    for typed in ("sigma(z)*(1 - sigma(z))", "sigma(z) - sigma(z)^2", "exp(-z)/(1 + exp(-z))^2"):
        assert grade_one(p, expr.id, typed).status == "correct", typed
    assert grade_one(p, expr.id, "sigma(z)*(1 + sigma(z))").status == "wrong"
    assert grade_one(p, "b", str(0.5 * 0.5)).mistake == "z_for_a"  # 0.5·(1 − 0.5) with z for σ(z)


def test_only_sigmoid_and_tanh_saturate_both_ways():
    p = solved("basics.activations", {"f": ["relu"], "z": [1]})
    sat = next(q for q in p.parts if q.kind == "choice")
    assert [p_.en for i, p_ in enumerate(sat.choices) if chr(97 + i) in sat.answer] == ["sigmoid", "tanh"]
    assert grade_one(p, sat.id, "a, b, e, f").mistake == "one_side"


# ---------------------------------------------------------------- basics.dropout

def test_pytorch_dropout_scales_kept_units_by_one_over_keep():
    # PyTorch nn.Dropout(p) docs: "the outputs are scaled by a factor of 1/(1-p) during training";
    # in evaluation mode the module computes an identity function
    p = solved("basics.dropout", {"h": [1.0, 2.0, 3.0, 4.0], "mask": [1, 0, 1, 1], "p": 0.2})
    assert p.part("a").answer == pytest.approx(0.8)
    assert p.part("b").answer == pytest.approx([1.25, 0, 3.75, 5.0])
    assert p.part("c").answer == pytest.approx([1.0, 2.0, 3.0, 4.0])
    assert p.part("d").answer == pytest.approx(1.0)
    assert grade_one(p, "b", "[5, 0, 15, 20]").mistake == "drop_for_keep"  # divided by p, not 1 − p
    assert grade_one(p, "a", "0.2").mistake == "drop_for_keep"


def test_srivastava_original_dropout_scales_at_test_time():
    # Srivastava et al. (JMLR 2014): units retained with probability p (here 0.8, i.e. drop 0.2); at test time
    # the outgoing weights are multiplied by p, so the expected output is kept
    p = solved("basics.dropout", {"h": [1.0, 2.0, 3.0, 4.0], "mask": [1, 0, 1, 1], "p": 0.2, "variant": "standard",
                                  "unit": 4})
    assert p.part("b").answer == pytest.approx([1.0, 0, 3.0, 4.0])
    assert p.part("c").answer == pytest.approx([0.8, 1.6, 2.4, 3.2])
    assert p.part("d").answer == pytest.approx(3.2)
    assert "1-p" in p.statement.en.replace(" ", "") and "丢弃概率" in p.statement.zh
    assert grade_one(p, "c", "[0.2, 0.4, 0.6, 0.8]").mistake == "drop_for_keep"


def test_dropout_bad_mask():
    from quizgen.errors import QuizgenError

    with pytest.raises(QuizgenError, match="mask: expected 3 zeros and ones"):
        get_family("basics.dropout").params_from_user({"h": [1, 2, 3], "mask": [1, 0.5, 1], "p": 0.5})


# ---------------------------------------------------------------- basics.logistic

def test_jurafsky_martin_sgd_step():
    # Jurafsky & Martin, Speech and Language Processing (3rd ed. draft), ch. 5 "Logistic Regression", the worked
    # SGD step: x = [3, 2], y = 1, w = b = 0, η = 0.1 -> gradient [-1.5, -1.0, -0.5], θ¹ = [.15, .1, .05]
    p = solved("basics.logistic", {"X": [[3, 2]], "y": [1], "w": [0, 0], "b": 0, "eta": 0.1, "x_new": [3, 2]})
    col = {q.column: q.answer for q in p.parts}
    assert col["ŷ"] == pytest.approx([0.5]) and col["L"] == pytest.approx(math.log(2))
    assert col["∂w"] == pytest.approx([-1.5, -1.0]) and col["∂b"] == pytest.approx(-0.5)
    assert col["w'"] == pytest.approx([0.15, 0.1]) and col["b'"] == pytest.approx(0.05)


def test_jurafsky_martin_sentiment_example():
    # J&M ch. 5, Fig. 5.2: x = [3, 2, 1, 3, 0, 4.19], w = [2.5, -5.0, -1.2, 0.5, 2.0, 0.7], b = 0.1:
    # P(+|x) = σ(.833) = 0.70 (η = 0 keeps the parameters, so the new point is the same review)
    x, w = [3, 2, 1, 3, 0, 4.19], [2.5, -5.0, -1.2, 0.5, 2.0, 0.7]
    p = solved("basics.logistic", {"X": [x], "y": [1], "w": w, "b": 0.1, "eta": 0, "x_new": x})
    col = {q.column: q.answer for q in p.parts}
    assert col["z"] == pytest.approx([0.833]) and col["ŷ"] == pytest.approx([0.70], abs=5e-3)
    assert col["p new"] == pytest.approx(0.70, abs=5e-3) and col["class"] == 1


def test_logistic_slips():
    p = solved("basics.logistic", {"X": [[3, 2]], "y": [1], "w": [0, 0], "b": 0, "eta": 0.1, "x_new": [1, 1]})
    assert grade_one(p, "d", "[-0.375, -0.25]").mistake == "extra_derivative"  # × ŷ(1 − ŷ) = ¼
    assert grade_one(p, "c", str(math.log10(2))).mistake == "log10"


# ---------------------------------------------------------------- basics.losses

def test_loss_values_known_by_heart():
    # −ln 0.9 = 0.1054; in bits −log2 0.25 = 2; hinge max(0, 1 − 0.3) = 0.7; MSE of errors (1, −1) = 1
    L = lambda **v: solved("basics.losses", v).part("a").answer  # noqa: E731
    assert L(loss="bce", yhat=[0.9, 0.1], y=[1, 0]) == pytest.approx(-math.log(0.9))
    assert L(loss="cce", yhat=[0.25, 0.75], y=[1, 0], base="2") == pytest.approx(2.0)
    assert L(loss="hinge", yhat=[0.3, -2], y=[1, -1], reduction="sum") == pytest.approx(0.7)
    assert L(loss="squared", yhat=[1, 0], y=[0, 1]) == pytest.approx(1.0)
    assert L(loss="squared", yhat=[1, 0], y=[0, 1], half=True, reduction="sum") == pytest.approx(1.0)


def test_loss_gradients_and_slips():
    p = solved("basics.losses", {"loss": "squared", "yhat": [0.8, 0.3], "y": [1, 0]})  # mean, no ½
    assert p.part("b").answer == pytest.approx([-0.2, 0.3])  # 2/n (ŷ − y)
    assert grade_one(p, "b", "[-0.1, 0.15]").mistake == "factor_two"
    assert grade_one(p, "a", str(0.04 + 0.09)).mistake == "mean_vs_sum"
    mae = solved("basics.losses", {"loss": "mae", "yhat": [0.8, 0.3], "y": [1, 0], "reduction": "sum"})
    assert mae.part("b").answer == [-1, 1]
    assert grade_one(mae, "b", "[-0.2, 0.3]").mistake == "squared_gradient"
    hinge = solved("basics.losses", {"loss": "hinge", "yhat": [0.3, 2], "y": [1, 1], "reduction": "sum"})
    assert hinge.part("b").answer == [-1, 0]
    assert grade_one(hinge, "a", "0").mistake == "no_margin"
    bce = solved("basics.losses", {"loss": "bce", "yhat": [0.9, 0.2], "y": [1, 0]})
    assert grade_one(bce, "a", str(-(math.log10(0.9) + math.log10(0.8)) / 2)).mistake == "log_base"


# ---------------------------------------------------------------- basics.regularization

def test_l2_step_is_weight_decay():
    # Goodfellow, Bengio & Courville, Deep Learning §7.1.1: with (α/2)‖w‖², w ← (1 − εα) w − ε∇J(w)
    w, g, lam, eta = [0.5, -1, 2], [0.1, 0.2, -0.3], 0.1, 0.5
    p = solved("basics.regularization", {"w": w, "grad": g, "loss": 1.2, "lam": lam, "eta": eta})
    assert p.part("a").answer == pytest.approx(0.05 * (0.25 + 1 + 4))
    assert p.part("b").answer == pytest.approx(1.2 + 0.2625)
    assert p.part("d").answer == pytest.approx([(1 - eta * lam) * a - eta * b for a, b in zip(w, g)])
    assert p.part("e").answer == ["a"]


def test_l1_penalty_and_slips():
    p = solved("basics.regularization", {"w": [0.5, -1, 2], "grad": [0.1, 0.2, -0.3], "loss": 1.2, "lam": 0.1,
                                         "penalty": "l1"})
    assert p.part("a").answer == pytest.approx(0.35)
    assert p.part("c").answer == pytest.approx([0.2, 0.1, -0.2])
    assert grade_one(p, "c", "[0.15, 0.1, -0.1]").mistake == "l2_gradient"
    assert grade_one(p, "a", str(0.1 * 5.25)).mistake == "squared"


# ---------------------------------------------------------------- basics.ensemble

def test_goodfellow_ensemble_error():
    # Goodfellow, Bengio & Courville, Deep Learning §7.11: the ensemble's expected squared error is
    # v/k + (k − 1)c/k; independent errors (c = 0) give v/k, perfectly correlated ones (c = v) give v
    E = lambda **kw: solved("basics.ensemble", {"preds": [1, 2, 3, 4], "votes": [0, 1, 1, 2], **kw}).part("c").answer  # noqa: E731
    assert E(v=2.0) == pytest.approx(0.5)
    assert E(v=2.0, c=2.0) == pytest.approx(2.0)
    assert E(v=2.0, c=0.4) == pytest.approx(0.5 + 0.75 * 0.4)


def test_vote_tie_goes_to_the_smaller_label():
    p = solved("basics.ensemble", {"preds": [1, 2], "votes": [2, 1, 2, 1], "v": 1})
    assert p.part("b").answer == 1 and p.part("a").answer == pytest.approx(1.5)


# ---------------------------------------------------------------- basics.chain_rule

def test_chain_rule_by_hand():
    # d/dx σ(0.5x + 0.1) at x = 1: u = 0.6, du/dx = 0.5, σ′(0.6) = σ(0.6)(1 − σ(0.6))
    p = solved("basics.chain_rule", {"template": "sigmoid", "x": 1, "w": 0.5, "b": 0.1})
    s = 1 / (1 + math.exp(-0.6))
    assert [q.answer for q in p.parts] == pytest.approx([0.6, 0.5, s * (1 - s), 0.5 * s * (1 - s)])
    # d/dw (2w − 1)² at w = 1 (x = 2, b = −1): 2·(1)·2 = 4
    q = solved("basics.chain_rule", {"template": "squared_linear", "x": 2, "w": 1, "b": -1})
    assert q.part("d").answer == pytest.approx(4.0)
    assert grade_one(q, "d", "2").mistake == "no_inner"


def test_chain_rule_carries_a_wrong_inner_value():
    p = solved("basics.chain_rule", {"template": "tanh_square", "x": 1, "w": 0, "b": 0.5})
    fam = get_family("basics.chain_rule")
    outer = fam.follow_through(p.params, "c", {"a": 1.0, "b": 2.0})  # u written as 1 instead of 1.5
    assert outer == pytest.approx(1 - math.tanh(1.0) ** 2)
    answers = {"a": "1", "b": "2", "c": kinds.show(p.part("c"), outer), "d": kinds.show(p.part("d"), 2 * outer)}
    r = {x.part: x.status for x in check_problem(p, 1, answers)}
    assert r == {"a": "wrong", "b": "correct", "c": "carried", "d": "carried"}
