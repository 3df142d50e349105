"""The payload corpus (tests/payloads.py) graded through the checker: no payload crashes,
hangs or is judged correct unless it is; the issue's payloads through the real CLI."""

from __future__ import annotations

import json
import os

import pytest
from payloads import CORPUS_ISSUE, HOSTILE, SHEET_PROBLEM, SPECIFIC, corpus

from conftest import run_cli
from quizgen.check import grade_part, read_answers
from quizgen.errors import QuizgenError
from quizgen.model import Sheet

CASES = corpus()


def test_corpus_is_large_and_holds_every_payload_of_the_issue():
    assert len(CASES) >= 150
    kinds = {SHEET_PROBLEM.part(pid).kind for pid, _, _ in CASES}
    assert kinds == {"integer", "real", "vector", "matrix", "shape", "choice", "expression", "text"}
    texts = set(HOSTILE) | {text for _, text, _ in SPECIFIC}
    assert set(CORPUS_ISSUE) <= texts


@pytest.mark.parametrize("pid,text,allowed", CASES, ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(CASES)])
def test_payload_gets_an_allowed_status(pid, text, allowed):
    part = SHEET_PROBLEM.part(pid)
    result, _ = grade_part(SHEET_PROBLEM, 1, part, text)
    assert result.status in allowed, (text[:80], result.status, result.feedback)
    if result.status == "format":
        assert result.feedback is not None and "\n" not in result.feedback.en
    assert not os.path.exists("/tmp/quizgen-pwned")


def test_undecidable_expression_is_a_format_error_that_says_so():
    part = SHEET_PROBLEM.part("h")
    result, _ = grade_part(SHEET_PROBLEM, 1, part, "exp(" * 24 + "x" + ")" * 24)
    if result.status == "format":  # it may also be proved wrong; never correct
        assert "could not be" in result.feedback.en and "simplify" in result.feedback.en
    result, _ = grade_part(SHEET_PROBLEM, 1, part, "((x+1)**64)**64")
    assert result.status == "format" and "too complex" in result.feedback.en


def _sheet_file(tmp_path):
    sheet = Sheet("payloads", 1, "easy", "en", (), (SHEET_PROBLEM,))
    path = tmp_path / "sheet.json"
    path.write_text(sheet.to_json(), encoding="utf-8")
    return sheet, path


def test_issue_payloads_through_the_cli_never_crash(tmp_path):
    sheet, path = _sheet_file(tmp_path)
    lines = ["1a: 1e308*10", "1b: abs(1e308*10)", "1c: [1e308*10, 1]", "1d: [[1e308*10, 1], [1, 2]]",
             "1e: " + "x".join(["1"] * 900), "1f: " + "-" * 1900 + "b",
             "1g: sigma(z)*(1-sigma(z)) + (z-3/10)*(z+7/10)*(z-13/10)",
             "1h: exp(exp(exp(exp(exp(10)))))", "1i: x + (x-3/10)*(x+7/10)*(x-13/10)",
             "1j: z + abs(z-3/10)*abs(z+7/10)*abs(z-13/10)", "1k: text"]
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run_cli("check", str(path), str(answers), "--json")
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    status = {r["id"]: r["status"] for r in json.loads(out.stdout)["results"]}
    assert status == {"1a": "format", "1b": "format", "1c": "format", "1d": "format", "1e": "wrong",
                      "1f": "format", "1g": "wrong", "1h": "format", "1i": "wrong", "1j": "wrong", "1k": "self"}


def test_huge_answers_file_is_refused_before_reading(tmp_path):
    _, path = _sheet_file(tmp_path)
    answers = tmp_path / "answers.txt"
    with open(answers, "w", encoding="utf-8") as fh:  # 49 MB: one id, then rows
        fh.write("1d: 1 2\n")
        fh.write("3 4\n" * (49 * 1024 * 1024 // 4))
    out = run_cli("check", str(path), str(answers))
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("quizgen: error: ") and "too large" in out.stderr


def test_long_answers_text_is_refused_and_continuation_lines_are_linear():
    sheet = Sheet("payloads", 1, "easy", "en", (), (SHEET_PROBLEM,))
    with pytest.raises(QuizgenError, match="too large"):
        read_answers("1a: 1\n" + "2\n" * 600_000, sheet)
    answers = read_answers("1d: 1 2\n" + "3 4\n" * 50_000, sheet)  # fine to read; the parser refuses it
    result, _ = grade_part(SHEET_PROBLEM, 1, SHEET_PROBLEM.part("d"), answers[(1, "d")])
    assert result.status == "format" and "too long" in result.feedback.en


def test_full_width_ids_colons_and_digits_in_answers_files():
    sheet = Sheet("payloads", 1, "easy", "en", (), (SHEET_PROBLEM,))
    text = "\ufeff1a： ５７６\r\n１ｂ：１／８\r\n1c: ［0.1，0.2］\r\n1d： 1 2\r\n3 4\r\n"
    answers = read_answers(text, sheet)
    assert answers == {(1, "a"): "576", (1, "b"): "1/8", (1, "c"): "[0.1,0.2]", (1, "d"): "1 2\n3 4"}
    for (n, pid), raw in answers.items():
        assert grade_part(SHEET_PROBLEM, 1, SHEET_PROBLEM.part(pid), raw)[0].status == "correct", pid


def integer_problem():
    from quizgen.model import Part, Problem, Text

    part = Part("a", "integer", Text("How many?", "多少？"), 576)
    return Problem(family="test.int", family_version=1, seed=1, difficulty="easy", params={},
                   statement=Text("Count.", "计数。"), parts=(part,), steps=(Text("576", "576"),))


def test_full_width_answers_in_the_quiz():
    from quiz_helpers import ScriptedIO, matrix_problem

    from quizgen.quiz import Quiz

    problem = integer_problem()
    io = ScriptedIO(["５７６"])
    assert Quiz([problem], io).run().records[0].outcomes[0].status == "correct"
    io = ScriptedIO(["［［1，2］，［3，4.5］］"])  # one line: no further rows asked for
    outcome = Quiz([matrix_problem()], io).run().records[0].outcomes[0]
    assert outcome.status == "correct"
    assert [e for e in io.events if e[0] == "ask"] == [("ask", "1a", False)]
    from quizgen.quiz import command_of

    assert command_of("？", problem.parts[0]) == "hint" and command_of("ｑ", problem.parts[0]) == "quit"
