"""A sheet as an Anki deck (.apkg, written with genanki).

    concept item      front: question (and options);  back: model answer, key points
    computed problem  front: statement and parts;     back: answer per part, worked solution
    deck id  = 2^30 + (SHA-256("quizgen deck/<sheet title>/<lang>") mod 2^30)
    note guid = genanki.guid_for("quizgen", problem ref, lang)     (lang: en, zh or zh-Hant)
    model ids: fixed constants (one card type for concepts, one for problems)

The ids depend only on what the cards are about, so importing a regenerated deck updates
the cards instead of adding copies.  Math is `\\( … \\)`, which Anki renders with MathJax.
"""

from __future__ import annotations

import hashlib
import os
import tempfile

from quizgen import kinds
from quizgen.export.html import html, inline, key_points_html, steps_html
from quizgen.model import Problem, Sheet

CONCEPT_MODEL_ID = 1607392319
PROBLEM_MODEL_ID = 1607392320
LETTERS = "abcdefghijklmnopqrstuvwxyz"
CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; } pre { text-align: left; }"
WORDS = {"en": {"answer": "Answer", "solution": "Worked solution", "points": "Key points"},
         "zh": {"answer": "答案", "solution": "详细解答", "points": "要点"},
         "zh-Hant": {"answer": "答案", "solution": "詳細解答", "points": "要點"}}


def deck_id(title: str, lang: str) -> int:
    digest = hashlib.sha256(f"quizgen deck/{title}/{lang}".encode("utf-8")).digest()
    return 2**30 + int.from_bytes(digest[:8], "big") % 2**30


def _models():
    import genanki

    template = [{"name": "Card 1", "qfmt": "{{Front}}",
                 "afmt": "{{FrontSide}}<hr id=answer>{{Back}}<div style='color:gray;font-size:12px'>{{Ref}}</div>"}]
    fields = [{"name": "Front"}, {"name": "Back"}, {"name": "Ref"}]
    return (genanki.Model(CONCEPT_MODEL_ID, "quizgen concept", fields=fields, templates=template, css=CSS),
            genanki.Model(PROBLEM_MODEL_ID, "quizgen problem", fields=fields, templates=template, css=CSS))


def front(problem: Problem, lang: str) -> str:
    lang = "zh" if lang.startswith("zh") else lang
    out = html(problem.statement.get(lang))
    for part in problem.parts:
        if len(problem.parts) > 1 or part.kind != "text":
            out += f"<p><b>({part.id})</b> {inline(part.prompt.get(lang))}</p>"
        if part.choices and (part is problem.parts[0] or part.choices != problem.parts[0].choices):
            out += "<p>" + "<br>".join(f"{letter}) {inline(c.get(lang))}"
                                       for letter, c in zip(LETTERS, part.choices)) + "</p>"
    return out


def back(problem: Problem, lang: str) -> str:
    w = WORDS.get(lang, WORDS["en"])
    lang = "zh" if lang.startswith("zh") else lang  # zh-Hant: the sheet's zh texts are converted
    if all(p.kind == "text" for p in problem.parts):
        model = problem.steps[0].get(lang) if problem.steps else ""
        points = "".join(key_points_html(p, lang) for p in problem.parts)
        return html(model) + (f"<p><b>{w['points']}</b></p>{points}" if points else "")
    answers = "<br>".join(f"({p.id}) {inline(kinds.show(p, p.answer)) if p.kind != 'text' else ''}"
                          for p in problem.parts)
    return f"<p><b>{w['answer']}</b><br>{answers}</p><p><b>{w['solution']}</b></p>{steps_html(problem, lang)}"


def build_deck(sheet: Sheet, lang: str):
    import genanki

    concept_model, problem_model = _models()
    deck = genanki.Deck(deck_id(sheet.title, lang), f"quizgen::{sheet.title}")
    for problem in sheet.problems:
        model = concept_model if problem.family == "bank" else problem_model
        deck.add_note(genanki.Note(model=model, fields=[front(problem, lang), back(problem, lang), problem.ref],
                                   guid=genanki.guid_for("quizgen", problem.ref, lang), sort_field=problem.ref))
    return deck


def to_anki(sheet: Sheet, lang: str) -> bytes:
    import genanki

    deck = build_deck(sheet, lang)
    fd, path = tempfile.mkstemp(suffix=".apkg")
    os.close(fd)
    try:
        genanki.Package(deck).write_to_file(path)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)
