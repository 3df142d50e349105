"""Helpers for the quiz, store, review and stats tests: run the real quiz in a pseudo-terminal
or through a pipe, read the progress database, and write answers as a student would."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from quizgen.model import Part, Problem, Text

ROOT = Path(__file__).resolve().parents[1]


def quiz_env(home: Path) -> dict:
    return {**os.environ, "QUIZGEN_HOME": str(home), "PYTHONPATH": str(ROOT), "NO_COLOR": "1",
            "COLUMNS": "120", "LINES": "40", "TERM": "dumb"}


def spawn_quiz(home: Path, *args: str):
    """The real `python -m quizgen quiz ARGS` in a pseudo-terminal."""
    import pexpect

    return pexpect.spawn(sys.executable, ["-m", "quizgen", "quiz", *args], cwd=str(ROOT), env=quiz_env(home),
                         encoding="utf-8", timeout=60, dimensions=(40, 120))


def typed(part: Part, value=None) -> str:
    """How a student types `value` (default: the key) for this part."""
    value = part.answer if value is None else value
    if part.kind == "shape":
        return "x".join(str(v) for v in value)
    if part.kind == "choice":
        return ",".join(value) if isinstance(value, list) else str(value)
    if part.kind == "vector":
        return "[" + ", ".join(repr(v) for v in value) + "]"
    return str(value)


def wrong(part: Part) -> str:
    """A well-formed answer that is not the key."""
    if part.kind == "shape":
        return typed(part, [v + 1 for v in part.answer])
    if part.kind == "integer":
        return str(int(part.answer) + 7)
    raise ValueError(part.kind)


def rows(home: Path, table: str = "answers") -> list[dict]:
    db = sqlite3.connect(home / "quizgen.db")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY id" if table != "cards"
                                            else "SELECT * FROM cards ORDER BY item")]
    finally:
        db.close()


class ScriptedIO:
    """A QuizIO that answers from a list and records what the quiz showed."""

    def __init__(self, answers: list[str]):
        self.answers = list(answers)
        self.events: list[tuple] = []

    def _next(self) -> str:
        if not self.answers:
            raise EOFError
        item = self.answers.pop(0)
        if item is KeyboardInterrupt:
            raise KeyboardInterrupt
        return item

    def ask(self, number, part, more=False):
        self.events.append(("ask", f"{number}{part.id}", more))
        return self._next()

    def ask_ticks(self, number, part, problem):
        self.events.append(("ticks", f"{number}{part.id}"))
        return self._next()

    def __getattr__(self, name):  # show_* calls are recorded
        if not name.startswith("show_"):
            raise AttributeError(name)
        return lambda *args: self.events.append((name, *args))


class Clock:
    """An injected clock: starts at `start`, moves only when told to."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


DAY0 = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)


def text_problem(n_points: int = 4) -> Problem:
    """A concept item as the bank builds it: one `text` part with key points."""
    points = tuple(Text(f"point {i + 1}", f"要点 {i + 1}") for i in range(n_points))
    part = Part("a", "text", Text("Your answer", "你的答案"), "model answer", key_points=points)
    return Problem(family="bank", family_version=1, seed=None, difficulty="medium", params={"id": "test-item"},
                   statement=Text("Why share weights in a CNN?", "为什么 CNN 共享权重？"), parts=(part,),
                   steps=(Text("model answer", "参考答案"), Text("Misconception: x", "误解：x")), topic="cnn")


def matrix_problem() -> Problem:
    part = Part("a", "matrix", Text("W after one step", "一步之后的 W"), [[1.0, 2.0], [3.0, 4.5]], decimals=2)
    return Problem(family="test.matrix", family_version=1, seed=1, difficulty="easy", params={},
                   statement=Text("Update W.", "更新 W。"), parts=(part,),
                   steps=(Text("step 1", "步骤 1"), Text("answer", "答案")), topic="test")
