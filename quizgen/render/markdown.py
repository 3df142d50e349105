"""Markdown backend: draws the layout blocks (math kept as $LaTeX$, which GitHub and most
editors render; figures as SVG data URIs; trace tables as pipe tables)."""

from __future__ import annotations

from quizgen.model import Sheet
from quizgen.render import layout
from quizgen.render.blocks import blocks


def _statement(text: str) -> str:
    return "\n\n".join(f"```python\n{p}\n```" if k == "code" else p.replace("\n", "  \n") for k, p in blocks(text))


def _pipe(columns: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)] + ["| " + " | ".join(r) + " |" for r in rows]


def _block(block: layout.Block) -> str | None:
    if block.kind == "heading":
        return f"## {block.extra['head']} — {block.text}"
    if block.kind == "statement":
        return _statement(block.text)
    if block.kind == "figure":
        from quizgen import figures

        return f"![{block.text}]({figures.data_uri(block.figure)})"
    if block.kind == "choices":
        return "\n".join(f"{k}) {text}  " for k, text in block.items)
    if block.kind == "part":
        line = f"- **({block.part.id})** {block.text} _[{block.extra['hint']}]_"
        return line + "".join(f"\n    - {k}) {text}" for k, text in block.items)
    if block.kind == "table":
        cols = block.extra["columns"]
        rows = [[step, *[f"({i})" if i else "" for i in ids]] for step, ids in block.items]
        return "\n".join([block.text, "", *_pipe(cols, rows), "", f"_{block.extra['hints']}_"])
    if block.kind == "note":
        if block.extra["role"] == "conventions":
            return f"> {block.extra['label']}: {block.text}"
        return f"_{block.text}_"
    return None


def to_markdown(sheet: Sheet, lang: str, answers: str = "key") -> str:
    out = [f"# {sheet.title}", f"{layout.word(lang, 'seed')}: {sheet.seed} · {sheet.difficulty}"]
    for n, problem in enumerate(sheet.problems, 1):
        out.extend(d for d in (_block(b) for b in layout.problem_blocks(problem, n, lang)) if d)
    if answers in ("key", "solutions"):
        out.append(f"## {layout.word(lang, 'key')}")
        for n, problem in enumerate(sheet.problems, 1):
            filled = layout.key_table(problem)
            if filled:
                out.append(f"{layout.word(lang, 'problem', n=n)}\n\n" + "\n".join(
                    _pipe([layout.word(lang, "step"), *filled[0]], [[s, *v] for s, v in filled[1]])))
            out.extend(f"- {label}: {shown}" + "".join(f"\n    - ☐ {k}" for k in points)
                       for label, shown, points in layout.key_rows(problem, n, lang, skip_table=True))
    if answers == "solutions":
        out.append(f"## {layout.word(lang, 'solutions')}")
        for n, problem in enumerate(sheet.problems, 1):
            out.append(f"### {layout.word(lang, 'problem', n=n)}")
            out.extend(f"{i}. {s}" for i, s in enumerate(layout.solution_steps(problem, lang), 1))
    return "\n\n".join(out) + "\n"
