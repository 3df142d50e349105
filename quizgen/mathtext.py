r"""The LaTeX subset of statements, shown as readable Unicode in the terminal.

    $\lfloor \frac{28 + 2\cdot0 - 3}{1} \rfloor + 1$   ->   ⌊(28 + 2·0 − 3)/1⌋ + 1
    $\hat{y}$, $\mathbb{R}^d$, $h_{t-1}$, $W^{(2)}$, $x_{i,j}$   ->   ŷ, ℝᵈ, hₜ₋₁, W⁽²⁾, x_(i,j)
    $\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}$       ->   [[1, 2], [3, 4]]

Grammar (a tokenizer, then recursive descent; one pass, no backtracking):

    sequence = { atom | atom "^" argument | atom "_" argument }
    atom     = "{" sequence "}" | \command arguments | \begin{env} rows \end{env} | character
    argument = "{" sequence "}" | \command | character

Sub- and superscripts use Unicode where every character has a form, else `_(…)` / `^(…)`
(one character: `_x`).  \frac is `a/b`, with parentheses around a part that is not one
term; \sqrt is `√x`; accents are combining marks (ŷ, x̃, x̄, ẋ); \mathbb / \mathbf /
\boldsymbol / \mathcal use the mathematical alphanumerics (ℝ, 𝐖, 𝛉, ℒ).  Matrices
(matrix, bmatrix, pmatrix, Bmatrix) are written as rows, like the matrix answer
format: `[[1, 2], [3, 4]]`, one row `[1, 2]`; vmatrix is `det[[…]]`, Vmatrix `‖[[…]]‖`;
cases is `value (condition); …`.

`to_unicode(text, strict=True)` raises MathTextError on an unknown command or environment,
an unbalanced brace, a span over MAX_SPAN characters or nested deeper than MAX_DEPTH (the
tests run every family and bank text that way).  Without `strict` it never raises: an
unknown command is shown by its name, without the backslash.
"""

from __future__ import annotations

import re
import unicodedata

from quizgen.mathsymbols import ACCENTS, ALPHABETS, NEGATED, OPERATORS, SUB, SUP, SYMBOLS

MAX_SPAN = 2000  # characters of one $...$ span
MAX_DEPTH = 30  # nested groups and arguments


class MathTextError(ValueError):
    """A math span this converter does not understand (raised in strict mode only)."""


DELIMITED = {"left": "open", "bigl": "open", "Bigl": "open", "biggl": "open",
             "right": "close", "bigr": "close", "Bigr": "close", "biggr": "close"}
IGNORED = ("displaystyle", "textstyle")
FONTS = ("mathbb", "mathbf", "boldsymbol", "mathcal", "mathrm", "mathit", "mathsf",
         "mathtt", "operatorname")
TEXTS = ("text",)
MATRICES = {"matrix": "", "bmatrix": "", "pmatrix": "", "Bmatrix": "", "vmatrix": "det",
            "Vmatrix": "‖"}
_OPENERS = set("⌊⌈⟨([∂∇√¬")  # a space after these is dropped
_CLOSERS = set("⌋⌉⟩)]")  # a space before these is dropped
_FOLLOW_SAFE = set(" +−=<>≤≥≠≈∼→←⇒,;:)]⌋⌉⟩.…")  # may follow a/b without parentheses
_BINARY = set(" +−=<>≤≥≠≈∼∈→←⇒⇔↦/·×⊙⊗⊕∘,;:|")  # a part holding one of these is not one term
_WORD = "A-Za-z0-9α-ωΑ-Ω"  # an operator name is set apart from these by a space
_OP, _END = "\x01", "\x02"  # brackets an operator name (log, max, \operatorname) until spacing

_TOKEN = re.compile(r"\\([A-Za-z]+|.?)|(\s+)|(.)", re.DOTALL)


def tokenize(span: str) -> list[tuple[str, str]]:
    """("cmd", name) | ("space", " ") | ("char", c).  Spaces are kept: the source's spacing
    is the terminal's (w \\cdot x -> w · x), except after openers and before closers."""
    tokens = []
    for m in _TOKEN.finditer(span):
        name, space, char = m.groups()
        if name is not None:
            tokens.append(("cmd", name))
        elif space is not None:
            tokens.append(("space", " "))
        else:
            tokens.append(("char", char))
    return tokens


def _depth0(text: str):
    """The characters of `text` outside any (…), […], ⌊…⌋, ⌈…⌉, ⟨…⟩."""
    depth = 0
    for ch in text:
        if ch in "([⌊⌈⟨":
            depth += 1
        elif ch in ")]⌋⌉⟩":
            depth -= 1
        elif depth == 0:
            yield ch


def one_term(text: str) -> bool:
    """True when `text` reads as one term (x, 2, σ(z), ∂E, (a + b), x²): no operator at top level."""
    text = text.strip().removeprefix("−")
    return bool(text) and not any(ch in _BINARY for ch in _depth0(text))


def _wrap(text: str) -> str:
    return text.strip() if one_term(text) else f"({text.strip()})"


_SCRIPTS = set(SUB.values()) | set(SUP.values())


def _one_symbol(text: str) -> bool:
    """One letter (with its marks and scripts), one number, or a bracketed group: √ needs no ()."""
    bare = "".join(ch for ch in text if ch not in _SCRIPTS and not unicodedata.combining(ch))
    return (len(bare) == 1 or bool(re.fullmatch(r"\d+(\.\d+)?", bare))
            or (text[:1] in "([" and one_term(text)))


def script(arg: str, table: dict[str, str], mark: str) -> str:
    """A sub- or superscript: Unicode when every character has one, else mark + readable group."""
    arg = arg.replace(_OP, "").replace(_END, "").strip()
    compact = arg.replace(" ", "")
    if compact and all(ch in table for ch in compact):
        return "".join(table[ch] for ch in compact)
    if len(compact) == 1 or (compact.startswith("(") and compact.endswith(")") and one_term(compact)):
        return mark + arg
    return f"{mark}({arg})"


def accent(arg: str, mark: str) -> str:
    """A combining mark after every base character: ŷ, x̃, and x̅y̅ for \\overline{xy}."""
    return "".join(ch + mark if ch.strip() and not unicodedata.combining(ch) else ch for ch in arg)


def _style(arg: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in arg)


class _Parser:
    def __init__(self, span: str, strict: bool):
        self.tokens = tokenize(span)
        self.pos = 0
        self.strict = strict
        self.depth = 0

    def fail(self, message: str) -> None:
        if self.strict:
            raise MathTextError(message)

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def skip_spaces(self) -> None:
        while self.peek() == ("space", " "):
            self.pos += 1

    def sequence(self, stops: tuple = (), text_mode: bool = False) -> str:
        """Atoms until the end, a closing brace, or one of `stops` (left unconsumed)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise MathTextError(f"math nested deeper than {MAX_DEPTH}")
        out: list[str] = []
        frac_at = -1  # index in out of a fraction that parentheses may need to guard
        last = ""  # the kind of the last atom: "open" after \left( drops the spaces after it
        while (tok := self.peek()) is not None and tok != ("char", "}") and tok not in stops:
            piece, kind = self.atom(text_mode)
            if piece == " " and out and (out[-1][-1:] in _OPENERS or last == "open"):
                continue
            if kind in ("^", "_", "close") or piece[:1] in _CLOSERS:
                while out and out[-1] == " ":
                    out.pop()
            if frac_at >= 0 and frac_at == len(out) - 1 and piece and piece[0] not in _FOLLOW_SAFE:
                out[frac_at] = f"({out[frac_at]})"
            last = kind
            if kind in ("^", "_") and out:
                out[-1] += piece
                frac_at = -1
                continue
            if piece or kind:
                frac_at = len(out) if kind == "frac" else -1
                out.append(piece)
        self.depth -= 1
        return "".join(out)

    def group(self, text_mode: bool = False) -> str:
        """After "{": the group's text, up to and including "}"."""
        inner = self.sequence(text_mode=text_mode)
        if self.peek() is None:
            self.fail("unbalanced braces: missing }")
        self.pos += 1
        return inner

    def argument(self, text_mode: bool = False) -> str:
        """One argument: a {group}, a command or one character."""
        self.skip_spaces()
        tok = self.peek()
        if tok is None or tok == ("char", "}"):
            self.fail("a command or ^ / _ lacks its argument")
            return ""
        self.pos += 1
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise MathTextError(f"math nested deeper than {MAX_DEPTH}")
        if tok == ("char", "{"):
            arg = self.group(text_mode)
        elif tok[0] == "cmd":
            arg = self.command(tok[1], text_mode)[0]
        else:
            arg = self.character(tok[1], text_mode)
        self.depth -= 1
        return arg

    def atom(self, text_mode: bool) -> tuple[str, str]:
        kind, value = self.tokens[self.pos]
        self.pos += 1
        if kind == "space":
            return " ", ""
        if kind == "cmd":
            return self.command(value, text_mode)
        if value == "{":
            return self.group(text_mode), ""
        if value in "^_" and not text_mode:
            arg = self.argument()
            return script(arg, SUB if value == "_" else SUP, value), value
        if value in "&":
            self.fail("& outside a matrix")
            return " ", ""
        return self.character(value, text_mode), ""

    @staticmethod
    def character(ch: str, text_mode: bool) -> str:
        if text_mode:
            return ch
        return {"-": "−", "'": "′", "~": " "}.get(ch, ch)

    def command(self, name: str, text_mode: bool) -> tuple[str, str]:
        if name in SYMBOLS:
            return SYMBOLS[name], ""
        if name in OPERATORS:
            return _OP + name + _END, ""
        if name in IGNORED:
            return "", ""
        if name in DELIMITED:  # the delimiter after \left / \right; "." is none
            self.skip_spaces()
            if self.peek() == ("char", "."):
                self.pos += 1
                return "", DELIMITED[name]
            return self.argument(), DELIMITED[name]
        if name in ("frac", "dfrac", "tfrac"):
            num, den = self.argument(), self.argument()
            return f"{_wrap(num)}/{_wrap(den)}", "frac"
        if name == "sqrt":
            return self.root(), ""
        if name in ACCENTS:
            return accent(self.argument(), ACCENTS[name]), ""
        if name in FONTS:
            arg = self.argument()
            if name == "operatorname":
                return _OP + arg + _END, ""
            return _style(arg, ALPHABETS.get(name, {})), ""
        if name in TEXTS:
            return self.argument(text_mode=True), ""
        if name == "not":
            negated = self.argument()
            if negated not in NEGATED:
                self.fail(f"\\not before {negated!r}")
            return NEGATED.get(negated, accent(negated, "\u0338")), ""
        if name == "begin":
            return self.environment(), ""
        if name == "\\":
            return "; ", ""
        if name == "end":
            self.fail("\\end without \\begin")
            self.argument()
            return "", ""
        self.fail(f"unknown command \\{name}")
        return _OP + name + _END, ""

    def root(self) -> str:
        self.skip_spaces()
        index = ""
        if self.peek() == ("char", "["):
            self.pos += 1
            index = self.sequence(stops=(("char", "]"),))
            if self.peek() == ("char", "]"):
                self.pos += 1
        radicand = self.argument().strip()
        if not _one_symbol(radicand):
            radicand = f"({radicand})"
        sign = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(index.strip())
        return (sign or script(index, SUP, "^") + "√") + radicand

    def environment(self) -> str:
        name = self.argument(text_mode=True).strip()
        rows: list[list[str]] = [[]]
        stops = (("char", "&"), ("cmd", "\\"), ("cmd", "end"))
        while True:
            rows[-1].append(self.sequence(stops=stops).strip())
            tok = self.peek()
            if tok is None or tok == ("char", "}"):
                self.fail(f"\\begin{{{name}}} without \\end{{{name}}}")
                break
            self.pos += 1
            if tok == ("cmd", "end"):
                if self.argument(text_mode=True).strip() != name:
                    self.fail(f"\\begin{{{name}}} closed by another \\end")
                break
            if tok == ("cmd", "\\"):
                rows.append([])
        rows = [r for r in rows if r != [""]]
        if name == "cases":
            return "; ".join(r[0] + (f" ({', '.join(r[1:])})" if len(r) > 1 else "") for r in rows)
        if name not in MATRICES:
            self.fail(f"unknown environment {name}")
        shown = [f"[{', '.join(r)}]" for r in rows]
        body = shown[0] if len(shown) == 1 else f"[{', '.join(shown)}]"
        outer = MATRICES.get(name, "")
        return {"det": f"det{body}", "‖": f"‖{body}‖"}.get(outer, body)


def _spacing(text: str) -> str:
    """Operator names apart from neighbouring letters; one space where the source had several;
    none inside brackets or after a prefix operator; \\quad kept wide."""
    text = text.replace(_END + _OP, " ")
    text = re.sub(rf"(?<=[{_WORD}]){_OP}", " ", text)
    text = re.sub(rf"{_END}(?=[{_WORD}])", " ", text).replace(_OP, "").replace(_END, "")
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(" *(\x00+) *", r"\1", text)
    return text.replace("\x00", "  ").strip()


def _flat(span: str) -> str:
    """Last resort (span too long or too deep): command names without backslashes, no braces."""
    return re.sub(r"\\([A-Za-z]+|.?)", lambda m: SYMBOLS.get(m.group(1), m.group(1)), span).translate(
        {ord("{"): None, ord("}"): None, 0: "  "})


def convert(span: str, strict: bool = False) -> str:
    """LaTeX-subset math (without the $ delimiters) to Unicode text."""
    span = span.translate({0: None, 1: None, 2: None})
    if len(span) > MAX_SPAN:
        if strict:
            raise MathTextError(f"math span longer than {MAX_SPAN} characters")
        return _flat(span)
    parser = _Parser(span, strict)
    try:
        out = parser.sequence()
        while parser.peek() is not None:  # a stray "}"
            parser.fail("unbalanced braces: extra }")
            parser.pos += 1
            out += parser.sequence()
    except MathTextError:
        if strict:
            raise
        return _flat(span)
    return _spacing(out)


def to_unicode(text: str, strict: bool = False) -> str:
    """Replace every $...$ span of a text with its Unicode rendering."""
    return unicodedata.normalize(
        "NFC", re.sub(r"\$([^$]*)\$", lambda m: convert(m.group(1), strict), text))
