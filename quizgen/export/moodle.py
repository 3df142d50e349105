"""A sheet as Moodle XML (question bank import, "Moodle XML format").

    one integer/real/sign part     -> numerical  (tolerance = 10^-decimals, 0 for integers)
    one choice part                -> multichoice (single when one letter is right)
    text parts (concept items)     -> essay, the model answer and key points as grader information
    anything else (several parts,  -> cloze (multianswer): one subquestion per answer box:
    vectors, shapes, expressions)     integer/real NUMERICAL; vector, matrix, shape one
                                      NUMERICAL per element; choice MULTICHOICE / MULTIRESPONSE;
                                      boolean a yes/no MULTICHOICE; every other kind
                                      (expression, label, set, ...) SHORTANSWER with the key as
                                      quizgen shows it (exact text, any case: Moodle cannot
                                      test symbolic equivalence or set equality)
    worked solution                -> generalfeedback;  named mistakes -> answer feedback
                                      (numerical answers, NUMERICAL and SHORTANSWER boxes; `*`
                                      for a mistake that matches any wrong answer)

Questions go into the category `$course$/quizgen/<sheet title>`.  Math is `\\( … \\)` for
MathJax.  Cloze answers and feedback escape `}`, `#` and `~` as Moodle's parser expects.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape

from quizgen.check import ANY_WRONG
from quizgen import kinds
from quizgen.export.html import (SCALARS, format_hint, html, inline, key_points_html, number, steps_html,
                                 tolerance, yes_no)
from quizgen.mathtext import to_unicode
from quizgen.model import Part, Problem, Sheet

LETTERS = "abcdefghijklmnopqrstuvwxyz"
CLOZE_SPECIAL = str.maketrans({"}": "\\}", "#": "\\#", "~": " "})


def _text(parent: ET.Element, tag: str, content: str, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = content
    return el


def _simple(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _question(quiz: ET.Element, qtype: str, name: str, text: str, feedback: str, mark: float) -> ET.Element:
    q = ET.SubElement(quiz, "question", {"type": qtype})
    name_el = ET.SubElement(q, "name")
    ET.SubElement(name_el, "text").text = name
    _text(q, "questiontext", text)
    _text(q, "generalfeedback", feedback)
    _simple(q, "defaultgrade", number(mark))
    _simple(q, "penalty", "0.3333333")
    _simple(q, "hidden", "0")
    return q


def _answer(q: ET.Element, fraction: float, value: str, feedback: str, tol: float | None = None) -> None:
    a = ET.SubElement(q, "answer", {"fraction": number(fraction), "format": "html"})
    ET.SubElement(a, "text").text = value
    if tol is not None:
        _simple(a, "tolerance", number(tol))
    _text(a, "feedback", feedback)


def _mistakes(problem: Problem, part: Part):
    return [m for m in problem.mistakes if m.part == part.id]


def _numerical(quiz, problem: Problem, part: Part, name: str, text: str, feedback: str, lang: str) -> None:
    q = _question(quiz, "numerical", name, text, feedback, 1)
    _answer(q, 100, number(part.answer), "", tolerance(part))
    for m in _mistakes(problem, part):
        if m.answer == ANY_WRONG:
            _answer(q, 0, "*", inline(m.explanation.get(lang)))
        elif isinstance(m.answer, (int, float)):
            _answer(q, 0, number(m.answer), inline(m.explanation.get(lang)), tolerance(part))
    _simple(q, "unitgradingtype", "0")
    _simple(q, "unitpenalty", "0.1000000")
    _simple(q, "showunits", "3")
    _simple(q, "unitsleft", "0")


def _multichoice(quiz, part: Part, name: str, text: str, feedback: str, lang: str) -> None:
    right = part.answer if isinstance(part.answer, list) else [part.answer]
    q = _question(quiz, "multichoice", name, text, feedback, 1)
    _simple(q, "single", "true" if len(right) == 1 else "false")
    _simple(q, "shuffleanswers", "0")
    _simple(q, "answernumbering", "abc")
    for letter, choice in zip(LETTERS, part.choices):
        if letter in right:
            fraction = 100 / len(right)
        else:
            fraction = 0 if len(right) == 1 else -100 / len(right)
        _answer(q, round(fraction, 5), inline(choice.get(lang)), "")


def _essay(quiz, problem: Problem, part: Part, name: str, text: str, lang: str) -> None:
    model = problem.steps[0].get(lang) if problem.steps else str(part.answer)
    q = _question(quiz, "essay", name, text, steps_html(problem, lang), 1)
    _simple(q, "responseformat", "editor")
    _simple(q, "responserequired", "1")
    _simple(q, "responsefieldlines", "15")
    _simple(q, "attachments", "0")
    _simple(q, "attachmentsrequired", "0")
    _text(q, "graderinfo", html(model) + key_points_html(part, lang))
    _text(q, "responsetemplate", "")


def _cloze_text(s: str) -> str:
    """Feedback or an option inside a cloze box: Unicode math (MathJax does not reach there)."""
    return _cloze_answer(to_unicode(s))


def _cloze_answer(s: str) -> str:
    return escape(s, quote=False).translate(CLOZE_SPECIAL)


def cloze_boxes(problem: Problem, part: Part, lang: str) -> str:
    """The embedded answer boxes of one part, e.g. `{1:NUMERICAL:=55:0#…~%0%54:0#…}`."""
    kind, tol = part.kind, number(tolerance(part))

    def num(value, mistakes=()) -> str:
        alts = [f"={number(value)}:{tol}"]
        for m in mistakes:
            fb = "#" + _cloze_text(m.explanation.get(lang))
            if m.answer == ANY_WRONG:
                alts.append("%0%*" + fb)
            elif isinstance(m.answer, (int, float)) and not isinstance(m.answer, bool):
                alts.append(f"%0%{number(m.answer)}:{tol}{fb}")
        return "{1:NUMERICAL:" + "~".join(alts) + "}"

    if kind in SCALARS:
        return num(part.answer, _mistakes(problem, part))
    if kind == "vector":
        return "[" + ", ".join(num(v) for v in part.answer) + "]"
    if kind == "matrix":
        return "[" + ", ".join("[" + ", ".join(num(v) for v in row) + "]" for row in part.answer) + "]"
    if kind == "shape":
        return " × ".join(num(v) for v in part.answer)
    if kind == "choice":
        right = part.answer if isinstance(part.answer, list) else [part.answer]
        alts = [("=" if letter in right else "") + f"{letter}) " + _cloze_text(choice.get(lang))
                for letter, choice in zip(LETTERS, part.choices)]
        return "{1:" + ("MULTICHOICE" if len(right) == 1 else "MULTIRESPONSE") + ":" + "~".join(alts) + "}"
    if kind == "boolean":
        yes, no = yes_no(lang)
        return "{1:MULTICHOICE:" + ("=" if part.answer else "") + yes + "~" + ("" if part.answer else "=") + no + "}"
    alts = ["=" + _cloze_answer(kinds.show(part, part.answer))]
    for m in _mistakes(problem, part):
        fb = "#" + _cloze_text(m.explanation.get(lang))
        if m.answer == ANY_WRONG:
            alts.append("%0%*" + fb)
        else:
            try:
                alts.append("%0%" + _cloze_answer(kinds.show(part, m.answer)) + fb)
            except (TypeError, ValueError):
                pass  # a mistake Moodle's exact text match could not recognise
    return "{1:SHORTANSWER:" + "~".join(alts) + "}"


def _cloze(quiz, problem: Problem, parts: list[Part], name: str, lang: str) -> None:
    body = html(problem.statement.get(lang))
    for part in parts:
        body += (f"<p><b>({part.id})</b> {inline(part.prompt.get(lang))}{format_hint(part, lang)}<br>"
                 f"{cloze_boxes(problem, part, lang)}</p>")
    _question(quiz, "cloze", name, body, steps_html(problem, lang), 0)


def problem_questions(quiz: ET.Element, problem: Problem, number_: int, lang: str) -> None:
    name = f"{number_:02d} {problem.title.get(lang)} ({problem.ref})"
    statement = html(problem.statement.get(lang))
    text_parts = [p for p in problem.parts if p.kind == "text"]
    boxed = [p for p in problem.parts if p.kind != "text"]
    for part in text_parts:
        prompt = statement + f"<p>{inline(part.prompt.get(lang))}</p>"
        _essay(quiz, problem, part, name if len(text_parts) == 1 else f"{name} ({part.id})", prompt, lang)
    if len(boxed) == 1 and boxed[0].kind in (*SCALARS, "choice"):
        part = boxed[0]
        text = statement + f"<p>{inline(part.prompt.get(lang))}{format_hint(part, lang)}</p>"
        if part.kind == "choice":
            _multichoice(quiz, part, name, text, steps_html(problem, lang), lang)
        else:
            _numerical(quiz, problem, part, name, text, steps_html(problem, lang), lang)
    elif boxed:
        _cloze(quiz, problem, boxed, name, lang)


def to_moodle(sheet: Sheet, lang: str) -> bytes:
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    cat = ET.SubElement(category, "category")
    ET.SubElement(cat, "text").text = f"$course$/quizgen/{sheet.title.replace('/', '-')} (seed {sheet.seed})"
    for n, problem in enumerate(sheet.problems, 1):
        problem_questions(quiz, problem, n, lang)
    ET.indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode").encode("utf-8") + b"\n"
