"""The command-line interface: thin typer commands over the library core.

Each command parses its options, calls one core function and prints.  A QuizgenError from
the core becomes one line on stderr and exit code 2.  Heavy modules (numpy, sympy, torch,
typst) are imported inside the commands that need them, so `quizgen --help` stays fast.
"""


import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from quizgen.errors import QuizgenError
from quizgen import cli_output as out

app = typer.Typer(
    name="quizgen",
    help="Exam-style practice problems for a neural-networks course: generate, quiz, check, solve, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: keeps `quizgen --help` free of rich's import cost
)


def _print_version(value: bool) -> None:
    if value:
        from quizgen import __version__

        typer.echo(f"quizgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print the version and exit."),
) -> None:
    """Exam-style practice problems for a neural-networks course: generate, quiz, check, solve, export."""


def _add_subapps() -> None:
    from quizgen.bank_cli import bank_app

    app.add_typer(bank_app, name="bank")
    from quizgen.lab import lab_app  # light: torch loads inside the lab commands

    app.add_typer(lab_app, name="lab")
    from quizgen.instructor_cli import register  # roster, grade, exam (issue 16)

    register(app)


class Lang(str, Enum):
    en = "en"
    zh = "zh"
    hant = "zh-Hant"


class Difficulty(str, Enum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


class Answers(str, Enum):
    none = "none"
    key = "key"
    solutions = "solutions"


class Format(str, Enum):
    pdf = "pdf"
    md = "md"
    moodle = "moodle"  # quizgen.export (issue 16)
    qti = "qti"
    anki = "anki"





@app.command()
def topics(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """List the problem families with their topic, a description and an example."""
    from quizgen.registry import catalog

    rows = list(catalog().items())
    if as_json:
        out.emit_json([{"family": name, "topic": e["topic"], "title": e["title"][0], "summary": e["summary"][0],
                        "example": e["example"], "difficulties": e["difficulties"]} for name, e in rows])
        return
    from rich.table import Table
    from rich.text import Text

    from quizgen.mathtext import to_unicode

    console, widest = out.console(), max(len(name) for name, _ in rows)
    for topic in sorted({e["topic"] for _, e in rows}):  # one table per topic, printed as it is ready
        table = Table(title=f"topic {topic}", show_lines=True, expand=True)
        table.add_column("family", no_wrap=True, min_width=widest)
        for col in ("what it asks", "example"):
            table.add_column(col, overflow="fold", ratio=1)
        for name, e in rows:
            if e["topic"] == topic:
                table.add_row(name, Text(to_unicode(e["summary"][0])), Text(e["example"], style="dim"))
        console.print(table)


@app.command()
def generate(
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Topic or family (repeatable); all when omitted."),
    count: int = typer.Option(6, "--count", "-n", help="Number of problems."),
    seed: Optional[int] = typer.Option(None, "--seed", "-s", help="Sheet seed (random when omitted; printed)."),
    difficulty: Difficulty = typer.Option(Difficulty.medium, "--difficulty", "-d"),
    lang: Lang = typer.Option(Lang.en, "--lang", "-l", help="Language of statements."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the sheet as JSON."),
    pdf: Optional[Path] = typer.Option(None, "--pdf", help="Also write a PDF (with answer key and solutions)."),
    answers: Answers = typer.Option(Answers.solutions, "--answers", help="What the PDF adds after the problems."),
    solutions: bool = typer.Option(False, "--solutions", help="Show worked solutions in the terminal too."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing output files."),
    kinds: str = typer.Option("computed", "--kinds", "-k", help="computed, concept (bank items) or all."),
    bank: Optional[List[Path]] = typer.Option(None, "--bank", "-b", help="Extra concept-bank folder (repeatable; also $QUIZGEN_BANK)."),
) -> None:
    """Generate a practice sheet: print it, and optionally save JSON and PDF.

    With --pdf and stdout not a terminal (a script, a pipe) the problems are not printed
    unless --solutions asks for them: the PDF holds them; the seed and the files are reported."""
    from quizgen.files import write_atomic
    from quizgen.sheet import generate_sheet, random_seed

    if seed is None:
        seed = random_seed()
    for path in (output, pdf):
        if path is not None and path.exists() and not force:
            raise QuizgenError(f"{path} already exists; use --force to overwrite it")
    hant = lang == Lang.hant  # the sheet keeps en + zh; Traditional is derived when shown
    sheet = generate_sheet(topic or [], count, seed, difficulty.value, "zh" if hant else lang.value, kinds=kinds,
                           bank_dirs=bank or [])
    if pdf is None or solutions or sys.stdout.isatty():
        from quizgen.render.terminal import print_sheet

        print_sheet(out.titled(sheet, lang.value), lang.value, solutions, out.console())
    else:
        typer.echo(out.WRITTEN[lang.value]["seed"].format(title=out.titled(sheet, lang.value).title, seed=seed,
                                                      n=len(sheet.problems)))
    if output is not None:
        write_atomic(output, sheet.to_json(), force)
        typer.echo(out.WRITTEN[lang.value]["sheet"].format(path=output))
    if pdf is not None:
        if hant:
            from quizgen.hant import to_pdf as hant_pdf

            data = hant_pdf(sheet, answers.value)
        else:
            from quizgen.render.typst import to_pdf

            data = to_pdf(sheet, lang.value, answers.value)
        write_atomic(pdf, data, force)
        typer.echo(out.WRITTEN[lang.value]["PDF"].format(path=pdf))


@app.command()
def show(
    sheet_file: Path = typer.Argument(..., metavar="SHEET", help="A sheet JSON file."),
    solutions: bool = typer.Option(False, "--solutions", help="Show worked solutions."),
    as_json: bool = typer.Option(False, "--json", help="Print parts with ids, kinds and expected answers as JSON."),
    lang: Optional[Lang] = typer.Option(None, "--lang", "-l", help="Language (default: the sheet's)."),
) -> None:
    """Show a saved sheet."""
    from quizgen.files import read_sheet

    sheet = read_sheet(sheet_file)
    language = lang.value if lang else sheet.lang
    if as_json:
        out.emit_json(out.sheet_json(sheet, language, solutions))
        return
    from quizgen.render.terminal import print_sheet

    print_sheet(out.titled(sheet, language), language, solutions, out.console())


@app.command()
def check(
    sheet_file: Path = typer.Argument(..., metavar="SHEET", help="A sheet JSON file."),
    answers_file: Path = typer.Argument(..., metavar="ANSWERS", help="Text file, one answer per line: `1a: 55`."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable results."),
    lang: Optional[Lang] = typer.Option(None, "--lang", "-l", help="Language of feedback (default: the sheet's)."),
) -> None:
    """Check answers worked out on paper. Exit 0: all correct; 1: something wrong or missing."""
    from quizgen.check import MAX_ANSWERS_CHARS, answers_of, check_problem, check_sheet, read_answers
    from quizgen.files import read_sheet, read_text

    sheet = read_sheet(sheet_file)
    answers = read_answers(read_text(answers_file, "answers file", 4 * MAX_ANSWERS_CHARS), sheet)
    language = lang.value if lang else sheet.lang
    if as_json:
        results = check_sheet(sheet, answers)
        out.emit_json({"results": [r.to_dict(language) for r in results],
                    "correct": sum(r.status in ("correct", "carried") for r in results), "parts": len(results)})
    else:
        from quizgen.render.terminal import print_problem_title, print_results_table, print_summary

        results, console = [], out.console()
        for number, problem in enumerate(sheet.problems, 1):  # each problem's title, then its table once graded
            print_problem_title(number, problem, language, console)
            mine = check_problem(problem, number, answers_of(answers, number))
            print_results_table(mine, language, console)
            results += mine
        print_summary(results, language, console)
        out.print_self_graded(sheet, results, language)
    if any(r.status in ("wrong", "missing", "format") for r in results):
        raise typer.Exit(1)


def _user_values(family, settings: list[str]) -> dict:
    params = {p.name: p for p in family.params}
    values = {}
    for setting in settings:
        name, sep, raw = setting.partition("=")
        name = name.strip()
        if not sep:
            raise QuizgenError(f"--set expects name=value, got {setting!r}")
        if name not in params:
            known = ", ".join(params) or "none"
            raise QuizgenError(f"unknown parameter {name!r} for {family.name}; known: {known}")
        values[name] = params[name].parse(raw.strip())
    return values


@app.command()
def solve(
    family_name: str = typer.Argument(..., metavar="FAMILY", help="A family name, or `net` for a layer stack."),
    spec: Optional[str] = typer.Argument(None, metavar="[SPEC]", help='With `net`: "in 1x28x28; conv 25 k3; maxpool 2; flatten; fc 10" or a preset (lenet5, lenet5-1998, alexnet, vgg11, vgg16, vgg19, resnet18, resnet34, resnet50, densenet121).'),
    settings: Optional[List[str]] = typer.Option(None, "--set", help="name=value (repeatable); `quizgen solve FAMILY --help-params` lists them."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    lang: Lang = typer.Option(Lang.en, "--lang", "-l"),
    help_params: bool = typer.Option(False, "--help-params", help="List the parameters this family takes."),
    verify: bool = typer.Option(False, "--verify", help="With `net`: recompute every layer with real PyTorch modules (needs torch)."),
) -> None:
    """Worked solution of your own problem, such as the one on your lecture slide."""
    from quizgen.registry import get_family
    from quizgen.sheet import build_problem

    if family_name == "net":
        from quizgen.netsummary import print_net_summary

        if spec is None:
            raise QuizgenError('solve net needs a spec, like "in 1x28x28; conv 25 k3; maxpool 2; flatten; fc 10"')
        print_net_summary(spec, as_json, out.console(), lang.value, verify)
        return
    if spec is not None:
        raise QuizgenError("a SPEC argument is only for `quizgen solve net`; use --set name=value")
    family = get_family(family_name)
    if help_params:
        for p in family.params:
            typer.echo(p.help_line())
        return
    params = family.params_from_user(_user_values(family, settings or []))
    problem = build_problem(family, params, None, "custom", {"set": settings or []})
    if as_json:
        from quizgen.model import Sheet

        out.emit_json(out.sheet_json(Sheet("solve", None, "custom", lang.value, (), (problem,)), lang.value, True)["problems"][0])
        return
    from quizgen.render.terminal import problem_panel, solution_panel

    console = out.console()
    console.print(problem_panel(problem, 1, lang.value))
    console.print(solution_panel(problem, 1, lang.value))


@app.command()
def export(
    sheet_file: Path = typer.Argument(..., metavar="SHEET", help="A sheet JSON file."),
    fmt: Format = typer.Option(Format.pdf, "--format", "-f"),
    answers: Answers = typer.Option(Answers.key, "--answers", help="none, key, or key + worked solutions."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default: SHEET with .pdf/.md)."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help="en, zh or zh-Hant (Traditional, Taiwan; default: the sheet's)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Export a sheet to PDF (Typst), Markdown, Moodle XML, Canvas QTI (zip) or Anki (.apkg)."""
    from quizgen.files import read_sheet, write_atomic
    from quizgen.hant import HANT, check_lang, export as export_hant

    sheet = read_sheet(sheet_file)
    language = check_lang(lang) if lang else sheet.lang
    from quizgen.export import SUFFIX, export_sheet

    target = output or sheet_file.with_suffix(SUFFIX.get(fmt.value, "." + fmt.value))
    if target.exists() and not force:
        raise QuizgenError(f"{target} already exists; use --force to overwrite it")
    if language == HANT:
        data = export_hant(sheet, fmt.value, answers.value)
    elif fmt.value in SUFFIX:
        data = export_sheet(sheet, fmt.value, language)
    elif fmt is Format.pdf:
        from quizgen.render.typst import to_pdf

        data = to_pdf(sheet, language, answers.value)
    else:
        from quizgen.render.markdown import to_markdown

        data = to_markdown(sheet, language, answers.value)
    write_atomic(target, data, force)
    names = {"pdf": "PDF", "md": "Markdown", "moodle": "Moodle XML", "qti": "Canvas QTI", "anki": "Anki"}
    words = out.WRITTEN[language]
    typer.echo(words["file"].format(what=names[fmt.value], path=target))


@app.command()
def quiz(
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Topic or family (repeatable); all when omitted."),
    count: Optional[int] = typer.Option(None, "--count", "-n", help="Number of problems (default 5; 10 with --review; a whole --sheet)."),
    difficulty: Optional[Difficulty] = typer.Option(None, "--difficulty", "-d", help="Default medium; --review uses what you last practised."),
    lang: Optional[Lang] = typer.Option(None, "--lang", "-l", help="Language of statements (default en, or the sheet's)."),
    seed: Optional[int] = typer.Option(None, "--seed", "-s", help="Seed (random when omitted; printed)."),
    sheet_file: Optional[Path] = typer.Option(None, "--sheet", help="Quiz on a saved sheet instead."),
    review: bool = typer.Option(False, "--review", help="Spaced repetition: fresh variants of the families due today."),
    kinds: str = typer.Option("computed", "--kinds", "-k", help="computed, concept (bank items) or all."),
    bank: Optional[List[Path]] = typer.Option(None, "--bank", "-b", help="Extra concept-bank folder (repeatable)."),
) -> None:
    """Self-quiz in the terminal; progress is saved as you go (answers may be piped on stdin)."""
    from quizgen.practice_cli import run_quiz

    if review and sheet_file is not None:
        raise QuizgenError("--review and --sheet cannot be combined")
    code = run_quiz(topic or [], count, seed, difficulty.value if difficulty else None,
                    lang.value if lang else None, sheet_file, review, kinds, bank or [])
    raise typer.Exit(code)


@app.command()
def stats(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    repair: bool = typer.Option(False, "--repair", help="Move an unreadable progress database aside and start afresh."),
    lang: Lang = typer.Option(Lang.en, "--lang", "-l", help="Language of the labels."),
) -> None:
    """Progress: accuracy per topic and family, streak, weakest families, reviews due today."""
    from quizgen.practice_cli import run_stats

    raise typer.Exit(run_stats(as_json, repair, lang.value))


_add_subapps()


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app; bad input is one line on stderr, exit 2."""
    from quizgen.cli_edge import UsageLine, install_plain_conversion, run

    install_plain_conversion()
    try:
        code = run(typer.main.get_command(app), argv)
    except (QuizgenError, UsageLine) as exc:
        typer.echo(f"quizgen: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("quizgen: interrupted", err=True)
        sys.exit(130)
    sys.exit(code)
