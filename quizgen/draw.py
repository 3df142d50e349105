"""Deterministic draws for families: every choice comes from the Generator passed in (quizgen.rng)."""

from __future__ import annotations

from functools import lru_cache
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


_MOST = 1 << 62  # the largest range one `digits` call draws from (an int64 Lemire draw)


def digits(rng, bases: tuple[int, ...]) -> list[int]:
    """Independent uniform draws, the j-th from range(bases[j]), in as few rng calls as fit: the
    mixed-radix digits of one `rng.integers(product of the bases)` (products up to 2^62 a call).

    Exactly uniform (numpy's Lemire draw is unbiased), and a dozen small choices cost one call."""
    out = []
    for total, chunk in _plan(tuple(bases)):
        code = int(rng.integers(total))
        for base in chunk:
            code, v = divmod(code, base)
            out.append(v)
    return out


@lru_cache(maxsize=256)
def _plan(bases: tuple[int, ...]) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """`bases` cut into runs whose product fits one draw: (product, run) pairs."""
    plan, start = [], 0
    while start < len(bases):
        end, total = start, 1
        while end < len(bases) and total * bases[end] <= _MOST:
            total *= bases[end]
            end += 1
        if end == start:
            raise ValueError(f"a base of {bases[start]} is past what one draw holds")
        plan.append((total, bases[start:end]))
        start = end
    return tuple(plan)
