"""The safe answer parser: every kind, limits, injection payloads, and a hypothesis fuzz."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.errors import FormatError
from quizgen.parse import parse, parse_expression, parse_number


@pytest.mark.parametrize("text,value", [
    ("55", 55), ("34,944", 34944), ("34 944", 34944), ("−3", -3), ("55.0", 55), ("2^3", 8), ("10/2", 5),
])
def test_integer(text, value):
    assert parse("integer", text) == value


@pytest.mark.parametrize("text,value", [
    ("0.125", 0.125), ("1/8", 0.125), ("2^-3", 0.125), ("2**-3", 0.125), ("−0.5", -0.5), ("sqrt(2)/2", math.sqrt(2) / 2),
    ("√2", math.sqrt(2)), ("σ(0)", 0.5), ("sigma(0)", 0.5), ("e", math.e), ("pi/2", math.pi / 2), ("exp(0)", 1.0),
    ("ln(e)", 1.0), ("1e-3", 0.001), ("2×3", 6.0), ("3·2", 6.0), ("tanh(0)", 0.0), ("(1+2)/3", 1.0),
])
def test_real(text, value):
    assert parse("real", text) == pytest.approx(value)


def test_exact_fractions_stay_exact():
    assert parse_number("1/3 + 1/6") == Fraction(1, 2)


@pytest.mark.parametrize("text", ["25x13x13", "25×13×13", "(25, 13, 13)", "25*13*13", "[25,13,13]", "25 x 13 x 13",
                                  "25 13 13", "25X13X13"])
def test_shape_forms(text):
    assert parse("shape", text) == [25, 13, 13]


@pytest.mark.parametrize("text", ["[0.1, 0.2]", "(0.1, 0.2)", "0.1, 0.2", "0.1 0.2", "[1/10, 1/5]"])
def test_vector(text):
    assert parse("vector", text) == pytest.approx([0.1, 0.2])


@pytest.mark.parametrize("text", ["[[1,2],[3,4]]", "1 2\n3 4", "1, 2\n3, 4", "1 2; 3 4", "[1, 2]\n[3, 4]"])
def test_matrix(text):
    assert parse("matrix", text) == [[1, 2], [3, 4]]


@pytest.mark.parametrize("text,letters", [("b", ["b"]), ("(B)", ["b"]), ("b)", ["b"]), ("a, c", ["a", "c"]),
                                          ("c a", ["a", "c"])])
def test_choice(text, letters):
    assert parse("choice", text, 4) == letters


def test_expression_equivalence_built_from_tree():
    import sympy

    z = sympy.Symbol("z")
    expr = parse_expression("sigma(z)*(1-sigma(z))").to_sympy()
    target = sympy.exp(-z) / (1 + sympy.exp(-z)) ** 2
    assert sympy.simplify(expr - target) == 0
    assert parse_expression("2x + 1").to_sympy() == 2 * sympy.Symbol("x") + 1
    assert str(parse_expression("2x + 1")) == "2*x + 1"


@pytest.mark.parametrize("kind,text", [
    ("integer", "13.5"), ("integer", "abc"), ("integer", ""), ("real", "1/0"), ("real", "2 +"), ("real", "x"),
    ("shape", "25x13.5x13"), ("shape", "twenty"), ("shape", ""), ("matrix", "1 2\n3"), ("vector", "[1,,2]"),
    ("choice", "z"), ("choice", "b; drop table"), ("real", "sqrt(-1)"), ("real", "ln(0)"), ("real", "'5'"),
    ("real", "True"), ("real", "[1]"), ("real", "1 if 1 else 2"), ("real", "f(2)"), ("expression", "x.y"),
    ("expression", "_x"), ("real", "1j"),
])
def test_malformed_is_a_format_error(kind, text):
    with pytest.raises(FormatError):
        parse(kind, text, 4)


from payloads import INJECTIONS as PAYLOADS  # noqa: E402  (the one corpus: tests/payloads.py)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("kind", ["integer", "real", "vector", "matrix", "shape", "choice", "expression"])
def test_injection_payloads_are_format_errors(payload, kind):
    with pytest.raises(FormatError):
        parse(kind, payload, 4)
    import os

    assert not os.path.exists("/tmp/quizgen-pwned")


@pytest.mark.parametrize("payload", ["(10**64)**64", "10**64*10**64*10**64"])
def test_large_but_legal_numbers_stay_numbers(payload):
    try:
        value = parse_number(payload)
    except FormatError:
        return
    assert isinstance(value, (Fraction, float))


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80), st.sampled_from(["integer", "real", "vector", "matrix", "shape", "choice", "expression"]))
def test_fuzz_never_raises_anything_but_format_error(text, kind):
    try:
        parse(kind, text, 4)
    except FormatError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789+-*/^().,x× eσπ[]√", max_size=40),
       st.sampled_from(["integer", "real", "vector", "shape", "expression"]))
def test_fuzz_arithmetic_alphabet(text, kind):
    try:
        parse(kind, text, 4)
    except FormatError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**6, max_value=10**6), st.integers(min_value=1, max_value=1000))
def test_fractions_are_read_exactly(p, q):
    assert parse_number(f"{p}/{q}") == Fraction(p, q)
