"""Many PDFs at once: one Typst compiler per process, optionally a pool of processes.

    time per PDF ≈ Typst source (tex2typst for the math) + compile
    compile: the first one in a process loads the system fonts (~50 ms); a reused
             `typst.Compiler` keeps them, and later compiles take ~8 ms (bench/roster.py)

`render_pdfs(jobs, workers)` yields the PDFs of `jobs` = [(sheet, lang, answers)] in order.
With `workers > 1` the jobs are spread over a process pool, each worker holding its own
compiler.  Workers are spawned, never forked: a fork of a process that has run Typst's
threads deadlocks.  Every PDF of one batch carries the same date.
"""

from __future__ import annotations

import datetime
from typing import Iterable, Iterator

from quizgen.model import Sheet

Job = tuple[Sheet, str, str]  # sheet, language, answers (none | key | solutions)

def render_one(job: Job, date: datetime.date) -> bytes:
    """One job's PDF; language zh-Hant goes through `quizgen.hant`."""
    from quizgen import hant
    from quizgen.render.typst import compile_source, typst_source

    sheet, lang, answers = job
    if lang == hant.HANT:
        return compile_source(hant.typst_source(sheet, answers, date), date)
    return compile_source(typst_source(sheet, lang, answers, date), date)


def _render_chunk(args: tuple[list[Job], datetime.date]) -> list[bytes]:
    jobs, date = args
    return [render_one(job, date) for job in jobs]


def render_pdfs(jobs: Iterable[Job], workers: int = 1, date: datetime.date | None = None,
                chunk: int = 8) -> Iterator[bytes]:
    """The PDF of every job, in order; `workers` processes (1: this process)."""
    date = date or datetime.date.today()
    jobs = list(jobs)
    if workers <= 1:
        for job in jobs:
            yield render_one(job, date)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [(jobs[i:i + chunk], date) for i in range(0, len(jobs), chunk)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for pdfs in pool.map(_render_chunk, chunks):
            yield from pdfs
