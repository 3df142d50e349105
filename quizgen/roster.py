"""Per-student sheets for a class: `quizgen roster students.csv -o out/`.

    student seed = first 8 bytes of SHA-256("<course seed>/<student id>") >> 1   (< 2^63)
    sheet        = generate_sheet(topics, count, student seed, ...), titled with the
                   student's name and id (so both are on the first page of the PDF)

The CSV needs a header with `id` and `name`; an optional `lang` column (en, zh, zh-Hant)
overrides the default language per student (zh-Hant: the sheet JSON keeps en + Simplified,
the PDFs are converted, see quizgen.hant).  Every row is checked before anything is written: an
empty or duplicate id, an id that cannot be a file name, an empty name or a bad language is
one error naming the row; so is a line that is not UTF-8.

The folder is written whole or not at all: into a temporary sibling folder, then renamed
(removed on any error, so nothing of a failed run is left).  Sheets are generated one by one
while earlier students' PDFs compile (quizgen.pdfbatch: threads).
It holds per student `<id>.json`, `<id>.pdf` (no answers) and `<id>.key.pdf` (answer key
and worked solutions without the statements, for the instructor), and `manifest.json`, which `quizgen grade` reads.
The same CSV and options give byte-identical JSON (the PDFs show the date).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from quizgen.errors import QuizgenError
from quizgen.hant import HANT, LANG_CHOICES
from quizgen.model import Sheet

MANIFEST = "manifest.json"
MANIFEST_KIND = "quizgen-roster"
MANIFEST_VERSION = 1
MAX_STUDENTS = 5000
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
TITLES = {"en": "Practice sheet", "zh": "练习题", HANT: "练习题"}


@dataclass(frozen=True)
class Student:
    id: str
    name: str
    lang: str
    row: int  # line number in the CSV (the header is line 1)


def student_seed(course_seed: int, student_id: str) -> int:
    """The student's sheet seed: deterministic in the course seed and the id, below 2^63."""
    digest = hashlib.sha256(f"{course_seed}/{student_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        for lineno, line in enumerate(raw.split(b"\n"), 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise QuizgenError(f"{where} row {lineno}: not UTF-8 text (save the CSV as UTF-8)") from None
        raise QuizgenError(f"{where}: not UTF-8 text") from None


def parse_roster(raw: bytes, where: str = "roster", default_lang: str = "en") -> list[Student]:
    """The students of a roster CSV, every row checked; errors name the row."""
    text = _decode(raw, where)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("id", "name") if c not in header]
    if missing:
        raise QuizgenError(f"{where} row 1: the header needs columns id and name (missing {', '.join(missing)})")
    reader.fieldnames = header
    students: list[Student] = []
    first_row: dict[str, int] = {}
    try:
        for record in reader:
            row = reader.line_num
            if None in record:
                raise QuizgenError(f"{where} row {row}: more fields than the header has")
            values = {k: (v or "").strip() for k, v in record.items()}
            if not any(values.values()):
                continue
            sid, name, lang = values["id"], values["name"], values.get("lang") or default_lang
            if not sid:
                raise QuizgenError(f"{where} row {row}: empty id")
            if not ID_RE.fullmatch(sid):
                raise QuizgenError(f"{where} row {row}: id {sid[:40]!r} must be letters, digits, . _ - "
                                   "(it names the student's files)")
            if sid.lower() in first_row:
                raise QuizgenError(f"{where} row {row}: duplicate id {sid!r} (first on row {first_row[sid.lower()]})")
            if not name:
                raise QuizgenError(f"{where} row {row}: empty name for id {sid!r}")
            if lang not in LANG_CHOICES:
                raise QuizgenError(f"{where} row {row}: unknown lang {lang[:20]!r}; use {', '.join(LANG_CHOICES)}")
            first_row[sid.lower()] = row
            students.append(Student(sid, name, lang, row))
            if len(students) > MAX_STUDENTS:
                raise QuizgenError(f"{where}: more than {MAX_STUDENTS} students")
    except csv.Error as exc:
        raise QuizgenError(f"{where} row {reader.line_num}: {exc}") from None
    if not students:
        raise QuizgenError(f"{where}: no students")
    return students


def student_sheet(student: Student, topics: list[str], count: int, course_seed: int,
                  difficulty: str, kinds: str, title: str | None) -> Sheet:
    from quizgen.sheet import generate_sheet

    head = title or TITLES[student.lang]
    lang = "zh" if student.lang == HANT else student.lang
    return generate_sheet(topics, count, student_seed(course_seed, student.id), difficulty, lang,
                          title=f"{head} — {student.name} ({student.id})", kinds=kinds)


def manifest(students: list[Student], sheets: list[Sheet], course_seed: int, topics: list[str], count: int,
             difficulty: str, kinds: str, pdf: bool) -> dict:
    """What `quizgen grade` reads: the students, their seeds, files and sheet digests."""
    entries = []
    for s, sheet in zip(students, sheets):
        files = {"sheet": f"{s.id}.json"}
        if pdf:
            files.update(pdf=f"{s.id}.pdf", key=f"{s.id}.key.pdf")
        entries.append({"id": s.id, "name": s.name, "lang": s.lang, "seed": sheet.seed, "files": files,
                        "sha256": hashlib.sha256(sheet.to_json().encode("utf-8")).hexdigest()})
    return {"kind": MANIFEST_KIND, "version": MANIFEST_VERSION, "course_seed": course_seed,
            "topics": list(topics), "count": count, "difficulty": difficulty, "kinds": kinds,
            "students": entries}


def _check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise QuizgenError(f"{out} exists and is not a folder")
    if out.exists() and not force:
        raise QuizgenError(f"{out} already exists; use --force to replace it")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise QuizgenError(f"folder {parent} does not exist")


def _swap_in(tmp: Path, out: Path) -> None:
    """Move the finished folder into place; an old one is removed only once the new is in."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(dir=out.resolve().parent, prefix=f".{out.name}.old-"))
        os.replace(out, old / out.name)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_roster(students: list[Student], out: Path, topics: list[str], count: int, course_seed: int,
                 difficulty: str = "medium", kinds: str = "computed", title: str | None = None,
                 pdf: bool = True, workers: int = 1, force: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> dict:
    """Generate and write every student's files; returns the manifest.

    `progress(done, total)` is called as students are finished."""
    _check_target(out, force)
    if pdf and any(s.lang == "zh" for s in students):
        from quizgen.render.typst import cjk_font_available

        if not cjk_font_available():
            raise QuizgenError("Chinese PDF needs a CJK font: install fonts-wqy-microhei or fonts-noto-cjk")
    if pdf and any(s.lang == HANT for s in students):
        from quizgen.hant import converter, hant_font_available

        converter()  # OpenCC is installed
        if not hant_font_available():
            raise QuizgenError("Traditional Chinese PDF needs a CJK font with Traditional forms: "
                               "install fonts-noto-cjk or fonts-wqy-microhei")
    tmp = Path(tempfile.mkdtemp(dir=out.resolve().parent, prefix=f".{out.name}.tmp-"))
    try:
        total = len(students)
        sheets: list[Sheet] = []

        def made():  # each sheet as it is generated (and its JSON written), with the PDFs it needs
            for s in students:
                sheet = student_sheet(s, topics, count, course_seed, difficulty, kinds, title)
                sheets.append(sheet)
                (tmp / f"{s.id}.json").write_text(sheet.to_json(), encoding="utf-8")
                if not pdf and progress:
                    progress(len(sheets), total)
                yield s, sheet

        if not pdf:
            for _ in made():
                pass
        else:
            from quizgen.pdfbatch import render_pdfs

            # lazy: sheets are generated in this thread while the compiling threads work
            jobs = ((sheet, s.lang, answers) for s, sheet in made() for answers in ("none", "answers"))
            for j, data in enumerate(render_pdfs(jobs, workers)):
                s = students[j // 2]
                (tmp / (f"{s.id}.pdf" if j % 2 == 0 else f"{s.id}.key.pdf")).write_bytes(data)
                if progress and j % 2:
                    progress(j // 2 + 1, total)
        data = manifest(students, sheets, course_seed, topics, count, difficulty, kinds, pdf)
        (tmp / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                    encoding="utf-8")
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return data


def read_manifest(folder: Path) -> dict:
    """The manifest of a roster folder, checked."""
    from quizgen.files import read_text

    path = folder / MANIFEST
    if not folder.is_dir():
        raise QuizgenError(f"roster folder {folder} not found")
    try:
        data = json.loads(read_text(path, "roster manifest"))
    except json.JSONDecodeError as exc:
        raise QuizgenError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or data.get("kind") != MANIFEST_KIND:
        raise QuizgenError(f"{path} is not a quizgen roster manifest")
    if data.get("version") != MANIFEST_VERSION:
        raise QuizgenError(f"{path}: roster manifest version {data.get('version')!r} is not supported")
    students = data.get("students")
    if not isinstance(students, list) or not all(
            isinstance(s, dict) and isinstance(s.get("id"), str) and ID_RE.fullmatch(s["id"])
            and isinstance(s.get("name"), str) for s in students):
        raise QuizgenError(f"{path}: malformed students list")
    return data
