"""numpy's SeedSequence in pure Python, bit-exact: the entropy of every draw quizgen makes.

SeedSequence -- numpy/random/bit_generator.pyx (`_coerce_to_uint32_array`, `hashmix`, `mix`,
    `SeedSequence.mix_entropy`, `generate_state`).  The entropy (an int >= 0, or a sequence
    of them, not nested) becomes uint32 words, each int lowest word first (0 -> [0]).  A
    pool of 4 words: pool[i] = hashmix(word i, or 0 past the end), then every pool word is
    mixed with hashmix of every other, then any words past the 4th are mixed into every
    pool word.  hashmix(v): v ^= h; h *= MULT_A; v *= h; v ^= v >> 16 (h starts at INIT_A,
    carried through all calls); mix(x, y) = (MIX_MULT_L*x - MIX_MULT_R*y), then ^= >> 16.
    generate_state(n) cycles over the pool: w ^= h; h *= MULT_B; w *= h; w ^= w >> 16 (h
    from INIT_B); uint64 words are pairs of uint32 words, little-endian.  All mod 2^32.

Every problem's seed is one 32-bit word; `one_word_state` gives its four PCG64 seeding words
with the loops written out (the same arithmetic, a third of the time).
"""

from __future__ import annotations

import operator

M32 = 0xFFFFFFFF
INIT_A, MULT_A = 0x43B0D7E5, 0x931E8875
INIT_B, MULT_B = 0x8B51F9DD, 0x58F38DED
MIX_MULT_L, MIX_MULT_R = 0xCA01F9DD, 0x4973F715
POOL_SIZE = 4


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


def _zero_word(i: int) -> int:
    v = _CHAIN_A[i] * _CHAIN_A[i + 1] & M32  # hashmix(0) at call i
    return v ^ (v >> 16)


_POOL_ZERO = (_zero_word(1), _zero_word(2), _zero_word(3))  # pool words 1-3 of a one-word seed, before mixing
_A, _B = tuple(_CHAIN_A[:17]), tuple(_CHAIN_B[:9])


def one_word_state(word: int) -> tuple[int, int, int, int]:
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
