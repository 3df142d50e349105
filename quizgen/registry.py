"""The family registry: one decorator registers each problem family.

A family is a class in its own module under `problems/`, decorated with `@register`.
It declares its name, topic, version, titles, difficulty levels, conventions and the
parameters a user may set, and implements

    generate(rng, difficulty) -> params      (JSON-able, friendly numbers)
    solve(params)             -> Solution    (parts with answers + worked steps)
    render(params, lang)      -> statement   (text with $LaTeX-subset$ math)
    mistakes(params)          -> [Mistake]   (known wrong answers, each explained)
    follow_through(params, part_id, values)  (optional: error carried forward in traces)

`load_families()` imports every module of `problems/` (discovered, never hand-listed).
A command that needs only some families imports only theirs: family `cnn.shape` lives in
`problems/cnn_shape.py`, and `problems/_index.py` (written by `python -m quizgen.registry`,
checked against the families by tests/test_registry.py) holds every family's topic, title,
summary, example and difficulties, so `topics` and topic filters import no family at all.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable, ClassVar

from quizgen.errors import QuizgenError
from quizgen.model import Mistake, Solution, Text

DIFFICULTIES = ("easy", "medium", "hard")



class Registry:
    """Named instances of decorated classes, from modules discovered in one package.

    `register` is the class decorator; `load()` imports every module of the package (except
    names starting with `_` and the listed helpers) once, and returns the instances by name.
    """

    def __init__(self, package: str, what: str, helpers: tuple[str, ...] = ()):
        self.package, self.what, self.helpers = package, what, helpers
        self.items: dict[str, Any] = {}

    def register(self, cls):
        if cls.name in self.items:
            raise ValueError(f"{self.what} {cls.name} registered twice")
        self.items[cls.name] = cls()
        return cls

    def load(self) -> dict[str, Any]:
        package = importlib.import_module(self.package)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("_") and info.name not in self.helpers:
                importlib.import_module(f"{self.package}.{info.name}")
        return dict(sorted(self.items.items()))


REQUIRED = object()  # a Param without a default


@dataclass(frozen=True)
class Param:
    """A parameter a user may set with `quizgen solve FAMILY --set name=value`.

    `parse` turns the text into a value or raises a one-line QuizgenError; the factories in
    `quizgen.params` build these with ranges, and their `help` states the range."""

    name: str
    help: str
    parse: Callable[[str], Any]
    example: str
    default: Any = REQUIRED

    def help_line(self) -> str:
        default = "" if self.default is REQUIRED else f"; default {_shown(self.default)}"
        return f"{self.name}: {self.help} (e.g. {self.example}{default})"


def _shown(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def per_params(method: Callable) -> Callable:
    """Decorator for a family method `f(self, params)`: computed once for the params object last
    seen, so that solve and mistakes of one problem (build_problem asks for both) share one
    computation.  By identity: families never mutate params, and the one held is never reused."""
    slot = f"_last_{method.__name__}"

    def remembered(self, params):
        last = self.__dict__.get(slot)
        if last is None or last[0] is not params:
            last = (params, method(self, params))
            self.__dict__[slot] = last
        return last[1]

    remembered.__name__, remembered.__doc__ = method.__name__, method.__doc__
    return remembered


class Family:
    """Base class of a problem family; subclasses fill in the class attributes."""

    name: ClassVar[str]
    topic: ClassVar[str]
    version: ClassVar[int] = 1
    title: ClassVar[Text]
    summary: ClassVar[Text]
    difficulties: ClassVar[tuple[str, ...]] = DIFFICULTIES
    conventions: ClassVar[tuple[Text, ...]] = ()
    params: ClassVar[tuple[Param, ...]] = ()
    example: ClassVar[str]                  # a `quizgen solve ...` command line that works

    def generate(self, rng, difficulty: str) -> dict:
        """Params for one problem.  By default: `_draw(rng, difficulty)` again (deterministically,
        on the same rng) until `_friendly(params)`; a family overrides either or this."""
        from quizgen.draw import redraw

        return redraw(lambda: self._draw(rng, difficulty), self._friendly)

    def solve(self, params: dict) -> Solution:
        raise NotImplementedError

    def render(self, params: dict, lang: str) -> str:
        raise NotImplementedError

    def mistakes(self, params: dict) -> list[Mistake]:
        return []

    def figures(self, params: dict) -> list:
        """Drawings for the PDF and Markdown exports (quizgen.model.Figure; see quizgen.figures)."""
        return []

    def follow_through(self, params: dict, part_id: str, values: dict[str, Any]) -> Any:
        """The answer to `part_id` recomputed from the given earlier values (the student's
        own where they answered), or None if this part does not depend on earlier parts."""
        return None

    def params_from_user(self, values: dict[str, Any]) -> dict:
        """Build validated params from the user's `--set` values (already parsed)."""
        raise QuizgenError(f"family {self.name} takes no parameters")

    def with_defaults(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every declared param: the user's value, else its default; one line naming the
        missing ones otherwise."""
        missing = [p.name for p in self.params if p.name not in values and p.default is REQUIRED]
        if missing:
            raise QuizgenError(f"{self.name} needs --set for {', '.join(missing)} "
                               f"(`quizgen solve {self.name} --help-params`)")
        return {p.name: values.get(p.name, p.default) for p in self.params}


FAMILIES = Registry("problems", "family")


def register(cls: type[Family]) -> type[Family]:
    """Class decorator: instantiate the family and add it to the registry."""
    return FAMILIES.register(cls)


def load_families() -> dict[str, Family]:
    """Import every module in `problems/` once and return the registry, sorted by name."""
    return FAMILIES.load()


def family_module(name: str) -> str:
    """The module that registers family `name`: problems.cnn_shape for cnn.shape."""
    return f"{FAMILIES.package}.{name.replace('.', '_')}"


def index() -> dict[str, dict]:
    """Every family's entry in problems/_index.py: name -> {topic, title, summary, example,
    difficulties}, without importing a family module."""
    return importlib.import_module(f"{FAMILIES.package}._index").FAMILIES


def catalog() -> dict[str, dict]:
    """The index plus any family registered that it does not know (a test's own family)."""
    entries = dict(index())
    for name, family in FAMILIES.items.items():
        entries.setdefault(name, index_entry(family))
    return dict(sorted(entries.items()))


def index_entry(family: Family) -> dict:
    return {"topic": family.topic, "title": [family.title.en, family.title.zh],
            "summary": [family.summary.en, family.summary.zh], "example": getattr(family, "example", ""),
            "difficulties": list(family.difficulties)}


def get_family(name: str) -> Family:
    """The family `name`, importing its module only (all of them for a name the index lacks)."""
    if name not in FAMILIES.items:
        if isinstance(name, str) and name in index():
            importlib.import_module(family_module(name))
        if name not in FAMILIES.items:
            load_families()
    if name not in FAMILIES.items:
        raise QuizgenError(f"unknown family {name!r}; `quizgen topics` lists them")
    return FAMILIES.items[name]


def topics() -> list[str]:
    return sorted({entry["topic"] for entry in catalog().values()})


def names_for(topic_names: list[str] | tuple[str, ...]) -> list[str]:
    """The names of the families of the given topics (or family names, any case), in name
    order per topic; all of them when none given.  Imports no family."""
    entries = catalog()
    if not topic_names:
        return list(entries)
    chosen: list[str] = []
    for name in topic_names:
        key = name.strip().lower()
        matched = [n for n, e in entries.items() if e["topic"].lower() == key or n.lower() == key]
        if not matched:
            raise QuizgenError(unknown_topic_message(name, entries))
        chosen.extend(n for n in matched if n not in chosen)
    return chosen


def families_for(topic_names: list[str] | tuple[str, ...]) -> list[Family]:
    """The families of the given topics (or family names, any case); all of them when none given."""
    return [get_family(n) for n in names_for(topic_names)]


def unknown_topic_message(name: str, entries: dict[str, dict]) -> str:
    """unknown topic or family 'cnn.shap' (did you mean 'cnn.shape'?); topics: ...; families: ..."""
    import difflib

    known_topics = sorted({e["topic"] for e in entries.values()})
    names = known_topics + list(entries)
    close = difflib.get_close_matches(name.strip().lower(), names, n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"unknown topic or family {name!r}{hint}; topics: {', '.join(known_topics)}; "
            f"families: {', '.join(entries)}")


def write_index(path=None) -> str:
    """Write problems/_index.py from the families themselves (run after adding or renaming a
    family, or changing its topic, title, summary, example or difficulties)."""
    import json
    from pathlib import Path

    lines = ['"""Every family\'s topic, title, summary, example and difficulties, so that `quizgen topics`',
             "and topic filters import no family module.  Written by `python -m quizgen.registry`;",
             'tests/test_registry.py checks it against the families.  Do not edit by hand."""', "",
             "FAMILIES = {"]
    for name, family in load_families().items():
        lines.append(f"    {json.dumps(name)}: {json.dumps(index_entry(family), ensure_ascii=False)},")
    lines.append("}")
    target = Path(path) if path else Path(importlib.import_module(FAMILIES.package).__path__[0], "_index.py")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(target)


if __name__ == "__main__":  # the families register with the imported module, not with __main__
    from quizgen import registry

    print(f"wrote {registry.write_index()}")
