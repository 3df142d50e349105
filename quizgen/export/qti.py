"""A sheet as a QTI 1.2 zip that Canvas imports (Settings → Import course content → QTI .zip).

    zip:  imsmanifest.xml                 one resource of type imsqti_xmlv1p2
          <assessment id>/<id>.xml        questestinterop > assessment > section > items
    item per answer box (Canvas items have one answer each):
          integer, real, sign             numerical_question, exact or [key − tol, key + tol]
          vector, matrix                  one numerical_question per element (1a.1, 1a.2, …)
          choice, boolean (yes / no)      multiple_choice_question | multiple_answers_question
          shape and every other kind      short_answer_question (exact text as quizgen shows
                                          the key; shapes accept 25x13x13, 25×13×13, 25*13*13,
                                          (25, 13, 13))
          text (concept items)            essay_question (graded by hand)
    a problem with several boxes starts with a text_only_question holding the statement;
    worked solutions are the items' general feedback.

Identifiers derive from the sheet seed and problem refs (stable across exports).
"""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile

from quizgen import kinds
from quizgen.export.html import SCALARS, format_hint, html, inline, number, steps_html, tolerance, yes_no
from quizgen.model import Part, Problem, Sheet, Text

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def ident(*parts) -> str:
    return "g" + hashlib.sha256("/".join(map(str, parts)).encode("utf-8")).hexdigest()[:31]


def _meta(item: ET.Element, qtype: str, points: float) -> None:
    meta = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", qtype), ("points_possible", number(points))):
        field = ET.SubElement(meta, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _material(parent: ET.Element, content: str) -> None:
    ET.SubElement(ET.SubElement(parent, "material"), "mattext", {"texttype": "text/html"}).text = content


def _item(section, item_id: str, title: str, qtype: str, text: str, points: float = 1) -> ET.Element:
    item = ET.SubElement(section, "item", {"ident": item_id, "title": title})
    _meta(item, qtype, points)
    _material(ET.SubElement(item, "presentation"), text)
    return item


def _processing(item: ET.Element, feedback: str) -> ET.Element:
    proc = ET.SubElement(item, "resprocessing")
    ET.SubElement(ET.SubElement(proc, "outcomes"), "decvar",
                  {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
    if feedback:
        cond = ET.SubElement(proc, "respcondition", {"continue": "Yes"})
        ET.SubElement(ET.SubElement(cond, "conditionvar"), "other")
        ET.SubElement(cond, "displayfeedback", {"feedbacktype": "Response", "linkrefid": "general_fb"})
        fb = ET.SubElement(item, "itemfeedback", {"ident": "general_fb"})
        _material(ET.SubElement(fb, "flow_mat"), feedback)
    return proc


def _score(proc: ET.Element) -> ET.Element:
    """A respcondition that sets the score to 100 when its conditionvar (returned) holds."""
    cond = ET.Element("respcondition", {"continue": "No"})
    proc.insert(1, cond)  # after the outcomes, before the general feedback condition
    var = ET.SubElement(cond, "conditionvar")
    ET.SubElement(cond, "setvar", {"action": "Set", "varname": "SCORE"}).text = "100"
    return var


def _fib(presentation: ET.Element, fibtype: str | None = None) -> None:
    resp = ET.SubElement(presentation, "response_str", {"ident": "response1", "rcardinality": "Single"})
    ET.SubElement(ET.SubElement(resp, "render_fib", {"fibtype": fibtype} if fibtype else {}),
                  "response_label", {"ident": "answer1", "rshuffle": "No"})


def _numerical(section, item_id, title, text, value, tol, feedback) -> None:
    item = _item(section, item_id, title, "numerical_question", text)
    _fib(item.find("presentation"), "Decimal")
    var = ET.SubElement(_score(_processing(item, feedback)), "or")
    ET.SubElement(var, "varequal", {"respident": "response1"}).text = number(value)
    if tol:
        band = ET.SubElement(var, "and")
        ET.SubElement(band, "vargte", {"respident": "response1"}).text = number(value - tol)
        ET.SubElement(band, "varlte", {"respident": "response1"}).text = number(value + tol)


def _choice(section, item_id, title, text, part: Part, lang, feedback) -> None:
    if part.kind == "boolean":
        part = Part(part.id, "choice", part.prompt, "a" if part.answer else "b",
                    choices=tuple(Text(w, w) for w in yes_no(lang)))
    right = part.answer if isinstance(part.answer, list) else [part.answer]
    multiple = len(right) > 1
    item = _item(section, item_id, title, "multiple_answers_question" if multiple else "multiple_choice_question", text)
    lid = ET.SubElement(item.find("presentation"), "response_lid",
                        {"ident": "response1", "rcardinality": "Multiple" if multiple else "Single"})
    render = ET.SubElement(lid, "render_choice")
    for letter, choice in zip(LETTERS, part.choices):
        _material(ET.SubElement(render, "response_label", {"ident": letter}), inline(choice.get(lang)))
    var = _score(_processing(item, feedback))
    if multiple:
        var = ET.SubElement(var, "and")
    for letter in LETTERS[:len(part.choices)]:
        if letter in right:
            ET.SubElement(var, "varequal", {"respident": "response1"}).text = letter
        elif multiple:
            ET.SubElement(ET.SubElement(var, "not"), "varequal", {"respident": "response1"}).text = letter


def spellings(part: Part) -> list[str]:
    """The exact texts a short-answer item accepts."""
    if part.kind == "shape":
        dims = [str(int(v)) for v in part.answer]
        return ["x".join(dims), "×".join(dims), "*".join(dims), "(" + ", ".join(dims) + ")", "(" + ",".join(dims) + ")"]
    return [kinds.show(part, part.answer)]


def _short(section, item_id, title, text, part: Part, feedback) -> None:
    item = _item(section, item_id, title, "short_answer_question", text)
    _fib(item.find("presentation"))
    var = _score(_processing(item, feedback))
    for s in spellings(part):
        ET.SubElement(var, "varequal", {"respident": "response1"}).text = s


def _essay(section, item_id, title, text, feedback) -> None:
    item = _item(section, item_id, title, "essay_question", text)
    _fib(item.find("presentation"))
    _processing(item, feedback)


def problem_items(section: ET.Element, problem: Problem, n: int, seed, lang: str) -> None:
    statement = html(problem.statement.get(lang))
    feedback = steps_html(problem, lang)
    several = len(problem.parts) > 1 or problem.parts[0].kind in ("vector", "matrix")
    if several:
        _item(section, ident(seed, n, problem.ref, "intro"), f"{n}", "text_only_question", statement, 0)
    for part in problem.parts:
        label = f"{n}{part.id}"
        text = ("" if several else statement) + f"<p><b>({part.id})</b> {inline(part.prompt.get(lang))}{format_hint(part, lang)}</p>"
        item_id = ident(seed, n, problem.ref, part.id)
        if part.kind in SCALARS:
            _numerical(section, item_id, label, text, part.answer, tolerance(part), feedback)
        elif part.kind in ("vector", "matrix"):
            cells = ([((i,), v) for i, v in enumerate(part.answer)] if part.kind == "vector" else
                     [((i, j), v) for i, row in enumerate(part.answer) for j, v in enumerate(row)])
            for where, value in cells:
                pos = ".".join(str(k + 1) for k in where)
                sub = text + f"<p>{'element' if lang == 'en' else '元素'} {pos}</p>"
                _numerical(section, ident(seed, n, problem.ref, part.id, pos), f"{label}.{pos}", sub, value,
                           tolerance(part), feedback)
        elif part.kind in ("choice", "boolean"):
            _choice(section, item_id, label, text, part, lang, feedback)
        elif part.kind == "text":
            _essay(section, item_id, label, text, feedback)
        else:
            _short(section, item_id, label, text, part, feedback)


def assessment_xml(sheet: Sheet, lang: str, assessment_id: str) -> bytes:
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    assessment = ET.SubElement(root, "assessment", {"ident": assessment_id, "title": sheet.title})
    section = ET.SubElement(assessment, "section", {"ident": "root_section"})
    for n, problem in enumerate(sheet.problems, 1):
        problem_items(section, problem, n, sheet.seed, lang)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8")


def manifest_xml(assessment_id: str) -> bytes:
    root = ET.Element("manifest", {"identifier": ident("manifest", assessment_id), "xmlns": CP_NS})
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "schema").text = "IMS Content"
    ET.SubElement(meta, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    resource = ET.SubElement(ET.SubElement(root, "resources"), "resource",
                             {"identifier": assessment_id, "type": "imsqti_xmlv1p2"})
    ET.SubElement(resource, "file", {"href": f"{assessment_id}/{assessment_id}.xml"})
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8")


def to_qti(sheet: Sheet, lang: str) -> bytes:
    assessment_id = ident(sheet.title, sheet.seed, *(p.ref for p in sheet.problems))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in (("imsmanifest.xml", manifest_xml(assessment_id)),
                           (f"{assessment_id}/{assessment_id}.xml", assessment_xml(sheet, lang, assessment_id))):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()
