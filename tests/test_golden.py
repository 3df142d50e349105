"""Golden snapshots: a few seeds per family and difficulty, compared with files in tests/golden/.

The snapshots were written once (and checked then against the reference solvers); any change
to generation or answers shows up here.  After an intended change (and a family version
bump), rewrite them with:  QUIZGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from quizgen.registry import load_families
from quizgen.sheet import generate_problem

GOLDEN = Path(__file__).parent / "golden"
SEEDS = (1, 2, 3)


def snapshot(name: str) -> dict:
    fam = load_families()[name]
    out = {"family": name, "version": fam.version, "problems": []}
    for difficulty in fam.difficulties:
        for seed in SEEDS:
            p = generate_problem(fam, seed, difficulty)
            out["problems"].append({"seed": seed, "difficulty": difficulty, "params": p.params,
                                    "answers": {part.id: part.answer for part in p.parts},
                                    "statement_en": p.statement.en})
    return out


@pytest.mark.parametrize("name", sorted(load_families()))
def test_golden(name):
    path = GOLDEN / f"{name}.json"
    current = snapshot(name)
    if os.environ.get("QUIZGEN_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(current, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    assert path.exists(), f"no golden snapshot for {name}: run with QUIZGEN_UPDATE_GOLDEN=1 once"
    assert json.loads(path.read_text()) == json.loads(json.dumps(current))
