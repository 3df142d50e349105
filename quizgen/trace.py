"""Traces: a family writes its step logic once, as a generator; solve and error carried
forward are both derived from it.

    def trace(self, params):                 # a generator
        net = yield Value("real", prompt, w·x + b, decimals=2, step=k, column="net")
        yield Work(t("net = ...", "净输入 = ..."))
        ...

`yield Value(...)` hands the driver a part with its computed value and gets back the value
the rest of the trace must continue from:

    solve            the computed value itself       -> the key and the worked steps
    follow through   the student's own value, where   -> the value a later part must have
                     they gave one of the same form,    when the earlier ones are the
                     else the recomputed value          student's (error carried forward)

So any kind of value carries forward (a number, a vector, a matrix, a shape, a label), a step
may yield several parts, and a later part may depend on any earlier ones.  Part ids are given
in order (a, b, ..., z, aa, ...).  A `Value` may carry known wrong answers (`Wrong`); a
`MistakeSet` keeps them distinct and never equal to the key.

A step raises `CannotFollow` when a student's earlier value makes it undefined (a feature map
smaller than the kernel); the part is then judged against the key alone.  Any other exception
while recomputing is a bug, and propagates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterator

from quizgen import kinds
from quizgen.model import Mistake, Part, Solution, Text, part_id
from quizgen.registry import Family, per_params


class CannotFollow(Exception):
    """A student's earlier value leaves this step undefined; judge the part by the key."""


@dataclass(slots=True)
class Wrong:
    """A known wrong answer to the part it is attached to, with its explanation."""

    answer: Any
    tag: str
    explanation: Text


@dataclass(slots=True)
class Value:
    """One answerable part of a trace, with its computed value."""

    kind: str
    prompt: Text
    value: Any
    decimals: int | None = None
    choices: tuple[Text, ...] = ()
    step: int | None = None          # the table row (1-based) this part belongs to
    column: str | None = None        # its table column header, e.g. "net", "w"
    trace: bool = True               # judged with error carried forward
    spec: dict | None = None         # a kind's settings (Part.spec)
    wrong: tuple[Wrong, ...] = ()


@dataclass(slots=True)
class Work:
    """One line of the worked solution."""

    text: Text


class MistakeSet:
    """Known mistakes for a problem's parts: drops repeats and any 'mistake' equal to the key."""

    def __init__(self, parts: tuple[Part, ...] | list[Part]):
        self._all, self._parts = parts, None
        self.items: list[Mistake] = []
        self._by_part: dict[str, Any] = {}  # part -> the key and the answers kept (a set of tokens for
        #                                     exact kinds; else a list, never empty: the key first)

    EXACT = frozenset({"integer", "shape", "boolean", "sign"})  # equal exactly when their reprs are

    def add(self, part: str, answer: Any, tag: str, explanation: Text) -> None:
        if self._parts is None:  # by id: made at the first add (add_to, given the part, needs none)
            self._parts = {p.id: p for p in self._all}
        self.add_to(self._parts[part], answer, tag, explanation)

    def add_to(self, p: Part, answer: Any, tag: str, explanation: Text) -> None:
        """add, given the part itself."""
        part, kind = p.id, p.kind
        if type(answer) is str and answer == "*":
            self.items.append(Mistake(part, "*", tag, explanation))
            return
        if kind in self.EXACT:  # compared exactly: one set lookup finds the key or a repeat
            seen = self._by_part.get(part)
            if seen is None:
                seen = self._by_part[part] = {_token(p.answer)}
            token = _token(answer) if type(answer) is list else answer
            try:  # the cheap test first; then the kind's same_form (as kinds.same_form calls it)
                if token in seen or not kinds.KINDS[kind].same_form(p, answer):
                    return
            except (TypeError, ValueError, OverflowError):  # unhashable, or not of the kind's form
                return
            seen.add(token)
        elif kind == "real" and type(answer) in _PLAIN_NUMBER and type(p.answer) in _PLAIN_NUMBER:
            # real's same_form and equal written out for plain numbers (most known slips); the
            # part's list starts with the key, so one loop finds the key or a repeat
            try:
                a = float(answer)
                seen = self._by_part.get(part) or self._by_part.setdefault(part, [float(p.answer)])
            except OverflowError:
                return
            if a - a != 0:  # inf or NaN: not a number's form
                return
            tol = kinds.tolerance(p)
            for other in seen:
                if abs(a - other) <= tol:
                    return
            seen.append(a)
        elif kind == "vector" and type(answer) is list and _PLAIN_NUMBER.issuperset(map(type, answer)):
            # vector's same_form and equal written out for plain numbers, as real's
            try:
                if len(answer) != len(p.answer) or not all(map(math.isfinite, answer)):
                    return
            except OverflowError:
                return
            seen = self._by_part.get(part) or self._by_part.setdefault(part, [p.answer])
            tol, close, first = kinds.tolerance(p), kinds.rows_close, answer[0] if answer else 0
            for other in seen:
                try:
                    if abs(first - other[0]) > tol:  # apart in the first entry already: not close
                        continue
                except (TypeError, IndexError):
                    pass
                if close(tol, answer, other):
                    return
            seen.append(answer)
        else:
            if not kinds.same_form(p, answer):
                return
            equal = kinds.KINDS[kind].equal
            earlier = self._by_part.setdefault(part, [p.answer])  # the key first, as above
            if any(equal(p, answer, other) for other in earlier):
                return
            earlier.append(answer)
        self.items.append(Mistake(part, answer, tag, explanation))


_PLAIN_NUMBER = frozenset({int, float})


def _token(value: Any) -> Any:
    """A hashable stand-in for an exact value: lists become tuples.  Python's 3 == 3.0 (with
    equal hashes) makes a whole float and its int one answer; same_form keeps bools out."""
    if type(value) is list:
        flat = tuple(value)
        try:
            hash(flat)
            return flat
        except TypeError:  # nested lists
            return tuple([_token(v) for v in value])
    return value


@dataclass
class Run:
    """What running a trace produced: the parts (with computed values) and the worked lines."""

    parts: list[Part] = field(default_factory=list)
    wrongs: list[tuple[Wrong, ...]] = field(default_factory=list)  # each part's known wrong answers
    work: list[Text] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)   # parts whose step could not follow


def run_trace(family: "TraceFamily", params: dict, given: dict[str, Any] | None = None,
              until: str | None = None) -> Run:
    """Drive `family.trace(params)`; with `given`, continue from the student's own values."""
    run = Run()
    parts, wrongs, work = run.parts, run.wrongs, run.work
    gen: Iterator = family.trace(params)
    reply: Any = None
    try:
        item = next(gen)
        while True:
            if type(item) is Work:
                work.append(item.text)
                reply = None
            elif type(item) is Value:
                pid = PART_IDS[len(parts)] if len(parts) < len(PART_IDS) else part_id(len(parts))
                part = Part(pid, item.kind, item.prompt, item.value, item.decimals, item.choices, (), item.trace,
                            item.step, item.column, item.spec)
                parts.append(part)
                wrongs.append(item.wrong)
                if until == pid:
                    return run
                reply = part.answer
                if given is not None and pid in given and kinds.same_form(part, given[pid]) \
                        and not kinds.equal(part, given[pid], part.answer):
                    reply = given[pid]  # a right answer, rounded as asked, goes on at full precision
            else:
                raise TypeError(f"{family.name}.trace yielded {item!r}; yield Value or Work")
            item = gen.send(reply)
    except StopIteration:
        return run
    except CannotFollow:
        if given is None:
            raise
        run.blocked.add(part_id(len(parts)))
        return run


PART_IDS = tuple(part_id(i) for i in range(702))
_PART_INDEX = {pid: i for i, pid in enumerate(PART_IDS)}


class TraceFamily(Family):
    """A family whose parts come from one generator `trace(params)` (see the module docstring)."""

    def trace(self, params: dict):
        raise NotImplementedError

    @per_params
    def key_run(self, params: dict) -> Run:
        """The trace on its own values; solve and mistakes of one problem share one run."""
        return run_trace(self, params)

    def solve(self, params: dict) -> Solution:
        run = self.key_run(params)
        return Solution(tuple(run.parts), tuple(run.work))

    def mistakes(self, params: dict) -> list[Mistake]:
        run = self.key_run(params)
        found = MistakeSet(run.parts)
        add = found.add_to
        for part, wrong in zip(run.parts, run.wrongs):
            if wrong:
                for w in wrong:
                    add(part, w.answer, w.tag, w.explanation)
        for pid, answer, tag, text in self.more_mistakes(params, run.parts):
            i = _PART_INDEX.get(pid)  # a trace's parts are numbered in order
            if i is not None and i < len(run.parts) and run.parts[i].id == pid:
                add(run.parts[i], answer, tag, text)
            else:
                found.add(pid, answer, tag, text)
        return found.items

    def more_mistakes(self, params: dict, parts: list[Part]) -> list[tuple[str, Any, str, Text]]:
        """Mistakes that need a whole other run (e.g. the trace with the ½ left out)."""
        return []

    def follow_through(self, params: dict, part_id_: str, values: dict[str, Any]) -> Any:
        run = run_trace(self, params, given=values, until=part_id_)
        if part_id_ in run.blocked or not run.parts or run.parts[-1].id != part_id_:
            return None
        return run.parts[-1].answer

    def resume(self, params: dict, part_id_: str, value: Any) -> tuple[dict, dict[str, str]] | None:
        """The problem that starts from `value` in place of part `part_id_`: its params and a map
        from its part ids to this problem's later part ids (for the carried-forward tests, which
        check follow-through against an independent reference on the resumed problem).  None
        where a trace cannot be restarted from that part."""
        return None
