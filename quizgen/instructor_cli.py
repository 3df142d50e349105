"""Instructor commands: `quizgen roster` (per-student sheets), `quizgen grade` (gradebook)
and `quizgen exam` (a mock exam paper with its marking scheme).

Thin typer commands over `quizgen.roster` and `quizgen.gradebook`; `register(app)` adds them
to the main app.  Heavy modules load inside the commands.
"""


import time
from pathlib import Path
from typing import List, Optional

import typer

from quizgen.errors import QuizgenError


def roster(
    csv_file: Path = typer.Argument(..., metavar="STUDENTS.CSV", help="CSV with a header: id, name[, lang]."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder to create (refused if it exists, unless --force)."),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Topic or family (repeatable); all when omitted."),
    count: int = typer.Option(8, "--count", "-n", help="Problems per student."),
    seed: int = typer.Option(..., "--seed", "-s", help="Course seed; each student's seed derives from it and their id."),
    difficulty: str = typer.Option("medium", "--difficulty", "-d", help="easy, medium or hard."),
    lang: str = typer.Option("en", "--lang", "-l", help="Default language: en, zh or zh-Hant (a `lang` column overrides it)."),
    kinds: str = typer.Option("computed", "--kinds", "-k", help="computed, concept (bank items) or all."),
    title: Optional[str] = typer.Option(None, "--title", help="Sheet title (the student's name and id are added)."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Write each student's PDF and answer-key PDF."),
    jobs: int = typer.Option(2, "--jobs", "-j", help="Threads compiling PDFs (bench/roster.py compares)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing output folder."),
) -> None:
    """Per-student sheets: JSON, PDF with name and id, answer-key PDF, and a manifest."""
    from quizgen.files import MAX_READ
    from quizgen.hant import check_lang
    from quizgen.roster import parse_roster, write_roster

    check_lang(lang)
    if not 1 <= jobs <= 64:
        raise QuizgenError("--jobs must be between 1 and 64")
    try:
        if csv_file.stat().st_size > MAX_READ:
            raise QuizgenError(f"roster {csv_file} is too large")
        raw = csv_file.read_bytes()
    except FileNotFoundError:
        raise QuizgenError(f"roster {csv_file} not found") from None
    except OSError as exc:
        raise QuizgenError(f"cannot read roster {csv_file}: {exc.strerror or exc}") from None
    students = parse_roster(raw, str(csv_file), lang)
    start = time.perf_counter()
    with _progress(len(students)) as advance:
        data = write_roster(students, output, topic or [], count, seed, difficulty, kinds, title, pdf, jobs,
                            force, advance)
    what = "JSON, PDF and answer-key PDF" if pdf else "JSON"
    typer.echo(f"{len(data['students'])} sheets ({what}) written to {output} in "
               f"{time.perf_counter() - start:.1f} s; manifest: {output / 'manifest.json'}")


class _progress:
    """A rich progress bar on stderr (only when it is a terminal); yields `advance(done, total)`."""

    def __init__(self, total: int):
        self.total = total

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        self.bar = Progress(TextColumn("students"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=console, disable=not console.is_terminal)
        self.bar.__enter__()
        task = self.bar.add_task("students", total=self.total)
        return lambda done, total: self.bar.update(task, completed=done)

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)


def grade(
    roster_dir: Path = typer.Argument(..., metavar="ROSTER", help="A folder written by `quizgen roster`."),
    answers_dir: Path = typer.Argument(..., metavar="ANSWERS", help="Folder of <id>.txt answer files (the `check` format)."),
    csv_out: Optional[Path] = typer.Option(None, "--csv", help="Write the gradebook CSV here."),
    as_json: bool = typer.Option(False, "--json", help="Everything as JSON, for scripts."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of labels and mistake explanations: en, zh or zh-Hant."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing gradebook CSV."),
) -> None:
    """Grade every student's answers: gradebook CSV and what the class got wrong most."""
    from quizgen.files import write_atomic
    from quizgen.gradebook import grade_roster, gradebook_csv
    from quizgen.hant import HANT, check_lang, to_hant

    check_lang(lang)
    if csv_out is not None and csv_out.exists() and not force:
        raise QuizgenError(f"{csv_out} already exists; use --force to overwrite it")
    book = grade_roster(roster_dir, answers_dir)
    if csv_out is not None:
        write_atomic(csv_out, gradebook_csv(book), force)
    if as_json:
        import json

        text = json.dumps(book.to_dict("zh" if lang == HANT else lang), ensure_ascii=False, indent=2)
        typer.echo(to_hant(text) if lang == HANT else text)
        return
    from rich.console import Console

    from quizgen.gradeview import print_gradebook

    print_gradebook(book, lang, Console(highlight=False))
    if csv_out is not None:
        typer.echo(f"gradebook written to {csv_out}")


def exam(
    seed: Optional[int] = typer.Option(None, "--seed", "-s", help="Seed (random when omitted; printed)."),
    concepts: int = typer.Option(6, "--concepts", help="Short concept questions (section A)."),
    essays: int = typer.Option(2, "--essays", help="Essay questions (section B), 0-5."),
    difficulty: str = typer.Option("medium", "--difficulty", "-d", help="easy, medium or hard (computed problems)."),
    lang: str = typer.Option("en", "--lang", "-l", help="en, zh or zh-Hant."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the exam as a sheet JSON (for check, quiz --sheet)."),
    pdf: Optional[Path] = typer.Option(None, "--pdf", help="Write the paper here and the marking scheme beside it (.marking.pdf)."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing output files."),
    minutes: Optional[float] = typer.Option(None, "--time", help="Sit it now in the terminal against the clock: minutes (e.g. 120)."),
) -> None:
    """A mock exam shaped like the final: short questions, essays, calculations; marks stated.
    With --time, sit it in the terminal: graded as you go, the marked result saved to `stats`."""
    import secrets

    from quizgen.hant import HANT, check_lang, hant_sheet
    from quizgen.mock import build_exam, exam_outline
    from quizgen.timed_exam import MAX_MINUTES

    check_lang(lang)
    if minutes is not None and not 0 < minutes <= MAX_MINUTES:
        raise QuizgenError(f"--time must be between 0 and {MAX_MINUTES} minutes")
    seed = secrets.randbelow(10**6) if seed is None else seed
    scheme = pdf.with_name(pdf.stem + ".marking.pdf") if pdf is not None else None
    for path in (output, pdf, scheme):
        if path is not None and path.exists() and not force:
            raise QuizgenError(f"{path} already exists; use --force to overwrite it")
    built = build_exam(seed, concepts, essays, difficulty, "zh" if lang == HANT else lang)
    _write_exam(built, lang, output, pdf, scheme, force)
    if minutes is not None:
        from quizgen.practice_cli import run_exam

        raise typer.Exit(run_exam(built, minutes, lang))
    from rich.console import Console

    from quizgen.render.terminal import print_sheet

    console = Console(highlight=False)
    shown = hant_sheet(built.sheet) if lang == HANT else built.sheet
    print_sheet(shown, "zh" if lang == HANT else lang, False, console)
    zh = lang.startswith("zh")
    for title, n, marks in exam_outline(built, "zh" if zh else "en"):
        typer.echo(f"{title}: {n} 题，共 {marks} 分" if zh else f"{title}: {n} questions, {marks} marks")
    typer.echo(f"总分 {built.total} 分 · 随机种子 {seed}" if zh else f"total: {built.total} marks · seed {seed}")


def _write_exam(built, lang: str, output, pdf, scheme, force: bool) -> None:
    """The exam's sheet JSON and its paper + marking-scheme PDFs, where asked."""
    from quizgen.files import write_atomic

    if output is not None:
        write_atomic(output, built.sheet.to_json(), force)
        typer.echo(f"exam written to {output}")
    if pdf is not None:
        from quizgen.pdfbatch import render_pdfs

        paper, marking = render_pdfs([(built.sheet, lang, "none"), (built.sheet, lang, "solutions")])
        write_atomic(pdf, paper, force)
        write_atomic(scheme, marking, force)
        typer.echo(f"paper written to {pdf}, marking scheme to {scheme}")


def register(app: typer.Typer) -> None:
    app.command()(roster)
    app.command()(grade)
    app.command()(exam)
