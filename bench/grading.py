"""Per-answer grading time over the payload corpus (tests/payloads.py), and answers files.

    python bench/grading.py [--repeat N]

Grades every corpus payload with `grade_part` (as `check` and the quiz do), N times each
(default 3) in one warm process, and prints the median, 99th percentile and worst of the
per-answer medians, with the five slowest payloads.  Then: refusing a 49 MB answers file
(`read_text` with the answers-file limit), and reading the largest one allowed (MAX_ANSWERS_CHARS).
The budget is 1 s per answer, whatever the answer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from payloads import SHEET_PROBLEM, corpus  # noqa: E402

from quizgen.check import MAX_ANSWERS_CHARS, grade_part, read_answers  # noqa: E402
from quizgen.errors import QuizgenError  # noqa: E402
from quizgen.files import read_text  # noqa: E402
from quizgen.model import Sheet  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    grade_part(SHEET_PROBLEM, 1, SHEET_PROBLEM.part("g"), "sigma(z)")  # warm the imports
    rows = []
    for pid, text, _ in corpus():
        part = SHEET_PROBLEM.part(pid)
        times = [timed(lambda: grade_part(SHEET_PROBLEM, 1, part, text)) for _ in range(args.repeat)]
        rows.append((statistics.median(times), part.kind, text))
    rows.sort(reverse=True)
    medians = sorted(r[0] for r in rows)
    p99 = medians[min(len(medians) - 1, int(0.99 * len(medians)))]
    print(f"corpus: {len(rows)} answers, median {statistics.median(medians) * 1e3:.2f} ms, "
          f"p99 {p99 * 1e3:.1f} ms, worst {rows[0][0] * 1e3:.1f} ms (budget 1000 ms)")
    for seconds, kind, text in rows[:5]:
        shown = text if len(text) <= 50 else text[:47] + "..."
        print(f"  {seconds * 1e3:7.1f} ms  {kind:<10} {shown!r}")

    sheet = Sheet("bench", 1, "easy", "en", (), (SHEET_PROBLEM,))
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "answers.txt"
        with open(big, "w", encoding="utf-8") as fh:
            fh.write("1d: 1 2\n" + "3 4\n" * (49 * 1024 * 1024 // 4))

        def refuse():
            try:
                read_answers(read_text(big, "answers file", 4 * MAX_ANSWERS_CHARS), sheet)
            except QuizgenError:
                return
            raise AssertionError("a 49 MB answers file was read")

        print(f"49 MB answers file refused in {timed(refuse) * 1e3:.2f} ms")
        text = "1d: 1 2\n" + "3 4\n" * ((MAX_ANSWERS_CHARS - 16) // 4)
        answers: dict = {}
        read_ms = timed(lambda: answers.update(read_answers(text, sheet))) * 1e3
        grade_ms = timed(lambda: grade_part(SHEET_PROBLEM, 1, SHEET_PROBLEM.part("d"), answers[(1, "d")])) * 1e3
        print(f"256k-character answers file read in {read_ms:.1f} ms; its one long answer graded (refused) in {grade_ms:.2f} ms")


if __name__ == "__main__":
    main()
