"""Sheets for other tools: Moodle XML, Canvas QTI 1.2 (zip), Anki (.apkg).

`export_sheet(sheet, fmt, lang)` returns the file's bytes; `SUFFIX[fmt]` is its extension.
Every exporter writes math as MathJax `\\( ... \\)` (quizgen.export.html).
"""

from __future__ import annotations

from quizgen.errors import QuizgenError
from quizgen.model import Sheet

SUFFIX = {"moodle": ".xml", "qti": ".zip", "anki": ".apkg"}


def export_sheet(sheet: Sheet, fmt: str, lang: str) -> bytes:
    if fmt == "moodle":
        from quizgen.export.moodle import to_moodle

        return to_moodle(sheet, lang)
    if fmt == "qti":
        from quizgen.export.qti import to_qti

        return to_qti(sheet, lang)
    if fmt == "anki":
        from quizgen.export.anki import to_anki

        return to_anki(sheet, lang)
    raise QuizgenError(f"unknown export format {fmt!r}; use {', '.join(SUFFIX)}")
