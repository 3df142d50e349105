"""`quizgen exam`: the mock exam's sections, marks, determinism and PDFs, over the registry."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from quizgen import mock
from quizgen.errors import QuizgenError
from quizgen.registry import load_families


def test_sections_marks_and_total():
    exam = mock.build_exam(7, concepts=5, essays=3)
    problems = exam.sheet.problems
    assert exam.sections.count(0) == 5 and exam.sections.count(1) == 3
    for problem, marks, section in zip(problems, exam.marks, exam.sections):
        assert f"[{marks} marks" in problem.title.en and f"（{marks} 分" in problem.title.zh
        if section == 1:
            assert problem.params["id"] in mock.ESSAYS and marks == 10
        if section == 2:
            assert marks == min(2 * len(problem.parts), mock.CALC_MAX)
            assert (", 2 per part" in problem.title.en) == (marks < mock.CALC_MAX)
    assert exam.total == sum(exam.marks) and f"{exam.total} marks" in exam.sheet.title
    assert sum(m for _, _, m in mock.exam_outline(exam, "en")) == exam.total


def test_every_theme_with_a_family_is_on_the_paper():
    families = load_families().values()
    exam = mock.build_exam(3)
    computed = [p for p, s in zip(exam.sheet.problems, exam.sections) if s == 2]
    covered = [theme for theme, topic, _ in mock.THEMES if any(f.topic == topic for f in families)]
    assert len(computed) >= len({topic for _, topic, _ in mock.THEMES if any(f.topic == topic for f in families)})
    assert len(computed) <= len(covered)
    assert len({p.family for p in computed}) == len(computed)
    for _, topic, _ in mock.THEMES:
        if any(f.topic == topic for f in families):
            assert any(p.topic == topic for p in computed), topic


def test_the_same_seed_gives_the_same_paper():
    assert mock.build_exam(11).sheet.to_json() == mock.build_exam(11).sheet.to_json()
    assert mock.build_exam(11).sheet.to_json() != mock.build_exam(12).sheet.to_json()


@pytest.mark.parametrize("kwargs, message", [({"essays": 9}, "--essays"), ({"concepts": 99}, "--concepts"),
                                             ({"seed": -1}, "seed")])
def test_bad_options(kwargs, message):
    with pytest.raises(QuizgenError, match=message):
        mock.build_exam(**{"seed": 1, **kwargs})


def test_cli_paper_marking_scheme_and_check(tmp_path):
    from test_pdf import pdf_text

    paper, sheet = tmp_path / "exam.pdf", tmp_path / "exam.json"
    r = run_cli("exam", "--seed", "5", "--pdf", str(paper), "-o", str(sheet))
    assert r.returncode == 0, r.stderr
    assert "total:" in r.stdout and "A. Short questions" in r.stdout
    data = json.loads(sheet.read_text())
    total = data["title"].split("— ")[1]
    paper_text = pdf_text(paper.read_bytes())
    scheme_text = pdf_text((tmp_path / "exam.marking.pdf").read_bytes())
    assert total in paper_text and "Answer key" not in paper_text
    assert "Answer key" in scheme_text and "Worked solutions" in scheme_text
    shown = json.loads(run_cli("show", str(sheet), "--json").stdout)
    lines = [f"{p['id']}: {p['shown']}" for q in shown["problems"] for p in q["parts"] if p["kind"] != "text"]
    (tmp_path / "a.txt").write_text("\n".join(lines) + "\n")
    r = run_cli("check", str(sheet), str(tmp_path / "a.txt"), "--json")
    results = json.loads(r.stdout)["results"]
    assert all(x["status"] == "correct" for x in results if x["kind"] != "text")
    r = run_cli("exam", "--seed", "5", "--pdf", str(paper))
    assert r.returncode == 2 and "already exists" in r.stderr
