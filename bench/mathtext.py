"""Benchmark of the terminal math converter: spans per second and the worst case.

    python bench/mathtext.py [--repeat N]

Converts every distinct $...$ span of the bank and of the families (all difficulties, 20
seeds, both languages; the same spans the tests check) N times, and prints spans per second,
then the time of one span at the size limit (MAX_SPAN characters) and one at the depth limit.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from conftest import all_math_spans
    from quizgen.mathtext import MAX_DEPTH, MAX_SPAN, convert

    spans = all_math_spans()
    start = time.perf_counter()
    for _ in range(args.repeat):
        for span in spans:
            convert(span, strict=True)
    elapsed = time.perf_counter() - start
    chars = sum(map(len, spans))
    print(f"{len(spans)} distinct spans ({chars} characters), {args.repeat} rounds: "
          f"{len(spans) * args.repeat / elapsed:,.0f} spans/s")
    worst = {
        f"{MAX_SPAN} characters": (r"\frac{a}{b}+" * MAX_SPAN)[:MAX_SPAN],
        f"depth {MAX_DEPTH - 1}": "{" * (MAX_DEPTH - 1) + "x" + "}" * (MAX_DEPTH - 1),
    }
    for name, span in worst.items():
        start = time.perf_counter()
        convert(span)
        print(f"one span of {name}: {(time.perf_counter() - start) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
