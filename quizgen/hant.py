"""Traditional Chinese (Taiwan usage) at output time: `--lang zh-Hant`.

    to_hant(text) = glossary terms as Taiwanese textbooks write them, and everything
                    between them through OpenCC's s2twp (Simplified -> Taiwan, with phrases);
                    the conversion itself lives in quizgen/hant_text.py (low in the imports)

Text is converted once: s2twp is not idempotent (a second pass turns 表達式 into 表示式),
so an output is either built from `hant_sheet` (Anki) or rendered in Simplified and then
converted whole, labels included (Typst source, Markdown, Moodle XML, QTI files).

The Simplified text stays the only source: a sheet keeps en + zh, and `hant_sheet` converts
its zh texts when a Traditional copy is rendered.  The glossary fixes terms where s2twp
picks the programming sense (参数 -> 引數, 函数 -> 函式, 循环 -> 迴圈, 激活 -> 啟用,
连接 -> 連線, 优化 -> 最佳化) or pins course terms (卷積, 池化, 感知機, 反向傳播) against
changes in OpenCC's dictionaries.  Text in $math$ has no Chinese, so it passes unchanged.

PDFs: Typst needs a CJK font with the Traditional forms (HANT_FONTS); the text is set with
region TW so pan-CJK fonts pick Taiwanese glyph forms.
"""

from __future__ import annotations

import dataclasses

from quizgen.errors import QuizgenError
from quizgen.hant_text import GLOSSARY, HANT, converter, to_hant  # noqa: F401  (the conversion itself)
from quizgen.model import Part, Problem, Sheet, Text

LANG_CHOICES = ("en", "zh", HANT)
HANT_FONTS = ("Noto Sans CJK TC", "Noto Serif CJK TC", "Source Han Sans TC", "Source Han Serif TC",
              "Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
              "AR PL UMing TW", "AR PL UKai TW")


def check_lang(lang: str) -> str:
    if lang not in LANG_CHOICES:
        raise QuizgenError(f"unknown language {lang!r}; use {', '.join(LANG_CHOICES)}")
    return lang


def text_in(t: Text, lang: str) -> str:
    """A text in en, zh or zh-Hant."""
    return to_hant(t.zh) if lang == HANT else t.get(lang)


def _text(t: Text) -> Text:
    return Text(t.en, to_hant(t.zh))


def _part(p: Part) -> Part:
    return dataclasses.replace(p, prompt=_text(p.prompt), choices=tuple(map(_text, p.choices)),
                               key_points=tuple(map(_text, p.key_points)))


def hant_problem(p: Problem) -> Problem:
    return dataclasses.replace(
        p, statement=_text(p.statement), title=_text(p.title), parts=tuple(map(_part, p.parts)),
        steps=tuple(map(_text, p.steps)), conventions=tuple(map(_text, p.conventions)),
        mistakes=tuple(dataclasses.replace(m, explanation=_text(m.explanation)) for m in p.mistakes))


def hant_sheet(sheet: Sheet) -> Sheet:
    """The sheet with every Chinese text in Traditional characters (English unchanged)."""
    return dataclasses.replace(sheet, title=to_hant(sheet.title), problems=tuple(map(hant_problem, sheet.problems)))


def hant_font_available() -> bool:
    import typst

    return bool(set(typst.Fonts().families()) & set(HANT_FONTS))


def to_pdf(sheet: Sheet, answers: str = "key") -> bytes:
    """The sheet's Traditional Chinese PDF (UI labels converted too)."""
    if not hant_font_available():
        raise QuizgenError("Traditional Chinese PDF needs a CJK font with Traditional forms: install "
                           "fonts-noto-cjk or fonts-wqy-microhei (e.g. apt-get install fonts-noto-cjk)")
    from quizgen.render.typst import compile_source

    return compile_source(typst_source(sheet, answers))


def typst_source(sheet: Sheet, answers: str = "key", date=None) -> str:
    """The Typst document of the sheet in Traditional Chinese, Taiwanese glyph forms."""
    from quizgen.render import typst

    source = to_hant(typst.typst_source(sheet, "zh", answers, date))
    return source.replace('lang: "zh")', 'lang: "zh", region: "TW")', 1)


def export(sheet: Sheet, fmt: str, answers: str) -> bytes:
    """Any export format in Traditional Chinese."""
    if fmt == "pdf":
        return to_pdf(sheet, answers)
    if fmt == "md":
        from quizgen.render.markdown import to_markdown

        return to_hant(to_markdown(sheet, "zh", answers)).encode("utf-8")
    if fmt == "moodle":
        from quizgen.export.moodle import to_moodle

        return to_hant(to_moodle(sheet, "zh").decode("utf-8")).encode("utf-8")
    if fmt == "qti":
        from quizgen.export.qti import to_qti

        return _convert_zip(to_qti(sheet, "zh"))
    if fmt == "anki":
        from quizgen.export.anki import to_anki

        return to_anki(hant_sheet(sheet), HANT)
    raise QuizgenError(f"unknown export format {fmt!r}")


def _convert_zip(data: bytes) -> bytes:
    """A zip of UTF-8 text files with every file converted (labels and format hints too)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, to_hant(src.read(info).decode("utf-8")).encode("utf-8"))
    return out.getvalue()
