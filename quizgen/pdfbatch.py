"""Many PDFs at once: Typst sources made in this thread, compiled by a pool of threads.

    time per PDF ≈ Typst source (Python, tex2typst for the math)  ~20 ms
                 + compile (Typst layout and PDF export, in Rust)  ~70-90 ms

typst-py releases the GIL for the whole compile, so threads compile in parallel with each
other and with the Python work of this thread (generating sheets, writing their sources,
writing files).  `render_pdfs(jobs, workers)` yields the PDFs of `jobs` =
[(sheet, lang, answers)] in order; `jobs` may be a lazy iterator, so sheets can still be
generated while the first PDFs compile.  Each thread holds its own `typst.Compiler` (fonts
loaded once per thread); Typst's memo cache is process-wide, so repeated content
(conventions, headers) is laid out once for all threads.  At most `workers * AHEAD` sources
wait for a thread, so memory stays bounded.  Every PDF of one batch carries the same date,
which makes the bytes independent of the number of threads.
"""

from __future__ import annotations

import datetime
from collections import deque
from typing import Iterable, Iterator

from quizgen.model import Sheet

Job = tuple[Sheet, str, str]  # sheet, language, answers (none | key | solutions | answers)
AHEAD = 3  # sources queued per compiling thread


def source_of(job: Job, date: datetime.date) -> str:
    """One job's Typst source; language zh-Hant goes through `quizgen.hant`."""
    from quizgen import hant
    from quizgen.render.typst import typst_source

    sheet, lang, answers = job
    if lang == hant.HANT:
        return hant.typst_source(sheet, answers, date)
    return typst_source(sheet, lang, answers, date)


def render_one(job: Job, date: datetime.date) -> bytes:
    """One job's PDF, compiled in this thread."""
    from quizgen.render.typst import compile_source

    return compile_source(source_of(job, date), date)


def render_pdfs(jobs: Iterable[Job], workers: int = 1, date: datetime.date | None = None) -> Iterator[bytes]:
    """The PDF of every job, in order; `workers` compiling threads (1: this thread only)."""
    from quizgen.render.typst import compile_source

    date = date or datetime.date.today()
    if workers <= 1:
        for job in jobs:
            yield render_one(job, date)
        return
    from concurrent.futures import ThreadPoolExecutor

    pending: deque = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="typst") as pool:
        try:
            for job in jobs:
                pending.append(pool.submit(compile_source, source_of(job, date), date))
                while len(pending) >= workers * AHEAD or (pending and pending[0].done()):
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

