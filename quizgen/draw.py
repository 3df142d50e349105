"""Deterministic draws for families: every choice comes from the Generator passed in (quizgen.rng)."""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


def picker(rng) -> Callable[[Sequence[T]], T]:
    """`pick = picker(rng)`; `pick([3, 5, 7])` draws one option uniformly from `rng`
    (`options[rng.integers(len(options))]`; quizgen.rng's Generator does it in one call)."""
    pick = getattr(rng, "pick", None)
    return pick if pick is not None else lambda options: options[int(rng.integers(len(options)))]


def redraw(draw: Callable[[], T], acceptable: Callable[[T], bool], tries: int = 1000) -> T:
    """`draw()` again (on the same rng, so deterministically) until `acceptable(value)`.

    The families' draws are built so that a friendly one comes within a few tries; running
    out of tries is a bug in the family's draw, raised as RuntimeError."""
    for _ in range(tries):
        value = draw()
        if acceptable(value):
            return value
    raise RuntimeError(f"no acceptable draw in {tries} tries")
