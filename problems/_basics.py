"""A base for the small basics families whose parts do not depend on each other (no trace).

    class MyFamily(BuiltFamily):
        def build(self, params, out):            # out: Parts
            out.work(t("σ(0.5) = 0.6225"))
            out.add("real", t("σ(0.5)", "σ(0.5) 的值"), 0.6225, decimals=4,
                    wrong=[(0.5, "no_exp", t("...", "..."))])

`solve` and `mistakes` share one build per params (`per_params`); mistakes pass through MistakeSet,
so a "mistake" equal to the key is dropped.
"""

from __future__ import annotations

from typing import Any

from quizgen.model import Part, Solution, Text, part_id
from quizgen.registry import Family, per_params
from quizgen.trace import MistakeSet


class Parts:
    """The parts, worked lines and known wrong answers of one problem, in order."""

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self.steps: list[Text] = []
        self.wrong: list[tuple[str, Any, str, Text]] = []

    def add(self, kind: str, prompt: Text, answer: Any, *, decimals: int | None = None,
            choices: tuple[Text, ...] = (), key_points: tuple[Text, ...] = (), spec: dict | None = None,
            wrong=()) -> Any:
        pid = part_id(len(self.parts))
        self.parts.append(Part(pid, kind, prompt, answer, decimals=decimals, choices=choices,
                               key_points=key_points, spec=spec or {}))
        self.wrong += [(pid, value, tag, text) for value, tag, text in wrong]
        return answer

    def work(self, text: Text) -> None:
        self.steps.append(text)


class BuiltFamily(Family):
    """A family written as one `build(params, out)`; solve and mistakes derive from it."""

    def build(self, params: dict, out: Parts) -> None:
        raise NotImplementedError

    def solve(self, params: dict) -> Solution:
        return self._built(params)[0]

    def mistakes(self, params: dict):
        return list(self._built(params)[1])

    @per_params
    def _built(self, params: dict) -> tuple[Solution, tuple]:
        out = Parts()
        self.build(params, out)
        found = MistakeSet(out.parts)
        for pid, value, tag, text in out.wrong:
            found.add(pid, value, tag, text)
        return Solution(tuple(out.parts), tuple(out.steps)), tuple(found.items)
