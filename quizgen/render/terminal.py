"""Terminal backend (rich): draws the layout blocks of `quizgen.render.layout`.

Math is shown as readable Unicode (`quizgen.mathtext`), inline code in a code style; all text
goes through `rich.text.Text`, never through rich markup, so brackets print as typed.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from quizgen.mathtext import to_unicode
from quizgen.model import Problem, Sheet
from quizgen.render import layout
from quizgen.render.blocks import blocks, inline_spans
from quizgen.text import by_lang

STATUS_STYLE = {"correct": "bold green", "carried": "green", "wrong": "bold red", "format": "yellow",
                "missing": "dim", "self": "cyan"}
STATUS_WORD = by_lang({
    "en": {"correct": "correct", "carried": "correct (carried forward)", "wrong": "wrong",
           "format": "format error", "missing": "missing", "self": "self-graded"},
    "zh": {"correct": "正确", "carried": "正确（沿用前值）", "wrong": "错误", "format": "格式错误",
           "missing": "未作答", "self": "自评"},
})
WORDS = by_lang({
    "en": {"solution": "Worked solution", "answer": "Answer", "part": "Part", "status": "Result",
           "given": "Yours", "expected": "Key", "feedback": "Feedback", "summary": "{ok} of {n} parts correct",
           "problem": "Problem {n}"},
    "zh": {"solution": "详细解答", "answer": "答案", "part": "小题", "status": "结果", "given": "你的答案",
           "expected": "答案", "feedback": "反馈", "summary": "{n} 个小题中答对 {ok} 个",
           "problem": "第 {n} 题"},
})


def line(text: str, style: str = "") -> RichText:
    """One piece of text: Unicode math, inline code styled as code."""
    out = RichText(style=style)
    for kind, piece in inline_spans(text):
        if kind == "code":
            out.append(piece, style="bold cyan")
        else:
            out.append(to_unicode(f"${piece}$" if kind == "math" else piece))
    return out


def statement(text: str) -> Group:
    """A statement as rich renderables: text with Unicode math, code blocks highlighted."""
    items = []
    for kind, piece in blocks(text):
        if kind == "code":
            from rich.syntax import Syntax  # pygments is slow to import: only when there is code

            items.append(Syntax(piece, "python", theme="ansi_dark", background_color="default"))
        else:
            items.append(line(piece))
    return Group(*items)


def _grid(columns: list[str], rows, cell=lambda v: v) -> Table:
    table = Table(box=None, padding=(0, 2), header_style="bold", show_edge=False)
    for name in columns:
        table.add_column(name)
    for step, values in rows:
        table.add_row(step, *[line(cell(v)) if v else "" for v in values])
    return table


def _table(block: layout.Block) -> Group:
    grid = _grid(block.extra["columns"], block.items, lambda i: f"({i})")
    return Group(grid, line(block.extra["hints"], "dim"))


def _draw(block: layout.Block):
    if block.kind == "statement":
        return statement(block.text)
    if block.kind == "choices":
        return Group(*[line(f"{k}) {text}") for k, text in block.items])
    if block.kind == "part":
        out = RichText(f"({block.part.id}) ", style="bold")
        out.append_text(line(block.text))
        out.append(f"  [{block.extra['hint']}]", style="dim")
        for k, text in block.items:
            out.append("\n     ")
            out.append_text(line(f"{k}) {text}"))
        return out
    if block.kind == "table":
        return Group(line(block.text, "dim"), _table(block))  # the ids of the table's parts
    if block.kind == "figure":
        from quizgen import figures

        return Group(line(block.text, "italic"), RichText(figures.text(block.figure, "en"), style="cyan"))
    if block.kind == "note":
        if block.extra["role"] == "conventions":
            out = RichText(block.extra["label"] + ": ", style="italic")
            out.append_text(line(block.text))
            return out
        return line(block.text, "dim")
    return None


def problem_panel(problem: Problem, number: int, lang: str) -> Panel:
    body, last = [], None
    head = None
    for block in layout.problem_blocks(problem, number, lang):
        if block.kind == "heading":
            head = block
            continue
        drawn = _draw(block)
        if drawn is None:
            continue
        if last is not None and (block.kind != "part" or last != "part"):
            body.append(RichText(""))
        body.append(drawn)
        last = block.kind
    # titles as Text, not str: a str is read as rich markup ("[b]" would vanish, ":x:" turn emoji)
    return Panel(Group(*body), title=RichText(f"{head.extra['head']} · {head.text}"), title_align="left",
                 subtitle=RichText(head.extra["ref"]), subtitle_align="right", border_style="blue")


def solution_panel(problem: Problem, number: int, lang: str) -> Panel:
    w = WORDS[lang]
    steps = RichText()
    for i, step in enumerate(layout.solution_steps(problem, lang), 1):
        steps.append(f"{i}. ", style="bold")
        steps.append_text(line(step))
        steps.append("\n")
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    table.add_column(w["part"])
    table.add_column(w["answer"])
    for label, shown, points in layout.key_rows(problem, number, lang, skip_table=True):
        cell = RichText("\n".join(f"• {to_unicode(k)}" for k in points)) if points else line(shown)
        table.add_row(f"({label[len(str(number)):]})", cell)
    body = [steps, *(_draw(b) for b in layout.key_figures(problem, lang))]
    filled = layout.key_table(problem)
    if filled:
        body.append(_grid([layout.word(lang, "step"), *filled[0]], filled[1]))
    if table.row_count:
        body.append(table)
    return Panel(Group(*body), title=RichText(f"{w['solution']} · {number}"), title_align="left",
                 border_style="green")


def print_sheet(sheet: Sheet, lang: str, solutions: bool, console: Console) -> None:
    console.print(RichText(layout.sheet_heading(sheet, lang), style="bold"))
    for number, problem in enumerate(sheet.problems, 1):
        console.print(problem_panel(problem, number, lang))
        if solutions:
            console.print(solution_panel(problem, number, lang))


def results_table(results, lang: str) -> Table:
    w = WORDS[lang]
    table = Table(header_style="bold")
    for col in ("part", "status", "given", "expected", "feedback"):
        table.add_column(w[col], overflow="fold")
    for r in results:
        shown = r.read_as if r.read_as is not None else (r.given or "")
        table.add_row(r.label, RichText(STATUS_WORD[lang][r.status], style=STATUS_STYLE[r.status]),
                      RichText(shown), RichText(r.expected if r.status != "correct" else ""),
                      line(r.feedback.get(lang)) if r.feedback else RichText(""))
    return table


def print_problem_title(number: int, problem, lang: str, console: Console) -> None:
    """`Problem 3 · <title>`, the line above a problem's results."""
    title = WORDS[lang]["problem"].format(n=number) + f" · {to_unicode(problem.title.get(lang))}"
    console.print(RichText(title, style="bold"))


def print_results_table(results, lang: str, console: Console) -> None:
    console.print(results_table(results, lang))


def print_summary(results, lang: str, console: Console) -> None:
    ok = sum(r.status in ("correct", "carried") for r in results)
    console.print(RichText(WORDS[lang]["summary"].format(ok=ok, n=len(results)), style="bold"))
