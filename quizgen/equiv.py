"""Expression equivalence by evaluation at many points, within a wall-clock budget.

    given ≡ key   iff   at POINTS points x_i drawn from the key's natural domain,
                        given(x_i) = key(x_i)  (exactly, or within rounding of an interval)

Points are rationals drawn from a seed derived from the problem and the answer (sha256,
so the same answer always gets the same verdict), from |x| <= 2, 6, 20 and [0, 3] in
turn (or the variable's stated domain).  PROBES more points from |x| <= 10^3 and 10^6
can only prove a difference (piecewise answers like `x + abs(x-30) - (30-x)`).  A point
where the key is undefined (ln of a non-positive number, a zero divisor, a value beyond
e^100000) is redrawn; a point where the key is defined but the answer is not makes the
answer wrong.

Each side is computed exactly with `Fraction` when it is rational (+ - * /, integer
powers, abs, rational constants); otherwise in interval arithmetic (mpmath `iv`, 60
digits), which bounds the rounding error rigorously: disjoint intervals prove a
difference, overlapping intervals no wider than 10^-30 relative count as equal.
There is no `simplify`: the work is linear in the size of the tree (already bounded by the
parser) and every step is bounded in magnitude, and a deadline (BUDGET_S) is checked at
every node; all comparisons of one graded answer share one budget (`quizgen.budget`).
An answer that cannot be decided in the budget raises a FormatError that says so; it is
never a verdict.
"""

from __future__ import annotations

import time
from fractions import Fraction

from quizgen.budget import deadline as answer_deadline
from quizgen.errors import FormatError

POINTS = 24
MAX_DRAWS = 400
BUDGET_S = 0.5          # one comparison
DIGITS = 60
RELATIVE_TOLERANCE = 10**-30
MAX_EXACT_BITS = 50_000
LN_CAP = 100_000  # values beyond e^100000 (about 10^43429) are "too large to evaluate"
DOMAINS = ((-2, 2), (-6, 6), (0, 3), (-20, 20))  # taken in turn for the POINTS points
WIDE_DOMAINS = ((-1000, 1000), (-10**6, 10**6))  # probes, and keys defined only out there
PROBES = 8


class _Undefined(Exception):
    """The expression is certainly undefined at this point (ln(-1), 1/0)."""


class _Unknown(Exception):
    """Undecided at this point: too large to evaluate, or a rounding interval on a boundary."""


class _TooBig(Exception):
    """An exact value grew past MAX_EXACT_BITS: compute in intervals instead."""


class _Budget(Exception):
    pass


# ------------------------------------------------------------------ exact (rational) trees

def _is_rational(tree: tuple) -> bool:
    tag = tree[0]
    if tag in ("num", "var"):
        return True
    if tag in ("add", "mul"):
        return all(_is_rational(t) for _, t in tree[1])
    if tag == "neg":
        return _is_rational(tree[1])
    if tag == "call":
        return tree[1] == "abs" and _is_rational(tree[2])
    if tag == "pow":
        from quizgen import grammar
        from quizgen.parse import _eval_number

        if grammar.variables(tree[2]) or not _is_rational(tree[2]):
            return False
        b = _eval_number(tree[2])
        return isinstance(b, Fraction) and b.denominator == 1 and _is_rational(tree[1])
    return False


def _big(v: Fraction) -> Fraction:
    if max(v.numerator.bit_length(), v.denominator.bit_length()) > MAX_EXACT_BITS:
        raise _TooBig
    return v


def _exact(tree: tuple, point: dict, clock) -> Fraction:
    clock()
    tag = tree[0]
    if tag == "num":
        return tree[1]
    if tag == "var":
        return point[tree[1]]
    if tag == "neg":
        return -_exact(tree[1], point, clock)
    if tag == "call":
        return abs(_exact(tree[2], point, clock))
    if tag == "add":
        return _big(sum((sign * _exact(t, point, clock) for sign, t in tree[1]), Fraction(0)))
    if tag == "mul":
        value = Fraction(1)
        for divide, t in tree[1]:
            v = _exact(t, point, clock)
            if divide and v == 0:
                raise _Undefined
            value = _big(value / v if divide else value * v)
        return value
    base, n = _exact(tree[1], point, clock), int(_exact(tree[2], point, clock))
    if base == 0 and n < 0:
        raise _Undefined
    if max(base.numerator.bit_length(), base.denominator.bit_length()) * abs(n) > MAX_EXACT_BITS:
        raise _TooBig
    return base ** n


# ------------------------------------------------------------------ interval trees

class _Intervals:
    """Evaluates a tree at a point in interval arithmetic; `scale` is the largest magnitude
    met on the way, which bounds the rounding error of the result (about 10^-DIGITS * scale)."""

    def __init__(self, point: dict, clock, iv):
        self.point, self.clock, self.iv = point, clock, iv
        self.cap = iv.mpf(2) ** int(LN_CAP * 1.4427)
        self.scale = iv.mpf(0)

    def rational(self, v: Fraction):
        return self.iv.mpf(v.numerator) / v.denominator

    def capped(self, v):
        if v.b > self.cap or v.a < -self.cap:
            raise _Unknown
        self.scale = max(self.scale, abs(v.a), abs(v.b))
        return v

    def value(self, tree: tuple):
        self.clock()
        iv, tag = self.iv, tree[0]
        if tag == "num":
            return self.capped(self.rational(tree[1]))
        if tag == "const":
            return iv.e if tree[1] == "e" else iv.pi
        if tag == "var":
            return self.capped(self.rational(self.point[tree[1]]))
        if tag == "neg":
            return -self.value(tree[1])
        if tag == "add":
            total = iv.mpf(0)
            for sign, t in tree[1]:
                v = self.value(t)
                total = self.capped(total + v if sign > 0 else total - v)
            return total
        if tag == "mul":
            product = iv.mpf(1)
            for divide, t in tree[1]:
                v = self.value(t)
                if divide and v.a <= 0 <= v.b:
                    raise _Undefined if v.a == 0 and v.b == 0 else _Unknown
                product = self.capped(product / v if divide else product * v)
            return product
        if tag == "pow":
            return self.power(tree[1], tree[2])
        return self.capped(self.function(tree[1], self.value(tree[2])))

    def power(self, base_tree: tuple, exponent_tree: tuple):
        from quizgen import grammar
        from quizgen.parse import _eval_number

        base = self.value(base_tree)
        if not grammar.variables(exponent_tree):
            b = _eval_number(exponent_tree)
            if isinstance(b, Fraction) and b.denominator == 1:  # |b| <= 64 (the parser's limit)
                if b < 0 and base.a <= 0 <= base.b:
                    raise _Undefined if base.a == 0 and base.b == 0 else _Unknown
                return self.capped(base ** int(b))
        exponent = self.value(exponent_tree)
        if base.a == 0 and base.b == 0 and exponent.a > 0:
            return self.iv.mpf(0)
        if base.b < 0 or (base.b == 0 and exponent.b < 0):
            raise _Undefined
        if base.a <= 0:
            raise _Unknown
        return self.capped(self.function("exp", exponent * self.iv.log(base)))

    def function(self, name: str, x):
        iv = self.iv
        if name == "exp":
            if x.b > LN_CAP:
                raise _Unknown
            return iv.exp(x)
        if name in ("ln", "log", "sqrt"):
            if x.b < 0 or (name != "sqrt" and x.b == 0):
                raise _Undefined
            if x.a < 0 or (name != "sqrt" and x.a == 0):
                raise _Unknown
            return iv.sqrt(x) if name == "sqrt" else iv.log(x)
        if name == "abs":
            return abs(x)
        if name in ("sin", "cos"):  # bounded by [-1, 1]; mpmath widens wide arguments to that
            return iv.sin(x) if name == "sin" else iv.cos(x)
        # tanh and sigma increase: bound them by their values at the two ends
        f = _tanh_at if name == "tanh" else _sigma_at
        return iv.mpf([f(x.a, iv).a, f(x.b, iv).b])


def _tanh_at(a, iv):
    if a < 0:
        return -_tanh_at(-a, iv)
    if a > 1000:
        return iv.mpf([_tanh_at(iv.mpf(1000), iv).a, 1])
    t = iv.exp(-2 * a)
    return 1 - 2 * t / (1 + t)


def _sigma_at(a, iv):
    if a > 1000:
        return iv.mpf([_sigma_at(iv.mpf(1000), iv).a, 1])
    if a < -1000:
        return iv.mpf([0, iv.exp(iv.mpf(-1000)).b])
    return 1 / (1 + iv.exp(-a)) if a >= 0 else iv.exp(a) / (1 + iv.exp(a))


# ------------------------------------------------------------------ comparison

def _value(tree: tuple, rational: bool, point: dict, clock, iv):
    """('exact', Fraction, 0) or ('interval', iv.mpf, scale); raises _Undefined or _Unknown."""
    if rational:
        try:
            return "exact", _exact(tree, point, clock), 0
        except _TooBig:
            pass
    ev = _Intervals(point, clock, iv)
    return "interval", ev.value(tree), ev.scale


def _same(a, b, iv) -> bool | None:
    """True (equal), False (surely different) or None (too close to call).

    Overlapping intervals differ by at most their widths; they count as equal when those
    widths are within RELATIVE_TOLERANCE of the largest magnitude either computation met."""
    if a[0] == b[0] == "exact":
        return a[1] == b[1]
    x, y = (v if kind == "interval" else iv.mpf(v.numerator) / v.denominator for kind, v, _ in (a, b))
    if x.b < y.a or y.b < x.a:
        return False
    width = max(x.b - x.a, y.b - y.a)
    scale = max(a[2], b[2], abs(x.a), abs(x.b), abs(y.a), abs(y.b))
    return True if width == 0 or width <= RELATIVE_TOLERANCE * scale else None


def _points(variables: list[str], seed_text: str, domains: dict):
    """(point, is_probe): first PROBES probes from wide domains, then points from DOMAINS in
    turn (after half the draws, from the wide domains too, for keys like ln(x - 100))."""
    import hashlib
    import random

    rng = random.Random(int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:8], "big"))
    for draw in range(-PROBES, MAX_DRAWS):
        tier = WIDE_DOMAINS if draw < 0 else DOMAINS if draw < MAX_DRAWS // 2 else DOMAINS + WIDE_DOMAINS
        point = {}
        for name in variables:
            lo, hi = domains.get(name) or tier[draw % len(tier)]
            q = rng.randrange(61, 211)
            point[name] = Fraction(lo) + (Fraction(hi) - Fraction(lo)) * Fraction(rng.randrange(1, q), q)
        yield point, draw < 0


def equivalent(given, key, seed_text: str = "", domains: dict | None = None,
               budget_s: float = BUDGET_S) -> bool:
    """Is the Expression `given` equal to the Expression `key` wherever the key is defined?

    `domains` maps a variable to the (lo, hi) its problem states; others use the key's
    natural domain.  Raises FormatError when the answer cannot be decided in `budget_s`."""
    import mpmath

    iv = mpmath.iv
    deadline = min(time.monotonic() + budget_s, answer_deadline() or float("inf"))

    def clock():
        if time.monotonic() > deadline:
            raise _Budget

    names = sorted(given.variables | key.variables)
    rational = (_is_rational(given.tree), _is_rational(key.tree))
    agreed, unknown = 0, None
    saved = iv.dps
    iv.dps = DIGITS
    try:
        for point, probe in _points(names, f"{seed_text}\x00{key}\x00{given}", domains or {}):
            try:
                want = _value(key.tree, rational[1], point, clock, iv)
            except (_Undefined, _Unknown):
                continue
            try:
                got = _value(given.tree, rational[0], point, clock, iv)
                same = _same(got, want, iv)
            except _Undefined:
                return False  # defined for the key, not for the answer
            except _Unknown:
                same = None
            if same is False:
                return False
            if same is None:
                unknown = unknown or (None if probe else point)  # a probe can only disprove
                continue
            if probe:
                continue
            agreed += 1
            if agreed >= POINTS:
                break
    except _Budget:
        raise FormatError("this expression could not be checked in the time allowed; "
                          "simplify it and try again") from None
    finally:
        iv.dps = saved
    if agreed >= POINTS and unknown is None:
        return True
    if unknown is not None:
        at = ", ".join(f"{k} = {float(v):.4g}" for k, v in unknown.items())
        raise FormatError(f"this expression could not be evaluated at {at} (too large, or at a boundary "
                          "of its domain); simplify it and try again")
    raise FormatError("the key could not be evaluated at enough points to compare with")
