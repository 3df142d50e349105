"""Grading: typed comparison, known-mistake diagnosis, and error carried forward.

For each part, in order:
    missing        no answer given
    format         the answer cannot be read as the part's kind (never counted as wrong)
    correct        equals the key (within the stated tolerance)
    carried        differs from the key, but equals the value recomputed from the student's
                   own earlier answers (`Family.follow_through`): error carried forward
    wrong          anything else; if it equals a known mistake, that mistake's explanation
    self           text parts: self-graded against the key points

In a trace the first part that is wrong is named as the first divergence, and every later
part is judged from the student's own earlier values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from quizgen import kinds
from quizgen.budget import one_budget
from quizgen.errors import FormatError, QuizgenError
from quizgen.model import Part, Problem, Sheet, Text, t
from quizgen.parse import full_width_to_ascii

MAX_ANSWERS_CHARS = 256_000  # an answers file is a few kB; refuse anything this large
ANY_WRONG = "*"  # a Mistake whose answer is this matches any wrong answer to its part
SCORES = {"correct": 1.0, "carried": 1.0, "wrong": 0.0, "format": 0.0, "missing": 0.0, "self": 0.0}


@dataclass(frozen=True)
class PartResult:
    problem: int
    part: str
    kind: str
    status: str
    given: str | None
    read_as: str | None
    expected: str
    feedback: Text | None = None
    mistake: str | None = None

    @property
    def label(self) -> str:
        return f"{self.problem}{self.part}"

    @property
    def score(self) -> float:
        return SCORES[self.status]

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "id": self.label, "problem": self.problem, "part": self.part, "kind": self.kind,
            "status": self.status, "given": self.given, "read_as": self.read_as,
            "expected": self.expected, "mistake": self.mistake,
            "feedback": self.feedback.get(lang) if self.feedback else None,
        }


@one_budget  # expression comparisons of one answer share one time budget
def grade_part(problem: Problem, number: int, part: Part, raw: str | None,
               expected: Any | None = None) -> tuple[PartResult, Any]:
    """Grade one answer; returns the result and the parsed value (None if unreadable).

    `expected` is the value recomputed from the student's earlier answers, when it differs
    from the key (error carried forward)."""
    key_shown = kinds.show(part, part.answer)
    if raw is None or not raw.strip():
        return PartResult(number, part.id, part.kind, "missing", None, None, key_shown), None
    try:
        value = kinds.parse_answer(part, raw)
        right = part.kind != "text" and kinds.equal(part, value, part.answer)  # may be undecidable
    except FormatError as exc:
        said = "expected" in str(exc)  # the parser already named the expected form
        msg = str(exc) if said else f"{exc}; expected {kinds.FORMATS[part.kind].en}"
        from quizgen.format_zh import zh_message

        zh = zh_message(str(exc)) if said else f"{zh_message(str(exc))}；应为{kinds.FORMATS[part.kind].zh}"
        return PartResult(number, part.id, part.kind, "format", raw, None, key_shown, t(msg, zh)), None
    if part.kind == "text":
        return PartResult(number, part.id, part.kind, "self", raw, raw, key_shown), value
    read_as = kinds.show(part, value) if part.kind != "expression" else str(value)
    if right:
        return PartResult(number, part.id, part.kind, "correct", raw, read_as, key_shown), value
    if expected is not None and _matches(part, value, expected):
        note = t(f"consistent with your earlier answers (the key, from correct earlier values, is {key_shown})",
                 f"与你前面的答案一致（按正确的前值，答案为 {key_shown}）")
        return PartResult(number, part.id, part.kind, "carried", raw, read_as, key_shown, note), value
    for m in problem.mistakes:
        if m.part == part.id and (m.answer == ANY_WRONG or _matches(part, value, m.answer)):
            return PartResult(number, part.id, part.kind, "wrong", raw, read_as, key_shown,
                              m.explanation, m.tag), value
    return PartResult(number, part.id, part.kind, "wrong", raw, read_as, key_shown), value


def _matches(part: Part, value: Any, other: Any) -> bool:
    """Equal to a recomputed value or a known mistake; undecidable counts as no match."""
    try:
        return kinds.equal(part, value, other)
    except FormatError:
        return False


class ProblemGrader:
    """Grades the parts of one problem one at a time, in order, carrying the student's own
    values through traces (the quiz grades each part as it is answered)."""

    def __init__(self, problem: Problem, number: int):
        self.problem, self.number = problem, number
        self.used: dict[str, Any] = {}
        self.diverged: str | None = None

    @property
    def family(self):
        """The problem's family, imported when a trace first needs it (the quiz shows a problem
        before any answer is graded)."""
        from quizgen.registry import get_family

        return get_family(self.problem.family)

    def grade(self, part: Part, raw: str | None) -> PartResult:
        """Grade `part` (call in part order; `raw=None` for a missing or skipped answer)."""
        problem = self.problem
        recomputed = None
        if part.trace and self.diverged is not None:
            # an exception here is a bug in the family: it surfaces (TraceFamily turns a step
            # the student's values leave undefined into None itself)
            recomputed = self.family.follow_through(problem.params, part.id, dict(self.used))
        result, value = grade_part(problem, self.number, part, raw, recomputed)
        if part.trace:
            own = value if value is not None else recomputed
            self.used[part.id] = own if own is not None else part.answer
            later = any(p.trace for p in problem.parts[problem.parts.index(part) + 1:])
            if result.status == "wrong" and self.diverged is None and later:
                self.diverged = part.id
                note = t(f"first divergence in this trace: part {part.id}; later parts are judged from your own values",
                         f"此推演首次出错于 ({part.id})；后续各步按你自己的数值评判")
                fb = result.feedback
                merged = note if fb is None else Text(fb.en + " — " + note.en, fb.zh + " —— " + note.zh)
                result = PartResult(**{**result.__dict__, "feedback": merged})
        return result


def check_problem(problem: Problem, number: int, answers: dict[str, str]) -> list[PartResult]:
    """Grade every part of one problem, carrying the student's own values through traces."""
    grader = ProblemGrader(problem, number)
    return [grader.grade(part, answers.get(part.id)) for part in problem.parts]


_ID_LINE = re.compile(r"^\s*(\d{1,3})\s*[.(]?\s*([a-z]{1,2})?\s*\)?\s*[:=]\s?(.*)$", re.IGNORECASE)
_ROW_LINE = re.compile(r"^\s*(\d{1,3})\s*\.\s*(\d{1,3})\s*[:=]\s?(.*)$")


def row_parts(problem: Problem, step: int) -> list[Part]:
    """The parts of one row (step) of a trace's table, in column order."""
    return [p for p in problem.parts if p.step == step]


def split_row(problem: Problem, step: int, raw: str) -> dict[str, str]:
    """A table row `6 | 1 | yes | [3, 3] | 1` as answers to that row's parts (FormatError if
    the row has no such step or the cell count is off)."""
    parts = row_parts(problem, step)
    if not parts:
        raise FormatError(f"this problem has no table row {step}")
    cells = [c.strip() for c in raw.strip().strip("|").split("|")]
    if len(cells) != len(parts):
        names = " | ".join(p.column or p.id for p in parts)
        raise FormatError(f"row {step} has {len(parts)} cells ({names}), got {len(cells)}")
    return {p.id: c for p, c in zip(parts, cells) if c not in ("", "?")}


def read_answers(text: str, sheet: Sheet) -> dict[tuple[int, str], str]:
    """Read an answers file: `1a: 55`, `2: 50x5x5`; a trace row as `1.3: 6 | 1 | yes`
    (problem 1, table row 3, cells in column order); lines without an id continue the
    previous answer (matrix rows); `#` starts a comment line.  A UTF-8 BOM, CRLF line ends
    and full-width characters (`1b：５７６`) are accepted."""
    if len(text) > MAX_ANSWERS_CHARS:
        raise QuizgenError(f"answers file is too large (over {MAX_ANSWERS_CHARS:,} characters)")
    answers: dict[tuple[int, str], list[str]] = {}
    current: tuple[int, str] | None = None

    def put(lineno: int, key: tuple[int, str], value: str) -> None:
        if key in answers:
            raise QuizgenError(f"answers line {lineno}: {key[0]}{key[1]} is answered twice")
        answers[key] = [value]

    for lineno, line in enumerate(full_width_to_ascii(text.removeprefix("\ufeff")).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = _ROW_LINE.match(line)
        if row:
            number, step = int(row.group(1)), int(row.group(2))
            if not 1 <= number <= len(sheet.problems):
                raise QuizgenError(f"answers line {lineno}: the sheet has no problem {number}")
            try:
                cells = split_row(sheet.problems[number - 1], step, row.group(3))
            except FormatError as exc:
                raise QuizgenError(f"answers line {lineno}: problem {number}: {exc}") from None
            for pid, value in cells.items():
                put(lineno, (number, pid), value)
            current = None
            continue
        m = _ID_LINE.match(line)
        if not m:
            if current is None:
                raise QuizgenError(f"answers line {lineno}: expected an id like `1a: 55`, got {line.strip()[:40]!r}")
            answers[current].append(line.strip())
            continue
        number, letter, value = int(m.group(1)), (m.group(2) or "").lower(), m.group(3).strip()
        if not 1 <= number <= len(sheet.problems):
            raise QuizgenError(f"answers line {lineno}: the sheet has no problem {number}")
        parts = sheet.problems[number - 1].parts
        if not letter:
            if len(parts) != 1:
                raise QuizgenError(f"answers line {lineno}: problem {number} has parts "
                                   f"{parts[0].id}–{parts[-1].id}; write {number}{parts[0].id}: …")
            letter = parts[0].id
        if letter not in {p.id for p in parts}:
            raise QuizgenError(f"answers line {lineno}: problem {number} has no part {letter}")
        current = (number, letter)
        put(lineno, current, value)
    return {k: "\n".join(v) for k, v in answers.items()}


def check_sheet(sheet: Sheet, answers: dict[tuple[int, str], str]) -> list[PartResult]:
    return [r for number, problem in enumerate(sheet.problems, 1)
            for r in check_problem(problem, number, answers_of(answers, number))]


def answers_of(answers: dict[tuple[int, str], str], number: int) -> dict[str, str]:
    """Problem `number`'s answers, by part id."""
    return {part: value for (n, part), value in answers.items() if n == number}
