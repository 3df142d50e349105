"""Sheets are validated field by field on load (quizgen/validate.py): one line naming the
field, exit 2 from the CLI, never a traceback; a BOM and CRLF line ends are accepted."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import run_cli
from quizgen.errors import QuizgenError
from quizgen.model import Sheet
from quizgen.registry import load_families
from quizgen.sheet import generate_problem, generate_sheet


def base() -> dict:
    """A valid sheet's JSON with an integer, a real and a choice part (problem 0)."""
    from quizgen.model import Part, Problem, Text

    parts = (Part("a", "integer", Text("n", "n"), 576), Part("b", "real", Text("r", "r"), 0.5, decimals=2),
             Part("c", "choice", Text("c", "c"), "b", choices=(Text("x", "x"), Text("y", "y"))),
             Part("d", "expression", Text("e", "e"), "sigma(z)*(1-sigma(z))"))
    problem = Problem(family="test", family_version=1, seed=3, difficulty="easy", params={"n": 1},
                      statement=Text("s", "s"), parts=parts, steps=(Text("step", "步骤"),))
    return json.loads(Sheet("t", 1, "easy", "en", ("cnn",), (problem,)).to_json())


def broken(path: str, value, delete: bool = False) -> dict:
    d = copy.deepcopy(base())
    *keys, last = [int(k) if k.isdigit() else k for k in path.replace("[", ".").replace("]", "").split(".")]
    target = d
    for k in keys:
        target = target[k]
    if delete:
        del target[last]
    else:
        target[last] = value
    return d


CASES = [  # (field path, bad value, the field named in the message)
    ("problems[0].parts[0].answer", "abc", "problems[0].parts[0].answer"),
    ("problems[0].parts[0].answer", 1.5, "problems[0].parts[0].answer"),
    ("problems[0].parts[0].answer", True, "problems[0].parts[0].answer"),
    ("problems[0].parts[1].decimals", "2", "problems[0].parts[1].decimals"),
    ("problems[0].parts[1].decimals", -1, "problems[0].parts[1].decimals"),
    ("problems[0].parts[1].answer", "0.5", "problems[0].parts[1].answer"),
    ("problems[0].parts[2].choices", [], "problems[0].parts[2].choices"),
    ("problems[0].parts[2].answer", "z", "problems[0].parts[2].answer"),
    ("problems[0].parts[3].answer", "__import__('os')", "problems[0].parts[3].answer"),
    ("problems[0].parts[3].answer", "((x+1)**64)**64", "problems[0].parts[3].answer"),
    ("problems[0].parts[0].kind", "essay", "problems[0].parts[0].kind"),
    ("problems[0].parts[0].id", "A1", "problems[0].parts[0].id"),
    ("problems[0].parts[1].id", "a", "problems[0].parts[1].id"),  # duplicate part id
    ("problems[0].parts[0].prompt", "n", "problems[0].parts[0].prompt"),
    ("problems[0].parts[0].prompt.zh", 5, "problems[0].parts[0].prompt.zh"),
    ("problems[0].parts[0].trace", "yes", "problems[0].parts[0].trace"),
    ("problems[0].parts", [], "problems[0].parts"),
    ("problems[0].family_version", "1", "problems[0].family_version"),
    ("problems[0].seed", 1.5, "problems[0].seed"),
    ("problems[0].params", [1], "problems[0].params"),
    ("problems[0].statement", None, "problems[0].statement"),
    ("problems[0].steps", "step", "problems[0].steps"),
    ("problems[0].mistakes", [{"part": "q", "answer": 1, "tag": "t", "explanation": {"en": "", "zh": ""}}],
     "problems[0].mistakes[0].part"),
    ("problems[0].mistakes", [{"part": "a", "answer": "abc", "tag": "t", "explanation": {"en": "", "zh": ""}}],
     "problems[0].mistakes[0].answer"),
    ("problems[0]", "x", "problems[0]"),
    ("lang", "xx", "lang"),
    ("title", 5, "title"),
    ("seed", "1", "seed"),
    ("topics", "cnn", "topics"),
    ("problems", {}, "problems"),
]


@pytest.mark.parametrize("path,value,field", CASES)
def test_invalid_field_is_named(path, value, field):
    with pytest.raises(QuizgenError) as exc:
        Sheet.from_dict(broken(path, value))
    message = str(exc.value)
    assert f"sheet field {field}" in message and "\n" not in message, message


@pytest.mark.parametrize("path", ["problems[0].parts[0].answer", "problems[0].statement", "lang", "title"])
def test_missing_field_is_named(path):
    with pytest.raises(QuizgenError, match=f"sheet field {path.replace('[', '.').split('.')[0]}"):
        Sheet.from_dict(broken(path, None, delete=True))


def test_deep_params_are_refused_without_recursion():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(QuizgenError, match="params: nested more than"):
        Sheet.from_dict(broken("problems[0].params", {"x": deep}))


def test_brackets_nested_100000_deep_are_one_line():
    with pytest.raises(QuizgenError, match="nested too deeply"):
        Sheet.from_json("[" * 100_000)


def test_every_family_and_the_bank_still_load():
    problems = [generate_problem(fam, seed, d) for fam in load_families().values()
                for d in fam.difficulties for seed in range(10)]
    sheet = Sheet("all", 1, "medium", "zh", (), tuple(problems))
    assert Sheet.from_json(sheet.to_json()) == sheet
    mixed = generate_sheet(["cnn"], 6, 5, "medium", "en", kinds="all")
    assert Sheet.from_json(mixed.to_json()) == mixed


def test_bom_and_crlf_are_accepted(tmp_path):
    sheet = Sheet.from_dict(base())
    path = tmp_path / "sheet.json"
    path.write_bytes(b"\xef\xbb\xbf" + sheet.to_json().replace("\n", "\r\n").encode("utf-8"))
    answers = tmp_path / "answers.txt"
    answers.write_bytes("\ufeff1a: 576\r\n1b: 0.5\r\n1c: b\r\n1d: exp(-z)/(1+exp(-z))^2\r\n".encode("utf-8"))
    out = run_cli("check", str(path), str(answers), "--json")
    assert out.returncode == 0, out.stderr
    assert [r["status"] for r in json.loads(out.stdout)["results"]] == ["correct"] * 4


@pytest.mark.parametrize("path,value", [("problems[0].parts[0].answer", "abc"), ("lang", "xx"),
                                        ("problems[0].parts[2].choices", [])])
def test_cli_prints_one_line_and_exits_2(tmp_path, path, value):
    sheet = tmp_path / "sheet.json"
    sheet.write_text(json.dumps(broken(path, value)), encoding="utf-8")
    answers = tmp_path / "answers.txt"
    answers.write_text("1a: 1\n", encoding="utf-8")
    out = run_cli("check", str(sheet), str(answers))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith("quizgen: error: ") and out.stderr.count("\n") == 1, out.stderr
    assert path in out.stderr


def test_cli_deeply_nested_sheet_is_one_line(tmp_path):
    sheet = tmp_path / "sheet.json"
    sheet.write_text("[" * 100_000, encoding="utf-8")
    answers = tmp_path / "answers.txt"
    answers.write_text("1a: 1\n", encoding="utf-8")
    out = run_cli("check", str(sheet), str(answers))
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "nested too deeply" in out.stderr, out.stderr
