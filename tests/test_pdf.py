"""PDF export through Typst: English, Chinese with a CJK font, and the clear error without one."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest

from conftest import all_math_spans
from quizgen.errors import QuizgenError
from quizgen.render import typst as typst_render
from quizgen.sheet import generate_sheet


def pdf_text(data: bytes) -> str:
    """Text of a PDF via pdftotext when present (poppler-utils), else skip that assertion."""
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_source_has_title_seed_ids_and_sections():
    sheet = generate_sheet(["cnn"], 4, 3)
    src = typst_render.typst_source(sheet, "en", "solutions", datetime.date(2026, 1, 2))
    assert "2026-01-02" in src and "seed" in src and "cnn.shape\\#" in src
    assert src.count("#pagebreak()") == 2 and "Answer key" in src and "Worked solutions" in src
    assert "#pagebreak()" not in typst_render.typst_source(sheet, "en", "none")


def test_escape_neutralises_markup():
    assert typst_render.escape("#set [x] $y$ *b* _i_ @r <l> //c") == \
        "\\#set \\[x\\] \\$y\\$ \\*b\\* \\_i\\_ \\@r \\<l\\> \\/\\/c"


def test_english_pdf_contains_the_key():
    sheet = generate_sheet(["cnn.params"], 2, 3)
    data = typst_render.to_pdf(sheet, "en", "key")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Answer key" in text
    assert f"{sheet.problems[0].parts[0].answer:,}" in text


def test_chinese_pdf_with_cjk_font():
    if not typst_render.cjk_font_available():
        pytest.skip("no CJK font installed (CI installs fonts-wqy-microhei)")
    sheet = generate_sheet(["cnn"], 3, 3, lang="zh")
    text = pdf_text(typst_render.to_pdf(sheet, "zh", "solutions"))
    assert "答案" in text and "第 1 题" in text


def test_chinese_pdf_without_cjk_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(typst_render, "cjk_font_available", lambda: False)
    sheet = generate_sheet(["cnn"], 1, 3, lang="zh")
    with pytest.raises(QuizgenError, match="CJK font.*fonts-wqy-microhei"):
        typst_render.to_pdf(sheet, "zh")


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_difficulty_compiles(difficulty, lang):
    if lang == "zh" and not typst_render.cjk_font_available():
        pytest.skip("no CJK font installed")
    sheet = generate_sheet([], 8, 17, difficulty, lang)
    assert typst_render.to_pdf(sheet, lang, "solutions").startswith(b"%PDF")


def test_every_math_span_of_bank_and_families_compiles_in_typst():
    """tex2typst output must be valid for this Typst (e.g. \\odot once came out as a removed name).
    Every family of the registry (all difficulties, 20 seeds) and every bank item, compiled as
    one document; the terminal side is tests/test_mathtext.py."""
    import typst

    spans = all_math_spans()
    assert len(spans) > 300
    doc = "\n\n".join(typst_render.math(sp) for sp in spans)
    try:
        typst.compile(doc.encode("utf-8"), format="pdf")
    except typst.TypstError:
        bad = []
        for sp in spans:
            try:
                typst.compile(typst_render.math(sp).encode("utf-8"), format="pdf")
            except typst.TypstError as exc:
                bad.append(f"{sp!r} -> {typst_render.math(sp)}: {exc.message}")
        pytest.fail("math spans that do not compile:\n" + "\n".join(bad))


def test_matching_options_are_listed_once():
    from rich.console import Console

    from quizgen.concept_problems import to_problem
    from quizgen.concepts import load_bank
    from quizgen.model import Sheet
    from quizgen.render.markdown import to_markdown
    from quizgen.render.terminal import problem_panel

    item = next(i for i in load_bank(()).items if i.type == "matching")
    problem = to_problem(item)
    option = problem.parts[0].choices[-1].en
    sheet = Sheet("t", None, "easy", "en", (), (problem,))
    assert typst_render.typst_source(sheet, "en", "none").count(typst_render.inline(option)) == 1
    assert to_markdown(sheet, "en", "none").count(option) == 1
    console = Console(width=200, record=True)
    console.print(problem_panel(problem, 1, "en"))
    assert console.export_text().count(option) == 1
    assert typst_render.to_pdf(sheet, "en", "key").startswith(b"%PDF")


def test_poppler_suspects_warning_comes_from_typst_itself():
    """poppler prints "Suspects object is wrong type (boolean)" for every Typst PDF: Typst writes
    /MarkInfo <</Marked true /Suspects false>>, a boolean as the PDF spec (ISO 32000, 14.7.1)
    defines it.  A bare Typst document gets the same warning, so it is not our markup."""
    import typst

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    bare = typst.compile(b"hello", format="pdf")
    assert b"/Suspects false" in bare

    def warnings(data: bytes) -> str:
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True).stderr.decode()

    ours = typst_render.to_pdf(generate_sheet(["cnn"], 2, 1), "en")
    assert warnings(ours) == warnings(bare)
