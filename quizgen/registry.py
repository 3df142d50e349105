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


def get_family(name: str) -> Family:
    families = load_families()
    if name not in families:
        raise QuizgenError(f"unknown family {name!r}; `quizgen topics` lists them")
    return families[name]


def topics() -> list[str]:
    return sorted({f.topic for f in load_families().values()})


def families_for(topic_names: list[str] | tuple[str, ...]) -> list[Family]:
    """The families of the given topics (or family names, any case); all of them when none given."""
    families = load_families()
    if not topic_names:
        return list(families.values())
    chosen: list[Family] = []
    for name in topic_names:
        key = name.strip().lower()
        matched = [f for f in families.values() if f.topic.lower() == key or f.name.lower() == key]
        if not matched:
            raise QuizgenError(unknown_topic_message(name, families))
        chosen.extend(f for f in matched if f not in chosen)
    return chosen


def unknown_topic_message(name: str, families: dict[str, Family]) -> str:
    """unknown topic or family 'cnn.shap' (did you mean 'cnn.shape'?); topics: ...; families: ..."""
    import difflib

    known_topics = sorted({f.topic for f in families.values()})
    names = known_topics + list(families)
    close = difflib.get_close_matches(name.strip().lower(), names, n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"unknown topic or family {name!r}{hint}; topics: {', '.join(known_topics)}; "
            f"families: {', '.join(families)}")
