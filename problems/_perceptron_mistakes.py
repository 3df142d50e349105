"""The known slips of a perceptron presentation, each a wrong value with its explanation.

    net:      θ taken as a bias (w·x + θ)            output:  another convention's o at net = 0
    updated:  a correct sample updated, a mistake not, net = 0 taken as correct under y·net ≤ 0
    w:        the sign of ηyx flipped, η², 2η vs η between the two rules, w kept at net = 0
    b:        the bias not updated, the threshold's sign taken as a bias's

Wrong values are computed in floats and rounded (they are compared within the tolerance);
the rules (Rules) and the exact trainer are in problems/_perceptron.py.
"""

from __future__ import annotations

from problems._perceptron import num
from quizgen.model import t
from quizgen.trace import Wrong

_INT = frozenset({int})


def _r(v):
    """A known wrong answer in float arithmetic, rounded (it is compared within the tolerance)."""
    v = round(v if type(v) is float else float(v), 9)
    return int(v) if v.is_integer() else v


def net_wrongs(params, w, b, x):
    if params["bias"] != "threshold" or not b:
        return ()
    plus = sum(float(wi) * float(xi) for wi, xi in zip(w, x)) + float(b)
    return (Wrong(_r(plus), "threshold_sign", _THRESHOLD),)


def out_wrongs(rules, net, out):
    if net != 0:
        return ()
    return _AT_ZERO[rules.labels, out]


def _at_zero(labels: str, out: int) -> tuple:
    """The other conventions' outputs at net = 0, as wrong answers to an output of `out`."""
    text = t(f"At net = 0 the output is {out:+d} here (the convention stated in the problem)." if labels == "pm1"
             else f"At net = 0 the output is step(0) = {out} here (the convention stated in the problem).",
             f"本题约定净输入为 0 时输出为 {out:+d}。" if labels == "pm1" else f"本题约定净输入为 0 时 step(0) = {out}。")
    return tuple(Wrong(v, "at_zero", text) for v in ((1, 0, -1) if labels == "pm1" else (1, 0)) if v != out)


def updated_wrongs(rules, net, updated):
    if not updated:
        return (Wrong(True, "updated_correct", _CORRECT),)
    if net == 0 and rules.mistake == "margin":
        return (Wrong(False, "zero_correct", _ZERO),)
    return (Wrong(False, "missed_update", _MISSED),)


def w_wrongs(rules, eta, c, ys, w, x, net, updated):
    eta, c = float(eta), float(c)
    if not c and updated:
        return ()
    # every factor below is a whole number when η is: then the slips are sums of ints
    shifted = _int_shifted if eta.is_integer() and _INT.issuperset(map(type, w)) and _INT.issuperset(map(type, x)) \
        else _float_shifted
    if not c:
        return (Wrong(shifted(w, x, eta * ys), "updated_correct", _CORRECT),)
    out = [Wrong(shifted(w, x, -eta * c), "sign", _SIGN)]
    if eta != 1:
        out.append(Wrong(shifted(w, x, eta * eta * c), "eta_twice", _ETA_TWICE))
    if rules.labels == "pm1" and rules.update == "mistakes":
        out.append(Wrong(shifted(w, x, 2 * eta * c), "error_rule", _ERROR_RULE))
    if rules.labels == "pm1" and rules.update == "error" and abs(c) == 2:
        out.append(Wrong(shifted(w, x, eta * c / 2), "mistake_rule", _MISTAKE_RULE))
    if net == 0 and rules.mistake == "margin":
        out.append(Wrong([num(v) for v in w], "zero_correct", _ZERO))
    return tuple(out)


def _int_shifted(w, x, f: float) -> list:
    """w + f·x for whole w, x and f, in ints (what _float_shifted gives them, without rounding)."""
    f = int(f)
    return [wi + f * xi for wi, xi in zip(w, x)]


def _float_shifted(w, x, f: float) -> list:
    """w + f·x in floats, each entry rounded as _r does."""
    return [_r(float(wi) + f * float(xi)) for wi, xi in zip(w, x)]


def b_wrongs(params, rules, eta, c, ys, b, updated):
    if not c:
        return (Wrong(_r(float(b) + float(eta) * ys * rules.x0), "updated_correct", _CORRECT),) if not updated else ()
    flipped = _r(float(b) - float(eta * c) * rules.x0)
    return (Wrong(_r(b), "bias_forgotten", _BIAS_FORGOTTEN if rules.bias == "plus" else _THRESHOLD_FORGOTTEN),
            Wrong(flipped, "threshold_sign", _THRESHOLD) if rules.bias == "threshold" else Wrong(flipped, "sign", _SIGN))


_CORRECT = t("This sample is classified correctly, so nothing changes.", "该样本分类正确，权重不变。")
_SIGN = t("The correction has the wrong sign: it moves w towards the sample's own class (+ηyx).",
          "修正的符号反了：应使 w 朝样本自身的类别移动（$+\\eta y x$）。")
_ZERO = t("net = 0 is a mistake under y·net ≤ 0: the weights are updated.",
          "按 y·net ≤ 0 的判据，net = 0 也算误分类：要更新权重。")
_THRESHOLD = t("θ is a weight on the fixed input x₀ = −1: net = w·x − θ and θ ← θ − ηy, the opposite sign of a bias.",
               "θ 是固定输入 x₀ = −1 上的权重：net = w·x − θ，θ ← θ − ηy，符号与偏置相反。")
_MISSED = t("The sample is misclassified, so the weights are updated.", "该样本被误分类，因此要更新权重。")
_ETA_TWICE = t("η is used once: Δw = ηyx, not η²yx.", "η 只乘一次：Δw = ηyx，而不是 η²yx。")
_ERROR_RULE = t("The rule here is w ← w + ηyx; η(d − o)x would be 2ηyx with ±1 labels.",
                "本题的规则是 w ← w + ηyx；η(d − o)x 在 ±1 标签下会是 2ηyx。")
_MISTAKE_RULE = t("With the error-correction rule and ±1 labels, d − o = ±2: Δw = η(d − o)x = 2ηyx.",
                  "在误差修正规则和 ±1 标签下 d − o = ±2：Δw = η(d − o)x = 2ηyx。")
_BIAS_FORGOTTEN = t("The bias is updated too: b ← b + ηy (its input x₀ = +1).", "偏置也要更新：b ← b + ηy（其输入 x₀ = +1）。")
_THRESHOLD_FORGOTTEN = t("The threshold is updated too: θ ← θ − ηy (its input x₀ = −1).",
                         "阈值也要更新：θ ← θ − ηy（其输入 x₀ = −1）。")
_AT_ZERO = {(labels, out): _at_zero(labels, out) for labels, outs in (("pm1", (1, 0, -1)), ("01", (1, 0)))
            for out in outs}
