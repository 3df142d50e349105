"""Self-grading of essay and short-answer parts against their key points.

    score = |ticked key points| / |key points|      (0 when a part has no key points)

The student writes an answer (in the quiz or on paper), reads the model answer and the key
points as a checklist, and ticks the points they covered, as 1-based numbers: `1 3 4`,
`1,3`, `all` or `none`.  Nothing here prints or uses rich: the quiz and the CLI show the
lines from `checklist()` and call `parse_ticks()` and `score_key_points()`.
"""

from __future__ import annotations

import re
from typing import Iterable

from quizgen.errors import FormatError
from quizgen.model import Part, Text

ALL = ("all", "a", "全部")
NONE = ("none", "n", "0", "-", "无")


def score_key_points(n_points: int, ticked: Iterable[int]) -> float:
    """The fraction of key points ticked; `ticked` holds 0-based indexes (duplicates count once)."""
    marks = set(ticked)
    if any(not isinstance(i, int) or not 0 <= i < n_points for i in marks):
        raise ValueError(f"ticked indexes must be within 0..{n_points - 1}")
    return len(marks) / n_points if n_points else 0.0


def parse_ticks(text: str, n_points: int) -> list[int]:
    """Read the student's ticks (1-based numbers, `all`, `none`) into sorted 0-based indexes."""
    s = text.strip().lower().replace("，", ",").replace("、", ",")
    if s in ALL:
        return list(range(n_points))
    if s in NONE or not s:
        return []
    tokens = [tok for tok in re.split(r"[\s,;]+", s) if tok]
    if not all(re.fullmatch(r"\d{1,2}", tok) for tok in tokens):
        raise FormatError("tick the key points by number, like `1 3`, or type all / none")
    marks = sorted({int(tok) - 1 for tok in tokens})
    if marks and not (0 <= marks[0] and marks[-1] < n_points):
        raise FormatError(f"key point numbers go from 1 to {n_points}")
    return marks


def checklist(key_points: Iterable[Text], lang: str = "en", ticked: Iterable[int] = ()) -> list[str]:
    """Plain lines `[x] 1. point` / `[ ] 2. point` for display."""
    marks = set(ticked)
    return [f"[{'x' if i in marks else ' '}] {i + 1}. {p.get(lang)}" for i, p in enumerate(key_points)]


def model_answer_lines(part: Part, lang: str = "en", steps: Iterable[Text] = ()) -> list[str]:
    """The model answer (first step when given, else the part's answer) and the checklist."""
    steps = list(steps)
    answer = steps[0].get(lang) if steps else str(part.answer)
    head = Text("Model answer:", "参考答案：").get(lang)
    points = Text("Key points (tick those you covered):", "要点（勾选你答到的）：").get(lang)
    return [head, answer, "", points, *checklist(part.key_points, lang)]
