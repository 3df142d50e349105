"""Spaced repetition over families and bank items, scheduled by FSRS (the `fsrs` library).

    card     = one per item: a computed family (`cnn.shape`) or a bank item (`bank:<id>`)
    rating   = from the graded problem (parts the student answered; skipped parts score 0):
                 solution shown or mean score < 0.5   -> Again
                 mean score < 0.9 (wrong part, hints) -> Hard
                 otherwise                            -> Good
               a problem with every part skipped is not rated (nothing was recalled)
    schedule = fsrs.Scheduler with no learning steps (intervals in whole days, since a card is
               a kind of problem practised once a session) and no fuzzing (deterministic)
    order    = due cards (due before the end of the local day), lowest retrievability first:
               the family failed yesterday comes before one answered well last week
    review   = a fresh variant of each due family (new seed), or the bank item again

Every function takes `now` (a timezone-aware datetime), so tests move time without sleeping.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from quizgen.model import Problem
from quizgen.store import CardRow, Store

BANK_PREFIX = "bank:"


def _scheduler():
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def item_key(problem: Problem) -> str:
    """The card a problem reviews: its family, or `bank:<item id>` for a concept item."""
    if problem.family == "bank":
        return BANK_PREFIX + str(problem.params.get("id"))
    return problem.family


def rating_for(scores: list[float], solution_shown: bool):
    """The FSRS rating of one graded problem, or None when nothing was attempted."""
    from fsrs import Rating

    if solution_shown:
        return Rating.Again
    if not scores:
        return None
    mean = sum(scores) / len(scores)
    if mean < 0.5:
        return Rating.Again
    if mean < 0.9:
        return Rating.Hard
    return Rating.Good


def record_review(store: Store, problem: Problem, rating, now: datetime) -> None:
    """Update the card of `problem`'s item with `rating` at time `now`."""
    from fsrs import Card, Rating

    item = item_key(problem)
    scheduler = _scheduler()
    when = now.astimezone(timezone.utc)

    def change(old: str | None):
        card = Card.from_json(old) if old else Card(card_id=zlib.crc32(item.encode()), due=when)
        card, _ = scheduler.review_card(card, rating, review_datetime=when)
        return card.to_json(), card.due, rating == Rating.Again

    store.update_card(item, problem.topic, change, when)


def end_of_day(now: datetime) -> datetime:
    """The end of `now`'s local calendar day (cards due today are due by then)."""
    local = now.astimezone()
    return (local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)).astimezone(timezone.utc)


@dataclass(frozen=True)
class Due:
    item: str
    topic: str
    due: datetime
    retrievability: float
    lapses: int


def due_cards(store: Store, now: datetime) -> list[Due]:
    """Cards due by the end of today, lowest retrievability (most forgotten) first."""
    from fsrs import Card

    scheduler = _scheduler()
    limit = end_of_day(now)
    out = []
    for row in store.cards():
        if row.due <= limit:
            card = Card.from_json(row.card)
            r = scheduler.get_card_retrievability(card, current_datetime=now.astimezone(timezone.utc))
            out.append(Due(row.item, row.topic, row.due, float(r), row.lapses))
    out.sort(key=lambda d: (d.retrievability, d.due, d.item))
    return out


def next_due(store: Store) -> CardRow | None:
    cards = store.cards()
    return cards[0] if cards else None


def review_problems(store: Store, count: int, now: datetime, seed: int,
                    difficulty: str | None = None, bank_dirs=(), topics=()) -> list[Problem]:
    """Fresh problems for the `count` most urgent due cards: a new seed per family (drawn
    from `seed`), the difficulty last practised unless one is given."""
    from quizgen.errors import QuizgenError
    from quizgen.registry import load_families
    from quizgen.sheet import generate_problem, problem_seeds

    due = [d for d in due_cards(store, now) if not topics or d.topic in topics or d.item in topics][:count]
    families = load_families()
    bank = None
    seeds = problem_seeds(seed, max(len(due), 1))
    problems = []
    for d, s in zip(due, seeds):
        if d.item.startswith(BANK_PREFIX):
            from quizgen.concept_problems import to_problem
            from quizgen.concepts import load_bank, warn

            bank = bank or load_bank(bank_dirs, report=warn)
            try:
                problems.append(to_problem(bank.get(d.item[len(BANK_PREFIX):])))
            except (KeyError, QuizgenError):
                continue  # the item left the bank: nothing to review
        elif d.item in families:
            family = families[d.item]
            level = difficulty or store.last_difficulty(d.item) or "medium"
            if level not in family.difficulties:
                level = family.difficulties[0]
            problems.append(generate_problem(family, s, level))
    return problems
