"""quizgen.rng (pure Python) against numpy's Generator: per-call cost and import cost.

    python bench/rng.py [--repeat N]

Prints, as the best of N timeit runs, microseconds per call of: default_rng(seed)
construction, integers(k) scalar (a 32-bit range, and a 2**62 one as _rnn.chooser draws),
random(), choice(6, 3, replace=False), permutation(4), integers(-3, 4, (3, 3)); and the
import time of each module in a fresh process (median of N).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CALLS = [
    ("default_rng(seed)", "default_rng(123456789)", 20000),
    ("integers(10)", "g.integers(10)", 100000),
    ("integers(2**62)", "g.integers(2**62)", 100000),
    ("random()", "g.random()", 100000),
    ("choice(6, 3, replace=False)", "g.choice(6, 3, replace=False)", 20000),
    ("permutation(4)", "g.permutation(4)", 20000),
    ("integers(-3, 4, (3, 3))", "g.integers(-3, 4, (3, 3))", 20000),
]


def per_call_us(stmt: str, setup: str, number: int, repeat: int) -> float:
    return min(timeit.repeat(stmt, setup, number=number, repeat=repeat)) / number * 1e6


def import_ms(module: str, repeat: int) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                                 env={"PYTHONPATH": str(ROOT)}).stdout) for _ in range(repeat)]
    return statistics.median(runs) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    ours = "from quizgen.rng import default_rng; g = default_rng(1)"
    numpy = "from numpy.random import default_rng; g = default_rng(1)"
    print(f"{'call':30} {'quizgen.rng':>12} {'numpy':>10} {'ratio':>7}   (µs per call)")
    for label, stmt, number in CALLS:
        a = per_call_us(stmt, ours, number, repeat)
        b = per_call_us(stmt, numpy, number, repeat)
        print(f"{label:30} {a:12.2f} {b:10.2f} {a / b:7.2f}")
    a, b = import_ms("quizgen.rng", repeat), import_ms("numpy", repeat)
    print(f"{'import (ms, fresh process)':30} {a:12.1f} {b:10.1f} {a / b:7.2f}")


if __name__ == "__main__":
    main()
