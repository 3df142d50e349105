"""`quizgen roster`: per-student sheets, seeds, bad rows, the output folder, PDFs."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import run_cli
from quizgen.errors import QuizgenError
from quizgen.registry import load_families
from quizgen.roster import parse_roster, student_seed, write_roster

CSV = "id,name,lang\ns001,Wang Fang,en\ns002,李雷,zh\ns003,\"O'Brien, Ann\",\n"


def roster_csv(tmp_path, text=CSV):
    path = tmp_path / "students.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_reads_ids_names_and_languages():
    students = parse_roster(CSV.encode(), "s.csv", "en")
    assert [(s.id, s.name, s.lang, s.row) for s in students] == [
        ("s001", "Wang Fang", "en", 2), ("s002", "李雷", "zh", 3), ("s003", "O'Brien, Ann", "en", 4)]


def test_parse_accepts_bom_extra_columns_and_blank_lines():
    raw = "\ufeffName,ID,email\nA,x1,a@b\n\nB,x2,\n".encode()
    assert [(s.id, s.name) for s in parse_roster(raw, "s.csv")] == [("x1", "A"), ("x2", "B")]


@pytest.mark.parametrize("raw, message", [
    (b"id,name\ns1,A\ns1,B\n", r"s\.csv row 3: duplicate id 's1' \(first on row 2\)"),
    (b"id,name\ns1,A\nS1,B\n", r"row 3: duplicate id 'S1'"),
    (b"id,name\ns1,A\n,B\n", r"row 3: empty id"),
    (b"id,name\ns1,A\ns2,\n", r"row 3: empty name"),
    (b"id,name\n../x,A\n", r"row 2: id '../x' must be letters"),
    (b"id,name,lang\ns1,A,fr\n", r"row 2: unknown lang 'fr'"),
    (b"id,name\ns1,A,extra\n", r"row 2: more fields than the header has"),
    (b"id,name\ns1,A\ns2,\xff\xfeB\n", r"row 3: not UTF-8"),
    (b"id,fullname\ns1,A\n", r"row 1: the header needs columns id and name \(missing name\)"),
    (b"id,name\n", r"no students"),
    (b"id,name\ns1,\"A\n", r"row \d+: .*"),
])
def test_bad_rows_are_named(raw, message):
    with pytest.raises(QuizgenError, match=message):
        parse_roster(raw, "s.csv")


def test_student_seeds_depend_on_course_seed_and_id():
    seeds = {student_seed(c, i) for c in (1, 2) for i in ("a", "b", "A")}
    assert len(seeds) == 6
    assert all(0 <= s < 2**63 for s in seeds)
    assert student_seed(2026, "s001") == student_seed(2026, "s001")


@pytest.mark.parametrize("family", sorted(load_families()))
def test_every_family_makes_student_sheets(tmp_path, family):
    students = parse_roster(b"id,name\na,A\nb,B\n")
    data = write_roster(students, tmp_path / "out", [family], 2, 7, pdf=False)
    sheets = [json.loads((tmp_path / "out" / f"{s}.json").read_text()) for s in ("a", "b")]
    assert {p["family"] for sheet in sheets for p in sheet["problems"]} == {family}
    assert [s["seed"] for s in data["students"]] == [student_seed(7, "a"), student_seed(7, "b")]
    assert [sheet["seed"] for sheet in sheets] == [student_seed(7, "a"), student_seed(7, "b")]
    assert sheets[0]["problems"] != sheets[1]["problems"]


def test_cli_writes_json_pdfs_and_manifest_byte_identically(tmp_path):
    csv_path = roster_csv(tmp_path)
    args = ["roster", str(csv_path), "-t", "cnn", "-n", "3", "--seed", "2026"]
    r = run_cli(*args, "-o", str(tmp_path / "a"))
    assert r.returncode == 0, r.stderr
    assert "3 sheets" in r.stdout
    assert run_cli(*args, "--no-pdf", "-o", str(tmp_path / "b")).returncode == 0
    for sid in ("s001", "s002", "s003"):
        assert (tmp_path / "a" / f"{sid}.json").read_bytes() == (tmp_path / "b" / f"{sid}.json").read_bytes()
        assert (tmp_path / "a" / f"{sid}.pdf").read_bytes().startswith(b"%PDF")
        assert (tmp_path / "a" / f"{sid}.key.pdf").read_bytes().startswith(b"%PDF")
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert [(s["id"], s["name"], s["lang"]) for s in manifest["students"]] == [
        ("s001", "Wang Fang", "en"), ("s002", "李雷", "zh"), ("s003", "O'Brien, Ann", "en")]
    assert json.loads((tmp_path / "a" / "s002.json").read_text())["lang"] == "zh"


def pdf_text(path, first_page_only=False) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    extra = ["-l", "1"] if first_page_only else []
    return subprocess.run(["pdftotext", *extra, str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_pdf_first_page_names_the_student_and_key_has_answers(tmp_path):
    students = parse_roster(b"id,name\nk42,Zhang Wei\n")
    write_roster(students, tmp_path / "out", ["cnn.params"], 2, 5)
    first = pdf_text(tmp_path / "out" / "k42.pdf", first_page_only=True)
    assert "Zhang Wei" in first and "k42" in first
    assert "Answer key" not in pdf_text(tmp_path / "out" / "k42.pdf")
    sheet = json.loads((tmp_path / "out" / "k42.json").read_text())
    key = pdf_text(tmp_path / "out" / "k42.key.pdf")
    assert "Answer key" in key and "Worked solutions" in key
    assert "Zhang Wei" in key and "k42" in key
    statement = sheet["problems"][0]["statement"]
    statement = statement["en"] if isinstance(statement, dict) else statement
    opening = " ".join(statement.split()[:4])
    assert opening in " ".join(pdf_text(tmp_path / "out" / "k42.pdf").split())
    assert opening not in " ".join(key.split())  # the key does not repeat the statements
    assert f"{sheet['problems'][0]['parts'][0]['answer']:,}" in key


def test_compiling_threads_give_the_same_files(tmp_path):
    students = parse_roster(b"id,name\na,A\nb,B\nc,C\nd,D\ne,E\n")
    write_roster(students, tmp_path / "one", ["cnn"], 2, 3, workers=1)
    write_roster(students, tmp_path / "two", ["cnn"], 2, 3, workers=2)
    for sid in "abcde":
        for name in (f"{sid}.json", f"{sid}.pdf", f"{sid}.key.pdf"):
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert (tmp_path / "one" / "manifest.json").read_bytes() == (tmp_path / "two" / "manifest.json").read_bytes()


def test_a_failing_pdf_leaves_no_folder(tmp_path, monkeypatch):
    def broken(source, date=None):
        raise QuizgenError("PDF rendering failed: test")

    monkeypatch.setattr("quizgen.render.typst.compile_source", broken)
    students = parse_roster(b"id,name\na,A\nb,B\n")
    with pytest.raises(QuizgenError):
        write_roster(students, tmp_path / "out", ["cnn"], 2, 3, workers=2)
    assert list(tmp_path.iterdir()) == []


def test_existing_folder_is_refused_without_force(tmp_path):
    csv_path = roster_csv(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    r = run_cli("roster", str(csv_path), "--seed", "1", "--no-pdf", "-o", str(out))
    assert r.returncode == 2
    assert r.stderr.strip() == f"quizgen: error: {out} already exists; use --force to replace it"
    assert (out / "keep.txt").read_text() == "mine"
    r = run_cli("roster", str(csv_path), "--seed", "1", "--no-pdf", "-o", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert not (out / "keep.txt").exists() and (out / "s001.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "students.csv"]


def test_bad_row_writes_nothing(tmp_path):
    csv_path = roster_csv(tmp_path, "id,name\ns1,A\ns1,B\n")
    r = run_cli("roster", str(csv_path), "--seed", "1", "-o", str(tmp_path / "out"))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "row 3: duplicate id 's1'" in r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["students.csv"]


def test_bad_option_writes_nothing(tmp_path):
    students = parse_roster(b"id,name\na,A\n")
    with pytest.raises(QuizgenError, match="unknown topic"):
        write_roster(students, tmp_path / "out", ["no-such-topic"], 2, 3)
    assert list(tmp_path.iterdir()) == []


def test_missing_csv_is_one_line(tmp_path):
    r = run_cli("roster", str(tmp_path / "none.csv"), "--seed", "1", "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and r.stderr.startswith("quizgen: error: roster") and "not found" in r.stderr


def test_progress_reaches_every_student(tmp_path):
    seen = []
    students = parse_roster(b"id,name\na,A\nb,B\n")
    write_roster(students, tmp_path / "out", ["cnn.params"], 1, 3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
