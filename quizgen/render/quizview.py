"""The quiz on a console: prompts, feedback and the summary, with rich.

One class serves both uses:
    interactive  a terminal: coloured panels, a prompt per part (`1a ›`), line editing
    plain        stdin is a pipe: no prompt text and no ANSI codes; each answer read is echoed
                 as `1a: <answer>` on its own line, so the transcript reads like an answers file
"""

from __future__ import annotations

import sys

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text as RichText

from quizgen import kinds
from quizgen.check import PartResult
from quizgen.mathtext import to_unicode
from quizgen.model import Part, Problem, Text
from quizgen.quiz import Outcome, ProblemRecord, Summary
from quizgen.render.terminal import STATUS_STYLE, STATUS_WORD, problem_panel, solution_panel
from quizgen.text import by_lang

W = by_lang({
    "en": {
        "commands": "?  hint   s  solution   k  skip part   n  skip problem   q  quit",
        "hint": "Hint {i}/{n}", "no_hint": "No more hints; s shows the worked solution.",
        "no_hints": "No hints for this one; s shows the worked solution.",
        "read_as": "read as", "key": "the key is", "skipped": "skipped", "solution": "solution shown, scores 0",
        "after_hints": "score {s:.2f} after {h} hint(s)", "ticked": "{k} of {n} key points",
        "ticks": "tick (e.g. 1 3, all, none)", "rows": "matrix: one row per line, blank line to finish",
        "problem": "Problem {n}/{total}", "score": "Problem {n}: {s:.2f} of {p}", "problem_skipped": "Problem {n}: skipped",
        "summary": "Summary", "by_topic": "By topic", "col_n": "#", "col_family": "family",
        "col_parts": "parts", "col_score": "score", "col_hints": "hints", "col_topic": "topic",
        "col_problems": "problems", "total": "Total: {s:.2f} of {p} parts ({pct:.0f}%) in {time}",
        "nothing": "No parts answered.", "saved": "Progress saved to {path}",
        "reason": {"quit": "You quit.", "eof": "End of input.", "interrupt": "Interrupted.", "done": ""},
    },
    "zh": {
        "commands": "?  提示   s  解答   k  跳过小题   n  跳过本题   q  退出",
        "hint": "提示 {i}/{n}", "no_hint": "没有更多提示；输入 s 查看详细解答。",
        "no_hints": "本题没有提示；输入 s 查看详细解答。",
        "read_as": "读作", "key": "答案为", "skipped": "已跳过", "solution": "已看解答，记 0 分",
        "after_hints": "用了 {h} 个提示，得分 {s:.2f}", "ticked": "{n} 个要点中答到 {k} 个",
        "ticks": "勾选（如 1 3、all、none）", "rows": "矩阵：每行输入一行，空行结束",
        "problem": "第 {n}/{total} 题", "score": "第 {n} 题：{s:.2f} / {p}", "problem_skipped": "第 {n} 题：已跳过",
        "summary": "小结", "by_topic": "按主题", "col_n": "#", "col_family": "题型",
        "col_parts": "小题", "col_score": "得分", "col_hints": "提示", "col_topic": "主题",
        "col_problems": "题数", "total": "合计：{s:.2f} / {p} 个小题（{pct:.0f}%），用时 {time}",
        "nothing": "没有作答。", "saved": "进度已保存到 {path}",
        "reason": {"quit": "已退出。", "eof": "输入结束。", "interrupt": "已中断。", "done": ""},
    },
})
WORDS_EXTRA = by_lang({"en": {"skipped": "skipped", "solution": "solution shown"},
                       "zh": {"skipped": "跳过", "solution": "看了解答"}})


def duration(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m} min {s:02d} s" if m else f"{s} s"


class ConsoleIO:
    """The quiz's QuizIO on a rich console; `interactive=False` for piped stdin."""

    def __init__(self, lang: str = "en", interactive: bool | None = None, console: Console | None = None,
                 stdin=None):
        self.stdin = stdin or sys.stdin
        self.interactive = self.stdin.isatty() if interactive is None else interactive
        self.console = console or (Console(highlight=False, emoji=False) if self.interactive else
                                   Console(highlight=False, emoji=False, no_color=True, force_terminal=False,
                                           force_interactive=False))
        self.lang = lang
        self.w = W[lang]
        self._asked: tuple[int, str] | None = None
        self._multi = True

    # ------------------------------------------------------------------ input
    def _say(self, text: RichText) -> None:
        """One line; piped output is never hard-wrapped, so scripts see whole lines."""
        self.console.print(text, soft_wrap=not self.interactive)

    def _read(self, prompt: str, echo: str) -> str:
        if self.interactive:
            return self.console.input(RichText(prompt, style="bold cyan"))
        line = self.stdin.readline()
        if not line:
            raise EOFError
        line = line.rstrip("\r\n")
        self._say(RichText(f"{echo}{line}"))
        return line

    def ask(self, number: int, part: Part, more: bool = False) -> str:
        label = f"{number}{part.id}"
        if more:
            return self._read("   … ", "   ")
        if self.interactive and self._asked != (number, part.id) and self._multi:
            self._asked = (number, part.id)
            line = RichText(f"({part.id}) ", style="bold")
            line.append(to_unicode(part.prompt.get(self.lang)))
            fmt = self.w["rows"] if part.kind == "matrix" else kinds.FORMATS[part.kind].get(self.lang)
            line.append(f"  — {fmt}", style="dim")
            self._say(line)
        return self._read(f"{label} › ", f"{label}: ")

    def ask_ticks(self, number: int, part: Part, problem: Problem) -> str:
        from quizgen.selfgrade import model_answer_lines

        lines = model_answer_lines(part, self.lang, problem.steps)
        self._say(RichText("\n".join(to_unicode(x) for x in lines)))
        return self._read(f"{number}{part.id} {self.w['ticks']} › ", f"{number}{part.id} ticks: ")

    # ------------------------------------------------------------------ output
    def show_problem(self, problem: Problem, number: int, total: int) -> None:
        self._multi = len(problem.parts) > 1  # one-part problems: the panel just above says it all
        self.console.print()
        if self.interactive:
            self.console.rule(RichText(self.w["problem"].format(n=number, total=total), style="dim"), style="dim")
        else:
            self._say(RichText(self.w["problem"].format(n=number, total=total)))
        self.console.print(problem_panel(problem, number, self.lang))
        if self.interactive:
            self._say(RichText(self.w["commands"], style="dim"))

    def show_hint(self, index: int, total: int, text: Text) -> None:
        line = RichText(self.w["hint"].format(i=index, n=total) + ": ", style="bold magenta")
        line.append(to_unicode(text.get(self.lang)))
        self._say(line)

    def show_no_hint(self, total: int) -> None:
        self._say(RichText(self.w["no_hint" if total else "no_hints"], style="magenta"))

    def show_solution(self, problem: Problem, number: int) -> None:
        self.console.print(solution_panel(problem, number, self.lang))

    def show_format_error(self, result: PartResult) -> None:
        msg = result.feedback.get(self.lang) if result.feedback else "format error"
        self._say(RichText(f"   {STATUS_WORD[self.lang]['format']}: {msg}", style="yellow"))

    def show_error(self, message: str) -> None:
        self._say(RichText(f"   {message}", style="yellow"))

    def show_outcome(self, outcome: Outcome) -> None:
        w, r = self.w, outcome.result
        line = RichText("   ")
        if outcome.status in ("skipped", "solution"):
            line.append(f"({outcome.part.id}) {w[outcome.status]}", style="dim")
            self._say(line)
            return
        if outcome.status == "self":
            line.append(w["ticked"].format(k=len(outcome.ticks), n=len(outcome.part.key_points))
                        + f" → {outcome.score:.2f}", style=STATUS_STYLE["self"])
        else:
            line.append(f"{w['read_as']} {r.read_as} → ")
            line.append(("✓ " if r.score else "✗ ") + STATUS_WORD[self.lang][r.status], style=STATUS_STYLE[r.status])
            if r.status == "wrong":
                line.append(f"; {w['key']} {r.expected}")
        if outcome.hints and outcome.score:
            line.append("  (" + w["after_hints"].format(s=outcome.score, h=outcome.hints) + ")", style="dim")
        self._say(line)
        if r is not None and r.feedback is not None:
            self._say(RichText("   " + to_unicode(r.feedback.get(self.lang)), style="italic"))

    def show_problem_end(self, record: ProblemRecord) -> None:
        if any(o.status == "wrong" for o in record.outcomes) and not record.solution_shown:
            self.console.print(solution_panel(record.problem, record.number, self.lang))
        line = RichText(self.w["score"].format(n=record.number, s=record.score, p=len(record.outcomes)),
                        style="bold")
        if record.outcomes and all(o.status == "skipped" for o in record.outcomes):
            line = RichText(self.w["problem_skipped"].format(n=record.number), style="dim")
        self._say(line)

    def show_summary(self, summary: Summary, saved_to: str | None = None) -> None:
        self.console.print()
        reason = self.w["reason"][summary.reason]
        if reason:
            self._say(RichText(reason, style="dim"))
        self.console.print(summary_view(summary, self.lang))
        if saved_to:
            self._say(RichText(self.w["saved"].format(path=saved_to), style="dim"))


def _status_of(record: ProblemRecord, lang: str) -> RichText:
    extra = WORDS_EXTRA[lang]
    if record.solution_shown:
        return RichText(extra["solution"], style="dim")
    if len(record.outcomes) < len(record.problem.parts):
        return RichText("…", style="dim")
    if all(o.status == "skipped" for o in record.outcomes):
        return RichText(extra["skipped"], style="dim")
    return RichText("")


def summary_view(summary: Summary, lang: str) -> Group:
    """Tables by problem and by topic, the total and the time taken."""
    w = W[lang]
    answered = [r for r in summary.records if r.outcomes]
    if not answered:
        return Group(RichText(w["nothing"]), RichText(duration(summary.seconds), style="dim"))
    problems = Table(title=w["summary"], title_justify="left", header_style="bold")
    for col in ("col_n", "col_family", "col_parts", "col_score", "col_hints"):
        problems.add_column(w[col], justify="right" if col in ("col_n", "col_parts", "col_score", "col_hints") else "left")
    problems.add_column("")
    for r in answered:
        style = "green" if r.score >= len(r.outcomes) - 1e-9 else ("red" if r.score < len(r.outcomes) / 2 else "yellow")
        problems.add_row(str(r.number), r.problem.family if r.problem.family != "bank"
                         else f"bank:{r.problem.params.get('id')}",
                         f"{len(r.outcomes)}/{len(r.problem.parts)}", RichText(f"{r.score:.2f}", style=style),
                         str(r.hints) if r.hints else "", _status_of(r, lang))
    topics = Table(title=w["by_topic"], title_justify="left", header_style="bold")
    for col in ("col_topic", "col_problems", "col_parts", "col_score"):
        topics.add_column(w[col], justify="left" if col == "col_topic" else "right")
    for topic, (n, parts, score) in sorted(summary.by_topic().items()):
        topics.add_row(topic, str(n), str(parts), f"{score:.2f} ({100 * score / parts:.0f}%)")
    total_parts = sum(len(r.outcomes) for r in answered)
    total = sum(r.score for r in answered)
    line = RichText(w["total"].format(s=total, p=total_parts, pct=100 * total / total_parts,
                                      time=duration(summary.seconds)), style="bold")
    return Group(problems, topics, line)
