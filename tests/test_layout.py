"""One layout, three backends: blocks, trace tables, figures, inline code, room to work."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from quizgen import figures
from quizgen.model import Figure, Sheet, t
from quizgen.registry import get_family
from quizgen.render import layout
from quizgen.render.markdown import to_markdown
from quizgen.render.terminal import problem_panel
from quizgen.render.typst import typst_source
from quizgen.sheet import build_problem, generate_problem

FIGS = [Figure("points", {"points": [[3, 3, "x1", 1], [4, 3, "x2", 1], [1, 1, "x3", -1]],
                          "lines": [[0, 0, 0, "w0"], [1, 1, -3, "final"]]}, t("Samples", "样本")),
        Figure("heatmap", {"matrix": [[0.7, 0.3], [0.1, 0.9]], "rows": ["q1", "q2"], "cols": ["k1", "k2"]},
               t("Attention", "注意力")),
        Figure("graph", {"nodes": [["x", "x", 0, 0.5], ["m", "×", 0.5, 0.5], ["y", "y", 1, 0.5]],
                         "edges": [["x", "m", "2"], ["m", "y", ""]]}, t("Graph", "计算图"))]


def console_text(renderable) -> str:
    from rich.console import Console

    console = Console(width=100, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("fig", FIGS, ids=lambda f: f.kind)
def test_figures_are_valid_svg_and_have_a_text_fallback(fig):
    root = ET.fromstring(figures.svg(fig))
    assert root.tag.endswith("svg")
    assert figures.text(fig, "en").strip()


def test_boundary_line_is_clipped_to_the_box():
    svg = figures.svg(FIGS[0])
    line = [e for e in ET.fromstring(svg).iter() if e.tag.endswith("line") and e.get("stroke-width")]
    assert len(line) == 1  # the all-zero initial boundary has no line; the final one does


def trace_problem():
    fam = get_family("training.predict")
    return generate_problem(fam, 5, "medium")


def test_a_trace_gets_an_empty_table_in_every_backend():
    p = trace_problem()
    table = [b for b in layout.problem_blocks(p, 1, "en") if b.kind == "table"]
    assert table and table[0].extra["columns"] == ["step", "w2", "b2", "W1", "b1", "E"]
    assert [row[0] for row in table[0].items] == ["1", "2"]
    text = console_text(problem_panel(p, 1, "en"))
    assert "(b)" in text and "w2" in text and "1.ROW" in text
    sheet = Sheet("s", 1, "medium", "en", (), (p,))
    assert "| step | w2 | b2 | W1 | b1 | E |" in to_markdown(sheet, "en")
    assert "#table(columns: (auto, 1fr" in typst_source(sheet, "en")


def test_inline_code_is_code_not_backticks():
    fam = get_family("cnn.params")
    p = next(generate_problem(fam, s, "medium") for s in range(50)
             if "`" in generate_problem(fam, s, "medium").statement.en)
    assert "`" not in console_text(problem_panel(p, 1, "en"))
    assert "#raw(" in typst_source(Sheet("s", 1, "medium", "en", (), (p,)), "en")


def test_room_to_work_scales_with_the_problem():
    small = generate_problem(get_family("cnn.params"), 1, "easy")
    big = trace_problem()
    assert layout.work_lines(big) > 2 * layout.work_lines(small)


def test_figures_reach_the_pdf_and_markdown():
    import typst

    p = build_problem(get_family("cnn.shape"), {"input": [1, 8, 8], "layers": [{"type": "maxpool", "k": 2}]},
                      None, "custom")
    p = type(p)(**{**p.__dict__, "figures": tuple(FIGS)})
    sheet = Sheet("s", 1, "custom", "en", (), (p,))
    source = typst_source(sheet, "en")
    assert source.count('format: "svg"') == 3
    assert typst.compile(source.encode(), format="pdf")[:4] == b"%PDF"
    assert to_markdown(sheet, "en").count("data:image/svg+xml;base64,") == 3
    assert "x1 (3, 3) +" in console_text(problem_panel(p, 1, "en"))


def test_words_exist_in_both_languages():
    assert set(layout.WORDS["en"]) == set(layout.WORDS["zh"])


def test_boundary_text_is_written_as_by_hand():
    from quizgen.figures import _linear

    assert _linear(-1, -2, 1) == "−x₁ − 2·x₂ + 1"
    assert _linear(0.5, 1, -3) == "0.5·x₁ + x₂ − 3"
    assert _linear(0, 0, 0) == "0"


def test_a_filled_key_table_in_the_solution():
    p = trace_problem()
    columns, rows = layout.key_table(p)
    assert columns == ["w2", "b2", "W1", "b1", "E"] and len(rows) == 2
    shown = [r for r in layout.key_rows(p, 1, "en", skip_table=True)]
    assert [label for label, _, _ in shown] == ["1a"]  # E before training is outside the table
    from quizgen.render.terminal import solution_panel

    text = console_text(solution_panel(p, 1, "en"))
    assert rows[1][1][4] in text


def test_a_wide_key_table_is_one_cell_per_row_in_the_pdf():
    """backprop.mlp's trace has 15 columns: a page's width / 16 cannot hold a vector, so the
    PDF key names each row's values in one cell instead (the narrow one keeps its columns)."""
    from quizgen.render.typst import WIDE_TABLE_COLUMNS, _key_table, escape

    wide = generate_problem(get_family("backprop.mlp"), 5, "hard")
    columns, rows = layout.key_table(wide)
    assert len(columns) > WIDE_TABLE_COLUMNS
    source = _key_table(wide, "en")
    assert source.startswith("#table(columns: (auto, 1fr)")
    first = " #h(1em) ".join(f"#box[{escape(c)} = {escape(v)}]" for c, v in zip(columns, rows[0][1]) if v)
    assert f"[1], [{first}]" in source and first.count("=") >= 2
    narrow = trace_problem()
    assert _key_table(narrow, "en").startswith(f"#table(columns: {len(layout.key_table(narrow)[0]) + 1},")
    sheet = typst_source(Sheet("t", 1, "hard", "en", (), (wide,)), "en", "none")  # the table to fill in
    assert "#table(columns: (auto, 1fr), inset" in sheet and "#box[z1 #text(fill: luma(170))[(a)] #box(" in sheet


def test_a_figure_that_shows_an_answer_is_drawn_only_with_the_key():
    from quizgen.render.terminal import solution_panel

    fam = get_family("perceptron.rosenblatt")
    p = next(q for q in (generate_problem(fam, s, "medium") for s in range(30)) if any(f.key for f in q.figures))
    assert [b for b in layout.problem_blocks(p, 1, "en") if b.kind == "figure" and b.figure.key] == []
    assert "final: " not in console_text(problem_panel(p, 1, "en"))  # the text of the final boundary
    assert "final: " in console_text(solution_panel(p, 1, "en"))
    sheet = Sheet("s", 1, "medium", "en", (), (p,))
    source = typst_source(sheet, "en", answers="none")
    assert source.count('format: "svg"') == len([f for f in p.figures if not f.key])
    assert typst_source(sheet, "en").count('format: "svg"') == len(p.figures)
    assert to_markdown(sheet, "en", answers="none").count("data:image/svg") == len([f for f in p.figures if not f.key])
