"""`quizgen bank ...`: list, show and validate concept-bank items (a typer sub-app).

    quizgen bank list [--topic T] [--type TYPE] [--bank DIR] [--json]
    quizgen bank show ID [--lang en|zh] [--bank DIR] [--json]
    quizgen bank validate [DIR]        exit 0 if valid, 1 with one line per error

Skipped user items are reported on stderr (`file: item: field: message`); the commands
themselves go on with the valid items.
"""


import json
from pathlib import Path
from typing import List, Optional

import typer

from quizgen.errors import QuizgenError

bank_app = typer.Typer(help="The concept question bank: essay, short-answer and objective items.",
                       no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

BANK_OPTION = typer.Option(None, "--bank", "-b", help="Extra bank folder of *.toml files (repeatable; also $QUIZGEN_BANK).")


def _load(bank_dirs: Optional[List[Path]]):
    from quizgen.concepts import load_bank, warn

    return load_bank(bank_dirs or [], report=warn)


def _check_names(values: list[str], allowed: tuple[str, ...], what: str) -> None:
    for v in values:
        if v not in allowed:
            raise QuizgenError(f"unknown {what} {v!r}; use one of {', '.join(allowed)}")


@bank_app.command("list")
def list_items(
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only these topics (repeatable)."),
    kind: Optional[List[str]] = typer.Option(None, "--type", help="Only these types: essay, short, single, multiple, truefalse, matching."),
    bank: Optional[List[Path]] = BANK_OPTION,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the questions (en or zh)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List bank items: id, topic, type, difficulty and the question."""
    from quizgen.concepts import TOPICS, TYPES

    _check_names(topic or [], TOPICS, "topic")
    _check_names(kind or [], TYPES, "type")
    items = _load(bank).select(topic or [], kind or [])
    if as_json:
        typer.echo(json.dumps([{"id": i.id, "topic": i.topic, "type": i.type, "difficulty": i.difficulty,
                                "tags": list(i.tags), "source": i.source, "question": i.question.to_dict(),
                                "file": i.file} for i in items], ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from quizgen.mathtext import to_unicode

    table = Table(title=f"{len(items)} concept items", header_style="bold")
    for col in ("id", "topic", "type", "difficulty"):
        table.add_column(col, no_wrap=True)
    table.add_column("question", overflow="fold", ratio=1)
    for i in items:
        table.add_row(i.id, i.topic, i.type, i.difficulty, Text(to_unicode(i.question.get(lang))))
    Console(highlight=False).print(table)


def item_text(item, lang: str) -> list[str]:
    """An item as plain lines: question, options, answer, key points, misconceptions."""
    from quizgen.concept_problems import to_problem
    from quizgen.mathtext import to_unicode
    from quizgen.selfgrade import checklist

    zh = lang == "zh"
    problem = to_problem(item)
    lines = [f"{item.id} · {item.topic} · {item.type} · {item.difficulty} · {item.source}", "",
             to_unicode(problem.statement.get(lang))]
    if problem.parts[0].choices:
        lines += [f"    {chr(97 + n)}) {to_unicode(c.get(lang))}" for n, c in enumerate(problem.parts[0].choices)]
    if item.type == "matching":
        lines += [f"({part.id}) {to_unicode(part.prompt.get(lang))}" for part in problem.parts]
    lines += ["", "参考答案：" if zh else "Answer:", to_unicode(item.answer.get(lang))]
    if item.objective:
        key = ", ".join(f"{p.id}: {''.join(p.answer)}" if len(problem.parts) > 1 else ", ".join(p.answer)
                        for p in problem.parts)
        lines.append(("答案：" if zh else "Key: ") + key)
    if item.key_points:
        lines += ["", "要点：" if zh else "Key points:", *map(to_unicode, checklist(item.key_points, lang))]
    if item.misconceptions:
        lines += ["", "常见误解：" if zh else "Misconceptions:"]
        for m in item.misconceptions:
            lines.append(f"  ✗ {to_unicode(m.text.get(lang))}")
            lines.append(f"  ✓ {to_unicode(m.correction.get(lang))}")
    return lines


@bank_app.command("show")
def show_item(
    item_id: str = typer.Argument(..., metavar="ID", help="An item id from `quizgen bank list`."),
    lang: str = typer.Option("en", "--lang", "-l", help="en or zh."),
    bank: Optional[List[Path]] = BANK_OPTION,
    as_json: bool = typer.Option(False, "--json", help="The item as a sheet problem, in JSON."),
) -> None:
    """Show one item with its model answer, key points and misconceptions."""
    if lang not in ("en", "zh"):
        raise QuizgenError(f"unknown language {lang!r}; use en or zh")
    item = _load(bank).get(item_id)
    if as_json:
        from quizgen.concept_problems import to_problem

        typer.echo(json.dumps(to_problem(item).to_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo("\n".join(item_text(item, lang)))


@bank_app.command("validate")
def validate(
    folder: Optional[Path] = typer.Argument(None, metavar="[DIR]", help="A bank folder (default: the shipped bank)."),
) -> None:
    """Check every item of a bank folder; exit 1 listing each error as file: item: field: message."""
    from quizgen.concepts import validate_dir

    items, errors = validate_dir(folder)
    for err in errors:
        typer.echo(str(err), err=True)
    where = str(folder) if folder else "shipped bank"
    if errors:
        typer.echo(f"{where}: {len(items)} valid items, {len(errors)} error(s)")
        raise typer.Exit(1)
    typer.echo(f"{where}: {len(items)} items, all valid")
