"""numpy's `default_rng` (PCG64 `Generator`) in pure Python, bit-exact, for the draws quizgen makes.

Importing numpy costs more than `quizgen generate`'s whole start-up budget, so problems are
drawn here instead: `default_rng(seed)` gives exactly numpy's stream, the same values from
the same calls in the same order.  Only what quizgen calls is implemented:
`SeedSequence(entropy).generate_state(n)`, and on `Generator` `integers(low, high, size)`
(int64, endpoint False), `random()`, `choice(a, size, replace)` (no `p`) and `permutation(n)`.
Values come back as Python ints / floats / (nested) lists, never numpy types; `choice` of a
sequence returns its elements as they are (numpy would first coerce `a` to one dtype).

Algorithms, transcribed from numpy's source (numpy/numpy, checked against numpy 2.4.6):

SeedSequence -- numpy/random/bit_generator.pyx (`_coerce_to_uint32_array`, `hashmix`, `mix`,
    `SeedSequence.mix_entropy`, `generate_state`).  The entropy (an int >= 0, or a sequence
    of them, not nested) becomes uint32 words, each int lowest word first (0 -> [0]).  A
    pool of 4 words: pool[i] = hashmix(word i, or 0 past the end), then every pool word is
    mixed with hashmix of every other, then any words past the 4th are mixed into every
    pool word.  hashmix(v): v ^= h; h *= MULT_A; v *= h; v ^= v >> 16 (h starts at INIT_A,
    carried through all calls); mix(x, y) = (MIX_MULT_L*x - MIX_MULT_R*y), then ^= >> 16.
    generate_state(n) cycles over the pool: w ^= h; h *= MULT_B; w *= h; w ^= w >> 16 (h
    from INIT_B); uint64 words are pairs of uint32 words, little-endian.  All mod 2^32.

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

M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF
M128 = (1 << 128) - 1
PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645  # PCG_DEFAULT_MULTIPLIER_128
INIT_A, MULT_A = 0x43B0D7E5, 0x931E8875
INIT_B, MULT_B = 0x8B51F9DD, 0x58F38DED
MIX_MULT_L, MIX_MULT_R = 0xCA01F9DD, 0x4973F715
POOL_SIZE = 4
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


# ------------------------------------------------------------------ SeedSequence

def _uint32_words(entropy) -> list[int]:
    """`_coerce_to_uint32_array` for an int or a flat sequence of ints."""
    if isinstance(entropy, (list, tuple, range)):
        words = []
        for v in entropy:
            if hasattr(v, "__len__"):
                raise TypeError("SeedSequence does not accept nested sequences.")
            words += _uint32_words(v)
        return words
    n = operator.index(entropy)
    if n < 0:
        raise ValueError("expected non-negative integer")
    words = [n & M32]
    n >>= 32
    while n:
        words.append(n & M32)
        n >>= 32
    return words


class SeedSequence:
    """numpy.random.SeedSequence(entropy) with the default pool size 4 and no spawn key."""

    def __init__(self, entropy):
        self.entropy = entropy
        words = _uint32_words(entropy)
        hs = _hashes_a(len(words))  # hashmix's multipliers h do not depend on the data
        pool = []
        for i in range(POOL_SIZE):  # hashmix, written out (this runs once per problem)
            v = ((words[i] if i < len(words) else 0) ^ hs[i]) * hs[i + 1] & M32
            pool.append(v ^ (v >> 16))
        steps = _MIX_STEPS if len(words) <= POOL_SIZE else _mix_steps(len(words), hs)
        for src, dst, h_in, h_out in steps:  # pool[dst] = mix(pool[dst], hashmix(word src))
            v = ((pool[src] if src < POOL_SIZE else words[src]) ^ h_in) * h_out & M32
            r = (MIX_MULT_L * pool[dst] - MIX_MULT_R * (v ^ (v >> 16))) & M32
            pool[dst] = r ^ (r >> 16)
        self.pool = pool

    def generate_state(self, n_words: int, dtype: str = "uint32") -> list[int]:
        """`n_words` uint32 words (or uint64 words with dtype "uint64"), as Python ints."""
        name = getattr(dtype, "__name__", dtype)
        if name not in ("uint32", "uint64"):
            raise ValueError("only support uint32 or uint64")
        wide = name == "uint64"
        n = n_words * 2 if wide else n_words
        pool, hs, out = self.pool, _hashes_b(n), []
        for i in range(n):
            w = (pool[i % POOL_SIZE] ^ hs[i]) * hs[i + 1] & M32
            out.append(w ^ (w >> 16))
        if wide:
            return [out[i] | out[i + 1] << 32 for i in range(0, len(out), 2)]
        return out


def _mixes(n_words: int) -> tuple[tuple[int, int], ...]:
    """(source, destination) of every mix after the pool is filled, in numpy's order."""
    later = [(src, dst) for src in range(POOL_SIZE) for dst in range(POOL_SIZE) if src != dst]
    return tuple(later + [(src, dst) for src in range(POOL_SIZE, n_words) for dst in range(POOL_SIZE)])


_MIXES = _mixes(POOL_SIZE)


def _mix_steps(n_words: int, hs: list[int]) -> tuple[tuple[int, int, int, int], ...]:
    """(source, destination, h before, h after) of every mix: its word pair and its multipliers."""
    return tuple((src, dst, hs[POOL_SIZE + j], hs[POOL_SIZE + j + 1]) for j, (src, dst) in enumerate(_mixes(n_words)))


def _hash_chain(start: int, mult: int, n: int) -> list[int]:
    """h, h·m, h·m², ... mod 2^32: hashmix's running multiplier (it is the same for any data)."""
    hs = [start]
    for _ in range(n):
        hs.append(hs[-1] * mult & M32)
    return hs


_CHAIN_A = _hash_chain(INIT_A, MULT_A, POOL_SIZE + len(_MIXES))
_CHAIN_B = _hash_chain(INIT_B, MULT_B, 64)
_MIX_STEPS = _mix_steps(POOL_SIZE, _CHAIN_A)


def _hashes_a(n_words: int) -> list[int]:
    """hashmix's multipliers while seeding from `n_words` words (one per hashmix call, plus one)."""
    need = POOL_SIZE + len(_mixes(n_words)) if n_words > POOL_SIZE else len(_CHAIN_A) - 1
    return _CHAIN_A if need < len(_CHAIN_A) else _hash_chain(INIT_A, MULT_A, need)


def _hashes_b(n: int) -> list[int]:
    """generate_state's multipliers for `n` output words."""
    return _CHAIN_B if n < len(_CHAIN_B) else _hash_chain(INIT_B, MULT_B, n)


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


def _zero_word(i: int) -> int:
    v = _CHAIN_A[i] * _CHAIN_A[i + 1] & M32  # hashmix(0) at call i
    return v ^ (v >> 16)


_POOL_ZERO = (_zero_word(1), _zero_word(2), _zero_word(3))  # pool words 1-3 of a one-word seed, before mixing
_A, _B = tuple(_CHAIN_A[:17]), tuple(_CHAIN_B[:9])


def _one_word_state(word: int) -> tuple[int, int, int, int]:
    """SeedSequence(word).generate_state(4, "uint64") for 0 <= word < 2^32 (every problem's seed),
    written out: the same arithmetic as SeedSequence, without its loops (a third of the time)."""
    a, m, lo, ro = _A, M32, MIX_MULT_L, MIX_MULT_R
    v = (word ^ a[0]) * a[1] & m
    p0, (p1, p2, p3) = v ^ (v >> 16), _POOL_ZERO
    # mix(pool[dst], hashmix(pool[src])) for src = 0..3, dst != src, in numpy's order (_MIXES)
    v = (p0 ^ a[4]) * a[5] & m; r = (lo * p1 - ro * (v ^ (v >> 16))) & m; p1 = r ^ (r >> 16)  # noqa: E702
    v = (p0 ^ a[5]) * a[6] & m; r = (lo * p2 - ro * (v ^ (v >> 16))) & m; p2 = r ^ (r >> 16)  # noqa: E702
    v = (p0 ^ a[6]) * a[7] & m; r = (lo * p3 - ro * (v ^ (v >> 16))) & m; p3 = r ^ (r >> 16)  # noqa: E702
    v = (p1 ^ a[7]) * a[8] & m; r = (lo * p0 - ro * (v ^ (v >> 16))) & m; p0 = r ^ (r >> 16)  # noqa: E702
    v = (p1 ^ a[8]) * a[9] & m; r = (lo * p2 - ro * (v ^ (v >> 16))) & m; p2 = r ^ (r >> 16)  # noqa: E702
    v = (p1 ^ a[9]) * a[10] & m; r = (lo * p3 - ro * (v ^ (v >> 16))) & m; p3 = r ^ (r >> 16)  # noqa: E702
    v = (p2 ^ a[10]) * a[11] & m; r = (lo * p0 - ro * (v ^ (v >> 16))) & m; p0 = r ^ (r >> 16)  # noqa: E702
    v = (p2 ^ a[11]) * a[12] & m; r = (lo * p1 - ro * (v ^ (v >> 16))) & m; p1 = r ^ (r >> 16)  # noqa: E702
    v = (p2 ^ a[12]) * a[13] & m; r = (lo * p3 - ro * (v ^ (v >> 16))) & m; p3 = r ^ (r >> 16)  # noqa: E702
    v = (p3 ^ a[13]) * a[14] & m; r = (lo * p0 - ro * (v ^ (v >> 16))) & m; p0 = r ^ (r >> 16)  # noqa: E702
    v = (p3 ^ a[14]) * a[15] & m; r = (lo * p1 - ro * (v ^ (v >> 16))) & m; p1 = r ^ (r >> 16)  # noqa: E702
    v = (p3 ^ a[15]) * a[16] & m; r = (lo * p2 - ro * (v ^ (v >> 16))) & m; p2 = r ^ (r >> 16)  # noqa: E702
    b, out = _B, []
    for i, p in enumerate((p0, p1, p2, p3, p0, p1, p2, p3)):  # generate_state: 8 words, cycling the pool
        w = (p ^ b[i]) * b[i + 1] & m
        out.append(w ^ (w >> 16))
    return out[0] | out[1] << 32, out[2] | out[3] << 32, out[4] | out[5] << 32, out[6] | out[7] << 32


class Generator:
    """numpy.random.Generator(PCG64(seed)) for integers / random / choice / permutation."""

    def __init__(self, seed):
        if type(seed) is int and 0 <= seed <= M32:
            s0, s1, i0, i1 = _one_word_state(seed)
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
