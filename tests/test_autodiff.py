"""autodiff.modes: published traces, the student's own functions, bad input, and sin/cos in
the answer grammar (added for this family)."""

from __future__ import annotations

import math

import pytest

from conftest import run_cli
from quizgen.check import check_problem
from quizgen.errors import FormatError
from quizgen.registry import get_family
from quizgen.sheet import build_problem

FAM = get_family("autodiff.modes")


def solved(f: str, at: list, **more):
    values = {"f": FAM.params[0].parse(f), "at": at, **more}
    return build_problem(FAM, FAM.params_from_user(values), None, "custom")


def answers(p, kind: str | None = None) -> list:
    return [part.answer for part in p.parts if kind is None or part.prompt.en.startswith(kind)]


def close(got, want, tol=5e-4):
    return len(got) == len(want) and all(abs(g - w) <= tol for g, w in zip(got, want))


# ---------------------------------------------------------------- published examples

def test_baydin_tables_2_and_3():
    """Baydin, Pearlmutter, Radul, Siskind (2018), JMLR 18(153), Tables 2 and 3:
    f(x1, x2) = ln(x1) + x1 x2 − sin(x2) at (2, 5)."""
    p = solved("ln(x1) + x1*x2 - sin(x2)", [2, 5])
    assert close(answers(p, "primal"), [0.693, 10.000, -0.959, 10.693, 11.652])
    assert close(answers(p, "tangent"), [0.5, 5.0, 0.0, 5.5, 5.5])               # ẋ1 = 1, ẋ2 = 0
    # reverse sweep: v̄4 = 1, v̄3 = −1, v̄2 = 1, v̄1 = 1, then x̄1 = v̄₋₁ = 5.5, x̄2 = v̄0 = 1.716
    assert close(answers(p, "adjoint"), [1.0, -1.0, 1.0, 1.0, 5.5, 1.716])
    assert [part.prompt.en for part in p.parts[:5]] == [
        "primal $v_{1} = \\ln v_{-1}$", "primal $v_{2} = v_{-1} \\times v_{0}$", "primal $v_{3} = \\sin v_{0}$",
        "primal $v_{4} = v_{1} + v_{2}$", "primal $v_{5} = v_{4} - v_{3}$"]
    assert p.parts[-1].answer == ["b"]  # n = 2 inputs, m = 1 output: one reverse sweep


def test_baydin_central_difference():
    p = solved("ln(x1) + x1*x2 - sin(x2)", [2, 5], h=0.1)
    estimate, error = p.parts[-3].answer, p.parts[-2].answer
    want = (math.log(2.1) + 2.1 * 5 - math.log(1.9) - 1.9 * 5) / 0.2
    assert abs(estimate - want) < 1e-12 and abs(error - abs(want - 5.5)) < 1e-12
    assert 0 < error < 0.001  # O(h²)


def test_colah_computational_graph():
    """Olah, "Calculus on Computational Graphs: Backpropagation" (2015): e = (a + b)(b + 1) at
    a = 2, b = 1: c = 3, d = 2, e = 6, ∂e/∂a = 2, ∂e/∂b = 5."""
    p = solved("(x1 + x2)*(x2 + 1)", [2, 1])
    assert close(answers(p, "primal"), [3, 2, 6])
    assert answers(p, "tangent")[-1] == 2
    assert close(answers(p, "adjoint")[-2:], [2, 5])


def test_cs231n_three_inputs():
    """CS231n backprop notes: f(x, y, z) = (x + y)z at (−2, 5, −4): q = 3, f = −12,
    ∂f/∂x = ∂f/∂y = −4, ∂f/∂z = 3."""
    p = solved("(x1 + x2)*x3", [-2, 5, -4], inputs=3)
    assert close(answers(p, "primal"), [3, -12])
    assert close(answers(p, "adjoint")[-3:], [-4, -4, 3])


# ---------------------------------------------------------------- the student's own function

OWN = [("sqrt(x1)*x2**3 - x1/x2", [4, 2]), ("x1**x2 + tanh(x1 - 2*x2)", [1.5, 0.5]),
       ("sigma(-x1*x2) + exp(x2/2)", [0.5, 1]), ("cos(pi*x1) * sin(x1*x2) + x1*x2", [0.25, 2]),
       ("2*x1 - 3*x2 + x1*x1", [1, 1]), ("ln(x1)/x1", [3])]


@pytest.mark.parametrize("f, at", OWN)
def test_own_functions_agree_with_torch(f, at):
    pytest.importorskip("torch")
    from solvers.autodiff_ref import modes

    p = solved(f, at, wrt=len(at), h=0.01)
    want = modes(p.params)
    for part in p.parts[:-1]:
        assert abs(part.answer - want[part.id]) < 1e-9 * max(1, abs(want[part.id])), (f, part.id)


def test_a_repeated_subexpression_is_computed_once():
    p = solved("sin(x1*x2) + x1*x2", [1, 2])
    assert [part.prompt.en for part in p.parts if part.prompt.en.startswith("primal")] == [
        "primal $v_{1} = v_{-1} \\times v_{0}$", "primal $v_{2} = \\sin v_{1}$", "primal $v_{3} = v_{2} + v_{1}$"]
    assert close(answers(p, "adjoint")[:2], [1, 1 + math.cos(2)])  # v̄1 sums both uses


def test_numbering_from1_and_the_seed_on_x2():
    p = solved("ln(x1) + x1*x2 - sin(x2)", [2, 5], wrt=2, numbering="from1")
    assert p.parts[0].prompt.en == "primal $v_{3} = \\ln v_{1}$"
    assert close(answers(p, "tangent"), [0, 2, math.cos(5), 2, 2 - math.cos(5)])  # ẋ2 = 1
    assert "$\\dot x_1 = 0$, $\\dot x_2 = 1$" in p.statement.en


def test_the_computation_graph_figure():
    fig = FAM.figures(solved("ln(x1) + x1*x2 - sin(x2)", [2, 5]).params)[0]
    assert fig.kind == "graph" and len(fig.data["nodes"]) == 7 and len(fig.data["edges"]) == 8
    from quizgen.figures import svg

    assert svg(fig).startswith("<svg") and "v₅" in svg(fig)


# ---------------------------------------------------------------- mistakes and carried errors

def test_degrees_and_a_carried_slip():
    p = solved("ln(x1) + x1*x2 - sin(x2)", [2, 5])
    own = {"a": "0.693", "b": "10", "c": "0.087", "d": "10.693", "e": "10.606"}  # sin 5° on the calculator
    results = {r.part: r for r in check_problem(p, 1, own)}
    assert results["c"].status == "wrong" and results["c"].mistake == "degrees"
    assert results["e"].status == "carried"


def test_seed_swapped_and_one_path_mistakes():
    p = solved("ln(x1) + x1*x2 - sin(x2)", [2, 5])
    tags = {(m.part, m.tag) for m in p.mistakes}
    assert ("j", "seed_swapped") in tags  # the tangents of ẋ2 = 1 end at ∂f/∂x2 = 1.716
    assert {("o", "one_path"), ("p", "one_path")} <= tags  # x̄1 = 5 or 0.5, x̄2 = 2 or −0.284
    assert ("q", "forward_difference") in tags and ("q", "one_h") in tags
    results = {r.part: r for r in check_problem(p, 1, {"p": "-0.284"})}
    assert results["p"].mistake == "one_path"


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("f, at, message", [
    ("__import__('os').system('true')", "[2, 5]", "not allowed"),
    ("x + y", "[2, 5]", "use the variables x1, x2"),
    ("ln(x1) + x2", "[2]", "give 2 numbers"),
    ("ln(x1) + x2", "[-1, 5]", "ln of a non-positive number"),
    ("ln(x1) + x2", "[0.05, 5]", "choose a smaller h"),
    ("abs(x1) + x2", "[1, 5]", "not differentiable"),
    ("x1", "[1]", "at least one operation"),
    ("+".join(f"sin({i}*x1)" for i in range(1, 14)), "[1]", "at most 12"),
])
def test_bad_functions_are_one_line_errors(f, at, message):
    r = run_cli("solve", "autodiff.modes", "--set", f"f={f}", "--set", f"at={at}")
    assert r.returncode == 2 and r.stderr.startswith("quizgen: error:") and message in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_which_mode_is_cheaper():
    assert solved("x1*x2", [1, 2], inputs=1000, outputs=1).parts[-1].answer == ["b"]
    assert solved("x1*x2", [1, 2], inputs=1, outputs=100).parts[-1].answer == ["a"]
    assert solved("x1*x2", [1, 2], inputs=5, outputs=5).parts[-1].answer == ["a", "b"]  # a tie


# ---------------------------------------------------------------- sin and cos in the grammar

def test_sin_and_cos_are_read_in_radians():
    from quizgen.parse import parse_real

    assert abs(parse_real("sin(pi/2)") - 1) < 1e-15 and abs(parse_real("cos(pi)") + 1) < 1e-15
    assert abs(parse_real("sin(5)") + 0.9589242746631385) < 1e-15
    assert -1 <= parse_real("cos(1e300)") <= 1  # bounded arguments, bounded values
    with pytest.raises(FormatError):
        parse_real("sin 5")


def test_sin_and_cos_in_expression_answers():
    from quizgen.equiv import equivalent
    from quizgen.parse import parse_expression as e

    assert equivalent(e("sin(x)**2 + cos(x)**2"), e("1"))
    assert equivalent(e("sin(2x)"), e("2*sin(x)*cos(x)"))
    assert not equivalent(e("sin(x)"), e("cos(x)"))
    assert not equivalent(e("sin(x)"), e("sin(x) + 10^-20*x"))  # exact points tell them apart
    assert str(e("cos(x)*sin(y)").to_sympy()) == "sin(y)*cos(x)"


# ---------------------------------------------------------------- random functions of the student's

def _random_functions():
    from hypothesis import strategies as st

    leaf = st.sampled_from(["x1", "x2", "2", "0.5", "3"])
    fns = st.sampled_from(["ln", "exp", "sin", "cos", "sqrt", "tanh", "sigma"])
    return st.recursive(leaf, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(fns, inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, st.sampled_from(["2", "3", "0.5"])).map(lambda t: f"({t[0]})**{t[1]}")), max_leaves=6)


def test_random_functions_are_traced_or_refused_in_one_line():
    """Any f built from the grammar: either a one-line QuizgenError, or every answer agrees with
    torch (float64 jvp/vjp of the tree, the trace's ops as torch ops)."""
    pytest.importorskip("torch")
    from hypothesis import given, settings, strategies as st

    from quizgen.errors import QuizgenError
    from solvers.autodiff_ref import modes

    @settings(max_examples=80, deadline=None, derandomize=True)
    @given(_random_functions(), st.sampled_from([[2, 5], [0.5, 1.5], [1, -1], [3, 0.25]]))
    def check(f, at):
        if "x1" not in f or "x2" not in f:
            f = f"{f} + x1*x2"
        try:
            p = solved(f, at)
        except QuizgenError as exc:
            assert "\n" not in str(exc)
            return
        want = modes(p.params)
        for part in p.parts[:-1]:
            assert abs(part.answer - want[part.id]) <= 1e-9 * max(1, abs(want[part.id])), (f, at, part.id)

    check()
