"""Labs: larger exercises run as real models, with predict-first questions.

A lab is a class in its own module of this package, decorated with `@register_lab`:

    predictions()        -> [Prediction]  asked before the run (choice items, numeric bands)
    run(config)          -> Outcome       trains the real models (quizgen/labs/trainer.py)
    plot(outcome, path)                   writes a PNG (matplotlib, Agg backend)

A Prediction's right option is computed from the Outcome after the run (`judge`), never
fixed in advance, and it comes with an explanation that quotes the measured numbers.
`load_labs()` imports every module of this package (discovered, never hand-listed); the
modules import torch only inside `run`/`plot`, so listing labs needs no torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar

from quizgen.errors import QuizgenError
from quizgen.model import Part, Text
from quizgen.registry import Registry

LABS = Registry("quizgen.labs", "lab", helpers=("data", "nets", "plots", "trainer"))


@dataclass(frozen=True)
class LabConfig:
    """How to run a lab: `epochs` None means the lab's default for the mode."""

    epochs: int | None = None
    device: str | None = None
    quick: bool = False
    seed: int = 0
    quiet: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a lab measured: a results table, named numbers (`facts`) and the raw curves."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    facts: dict[str, Any]
    curves: dict[str, Any] = field(default_factory=dict)
    device: str = "cpu"
    wall_time: float = 0.0


@dataclass(frozen=True)
class Prediction:
    """A predict-first question; `judge(outcome)` gives the right letters, `why(outcome)` the reason."""

    id: str
    prompt: Text
    choices: tuple[Text, ...]
    judge: Callable[[Outcome], list[str]]
    why: Callable[[Outcome], Text]

    def part(self, outcome: Outcome) -> Part:
        """The question as a graded choice Part, its answer taken from what happened."""
        return Part(self.id, "choice", self.prompt, sorted(self.judge(outcome)), choices=self.choices)


class Lab:
    """Base class of a lab; subclasses fill in the class attributes and the three methods."""

    name: ClassVar[str]
    title: ClassVar[Text]
    summary: ClassVar[Text]
    epochs: ClassVar[int]        # full run (sized for a GPU in under a minute)
    quick_epochs: ClassVar[int]  # --quick (sized for a 2-core CPU in under 30 s)

    def predictions(self) -> tuple[Prediction, ...]:
        raise NotImplementedError

    def run(self, config: LabConfig) -> Outcome:
        raise NotImplementedError

    def plot(self, outcome: Outcome, path) -> None:
        raise NotImplementedError

    def epochs_for(self, config: LabConfig) -> int:
        if config.epochs is not None:
            return config.epochs
        return self.quick_epochs if config.quick else self.epochs


def register_lab(cls: type[Lab]) -> type[Lab]:
    """Class decorator: instantiate the lab and add it to the registry."""
    return LABS.register(cls)


def load_labs() -> dict[str, Lab]:
    """Import every lab module of this package once; the registry in name order."""
    return LABS.load()


def get_lab(name: str) -> Lab:
    labs = load_labs()
    if name not in labs:
        raise QuizgenError(f"unknown lab {name!r}; `quizgen lab list` lists them: {', '.join(labs)}")
    return labs[name]


# A measured value within this relative distance of an edge counts as on the edge: a float32
# accuracy of 0.949999988 was printed "95.0%" and is judged as 95%.
EDGE_SLACK = 1e-6


def at_least(value: float, edge: float) -> bool:
    """value >= edge, an edge within EDGE_SLACK included."""
    return value >= edge - EDGE_SLACK * max(1.0, abs(edge))


def band(value: float, edges: list[float], first: str = "a") -> str:
    """The letter of the band [edges[i-1], edges[i]) holding `value`, counted from `first`:
    choices worded "below X", "X to Y", "Y or more" (an edge belongs to the band it starts)."""
    return chr(ord(first) + sum(at_least(value, e) for e in edges))


def band_above(value: float, edges: list[float], first: str = "a") -> str:
    """The letter of the band (edges[i-1], edges[i]] holding `value`, counted from `first`:
    choices worded "within X", "X to Y", "more than Y" (an edge belongs to the band it ends)."""
    return chr(ord(first) + sum(not at_least(e, value) for e in edges))


def within(difference: float, tolerance: float) -> bool:
    """|difference| <= tolerance, an edge included ("within 2 points" holds at exactly 2)."""
    return at_least(tolerance, abs(difference))
