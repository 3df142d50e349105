"""Terminal rendering with rich: problems, worked solutions, check results.

Math is shown as readable Unicode (`quizgen.mathtext`); all text goes through
`rich.text.Text`, never through rich markup, so brackets in statements print as typed.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from quizgen import kinds
from quizgen.mathtext import to_unicode
from quizgen.model import Problem, Sheet
from quizgen.render.blocks import blocks, shared_choices

STATUS_STYLE = {"correct": "bold green", "carried": "green", "wrong": "bold red", "format": "yellow",
                "missing": "dim", "self": "cyan"}
STATUS_WORD = {
    "en": {"correct": "correct", "carried": "correct (carried forward)", "wrong": "wrong",
           "format": "format error", "missing": "missing", "self": "self-graded"},
    "zh": {"correct": "正确", "carried": "正确（沿用前值）", "wrong": "错误", "format": "格式错误",
           "missing": "未作答", "self": "自评"},
}
WORDS = {
    "en": {"problem": "Problem", "parts": "Answer", "conventions": "Conventions", "solution": "Worked solution",
           "answer": "Answer", "part": "Part", "status": "Result", "given": "Yours", "expected": "Key",
           "feedback": "Feedback", "summary": "{ok} of {n} parts correct", "tolerance": "Tolerance"},
    "zh": {"problem": "第 {n} 题", "parts": "作答", "conventions": "约定", "solution": "详细解答",
           "answer": "答案", "part": "小题", "status": "结果", "given": "你的答案", "expected": "答案",
           "feedback": "反馈", "summary": "{n} 个小题中答对 {ok} 个", "tolerance": "容差"},
}


def statement(text: str) -> Group:
    """A statement as rich renderables: text with Unicode math, code blocks highlighted."""
    items = []
    for kind, piece in blocks(text):
        if kind == "code":
            from rich.syntax import Syntax  # pygments is slow to import: only when there is code

            items.append(Syntax(piece, "python", theme="ansi_dark", background_color="default"))
        else:
            items.append(RichText(to_unicode(piece)))
    return Group(*items)


def problem_title(problem: Problem, number: int, lang: str) -> str:
    head = f"Problem {number}" if lang == "en" else WORDS["zh"]["problem"].format(n=number)
    return f"{head} · {problem.title.get(lang)}"


def problem_id(problem: Problem) -> str:
    return f"{problem.ref} · {problem.difficulty}"


def part_lines(problem: Problem, lang: str) -> RichText:
    out = RichText()
    shared = shared_choices(problem.parts)
    for i, choice in enumerate(shared):
        out.append(f"{chr(97 + i)}) {to_unicode(choice.get(lang))}\n")
    if shared:
        out.append("\n")
    for part in problem.parts:
        out.append(f"({part.id}) ", style="bold")
        out.append(to_unicode(part.prompt.get(lang)))
        out.append(f"  [{kinds.FORMATS[part.kind].get(lang)}]", style="dim")
        for i, choice in enumerate(() if shared else part.choices):
            out.append(f"\n     {chr(97 + i)}) {to_unicode(choice.get(lang))}")
        out.append("\n")
    for line in kinds.tolerance_lines(problem.parts):
        out.append(to_unicode(line.get(lang)) + "\n", style="dim")
    out.rstrip()
    return out


def conventions(problem: Problem, lang: str) -> RichText:
    out = RichText(WORDS[lang]["conventions"] + ": ", style="dim italic")
    out.append(" ".join(to_unicode(c.get(lang)) for c in problem.conventions), style="dim")
    return out


def problem_panel(problem: Problem, number: int, lang: str) -> Panel:
    body = [statement(problem.statement.get(lang)), RichText(""), part_lines(problem, lang)]
    if problem.conventions:
        body += [RichText(""), conventions(problem, lang)]
    return Panel(Group(*body), title=problem_title(problem, number, lang), title_align="left",
                 subtitle=problem_id(problem), subtitle_align="right", border_style="blue")


def solution_panel(problem: Problem, number: int, lang: str) -> Panel:
    w = WORDS[lang]
    steps = RichText()
    for i, step in enumerate(problem.steps, 1):
        steps.append(f"{i}. ", style="bold")
        steps.append(to_unicode(step.get(lang)) + "\n")
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    table.add_column(w["part"])
    table.add_column(w["answer"])
    for part in problem.parts:
        if part.kind == "text":
            shown = "\n".join(f"• {to_unicode(k.get(lang))}" for k in part.key_points)
        else:
            shown = kinds.show(part, part.answer)
        table.add_row(f"({part.id})", RichText(shown))
    head = f"{w['solution']} · {number}"
    rows = trace_table(problem, lang)
    body = (steps, rows, RichText(""), table) if rows is not None else (steps, table)
    return Panel(Group(*body), title=head, title_align="left", border_style="green")


def trace_table(problem: Problem, lang: str) -> Table | None:
    """A trace's answers as its table (one row per step, one column per `Part.column`), when the
    same columns recur over at least two steps (optim.steps: g, b, w ...); None otherwise."""
    placed = [p for p in problem.parts if p.step is not None and p.column]
    steps = sorted({p.step for p in placed})
    columns = list(dict.fromkeys(p.column for p in placed))
    if len(steps) < 2 or any(sum(p.column == c for p in placed) < 2 for c in columns):
        return None  # a table only where the same quantities recur step after step
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    table.add_column("t" if lang == "en" else "步")
    for col in columns:
        table.add_column(col, justify="right", overflow="fold")
    cells = {(p.step, p.column): kinds.show(p, p.answer) for p in placed}
    for step in steps:
        table.add_row(str(step), *(cells.get((step, col), "") for col in columns))
    return table


def print_sheet(sheet: Sheet, lang: str, solutions: bool, console: Console) -> None:
    console.print(RichText(f"{sheet.title} — seed {sheet.seed}, {sheet.difficulty}", style="bold"))
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
                      RichText(to_unicode(r.feedback.get(lang)) if r.feedback else ""))
    return table


def print_results(results, lang: str, console: Console) -> None:
    console.print(results_table(results, lang))
    ok = sum(r.status in ("correct", "carried") for r in results)
    console.print(RichText(WORDS[lang]["summary"].format(ok=ok, n=len(results)), style="bold"))
