"""A mock exam against the clock: `quizgen exam --time 120` (minutes).

    deadline   = start + minutes
    remaining  = max(0, deadline − clock()), shown before every problem and in every prompt
    time up    = a prompt reached at or after the deadline ends the exam (`TimeUp`), and so does
                 an answer typed after it, which is not graded; on a terminal an alarm also
                 interrupts a prompt waiting at the deadline (`TimedIO.alarm`)
    question   = marks × Σ part scores / parts, rounded to 0.1 (parts not reached score 0;
                 hints and a shown solution cost as in `quizgen quiz`; essays are self-marked
                 by ticking key points, and the ticking is not timed)
    result     = marks per question, per section (as on the paper) and the total

The run is `quiz.Quiz` with two wrappers: `TimedIO` around the terminal and `ExamRecorder`
around the store's recorder, which rewrites the exam's row after every graded part, so Ctrl-C,
EOF or a crash keep what was graded.  The clock is injected (tests move time, never sleep).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from quizgen.mock import SECTIONS, Exam
from quizgen.quiz import ProblemRecord, Summary, TimeUp

MAX_MINUTES = 600


def clock_text(seconds: float) -> str:
    """1:58:30, or 4:05 under an hour."""
    h, rest = divmod(max(0, int(seconds)), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class TimedIO:
    """A QuizIO that ends the run at the deadline; everything else goes to the wrapped IO."""

    def __init__(self, io, deadline: datetime, clock: Callable[[], datetime]):
        self.io, self.deadline, self.clock = io, deadline, clock
        self.waiting = False  # inside a timed prompt: the alarm may interrupt it

    def __getattr__(self, name):
        return getattr(self.io, name)

    def remaining(self) -> float:
        return max(0.0, (self.deadline - self.clock()).total_seconds())

    def _check(self) -> None:
        if self.remaining() <= 0:
            raise TimeUp

    def ask(self, number, part, more: bool = False) -> str:
        self._check()
        self.waiting = True
        try:
            line = self.io.ask(number, part, more)
        finally:
            self.waiting = False
        self._check()  # typed after the deadline: not graded
        return line

    def ask_ticks(self, number, part, problem) -> str:
        return self.io.ask_ticks(number, part, problem)  # self-marking an answer given in time

    def alarm(self, *_signal) -> None:
        """SIGALRM handler: interrupt a prompt waiting at the deadline (elsewhere the next
        check stops the run, so no store write is ever cut in half)."""
        if self.waiting:
            raise TimeUp


def question_marks(exam: Exam, records: list[ProblemRecord]) -> list[float]:
    """Marks awarded per question of the paper (0 for a question not reached)."""
    got = [0.0] * len(exam.marks)
    for r in records:
        i = r.number - 1
        got[i] = round(exam.marks[i] * r.score / len(r.problem.parts), 1)
    return got


def questions_json(exam: Exam, awarded: list[float]) -> str:
    return json.dumps([{"n": i + 1, "section": "ABC"[s], "marks": m, "awarded": a}
                       for i, (m, s, a) in enumerate(zip(exam.marks, exam.sections, awarded))])


class ExamRecorder:
    """The store's recorder, plus the exam's row rewritten after every graded part."""

    def __init__(self, inner, store, exam_id: int, exam: Exam):
        self.inner, self.store, self.exam_id, self.exam = inner, store, exam_id, exam
        self.records: dict[int, ProblemRecord] = {}

    def part(self, record: ProblemRecord, outcome) -> None:
        self.inner.part(record, outcome)
        self.records[record.number] = record
        self.save()

    def problem(self, record: ProblemRecord) -> None:
        self.inner.problem(record)

    def save(self, ended: datetime | None = None, reason: str | None = None) -> None:
        awarded = question_marks(self.exam, list(self.records.values()))
        self.store.update_exam(self.exam_id, round(sum(awarded), 1), questions_json(self.exam, awarded),
                               ended, reason)


@dataclass(frozen=True)
class ExamResult:
    exam: Exam
    awarded: tuple[float, ...]
    reason: str          # done | quit | eof | interrupt | time
    seconds: float
    minutes: float

    @property
    def marks(self) -> float:
        return round(sum(self.awarded), 1)

    def sections(self, lang: str) -> list[tuple[str, float, int]]:
        """(section title, marks awarded, marks) per section on the paper."""
        out = []
        for index, title in enumerate(SECTIONS):
            mine = [i for i, s in enumerate(self.exam.sections) if s == index]
            if mine:
                out.append((title.get(lang), round(sum(self.awarded[i] for i in mine), 1),
                            sum(self.exam.marks[i] for i in mine)))
        return out


def exam_result(exam: Exam, summary: Summary, minutes: float) -> ExamResult:
    used = min(summary.seconds, minutes * 60)
    return ExamResult(exam, tuple(question_marks(exam, summary.records)), summary.reason, used, minutes)


def deadline_of(start: datetime, minutes: float) -> datetime:
    return start + timedelta(minutes=minutes)
