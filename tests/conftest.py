"""Shared test helpers: run the real CLI in a subprocess, and the repository paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, input: str | None = None, env: dict | None = None, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m quizgen ARGS` with this checkout first on the path."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "quizgen", *args], input=input, capture_output=True,
                          text=True, env=full_env, cwd=cwd or ROOT, timeout=timeout)


# A valid user-bank item (TOML), shared by the bank tests.
GOOD_ITEM = '''
[[item]]
id = "my-good"
topic = "cnn"
type = "truefalse"
difficulty = "easy"
source = "my lecture"
question = { en = "Pooling has weights.", zh = "池化层有权重。" }
answer = { en = "False.", zh = "错误。" }
key = false
'''


def all_texts() -> list[str]:
    """Every text a student can read: bank items and a few problems of every family, both languages."""
    from quizgen.concept_problems import to_problem
    from quizgen.concepts import load_bank
    from quizgen.registry import load_families
    from quizgen.sheet import generate_problem

    problems = [to_problem(item) for item in load_bank(()).items]
    problems += [generate_problem(fam, seed, d) for fam in load_families().values()
                 for d in fam.difficulties for seed in range(4)]
    texts = []
    for p in problems:
        for lang in ("en", "zh"):
            texts += [p.statement.get(lang)] + [s.get(lang) for s in p.steps] + [c.get(lang) for c in p.conventions]
            for part in p.parts:
                texts += [part.prompt.get(lang)] + [c.get(lang) for c in part.choices]
                texts += [k.get(lang) for k in part.key_points]
    return texts


@pytest.fixture
def cli():
    return run_cli
