"""One time budget per graded answer: every expression comparison made while grading one answer
(against the key, a carried value and the known mistakes) shares ANSWER_BUDGET_S seconds.

    @one_budget                        the grading function
    def grade(...): ...
    deadline()                         the current answer's deadline (time.monotonic()), or None

Kept apart from quizgen/equiv.py (the comparisons themselves), so that importing the checker
costs nothing until an expression is compared.
"""

from __future__ import annotations

import contextvars
import functools
import time

ANSWER_BUDGET_S = 0.8   # all comparisons of one answer (key, carried value, known mistakes)

_ANSWER_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


def deadline() -> float | None:
    return _ANSWER_DEADLINE.get()


def one_budget(grade):
    """Decorator: every comparison made while `grade` runs shares one ANSWER_BUDGET_S."""
    @functools.wraps(grade)
    def graded(*args, **kwargs):
        if _ANSWER_DEADLINE.get() is not None:
            return grade(*args, **kwargs)
        token = _ANSWER_DEADLINE.set(time.monotonic() + ANSWER_BUDGET_S)
        try:
            return grade(*args, **kwargs)
        finally:
            _ANSWER_DEADLINE.reset(token)
    return graded
