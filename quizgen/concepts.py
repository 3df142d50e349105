"""The concept question bank: curated essay, short-answer and objective items.

    bank file  = TOML with an array of tables  [[item]]  (shipped in `bank/`, or a user's dir)
    item       = id, topic, tags, type, difficulty, source, question{en,zh}, answer{en,zh},
                 key_points [{en,zh}] (3-6; required for essay/short), misconceptions
                 [{en,zh,correction_en,correction_zh}] (>=1 for essay/short),
                 options [{en,zh}] + key "b" | ["a","c"]   (single / multiple),
                 key true|false                            (truefalse),
                 pairs [{left{en,zh}, right{en,zh}}]       (matching)
    bank       = shipped items + items of every `--bank DIR` and of $QUIZGEN_BANK
                 (os.pathsep-separated); a malformed item is reported as
                 "file: item id: field: message" and skipped, never fatal.

The shipped files are read through `importlib.resources.files("quizgen.bank")` (the wheel
installs `bank/` as that package), or from the checkout's `bank/` folder when quizgen runs
from a source tree (so a checkout never reads another tree's bank through an editable install).  The module is named `concepts` because `quizgen.bank` is the data package.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from quizgen.errors import QuizgenError
from quizgen.model import Text

TOPICS = (
    "foundations", "perceptron", "activations", "backprop", "optimizers", "autodiff",
    "cnn", "rnn", "attention", "regularization", "training", "other-networks",
)
TYPES = ("essay", "short", "single", "multiple", "truefalse", "matching")
OBJECTIVE = ("single", "multiple", "truefalse", "matching")
DIFFICULTIES = ("easy", "medium", "hard")
ENV_VAR = "QUIZGEN_BANK"
ID_PATTERN = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*$")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
MAX_OPTIONS = 8
_CJK = re.compile(r"[\u4e00-\u9fff]")

_COMMON = {"id", "topic", "tags", "type", "difficulty", "source", "question", "answer",
           "key_points", "misconceptions"}
_EXTRA = {"single": {"options", "key"}, "multiple": {"options", "key"}, "truefalse": {"key"},
          "matching": {"pairs"}, "essay": set(), "short": set()}


@dataclass(frozen=True)
class Misconception:
    """A common wrong belief and its correction."""

    text: Text
    correction: Text


@dataclass(frozen=True)
class Item:
    """One validated bank item.  `key` is a tuple of option letters (single/multiple),
    a bool (truefalse) or None; `pairs` holds (left, right) texts for matching."""

    id: str
    topic: str
    tags: tuple[str, ...]
    type: str
    difficulty: str
    source: str
    question: Text
    answer: Text
    key_points: tuple[Text, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    options: tuple[Text, ...] = ()
    key: Any = None
    pairs: tuple[tuple[Text, Text], ...] = ()
    file: str = ""

    @property
    def objective(self) -> bool:
        return self.type in OBJECTIVE


@dataclass(frozen=True)
class BankError:
    """One problem in a bank file; str() gives `file: item: field: message`, or
    `file:line:column: message` for a TOML syntax error ("-" parts are left out)."""

    file: str
    item: str
    field: str
    message: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return ": ".join([place, *(w for w in (self.item, self.field) if w != "-"), self.message])


@dataclass(frozen=True)
class Bank:
    items: tuple[Item, ...]
    errors: tuple[BankError, ...] = ()
    by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({item.id: item for item in self.items})

    def get(self, item_id: str) -> Item:
        if item_id not in self.by_id:
            raise QuizgenError(f"no bank item {item_id!r}; `quizgen bank list` lists them")
        return self.by_id[item_id]

    def select(self, topics: Iterable[str] = (), types: Iterable[str] = ()) -> list[Item]:
        """Items of any of the topics and any of the types (all when none given), in id order."""
        topics, types = set(topics), set(types)
        return sorted((i for i in self.items if (not topics or i.topic in topics)
                       and (not types or i.type in types)), key=lambda i: i.id)


# ------------------------------------------------------------------ validation

class _Invalid(Exception):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field, self.message = field_name, message


def _text(value: Any, where: str, neutral: bool = False) -> Text:
    """A {en, zh} table with non-empty texts; the Chinese must contain Chinese characters,
    except that a `neutral` text (an option that is only a formula) may repeat the English."""
    if not isinstance(value, dict):
        raise _Invalid(where, "expected a table with en and zh")
    extra = set(value) - {"en", "zh"}
    if extra:
        raise _Invalid(where, f"unknown field(s) {', '.join(sorted(extra))}")
    en = _string(value.get("en"), f"{where}.en")
    if neutral and value.get("zh") == en:
        return Text(en, en)
    return Text(en, _zh(value.get("zh"), f"{where}.zh"))


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(where, "missing or empty text")
    return value.strip()


def _zh(value: Any, where: str) -> str:
    s = _string(value, where)
    if not _CJK.search(s):
        raise _Invalid(where, "Chinese text has no Chinese characters")
    return s


def _list(value: Any, where: str, low: int, high: int) -> list:
    if not isinstance(value, list):
        raise _Invalid(where, "expected a list")
    if not low <= len(value) <= high:
        raise _Invalid(where, f"expected {low} to {high} entries, got {len(value)}")
    return value


def _choice(value: Any, where: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _Invalid(where, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _misconception(value: Any, where: str) -> Misconception:
    if not isinstance(value, dict):
        raise _Invalid(where, "expected a table with en, zh, correction_en, correction_zh")
    extra = set(value) - {"en", "zh", "correction_en", "correction_zh"}
    if extra:
        raise _Invalid(where, f"unknown field(s) {', '.join(sorted(extra))}")
    return Misconception(
        Text(_string(value.get("en"), f"{where}.en"), _zh(value.get("zh"), f"{where}.zh")),
        Text(_string(value.get("correction_en"), f"{where}.correction_en"),
             _zh(value.get("correction_zh"), f"{where}.correction_zh")))


def _key(raw: dict, kind: str, n_options: int) -> Any:
    key = raw.get("key")
    if kind == "truefalse":
        if not isinstance(key, bool):
            raise _Invalid("key", "expected true or false")
        return key
    letters = [key] if isinstance(key, str) else key
    if not isinstance(letters, list) or not letters or not all(isinstance(x, str) for x in letters):
        raise _Invalid("key", "expected an option letter like \"b\" or a list like [\"a\", \"c\"]")
    valid = LETTERS[:n_options]
    letters = [x.strip().lower() for x in letters]
    if any(x not in valid or len(x) != 1 for x in letters) or len(set(letters)) != len(letters):
        raise _Invalid("key", f"letters must be distinct and within a-{valid[-1]}")
    if kind == "single" and len(letters) != 1:
        raise _Invalid("key", "a single-choice item has exactly one key")
    if kind == "multiple" and not 2 <= len(letters) < n_options:
        raise _Invalid("key", "a multiple-choice item has at least two keys and at least one wrong option")
    return tuple(sorted(letters))


def parse_item(raw: Any, file: str) -> Item:
    """Validate one raw TOML table; raises _Invalid naming the field."""
    if not isinstance(raw, dict):
        raise _Invalid("-", "an item must be a table")
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not ID_PATTERN.match(item_id):
        raise _Invalid("id", "missing, or not lower-case words joined by - (like rnn-lstm-vs-gru)")
    kind = _choice(raw.get("type"), "type", TYPES)
    unknown = set(raw) - _COMMON - _EXTRA[kind]
    if unknown:
        raise _Invalid(sorted(unknown)[0], f"field not allowed in a {kind} item")
    topic = _choice(raw.get("topic"), "topic", TOPICS)
    difficulty = _choice(raw.get("difficulty"), "difficulty", DIFFICULTIES)
    source = _string(raw.get("source"), "source")
    question = _text(raw.get("question"), "question")
    answer = _text(raw.get("answer"), "answer")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(x, str) and x.strip() for x in tags):
        raise _Invalid("tags", "expected a list of words")
    n_points = (3, 6) if kind in ("essay", "short") else (0, 6)
    n_mis = (1, 6) if kind in ("essay", "short") else (0, 6)
    points = _list(raw.get("key_points", []), "key_points", *n_points)
    mis = _list(raw.get("misconceptions", []), "misconceptions", *n_mis)
    options, key, pairs = (), None, ()
    if kind in ("single", "multiple"):
        opts = _list(raw.get("options"), "options", 3 if kind == "multiple" else 2, MAX_OPTIONS)
        options = tuple(_text(o, f"options[{i}]", neutral=True) for i, o in enumerate(opts))
        key = _key(raw, kind, len(options))
    elif kind == "truefalse":
        key = _key(raw, kind, 0)
    elif kind == "matching":
        rows = _list(raw.get("pairs"), "pairs", 3, MAX_OPTIONS)
        built = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or set(row) != {"left", "right"}:
                raise _Invalid(f"pairs[{i}]", "expected a table with left and right")
            built.append((_text(row["left"], f"pairs[{i}].left", True), _text(row["right"], f"pairs[{i}].right", True)))
        if len({r.en for _, r in built}) != len(built):
            raise _Invalid("pairs", "right-hand entries must be distinct")
        pairs = tuple(built)
    return Item(
        id=item_id,
        topic=topic, tags=tuple(x.strip() for x in tags), type=kind, difficulty=difficulty,
        source=source, question=question, answer=answer,
        key_points=tuple(_text(p, f"key_points[{i}]") for i, p in enumerate(points)),
        misconceptions=tuple(_misconception(m, f"misconceptions[{i}]") for i, m in enumerate(mis)),
        options=options, key=key, pairs=pairs, file=file,
    )


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def toml_error(file: str, exc: Exception) -> BankError:
    """`bank/cnn.toml:12:7: not valid TOML: illegal character '\\n'` (file, line, column)."""
    message, where, line, column = str(exc), "not valid TOML", 0, 0
    at = _TOML_AT.search(message)
    if at:
        message, line, column = message[:at.start()], int(at.group(1)), int(at.group(2))
    elif message.endswith("(at end of document)"):
        message, where = message[:-len("(at end of document)")].strip(), "not valid TOML at the end of the file"
    return BankError(file, "-", "-", f"{where}: {message[:1].lower()}{message[1:]}", line, column)


def parse_file(text: str, file: str) -> tuple[list[Item], list[BankError]]:
    """All valid items of one bank file's text, and an error for each invalid one."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [toml_error(file, exc)]
    extra = set(data) - {"item"}
    errors = [BankError(file, "-", k, "unknown top-level key (items go in [[item]] tables)") for k in sorted(extra)]
    raw_items = data.get("item", [])
    if not isinstance(raw_items, list):
        return [], errors + [BankError(file, "-", "item", "items must be [[item]] tables")]
    items: list[Item] = []
    for n, raw in enumerate(raw_items, 1):
        label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"item #{n}"
        try:
            items.append(parse_item(raw, file))
        except _Invalid as exc:
            errors.append(BankError(file, label, exc.field, exc.message))
    return items, errors


# ------------------------------------------------------------------ loading

def _shipped_root():
    """The shipped bank folder: the checkout's bank/ when quizgen runs from a source tree
    (a pyproject.toml beside the package), else the installed data package quizgen.bank."""
    from importlib import resources

    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / "bank").is_dir():
        return checkout / "bank"
    return resources.files("quizgen.bank")


def _read_folder(root, label: Callable[[Any], str]) -> tuple[list[Item], list[BankError]]:
    items: list[Item] = []
    errors: list[BankError] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml") or not entry.is_file():
            continue
        try:
            text = entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(BankError(label(entry), "-", "-", f"cannot read ({type(exc).__name__})"))
            continue
        got, bad = parse_file(text, label(entry))
        items += got
        errors += bad
    return items, errors


def _merge(items: list[Item], errors: list[BankError], seen: dict[str, Item]) -> list[Item]:
    """Drop items whose id is already taken, reporting each as an error."""
    kept = []
    for item in items:
        if item.id in seen:
            errors.append(BankError(item.file, item.id, "id", f"duplicate id (already in {seen[item.id].file})"))
            continue
        seen[item.id] = item
        kept.append(item)
    return kept


@lru_cache(maxsize=1)
def shipped_bank() -> Bank:
    """The items shipped with quizgen (cached: read once per process)."""
    items, errors = _read_folder(_shipped_root(), lambda e: f"bank/{e.name}")
    kept = _merge(items, errors, {})
    return Bank(tuple(kept), tuple(errors))


def load_dir(path: str | Path) -> tuple[list[Item], list[BankError]]:
    """The items of every *.toml file in one user folder (not cached: files may change)."""
    folder = Path(path)
    if not folder.is_dir():
        return [], [BankError(str(folder), "-", "-", "bank folder does not exist")]
    return _read_folder(folder, lambda e: str(folder / e.name))


def user_dirs(bank_dirs: Iterable[str | Path] = (), environ: dict | None = None) -> list[str]:
    """The user bank folders: the --bank options, then those in $QUIZGEN_BANK."""
    env = (os.environ if environ is None else environ).get(ENV_VAR, "")
    return [str(d) for d in bank_dirs] + [d for d in env.split(os.pathsep) if d.strip()]


def load_bank(bank_dirs: Iterable[str | Path] = (), environ: dict | None = None,
              report: Callable[[BankError], None] | None = None) -> Bank:
    """Shipped items plus the user folders' items; bad user items are skipped and reported.

    An explicit --bank folder that does not exist is a QuizgenError; a stale entry in
    $QUIZGEN_BANK is only reported."""
    bank_dirs = list(bank_dirs)
    for d in bank_dirs:
        if not Path(d).is_dir():
            raise QuizgenError(f"bank folder {d} does not exist")
    base = shipped_bank()
    seen = dict(base.by_id)
    items, errors = list(base.items), []
    for d in user_dirs(bank_dirs, environ):
        got, bad = load_dir(d)
        errors += bad
        items += _merge(got, errors, seen)
    if report:
        for err in errors:
            report(err)
    return Bank(tuple(items), tuple(base.errors) + tuple(errors))


def warn(error: BankError) -> None:
    """Report a skipped bank item on stderr (one line)."""
    import sys

    print(f"quizgen: warning: {error} (skipped)", file=sys.stderr)


def validate_dir(path: str | Path | None = None) -> tuple[list[Item], list[BankError]]:
    """Validate one folder (the shipped bank when None), including duplicate ids."""
    if path is None:
        items, errors = _read_folder(_shipped_root(), lambda e: f"bank/{e.name}")
    else:
        if not Path(path).is_dir():
            raise QuizgenError(f"bank folder {path} does not exist")
        items, errors = load_dir(path)
    return _merge(items, errors, {}), errors
