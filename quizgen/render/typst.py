"""Sheets to Typst source and PDF.

Text is escaped for Typst markup; `$LaTeX$` math goes through tex2typst into Typst math.
Layout: title, date, seed and problem ids; numbered problems with room to work; then
(optionally) the answer key and worked solutions, each starting on a new page.
Chinese needs a CJK font on the system (fonts-wqy-microhei or fonts-noto-cjk).
"""

from __future__ import annotations

import datetime
import re

from quizgen import kinds
from quizgen.errors import QuizgenError
from quizgen.model import Problem, Sheet
from quizgen.render.blocks import blocks, math_spans, shared_choices

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Source Han Sans SC", "Source Han Serif SC", "AR PL UMing CN", "Droid Sans Fallback")
WORDS = {
    "en": {"problem": "Problem", "key": "Answer key", "solutions": "Worked solutions", "seed": "seed",
           "conventions": "Conventions", "ids": "Problem ids", "work": "Work space", "date": "Date"},
    "zh": {"problem": "第 {n} 题", "key": "答案", "solutions": "详细解答", "seed": "随机种子",
           "conventions": "约定", "ids": "题目编号", "work": "演算区", "date": "日期"},
}
_SPECIAL = re.compile(r"([\\#$*_`<>@\[\]~=\-+/\"'])")


def escape(text: str) -> str:
    """Plain text as Typst markup: every markup character escaped."""
    return _SPECIAL.sub(r"\\\1", text)


# Symbol names tex2typst still writes but this Typst no longer knows.
RENAMED_SYMBOLS = {"dot.circle": "dot.o", "times.circle": "times.o", "minus.circle": "minus.o"}


def math(latex: str) -> str:
    import tex2typst

    converted = tex2typst.tex2typst(latex).strip()
    for old, new in RENAMED_SYMBOLS.items():
        converted = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w.])", new, converted)
    return "$" + converted + "$"


def inline(text: str) -> str:
    """One text piece with $math$ spans; line breaks kept."""
    out = []
    for kind, piece in math_spans(text):
        out.append(math(piece) if kind == "math" else escape(piece))
    return " \\\n".join("".join(out).split("\n")).replace(" \\\n \\\n", "\n\n")


def rich_text(text: str) -> str:
    """A statement: text pieces and ``` code blocks."""
    parts = []
    for kind, piece in blocks(text):
        if kind == "code":
            parts.append("```python\n" + piece.replace("```", "'''") + "\n```")
        else:
            parts.append(inline(piece))
    return "\n\n".join(parts)


def _problem_head(number: int, lang: str, problem: Problem) -> str:
    head = f"{WORDS['en']['problem']} {number}" if lang == "en" else WORDS["zh"]["problem"].format(n=number)
    return f"== {escape(head)} #text(size: 0.8em, fill: gray)[{escape(problem.title.get(lang))}]"


def _part_line(part, lang: str, list_choices: bool = True) -> str:
    hint = kinds.FORMATS[part.kind].get(lang)
    line = f"*({part.id})* {inline(part.prompt.get(lang))} #text(size: 0.8em, fill: gray)[{escape('[' + hint + ']')}]"
    for i, choice in enumerate(part.choices if list_choices else ()):
        line += f" \\\n#h(1.5em) {chr(97 + i)}) {inline(choice.get(lang))}"
    if part.kind == "text":
        line += "\n\n" + "\n".join("#line(length: 100%, stroke: 0.4pt + luma(180)) #v(0.9em)" for _ in range(8))
    return line


def _answer(part, lang: str = "en", problem: Problem | None = None) -> str:
    if part.kind == "text":
        model = problem.steps[0].get(lang) if problem is not None and problem.steps else str(part.answer)
        points = "".join(f" \\\n☐ {inline(k.get(lang))}" for k in part.key_points)
        return inline(model) + points
    return escape(kinds.show(part, part.answer))


def typst_source(sheet: Sheet, lang: str, answers: str = "key", date: datetime.date | None = None) -> str:
    """The whole document; `answers` is none, key or solutions."""
    w = WORDS[lang]
    date = date or datetime.date.today()
    ids = ", ".join(f"{i}: {p.ref}" for i, p in enumerate(sheet.problems, 1))
    fonts = ", ".join(f'"{f}"' for f in ("Libertinus Serif",) + CJK_FONTS)
    out = [
        '#set page(paper: "a4", margin: 2cm, numbering: "1 / 1")',
        f"#set text(font: ({fonts}), size: 10.5pt, lang: \"{lang}\")",
        "#set par(justify: false)",
        '#show raw.where(block: true): block.with(fill: luma(245), inset: 6pt, radius: 3pt, width: 100%)',
        f"#align(center)[#text(size: 17pt, weight: \"bold\")[{escape(sheet.title)}]]",
        f"#align(center)[#text(fill: gray)[{escape(w['date'])}: {date.isoformat()} · {escape(w['seed'])}: {sheet.seed} · "
        f"{escape(sheet.difficulty)}]]",
        f"#text(size: 0.75em, fill: gray)[{escape(w['ids'])}: {escape(ids)}]",
        "#line(length: 100%)",
    ]
    for number, problem in enumerate(sheet.problems, 1):
        out.append(_problem_head(number, lang, problem))
        out.append(rich_text(problem.statement.get(lang)))
        shared = shared_choices(problem.parts)
        if shared:
            out.append(" \\\n".join(f"{chr(97 + i)}) {inline(c.get(lang))}" for i, c in enumerate(shared)))
        out.append("\n\n".join(_part_line(p, lang, not shared) for p in problem.parts))
        for line in kinds.tolerance_lines(problem.parts):
            out.append(f"#text(size: 0.8em, fill: gray)[{escape(line.get(lang))}]")
        if problem.conventions:
            conv = " ".join(inline(c.get(lang)) for c in problem.conventions)
            out.append(f"#text(size: 0.8em, fill: gray)[_{escape(w['conventions'])}:_ {conv}]")
        if not any(p.kind == "text" for p in problem.parts):
            out.append("#v(4.5em)")
    if answers in ("key", "solutions"):
        out.append(f"#pagebreak()\n= {escape(w['key'])}")
        for number, problem in enumerate(sheet.problems, 1):
            cells = ", ".join(f"[*{number}{p.id}*], [{_answer(p, lang, problem)}]" for p in problem.parts)
            out.append(f"#table(columns: (auto, 1fr), stroke: 0.4pt + luma(200), {cells})")
    if answers == "solutions":
        out.append(f"#pagebreak()\n= {escape(w['solutions'])}")
        for number, problem in enumerate(sheet.problems, 1):
            out.append(_problem_head(number, lang, problem))
            out.append("\n".join(f"+ {inline(step.get(lang))}" for step in problem.steps))
    return "\n\n".join(out) + "\n"


def cjk_font_available() -> bool:
    import typst

    families = set(typst.Fonts().families())
    return any(f in families for f in CJK_FONTS)


def to_pdf(sheet: Sheet, lang: str, answers: str = "key", date: datetime.date | None = None) -> bytes:
    if lang == "zh" and not cjk_font_available():
        raise QuizgenError("Chinese PDF needs a CJK font: install fonts-wqy-microhei or fonts-noto-cjk "
                           "(e.g. apt-get install fonts-wqy-microhei)")
    import typst

    source = typst_source(sheet, lang, answers, date)
    try:
        return typst.compile(source.encode("utf-8"), format="pdf")
    except typst.TypstError as exc:  # a bug in our markup, not user input
        raise QuizgenError(f"PDF rendering failed: {exc.message}") from None
