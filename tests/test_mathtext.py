"""LaTeX subset to terminal Unicode: a table per construct, strict-mode errors, robustness,
and every math span of the registry's families and of the bank, converted strictly."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import all_math_spans, all_texts
from quizgen.mathtext import MAX_DEPTH, MAX_SPAN, MathTextError, convert, to_unicode

TABLE = [
    # Greek, lower and upper case
    (r"$\alpha \beta \gamma \delta \epsilon \zeta \eta \theta \iota \kappa \lambda \mu$",
     "α β γ δ ε ζ η θ ι κ λ μ"),
    (r"$\nu \xi \pi \rho \sigma \tau \upsilon \phi \chi \psi \omega$", "ν ξ π ρ σ τ υ φ χ ψ ω"),
    (r"$\Gamma \Delta \Theta \Lambda \Xi \Pi \Sigma \Upsilon \Phi \Psi \Omega$", "Γ Δ Θ Λ Ξ Π Σ Υ Φ Ψ Ω"),
    (r"$\varepsilon \vartheta \varphi \varrho$", "ε ϑ φ ϱ"),
    (r"$\sigma(z)(1-\sigma(z))$", "σ(z)(1−σ(z))"),
    # fonts and text
    (r"$\mathbb{R}^d$", "ℝᵈ"),
    (r"$x \in \mathbb{R}^{n \times m}$", "x ∈ ℝ^(n × m)"),
    (r"$\mathbb{E}[x]$", "𝔼[x]"),
    (r"$\mathbf{W} \mathbf{x}$", "𝐖 𝐱"),
    (r"$\boldsymbol{\theta}$", "𝛉"),
    (r"$\mathcal{L}$", "ℒ"),
    (r"$x \sim \mathcal{N}(0, 1)$", "x ∼ 𝒩(0, 1)"),
    (r"$\mathrm{ReLU}(x)$", "ReLU(x)"),
    (r"$\operatorname{softmax}(z)_i$", "softmax(z)ᵢ"),
    (r"$\text{if } x > 0$", "if x > 0"),
    (r"$\text{cross-entropy}$", "cross-entropy"),
    (r"$H_{\text{out}}$", "Hₒᵤₜ"),
    # accents
    (r"$\hat{y}$", "ŷ"),
    (r"$\hat y_i$", "ŷᵢ"),
    (r"$\hat\theta$", "θ̂"),
    (r"$\tilde{x}$", "x̃"),
    (r"$\bar{x}$", "x̄"),
    (r"$\dot{x}$", "ẋ"),
    (r"$\vec{v}$", "v⃗"),
    # matrices and vectors, written as rows
    (r"$\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}$", "[[1, 2], [3, 4]]"),
    (r"$\begin{pmatrix} a \\ b \end{pmatrix}$", "[[a], [b]]"),
    (r"$\begin{bmatrix} 0.5 & -1 \end{bmatrix}$", "[0.5, −1]"),
    (r"$\begin{bmatrix} 1 \\ 2 \\ \end{bmatrix}$", "[[1], [2]]"),
    (r"$\begin{matrix} x & y \end{matrix}$", "[x, y]"),
    (r"$\begin{vmatrix} a & b \\ c & d \end{vmatrix}$", "det[[a, b], [c, d]]"),
    (r"$W = \begin{bmatrix} w_{11} & w_{12} \\ w_{21} & w_{22} \end{bmatrix}$",
     "W = [[w₁₁, w₁₂], [w₂₁, w₂₂]]"),
    (r"$f(z) = \begin{cases} z & z > 0 \\ 0 & \text{otherwise} \end{cases}$",
     "f(z) = z (z > 0); 0 (otherwise)"),
    # operators, big operators, roots and fractions
    (r"$a \odot b \otimes c$", "a ⊙ b ⊗ c"),
    (r"$\sum_{i=1}^{n} x_i$", "∑ᵢ₌₁ⁿ xᵢ"),
    (r"$\prod_j p_j$", "∏ⱼ pⱼ"),
    (r"$\frac{\partial L}{\partial w}$", "∂L/∂w"),
    (r"$\frac{\partial E}{\partial w_{1}}$", "∂E/∂w₁"),
    (r"$\nabla_\theta L$", "∇_θ L"),
    (r"$\sqrt{d_k}$", "√dₖ"),
    (r"$\sqrt{a + b}$", "√(a + b)"),
    (r"$\sqrt{2\pi}$", "√(2π)"),
    (r"$\sqrt[3]{x}$", "∛x"),
    (r"$QK^\top/\sqrt{d}$", "QKᵀ/√d"),
    (r"$\lfloor \frac{28 + 2\cdot0 - 3}{1} \rfloor + 1$", "⌊(28 + 2·0 − 3)/1⌋ + 1"),
    (r"$\frac{1}{1 + e^{-z}}$", "1/(1 + e⁻ᶻ)"),
    (r"$\frac12$", "1/2"),
    (r"$\frac{a}{b} + c$", "a/b + c"),
    (r"$\frac{a}{b}c$", "(a/b)c"),
    (r"$\frac{a}{b}^2$", "(a/b)²"),
    (r"$\frac{\lambda}{2}\|w\|^2$", "(λ/2)‖w‖²"),
    (r"$W^\top x$", "Wᵀ x"),
    (r"$(AB)^{\top}$", "(AB)ᵀ"),
    (r"$a \le b \ge c \ne d \approx e$", "a ≤ b ≥ c ≠ d ≈ e"),
    (r"$a \leq b \geq c \neq d$", "a ≤ b ≥ c ≠ d"),
    (r"$x \to \infty$", "x → ∞"),
    (r"$a \cdot b \times c$", "a · b × c"),
    (r"$3\times227\times227$", "3×227×227"),
    (r"$\log x + \exp(y) - \tanh z$", "log x + exp(y) − tanh z"),
    (r"$2\log n$", "2 log n"),
    (r"$\max_i x_i$", "maxᵢ xᵢ"),
    (r"$\min(a, b)$", "min(a, b)"),
    (r"$\arg\max_y p(y)$", "arg max_y p(y)"),
    # delimiters and spacing
    (r"$\left( \frac{a}{b} \right)$", "(a/b)"),
    (r"$\left\lfloor x \right\rfloor + \lceil y \rceil$", "⌊x⌋ + ⌈y⌉"),
    (r"$\left. \frac{\partial f}{\partial x} \right|_{x=0}$", "∂f/∂x|ₓ₌₀"),
    (r"$a\,b\;c\quad d$", "a b c  d"),
    (r"$\mathrm{softmax}(QK^\top / \sqrt{d_k})\, V$", "softmax(QKᵀ / √dₖ) V"),
    # arrows, relations, dots
    (r"$\theta \leftarrow \theta - \eta g$", "θ ← θ − η g"),
    (r"$a \Rightarrow b$", "a ⇒ b"),
    (r"$x_1, \ldots, x_n$", "x₁, …, xₙ"),
    (r"$1, \dots, n$ and $a_1 + \cdots + a_n$", "1, …, n and a₁ + ⋯ + aₙ"),
    (r"$p(y \mid x)$", "p(y | x)"),
    (r"$\|x\|_2$", "‖x‖₂"),
    (r"$\pm 1$", "± 1"),
    (r"$y \in \{-1, +1\}$", "y ∈ {−1, +1}"),
    (r"$50\%$", "50%"),
    # sub- and superscripts: Unicode where every character has a form, else readable groups
    (r"$x^{2}$ and $W_{ih}$", "x² and Wᵢₕ"),
    (r"$e^{-z}$", "e⁻ᶻ"),
    (r"$h_{t-1}$", "hₜ₋₁"),
    (r"$W^{(2)}$", "W⁽²⁾"),
    (r"$\delta^{(L)}$", "δ⁽ᴸ⁾"),
    (r"$x_{i,j}$", "x_(i,j)"),
    (r"$W_{xyz2Q}$", "W_(xyz2Q)"),
    (r"$e^{-\lambda t}$", "e^(−λ t)"),
    (r"$\mu_B$", "μ_B"),
    (r"$x^*$", "x*"),
    (r"$f'(x)$", "f′(x)"),
    (r"$d_{model}$", "d_(model)"),
    ("no math here [1, 2]", "no math here [1, 2]"),
]


@pytest.mark.parametrize("latex,shown", TABLE)
def test_unicode(latex, shown):
    assert to_unicode(latex, strict=True) == shown


def test_accents_are_composed_where_unicode_has_the_letter():
    assert to_unicode(r"$\hat{y}$") == "\u0177" and to_unicode(r"$\dot{x}$") == "\u1e8b"


def test_table_compiles_in_typst():
    """Every construct of the table is valid on the PDF side too (one document)."""
    typst = pytest.importorskip("typst")
    from quizgen.render import typst as typst_render

    doc = "\n\n".join(typst_render.inline(latex) for latex, _ in TABLE)
    assert typst.compile(doc.encode("utf-8"), format="pdf").startswith(b"%PDF")


@pytest.mark.parametrize("latex,message", [
    (r"$\foo{x}$", r"unknown command \\foo"),
    (r"$\softmax(z)$", r"unknown command \\softmax"),
    (r"$\begin{array}{cc} 1 \end{array}$", "unknown environment array"),
    (r"$\begin{bmatrix} 1 & 2$", "without \\\\end"),
    (r"$\begin{bmatrix} 1 \end{pmatrix}$", "closed by another"),
    (r"$\end{bmatrix}$", "without \\\\begin"),
    (r"${x$", "missing }"),
    (r"$x}$", "extra }"),
    (r"$x^$", "lacks its argument"),
    (r"$\frac{1}$", "lacks its argument"),
    (r"$a & b$", "& outside a matrix"),
    ("$" + "x+" * MAX_SPAN + "$", "longer than"),
    ("$" + "{" * (MAX_DEPTH + 5) + "x" + "}" * (MAX_DEPTH + 5) + "$", "deeper than"),
    ("$" + r"\hat" * 400 + "x$", "deeper than"),
    (r"$\not< 1$", "not before"),
    (r"$\textbf{x}$", r"unknown command \\textbf"),
    (r"$\begin{smallmatrix} 1 \end{smallmatrix}$", "unknown environment"),
])
def test_strict_mode_rejects(latex, message):
    with pytest.raises(MathTextError, match=message):
        to_unicode(latex, strict=True)


@pytest.mark.parametrize("latex,shown", [
    (r"$\foo{x} \bar{y}$", "foo x ȳ"),
    (r"$\softmax(z)$", "softmax(z)"),
    (r"${x$ and $x}$", "x and x"),
    (r"$a & b$", "a b"),
])
def test_production_shows_unknown_commands_by_name(latex, shown):
    assert to_unicode(latex) == shown


def test_too_long_or_too_deep_falls_back_without_raising():
    assert to_unicode("$" + "\\alpha+" * MAX_SPAN + "$").startswith("α+α+")
    assert to_unicode("$" + "{" * 100 + "x" + "}" * 100 + "$") == "x"


SNIPPETS = [r"\frac", "{", "}", "^", "_", r"\begin{bmatrix}", r"\end{bmatrix}", r"\begin{cases}",
            r"\end{pmatrix}", "&", r"\\", "x", "2", " ", r"\left", r"\right", ".", r"\hat", r"\sqrt",
            "[", "]", "\\", r"\text{", "-", "'", r"\foo", r"\mathbb", r"\alpha", r"\{", r"\,",
            r"\operatorname", r"\log", r"\not", "\x00", "\x01", "\x02"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), max_size=40).map("".join)
       | st.text(st.characters(blacklist_characters="$"), max_size=80))
def test_production_never_raises_nor_shows_a_backslash(latex):
    shown = to_unicode("$" + latex + "$")
    assert "\\" not in shown and not re.search("[\x00-\x02]", shown)


def test_no_raw_backslash_anywhere_a_student_reads():
    from quizgen.render.blocks import blocks

    for text in all_texts():
        shown = "".join(to_unicode(piece) for kind, piece in blocks(text) if kind == "text")
        assert "\\" not in shown, text


# Command names that must never reach a student: anywhere in a word (mathbbR, beginbmatrix),
# or, for names that begin English words (fraction, dotted), not followed by a lowercase letter.
# Operator names (log, max, tanh...) are shown on purpose and are not listed.
COMMAND_WORDS = re.compile(
    r"mathbb|mathbf|mathcal|mathrm|boldsymbol|operatorname|sqrt|bmatrix|pmatrix|vmatrix|cdot|odot|"
    r"otimes|lfloor|rfloor|lceil|rceil|leftarrow|rightarrow|infty|nabla|ldots|cdots|varepsilon|"
    r"widehat|(?<![A-Za-z])(?:frac|begin|hat|tilde|bar|dot|times|partial|approx|leq|geq|neq|quad|"
    r"alpha|beta|gamma|delta|epsilon|eta|theta|kappa|lambda|mu|nu|xi|pi|rho|sigma|tau|phi|chi|psi|"
    r"omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Phi|Psi|Omega)(?![a-z])")


@pytest.mark.parametrize("leaked", ["mathbbRᵈ", "beginbmatrix1 & 2", "frac12", "ν and xi", "Theta", "beta₁"])
def test_command_words_are_recognised(leaked):
    assert COMMAND_WORDS.search(leaked)


@pytest.mark.parametrize("fine", ["fraction", "dotted", "arg max", "tanh", "softmax(QKᵀ)", "[[1, 2]]"])
def test_words_that_are_not_command_names_pass(fine):
    assert not COMMAND_WORDS.search(fine)


def test_every_math_span_of_families_and_bank_converts_strictly():
    """Over the registry (all difficulties, 20 seeds) and the bank: no unknown command, no
    command name and no brace (other than a written \\{ \\}) in what the terminal shows."""
    spans = all_math_spans()
    assert len(spans) > 300
    bad = []
    for span in spans:
        try:
            shown = convert(span, strict=True)
        except MathTextError as exc:
            bad.append(f"{span!r}: {exc}")
            continue
        braces = len(re.findall(r"(?<!\\)\\[{}]", span))
        if re.search(r"\\[a-zA-Z]+", shown) or COMMAND_WORDS.search(shown) or \
                shown.count("{") + shown.count("}") != braces:
            bad.append(f"{span!r} -> {shown!r}")
    assert not bad, "math spans the terminal cannot show:\n" + "\n".join(bad)
