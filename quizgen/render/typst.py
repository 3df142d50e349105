"""Sheets to Typst source and PDF.

Text is escaped for Typst markup; `$LaTeX$` math goes through tex2typst into Typst math.
Layout: title, date, seed and problem ids; numbered problems with room to work; then
(optionally) the answer key and worked solutions, each starting on a new page.
Chinese needs a CJK font on the system (fonts-wqy-microhei or fonts-noto-cjk).
"""

from __future__ import annotations

import datetime
import re
import threading
from functools import lru_cache

from quizgen.errors import QuizgenError
from quizgen.model import Sheet
from quizgen.render import layout
from quizgen.render.blocks import blocks, inline_spans

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Source Han Sans SC", "Source Han Serif SC", "AR PL UMing CN", "Droid Sans Fallback")
_SPECIAL = re.compile(r"([\\#$*_`<>@\[\]~=\-+/\"'])")


def escape(text: str) -> str:
    """Plain text as Typst markup: every markup character escaped."""
    return _SPECIAL.sub(r"\\\1", text)


# Symbol names tex2typst still writes but this Typst no longer knows.
RENAMED_SYMBOLS = {"dot.circle": "dot.o", "times.circle": "times.o", "minus.circle": "minus.o"}


_DIGIT = re.compile(r"\d")
_GROUP = r"(\{(?:[^{}]|\{[^{}]*\})*\}|\\?[A-Za-z0-9])"
_SUP_SUB = re.compile(r"\^" + _GROUP + "_" + _GROUP)  # X^{a}_{b}


@lru_cache(maxsize=1 << 16)
def _convert(latex: str) -> str:
    import tex2typst

    converted = tex2typst.tex2typst(latex).strip()
    for old, new in RENAMED_SYMBOLS.items():
        converted = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w.])", new, converted)
    return converted


def math(latex: str) -> str:
    """LaTeX math as Typst math.  tex2typst costs ~1 ms a formula and two sheets rarely share
    one, but they share its shape: every digit is set to 1, the shape converted once (cached)
    and the digits put back in order.  tex2typst keeps digits in order except that it writes
    a subscript before a superscript, so `X^{a}_{b}` is first written `X_{b}^{a}`; a shape
    whose digit count changes is converted as it is.  tests/test_typst_math.py checks every
    formula of the registry against direct conversion."""
    if not _DIGIT.search(latex):
        return "$" + _convert(latex) + "$"
    ordered = _SUP_SUB.sub(lambda m: "_" + m.group(2) + "^" + m.group(1), latex)  # as tex2typst writes it
    digits = _DIGIT.findall(ordered)
    shaped = _convert(_DIGIT.sub("1", ordered))
    if len(_DIGIT.findall(shaped)) != len(digits):
        return "$" + _convert(latex) + "$"
    back = iter(digits)
    return "$" + _DIGIT.sub(lambda _: next(back), shaped) + "$"


def inline(text: str) -> str:
    """One text piece with $math$ and `code` spans; line breaks kept."""
    out = []
    for kind, piece in inline_spans(text):
        if kind == "math":
            out.append(math(piece))
        elif kind == "code":
            out.append("#raw(" + _string(piece) + ")")
        else:
            out.append(escape(piece))
    return " \\\n".join("".join(out).split("\n")).replace(" \\\n \\\n", "\n\n")


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rich_text(text: str) -> str:
    """A statement: text pieces and ``` code blocks."""
    parts = []
    for kind, piece in blocks(text):
        if kind == "code":
            parts.append("```python\n" + piece.replace("```", "'''") + "\n```")
        else:
            parts.append(inline(piece))
    return "\n\n".join(parts)


GREY = "luma(90)"


def _figure(block) -> str:
    from quizgen import figures

    svg = figures.svg(block.figure)
    caption = f"#text(size: 0.9em, fill: {GREY})[{inline(block.text)}]" if block.text else ""
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))  # its own size, in points
    return f"#align(center)[#image(bytes({_string(svg)}), format: \"svg\", width: {min(width, 420):.0f}pt) {caption}]"


def _table(block) -> str:
    columns = block.extra["columns"]
    if len(columns) - 1 > WIDE_TABLE_COLUMNS:  # a line to write on per part
        blank = "#box(width: 9em, height: 1.2em, stroke: (bottom: 0.4pt + luma(160)))"
        head, cells = _one_cell_per_row(columns[0], columns[1:], block.items, " #h(1.5em) ",
                                        lambda c, i: f"{escape(c)} #text(fill: luma(170))[({i})] {blank}")
        widths = "auto, 1fr"
    else:
        head = ", ".join(f"[*{escape(c)}*]" for c in columns)
        cells = ", ".join(f"[{escape(step)}], " + ", ".join(f"[#text(fill: luma(170))[({i})]]" if i else "[]" for i in ids)
                          for step, ids in block.items)
        widths = ", ".join(["auto"] + ["1fr"] * (len(columns) - 1))
    return (f"#text(size: 0.9em, fill: {GREY})[{inline(block.text)}]\n\n"
            f"#table(columns: ({widths}), inset: (y: 9pt), stroke: 0.4pt + luma(160), {head}, {cells})\n\n"
            f"#text(size: 0.85em, fill: {GREY})[{inline(block.extra['hints'])}]")


def _key_table(problem, lang: str) -> str:
    filled = layout.key_table(problem)
    if not filled:
        return ""
    columns, rows = filled
    if len(columns) > WIDE_TABLE_COLUMNS:  # label = value, each row in one cell
        head, cells = _one_cell_per_row(layout.word(lang, "step"), columns, rows, " #h(1em) ",
                                        lambda c, v: f"{escape(c)} = {escape(v)}")
        return f"#table(columns: (auto, 1fr), stroke: 0.4pt + luma(200), {head}, {cells})"
    head = ", ".join(f"[*{escape(c)}*]" for c in [layout.word(lang, "step"), *columns])
    cells = ", ".join(f"[{escape(step)}], " + ", ".join(f"[{escape(v)}]" for v in values) for step, values in rows)
    return f"#table(columns: {len(columns) + 1}, stroke: 0.4pt + luma(200), {head}, {cells})"


WIDE_TABLE_COLUMNS = 8  # a trace table with more columns is drawn one cell per row (to fill in, and filled)


def _one_cell_per_row(step_word: str, columns: list[str], rows, gap: str, item) -> tuple[str, str]:
    """(header cells, body cells) of a two-column table: the step, then the row's non-empty
    entries `item(column, entry)`, each kept whole in a box.  A page's width over 16 columns
    leaves 1 cm cells that no vector such as [-0.8700, 0.5200] fits: it would overrun its
    neighbours."""
    head = f"[*{escape(step_word)}*], []"
    cells = ", ".join(f"[{escape(step)}], [" + gap.join(f"#box[{item(c, e)}]" for c, e in zip(columns, entries) if e)
                      + "]" for step, entries in rows)
    return head, cells


def _block(block) -> str | None:
    if block.kind == "heading":
        return (f"== {escape(block.extra['head'])} #text(size: 0.8em, fill: gray)[{escape(block.text)}]")
    if block.kind == "statement":
        return rich_text(block.text)
    if block.kind == "figure":
        return _figure(block)
    if block.kind == "choices":
        return " \\\n".join(f"{k}) {inline(text)}" for k, text in block.items)
    if block.kind == "part":
        line = f"*({block.part.id})* {inline(block.text)} #text(size: 0.8em, fill: gray)[{escape('[' + block.extra['hint'] + ']')}]"
        for k, text in block.items:
            line += f" \\\n#h(1.5em) {k}) {inline(text)}"
        return line
    if block.kind == "table":
        return _table(block)
    if block.kind == "note":
        if block.extra["role"] == "conventions":
            return f"#text(size: 0.9em, fill: {GREY})[_{escape(block.extra['label'])}:_ {inline(block.text)}]"
        return f"#text(size: 0.9em, fill: {GREY})[{escape(block.text)}]"
    if block.kind == "lines":
        return "\n".join("#line(length: 100%, stroke: 0.4pt + luma(180)) #v(0.9em)" for _ in range(block.size))
    if block.kind == "space":
        return f"#v({1.4 * block.size:.1f}em)"
    return None


def _answer(shown: str, points: list[str], is_text: bool) -> str:
    if is_text:
        return inline(shown) + "".join(f" \\\n☐ {inline(k)}" for k in points)
    return escape(shown)


def typst_source(sheet: Sheet, lang: str, answers: str = "key", date: datetime.date | None = None) -> str:
    """The whole document; `answers` is none, key or solutions (statements, key, worked
    solutions), or `answers`: the key and the worked solutions without the statements (the
    instructor's copy of a roster sheet, about half the compile time)."""
    date = date or datetime.date.today()
    ids = ", ".join(f"{i}: {p.ref}" for i, p in enumerate(sheet.problems, 1))
    fonts = ", ".join(f'"{f}"' for f in ("Libertinus Serif",) + CJK_FONTS)
    w = layout.word
    out = [
        '#set page(paper: "a4", margin: 2cm, numbering: "1 / 1")',
        f"#set text(font: ({fonts}), size: 10.5pt, lang: \"{'zh' if lang == 'zh' else 'en'}\")",
        "#set par(justify: false)",
        '#show raw.where(block: true): block.with(fill: luma(245), inset: 6pt, radius: 3pt, width: 100%)',
        f"#align(center)[#text(size: 17pt, weight: \"bold\")[{escape(sheet.title)}]]",
        f"#align(center)[#text(fill: gray)[{escape(w(lang, 'date'))}: {date.isoformat()} · {escape(w(lang, 'seed'))}: "
        f"{sheet.seed} · {escape(layout.difficulty(lang, sheet.difficulty))}]]",
        f"#text(size: 0.75em, fill: gray)[{escape(w(lang, 'ids'))}: {escape(ids)}]",
        "#line(length: 100%)",
    ]
    statements = answers != "answers"
    for number, problem in enumerate(sheet.problems if statements else (), 1):
        drawn = [_block(b) for b in layout.problem_blocks(problem, number, lang, workspace=True)]
        out.append("\n\n".join(d for d in drawn if d))
    if answers in ("key", "solutions", "answers"):
        out.append(("#pagebreak()\n" if statements else "") + f"= {escape(w(lang, 'key'))}")
        for number, problem in enumerate(sheet.problems, 1):
            rows = layout.key_rows(problem, number, lang, skip_table=True)
            text_parts = {f"{number}{p.id}" for p in problem.parts if p.kind == "text"}
            cells = ", ".join(f"[*{label}*], [{_answer(shown, points, label in text_parts)}]"
                              for label, shown, points in rows)
            filled = _key_table(problem, lang)
            if filled:
                out.append(f"*{escape(layout.word(lang, 'problem', n=number))}*\n\n{filled}")
            out.extend(_figure(b) for b in layout.key_figures(problem, lang))
            if cells:
                out.append(f"#table(columns: (auto, 1fr), stroke: 0.4pt + luma(200), {cells})")
    if answers in ("solutions", "answers"):
        out.append(f"#pagebreak()\n= {escape(w(lang, 'solutions'))}")
        for number, problem in enumerate(sheet.problems, 1):
            out.append(_block(layout.problem_blocks(problem, number, lang)[0]))
            out.append("\n".join(f"+ {inline(step)}" for step in layout.solution_steps(problem, lang)))
    return "\n\n".join(out) + "\n"


_local = threading.local()


def compile_source(source: str, date: datetime.date | None = None) -> bytes:
    """Compile Typst source to PDF with this thread's reused compiler (fonts loaded once per
    thread; typst-py releases the GIL while it compiles, see quizgen.pdfbatch); the PDF's
    creation date is midnight UTC of `date` (so one batch gives the same bytes in any thread)."""
    import typst

    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = _local.compiler = typst.Compiler()
    try:
        stamp = None if date is None else int(datetime.datetime(date.year, date.month, date.day,
                                                                tzinfo=datetime.timezone.utc).timestamp())
        return compiler.compile(input=source.encode("utf-8"), format="pdf", timestamp=stamp)
    except typst.TypstError as exc:  # a bug in our markup, not user input
        raise QuizgenError(f"PDF rendering failed: {exc.message}") from None


def cjk_font_available() -> bool:
    import typst

    families = set(typst.Fonts().families())
    return any(f in families for f in CJK_FONTS)


def to_pdf(sheet: Sheet, lang: str, answers: str = "key", date: datetime.date | None = None) -> bytes:
    if lang == "zh" and not cjk_font_available():
        raise QuizgenError("Chinese PDF needs a CJK font: install fonts-wqy-microhei or fonts-noto-cjk "
                           "(e.g. apt-get install fonts-wqy-microhei)")
    return compile_source(typst_source(sheet, lang, answers, date))
