"""`quizgen stats`: accuracy per topic and family (all time, last 7 days), weakest families,
problems done, streak, due today, and the --json output.  Rows are written with known
scores at injected times; the expected figures are worked out here by hand from those rows."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fsrs import Rating
from quiz_helpers import DAY0, text_problem

from conftest import run_cli
from quizgen.review import record_review
from quizgen.stats import bar, compute, sparkline, streak
from quizgen.store import Store


def add(store, session, when, family, topic, problem, part, status, score):
    store.record_answer(session_id=session, ts=when, item=family, family=family, topic=topic, seed=1,
                        difficulty="medium", problem=problem, part=part, kind="integer", status=status, score=score)


@pytest.fixture
def filled(tmp_path):
    store = Store(tmp_path / "quizgen.db")
    old, recent = DAY0 - timedelta(days=10), DAY0 - timedelta(days=1)
    s1 = store.start_session("quiz", 1, "en", old)
    add(store, s1, old, "cnn.shape", "cnn", 1, "a", "wrong", 0.0)
    add(store, s1, old, "cnn.shape", "cnn", 1, "b", "wrong", 0.0)
    add(store, s1, old, "cnn.params", "cnn", 2, "a", "correct", 1.0)
    s2 = store.start_session("quiz", 2, "en", recent)
    add(store, s2, recent, "cnn.shape", "cnn", 1, "a", "correct", 1.0)
    add(store, s2, recent, "cnn.shape", "cnn", 1, "b", "correct", 0.75)
    add(store, s2, recent, "rnn.step", "rnn", 2, "a", "wrong", 0.0)
    add(store, s2, recent, "rnn.step", "rnn", 2, "b", "skipped", 0.0)
    add(store, s2, recent, "bank", "attention", 3, "a", "self", 0.5)
    s3 = store.start_session("quiz", 3, "en", DAY0)
    add(store, s3, DAY0, "cnn.params", "cnn", 1, "a", "skipped", 0.0)
    return store


def test_accuracy_week_weakest_problems(filled):
    data = compute(filled, DAY0)
    assert data["parts"] == 9
    assert data["problems"] == 5  # (s1,1) (s1,2) (s2,1) (s2,2) (s2,3); (s3,1) was only skipped
    shape = data["families"]["cnn.shape"]
    assert shape["parts"] == 4 and shape["accuracy"] == pytest.approx(1.75 / 4)
    assert shape["week_parts"] == 2 and shape["week_accuracy"] == pytest.approx(1.75 / 2)
    assert data["families"]["cnn.params"]["accuracy"] == pytest.approx(0.5)
    assert data["families"]["bank/attention"]["accuracy"] == pytest.approx(0.5)
    cnn = data["topics"]["cnn"]
    assert cnn["parts"] == 6 and cnn["accuracy"] == pytest.approx(2.75 / 6, abs=1e-4)
    assert cnn["week_accuracy"] == pytest.approx(1.75 / 3, abs=1e-4)
    assert data["weakest"] == ["cnn.shape"]  # the only family with >= 3 parts and < 100%
    assert data["topics"]["rnn"]["daily"][-2] == 0.0 and data["topics"]["rnn"]["daily"][-1] is None


def test_streak_counts_back_from_today_or_yesterday(filled):
    assert compute(filled, DAY0 - timedelta(days=1))["streak"] == 1  # worked that day
    assert compute(filled, DAY0)["streak"] == 1  # today only skipped so far: yesterday still counts
    assert compute(filled, DAY0 + timedelta(days=1))["streak"] == 0
    today = DAY0.date()
    assert streak({today, today - timedelta(days=1), today - timedelta(days=3)}, today) == 2


def test_due_today_from_cards(filled):
    record_review(filled, text_problem(), Rating.Again, DAY0)
    assert compute(filled, DAY0)["due_today"] == []
    due = compute(filled, DAY0 + timedelta(days=1))["due_today"]
    assert [d["item"] for d in due] == ["bank:test-item"]


def test_chart_pieces():
    assert sparkline([None, 0.0, 0.5, 1.0]) == "·▁▅█"
    assert bar(0.5, 10) == "█████░░░░░" and bar(0.0, 4) == "░░░░"


def test_stats_cli_json_and_text(tmp_path):
    out = run_cli("stats", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0 and "No quiz results yet" in out.stdout
    quiz = run_cli("quiz", "-t", "cnn.params", "-n", "2", "--seed", "3", input="1\n", env={"QUIZGEN_HOME": str(tmp_path)})
    assert quiz.returncode == 0, quiz.stderr
    out = run_cli("stats", "--json", env={"QUIZGEN_HOME": str(tmp_path)})
    data = json.loads(out.stdout)
    assert data["parts"] == 1 and data["problems"] == 1 and data["streak"] == 1
    assert data["families"]["cnn.params"]["parts"] == 1 and data["database"].startswith(str(tmp_path))
    text = run_cli("stats", env={"QUIZGEN_HOME": str(tmp_path)}).stdout
    assert "By topic" in text and "cnn.params" in text and "streak 1 day" in text
    zh = run_cli("stats", "--lang", "zh", env={"QUIZGEN_HOME": str(tmp_path)}).stdout
    assert "按主题" in zh and "连续 1 天" in zh and "By topic" not in zh


def test_stats_in_chinese_when_empty(tmp_path):
    out = run_cli("stats", "--lang", "zh", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0 and "还没有测验记录" in out.stdout
