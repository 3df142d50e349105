"""The self-quiz: one problem at a time, every part graded (and saved) as soon as it is answered.

    part score   = base × (1 − min(HINT_COST · hints, MAX_HINT_COST))
                   base: correct or carried forward 1, wrong 0, text = ticked / key points,
                   skipped 0, solution shown 0
    hints        = the worked steps, revealed one per `?` (never the last step: that is the
                   answer); counted per problem, so they weigh on every part answered after
    commands     = ? hint · s solution · k skip this part · n skip the rest of the problem · q quit
                   (type /s, /k ... when the letter is also an option of a choice part)
    format error = asked again, no penalty (counted in the part's row as format_errors)

The loop (`Quiz`) holds the logic only: it talks to a `QuizIO` (terminal, plain pipe, or a
test script) and to a `Recorder` (the SQLite store plus the review cards).  The command glue
(terminal, store, exit code) is `quizgen/practice_cli.py`.  Ctrl-C, EOF and
`q` all end the loop cleanly; what was graded is already saved, and `run()` returns the
summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Protocol

from quizgen import kinds
from quizgen.check import SCORES, PartResult, ProblemGrader
from quizgen.errors import FormatError
from quizgen.model import Part, Problem, Text
from quizgen.parse import full_width_to_ascii

HINT_COST = 0.25
MAX_HINT_COST = 0.75
COMMANDS = {"?": "hint", "s": "solution", "k": "skip", "n": "next", "q": "quit"}


class Quit(Exception):
    """The student typed `q`."""


class TimeUp(Exception):
    """A timed run (`quizgen exam --time`) reached its deadline."""


@dataclass
class Outcome:
    """One graded part, as written to the store."""

    number: int
    part: Part
    status: str  # correct | carried | wrong | self | skipped | solution
    score: float
    hints: int
    format_errors: int = 0
    result: PartResult | None = None
    seconds: float = 0.0
    ticks: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.number}{self.part.id}"


@dataclass
class ProblemRecord:
    number: int
    problem: Problem
    outcomes: list[Outcome] = field(default_factory=list)
    hints: int = 0
    solution_shown: bool = False
    stopped: str | None = None  # "solution" or "skipped": the remaining parts get that status
    rated: bool = False
    pending: dict[str, str] = field(default_factory=dict)  # the rest of a table row typed at once

    @property
    def score(self) -> float:
        return sum(o.score for o in self.outcomes)

    @property
    def attempted(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "skipped"]


@dataclass
class Summary:
    records: list[ProblemRecord]
    started: datetime
    ended: datetime
    reason: str  # done | quit | eof | interrupt | time

    @property
    def seconds(self) -> float:
        return (self.ended - self.started).total_seconds()

    def by_topic(self) -> dict[str, tuple[int, int, float]]:
        """topic -> (problems, parts graded, score)"""
        out: dict[str, tuple[int, int, float]] = {}
        for r in self.records:
            if not r.outcomes:
                continue
            n, parts, score = out.get(r.problem.topic, (0, 0, 0.0))
            out[r.problem.topic] = (n + 1, parts + len(r.outcomes), score + r.score)
        return out


class QuizIO(Protocol):
    """What the loop needs from a terminal (or a test script)."""

    def show_problem(self, problem: Problem, number: int, total: int) -> None: ...
    def ask(self, number: int, part: Part, more: bool = False) -> str: ...  # EOFError at the end
    def ask_ticks(self, number: int, part: Part, problem: Problem) -> str: ...
    def show_hint(self, index: int, total: int, text: Text) -> None: ...
    def show_no_hint(self, total: int) -> None: ...
    def show_solution(self, problem: Problem, number: int) -> None: ...
    def show_format_error(self, result: PartResult) -> None: ...
    def show_error(self, message: str) -> None: ...
    def show_outcome(self, outcome: Outcome) -> None: ...
    def show_problem_end(self, record: ProblemRecord) -> None: ...


class Recorder(Protocol):
    def part(self, record: ProblemRecord, outcome: Outcome) -> None: ...
    def problem(self, record: ProblemRecord) -> None: ...


def hint_texts(problem: Problem) -> list[Text]:
    """Progressive hints: the worked steps but the last (computed families), or the steps
    after the model answer (bank items: key points, misconceptions)."""
    if problem.family == "bank":
        return list(problem.steps[1:])
    return list(problem.steps[:-1])


def hint_factor(hints: int) -> float:
    return 1.0 - min(HINT_COST * hints, MAX_HINT_COST)


def command_of(raw: str, part: Part) -> str | None:
    """The command a line asks for, or None when it is an answer."""
    word = full_width_to_ascii(raw).strip().lower()  # ？ and ｑ from a Chinese keyboard
    forced = word.startswith("/") and word[1:] in COMMANDS
    if forced:
        return COMMANDS[word[1:]]
    if word in COMMANDS:
        is_option = part.kind == "choice" and len(word) == 1 and word.isalpha() \
            and ord(word) - ord("a") < len(part.choices)
        return None if is_option else COMMANDS[word]
    return None


class Quiz:
    def __init__(self, problems: list[Problem], io: QuizIO, recorder: Recorder | None = None,
                 clock: Callable[[], datetime] | None = None):
        from quizgen.store import now_utc

        self.problems = problems
        self.io = io
        self.recorder = recorder
        self.clock = clock or now_utc
        self.records: list[ProblemRecord] = []

    # ------------------------------------------------------------------ the loop
    def run(self) -> Summary:
        started = self.clock()
        reason = "done"
        try:
            for number, problem in enumerate(self.problems, 1):
                self._problem(number, problem)
        except Quit:
            reason = "quit"
        except TimeUp:
            reason = "time"
        except EOFError:
            reason = "eof"
        except KeyboardInterrupt:
            reason = "interrupt"
        if self.records:
            self._rate(self.records[-1])  # a problem left half-way still updates its card
        return Summary(self.records, started, self.clock(), reason)

    def _problem(self, number: int, problem: Problem) -> None:
        record = ProblemRecord(number, problem)
        self.records.append(record)
        self.io.show_problem(problem, number, len(self.problems))
        grader = ProblemGrader(problem, number)
        hints = hint_texts(problem)
        for part in problem.parts:
            if record.stopped:
                grader.grade(part, None)
                self._save(record, Outcome(number, part, record.stopped, 0.0, record.hints))
            else:
                self._part(record, grader, part, hints)
        self._rate(record)
        self.io.show_problem_end(record)

    def _part(self, record: ProblemRecord, grader: ProblemGrader, part: Part, hints: list[Text]) -> None:
        number, problem = record.number, record.problem
        start, format_errors = self.clock(), 0
        while True:
            raw = record.pending.pop(part.id, None)
            if raw is None:
                raw = self._row_or_answer(record, part, self.io.ask(number, part))
            if raw is None:
                format_errors += 1
                continue
            command = command_of(raw, part)
            if command == "quit":
                raise Quit
            if command == "hint":
                if record.hints < len(hints):
                    record.hints += 1
                    self.io.show_hint(record.hints, len(hints), hints[record.hints - 1])
                else:
                    self.io.show_no_hint(len(hints))
                continue
            if command in ("solution", "skip", "next"):
                status = "solution" if command == "solution" else "skipped"
                if command == "solution":
                    record.solution_shown = True
                    self.io.show_solution(problem, number)
                if command != "skip":
                    record.stopped = status
                grader.grade(part, None)  # later trace parts follow the key
                self._save(record, Outcome(number, part, status, 0.0, record.hints, format_errors,
                                           seconds=self._since(start)))
                return
            if not raw.strip():
                continue
            if kinds.KINDS[part.kind].multiline and not full_width_to_ascii(raw).lstrip().startswith("["):
                raw = self._more_rows(number, part, raw)
            result = grader.grade(part, raw)
            if result.status == "format":
                format_errors += 1
                self.io.show_format_error(result)
                continue
            ticks: tuple[int, ...] = ()
            if part.kind == "text":
                ticks = self._ticks(number, part, problem)
                from quizgen.selfgrade import score_key_points

                base = score_key_points(len(part.key_points), ticks)
            else:
                base = SCORES[result.status]
            outcome = Outcome(number, part, result.status, base * hint_factor(record.hints), record.hints,
                              format_errors, result, self._since(start), ticks)
            self._save(record, outcome)
            return

    def _row_or_answer(self, record: ProblemRecord, part: Part, raw: str) -> str | None:
        """A whole table row (`6 | 1 | yes | [3, 3] | 1`) typed at a row's first part: this
        part's cell is returned and the rest wait in `record.pending`.  None after a bad row."""
        from quizgen.check import row_parts, split_row

        if "|" not in raw or part.step is None or part.kind == "text":
            return raw
        row = row_parts(record.problem, part.step)
        if not row or row[0].id != part.id:
            return raw
        try:
            cells = split_row(record.problem, part.step, raw)
        except FormatError as exc:
            self.io.show_format_error(PartResult(record.number, part.id, part.kind, "format", raw, None, "",
                                                 Text(str(exc), str(exc))))
            return None
        record.pending.update({pid: cell for pid, cell in cells.items() if pid != part.id})
        return cells.get(part.id, "k")

    def _more_rows(self, number: int, part: Part, first: str) -> str:
        """Matrix rows, one per line, until a blank line (or the end of input)."""
        rows = [first]
        while True:
            try:
                line = self.io.ask(number, part, more=True)
            except EOFError:
                break
            if not line.strip():
                break
            rows.append(line)
        return "\n".join(rows)

    def _ticks(self, number: int, part: Part, problem: Problem) -> tuple[int, ...]:
        from quizgen.selfgrade import parse_ticks

        while True:
            raw = self.io.ask_ticks(number, part, problem)
            if raw.strip().lower() in ("q", "/q"):
                raise Quit
            try:
                return tuple(parse_ticks(raw, len(part.key_points)))
            except FormatError as exc:
                self.io.show_error(str(exc))

    # ------------------------------------------------------------------ saving
    def _since(self, start: datetime) -> float:
        return round((self.clock() - start).total_seconds(), 1)

    def _save(self, record: ProblemRecord, outcome: Outcome) -> None:
        record.outcomes.append(outcome)
        if self.recorder is not None:
            self.recorder.part(record, outcome)
        self.io.show_outcome(outcome)

    def _rate(self, record: ProblemRecord) -> None:
        if record.rated or not record.outcomes:
            return
        if self.recorder is not None:
            self.recorder.problem(record)
        record.rated = True


class StoreRecorder:
    """Writes each graded part to the store at once, and each problem's rating to its card."""

    def __init__(self, store, session_id: int, clock: Callable[[], datetime]):
        self.store, self.session_id, self.clock = store, session_id, clock

    def part(self, record: ProblemRecord, outcome: Outcome) -> None:
        from quizgen.review import item_key

        p, r = record.problem, outcome.result
        given = r.given if r is not None else None
        if outcome.ticks:
            given = f"{given}\n[ticked {' '.join(str(i + 1) for i in outcome.ticks)}]"
        self.store.record_answer(
            session_id=self.session_id, ts=self.clock(), item=item_key(p), family=p.family, topic=p.topic,
            seed=p.seed, difficulty=p.difficulty, problem=record.number, part=outcome.part.id,
            kind=outcome.part.kind, status=outcome.status, score=outcome.score, hints=outcome.hints,
            format_errors=outcome.format_errors, given=given, read_as=r.read_as if r else None,
            mistake=r.mistake if r else None, seconds=outcome.seconds)

    def problem(self, record: ProblemRecord) -> None:
        from quizgen.review import rating_for, record_review

        rating = rating_for([o.score for o in record.attempted], record.solution_shown)
        if rating is not None:
            record_review(self.store, record.problem, rating, self.clock())


def quiz_problems(topics: list[str], count: int, seed: int, difficulty: str | None, lang: str,
                  sheet=None, review: bool = False, kinds: str = "computed", bank_dirs=(),
                  store=None, now: datetime | None = None) -> list[Problem]:
    """The problems of one quiz: from a sheet (already read), the due review cards, or a fresh
    sheet."""
    from quizgen.errors import QuizgenError

    if sheet is not None:
        problems = list(sheet.problems)
        return problems[:count] if count else problems
    if review:
        from quizgen.review import review_problems

        return review_problems(store, count, now, seed, difficulty, bank_dirs, topics)
    if topics and kinds == "computed":
        from quizgen.concepts import TOPICS
        from quizgen.registry import families_for

        try:
            families_for(topics)
        except QuizgenError:
            if all(t.strip().lower() in TOPICS for t in topics):  # a concept-only topic: quiz its bank items
                kinds = "concept"
            else:
                raise
    from quizgen.sheet import generate_sheet

    sheet = generate_sheet(topics, count, seed, difficulty or "medium", lang, kinds=kinds, bank_dirs=bank_dirs)
    return list(sheet.problems)
