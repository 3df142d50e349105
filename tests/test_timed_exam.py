"""`quizgen exam --time`: the mock exam against an injected clock, scripted and piped; time
running out, Ctrl-C and EOF keep what was graded; the result in the store and in `stats`."""

from __future__ import annotations

import json
import sqlite3

import pytest
from quiz_helpers import DAY0, Clock, ScriptedIO, rows, typed

from conftest import run_cli
from quizgen.mock import build_exam
from quizgen.practice_cli import run_exam
from quizgen.quiz import TimeUp
from quizgen.store import MIGRATIONS, SCHEMA_VERSION, Store
from quizgen.timed_exam import TimedIO, clock_text


def lines_for(problem) -> list[str]:
    """A student's right answers to every part (an essay: some text, then all key points ticked)."""
    out = []
    for part in problem.parts:
        out += ["my answer", "all"] if part.kind == "text" else [typed(part)]
    return out


class ExamIO(ScriptedIO):
    """Scripted answers; every prompt takes `per_answer` minutes on the injected clock."""

    interactive = False
    remaining = None

    def __init__(self, answers, clock: Clock, per_answer: float):
        super().__init__(answers)
        self.clock, self.per_answer = clock, per_answer

    def ask(self, number, part, more=False):
        self.clock.advance(minutes=self.per_answer)
        return super().ask(number, part, more)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_HOME", str(tmp_path))
    return tmp_path


def exam_row(home) -> dict:
    (row,) = rows(home, "exams")
    return row


def test_time_running_out_keeps_the_answers_given_in_time(home):
    exam = build_exam(3, concepts=3, essays=0)
    answers = [line for p in exam.sheet.problems for line in lines_for(p)]
    clock = Clock(DAY0)
    io = ExamIO(answers, clock, per_answer=3)  # 10 minutes: answers at 3, 6, 9 in time; 12 is late
    assert run_exam(exam, 10, "en", clock, io) == 0
    graded = rows(home)
    assert [(r["problem"], r["status"]) for r in graded] == [(1, "self"), (2, "self"), (3, "correct")]
    row = exam_row(home)
    assert row["reason"] == "time" and row["total"] == exam.total and row["minutes"] == 10
    assert row["marks"] == sum(exam.marks[:3])
    awarded = [q["awarded"] for q in json.loads(row["questions"])]
    assert awarded == list(exam.marks[:3]) + [0] * (len(exam.marks) - 3)
    (result,) = [e for e in io.events if e[0] == "show_result"]
    assert result[1].reason == "time" and result[1].marks == sum(exam.marks[:3])
    assert result[1].seconds == 600  # the time used is capped at the time allowed


def test_ctrl_c_keeps_what_was_graded(home):
    exam = build_exam(4, concepts=2, essays=0)
    answers = lines_for(exam.sheet.problems[0]) + [KeyboardInterrupt]
    clock = Clock(DAY0)
    assert run_exam(exam, 120, "en", clock, ExamIO(answers, clock, per_answer=1)) == 130
    row = exam_row(home)
    assert row["reason"] == "interrupt" and row["marks"] == exam.marks[0]
    assert len(rows(home)) == 1 and rows(home, "sessions")[0]["mode"] == "exam"


def test_a_wrong_answer_and_a_half_done_calculation_score_their_share(home):
    exam = build_exam(3, concepts=0, essays=0)
    shape = exam.sheet.problems[0]  # cnn.shape: 2 parts, 2 marks each
    assert shape.family == "cnn.shape" and exam.marks[0] == 4 and len(shape.parts) == 2
    clock = Clock(DAY0)
    answers = [typed(shape.parts[0]), typed(shape.parts[1], [v + 1 for v in shape.parts[1].answer])]
    run_exam(exam, 60, "en", clock, ExamIO(answers, clock, per_answer=1))
    row = exam_row(home)
    assert row["reason"] == "eof" and row["marks"] == 2.0


def test_alarm_interrupts_only_a_waiting_prompt():
    clock = Clock(DAY0)
    timed = TimedIO(None, DAY0, clock)
    timed.alarm()  # not waiting: nothing happens (the next check stops the run)
    timed.waiting = True
    with pytest.raises(TimeUp):
        timed.alarm()
    assert clock_text(7110) == "1:58:30" and clock_text(245) == "4:05" and clock_text(-3) == "0:00"


def test_piped_exam_then_stats(tmp_path):
    exam = build_exam(5, concepts=2, essays=0)
    answers = [line for p in exam.sheet.problems[:2] for line in lines_for(p)]
    env = {"QUIZGEN_HOME": str(tmp_path)}
    out = run_cli("exam", "--seed", "5", "--concepts", "2", "--essays", "0", "--time", "120",
                  input="\n".join(answers) + "\n", env=env)
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout and "Time left: 1:59:" in out.stdout
    got = sum(exam.marks[:2])
    assert "End of input." in out.stdout
    assert f"Total: {got:g} of {exam.total} marks ({100 * got / exam.total:.0f}%)" in out.stdout
    data = json.loads(run_cli("stats", "--json", env=env).stdout)
    (e,) = data["exams"]
    assert (e["marks"], e["total"], e["seed"], e["reason"], e["minutes"]) == (got, exam.total, 5, "eof", 120)
    text = run_cli("stats", env=env).stdout
    assert "Mock exams" in text and f"{got:g}/{exam.total}" in text
    assert "模拟考试" in run_cli("stats", "--lang", "zh", env=env).stdout


def test_bad_time_is_one_line(tmp_path):
    out = run_cli("exam", "--seed", "1", "--time", "0", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 2 and out.stderr.strip().startswith("quizgen: error: --time")
    assert not (tmp_path / "quizgen.db").exists()


def test_migration_from_schema_2_keeps_rows_and_adds_exams(tmp_path):
    path = tmp_path / "quizgen.db"
    db = sqlite3.connect(path)
    for version in (0, 1):  # the database as the previous release left it
        for statement in MIGRATIONS[version]:
            db.execute(statement)
    db.execute("INSERT INTO sessions (started, mode) VALUES ('2025-03-01T09:00:00+00:00', 'quiz')")
    db.execute("INSERT INTO answers (session_id, ts, family, topic, difficulty, problem, part, kind, status, score)"
               " VALUES (1, '2025-03-01T09:01:00+00:00', 'cnn.shape', 'cnn', 'medium', 1, 'a', 'shape', 'correct', 1)")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION == 3
    assert len(store.answers()) == 1 and store.exams() == []
    store.close()
    data = json.loads(run_cli("stats", "--json", env={"QUIZGEN_HOME": str(tmp_path)}).stdout)
    assert data["parts"] == 1 and data["exams"] == []
