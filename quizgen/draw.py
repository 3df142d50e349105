"""Deterministic draws for families: every choice comes from the numpy Generator passed in."""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


def picker(rng) -> Callable[[Sequence[T]], T]:
    """`pick = picker(rng)`; `pick([3, 5, 7])` draws one option uniformly from `rng`."""
    return lambda options: options[int(rng.integers(len(options)))]
