"""Independent reference solvers: every family's answers are recomputed another way.

    symbolic.py        SymPy exact arithmetic
    torch_ref.py       PyTorch modules (shapes and counts on the meta device)
    training_ref.py    the torch reference trainer, for training.predict
    <topic>_ref.py     one module per topic of families (torch autograd / nn modules, SymPy)

Each reference is a function `params -> {part_id: answer}` registered with
`@reference("family.name")`; the tests require at least one for every registered family
and compare it with the family's own answers over many seeds.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

_REFERENCES: dict[str, list[Callable[[dict], dict]]] = {}
_UNAVAILABLE: dict[str, str] = {}  # solver module -> the optional package it lacks
OPTIONAL = ("torch", "sklearn", "matplotlib")


def reference(family: str):
    """Decorator: register `fn(params) -> {part_id: answer}` as a reference for `family`."""

    def wrap(fn):
        _REFERENCES.setdefault(family, []).append(fn)
        return fn

    return wrap


def references(family: str) -> list[Callable[[dict], dict]]:
    """All references of a family (imports every solver module once; torch ones if torch is installed)."""
    import solvers

    for info in pkgutil.iter_modules(solvers.__path__):
        try:
            importlib.import_module(f"solvers.{info.name}")
        except ModuleNotFoundError as exc:  # torch or another optional solver dependency missing
            if exc.name not in OPTIONAL:
                raise
            _UNAVAILABLE[info.name] = exc.name
    return _REFERENCES.get(family, [])


def unavailable() -> dict[str, str]:
    """Solver modules that could not load, with the optional package each lacks (after
    `references()`): the tests skip with that reason instead of failing."""
    return dict(_UNAVAILABLE)
