"""What the CLI prints besides tables: "written to" lines, JSON, the self-graded model answers.

Kept apart from `quizgen/cli.py` (the commands): these are the shared output pieces the
commands call.  No heavy imports at module level.
"""

import typer

from quizgen.langs import HANT
from quizgen.text import by_lang

WRITTEN = by_lang({
    "en": {"sheet": "sheet written to {path}", "PDF": "PDF written to {path}", "Markdown": "Markdown written to {path}",
           "seed": "{title}: {n} problems, seed {seed}", "file": "{what} written to {path}"},
    "zh": {"sheet": "练习已保存到 {path}", "PDF": "PDF 已保存到 {path}", "Markdown": "Markdown 已保存到 {path}",
           "seed": "{title}：{n} 道题，种子 {seed}", "file": "{what} 已保存到 {path}"},
})


def console():
    from rich.console import Console

    return Console(highlight=False, emoji=False)  # no :code: replacement (and no emoji table to load)


def emit_json(data) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def titled(sheet, lang: str):
    """The sheet with its title in Traditional characters for zh-Hant (the texts convert as shown)."""
    if lang != HANT:
        return sheet
    import dataclasses

    from quizgen.hant import to_hant

    return dataclasses.replace(sheet, title=to_hant(sheet.title))


def sheet_json(sheet, lang: str, solutions: bool) -> dict:
    from quizgen import kinds

    problems = []
    for n, p in enumerate(sheet.problems, 1):
        item = {"number": n, "family": p.family, "family_version": p.family_version, "seed": p.seed,
                "difficulty": p.difficulty, "topic": p.topic, "statement": p.statement.get(lang),
                "parts": [{"id": f"{n}{part.id}", "part": part.id, "kind": part.kind,
                           "prompt": part.prompt.get(lang), "answer": part.answer,
                           "shown": kinds.show(part, part.answer), "decimals": part.decimals}
                          for part in p.parts]}
        if solutions:
            item["steps"] = [s.get(lang) for s in p.steps]
        problems.append(item)
    return {"title": titled(sheet, lang).title, "seed": sheet.seed, "difficulty": sheet.difficulty, "lang": lang,
            "problems": problems}


def print_self_graded(sheet, results, lang: str) -> None:
    """For self-graded text parts: the model answer and the key points to tick."""
    from quizgen.mathtext import to_unicode
    from quizgen.selfgrade import model_answer_lines

    for r in results:
        if r.status == "self":
            problem = sheet.problems[r.problem - 1]
            typer.echo(f"\n{r.label}:")
            typer.echo("\n".join(to_unicode(line) for line in model_answer_lines(problem.part(r.part), lang, problem.steps)))
