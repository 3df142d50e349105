"""Benchmark of `quizgen roster`: N students x P problems, JSON and PDFs, whole process.

    python bench/roster.py [--students 500] [--problems 20] [--jobs 1 2]

Prints the wall time of whole `quizgen roster` processes for each --jobs value (1: one
reused Typst compiler in the main thread; n > 1: n compiling threads, each with its own
compiler, while the main thread generates sheets and sources; typst-py releases the GIL),
and an in-process breakdown per student over a few sheets: generating a sheet, building
the Typst sources of its two PDFs (the sheet; the key + solutions), and compiling them with
`typst.compile` (fonts loaded every call), with one reused `typst.Compiler`, and with two
threads of reused compilers (wall time per student; CPU time is printed beside it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def whole_process(csv_path: Path, out: Path, problems: int, jobs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "quizgen", "roster", str(csv_path), "-n", str(problems), "--seed", "2026",
                    "-o", str(out), "--jobs", str(jobs), "--force"], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def breakdown(problems: int, sheets: int = 20) -> dict[str, float]:
    """Seconds per sheet for each stage, averaged over `sheets` sheets."""
    import datetime

    import typst

    from quizgen.render.typst import typst_source
    from quizgen.sheet import generate_sheet

    date = datetime.date(2026, 1, 1)
    t0 = time.perf_counter()
    made = [generate_sheet([], problems, seed) for seed in range(sheets)]
    t1 = time.perf_counter()
    sources = [typst_source(s, "en", answers, date).encode() for s in made for answers in ("none", "answers")]
    t2 = time.perf_counter()
    for src in sources:
        typst.compile(src, format="pdf")
    t3 = time.perf_counter()
    compiler = typst.Compiler()
    for src in sources:
        compiler.compile(input=src, format="pdf")
    t4 = time.perf_counter()
    local = threading.local()

    def compile_here(src: bytes) -> bytes:
        if not hasattr(local, "compiler"):
            local.compiler = typst.Compiler()
        return local.compiler.compile(input=src, format="pdf")

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(compile_here, sources[:2]))  # each thread loads its fonts
        t5, cpu = time.perf_counter(), time.process_time()
        list(pool.map(compile_here, sources))
    t6, cpu = time.perf_counter(), time.process_time() - cpu
    return {"generate": (t1 - t0) / sheets, "typst source": (t2 - t1) / sheets,
            "typst.compile (fonts each time)": (t3 - t2) / sheets, "one reused typst.Compiler": (t4 - t3) / sheets,
            f"2 threads (CPU {cpu / sheets * 1000:.0f} ms)": (t6 - t5) / sheets}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=500)
    ap.add_argument("--problems", type=int, default=20)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    print(f"cpus: {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}")
    for stage, seconds in breakdown(args.problems).items():
        print(f"per student, {args.problems} problems, 2 PDFs: {stage:34s} {seconds * 1000:7.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp, "students.csv")
        csv_path.write_text("id,name\n" + "".join(f"s{i:04d},Student {i}\n" for i in range(args.students)))
        for jobs in args.jobs:
            seconds = whole_process(csv_path, Path(tmp, "out"), args.problems, jobs)
            pdfs = 2 * args.students
            print(f"quizgen roster {args.students} students x {args.problems} problems, --jobs {jobs}: "
                  f"{seconds:6.1f} s  ({pdfs} PDFs, {seconds / pdfs * 1000:.1f} ms per PDF, whole process)")


if __name__ == "__main__":
    main()
