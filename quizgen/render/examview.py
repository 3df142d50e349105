"""The timed mock exam on a console: the quiz's console plus the clock and the marked result.

    prompt   `[1:58:30] 1a › ` on a terminal; piped runs keep the plain `1a: <answer>` echo
    clock    `Time left: 1:58:30` above every problem
    result   marks per question and section, as on the paper, and the total
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text as RichText

from quizgen.render.quizview import ConsoleIO, duration
from quizgen.text import by_lang
from quizgen.timed_exam import ExamResult, clock_text

EW = by_lang({
    "en": {"left": "Time left: {t}", "start": "Mock exam · {total} marks · {minutes} · seed {seed}",
           "minutes": "{m:g} min", "result": "Marked result", "col_n": "#", "col_question": "question",
           "col_marks": "marks", "section": "{title}", "total": "Total: {got:g} of {total} marks ({pct:.0f}%) in {time}",
           "reason": {"time": "Time is up.", "quit": "You quit.", "eof": "End of input.",
                      "interrupt": "Interrupted.", "done": "All questions answered."},
           "saved": "Result saved to {path}"},
    "zh": {"left": "剩余时间：{t}", "start": "模拟考试 · 共 {total} 分 · {minutes} · 随机种子 {seed}",
           "minutes": "{m:g} 分钟", "result": "评分结果", "col_n": "#", "col_question": "题目",
           "col_marks": "得分", "section": "{title}", "total": "合计：{got:g} / {total} 分（{pct:.0f}%），用时 {time}",
           "reason": {"time": "时间到。", "quit": "已退出。", "eof": "输入结束。",
                      "interrupt": "已中断。", "done": "全部作答完毕。"},
           "saved": "成绩已保存到 {path}"},
})


class ExamConsoleIO(ConsoleIO):
    """ConsoleIO with the time left in every prompt and above every problem."""

    remaining = None  # set by the run: () -> seconds left

    def _read(self, prompt: str, echo: str) -> str:
        if self.interactive and self.remaining is not None:
            prompt = f"[{clock_text(self.remaining())}] {prompt}"
        return super()._read(prompt, echo)

    def show_problem(self, problem, number: int, total: int) -> None:
        super().show_problem(problem, number, total)
        if self.remaining is not None:
            self._say(RichText(EW[self.lang]["left"].format(t=clock_text(self.remaining())), style="bold yellow"))

    def show_start(self, total: int, minutes: float, seed: int) -> None:
        w = EW[self.lang]
        self._say(RichText(w["start"].format(total=total, minutes=w["minutes"].format(m=minutes), seed=seed),
                           style="bold"))

    def show_result(self, result: ExamResult, saved_to: str | None = None) -> None:
        self.console.print()
        self._say(RichText(EW[self.lang]["reason"][result.reason], style="dim"))
        self.console.print(result_view(result, self.lang))
        if saved_to:
            self._say(RichText(EW[self.lang]["saved"].format(path=saved_to), style="dim"))


def result_view(result: ExamResult, lang: str) -> Group:
    """A table of marks per question (grouped by section, as on the paper) and the total."""
    w = EW[lang]
    table = Table(title=w["result"], title_justify="left", header_style="bold")
    table.add_column(w["col_n"], justify="right")
    table.add_column(w["col_question"])
    table.add_column(w["col_marks"], justify="right")
    problems = result.exam.sheet.problems
    sections = iter(result.sections(lang))
    last = None
    for i, (problem, marks, section) in enumerate(zip(problems, result.exam.marks, result.exam.sections)):
        if section != last:
            title, got, out_of = next(sections)
            table.add_row("", RichText(title, style="bold"), RichText(f"{got:g} / {out_of}", style="bold"))
            last = section
        got = result.awarded[i]
        style = "green" if got >= marks else ("red" if got < marks / 2 else "yellow")
        table.add_row(str(i + 1), problem.title.get(lang), RichText(f"{got:g} / {marks}", style=style))
    total = result.exam.total
    line = RichText(w["total"].format(got=result.marks, total=total, pct=100 * result.marks / total,
                                      time=duration(result.seconds)), style="bold")
    return Group(table, line)
