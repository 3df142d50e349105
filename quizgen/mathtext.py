r"""The LaTeX subset of statements, shown as readable Unicode in the terminal.

    $\lfloor \frac{28 + 2\cdot0 - 3}{1} \rfloor + 1$   ->   ⌊(28 + 2·0 − 3)/1⌋ + 1
    $\sigma(z)(1-\sigma(z))$, $\hat{y}$, $W_{ih}$, $x^{2}$  ->  σ(z)(1−σ(z)), ŷ, Wᵢₕ, x²

Supported: \frac, \sqrt, \hat, \bar, \tilde, \vec, \text/\mathrm/\mathbf/\operatorname,
\left/\right, Greek letters, common operators and relations, _ and ^ (Unicode sub- and
superscripts where every character has one, else _( ) / ^( )).  Unknown commands lose
their backslash, so the output never shows a raw backslash.
"""

from __future__ import annotations

import re
import unicodedata

SYMBOLS = {
    "times": "×", "cdot": "·", "sigma": "σ", "partial": "∂", "eta": "η", "alpha": "α",
    "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε",
    "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "tau": "τ", "phi": "φ",
    "omega": "ω", "Sigma": "Σ", "sum": "Σ", "prod": "Π", "nabla": "∇", "le": "≤", "leq": "≤",
    "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "gets": "←", "infty": "∞", "odot": "⊙", "otimes": "⊗", "in": "∈",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "top": "ᵀ", "pm": "±",
    "ldots": "…", "cdots": "⋯", "quad": "  ", "qquad": "    ", ",": " ", ";": " ", ":": " ",
    "!": "", "{": "{", "}": "}", "%": "%", "_": "_", "&": "&", "#": "#", "$": "$", "\\": "\n",
    "tanh": "tanh", "exp": "exp", "log": "log", "ln": "ln", "max": "max", "min": "min",
    "softmax": "softmax", "mid": "|", "langle": "⟨", "rangle": "⟩", "circ": "∘", "star": "⋆",
    "lvert": "|", "rvert": "|", "cap": "∩", "cup": "∪", "forall": "∀", "sqrt": "√",
}
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}
PLAIN = ("text", "mathrm", "mathbf", "mathit", "operatorname", "textbf", "mathcal", "boldsymbol")
SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
SUP = dict(zip("0123456789+-=()inTtkabcdefghjlmoprsuvwxyz",
               "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿᵀᵗᵏᵃᵇᶜᵈᵉᶠᵍʰʲˡᵐᵒᵖʳˢᵘᵛʷˣʸᶻ"))
_OPENERS = ("lfloor", "lceil", "langle", "partial", "nabla", "sqrt")
_CLOSERS = ("rfloor", "rceil", "rangle")
SUP["ᵀ"] = "ᵀ"
SUP["−"] = "⁻"
SUB["−"] = "₋"


def _group(s: str, i: int) -> tuple[str, int]:
    """The argument starting at s[i]: a {braced group}, a \\command, or one character."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] == "{":
        depth, j = 0, i
        while j < len(s):
            depth += (s[j] == "{") - (s[j] == "}")
            if depth == 0:
                return s[i + 1:j], j + 1
            j += 1
        return s[i + 1:], len(s)
    if s[i] == "\\":
        m = re.match(r"\\([A-Za-z]+|.)", s[i:])
        return m.group(0), i + len(m.group(0))
    return s[i], i + 1


def _wrap(x: str) -> str:
    return x if re.fullmatch(r"[\w.σηαβγδθλμπ∂ᵀ²³′^_ₐ-ₜ⁰-⁹₀-₉]+|\(.*\)", x) and not re.search(r"\)\s*.*\(", x) else f"({x})"


def _script(x: str, table: dict[str, str], mark: str) -> str:
    if x and all(ch in table for ch in x):
        return "".join(table[ch] for ch in x)
    return f"{mark}{x}" if len(x) == 1 else f"{mark}({x})"


def convert(s: str) -> str:
    """LaTeX-subset math (without the $ delimiters) to Unicode text."""
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", s[i:])
            name = m.group(1)
            i += len(m.group(0))
            if name == "frac":
                num, i = _group(s, i)
                den, i = _group(s, i)
                out.append(f"{_wrap(convert(num))}/{_wrap(convert(den))}")
            elif name == "sqrt":
                arg, i = _group(s, i)
                out.append("√" + _wrap(convert(arg)))
            elif name in ACCENTS:
                arg, i = _group(s, i)
                inner = convert(arg)
                out.append(inner + ACCENTS[name] if len(inner) == 1 else f"{inner}{ACCENTS[name]}")
            elif name in PLAIN:
                arg, i = _group(s, i)
                out.append(convert(arg) if name != "text" else arg)
            elif name in ("left", "right", "big", "Big", "bigl", "bigr", "displaystyle"):
                continue
            else:
                if name in _CLOSERS and out:
                    out[-1] = out[-1].rstrip(" ")
                out.append(SYMBOLS.get(name, name))
                if name in _OPENERS:
                    while i < len(s) and s[i] == " ":
                        i += 1
        elif ch in "_^":
            arg, i = _group(s, i + 1)
            inner = convert(arg)
            out.append(_script(inner, SUB if ch == "_" else SUP, ch))
        elif ch in "{}":
            i += 1
        elif ch == "-":
            out.append("−")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def to_unicode(text: str) -> str:
    """Replace every $...$ span of a statement with its Unicode rendering."""
    return unicodedata.normalize("NFC", re.sub(r"\$([^$]*)\$", lambda m: convert(m.group(1)), text))
