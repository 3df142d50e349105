"""Moodle XML, Canvas QTI and Anki exports, read back by real parsers, over every family and
the concept bank."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
import zipfile

import pytest

from conftest import run_cli
from quizgen.check import ANY_WRONG
from quizgen.export import export_sheet
from html import unescape

from quizgen import kinds
from quizgen.export.html import SCALARS, tolerance, yes_no
from quizgen.model import Sheet
from quizgen.registry import load_families
from quizgen.sheet import generate_sheet

FAMILIES = sorted(load_families())


def sheets() -> list[Sheet]:
    """A sheet per family (all difficulties), and concept sheets covering every item type."""
    out = []
    for name, fam in load_families().items():
        problems = tuple(p for d in fam.difficulties for p in generate_sheet([name], 2, 17, d).problems)
        out.append(Sheet(name, 17, "mixed", "en", (name,), problems))
    out.append(generate_sheet([], 40, 5, kinds="concept"))
    return out


SHEETS = sheets()
IDS = [s.title for s in SHEETS[:-1]] + ["bank"]

# --- Moodle: the importer's rules --------------------------------------------------------
# Required children per question type, as Moodle's qformat_xml import reads them.
REQUIRED = {
    "numerical": ["name/text", "questiontext/text", "generalfeedback", "defaultgrade", "answer"],
    "multichoice": ["name/text", "questiontext/text", "single", "shuffleanswers", "answernumbering", "answer"],
    "essay": ["name/text", "questiontext/text", "responseformat", "graderinfo/text"],
    "cloze": ["name/text", "questiontext/text", "generalfeedback"],
}
# Moodle's cloze parser (question/type/multianswer/questiontype.php), in Python syntax.
ALT = (r"(=|%(-?[0-9]+(?:[.,][0-9]*)?)%)?(.+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$))"
       r"(#(.*?(?<!\\)(?=[~}]|$)))?")
TYPES = (r"(NUMERICAL|NM)|(MULTICHOICE|MC)|(SHORTANSWER|SA|MW)|(MULTIRESPONSE|MR)")
ANSWER = re.compile(r"\{([0-9]*):(" + TYPES + r"):(" + ALT + r"(~" + ALT + r")*)\}", re.S)
NUMBER = re.compile(r"^(-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?))(:(-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)))?$")


def cloze_subquestions(text: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(type, [(fraction, answer, feedback)]) for each embedded answer, as Moodle reads them."""
    out = []
    for m in ANSWER.finditer(text):
        alts = [(a.group(1) or "", a.group(3), a.group(5) or "")
                for a in re.finditer(r"~?" + ALT, m.group(7), re.S)]
        out.append((m.group(2), alts))
    return out


def boxes(part) -> list:
    if part.kind in SCALARS:
        return [part.answer]
    if part.kind in ("vector", "shape"):
        return list(part.answer)
    if part.kind == "matrix":
        return [v for row in part.answer for v in row]
    return [part.answer]


@pytest.mark.parametrize("sheet", SHEETS, ids=IDS)
def test_moodle_xml_follows_the_importer_rules(sheet):
    quiz = ET.fromstring(export_sheet(sheet, "moodle", "en"))
    assert quiz.tag == "quiz"
    questions = quiz.findall("question")
    assert questions[0].get("type") == "category"
    assert questions[0].find("category/text").text.startswith("$course$/")
    questions = questions[1:]
    expected = sum(1 + sum(p.kind == "text" for p in prob.parts) - all(p.kind == "text" for p in prob.parts)
                   for prob in sheet.problems)
    assert len(questions) == expected
    names = [q.find("name/text").text for q in questions]
    assert len(set(names)) == len(names)
    for q in questions:
        qtype = q.get("type")
        for path in REQUIRED[qtype]:
            assert q.find(path) is not None, (qtype, path)
        text = q.find("questiontext/text").text
        assert "$" not in text.replace("$course$", "")
    by_number = {int(n[:2]): q for n, q in zip(names, questions) if q.get("type") != "essay"}
    for n, problem in enumerate(sheet.problems, 1):
        if problem.family != "bank" or any(p.kind != "text" for p in problem.parts):
            check_moodle_question(by_number[n], problem)


def check_moodle_question(q, problem) -> None:
    parts = [p for p in problem.parts if p.kind != "text"]
    qtype = q.get("type")
    if qtype == "numerical":
        (part,) = parts
        answers = q.findall("answer")
        right = [a for a in answers if a.get("fraction") == "100"]
        assert len(right) == 1 and float(right[0].find("text").text) == pytest.approx(part.answer)
        assert float(right[0].find("tolerance").text) == pytest.approx(tolerance(part))
        wrong = [a.find("text").text for a in answers if a.get("fraction") == "0"]
        named = [m for m in problem.mistakes if m.part == part.id]
        assert len(wrong) == len(named)
        assert all(a.find("feedback/text").text for a in answers if a.get("fraction") == "0")
    elif qtype == "multichoice":
        (part,) = parts
        right = part.answer if isinstance(part.answer, list) else [part.answer]
        fractions = [float(a.get("fraction")) for a in q.findall("answer")]
        assert len(fractions) == len(part.choices)
        assert sum(f for f in fractions if f > 0) == pytest.approx(100)
        assert [i for i, f in enumerate(fractions) if f > 0] == ["abcdefghij".index(x) for x in right]
        assert q.find("single").text == ("true" if len(right) == 1 else "false")
    else:
        assert qtype == "cloze"
        subs = cloze_subquestions(q.find("questiontext/text").text)
        assert len(subs) == sum(len(boxes(p)) for p in parts)
        i = 0
        for part in parts:
            for value in boxes(part):
                kind, alts = subs[i]
                i += 1
                right = [a for a in alts if a[0] == "="]
                if part.kind == "choice":
                    letters = part.answer if isinstance(part.answer, list) else [part.answer]
                    assert kind == ("MULTICHOICE" if len(letters) == 1 else "MULTIRESPONSE")
                    assert [a[1].split(")")[0] for a in right] == letters
                    assert len(alts) == len(part.choices)
                elif part.kind == "boolean":
                    assert kind == "MULTICHOICE" and [a[1] for a in right] == [yes_no("en")[0 if value else 1]]
                elif part.kind not in (*SCALARS, "vector", "matrix", "shape"):
                    typed = unescape(right[0][1]).replace("\\}", "}").replace("\\#", "#")
                    assert kind == "SHORTANSWER" and typed == kinds.show(part, value)
                else:
                    assert kind == "NUMERICAL" and len(right) == 1
                    m = NUMBER.match(right[0][1])
                    assert m, right[0][1]
                    assert float(m.group(1)) == pytest.approx(value)
                    assert float(m.group(6)) == pytest.approx(tolerance(part))
                    for fraction, answer, _ in alts[1:]:
                        assert fraction == "%0%" and (answer == "*" or NUMBER.match(answer))


def test_moodle_names_mistakes_in_answer_feedback():
    sheet = generate_sheet(["cnn.params"], 6, 4)
    quiz = ET.fromstring(export_sheet(sheet, "moodle", "zh"))
    feedback = " ".join(a.find("feedback/text").text or "" for a in quiz.iter("answer"))
    explained = [m.explanation.zh for p in sheet.problems for m in p.mistakes]
    assert explained and all(e.split("$")[0][:8] in feedback for e in explained)


def test_moodle_essay_carries_the_model_answer_for_graders():
    sheet = generate_sheet([], 40, 5, kinds="concept")
    essays = [p for p in sheet.problems if p.parts[0].kind == "text"]
    assert essays
    quiz = ET.fromstring(export_sheet(sheet, "moodle", "en"))
    info = [q.find("graderinfo/text").text for q in quiz.findall("question") if q.get("type") == "essay"]
    assert len(info) == len(essays)
    for problem, text in zip(essays, info):
        assert text.count("<li>") == len(problem.parts[0].key_points)


# --- Canvas QTI ----------------------------------------------------------------------------
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
CANVAS_TYPES = {"numerical_question", "multiple_choice_question", "multiple_answers_question",
                "short_answer_question", "essay_question", "text_only_question"}


def qti_items(data: bytes) -> list[ET.Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = ET.fromstring(zf.read("imsmanifest.xml"))
        resources = manifest.findall(f"{CP}resources/{CP}resource")
        assert [r.get("type") for r in resources] == ["imsqti_xmlv1p2"]
        href = resources[0].find(f"{CP}file").get("href")
        root = ET.fromstring(zf.read(href))
    assert root.tag == f"{QTI}questestinterop"
    assessment = root.find(f"{QTI}assessment")
    assert assessment.get("ident") == resources[0].get("identifier")
    return assessment.findall(f"{QTI}section/{QTI}item")


def field(item, label) -> str:
    for f in item.iter(f"{QTI}qtimetadatafield"):
        if f.find(f"{QTI}fieldlabel").text == label:
            return f.find(f"{QTI}fieldentry").text
    raise KeyError(label)


@pytest.mark.parametrize("sheet", SHEETS, ids=IDS)
def test_qti_zip_has_manifest_and_canvas_items(sheet):
    items = qti_items(export_sheet(sheet, "qti", "en"))
    idents = [i.get("ident") for i in items]
    assert len(set(idents)) == len(idents)
    graded = [i for i in items if field(i, "question_type") != "text_only_question"]
    assert len(graded) == sum(len(boxes(p)) if p.kind in ("vector", "matrix") else 1
                              for prob in sheet.problems for p in prob.parts)
    answers = iter([(p, v) for prob in sheet.problems for p in prob.parts
                    for v in (boxes(p) if p.kind in ("vector", "matrix") else [p.answer])])
    for item in graded:
        qtype = field(item, "question_type")
        assert qtype in CANVAS_TYPES
        part, value = next(answers)
        conditions = item.findall(f"{QTI}resprocessing/{QTI}respcondition")
        scoring = [c for c in conditions if c.find(f"{QTI}setvar") is not None]
        if qtype == "essay_question":
            assert part.kind == "text" and not scoring
            continue
        assert len(scoring) == 1 and scoring[0].find(f"{QTI}setvar").text == "100"
        equal = [v.text for v in scoring[0].iter(f"{QTI}varequal")]
        if qtype == "numerical_question":
            assert part.kind in (*SCALARS, "vector", "matrix")
            assert float(equal[0]) == pytest.approx(value)
            low = scoring[0].find(f"{QTI}conditionvar/{QTI}or/{QTI}and/{QTI}vargte")
            if tolerance(part):
                assert float(low.text) == pytest.approx(value - tolerance(part))
        elif qtype in ("multiple_choice_question", "multiple_answers_question"):
            labels = [r.get("ident") for r in item.iter(f"{QTI}response_label")]
            assert len(labels) == (2 if part.kind == "boolean" else len(part.choices))
            letters = part.answer if isinstance(part.answer, list) else [part.answer]
            if part.kind == "boolean":
                letters = ["a" if part.answer else "b"]
            positive = [v.text for v in scoring[0].iter(f"{QTI}varequal")
                        if v not in [n.find(f"{QTI}varequal") for n in scoring[0].iter(f"{QTI}not")]]
            assert positive == letters
        else:
            assert qtype == "short_answer_question" and part.kind not in (*SCALARS, "choice", "boolean", "text")
            assert kinds.show(part, value) in equal


# --- Anki ----------------------------------------------------------------------------------
def anki_collection(data: bytes, tmp_path):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (tmp_path / "c.anki2").write_bytes(zf.read("collection.anki2"))
    return sqlite3.connect(tmp_path / "c.anki2")


def test_anki_deck_opens_and_keeps_ids_across_regeneration(tmp_path):
    sheet = generate_sheet([], 8, 21, kinds="all")
    db = anki_collection(export_sheet(sheet, "anki", "en"), tmp_path)
    notes = db.execute("select guid, mid, flds from notes order by sfld").fetchall()
    assert len(notes) == len(sheet.problems)
    assert db.execute("select count(*) from cards").fetchone()[0] == len(sheet.problems)
    models = json.loads(db.execute("select models from col").fetchone()[0])
    decks = json.loads(db.execute("select decks from col").fetchone()[0])
    assert {n[1] for n in notes} <= {int(k) for k in models}
    assert any(d["name"] == f"quizgen::{sheet.title}" for d in decks.values())
    fields = [n[2].split("\x1f") for n in notes]
    assert sorted(f[2] for f in fields) == sorted(p.ref for p in sheet.problems)
    assert any("\\(" in f[0] + f[1] for f in fields) and not any("$" in f[0] + f[1] for f in fields)
    db.close()
    again = anki_collection(export_sheet(generate_sheet([], 8, 21, kinds="all"), "anki", "en"), tmp_path / "..")
    assert again.execute("select guid, mid from notes order by sfld").fetchall() == [(g, m) for g, m, _ in notes]
    assert json.loads(again.execute("select decks from col").fetchone()[0]).keys() == decks.keys()


def test_anki_backs_hold_answers_and_key_points(tmp_path):
    sheet = generate_sheet([], 10, 3, kinds="all")
    db = anki_collection(export_sheet(sheet, "anki", "zh"), tmp_path)
    backs = {f.split("\x1f")[2]: f.split("\x1f")[1] for (f,) in db.execute("select flds from notes")}
    for p in sheet.problems:
        if p.parts[0].kind == "text":
            assert backs[p.ref].count("<li>") == len(p.parts[0].key_points) and "要点" in backs[p.ref]
        else:
            assert "答案" in backs[p.ref] and "详细解答" in backs[p.ref]


# --- the command ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, suffix, magic", [("moodle", ".xml", b"<?xml"), ("qti", ".zip", b"PK"),
                                                ("anki", ".apkg", b"PK")])
def test_export_command_writes_each_format(tmp_path, fmt, suffix, magic):
    sheet = tmp_path / "s.json"
    assert run_cli("generate", "-n", "3", "--seed", "4", "-o", str(sheet)).returncode == 0
    r = run_cli("export", str(sheet), "-f", fmt)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / f"s{suffix}").read_bytes().startswith(magic)
    r = run_cli("export", str(sheet), "-f", fmt)
    assert r.returncode == 2 and "already exists" in r.stderr


def test_any_wrong_mistakes_become_wildcards():
    for sheet in SHEETS:
        quiz = ET.fromstring(export_sheet(sheet, "moodle", "en"))
        stars = [a for a in quiz.iter("answer") if a.find("text").text == "*"]
        cloze_stars = sum(q.find("questiontext/text").text.count("%0%*") for q in quiz.findall("question[@type='cloze']"))
        wanted = sum(m.answer == ANY_WRONG for p in sheet.problems for m in p.mistakes)
        assert len(stars) + cloze_stars == wanted
