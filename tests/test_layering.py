"""Layering (issue 9 §6): the application core does not reach into problems/ or solvers/.

quizgen/ finds the families only through the registry (by package name) and the references
only through quizgen/references.py; the command glue (typer, printing) stays in the CLI
modules; the import graph of quizgen/ has no cycles (quiz <-> render/quizview was one).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "quizgen"
REFERENCE_HOOK = "quizgen.references"
CLI_LAYER = {"quizgen.cli", "quizgen.cli_edge", "quizgen.practice_cli", "quizgen.bank_cli", "quizgen.lab",
             "quizgen.instructor_cli", "quizgen.cli_output"}


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imported(path: Path) -> set[str]:
    """Every module named by an import statement anywhere in the file (functions included),
    except under `if TYPE_CHECKING:` (annotations only, never run)."""
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                   for stmt in block.body for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _outside(name: str) -> bool:
    return name.split(".")[0] in ("problems", "solvers")


def test_quizgen_source_never_imports_problems_or_solvers():
    offenders = {mod: sorted(n for n in imported(path) if _outside(n))
                 for mod, path in modules().items() if mod != REFERENCE_HOOK}
    assert {m: n for m, n in offenders.items() if n} == {}


def test_only_the_reference_hook_imports_solvers():
    assert any(n.startswith("solvers") for n in imported(modules()[REFERENCE_HOOK]))


def test_importing_every_quizgen_module_loads_no_problems_or_solvers():
    code = """
import importlib, sys
import quizgen
from pathlib import Path
names = []
for path in sorted(Path(quizgen.__file__).parent.rglob("*.py")):
    parts = path.relative_to(Path(quizgen.__file__).parents[1]).with_suffix("").parts
    names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
for name in names:
    if name.endswith("__main__"):
        continue
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name not in ("torch", "sklearn", "matplotlib"):
            raise
print("LOADED", sorted(m for m in sys.modules if m.split(".")[0] in ("problems", "solvers")))
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "LOADED []" in r.stdout, r.stdout + r.stderr


def test_families_come_only_through_the_registry():
    from quizgen import layers
    from quizgen.registry import FAMILIES

    assert FAMILIES.package == "problems"
    assert layers.PRESETS["vgg16"].startswith("in 3x224x224")


def test_core_modules_do_not_import_typer():
    core = {m: p for m, p in modules().items() if m not in CLI_LAYER}
    assert sorted(m for m, p in core.items() if any(n.split(".")[0] == "typer" for n in imported(p))) == []


def test_quiz_logic_does_not_import_its_views():
    mods = modules()
    assert not any(n.startswith("quizgen.render") for n in imported(mods["quizgen.quiz"]))
    assert not any(n.startswith("quizgen.render") for n in imported(mods["quizgen.stats"]))


def test_the_quizgen_import_graph_has_no_cycles():
    mods = modules()
    graph = {m: {n for n in imported(p) if n in mods and n not in (m, "quizgen")} for m, p in mods.items()}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> list[str] | None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return path + [m, n]
            if n not in state:
                found = visit(n, path + [m])
                if found:
                    return found
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            cycle = visit(m, [])
            assert cycle is None, " -> ".join(cycle)
