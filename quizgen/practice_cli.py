"""Command glue of `quizgen quiz` and `quizgen stats`: the terminal, the progress store, the exit code.

    run_quiz(...)  -> exit code   build the problems, run `quiz.Quiz` on this terminal (or pipe),
                                  save as we go, print the summary (130 after Ctrl-C)
    run_stats(...) -> exit code   print `stats.compute` as rich bars (or JSON); --repair

The logic lives in quiz.py and stats.py, which print nothing and import no typer; this module
is the CLI layer, next to cli.py.  A corrupt store is offered to be moved aside only when a
person is at the terminal.
"""

from __future__ import annotations

import typer

from quizgen.text import by_lang

WORDS = by_lang({
    "en": {"nothing_due": "Nothing is due for review today{when}.", "next": "; next: {item} on {day}",
           "first": "; quiz some problems first (quizgen quiz)",
           "head": "seed {seed} · {n} problems · {how}", "keys": "type ? for a hint, q to quit",
           "piped": "answers read from stdin"},
    "zh": {"nothing_due": "今天没有待复习的内容{when}。", "next": "；下一次：{item}，{day}",
           "first": "；请先做几道题（quizgen quiz）",
           "head": "种子 {seed} · {n} 道题 · {how}", "keys": "输入 ? 看提示，q 退出", "piped": "从标准输入读取答案"},
})


def run_quiz(topics: list[str], count: int | None, seed: int | None, difficulty: str | None, lang: str | None,
             sheet_file=None, review: bool = False, kinds: str = "computed", bank_dirs=()) -> int:
    """`quizgen quiz`: build the problems, run the loop on this terminal (or pipe), save as
    we go, print the summary.  Returns the exit code (130 after Ctrl-C)."""
    from quizgen.quiz import Quiz, StoreRecorder, quiz_problems
    from quizgen.render.quizview import ConsoleIO
    from quizgen.store import now_utc, open_with_offer

    sheet = None
    if sheet_file is not None:
        from quizgen.files import read_sheet

        sheet = read_sheet(sheet_file)  # read once: its language and its problems
    if lang is None:
        lang = sheet.lang if sheet is not None else "en"
    io = ConsoleIO(lang)
    confirm = (lambda q: typer.confirm(q, default=False)) if io.interactive else None
    store = open_with_offer(confirm=confirm, report=lambda m: io.console.print(m))
    if seed is None and sheet is None:
        from quizgen.sheet import random_seed

        seed = random_seed()
    now = now_utc()
    made_in = "zh" if lang == "zh-Hant" else lang  # sheets hold en + zh; Traditional is derived when shown
    problems = quiz_problems(topics, count or (None if sheet_file else 10 if review else 5), seed, difficulty, made_in, sheet,
                             review, kinds, bank_dirs, store, now)
    if not problems:
        from quizgen.review import next_due

        w = WORDS[lang]
        upcoming = next_due(store)
        when = w["next"].format(item=upcoming.item, day=f"{upcoming.due.astimezone():%Y-%m-%d %H:%M}") \
            if upcoming else w["first"]
        io.console.print(w["nothing_due"].format(when=when))
        return 0
    mode = "review" if review else ("sheet" if sheet_file else "quiz")
    if not review and sheet_file is None:
        w = WORDS[lang]
        io.console.print(w["head"].format(seed=seed, n=len(problems), how=w["keys"] if io.interactive else w["piped"]),
                         style="dim", highlight=False)
    session = store.start_session(mode, seed if sheet_file is None else None, lang, now)
    summary = Quiz(problems, io, StoreRecorder(store, session, now_utc), now_utc).run()
    try:
        store.end_session(session, now_utc())
    finally:
        io.show_summary(summary, str(store.path) if summary.records else None)
        store.close()
    return 130 if summary.reason == "interrupt" else 0


def run_stats(as_json: bool, repair: bool, lang: str = "en") -> int:
    """`quizgen stats`: print the stats (or JSON); `repair` moves an unreadable database aside."""
    import json
    import sys

    from rich.console import Console

    from quizgen.stats import compute, view
    from quizgen.store import CorruptDatabase, Store, default_path, move_aside, now_utc, open_with_offer

    console = Console(highlight=False)
    path = default_path()
    if repair:
        try:
            store = Store(path)
        except CorruptDatabase:
            target = move_aside(path)
            console.print(f"moved the unreadable database to {target}; a fresh one starts now", markup=False)
            store = Store(path)
        else:
            check = store.check()
            if check != "ok":
                store.close()
                target = move_aside(path)
                console.print(f"integrity check failed ({check}); moved the database to {target}", markup=False)
                store = Store(path)
            else:
                console.print(f"{path}: integrity check ok, nothing to repair", markup=False)
        store.close()
        return 0
    confirm = (lambda q: typer.confirm(q, default=False)) if sys.stdin.isatty() and not as_json else None
    store = open_with_offer(confirm=confirm, report=console.print)
    try:
        data = compute(store, now_utc())
    finally:
        store.close()
    if as_json:
        print(json.dumps({"database": str(path), **data}, ensure_ascii=False, indent=2))
    else:
        console.print(view(data, lang))
    return 0


def run_exam(exam, minutes: float, lang: str, clock=None, io=None) -> int:
    """`quizgen exam --time MINUTES`: the paper one question at a time against the clock,
    graded as it goes, saved after every part; the marked result at the end.  Returns the
    exit code (130 after Ctrl-C)."""
    import signal

    from quizgen.quiz import Quiz, StoreRecorder
    from quizgen.render.examview import ExamConsoleIO
    from quizgen.store import now_utc, open_with_offer
    from quizgen.timed_exam import ExamRecorder, TimedIO, deadline_of, exam_result, questions_json

    clock = clock or now_utc
    io = io or ExamConsoleIO(lang)
    confirm = (lambda q: typer.confirm(q, default=False)) if io.interactive else None
    store = open_with_offer(confirm=confirm, report=lambda m: io.console.print(m))
    start = clock()
    session = store.start_session("exam", exam.sheet.seed, lang, start)
    exam_id = store.start_exam(session, start, exam.sheet.seed, lang, minutes, exam.total,
                               questions_json(exam, [0.0] * len(exam.marks)))
    timed = TimedIO(io, deadline_of(start, minutes), clock)
    io.remaining = timed.remaining
    recorder = ExamRecorder(StoreRecorder(store, session, clock), store, exam_id, exam)
    io.show_start(exam.total, minutes, exam.sheet.seed)
    alarm = io.interactive and hasattr(signal, "setitimer")
    if alarm:
        previous = signal.signal(signal.SIGALRM, timed.alarm)
        signal.setitimer(signal.ITIMER_REAL, max(timed.remaining(), 0.001))
    try:
        summary = Quiz(list(exam.sheet.problems), timed, recorder, clock).run()
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    result = exam_result(exam, summary, minutes)
    try:
        recorder.save(summary.ended, summary.reason)
        store.end_session(session, summary.ended)
    finally:
        io.show_result(result, str(store.path))
        store.close()
    return 130 if summary.reason == "interrupt" else 0
