"""Batch grading of a roster: `quizgen grade out/ answers/ --csv grades.csv`.

    student  = the roster manifest's entry; sheet = <roster>/<id>.json (checked against the
               manifest's SHA-256); answers = <answers>/<id>.txt in the `quizgen check` format
    problem score = Σ part scores over its auto-graded parts   (correct or carried = 1)
    total         = Σ problem scores;  out_of = number of auto-graded parts
                    (self-graded text parts are counted apart: `self_graded`)
    per part      = over graded students: how many got it wrong (wrong or unreadable), how
                    many left it blank, and the most common named mistake (ties: the tag
                    first in name order)

Every student is graded with `check.check_sheet` (error carried forward, mistakes named).
A missing answers file, or one `check` cannot read, is listed and the student is left out of
the per-part counts; files in ANSWERS that belong to no student are listed too.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from quizgen.errors import QuizgenError
from quizgen.model import Sheet, Text

WRONG = ("wrong", "format")


@dataclass
class PartSummary:
    problem: int
    part: str
    family: str
    graded: int = 0
    wrong: int = 0
    blank: int = 0
    mistakes: Counter = field(default_factory=Counter)
    explanations: dict = field(default_factory=dict)  # tag -> Text

    @property
    def label(self) -> str:
        return f"{self.problem}{self.part}"

    def top_mistake(self) -> tuple[str, int] | None:
        if not self.mistakes:
            return None
        tag, n = min(self.mistakes.items(), key=lambda kv: (-kv[1], kv[0]))
        return tag, n

    def to_dict(self, lang: str) -> dict:
        top = self.top_mistake()
        return {"id": self.label, "problem": self.problem, "part": self.part, "family": self.family,
                "graded": self.graded, "wrong": self.wrong, "blank": self.blank,
                "mistakes": dict(sorted(self.mistakes.items())),
                "top_mistake": None if top is None else {
                    "tag": top[0], "count": top[1], "explanation": self.explanations[top[0]].get(lang)}}


@dataclass
class StudentGrade:
    id: str
    name: str
    status: str                      # graded | missing | unreadable
    problems: list[float] = field(default_factory=list)
    total: float = 0.0
    out_of: int = 0
    self_graded: int = 0
    error: str | None = None
    results: list = field(default_factory=list)  # check.PartResult

    def to_dict(self, lang: str) -> dict:
        return {"id": self.id, "name": self.name, "status": self.status, "problems": self.problems,
                "total": self.total, "out_of": self.out_of, "self_graded": self.self_graded,
                "error": self.error, "results": [r.to_dict(lang) for r in self.results]}


@dataclass
class Gradebook:
    students: list[StudentGrade]
    parts: list[PartSummary]
    unknown_files: list[str]
    problems: int

    @property
    def missing(self) -> list[str]:
        return [s.id for s in self.students if s.status == "missing"]

    @property
    def unreadable(self) -> list[StudentGrade]:
        return [s for s in self.students if s.status == "unreadable"]

    def to_dict(self, lang: str = "en") -> dict:
        return {"students": [s.to_dict(lang) for s in self.students],
                "parts": [p.to_dict(lang) for p in self.parts],
                "missing": self.missing, "unreadable": {s.id: s.error for s in self.unreadable},
                "unknown_files": self.unknown_files}


def _sheet(folder: Path, entry: dict) -> Sheet:
    from quizgen.files import read_text

    name = entry.get("files", {}).get("sheet", f"{entry['id']}.json")
    path = folder / Path(name).name
    text = read_text(path, "sheet")
    if "sha256" in entry and hashlib.sha256(text.encode("utf-8")).hexdigest() != entry["sha256"]:
        raise QuizgenError(f"{path} differs from the sheet the roster wrote (its SHA-256 does not match the manifest)")
    return Sheet.from_json(text)


def grade_student(entry: dict, sheet: Sheet, answers_text: str | None) -> StudentGrade:
    from quizgen.check import check_sheet, read_answers

    grade = StudentGrade(entry["id"], entry["name"], "missing")
    if answers_text is None:
        return grade
    try:
        answers = read_answers(answers_text, sheet)
    except QuizgenError as exc:
        grade.status, grade.error = "unreadable", str(exc)
        return grade
    grade.status = "graded"
    grade.results = check_sheet(sheet, answers)
    grade.problems = [0.0] * len(sheet.problems)
    for r in grade.results:
        if r.kind == "text":
            grade.self_graded += 1
            continue
        grade.out_of += 1
        grade.problems[r.problem - 1] += r.score
    grade.total = sum(grade.problems)
    return grade


def _tally(parts: dict, sheet: Sheet, grade: StudentGrade) -> None:
    for r in grade.results:
        if r.kind == "text":
            continue
        family = sheet.problems[r.problem - 1].family
        summary = parts.setdefault((r.problem, r.part, family), PartSummary(r.problem, r.part, family))
        summary.graded += 1
        summary.blank += r.status == "missing"
        if r.status in WRONG:
            summary.wrong += 1
            if r.mistake:
                summary.mistakes[r.mistake] += 1
                named = [m.explanation for m in sheet.problems[r.problem - 1].mistakes if m.tag == r.mistake]
                summary.explanations.setdefault(r.mistake, named[0] if named else Text(r.mistake, r.mistake))


def grade_roster(roster_dir: Path, answers_dir: Path) -> Gradebook:
    """Grade every student of a roster folder from a folder of `<id>.txt` answer files."""
    from quizgen.files import read_text
    from quizgen.roster import read_manifest

    data = read_manifest(roster_dir)
    if not answers_dir.is_dir():
        raise QuizgenError(f"answers folder {answers_dir} not found")
    entries = data["students"]
    known = {e["id"] for e in entries}
    unknown = sorted(p.name for p in answers_dir.glob("*.txt") if p.stem not in known)
    students, parts, problems = [], {}, 0
    for entry in entries:
        sheet = _sheet(roster_dir, entry)
        problems = max(problems, len(sheet.problems))
        path = answers_dir / f"{entry['id']}.txt"
        try:
            text = read_text(path, "answers file") if path.exists() else None
        except QuizgenError as exc:  # not UTF-8, too large, a folder: listed, not fatal
            students.append(StudentGrade(entry["id"], entry["name"], "unreadable", error=str(exc)))
            continue
        grade = grade_student(entry, sheet, text)
        if grade.status == "graded":
            _tally(parts, sheet, grade)
        students.append(grade)
    return Gradebook(students, [parts[k] for k in sorted(parts)], unknown, problems)


def gradebook_csv(book: Gradebook) -> str:
    """One row per student: id, name, status, a score per problem, total, out_of, self_graded
    (a name starting with = + - @ gets a leading ' so spreadsheets do not run it)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "name", "status", *[f"p{i}" for i in range(1, book.problems + 1)],
                     "total", "out_of", "self_graded"])
    for s in book.students:
        name = "'" + s.name if s.name and s.name[0] in "=+-@\t\r" else s.name  # no spreadsheet formulas
        scores = [_num(x) for x in s.problems] + [""] * (book.problems - len(s.problems))
        if s.status != "graded":
            writer.writerow([s.id, name, s.status, *[""] * book.problems, "", "", ""])
        else:
            writer.writerow([s.id, name, s.status, *scores, _num(s.total), s.out_of, s.self_graded])
    return buf.getvalue()


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
