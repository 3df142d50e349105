"""Shared perceptron arithmetic (exact, in Fractions) and the conventions textbooks differ on.

    net      = w·x + b         bias b on a fixed input x₀ = +1   (bias = "plus")
             = w·x − θ         threshold θ on x₀ = −1            (bias = "threshold")
    output o = sign(net) ∈ {−1, +1} with labels ±1, or step(net) ∈ {0, 1} with labels 0/1;
               at net = 0 the output is `at0` (sign(0) = +1, −1 or 0; step(0) = 1 or 0)
    mistake  = y·net ≤ 0 (李航, "margin"; labels ±1)   or   o ≠ d ("output")
    update   = "mistakes": on a mistake only, w ← w + η y x, x₀-weight ← + η y x₀  (y = ±1;
               with 0/1 labels y = 2d − 1, the same as η(d − o)x)
             = "error": at every presentation w ← w + η(d − o)x (Haykin's error correction;
               with ±1 labels a correction is 2ηx)
    so with x₀ = −1 the threshold moves the other way: θ ← θ − η y.

Also the run of a params dict (`training`, cached) and its decimal places.  The words of the
trace are in problems/_perceptron_words.py, the draws in problems/_perceptron_draw.py.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from operator import mul
from typing import NamedTuple

from quizgen.errors import QuizgenError

MAX_ROWS = 120            # presentations a trace may show (5 parts each; part ids end at 702)
MAX_DECIMALS = 4


def frac(x) -> Fraction:
    """A user's or a draw's number as an exact Fraction (0.1 -> 1/10, not the binary float)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(repr(x))
    return Fraction(x)


def exact(x):
    """frac(x), as an int when whole: whole-number traces then run on Python ints (exact, and
    ten times faster than Fractions); a Fraction otherwise."""
    n, d = _parts(x)
    return n if d == 1 else Fraction(n, d)


def ratio(n: int, d: int):
    """n/d exactly: an int when d divides n, else a Fraction."""
    return n // d if n % d == 0 else Fraction(n, d)


def num(q):
    """A Fraction (or int, or float) as a JSON number: int when whole."""
    if type(q) is float:
        return int(q) if q.is_integer() else q
    return int(q) if q.denominator == 1 else float(q)


def decimals_needed(values) -> int | None:
    """Decimal places that write every value exactly (None: all whole), at most MAX_DECIMALS."""
    return max((_places(q) for q in values), default=0) or None


def _places(q: Fraction) -> int:
    return _den_places(q.denominator)


@lru_cache(maxsize=None)
def _den_places(den: int) -> int:
    for places in range(MAX_DECIMALS + 1):
        if 10 ** places % den == 0:
            return places
    return MAX_DECIMALS


class Rules(NamedTuple):  # a NamedTuple: every draw makes one, as part of its training's cache key
    labels: str = "pm1"        # "pm1" | "01"
    at0: int = 1               # the output at net = 0
    mistake: str = "margin"    # "margin" | "output"
    update: str = "mistakes"   # "mistakes" | "error"
    bias: str = "plus"         # "plus" (b on x0 = +1) | "threshold" (θ on x0 = −1)
    learn_bias: bool = True

    @classmethod
    def of(cls, params: dict) -> "Rules":
        return cls(params["labels"], int(params["at0"]), params["mistake"], params["update"],
                   params["bias"], bool(params["learn_bias"]))

    @property
    def x0(self) -> int:
        return 1 if self.bias == "plus" else -1

    @property
    def negative(self) -> int:
        return -1 if self.labels == "pm1" else 0

    def check(self) -> None:
        """One-line errors for combinations that make no sense."""
        allowed = (1, 0, -1) if self.labels == "pm1" else (1, 0)
        if self.at0 not in allowed:
            raise QuizgenError("at0: with labels=01 the output at net = 0 is step(0) = 1 or 0")
        if self.mistake == "margin" and self.labels != "pm1":
            raise QuizgenError("mistake=margin (y·net ≤ 0) needs labels=pm1; with labels=01 use mistake=output")
        if self.update == "error" and self.mistake == "margin":
            raise QuizgenError("update=error corrects whenever the output differs from the target: "
                               "it takes mistake=output")

    def net(self, w, b, x) -> Fraction:
        return sum(wi * xi for wi, xi in zip(w, x)) + self.x0 * b

    def output(self, net) -> int:
        if net > 0:
            return 1
        if net < 0:
            return self.negative
        return self.at0

    def signed(self, d) -> int:
        """The label as ±1."""
        return 1 if d == 1 else -1

    def is_mistake(self, net, out, d) -> bool:
        if self.update == "error" or self.mistake == "output":
            return out != d
        return self.signed(d) * net <= 0

    def factor(self, updated: bool, out, d) -> Fraction:
        """c in w ← w + η c x (and x0-weight ← + η c x0)."""
        if self.update == "error":
            return d - out
        return self.signed(d) if updated else 0


class Row(NamedTuple):
    """One presentation, held as integers scaled by S (w, b) and S·Dₓ (net); read as Fractions
    (a NamedTuple: a training of a draw makes dozens, and a frozen dataclass is 5× slower to make)."""

    sample: int          # 0-based index of the sample presented
    out: int
    updated: bool
    net_s: int
    w_s: tuple[int, ...]
    b_s: int
    scale: int           # S
    dx: int

    @property
    def net(self) -> Fraction:
        return ratio(self.net_s, self.scale * self.dx)

    @property
    def w(self) -> tuple[Fraction, ...]:
        return tuple(ratio(v, self.scale) for v in self.w_s)

    @property
    def b(self) -> Fraction:
        return ratio(self.b_s, self.scale)

    def shown(self) -> tuple:
        """(net, w, b) as JSON numbers (num of each: an int when whole, else its float), straight
        from the scaled integers: int division rounds correctly, as float(Fraction) does."""
        s, sd = self.scale, self.scale * self.dx
        if sd == 1:
            return self.net_s, list(self.w_s), self.b_s
        return (self.net_s // sd if self.net_s % sd == 0 else self.net_s / sd,
                [v // s if v % s == 0 else v / s for v in self.w_s], self.b_s // s if self.b_s % s == 0 else self.b_s / s)

    def floats(self) -> tuple[float, list[float], float]:
        """(net, w, b) as floats, straight from the scaled integers (the same floats as
        float(self.net) and so on: int division rounds correctly)."""
        s = self.scale
        return self.net_s / (s * self.dx), [v / s for v in self.w_s], self.b_s / s


class Training(NamedTuple):  # a NamedTuple, as Row: every try of a draw makes one
    rows: tuple[Row, ...]
    converged: bool      # some full epoch had no update
    epochs: int          # epochs run (with the final one without update)
    update_epochs: int   # epochs with at least one update
    peak_net: int = 0    # the largest |net_s| of the rows
    peak_wb: int = 0     # the largest |w_s| or |b_s| of the rows
    gcd_net: int = 0     # the gcd of every row's net_s
    gcd_wb: int = 0      # the gcd of every row's w_s and b_s
    ends: tuple = ()     # a cheap look's (w·S, b·S) at the end of each epoch
    scale: int = 1       # S

    def start(self, epoch: int) -> tuple[list, object, int]:
        """(w, b) after `epoch` epochs of a cheap look, as JSON numbers, and the decimal places
        they need: a run started from them is this run's tail (the samples are presented from
        the first again)."""
        w, b = self.ends[epoch - 1]
        s = self.scale
        return [num(ratio(v, s)) for v in w], num(ratio(b, s)), _den_places(s // math.gcd(s, b, *w))

    def places(self) -> int:
        """Decimal places that write every row's values exactly (at most MAX_DECIMALS).  A value
        v/S needs the places of S/gcd(v, S), and those only grow with the denominator, so the
        most any row needs is that of S/gcd(S, all of them)."""
        if not self.rows:
            return 0
        s, sd = self.rows[0].scale, self.rows[0].scale * self.rows[0].dx
        return max(_den_places(s // math.gcd(s, self.gcd_wb)), _den_places(sd // math.gcd(sd, self.gcd_net)))

    def reaches(self, limit: int) -> bool:
        """Is |net|, |w_i| or |b| of some row at least `limit`?  (In the scaled integers.)"""
        if not self.rows:
            return False
        return self.peak_net >= limit * self.rows[0].scale * self.rows[0].dx or self.peak_wb >= limit * self.rows[0].scale


def train(X, y, eta, w0, b0, rules: Rules, epochs: int, limit: int | None = MAX_ROWS,
          rows: bool = True, most: int | None = None) -> Training:
    """Cyclic presentation; `epochs` = 0: until the first epoch with no update (at most `limit`
    presentations, else QuizgenError), else exactly that many epochs.  A draw's cheap look:
    `rows=False` keeps only the epoch counts and the weights at each epoch's end (no rows, peaks
    or gcds), and `most` stops once more than `most` epochs have had updates (not converged).

    Exact and fast: every number is read exactly; the loop runs on integers scaled by the common
    denominator S of x, η, w₀ and b₀ (w·S and b·S stay integers; net·S·Dₓ is an integer)."""
    xs, dx, step, w, b, S = _scaled(X, eta, w0, b0)
    x0, neg, at0, error, learn_bias = rules.x0, rules.negative, rules.at0, rules.update == "error", rules.learn_bias
    kept: list[Row] = []
    ends: list[tuple] = []
    new_row = tuple.__new__  # a Row made straight from its tuple: a trace makes thousands
    n, done, shown, update_epochs, converged = len(X), 0, 0, 0, False
    peak_net = peak_wb = gcd_net = gcd_wb = 0
    margin = rules.update == "mistakes" and rules.mistake == "margin"
    x0dx, per_x, two = x0 * dx, step // dx, len(w) == 2  # η·S/Dx is an integer; two features written out
    samples = [(i, x, d, 1 if d == 1 else -1) for i, (x, d) in enumerate(zip(xs, y))]  # with y as ±1
    while epochs == 0 or done < epochs:
        if epochs == 0 and limit is not None and shown + n > limit:
            raise QuizgenError(f"the perceptron has not converged after {done} epochs ({shown} presentations, "
                               f"the most one trace shows); set epochs=N to see the first N epochs")
        changed = False
        for i, x, d, sign in samples:
            net = (w[0] * x[0] + w[1] * x[1] if two else sum(map(mul, w, x))) + x0dx * b     # = net·S·Dx
            out = 1 if net > 0 else neg if net < 0 else at0
            updated = sign * net <= 0 if margin else out != d
            c = (d - out) if error else (sign if updated else 0)
            if c:
                # Δ(w·S) = η c x S = (η S / Dx)·c·(x·Dx): η·S is a multiple of Dx
                unit = per_x * c
                w = (w[0] + unit * x[0], w[1] + unit * x[1]) if two else tuple([wi + unit * xi for wi, xi in zip(w, x)])
                if learn_bias:
                    b += unit * x0dx
            changed = changed or updated
            if rows:
                kept.append(new_row(Row, (i, out, updated, net, w, b, S, dx)))  # w: a tuple
        shown += n
        done += 1
        if not rows:
            ends.append((w, b))
        update_epochs += changed
        if most is not None and update_epochs > most:
            break
        if not changed:
            converged = True
            if epochs == 0:
                break
    if kept:  # the peaks and gcds of the rows' values, for places() and reaches()
        nets = [r.net_s for r in kept]
        wb = [v for r in kept for v in r.w_s] + [r.b_s for r in kept]
        peak_net, gcd_net = max(map(abs, nets)), math.gcd(*nets)
        peak_wb, gcd_wb = max(map(abs, wb)), math.gcd(*wb)
    return Training(tuple(kept), converged, done, update_epochs, peak_net, peak_wb, gcd_net, gcd_wb, tuple(ends), S)


def _scaled(X, eta, w0, b0) -> tuple:
    """The integers train runs on: x·Dₓ, Dₓ, η·S, w₀·S, b₀·S and S, where Dₓ is the common
    denominator of the samples and S that of x, η, w₀ and b₀ (1 and the numbers themselves when
    every one is an int, the common case; the samples as they are when they are ints)."""
    int_x = all([type(v) is int for row in X for v in row])
    if int_x and type(eta) is int and type(b0) is int and all([type(v) is int for v in w0]):
        return X, 1, eta, tuple(w0), b0, 1
    if int_x:
        xs, dx = X, 1
    else:
        X = [[_parts(v) for v in row] for row in X]          # (numerator, denominator) pairs
        dx = math.lcm(*[d for row in X for _, d in row])
        xs = [[n * (dx // d) for n, d in row] for row in X]   # x·Dx
    (eta_n, eta_d), w0, b0 = _parts(eta), [_parts(v) for v in w0], _parts(b0)
    S = dx * eta_d * math.lcm(*[d for _, d in w0], b0[1])
    step = eta_n * (S // eta_d)                               # η·S, a multiple of Dx
    return xs, dx, step, tuple([n * (S // d) for n, d in w0]), b0[0] * (S // b0[1]), S


def _parts(x) -> tuple[int, int]:
    """x exactly as (numerator, denominator): an int as itself over 1, else frac(x).  A float
    whose binary value has a small denominator (3.5, 0.25) is read from that: its decimal
    reading is the same number, and Fraction(repr(x)) costs twenty times more."""
    if type(x) is int:
        return x, 1
    if type(x) is float:
        return _float_parts(x)
    q = frac(x)
    return q.numerator, q.denominator


@lru_cache(maxsize=4096)
def _float_parts(x: float) -> tuple[int, int]:
    """_parts of a float (kept: a problem's η = 0.1 is read many times, and -0.0 == 0.0 reads
    the same)."""
    if abs(x) < 2**40:
        n, d = x.as_integer_ratio()
        if d <= 1024:
            return n, d
    q = frac(x)
    return q.numerator, q.denominator


# ------------------------------------------------------------------ a params dict's key run
def run_key(params: dict) -> tuple:
    """What a run is determined by (a cache key): the samples, labels, η, w₀, b₀, the rules and
    the epochs."""
    return (tuple(tuple(r) for r in params["X"]), tuple(params["y"]), params["eta"],
            tuple(params["w0"]), params["b0"], Rules.of(params), params["epochs"])


_LAST: list = [None, None]  # the params object last asked for, and its run


def training(params: dict) -> Training:
    """The key run of `params`, kept for the params object last asked for (by identity, as
    registry.per_params: params are never mutated): the draw, solve, render and mistakes of a
    problem share one run."""
    if _LAST[0] is not params:
        _LAST[:] = params, train(params["X"], params["y"], params["eta"], params["w0"], params["b0"],
                                 Rules.of(params), params["epochs"])
    return _LAST[1]


def decimals(params: dict, run: Training | None = None) -> int | None:
    """Decimal places of the trace's values (of `run`, the key's training by default)."""
    places, b0 = (run or training(params)).places(), params["b0"]
    return max(places, 0 if type(b0) is int else decimals_needed([frac(b0)]) or 0) or None
