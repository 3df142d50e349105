"""`quizgen grade`: a roster folder and a folder of answer files into a gradebook."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import run_cli
from quizgen import kinds
from quizgen.check import ANY_WRONG
from quizgen.errors import QuizgenError
from quizgen.gradebook import grade_roster, gradebook_csv
from quizgen.model import Sheet
from quizgen.registry import load_families
from quizgen.roster import parse_roster, write_roster


def key_lines(sheet: Sheet, replace: dict | None = None) -> str:
    """The answer key as an answers file; `replace` maps (problem, part) -> raw answer."""
    lines = []
    for n, p in enumerate(sheet.problems, 1):
        for part in p.parts:
            raw = (replace or {}).get((n, part.id), kinds.show(part, part.answer))
            lines += [f"{n}{part.id}: " + raw.split("\n")[0]] + raw.split("\n")[1:]
    return "\n".join(lines) + "\n"


def load(folder, sid) -> Sheet:
    return Sheet.from_json((folder / f"{sid}.json").read_text())


def first_named_mistake(sheet: Sheet):
    for n, p in enumerate(sheet.problems, 1):
        for m in p.mistakes:
            part = p.part(m.part)
            if m.answer != ANY_WRONG and not kinds.equal(part, m.answer, part.answer):
                return n, part, m
    return None


@pytest.fixture
def classroom(tmp_path):
    """Five students on cnn problems: a all right, b one named mistake, c no file, d garbage,
    e not UTF-8."""
    out, answers = tmp_path / "out", tmp_path / "answers"
    write_roster(parse_roster(b"id,name\na,Ann\nb,Bo\nc,Cy\nd,Di\ne,Ed\n"), out, ["cnn"], 6, 11, pdf=False)
    answers.mkdir()
    (answers / "a.txt").write_text(key_lines(load(out, "a")))
    sheet_b = load(out, "b")
    found = first_named_mistake(sheet_b)
    assert found is not None, "the cnn families name no mistakes any more"
    n, part, mistake = found
    (answers / "b.txt").write_text(key_lines(sheet_b, {(n, part.id): kinds.show(part, mistake.answer)}))
    (answers / "d.txt").write_text("this is not an answers file\n")
    (answers / "e.txt").write_bytes(b"1a: \xff\xfe\n")
    (answers / "zz.txt").write_text("1a: 3\n")
    return out, answers, (n, part.id, mistake)


def test_gradebook_scores_students_and_lists_the_rest(classroom):
    out, answers, (n, part_id, mistake) = classroom
    book = grade_roster(out, answers)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(gradebook_csv(book)))}
    assert list(rows) == ["a", "b", "c", "d", "e"]
    parts = sum(len(p.parts) for p in load(out, "a").problems)
    assert (rows["a"]["status"], rows["a"]["total"], rows["a"]["out_of"]) == ("graded", str(parts), str(parts))
    assert [rows["a"][f"p{i}"] for i in range(1, 7)] == [str(len(p.parts)) for p in load(out, "a").problems]
    assert int(rows["b"]["total"]) == int(rows["b"]["out_of"]) - 1
    assert int(rows["b"][f"p{n}"]) == len(load(out, "b").problems[n - 1].parts) - 1
    assert rows["c"]["status"] == "missing" and rows["c"]["total"] == ""
    assert rows["d"]["status"] == "unreadable" and rows["e"]["status"] == "unreadable"
    assert book.missing == ["c"] and book.unknown_files == ["zz.txt"]
    assert "expected an id" in book.unreadable[0].error and "not UTF-8" in book.unreadable[1].error


def test_summary_counts_wrong_parts_and_names_the_mistake(classroom):
    out, answers, (n, part_id, mistake) = classroom
    book = grade_roster(out, answers)
    by_id = {p.label: p for p in book.parts}
    hit = by_id[f"{n}{part_id}"]
    assert (hit.graded, hit.wrong, hit.blank) == (2, 1, 0)
    assert hit.top_mistake() == (mistake.tag, 1)
    summary = hit.to_dict("zh")
    assert summary["top_mistake"]["explanation"] == mistake.explanation.zh
    assert sum(p.wrong for p in book.parts) == 1


def test_cli_writes_csv_prints_tables_and_json(classroom, tmp_path):
    out, answers, (n, part_id, mistake) = classroom
    grades = tmp_path / "grades.csv"
    r = run_cli("grade", str(out), str(answers), "--csv", str(grades))
    assert r.returncode == 0, r.stderr
    assert "Gradebook" in r.stdout and "What the class got wrong" in r.stdout and mistake.tag in r.stdout
    assert "No answers file: c" in r.stdout and "zz.txt" in r.stdout
    assert grades.read_text().startswith("id,name,status,p1,")
    r = run_cli("grade", str(out), str(answers), "--csv", str(grades))
    assert r.returncode == 2 and "already exists" in r.stderr
    data = json.loads(run_cli("grade", str(out), str(answers), "--json").stdout)
    assert data["missing"] == ["c"] and list(data["unreadable"]) == ["d", "e"]
    b = next(s for s in data["students"] if s["id"] == "b")
    assert [x["mistake"] for x in b["results"] if x["status"] == "wrong"] == [mistake.tag]


def test_a_changed_sheet_is_refused(classroom):
    out, answers, _ = classroom
    (out / "a.json").write_text((out / "a.json").read_text().replace('"seed"', '"seed" ', 1))
    with pytest.raises(QuizgenError, match="a.json differs from the sheet the roster wrote"):
        grade_roster(out, answers)


def test_not_a_roster_folder(tmp_path):
    r = run_cli("grade", str(tmp_path), str(tmp_path))
    assert r.returncode == 2 and "manifest" in r.stderr and r.stderr.count("\n") == 1


def test_formula_names_are_defused_in_the_csv(tmp_path):
    out, answers = tmp_path / "out", tmp_path / "ans"
    write_roster(parse_roster(b"id,name\na,=HYPERLINK(1)\n"), out, ["cnn.params"], 1, 1, pdf=False)
    answers.mkdir()
    assert "'=HYPERLINK(1)" in gradebook_csv(grade_roster(out, answers))


@pytest.mark.parametrize("family", sorted(load_families()))
def test_every_family_grades_its_own_key_full_marks(tmp_path, family):
    out, answers = tmp_path / "out", tmp_path / "ans"
    write_roster(parse_roster(b"id,name\nx,X\n"), out, [family], 3, 5, pdf=False)
    answers.mkdir()
    (answers / "x.txt").write_text(key_lines(load(out, "x")))
    student = grade_roster(out, answers).students[0]
    assert student.status == "graded" and student.out_of > 0
    assert student.total == student.out_of


def test_a_class_with_everything_right_says_so(tmp_path):
    out, answers = tmp_path / "out", tmp_path / "ans"
    write_roster(parse_roster(b"id,name\na,A\n"), out, ["cnn.params"], 2, 3, pdf=False)
    answers.mkdir()
    (answers / "a.txt").write_text(key_lines(load(out, "a")))
    r = run_cli("grade", str(out), str(answers))
    assert r.returncode == 0 and "Every graded part was answered right." in r.stdout
    assert "What the class got wrong" not in r.stdout
