"""One page layout for every output: a problem becomes a list of blocks, and the terminal,
Typst and Markdown backends only draw blocks.

    heading     number, title, ref (family#seed · difficulty)
    statement   text with $math$, `code` and ``` code blocks
    choices     options listed once for all parts (matching items)
    part        id, prompt, format hint, its own options
    table       an empty table to fill in, one row per step of a trace (columns in order)
    figure      a Figure (SVG in the PDF and Markdown, text in the terminal)
    note        the stated tolerance, the conventions
    space       room to work, scaled to the problem (lines)
    lines       lined space for an essay answer

`key_rows` gives the answer key (label, shown answer, key points) and `solution_steps` the
worked solution.  Every word a reader sees around the content is in `WORDS`, in en and zh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizgen import kinds
from quizgen.model import Figure, Part, Problem, Sheet
from quizgen.render.blocks import shared_choices
from quizgen.text import by_lang

WORDS = by_lang({
    "en": {"problem": "Problem {n}", "key": "Answer key", "solutions": "Worked solutions", "seed": "seed",
           "conventions": "Conventions", "ids": "Problem ids", "work": "Work space", "date": "Date",
           "step": "step", "table": "Fill in one row per step; answer a row as `{n}.ROW: " "cell | cell | …`.",
           "sheet": "{title} — seed {seed}, {difficulty}", "figure": "Figure",
           "difficulty": {"easy": "easy", "medium": "medium", "hard": "hard", "custom": "custom"},
           "name": "Name", "id": "Student id"},
    "zh": {"problem": "第 {n} 题", "key": "答案", "solutions": "详细解答", "seed": "随机种子",
           "conventions": "约定", "ids": "题目编号", "work": "演算区", "date": "日期",
           "step": "步", "table": "每步填一行；也可按行作答：`{n}.行号: 格 | 格 | …`。",
           "sheet": "{title} — 随机种子 {seed}，{difficulty}", "figure": "图",
           "difficulty": {"easy": "简单", "medium": "中等", "hard": "困难", "custom": "自定义"},
           "name": "姓名", "id": "学号"},
})


def word(lang: str, key: str, **kw: Any) -> str:
    text = WORDS[lang if lang in ("zh", "zh-Hant") else "en"][key]
    return text.format(**kw) if kw else text


def difficulty(lang: str, name: str) -> str:
    return WORDS[lang if lang in ("zh", "zh-Hant") else "en"]["difficulty"].get(name, name)


def sheet_heading(sheet: Sheet, lang: str) -> str:
    return word(lang, "sheet", title=sheet.title, seed=sheet.seed, difficulty=difficulty(lang, sheet.difficulty))


def letter(i: int) -> str:
    return chr(97 + i)


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""
    items: tuple = ()
    part: Part | None = None
    figure: Figure | None = None
    size: int = 0
    extra: dict = field(default_factory=dict)


def trace_table(problem: Problem) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """(column headers, [(step, [part id per column])]) for a trace with two or more rows and columns."""
    rows: dict[int, list[Part]] = {}
    for part in problem.parts:
        if part.step is not None and part.column:
            rows.setdefault(part.step, []).append(part)
    if len(rows) < 2:
        return None
    columns: list[str] = []
    for parts in rows.values():
        for part in parts:
            if part.column not in columns:
                columns.append(part.column)
    if len(columns) < 2:
        return None  # one value per step: the parts list says it all
    table = []
    for step, parts in sorted(rows.items()):
        by_col = {p.column: p.id for p in parts}
        table.append((step, [by_col.get(c, "") for c in columns]))
    return columns, table


def column_hints(problem: Problem, lang: str) -> str:
    """`net: a number, like 0.125; updated: yes or no; ...`, one entry per table column."""
    seen: dict[str, str] = {}
    for part in problem.parts:
        if part.step is not None and part.column and part.column not in seen:
            seen[part.column] = kinds.FORMATS[part.kind].get(lang)
    return "; ".join(f"{c}: {h}" for c, h in seen.items())


def key_table(problem: Problem) -> tuple[list[str], list[tuple[str, list[str]]]] | None:
    """The trace table filled in with the key: (column headers, [(step, [shown answer])])."""
    table = trace_table(problem)
    if not table:
        return None
    columns, rows = table
    shown = {p.id: kinds.show(p, p.answer) for p in problem.parts}
    return columns, [(str(step), [shown.get(i, "") for i in ids]) for step, ids in rows]


def work_lines(problem: Problem) -> int:
    """Room to work, in lines: more parts, bigger values and more trace rows need more."""
    extra = {"matrix": 3, "vector": 1.5, "truthtable": 3, "expression": 2, "real": 1.2}
    need = 2 + sum(extra.get(p.kind, 0.8) for p in problem.parts)
    return int(min(30, max(3, need)))


def problem_blocks(problem: Problem, number: int, lang: str, workspace: bool = False) -> list[Block]:
    """The problem as blocks: heading, statement, figures, options, parts, notes, room to work."""
    out = [Block("heading", problem.title.get(lang), extra={"head": word(lang, "problem", n=number),
                                                             "ref": f"{problem.ref} · {difficulty(lang, problem.difficulty)}"}),
           Block("statement", problem.statement.get(lang))]
    for figure in problem.figures:
        if not figure.key:
            out.append(Block("figure", figure.caption.get(lang), figure=figure))
    shared = shared_choices(problem.parts)
    if shared:
        out.append(Block("choices", items=tuple((letter(i), c.get(lang)) for i, c in enumerate(shared))))
    table = trace_table(problem)
    in_table = {pid for _, ids in (table[1] if table else []) for pid in ids}
    for part in problem.parts:
        if part.id in in_table:
            continue  # asked through the table below
        own = () if shared else tuple((letter(i), c.get(lang)) for i, c in enumerate(part.choices))
        out.append(Block("part", part.prompt.get(lang), items=own, part=part,
                         extra={"hint": kinds.FORMATS[part.kind].get(lang)}))
    if table:
        columns, rows = table
        out.append(Block("table", word(lang, "table", n=number),
                         items=tuple((str(step), ids) for step, ids in rows),
                         extra={"columns": [word(lang, "step"), *columns], "hints": column_hints(problem, lang)}))
    for line in kinds.tolerance_lines(problem.parts):
        out.append(Block("note", line.get(lang), extra={"role": "tolerance"}))
    if problem.conventions:
        out.append(Block("note", " ".join(c.get(lang) for c in problem.conventions),
                         extra={"role": "conventions", "label": word(lang, "conventions")}))
    if workspace:
        if any(p.kind == "text" for p in problem.parts):
            out.append(Block("lines", size=8))
        else:
            out.append(Block("space", size=work_lines(problem)))
    return out


def key_rows(problem: Problem, number: int, lang: str, skip_table: bool = False) -> list[tuple[str, str, list[str]]]:
    """(label like 3b, the answer as shown, key points) for each part (with `skip_table`, only
    the parts that `key_table` does not already show)."""
    table = trace_table(problem) if skip_table else None
    in_table = {pid for _, ids in (table[1] if table else []) for pid in ids}
    rows = []
    for part in problem.parts:
        if part.id in in_table:
            continue
        if part.kind == "text":
            model = problem.steps[0].get(lang) if problem.steps else str(part.answer)
            rows.append((f"{number}{part.id}", model, [k.get(lang) for k in part.key_points]))
        else:
            rows.append((f"{number}{part.id}", kinds.show(part, part.answer), []))
    return rows


def key_figures(problem: Problem, lang: str) -> list[Block]:
    """Figures that show an answer: drawn with the key and the worked solution only."""
    return [Block("figure", f.caption.get(lang), figure=f) for f in problem.figures if f.key]


def solution_steps(problem: Problem, lang: str) -> list[str]:
    return [step.get(lang) for step in problem.steps]
