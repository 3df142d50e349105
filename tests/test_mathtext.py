"""LaTeX subset to terminal Unicode."""

from __future__ import annotations

import pytest

from quizgen.mathtext import to_unicode


@pytest.mark.parametrize("latex,shown", [
    (r"$\lfloor \frac{28 + 2\cdot0 - 3}{1} \rfloor + 1$", "⌊(28 + 2·0 − 3)/1⌋ + 1"),
    (r"$\sigma(z)(1-\sigma(z))$", "σ(z)(1−σ(z))"),
    (r"$\frac{\partial E}{\partial w_{1}}$", "∂E/∂w₁"),
    (r"$x^{2}$ and $W_{ih}$", "x² and Wᵢₕ"),
    (r"$\hat{y}$", "ŷ"),
    (r"$H_{\text{out}}$", "Hₒᵤₜ"),
    (r"$QK^\top/\sqrt{d}$", "QKᵀ/√d"),
    (r"$3\times227\times227$", "3×227×227"),
    (r"$e^{-z}$", "e⁻ᶻ"),
    (r"$W_{xyz2Q}$", "W_(xyz2Q)"),
    ("no math here [1, 2]", "no math here [1, 2]"),
])
def test_unicode(latex, shown):
    assert to_unicode(latex) == shown


def test_unknown_commands_lose_their_backslash():
    assert "\\" not in to_unicode(r"$\foo{x} \bar{y} \left( \right) \, \{ \}$")


def test_no_raw_backslash_anywhere_a_student_reads():
    from conftest import all_texts
    from quizgen.render.blocks import blocks

    for text in all_texts():
        shown = "".join(to_unicode(piece) for kind, piece in blocks(text) if kind == "text")
        assert "\\" not in shown, text
