"""Sheets to Markdown (math kept as $LaTeX$, which GitHub and most editors render)."""

from __future__ import annotations

from quizgen import kinds
from quizgen.model import Sheet
from quizgen.render.blocks import blocks, shared_choices

WORDS = {"en": ("Problem", "Answer key", "Worked solutions", "seed"),
         "zh": ("第 {n} 题", "答案", "详细解答", "随机种子")}


def _head(lang: str, number: int) -> str:
    word = WORDS[lang][0]
    return f"{word} {number}" if lang == "en" else word.format(n=number)


def _statement(text: str) -> str:
    return "\n\n".join(f"```python\n{p}\n```" if k == "code" else p.replace("\n", "  \n") for k, p in blocks(text))


def to_markdown(sheet: Sheet, lang: str, answers: str = "key") -> str:
    _, key_word, sol_word, seed_word = WORDS[lang]
    out = [f"# {sheet.title}", f"{seed_word}: {sheet.seed} · {sheet.difficulty}"]
    for n, problem in enumerate(sheet.problems, 1):
        out.append(f"## {_head(lang, n)} — {problem.title.get(lang)}")
        out.append(_statement(problem.statement.get(lang)))
        shared = shared_choices(problem.parts)
        if shared:
            out.append("\n".join(f"{chr(97 + i)}) {c.get(lang)}  " for i, c in enumerate(shared)))
        for part in problem.parts:
            line = f"- **({part.id})** {part.prompt.get(lang)} _[{kinds.FORMATS[part.kind].get(lang)}]_"
            line += "".join(f"\n    - {chr(97 + i)}) {c.get(lang)}" for i, c in enumerate(() if shared else part.choices))
            out.append(line)
        out.extend(f"_{line.get(lang)}_" for line in kinds.tolerance_lines(problem.parts))
        if problem.conventions:
            out.append("> " + " ".join(c.get(lang) for c in problem.conventions))
    if answers in ("key", "solutions"):
        out.append(f"## {key_word}")
        for n, problem in enumerate(sheet.problems, 1):
            out.extend(f"- {n}{p.id}: {kinds.show(p, p.answer)}" for p in problem.parts)
    if answers == "solutions":
        out.append(f"## {sol_word}")
        for n, problem in enumerate(sheet.problems, 1):
            out.append(f"### {_head(lang, n)}")
            out.extend(f"{i}. {s.get(lang)}" for i, s in enumerate(problem.steps, 1))
    return "\n\n".join(out) + "\n"
