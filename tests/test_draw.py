"""quizgen.draw: digits (many small draws from one), and MistakeSet's plain-number paths against
the kinds table they write out."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from quizgen import kinds
from quizgen.draw import digits
from quizgen.model import Part, t
from quizgen.rng import default_rng
from quizgen.trace import MistakeSet


class Recorded:
    """An rng whose integers(n) returns given codes and records each n."""

    def __init__(self, codes):
        self.codes, self.asked = list(codes), []

    def integers(self, n):
        self.asked.append(n)
        return self.codes.pop(0)


def test_digits_are_the_mixed_radix_digits_of_one_draw():
    rng = Recorded([2 + 3 * (4 + 5 * 6)])
    assert digits(rng, (3, 5, 7)) == [2, 4, 6] and rng.asked == [105]


def test_digits_past_one_draw_take_another():
    bases = (1 << 40, 1 << 20, 1 << 10)  # 2^70 in all: 2^60 in one draw, then 2^10
    rng = Recorded([5 + (7 << 40), 9])
    assert digits(rng, bases) == [5, 7, 9] and rng.asked == [1 << 60, 1 << 10]
    with pytest.raises(ValueError):
        digits(Recorded([0]), (1 << 63,))


def test_digits_are_uniform_and_the_same_from_numpys_generator():
    rng, counts = default_rng(7), [Counter(), Counter(), Counter()]
    for _ in range(6000):
        for c, v in zip(counts, digits(rng, (3, 10, 7))):
            c[v] += 1
    for c, base in zip(counts, (3, 10, 7)):
        assert sorted(c) == list(range(base))
        assert max(c.values()) / min(c.values()) < 1.25
    for seed in range(50):
        bases = (11,) * 8 + (7, 7, 1 << 20, 5, 4)
        assert digits(np.random.default_rng(seed), bases) == digits(default_rng(seed), bases)


def real(answer, decimals=2):
    return Part("a", "real", t("x"), answer, decimals)


def vector(answer, decimals=2):
    return Part("a", "vector", t("x"), answer, decimals)


def general(part, answers):
    """What MistakeSet keeps, by the kinds table alone: same form, not the key, no repeat."""
    kept = []
    for a in answers:
        if kinds.same_form(part, a) and not kinds.equal(part, a, part.answer) \
                and not any(kinds.equal(part, a, b) for b in kept):
            kept.append(a)
    return kept


@pytest.mark.parametrize("make, answers", [
    (lambda: real(1.5), [1.5, 1.504, 1.52, 1.52, 2, float("nan"), float("inf"), 10**400, 1.515, True, "2"]),
    (lambda: real(3), [3, 3.0, 4, 4.009, 2.99, -3, 10**400]),
    (lambda: vector([1, 2.5]), [[1, 2.5], [1.004, 2.5], [1.02, 2.5], [2, 2.5], [1, 2.51], [1, 2.52], [1.02, 2.5001],
                                [1, float("nan")], [1], [1, 2, 3], [10**400, 1], [True, 2.5], [1.0, 2.49]]),
    (lambda: vector([0, 0], decimals=None), [[0, 1e-7], [0, 1e-5], [1e-5, 1e-5], [2e-5, 0]]),
])
def test_mistakes_keep_what_the_kinds_table_says(make, answers):
    part = make()
    found = MistakeSet([part])
    for a in answers:
        found.add_to(part, a, "tag", t("why"))
    assert [m.answer for m in found.items] == general(part, answers)


def test_a_part_reached_by_both_paths_still_drops_the_key():
    part = real(0.5)
    found = MistakeSet([part])
    for answer in (np.float64(0.75),  # a float subclass: the general path
                   0.5,               # the key, by the plain path
                   0.75, 0.9):        # a repeat of the first, then a new one
        found.add_to(part, answer, "tag", t("why"))
    assert [m.answer for m in found.items] == [0.75, 0.9] and type(found.items[0].answer) is float
