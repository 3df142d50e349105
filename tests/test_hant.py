"""Traditional Chinese (Taiwan) at output time: the glossary, whole sheets, every export."""

from __future__ import annotations

import io
import sqlite3
import xml.etree.ElementTree as ET
import zipfile

import pytest

pytest.importorskip("opencc")

from conftest import all_texts, run_cli  # noqa: E402
from quizgen import hant  # noqa: E402
from quizgen.errors import QuizgenError  # noqa: E402
from quizgen.sheet import generate_sheet  # noqa: E402

# Characters that exist only in Simplified script (their Traditional forms differ).
SIMPLIFIED_ONLY = set("题数络层积参习练输个这为门们时说发经应实变长结单记忆输权")
# What s2twp alone writes for these course terms (programming or other senses), never wanted.
S2TWP_WRONG = {"参数": "引數", "函数": "函式", "循环": "迴圈", "激活": "啟用", "连接": "連線", "优化": "最佳化"}


@pytest.mark.parametrize("simplified, traditional", sorted(hant.GLOSSARY.items()))
def test_every_glossary_term_alone_and_in_a_sentence(simplified, traditional):
    assert hant.to_hant(simplified) == traditional
    sentence = hant.to_hant(f"这一层的{simplified}很重要。")
    assert traditional in sentence and sentence.startswith("這一層的") and sentence.endswith("很重要。")


@pytest.mark.parametrize("simplified, wrong", sorted(S2TWP_WRONG.items()))
def test_glossary_overrides_the_programming_sense(simplified, wrong):
    converted = hant.to_hant(f"卷积层的{simplified}量")
    assert wrong not in converted and hant.GLOSSARY[simplified] in converted


def test_phrases_and_math_convert_as_taiwan_writes_them():
    assert hant.to_hant("循环神经网络的激活函数") == "循環神經網路的激活函數"
    assert hant.to_hant("全连接层的参数量为 $C_{in} \\times K^2$。") == "全連接層的參數量為 $C_{in} \\times K^2$。"
    assert hant.to_hant("no Chinese here") == "no Chinese here"


def test_every_text_of_the_bank_and_the_families_converts():
    for text in all_texts():
        converted = hant.to_hant(text)
        assert not SIMPLIFIED_ONLY & set(converted), (text[:60], converted[:60])
        assert not any(wrong in converted for wrong in S2TWP_WRONG.values()), converted[:60]


@pytest.mark.parametrize("traditional", sorted(hant.GLOSSARY.values()))
def test_converting_twice_keeps_the_glossary(traditional):
    assert hant.to_hant(hant.to_hant(f"可学习{traditional}个数")) == f"可學習{traditional}個數"


def test_hant_sheet_converts_zh_and_keeps_en():
    sheet = generate_sheet([], 8, 2, lang="zh", kinds="all")
    converted = hant.hant_sheet(sheet)
    for a, b in zip(sheet.problems, converted.problems):
        assert b.statement.en == a.statement.en and b.statement.zh == hant.to_hant(a.statement.zh)
        assert [s.zh for s in b.steps] == [hant.to_hant(s.zh) for s in a.steps]
        assert [m.explanation.zh for m in b.mistakes] == [hant.to_hant(m.explanation.zh) for m in a.mistakes]
        assert b.parts[0].answer == a.parts[0].answer
    assert converted.title == "練習題"


def test_pdf_in_traditional(tmp_path):
    if not hant.hant_font_available():
        pytest.skip("no CJK font with Traditional forms installed")
    from test_pdf import pdf_text

    sheet = generate_sheet(["cnn.params", "cnn.network"], 2, 3, lang="zh")
    text = pdf_text(hant.to_pdf(sheet, "solutions"))
    assert "練習題" in text and "第 1 題" in text and "詳細解答" in text and "參數" in text
    assert not SIMPLIFIED_ONLY & set(text) and "引數" not in text


def test_pdf_without_a_traditional_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(hant, "hant_font_available", lambda: False)
    with pytest.raises(QuizgenError, match="Traditional Chinese PDF needs a CJK font.*fonts-noto-cjk"):
        hant.to_pdf(generate_sheet(["cnn"], 1, 3, lang="zh"))


def test_typst_source_asks_for_taiwan_forms(monkeypatch):
    seen = {}
    monkeypatch.setattr("quizgen.render.typst.compile_source", lambda source, date=None: seen.setdefault("s", source))
    monkeypatch.setattr(hant, "hant_font_available", lambda: True)
    hant.to_pdf(generate_sheet(["cnn"], 1, 3, lang="zh"))
    assert 'lang: "zh", region: "TW")' in seen["s"] and "答案" in seen["s"] and "题" not in seen["s"]


@pytest.mark.parametrize("fmt", ["md", "moodle", "qti", "anki"])
def test_every_export_format_in_traditional(tmp_path, fmt):
    sheet = tmp_path / "s.json"
    assert run_cli("generate", "-n", "4", "--seed", "8", "-k", "all", "--lang", "zh", "-o", str(sheet)).returncode == 0
    out = tmp_path / f"out.{fmt}"
    r = run_cli("export", str(sheet), "-f", fmt, "--lang", "zh-Hant", "-o", str(out))
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    if fmt in ("md", "moodle"):
        text = data.decode()
        if fmt == "moodle":
            ET.fromstring(data)
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            text = "".join(zf.read(n).decode("utf-8", "ignore") for n in zf.namelist() if not n.endswith("anki2"))
            if fmt == "anki":
                (tmp_path / "c.anki2").write_bytes(zf.read("collection.anki2"))
                db = sqlite3.connect(tmp_path / "c.anki2")
                text = "".join(f for (f,) in db.execute("select flds from notes"))
                db.close()
    assert ("詳細解答" if fmt == "anki" else "練習題") in text
    assert not SIMPLIFIED_ONLY & set(text)


def test_unknown_language_is_one_line(tmp_path):
    sheet = tmp_path / "s.json"
    run_cli("generate", "-n", "1", "--seed", "8", "-o", str(sheet))
    r = run_cli("export", str(sheet), "-f", "md", "--lang", "zh-TW")
    assert r.returncode == 2 and r.stderr.strip() == "quizgen: error: unknown language 'zh-TW'; use en, zh, zh-Hant"


def test_roster_student_in_traditional(tmp_path):
    if not hant.hant_font_available():
        pytest.skip("no CJK font with Traditional forms installed")
    import json

    from quizgen.roster import parse_roster, write_roster
    from test_pdf import pdf_text

    students = parse_roster("id,name,lang\nt1,陳美玲,zh-Hant\n".encode())
    data = write_roster(students, tmp_path / "out", ["cnn"], 2, 9)
    assert data["students"][0]["lang"] == "zh-Hant"
    sheet = json.loads((tmp_path / "out" / "t1.json").read_text())
    assert sheet["lang"] == "zh" and sheet["title"] == "练习题 — 陳美玲 (t1)"
    text = pdf_text((tmp_path / "out" / "t1.key.pdf").read_bytes())
    assert "練習題" in text and "陳美玲" in text and "詳細解答" in text
    assert not SIMPLIFIED_ONLY & set(text)


def test_grade_in_traditional(tmp_path):
    from quizgen.roster import parse_roster, write_roster

    write_roster(parse_roster(b"id,name\na,A\n"), tmp_path / "out", ["cnn.params"], 2, 9, pdf=False)
    (tmp_path / "ans").mkdir()
    (tmp_path / "ans" / "a.txt").write_text("1: 1\n2: 2\n")
    r = run_cli("grade", str(tmp_path / "out"), str(tmp_path / "ans"), "--lang", "zh-Hant")
    assert r.returncode == 0, r.stderr
    assert "成績單" in r.stdout and "全班錯誤分佈" in r.stdout
