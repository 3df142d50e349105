"""quizgen.rng against numpy: the same seeds give the same values from the same calls.

* SeedSequence: int seeds of every size (0 .. 2**63 and past 2**64), list seeds, uint32 and
  uint64 words.
* Generator: per seed, a random program of interleaved calls (integers over small, 32-bit
  edge, 64-bit and negative ranges with scalar / int / tuple sizes, random, choice with and
  without replacement, permutation 0..12) run on both, every result and the final
  bit-generator state (incl. the kept 32-bit half) compared.
* Every family, difficulty and 100 seeds: the same params from either generator.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from quizgen import rng as R
from quizgen.seeding import one_word_state

SEEDS = [0, 1, 2, 3, 7, 42, 255, 256, 12345, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 1,
         2**40 + 3, 2**53, 2**62, 2**63 - 1, 2**63, 2**64 - 1, 2**64, 2**100 + 12345, 2**130 + 1,
         [0], [1, 2], [7, 0], [0, 0, 0, 0], [1, 2, 3, 4, 5], [2**32, 5], [2**63, 2**40, 9],
         [1, 2, 3, 4, 5, 6, 7, 8, 9], (3, 11), [123456, 987654321], [5, 0x7B5E4A]]
SEEDS += random.Random(5).sample(range(2**32), 30) + [random.Random(6).getrandbits(63) for _ in range(10)]

SPANS = [1, 2, 3, 5, 7, 10, 16, 100, 1000, 2**16 + 1, 2**31, 2**31 + 1, 2**32 - 1, 2**32,
         2**32 + 1, 2**33 - 1, 2**40, 2**53 + 7, 2**62, 2**63 - 1, 2**63, 2**64 - 1]
LOWS = [0, 1, -1, -5, -2**31, -2**40, -2**63]


def _py(v):
    return v.tolist() if isinstance(v, np.ndarray) else v.item() if isinstance(v, np.generic) else v


@pytest.mark.parametrize("seed", SEEDS, ids=str)
def test_seed_sequence(seed):
    for n in (1, 2, 3, 4, 5, 8, 13):
        assert R.SeedSequence(seed).generate_state(n) == np.random.SeedSequence(seed).generate_state(n).tolist()
        assert (R.SeedSequence(seed).generate_state(n, "uint64")
                == np.random.SeedSequence(seed).generate_state(n, np.uint64).tolist())


def test_one_word_seeds_take_the_written_out_path_with_numpys_state():
    """Every problem's seed is one 32-bit word: Generator seeds it by seeding.one_word_state, written out."""
    words = [0, 1, 2, 255, 2**16, 2**31 - 1, 2**31, 2**32 - 2, 2**32 - 1] + \
        [random.Random(7).getrandbits(32) for _ in range(500)]
    for word in words:
        expected = [int(v) for v in np.random.SeedSequence(word).generate_state(4, np.uint64)]
        assert list(one_word_state(word)) == expected == R.SeedSequence(word).generate_state(4, "uint64")
        assert R.default_rng(word).integers(0, 2**62, 3) == [int(v) for v in np.random.default_rng(word).integers(0, 2**62, 3)]
    assert R.default_rng(2**32).integers(0, 10, 5) == list(np.random.default_rng(2**32).integers(0, 10, 5))  # two words


def test_seed_sequence_rejects_negatives_floats_and_nesting():
    for bad, error in [(-1, ValueError), ([1, -2], ValueError), (1.5, TypeError)]:
        with pytest.raises(error):
            R.SeedSequence(bad)
        with pytest.raises(error):
            np.random.SeedSequence(bad)
    with pytest.raises(TypeError):  # numpy 2.4 flattens these; quizgen never seeds so
        R.SeedSequence([[1], 2])


def _program(r: random.Random, length: int) -> list[tuple[str, tuple, dict]]:
    """A random sequence of the calls quizgen makes (and their edges), numpy-callable."""
    calls = []
    for _ in range(length):
        kind = r.choice(["int", "int", "int", "int1", "intbig", "random", "choice", "choice_r", "perm"])
        size = r.choice([None, None, None, 0, 1, 2, 3, 5, (2, 3), (3, 1), (1, 4), (2, 2, 2), (0, 3)])
        if kind == "int":
            lo = r.choice([0, 0, 1, -1, -3, -6, -10])
            calls.append(("integers", (lo, lo + r.choice(SPANS[:10])), {"size": size}))
        elif kind == "int1":
            calls.append(("integers", (r.choice([1, 2, 3, 4, 6, 12, 2**62]),), {"size": size}))
        elif kind == "intbig":
            span, lo = r.choice(SPANS), r.choice(LOWS)
            lo = max(lo, -2**63) if lo + span <= 2**63 else 2**63 - span
            calls.append(("integers", (lo, lo + span), {"size": size}))
        elif kind == "random":
            calls.append(("random", (), {} if r.random() < 0.7 else {"size": r.choice([1, 3, (2, 2)])}))
        elif kind in ("choice", "choice_r"):
            pool = r.choice([2, 3, 4, 5, 6, 8, 9, 10, 12, 100, 2**33,
                             [-2, -1, 1, 2, 3], [0.3, 0.6, 0.8, 1.3, 1.6, 2.5], ["a", "b", "c", "d"]])
            n = pool if isinstance(pool, int) else len(pool)
            replace = kind == "choice_r"
            k = r.choice([None, 1, min(n, 2), min(n, 3), min(n, 4), n if n < 100 else 5])
            calls.append(("choice", (pool, k), {"replace": replace}))
        else:
            calls.append(("permutation", (r.randrange(0, 13),), {}))
    return calls


def _state(g):
    s = g.bit_generator.state
    return s["state"]["state"], s["state"]["inc"], s["uinteger"] if s["has_uint32"] else None


@pytest.mark.parametrize("seed", SEEDS, ids=str)
def test_generator_matches_numpy(seed):
    r = random.Random(repr(seed))
    for round_ in range(4):
        ours, theirs = R.default_rng(seed), np.random.default_rng(seed)
        for name, args, kwargs in _program(r, 60):
            got = getattr(ours, name)(*args, **kwargs)
            want = _py(getattr(theirs, name)(*args, **kwargs))
            assert got == want and type(got) is type(want), (seed, round_, name, args, kwargs, got, want)
        assert (ours._state, ours._inc, ours._half) == _state(theirs)


@pytest.mark.parametrize("seed", SEEDS[:12], ids=str)
def test_choice_branches_and_integer_edges(seed):
    """Tail shuffle vs Floyd (both shuffle settings), full 64-bit range, empty sizes."""
    ours, theirs = R.default_rng(seed), np.random.default_rng(seed)
    calls = [("choice", (20000, 500), {"replace": False}),            # > 20000 // 50: tail shuffle
             ("choice", (20000, 400), {"replace": False}),            # Floyd
             ("choice", (20000, 900), {"replace": False, "shuffle": False}),   # Floyd (cutoff 20)
             ("choice", (20000, 1001), {"replace": False, "shuffle": False}),  # tail, unshuffled
             ("choice", (7, 7), {"replace": False, "shuffle": False}),
             ("choice", (3, (2, 2)), {"replace": True}),
             ("choice", (["x", "y", "z"], (2, 2)), {}),
             ("choice", (6, (2, 3)), {"replace": False}),
             ("integers", (-2**63, 2**63 - 1), {"size": 3}),
             ("integers", (5, 6), {"size": 4}),
             ("integers", (5, 6), {}),
             ("integers", (3, 9), {"size": 0}),
             ("permutation", (400,), {}),
             ("integers", (2**32,), {"size": 3}),
             ("integers", (2**32 - 1,), {})]
    for name, args, kwargs in calls:
        got = getattr(ours, name)(*args, **kwargs)
        assert got == _py(getattr(theirs, name)(*args, **kwargs)), (name, args, kwargs)
    assert (ours._state, ours._inc, ours._half) == _state(theirs)


def test_bad_bounds_raise_like_numpy():
    ours, theirs = R.default_rng(1), np.random.default_rng(1)
    for args in [(5, 5), (3, 2), (0, 2**63 + 1), (-2**63 - 1, 0)]:
        with pytest.raises(ValueError):
            ours.integers(*args)
        with pytest.raises(ValueError):
            theirs.integers(*args)
    with pytest.raises(ValueError):
        ours.choice(3, 4, replace=False)


def _jsonable(value):
    return json.dumps(value, sort_keys=True, default=_py)


def test_every_family_draws_the_same_params():
    """The proof that swapping numpy's generator for quizgen.rng changed no problem."""
    from quizgen.registry import load_families

    seeds = list(range(50)) + R.SeedSequence(2024).generate_state(50)
    for family in load_families().values():
        for difficulty in family.difficulties:
            for s in seeds:
                want = _jsonable(family.generate(np.random.default_rng(s), difficulty))
                got = _jsonable(family.generate(R.default_rng(s), difficulty))
                assert got == want, (family.name, difficulty, s)


def test_generate_imports_no_numpy():
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys\nfrom quizgen.cli import main\ntry:\n    main(['generate', '-n', '6', '--seed', '1', '-t', 'cnn.shape'])\n"
            "except SystemExit:\n    pass\nprint('NUMPY', 'numpy' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "NUMPY False" in r.stdout, r.stdout + r.stderr
