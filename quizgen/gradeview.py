"""The gradebook in the terminal (rich): scores per student, then the parts some student got
wrong or left blank, most wrong first (`--json` has every part).

All text goes through `rich.text.Text`, never rich markup (names and answers print as typed).
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from quizgen.gradebook import Gradebook
from quizgen.hant import HANT, text_in, to_hant
from quizgen.mathtext import to_unicode

WORDS = {
    "en": {"students": "Gradebook", "id": "id", "name": "name", "total": "total", "status": "status",
           "parts": "What the class got wrong", "part": "part", "family": "family", "wrong": "wrong", "blank": "blank",
           "top": "most common named mistake", "missing": "No answers file", "unreadable": "Unreadable answers",
           "unknown": "Answer files for no student", "mean": "class mean",
           "all_right": "Every graded part was answered right."},
    "zh": {"students": "成绩单", "id": "学号", "name": "姓名", "total": "总分", "status": "状态",
           "parts": "全班错误分布", "part": "小题", "family": "题型", "wrong": "答错", "blank": "未答",
           "top": "最常见的已知错误", "missing": "缺少答案文件", "unreadable": "无法读取的答案",
           "unknown": "不属于任何学生的答案文件", "mean": "全班平均",
           "all_right": "所有已评小题全部答对。"},
}


def print_gradebook(book: Gradebook, lang: str, console: Console) -> None:
    w = WORDS["zh" if lang.startswith("zh") else "en"]
    if lang == HANT:
        w = {k: to_hant(v) for k, v in w.items()}
    table = Table(title=w["students"])
    for col in (w["id"], w["name"], *[f"p{i}" for i in range(1, book.problems + 1)], w["total"]):
        table.add_column(col, justify="right" if col.startswith("p") or col == w["total"] else "left")
    graded = [s for s in book.students if s.status == "graded"]
    for s in book.students:
        if s.status == "graded":
            cells = [_num(x) for x in s.problems] + [""] * (book.problems - len(s.problems))
            total = f"{_num(s.total)}/{s.out_of}"
        else:
            cells, total = [""] * book.problems, s.status
        table.add_row(RichText(s.id), RichText(s.name), *cells, total)
    if graded:
        mean = sum(s.total / s.out_of for s in graded if s.out_of) / len(graded)
        table.caption = f"{w['mean']}: {mean:.0%} ({len(graded)}/{len(book.students)})"
    console.print(table)
    parts = Table(title=w["parts"])
    for col in (w["part"], w["family"], w["wrong"], w["blank"], w["top"]):
        parts.add_column(col, overflow="fold")
    trouble = [p for p in book.parts if p.wrong or p.blank]
    for p in sorted(trouble, key=lambda p: (-p.wrong, -p.blank, p.problem, p.part)):
        top = p.top_mistake()
        text = "" if top is None else f"{top[0]} ×{top[1]}: {to_unicode(text_in(p.explanations[top[0]], lang))}"
        parts.add_row(p.label, p.family, f"{p.wrong}/{p.graded}", f"{p.blank}", RichText(text))
    if trouble:
        console.print(parts)
    elif graded:
        console.print(RichText(w["all_right"], style="green"))
    for head, items in ((w["missing"], book.missing),
                        (w["unreadable"], [f"{s.id}: {s.error}" for s in book.unreadable]),
                        (w["unknown"], book.unknown_files)):
        if items:
            console.print(RichText(f"{head}: " + "; ".join(items), style="yellow"))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
