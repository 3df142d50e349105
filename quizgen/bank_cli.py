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


WORDS = {
    "en": {"title": "{n} concept items", "id": "id", "topic": "topic", "type": "type", "difficulty": "difficulty",
           "question": "question", "item": "item"},
    "zh": {"title": "{n} 个概念题", "id": "编号", "topic": "主题", "type": "题型", "difficulty": "难度",
           "question": "题目", "item": "题目编号",
           "essay": "论述题", "short": "简答题", "single": "单选题", "multiple": "多选题", "truefalse": "判断题",
           "matching": "匹配题", "easy": "简单", "medium": "中等", "hard": "困难"},
}
WIDE = 110    # columns from which every field gets its own column
NARROW = 60   # below this, one item per paragraph instead of a table


def _word(value: str, lang: str) -> str:
    return WORDS[lang].get(value, value)


def _meta(item, lang: str) -> str:
    return " · ".join([item.topic, _word(item.type, lang), _word(item.difficulty, lang)])


def items_table(items, lang: str, width: int):
    """The item list for a terminal `width` wide: a full table when wide; id and its
    topic · type · difficulty stacked beside the question when narrower; paragraphs when narrow."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from quizgen.mathtext import to_unicode

    w = WORDS[lang]
    question = lambda i: Text(to_unicode(i.question.get(lang)))  # noqa: E731
    id_width = max((len(i.id) for i in items), default=2)
    if width < NARROW or width - id_width < 7 + 24:  # (borders and padding) + a readable question column
        parts = [Text(w["title"].format(n=len(items)), style="bold")]
        for i in items:
            parts += [Text(""), Text(f"{i.id} · {_meta(i, lang)}", style="bold"), question(i)]
        return Group(*parts)
    table = Table(title=w["title"].format(n=len(items)), header_style="bold", show_lines=width < WIDE)
    if width >= WIDE:
        for col in ("id", "topic", "type", "difficulty"):
            table.add_column(w[col], no_wrap=True)
        table.add_column(w["question"], overflow="fold", ratio=1)
        for i in items:
            table.add_row(i.id, i.topic, _word(i.type, lang), _word(i.difficulty, lang), question(i))
        return table
    table.add_column(w["item"], no_wrap=True, min_width=id_width)
    table.add_column(w["question"], overflow="fold", ratio=1)
    for i in items:
        head = Text(i.id)
        head.append("\n" + _meta(i, lang), style="dim")
        table.add_row(head, question(i))
    return table


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
    _check_names([lang], ("en", "zh"), "language")
    items = _load(bank).select(topic or [], kind or [])
    if as_json:
        typer.echo(json.dumps([{"id": i.id, "topic": i.topic, "type": i.type, "difficulty": i.difficulty,
                                "tags": list(i.tags), "source": i.source, "question": i.question.to_dict(),
                                "file": i.file} for i in items], ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    console = Console(highlight=False)
    console.print(items_table(items, lang, console.width))


def item_text(item, lang: str) -> list[str]:
    """An item as plain lines: question, options, answer, key points, misconceptions."""
    from quizgen.concept_problems import to_problem
    from quizgen.mathtext import to_unicode
    from quizgen.selfgrade import checklist

    zh = lang == "zh"
    problem = to_problem(item)
    source = f"出处：{item.source}" if zh else item.source
    lines = [f"{item.id} · {_meta(item, lang)} · {source}", "",
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
