"""Spaced repetition with FSRS: cards per family and bank item, ratings from graded results,
the failed family first the next day.  Time is injected (a Clock), never slept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating
from quiz_helpers import DAY0, Clock, ScriptedIO, text_problem, typed, wrong

from quizgen.quiz import Quiz, StoreRecorder
from quizgen.review import due_cards, item_key, rating_for, record_review, review_problems
from quizgen.sheet import generate_sheet
from quizgen.store import Store


def one(family: str, seed: int):
    return generate_sheet([family], 1, seed, "medium", "en").problems[0]


def quiz(store: Store, clock: Clock, problems, answers):
    session = store.start_session("quiz", None, "en", clock())
    return Quiz(problems, ScriptedIO(answers), StoreRecorder(store, session, clock), clock).run()


def test_ratings_from_results():
    assert rating_for([1.0, 1.0], False) == Rating.Good
    assert rating_for([1.0, 0.75], False) == Rating.Hard
    assert rating_for([1.0, 0.0, 0.0], False) == Rating.Again
    assert rating_for([1.0], True) == Rating.Again
    assert rating_for([], False) is None


def test_failed_family_comes_first_the_next_day(tmp_path):
    store, clock = Store(tmp_path / "q.db"), Clock(DAY0)
    shape, params, flatten = one("cnn.shape", 1), one("cnn.params", 2), one("cnn.flatten", 3)
    answers = ([typed(p) for p in shape.parts]                                  # all right: Good
               + [wrong(params.parts[0])]                                       # wrong: Again
               + ["?", typed(flatten.parts[0]), "?", typed(flatten.parts[1])])   # hints: Hard
    quiz(store, clock, [shape, params, flatten], answers)
    assert due_cards(store, clock()) == []  # nothing is due again on the same day

    clock.advance(days=1)
    due = [d.item for d in due_cards(store, clock())]
    assert due[0] == "cnn.params"
    assert "cnn.shape" not in due  # answered well: not due yet
    problems = review_problems(store, 10, clock(), seed=99)
    assert problems[0].family == "cnn.params"
    assert problems[0].seed != params.seed  # a fresh variant, not the same numbers

    clock.advance(days=30)
    due = [d.item for d in due_cards(store, clock())]
    assert set(due) == {"cnn.shape", "cnn.params", "cnn.flatten"} and due[0] == "cnn.params"


def test_review_session_moves_the_card(tmp_path):
    store, clock = Store(tmp_path / "q.db"), Clock(DAY0)
    problem = one("cnn.params", 5)
    quiz(store, clock, [problem], [wrong(problem.parts[0])])
    clock.advance(days=1)
    (fresh,) = review_problems(store, 10, clock(), seed=7)
    quiz(store, clock, [fresh], [typed(fresh.parts[0])])
    (card,) = store.cards()
    assert card.reviews == 2 and card.lapses == 1
    assert card.due - clock() >= timedelta(days=1)  # recalled: pushed out by at least a day
    assert due_cards(store, clock()) == []


def test_skipped_problem_is_not_rated(tmp_path):
    store, clock = Store(tmp_path / "q.db"), Clock(DAY0)
    problem = one("cnn.shape", 6)
    quiz(store, clock, [problem], ["n"])
    assert store.cards() == [] and len(store.answers()) == len(problem.parts)


def test_bank_items_are_cards(tmp_path):
    store, clock = Store(tmp_path / "q.db"), Clock(DAY0)
    problem = text_problem(4)
    assert item_key(problem) == "bank:test-item"
    quiz(store, clock, [problem], ["answer", "none"])
    (card,) = store.cards()
    assert card.item == "bank:test-item" and card.lapses == 1


def test_review_rebuilds_bank_items_and_keeps_difficulty(tmp_path):
    store, clock = Store(tmp_path / "q.db"), Clock(DAY0)
    concept = generate_sheet(["cnn"], 1, 4, "medium", "en", kinds="concept").problems[0]
    hard = generate_sheet(["cnn.params"], 1, 4, "hard", "en").problems[0]
    for p in (concept, hard):
        record_review(store, p, Rating.Again, clock())
    store.record_answer(session_id=store.start_session("quiz", 4, "en", clock()), ts=clock(), item="cnn.params",
                        family="cnn.params", topic="cnn", seed=hard.seed, difficulty="hard", problem=1, part="a",
                        kind="integer", status="wrong", score=0.0)
    clock.advance(days=1)
    problems = review_problems(store, 10, clock(), seed=1)
    by_family = {p.family: p for p in problems}
    assert by_family["bank"].params == concept.params and by_family["bank"].parts == concept.parts
    assert by_family["cnn.params"].difficulty == "hard"
    assert [p.family for p in review_problems(store, 10, clock(), seed=1, topics=["cnn.params"])] == ["cnn.params"]


def test_review_cli_with_nothing_due(tmp_path):
    from conftest import run_cli

    out = run_cli("quiz", "--review", input="", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0 and "Nothing is due for review today" in out.stdout


@pytest.mark.parametrize("score,expected", [(1.0, Rating.Good), (0.5, Rating.Hard), (0.49, Rating.Again)])
def test_rating_thresholds(score, expected):
    assert rating_for([score], False) == expected
