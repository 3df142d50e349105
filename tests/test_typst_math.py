"""The Typst math of every formula a student can read equals tex2typst's own conversion:
`render.typst.math` converts a formula's shape (digits set to 1) once and puts the digits
back, so it must agree with converting each formula directly (the reference here)."""

from __future__ import annotations

import re

import pytest

tex2typst = pytest.importorskip("tex2typst")

from conftest import all_texts  # noqa: E402

from quizgen.render.blocks import inline_spans  # noqa: E402
from quizgen.render.typst import RENAMED_SYMBOLS, math  # noqa: E402


def direct(latex: str) -> str:
    converted = tex2typst.tex2typst(latex).strip()
    for old, new in RENAMED_SYMBOLS.items():
        converted = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w.])", new, converted)
    return "$" + converted + "$"


def test_shape_cached_math_equals_direct_conversion_over_the_registry():
    formulas = sorted({piece for text in all_texts(seeds=4) for kind, piece in inline_spans(text) if kind == "math"})
    assert len(formulas) > 500
    with_digits = [f for f in formulas if re.search(r"\d", f)]
    assert len(with_digits) > 300
    wrong = [(f, math(f), direct(f)) for f in formulas if math(f) != direct(f)]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("latex", [r"x_{10} + x_{1}", r"\frac{12}{3} = 4", r"w^{(2)}_{11} - 0.375", r"10^{-3}"])
def test_numbers_of_any_length_come_back_in_order(latex):
    assert math(latex) == direct(latex)
