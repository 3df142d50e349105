"""The quiz, driven as a student drives it: through a pseudo-terminal (pexpect) and through a
pipe.  Expected answers come from generating the same sheet here (same seed and options)."""

from __future__ import annotations

import re

import pexpect
import pytest
from quiz_helpers import ScriptedIO, matrix_problem, rows, spawn_quiz, text_problem, typed, wrong

from conftest import run_cli
from quizgen.quiz import HINT_COST, Quiz, command_of, hint_texts
from quizgen.sheet import generate_sheet


def sheet(topic: str, count: int, seed: int, kinds: str = "computed"):
    return generate_sheet([topic], count, seed, "medium", "en", kinds=kinds).problems


def prompt(child, label: str) -> None:
    child.expect_exact(f"{label} › ")


def finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus


def test_correct_wrong_and_format_error_then_retry(tmp_path):
    problems = sheet("cnn.params", 3, 11)
    child = spawn_quiz(tmp_path, "--topic", "cnn.params", "--count", "3", "--seed", "11")
    p1, p2, p3 = (p.parts[0] for p in problems)
    prompt(child, "1a")
    child.sendline(typed(p1))
    child.expect("read as .* → ✓ correct")
    prompt(child, "2a")
    child.sendline(wrong(p2))
    child.expect_exact(f"✗ wrong; the key is {int(p2.answer):,}")
    prompt(child, "3a")
    child.sendline("12 apples")
    child.expect_exact("format error")
    child.expect_exact("a whole number, like 55")
    prompt(child, "3a")
    child.sendline(typed(p3))
    child.expect("✓ correct")
    child.expect_exact("Total: 2.00 of 3 parts")
    assert finish(child) == 0
    got = [(r["problem"], r["part"], r["status"], r["score"], r["format_errors"]) for r in rows(tmp_path)]
    assert got == [(1, "a", "correct", 1.0, 0), (2, "a", "wrong", 0.0, 0), (3, "a", "correct", 1.0, 1)]
    assert [r["given"] for r in rows(tmp_path)] == [typed(p1), wrong(p2), typed(p3)]


def test_hint_solution_skip_and_quit(tmp_path):
    problems = sheet("cnn.params", 4, 12)
    first = problems[0]
    child = spawn_quiz(tmp_path, "--topic", "cnn.params", "--count", "4", "--seed", "12")
    prompt(child, "1a")
    child.sendline("?")
    child.expect_exact(f"Hint 1/{len(first.steps) - 1}")
    prompt(child, "1a")
    child.sendline(typed(first.parts[0]))
    child.expect_exact("score 0.75 after 1 hint(s)")
    prompt(child, "2a")
    child.sendline("s")
    child.expect_exact("Worked solution · 2")
    child.expect_exact("solution shown, scores 0")
    prompt(child, "3a")
    child.sendline("k")
    child.expect_exact("(a) skipped")
    prompt(child, "4a")
    child.sendline("q")
    child.expect_exact("You quit.")
    child.expect_exact("Total: 0.75 of 3 parts")
    assert finish(child) == 0
    got = [(r["problem"], r["status"], r["score"], r["hints"]) for r in rows(tmp_path)]
    assert got == [(1, "correct", 1 - HINT_COST, 1), (2, "solution", 0.0, 0), (3, "skipped", 0.0, 0)]
    session = rows(tmp_path, "sessions")
    assert len(session) == 1 and session[0]["ended"] is not None and session[0]["seed"] == 12


def test_ctrl_c_mid_problem_keeps_graded_parts(tmp_path):
    problem = sheet("cnn.shape", 1, 13)[0]
    assert len(problem.parts) >= 2
    child = spawn_quiz(tmp_path, "--topic", "cnn.shape", "--count", "1", "--seed", "13")
    prompt(child, "1a")
    child.sendline(typed(problem.parts[0]))
    child.expect("✓ correct")
    prompt(child, "1b")
    child.sendintr()
    child.expect_exact("Interrupted.")
    child.expect_exact("Total: 1.00 of 1 parts")
    assert finish(child) == 130
    assert [(r["part"], r["status"]) for r in rows(tmp_path)] == [("a", "correct")]
    cards = rows(tmp_path, "cards")
    assert [(c["item"], c["reviews"]) for c in cards] == [("cnn.shape", 1)]
    assert "Traceback" not in child.before


def test_eof_at_prompt_ends_with_summary(tmp_path):
    problem = sheet("cnn.params", 2, 14)[0]
    child = spawn_quiz(tmp_path, "--topic", "cnn.params", "--count", "2", "--seed", "14")
    prompt(child, "1a")
    child.sendline(typed(problem.parts[0]))
    prompt(child, "2a")
    child.sendeof()
    child.expect_exact("End of input.")
    assert finish(child) == 0
    assert [r["status"] for r in rows(tmp_path)] == ["correct"]


def test_trace_names_first_divergence(tmp_path):
    problem = sheet("cnn.shape", 1, 15)[0]
    a, b = problem.parts[0], problem.parts[1]
    answers = [wrong(a), typed(b)] + [typed(p) for p in problem.parts[2:]]
    out = run_cli("quiz", "--topic", "cnn.shape", "-n", "1", "--seed", "15", input="\n".join(answers) + "\n",
                  env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert "first divergence in this trace: part a" in out.stdout
    assert [r["status"] for r in rows(tmp_path)][:2] == ["wrong", "correct"]


def test_piped_answers_plain_transcript(tmp_path):
    problems = sheet("cnn", 4, 16)
    lines = [typed(part) for p in problems for part in p.parts]
    lines[0] = "nonsense"  # a format error, then the right answer
    lines.insert(1, typed(problems[0].parts[0]))
    out = run_cli("quiz", "--topic", "cnn", "-n", "4", "--seed", "16", input="\n".join(lines) + "\n",
                  env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout and "›" not in out.stdout
    echoed = re.findall(r"^(\d+[a-z]): (.*)$", out.stdout, re.MULTILINE)
    assert [e[0] for e in echoed] == ["1a"] + [f"{n}{part.id}" for n, p in enumerate(problems, 1) for part in p.parts]
    assert [e[1] for e in echoed] == lines
    n_parts = sum(len(p.parts) for p in problems)
    assert f"Total: {n_parts:.2f} of {n_parts} parts (100%)" in out.stdout
    assert all(r["status"] == "correct" for r in rows(tmp_path)) and len(rows(tmp_path)) == n_parts


def test_piped_eof_mid_sheet_is_clean(tmp_path):
    problems = sheet("cnn.params", 3, 17)
    out = run_cli("quiz", "--topic", "cnn.params", "-n", "3", "--seed", "17",
                  input=typed(problems[0].parts[0]) + "\n", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0 and out.stderr == ""
    assert "End of input." in out.stdout and "Total: 1.00 of 1 parts" in out.stdout
    assert len(rows(tmp_path)) == 1


def test_concept_items_piped(tmp_path):
    """Bank items: choice parts graded by letter, text parts self-graded by ticking key points."""
    problems = sheet("cnn", 4, 18, kinds="concept")
    lines, expected = [], []
    for p in problems:
        for part in p.parts:
            if part.kind == "text":
                lines += ["weights are shared across positions", "1"]
                expected.append(("self", 1 / len(part.key_points)))
            else:
                lines.append(typed(part))
                expected.append(("correct", 1.0))
    out = run_cli("quiz", "--topic", "cnn", "--kinds", "concept", "-n", "4", "--seed", "18",
                  input="\n".join(lines) + "\n", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    got = rows(tmp_path)
    assert [r["status"] for r in got] == [e[0] for e in expected]
    assert [r["score"] for r in got] == pytest.approx([e[1] for e in expected])
    items = {f"bank:{p.params['id']}" for p in problems}
    assert {c["item"] for c in rows(tmp_path, "cards")} == items


def test_unknown_topic_is_one_line(tmp_path):
    out = run_cli("quiz", "--topic", "nope", env={"QUIZGEN_HOME": str(tmp_path)}, input="")
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "unknown topic" in out.stderr


# ---------------------------------------------------------------- the loop, scripted

def test_text_part_ticks_hints_and_bad_ticks():
    problem = text_problem(4)
    io = ScriptedIO(["?", "my answer", "1 9", "x", "1 3"])
    summary = Quiz([problem], io).run()
    (outcome,) = summary.records[0].outcomes
    assert outcome.status == "self" and outcome.ticks == (0, 2)
    assert outcome.score == pytest.approx(2 / 4 * (1 - HINT_COST))
    errors = [e for e in io.events if e[0] == "show_error"]
    assert len(errors) == 2  # "1 9" (out of range) and "x" asked again
    assert [e for e in io.events if e[0] == "show_hint"][0][3] == problem.steps[1]


def test_matrix_rows_until_blank_line():
    problem = matrix_problem()
    io = ScriptedIO(["1 2", "3 4.5", "", ])
    summary = Quiz([problem], io).run()
    assert summary.records[0].outcomes[0].status == "correct"
    assert [e for e in io.events if e[0] == "ask"] == [("ask", "1a", False), ("ask", "1a", True), ("ask", "1a", True)]
    io = ScriptedIO(["[[1, 2], [3, 4.4]]"])
    assert Quiz([problem], io).run().records[0].outcomes[0].status == "wrong"


def test_hints_never_give_the_last_step_and_run_out():
    problem = sheet("cnn.params", 1, 19)[0]
    hints = hint_texts(problem)
    assert hints == list(problem.steps[:-1])
    io = ScriptedIO(["?"] * (len(hints) + 1) + [typed(problem.parts[0])])
    outcome = Quiz([problem], io).run().records[0].outcomes[0]
    assert [e for e in io.events if e[0] == "show_no_hint"] == [("show_no_hint", len(hints))]
    assert outcome.hints == len(hints) and outcome.score == pytest.approx(1 - min(HINT_COST * len(hints), 0.75))


def test_choice_letters_are_answers_not_commands():
    from quizgen.model import Part, Text

    many = Part("a", "choice", Text("p", "p"), ["k"], choices=tuple(Text(c, c) for c in "abcdefghijklm"))
    few = Part("a", "choice", Text("p", "p"), ["a"], choices=(Text("x", "x"), Text("y", "y")))
    assert command_of("k", many) is None and command_of("/k", many) == "skip"
    assert command_of("k", few) == "skip" and command_of("?", many) == "hint"
    assert command_of("q", few) == "quit" and command_of("42", few) is None


def test_format_errors_cost_nothing(tmp_path):
    problem = sheet("cnn.params", 1, 20)[0]
    io = ScriptedIO(["1/0x", "[1, 2", typed(problem.parts[0])])
    outcome = Quiz([problem], io).run().records[0].outcomes[0]
    assert (outcome.status, outcome.score, outcome.format_errors) == ("correct", 1.0, 2)


def test_db_has_a_row_per_graded_part_only(tmp_path):
    problems = sheet("cnn.shape", 2, 21)
    answers = [typed(problems[0].parts[0]), "n", typed(problems[1].parts[0])]
    out = run_cli("quiz", "--topic", "cnn.shape", "-n", "2", "--seed", "21", input="\n".join(answers) + "\n",
                  env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    got = [(r["problem"], r["part"], r["status"]) for r in rows(tmp_path)]
    rest = [(1, p.id, "skipped") for p in problems[0].parts[2:]]
    assert got == [(1, "a", "correct"), (1, "b", "skipped"), *rest, (2, "a", "correct")]


def test_a_trace_row_may_be_typed_at_once():
    """At the first part of a table row, `cell | cell | ...` answers the whole row; a bad row
    is asked again; the rest of the trace is asked part by part as usual."""
    from quizgen import kinds
    from quizgen.registry import get_family
    from quizgen.sheet import generate_problem

    problem = generate_problem(get_family("cnn.shape"), 4, "medium")
    trace = [p for p in problem.parts if p.step == 1]
    assert len(trace) == 1 and len(problem.parts) >= 2
    first, second = problem.parts[0], problem.parts[1]
    shown = kinds.show(first, first.answer)
    io = ScriptedIO([f"{shown} | {shown}", f"{shown} |", typed(second)] + [typed(p) for p in problem.parts[2:]])
    outcomes = Quiz([problem], io).run().records[0].outcomes
    assert [o.status for o in outcomes] == ["correct"] * len(problem.parts)
    assert [e for e in io.events if e[0] == "show_format_error"]  # two cells for a one-cell row


def test_a_whole_row_of_a_training_trace():
    from quizgen import kinds
    from quizgen.registry import get_family
    from quizgen.sheet import generate_problem

    problem = generate_problem(get_family("training.predict"), 5, "easy")
    row = [p for p in problem.parts if p.step == 1]
    cells = " | ".join(kinds.show(p, p.answer) for p in row)
    io = ScriptedIO([typed(problem.parts[0]), cells] + [typed(p) for p in problem.parts if p.step not in (None, 1)])
    outcomes = Quiz([problem], io).run().records[0].outcomes
    assert [o.status for o in outcomes] == ["correct"] * len(problem.parts)
    assert [e[1] for e in io.events if e[0] == "ask"] == ["1a", "1b"]
