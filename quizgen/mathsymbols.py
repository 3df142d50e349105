"""The tables of the terminal math text (`quizgen.mathtext`): LaTeX command -> Unicode.

    SYMBOLS    \\alpha -> α, \\odot -> ⊙, \\le -> ≤, \\top -> ᵀ, \\, -> space ...
    OPERATORS  \\log, \\max, \\tanh ... shown as their names
    ACCENTS    \\hat, \\tilde, \\bar, \\dot ... as combining marks
    SUB / SUP  the characters that have a Unicode sub- / superscript form
    ALPHABETS  \\mathbb, \\mathbf, \\boldsymbol, \\mathcal: the mathematical alphanumerics

Only commands that tex2typst also converts to valid Typst are listed, so that strict mode
in the terminal and the PDF agree on what a text may use.
"""

from __future__ import annotations

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π",
    "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Alpha": "Α", "Beta": "Β", "Gamma": "Γ", "Delta": "Δ", "Epsilon": "Ε", "Zeta": "Ζ",
    "Eta": "Η", "Theta": "Θ", "Iota": "Ι", "Kappa": "Κ", "Lambda": "Λ", "Mu": "Μ", "Nu": "Ν",
    "Xi": "Ξ", "Omicron": "Ο", "Pi": "Π", "Rho": "Ρ", "Sigma": "Σ", "Tau": "Τ", "Upsilon": "Υ",
    "Phi": "Φ", "Chi": "Χ", "Psi": "Ψ", "Omega": "Ω",
}
SYMBOLS = {
    **GREEK,
    "times": "×", "cdot": "·", "odot": "⊙", "otimes": "⊗", "oplus": "⊕", "circ": "∘",
    "ast": "∗", "star": "⋆", "bullet": "•", "div": "÷", "pm": "±", "mp": "∓",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "equiv": "≡", "sim": "∼", "simeq": "≃", "propto": "∝", "ll": "≪", "gg": "≫",
    "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩",
    "emptyset": "∅", "forall": "∀", "exists": "∃", "neg": "¬", "land": "∧", "lor": "∨",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "leftrightarrow": "↔", "implies": "⟹",
    "iff": "⟺", "mapsto": "↦", "uparrow": "↑", "downarrow": "↓",
    "sum": "∑", "prod": "∏", "int": "∫", "partial": "∂", "nabla": "∇", "infty": "∞",
    "top": "ᵀ", "intercal": "ᵀ", "prime": "′", "dagger": "†", "ell": "ℓ", "hbar": "ħ",
    "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱",
    "mid": "|", "vert": "|", "|": "‖", "Vert": "‖", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈",
    "rceil": "⌉", "langle": "⟨", "rangle": "⟩", "colon": ":",
    "{": "{", "}": "}", "%": "%", "_": "_", "&": "&", "#": "#", "$": "$",
    ",": " ", ":": " ", ";": " ", ">": " ", " ": " ", "!": "", "quad": "\x00", "qquad": "\x00\x00",
}
OPERATORS = ("log", "ln", "lg", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "sec", "csc",
             "cot", "arcsin", "arccos", "arctan", "max", "min", "arg", "sup", "inf", "lim", "det",
             "dim", "ker", "deg", "gcd", "Pr")
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303",
           "bar": "\u0304", "overline": "\u0305", "underline": "\u0332", "dot": "\u0307",
           "ddot": "\u0308", "vec": "\u20d7"}
NEGATED = {"=": "≠", "∈": "∉", "≡": "≢"}
SUB = dict(zip("0123456789+−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))
SUP = dict(zip("0123456789+−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθφχ′ᵀ*∗",
               "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᵠᵡ′ᵀ**", strict=True))

_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _alphabet(upper: int, lower: int | None, digits: int | None, holes: dict[str, str]) -> dict:
    table = {c: chr(upper + i) for i, c in enumerate(_LATIN[:26])}
    if lower is not None:
        table.update({c: chr(lower + i) for i, c in enumerate(_LATIN[26:])})
    if digits is not None:
        table.update({str(d): chr(digits + d) for d in range(10)})
    return {**table, **holes}


_GREEK_BOLD = {chr(0x391 + i): chr(0x1D6A8 + i) for i in range(25) if i != 17}
_GREEK_BOLD.update({chr(0x3B1 + i): chr(0x1D6C2 + i) for i in range(25)})
_GREEK_BOLD.update(zip("∇∂ϵϑϕϱϖ", map(chr, (0x1D6C1, 0x1D6DB, 0x1D6DC, 0x1D6DD, 0x1D6DF, 0x1D6E0,
                                            0x1D6E1)), strict=True))
ALPHABETS = {
    "mathbb": _alphabet(0x1D538, 0x1D552, 0x1D7D8, dict(zip("CHNPQRZ", "ℂℍℕℙℚℝℤ"))),
    "mathbf": {**_alphabet(0x1D400, 0x1D41A, 0x1D7CE, {}), **_GREEK_BOLD},
    "mathcal": _alphabet(0x1D49C, None, None, dict(zip("BEFHILMR", "ℬℰℱℋℐℒℳℛ"))),
}
ALPHABETS["boldsymbol"] = ALPHABETS["mathbf"]
