"""The sheet model: frozen values that round-trip through JSON.

    Sheet   = metadata + Problems
    Problem = family + family version + seed + difficulty + options + params
              + statement + Parts + Steps + Mistakes + conventions

Every text a student reads is a `Text` with English and Simplified Chinese.  Answers are
stored as JSON-native values (int, float, str, nested lists), so
``Sheet.from_dict(json.loads(sheet.to_json())) == sheet`` holds, and the same inputs give
byte-identical JSON.  SCHEMA_VERSION changes whenever that layout changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.kinds import KINDS
from quizgen.text import Text, _str, t  # noqa: F401  (Text and t are used through this module)

SCHEMA_VERSION = 1
_set = object.__setattr__  # sets a frozen object's __dict__ at once (the written-out __init__s)
LANGS = ("en", "zh")


def part_id(index: int) -> str:
    """Part ids a, b, ..., z, then aa, ab, ..., zz (index from 0; 702 ids)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    if not 0 <= index < 702:
        raise ValueError(f"part index {index} out of range")
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


_PLAIN = (float, int, str, bool, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)
_STR = frozenset({str})


def jsonable(value: Any) -> Any:
    """Normalise an answer value to JSON-native types (tuples become lists)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:  # the common cases: a vector, or a matrix, of plain numbers
        if _PLAIN_TYPES.issuperset(map(type, value)):
            return list(value)
        return [v if type(v) in _PLAIN_TYPES else jsonable(v) for v in value]
    if kind is dict:
        if _PLAIN_TYPES.issuperset(map(type, value.values())) and _STR.issuperset(map(type, value)):
            return dict(value)  # the common case: a layer, of plain values
        return {k if type(k) is str else str(k): v if type(v) in _PLAIN_TYPES else jsonable(v)
                for k, v in value.items()}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalar
        return jsonable(value.item())
    raise TypeError(f"not a JSON value: {value!r}")


@dataclass(frozen=True, init=False)
class Part:
    """One answerable part of a problem.

    `decimals` states the tolerance of real-valued kinds (answers within 10^-decimals are
    accepted); `trace` marks parts checked with error carried forward; `step` and `column`
    place the part in a trace's table (row, column header); `spec` holds a kind's settings
    (a label list, a truth table's input count).
    """

    id: str
    kind: str
    prompt: Text
    answer: Any
    decimals: int | None = None
    choices: tuple[Text, ...] = ()
    key_points: tuple[Text, ...] = ()
    trace: bool = False
    step: int | None = None
    column: str | None = None
    spec: dict = field(default_factory=dict)

    def __init__(self, id: str, kind: str, prompt: Text, answer: Any, decimals: int | None = None,
                 choices: tuple[Text, ...] = (), key_points: tuple[Text, ...] = (), trace: bool = False,
                 step: int | None = None, column: str | None = None, spec: dict | None = None) -> None:
        # written out (not dataclass-generated): a trace makes thousands of parts a second, and one
        # dict literal set as __dict__ costs a tenth of a frozen dataclass's field-by-field
        # object.__setattr__ (and two thirds of a dict update from keywords)
        if not isinstance(kind, str) or kind not in KINDS:
            raise ValueError(f"unknown answer kind {kind!r}")
        _set(self, "__dict__", {"id": id, "kind": kind, "prompt": prompt,
                                "answer": answer if type(answer) in _PLAIN_TYPES else jsonable(answer),
                                "decimals": decimals, "choices": choices, "key_points": key_points, "trace": trace,
                                "step": step, "column": column, "spec": jsonable(spec) if spec else {}})

    def to_dict(self) -> dict:
        d = {"id": self.id, "kind": self.kind, "prompt": self.prompt.to_dict(), "answer": self.answer}
        if self.decimals is not None:
            d["decimals"] = self.decimals
        if self.choices:
            d["choices"] = [c.to_dict() for c in self.choices]
        if self.key_points:
            d["key_points"] = [k.to_dict() for k in self.key_points]
        if self.trace:
            d["trace"] = True
        if self.step is not None:
            d["step"] = self.step
        if self.column is not None:
            d["column"] = self.column
        if self.spec:
            d["spec"] = self.spec
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Part:
        return cls(
            id=_str(d["id"]),
            kind=_str(d["kind"]),
            prompt=Text.from_dict(d["prompt"]),
            answer=d["answer"],
            decimals=d.get("decimals"),
            choices=tuple(Text.from_dict(c) for c in d.get("choices", ())),
            key_points=tuple(Text.from_dict(k) for k in d.get("key_points", ())),
            trace=bool(d.get("trace", False)),
            step=d.get("step"),
            column=d.get("column"),
            spec=dict(d.get("spec", {})),
        )


@dataclass(frozen=True, init=False)
class Mistake:
    """A known wrong answer to one part and the explanation a student gets for it."""

    part: str
    answer: Any
    tag: str
    explanation: Text

    def __init__(self, part: str, answer: Any, tag: str, explanation: Text) -> None:  # fast, as Part's
        _set(self, "__dict__", {"part": part, "answer": answer if type(answer) in _PLAIN_TYPES else jsonable(answer),
                                "tag": tag, "explanation": explanation})

    def to_dict(self) -> dict:
        return {"part": self.part, "answer": self.answer, "tag": self.tag,
                "explanation": self.explanation.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> Mistake:
        return cls(part=_str(d["part"]), answer=d["answer"], tag=_str(d["tag"]),
                   explanation=Text.from_dict(d["explanation"]))


@dataclass(frozen=True, init=False)
class Figure:
    """A drawing attached to a problem: `kind` names the drawer (quizgen.figures), `data` its
    JSON-able content; the terminal shows a text fallback."""

    kind: str
    data: dict
    caption: Text
    key: bool = False  # shows an answer: drawn with the key and the worked solution, not the problem

    def __init__(self, kind: str, data: dict, caption: Text, key: bool = False) -> None:  # fast, as Part's
        _set(self, "__dict__", {"kind": kind, "data": jsonable(data), "caption": caption, "key": key})

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "data": self.data, "caption": self.caption.to_dict()}
        return {**d, "key": True} if self.key else d

    @classmethod
    def from_dict(cls, d: dict) -> Figure:
        return cls(kind=_str(d["kind"]), data=dict(d["data"]), caption=Text.from_dict(d["caption"]),
                   key=bool(d.get("key", False)))


@dataclass(frozen=True)
class Solution:
    """What `Family.solve` returns: the parts with their answers and the worked steps."""

    parts: tuple[Part, ...]
    steps: tuple[Text, ...]
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True, init=False)
class Problem:
    family: str
    family_version: int
    seed: int | None
    difficulty: str
    params: dict
    statement: Text
    parts: tuple[Part, ...]
    steps: tuple[Text, ...]
    mistakes: tuple[Mistake, ...] = ()
    conventions: tuple[Text, ...] = ()
    topic: str = ""
    title: Text = field(default_factory=lambda: Text("", ""))
    options: dict = field(default_factory=dict)
    figures: tuple[Figure, ...] = ()

    def __init__(self, family: str, family_version: int, seed: int | None, difficulty: str, params: dict,
                 statement: Text, parts: tuple[Part, ...], steps: tuple[Text, ...], mistakes: tuple[Mistake, ...] = (),
                 conventions: tuple[Text, ...] = (), topic: str = "", title: Text | None = None,
                 options: dict | None = None, figures: tuple[Figure, ...] = ()) -> None:  # fast, as Part's
        self.__dict__.update(family=family, family_version=family_version, seed=seed, difficulty=difficulty,
                             params=jsonable(params), statement=statement, parts=parts, steps=steps,
                             mistakes=mistakes, conventions=conventions, topic=topic,
                             title=Text("", "") if title is None else title,
                             options=jsonable(options) if options else {}, figures=figures)

    @property
    def ref(self) -> str:
        """A short identity: `cnn.shape#1234` (generated), `bank:item-id`, or `cnn.params:custom`."""
        if self.seed is not None:
            return f"{self.family}#{self.seed}"
        return f"{self.family}:{self.params.get('id', 'custom')}"

    def part(self, part_id: str) -> Part:
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(part_id)

    def to_dict(self) -> dict:
        return {
            "family": self.family,
            "family_version": self.family_version,
            "seed": self.seed,
            "difficulty": self.difficulty,
            "options": self.options,
            "topic": self.topic,
            "title": self.title.to_dict(),
            "params": self.params,
            "statement": self.statement.to_dict(),
            "parts": [p.to_dict() for p in self.parts],
            "steps": [s.to_dict() for s in self.steps],
            "mistakes": [m.to_dict() for m in self.mistakes],
            "conventions": [c.to_dict() for c in self.conventions],
            **({"figures": [f.to_dict() for f in self.figures]} if self.figures else {}),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Problem:
        seed = d["seed"]
        if seed is not None and not isinstance(seed, int):
            raise TypeError("seed")
        return cls(
            family=_str(d["family"]),
            family_version=int(d["family_version"]),
            seed=seed,
            difficulty=_str(d["difficulty"]),
            options=dict(d.get("options", {})),
            topic=_str(d.get("topic", "")),
            title=Text.from_dict(d.get("title", {"en": "", "zh": ""})),
            params=dict(d["params"]),
            statement=Text.from_dict(d["statement"]),
            parts=tuple(Part.from_dict(p) for p in d["parts"]),
            steps=tuple(Text.from_dict(s) for s in d["steps"]),
            mistakes=tuple(Mistake.from_dict(m) for m in d.get("mistakes", ())),
            conventions=tuple(Text.from_dict(c) for c in d.get("conventions", ())),
            figures=tuple(Figure.from_dict(f) for f in d.get("figures", ())),
        )


@dataclass(frozen=True)
class Sheet:
    title: str
    seed: int | None
    difficulty: str
    lang: str
    topics: tuple[str, ...]
    problems: tuple[Problem, ...]
    schema: int = SCHEMA_VERSION

    def to_dict(self) -> dict:
        return {
            "schema": self.schema,
            "title": self.title,
            "seed": self.seed,
            "difficulty": self.difficulty,
            "lang": self.lang,
            "topics": list(self.topics),
            "problems": [p.to_dict() for p in self.problems],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, d: Any) -> Sheet:
        """Build a sheet from parsed JSON; any structural problem is a QuizgenError."""
        if not isinstance(d, dict) or "schema" not in d:
            raise QuizgenError("not a quizgen sheet (no schema version)")
        if d["schema"] != SCHEMA_VERSION:
            raise QuizgenError(
                f"sheet schema version {d['schema']!r} is not supported (this quizgen reads {SCHEMA_VERSION})")
        from quizgen.validate import check_sheet_dict

        check_sheet_dict(d, LANGS)  # one line naming the first invalid field
        try:
            return cls(
                schema=SCHEMA_VERSION,
                title=_str(d["title"]),
                seed=d.get("seed"),
                difficulty=_str(d["difficulty"]),
                lang=_str(d["lang"]),
                topics=tuple(_str(x) for x in d["topics"]),
                problems=tuple(Problem.from_dict(p) for p in d["problems"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise QuizgenError(f"sheet is malformed ({type(exc).__name__}: {exc})") from None

    @classmethod
    def from_json(cls, text: str) -> Sheet:
        try:
            data = json.loads(text.removeprefix("\ufeff"))  # Notepad writes a BOM
        except json.JSONDecodeError as exc:
            raise QuizgenError(f"sheet is not valid JSON (line {exc.lineno}: {exc.msg})") from None
        except RecursionError:
            raise QuizgenError("sheet is nested too deeply to be a quizgen sheet") from None
        return cls.from_dict(data)
