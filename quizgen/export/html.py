"""Sheet text as HTML for LMS and flashcard exports.

    text  -> HTML-escaped, line breaks as <br>, blank lines as paragraphs
    $x$   -> \\( x \\)   (MathJax inline delimiters: Moodle's MathJax filter, Canvas, Anki)
    ```   -> <pre><code>...</code></pre>
"""

from __future__ import annotations

from html import escape

from quizgen import kinds
from quizgen.model import Part, Problem
from quizgen.render.blocks import blocks, math_spans


def inline(text: str) -> str:
    out = []
    for kind, piece in math_spans(text):
        out.append(f"\\({escape(piece, quote=False)}\\)" if kind == "math" else escape(piece, quote=False))
    return "".join(out).replace("\n\n", "</p><p>").replace("\n", "<br>")


def html(text: str) -> str:
    """A statement as HTML: paragraphs with MathJax math, code blocks verbatim."""
    out = []
    for kind, piece in blocks(text):
        if kind == "code":
            out.append(f"<pre><code>{escape(piece, quote=False)}</code></pre>")
        else:
            out.append(f"<p>{inline(piece)}</p>")
    return "".join(out)


def steps_html(problem: Problem, lang: str) -> str:
    """The worked solution as an ordered list."""
    if not problem.steps:
        return ""
    return "<ol>" + "".join(f"<li>{inline(s.get(lang))}</li>" for s in problem.steps) + "</ol>"


def key_points_html(part: Part, lang: str) -> str:
    if not part.key_points:
        return ""
    return "<ul>" + "".join(f"<li>{inline(k.get(lang))}</li>" for k in part.key_points) + "</ul>"


def format_hint(part: Part, lang: str) -> str:
    return f' <span style="color:gray">[{escape(kinds.FORMATS[part.kind].get(lang), quote=False)}]</span>'


def number(x) -> str:
    """A number as Moodle's and Canvas's parsers read it (no thousands separators)."""
    if isinstance(x, bool):
        raise TypeError("not a number")
    if isinstance(x, int) or float(x).is_integer() and abs(x) < 2**53:
        return str(int(x))
    return repr(float(x))


def tolerance(part: Part) -> float:
    """Absolute tolerance of a numeric part, as `kinds.equal` uses it: 10^-decimals
    (10^-6 when a real part states none; 0 for integers, signs and shapes)."""
    if part.kind in ("integer", "shape", "sign"):
        return 0.0
    return 10.0 ** -(part.decimals if part.decimals is not None else 6)


SCALARS = ("integer", "real", "sign")  # kinds one number box answers
YES_NO = {"en": ("yes", "no"), "zh": ("是", "否")}


def yes_no(lang: str) -> tuple[str, str]:
    return YES_NO["zh" if lang.startswith("zh") else "en"]
