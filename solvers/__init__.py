"""Independent reference solvers: every family's answers are recomputed another way.

    numeric.py    NumPy
    symbolic.py   SymPy exact arithmetic
    torch_ref.py  PyTorch modules and autograd (and the reference trainer)

Each reference is a function `params -> {part_id: answer}` registered with
`@reference("family.name")`; the tests require at least one for every registered family
and compare it with the family's own answers over many seeds.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

_REFERENCES: dict[str, list[Callable[[dict], dict]]] = {}


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
            if exc.name not in ("torch", "sklearn", "matplotlib"):
                raise
    return _REFERENCES.get(family, [])
