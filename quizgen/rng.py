"""numpy's `default_rng` (PCG64 `Generator`) in pure Python, bit-exact, for the draws quizgen makes.

Importing numpy costs more than `quizgen generate`'s whole start-up budget, so problems are
drawn here instead: `default_rng(seed)` gives exactly numpy's stream, the same values from
the same calls in the same order.  Only what quizgen calls is implemented:
`SeedSequence(entropy).generate_state(n)` (quizgen/seeding.py, also importable from here), and
on `Generator` `integers(low, high, size)` (int64, endpoint False), `random()`,
`choice(a, size, replace)` (no `p`) and `permutation(n)`.
Values come back as Python ints / floats / (nested) lists, never numpy types; `choice` of a
sequence returns its elements as they are (numpy would first coerce `a` to one dtype).

Algorithms, transcribed from numpy's source (numpy/numpy, checked against numpy 2.4.6):

SeedSequence -- quizgen/seeding.py (numpy's, and a written-out path for one-word seeds).

PCG64 -- numpy/random/_pcg64.pyx, numpy/random/src/pcg64/pcg64.h and pcg64.c.  Seeding
    (`pcg64_set_seed` -> `pcg_setseq_128_srandom_r`): s0, s1, i0, i1 = generate_state(4,
    uint64); initstate = s0 << 64 | s1, initseq = i0 << 64 | i1; state = 0,
    inc = initseq << 1 | 1; step; state += initstate; step.  step: state = state * MULT +
    inc mod 2^128.  next_uint64: step, then XSL-RR of the new state:
    rotr64(hi ^ lo, hi >> 58).  next_uint32 (`pcg64_next32`): the low half of a fresh
    next_uint64, keeping its high half for the next call (one buffer per generator, shared
    by every method that draws 32 bits; next_uint64 neither uses nor clears it).
    next_double (numpy/random/_common.pxd `uint64_to_double`): (next_uint64 >> 11) * 2^-53.

integers -- numpy/random/_generator.pyx `Generator.integers` (dtype int64, `_masked = False`)
    -> numpy/random/_bounded_integers.pyx.in `_rand_int64` (high -= 1; rng = high - low,
    off = low; no draw at all when the size has no elements) ->
    numpy/random/src/distributions/distributions.c `random_bounded_uint64_fill`:
    rng == 0: off, no draw; rng == 0xFFFFFFFF: off + next_uint32; rng < 2^32: Lemire on
    next_uint32 (`buffered_bounded_lemire_uint32`, whose bcnt/buf are unused: the draws come
    from the generator's next_uint32); rng == 2^64 - 1: next_uint64; else Lemire on
    next_uint64 (`bounded_lemire_uint64`).  Lemire, for bits b: m = x * (rng + 1); if
    m mod 2^b < rng + 1, redraw while m mod 2^b < (2^b - 1 - rng) mod (rng + 1); value
    m >> b.  `random_bounded_uint64`, used by choice, is the same function for one value.

choice -- `Generator.choice`: with replacement, integers(0, pop_size, size).  Without:
    if pop_size > 10000 and size > pop_size // 50 (// 20 when shuffle=False), a tail
    shuffle (`_shuffle_int` of arange(pop_size) down to max(pop_size - size, 1), keep the
    last `size`); else Floyd's algorithm: for j in pop_size - size .. pop_size - 1,
    v = random_bounded_uint64(0, j); take v, or j when v was taken already (numpy's hash
    set is an exact membership test), then `_shuffle_int(size, 1)` when shuffle.
    `_shuffle_int`: for i = n-1 down to first, swap data[i] with data[random_bounded(0, i)].

permutation -- `Generator.permutation(int)`: arange(n), then `Generator.shuffle`'s 1-d path
    `_shuffle_raw`: for i = n-1 down to 1, swap x[i] with x[random_interval(i)], where
    `random_interval(max)` (distributions.c) is masked rejection: mask = the smallest
    2^k - 1 >= max; draw (next_uint32 if max < 2^32 else next_uint64) & mask until <= max.
"""

from __future__ import annotations

import operator

from quizgen.seeding import M32, SeedSequence, one_word_state

M64 = 0xFFFFFFFFFFFFFFFF
M128 = (1 << 128) - 1
PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645  # PCG_DEFAULT_MULTIPLIER_128
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


# ------------------------------------------------------------------ Generator

def _mask(n: int) -> int:
    """The smallest 2^k - 1 >= n (`gen_mask`)."""
    return (1 << n.bit_length()) - 1


def _count(size) -> int:
    if isinstance(size, tuple):
        n = 1
        for d in size:
            n *= operator.index(d)
        return n
    return operator.index(size)


def _shaped(flat: list, size):
    """`flat` (C order) as nested lists of shape `size` (an int or a tuple)."""
    if not isinstance(size, tuple):
        return flat
    if len(size) == 0:
        return flat[0]
    if len(size) == 1:
        return flat
    step = len(flat) // size[0] if size[0] else 0
    return [_shaped(flat[i * step:(i + 1) * step], size[1:]) for i in range(size[0])]


class Generator:
    """numpy.random.Generator(PCG64(seed)) for integers / random / choice / permutation."""

    def __init__(self, seed):
        if type(seed) is int and 0 <= seed <= M32:
            s0, s1, i0, i1 = one_word_state(seed)
        else:
            s0, s1, i0, i1 = SeedSequence(seed).generate_state(4, "uint64")
        inc = self._inc = ((i0 << 64 | i1) << 1 | 1) & M128
        state = inc  # state 0, one step: 0 * MULT + inc
        state = (state + (s0 << 64 | s1)) & M128  # += initstate
        self._state = (state * PCG_MULT + inc) & M128  # step
        self._half = None  # the kept high half of next_uint32's last 64-bit draw

    # ------------------------------------------------------------ the bit generator
    def next_uint64(self) -> int:
        s = self._state = (self._state * PCG_MULT + self._inc) & M128
        hi = s >> 64
        x, rot = hi ^ (s & M64), hi >> 58
        return ((x >> rot) | (x << (64 - rot))) & M64

    def next_uint32(self) -> int:
        half = self._half
        if half is not None:
            self._half = None
            return half
        x = self.next_uint64()
        self._half = x >> 32
        return x & M32

    def _bounded(self, rng: int) -> int:
        """A value in [0, rng] (`random_bounded_uint64` / `_fill` with use_masked False)."""
        if rng == 0:
            return 0
        if rng < M32:
            bits, draw = 32, self.next_uint32
        elif rng == M32:
            return self.next_uint32()
        elif rng == M64:
            return self.next_uint64()
        else:
            bits, draw = 64, self.next_uint64
        excl, low = rng + 1, (1 << bits) - 1
        m = draw() * excl
        if m & low < excl:
            threshold = (low - rng) % excl
            while m & low < threshold:
                m = draw() * excl
        return m >> bits

    def _interval(self, top: int) -> int:
        """A value in [0, top] by masked rejection (`random_interval`)."""
        if top == 0:
            return 0
        mask = _mask(top)
        draw = self.next_uint32 if top <= M32 else self.next_uint64
        value = draw() & mask
        while value > top:
            value = draw() & mask
        return value

    def _shuffle_int(self, data: list, n: int, first: int) -> None:
        for i in range(n - 1, first - 1, -1):
            j = self._bounded(i)
            data[i], data[j] = data[j], data[i]

    # ------------------------------------------------------------ Generator methods
    def integers(self, low, high=None, size=None):
        """Uniform ints in [low, high) (or [0, low)): an int, or a list (nested for a tuple size)."""
        if high is None:
            low, high = 0, low
        if type(low) is not int or type(high) is not int:
            low, high = int(low), int(high)
        if low < INT64_MIN:
            raise ValueError("low is out of bounds for int64")
        if high - 1 > INT64_MAX:
            raise ValueError("high is out of bounds for int64")
        excl = high - low  # rng + 1
        if excl < 1:
            raise ValueError("low >= high")
        small = 1 < excl <= M32  # most draws: _bounded's 32-bit Lemire step, written out
        if size is None:
            return low + (self._lemire32(excl) if small else self._bounded(excl - 1))
        n = _count(size)
        if small:
            return _shaped([low + self._lemire32(excl) for _ in range(n)], size)
        return _shaped([low + self._bounded(excl - 1) for _ in range(n)], size)

    def pick(self, options):
        """options[integers(len(options))]: one option, uniformly (what `draw.picker` calls)."""
        n = len(options)
        return options[self._lemire32(n) if n > 1 else self.integers(n)]

    def _lemire32(self, excl: int) -> int:
        """_bounded(excl - 1) for 2 <= excl <= 2^32, with next_uint32 written out."""
        half = self._half
        if half is None:
            s = self._state = (self._state * PCG_MULT + self._inc) & M128
            hi = s >> 64
            x, rot = hi ^ (s & M64), hi >> 58
            x = ((x >> rot) | (x << (64 - rot))) & M64
            self._half, half = x >> 32, x & M32
        else:
            self._half = None
        m = half * excl
        if m & M32 < excl:  # maybe in the rejection zone
            threshold = (M32 - excl + 1) % excl
            while m & M32 < threshold:
                m = self.next_uint32() * excl
        return m >> 32

    def random(self, size=None):
        """Floats in [0, 1): (next_uint64 >> 11) * 2^-53."""
        if size is None:
            return (self.next_uint64() >> 11) * (1.0 / 9007199254740992.0)
        return _shaped([(self.next_uint64() >> 11) * (1.0 / 9007199254740992.0)
                        for _ in range(_count(size))], size)

    def choice(self, a, size=None, replace: bool = True, shuffle: bool = True):
        """Draws from range(a) (a an int) or from the sequence a, as `Generator.choice` (no p)."""
        if isinstance(a, (list, tuple, range, str)):
            pop_size, items = len(a), a
        else:
            pop_size, items = operator.index(a), None
        n = 1 if size is None else _count(size)
        if pop_size <= 0 and n != 0:
            raise ValueError("a must be a positive integer or a non-empty sequence unless no samples are taken")
        if replace:
            idx = self.integers(0, pop_size, size=size)
        else:
            if n > pop_size:
                raise ValueError("Cannot take a larger sample than population when replace is False")
            if n < 0:
                raise ValueError("negative dimensions are not allowed")
            if pop_size > 10000 and n > pop_size // (50 if shuffle else 20):
                flat = list(range(pop_size))  # tail shuffle
                self._shuffle_int(flat, pop_size, max(pop_size - n, 1))
                flat = flat[pop_size - n:]
            else:
                flat, taken = [], set()  # Floyd's algorithm
                for j in range(pop_size - n, pop_size):
                    v = self._bounded(j)
                    v = j if v in taken else v
                    taken.add(v)
                    flat.append(v)
                if shuffle:
                    self._shuffle_int(flat, n, 1)
            idx = flat[0] if size is None else _shaped(flat, size)
        if items is None:
            return idx
        if size is None:
            return items[idx]
        flat = idx if not isinstance(size, tuple) or len(size) <= 1 else _flatten(idx)
        return _shaped([items[i] for i in flat], size)

    def permutation(self, n):
        """A shuffled list(range(n)) (`permutation(int)`: arange + `shuffle`)."""
        x = list(range(operator.index(n)))
        for i in range(len(x) - 1, 0, -1):
            j = self._interval(i)
            x[i], x[j] = x[j], x[i]
        return x


def _flatten(nested) -> list:
    if not isinstance(nested, list):
        return [nested]
    return [v for item in nested for v in _flatten(item)]


def default_rng(seed) -> Generator:
    """numpy.random.default_rng(seed) for an int or a sequence of ints (a Generator passes through)."""
    return seed if isinstance(seed, Generator) else Generator(seed)
