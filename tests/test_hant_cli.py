"""`--lang zh-Hant` on generate, show, check, quiz, stats, solve and `exam --time`: every
Chinese text on screen, UI labels included, in Traditional characters, over the registry."""

from __future__ import annotations

import pytest

pytest.importorskip("opencc")

from conftest import run_cli  # noqa: E402
from test_hant import SIMPLIFIED_ONLY  # noqa: E402

from quizgen.registry import load_families  # noqa: E402
from quizgen.text import Text, by_lang  # noqa: E402


def traditional(text: str) -> None:
    assert not SIMPLIFIED_ONLY & set(text), sorted(SIMPLIFIED_ONLY & set(text))
    assert any("\u4e00" <= c <= "\u9fff" for c in text)


def test_word_tables_derive_traditional_from_simplified_once():
    table = by_lang({"en": {"a": "parts", "b": ("one",)}, "zh": {"a": "个小题", "b": ("题数",)}})
    hant = table["zh-Hant"]
    assert hant == {"a": "個小題", "b": ("題數",)} and table["zh-Hant"] is hant
    assert Text("x", "练习题").get("zh-Hant") == "練習題"
    with pytest.raises(KeyError):
        table["fr"]


def test_generate_show_check_solve_in_traditional(tmp_path):
    sheet = tmp_path / "s.json"
    topics = sorted({f.topic for f in load_families().values()})
    args = [a for topic in topics for a in ("-t", topic)]
    out = run_cli("generate", *args, "-n", str(len(topics)), "--seed", "4", "--solutions", "-l", "zh-Hant",
                  "-o", str(sheet))
    assert out.returncode == 0, out.stderr
    traditional(out.stdout)
    for command in (["show", str(sheet), "--solutions", "-l", "zh-Hant"], ["show", str(sheet), "--json", "-l", "zh-Hant"]):
        shown = run_cli(*command)
        assert shown.returncode == 0, shown.stderr
        traditional(shown.stdout)
    answers = tmp_path / "a.txt"
    answers.write_text("1a: 3\n", encoding="utf-8")
    checked = run_cli("check", str(sheet), str(answers), "-l", "zh-Hant")
    assert checked.returncode == 1 and checked.stderr == ""
    traditional(checked.stdout)
    solved = run_cli("solve", "cnn.params", "-l", "zh-Hant")  # every family's text is in the sheet above
    assert solved.returncode == 0, solved.stderr
    traditional(solved.stdout)


def test_quiz_exam_and_stats_in_traditional(tmp_path):
    env = {"QUIZGEN_HOME": str(tmp_path)}
    quiz = run_cli("quiz", "-t", "cnn", "-n", "2", "--seed", "3", "-l", "zh-Hant", input="1\n?\nk\nq\n", env=env)
    assert quiz.returncode == 0, quiz.stderr
    traditional(quiz.stdout)
    exam = run_cli("exam", "--seed", "3", "--concepts", "2", "--essays", "1", "--time", "60", "-l", "zh-Hant",
                   input="x\nall\nb\n", env=env)
    assert exam.returncode == 0, exam.stderr
    traditional(exam.stdout)
    stats = run_cli("stats", "-l", "zh-Hant", env=env)
    traditional(stats.stdout)
    assert "模擬考試" in stats.stdout


def test_solve_net_in_traditional():
    r = run_cli("solve", "net", "lenet5", "--lang", "zh-Hant")
    assert r.returncode == 0 and "可訓練參數" in r.stdout
    traditional(r.stdout)
