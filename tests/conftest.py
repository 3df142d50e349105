"""Shared test helpers: run the real CLI in a subprocess, and the repository paths."""

from __future__ import annotations

import functools
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


@functools.lru_cache(maxsize=1)
def all_texts(seeds: int = 20) -> tuple[str, ...]:
    """Every text a student can read, both languages: every bank item, and every family
    (title, summary, conventions) with its problems over all difficulties and `seeds` seeds
    (title, statement, prompts, choices, key points, steps, mistakes' explanations)."""
    from quizgen.concept_problems import to_problem
    from quizgen.concepts import load_bank
    from quizgen.registry import load_families
    from quizgen.sheet import generate_problem

    families = load_families().values()
    problems = [to_problem(item) for item in load_bank(()).items]
    problems += [generate_problem(fam, seed, d) for fam in families
                 for d in fam.difficulties for seed in range(seeds)]
    texts = []
    for fam in families:
        texts += [x for text in (fam.title, fam.summary, *fam.conventions) for x in (text.en, text.zh)]
    for p in problems:
        for lang in ("en", "zh"):
            texts += [p.title.get(lang), p.statement.get(lang)] + [s.get(lang) for s in p.steps]
            texts += [c.get(lang) for c in p.conventions] + [m.explanation.get(lang) for m in p.mistakes]
            for part in p.parts:
                texts += [part.prompt.get(lang)] + [c.get(lang) for c in part.choices]
                texts += [k.get(lang) for k in part.key_points]
    return tuple(dict.fromkeys(texts))


def all_math_spans() -> list[str]:
    """The distinct $...$ spans of all_texts(), outside ``` code blocks."""
    from quizgen.render.blocks import blocks, math_spans

    return sorted({span for text in all_texts() for kind, piece in blocks(text) if kind == "text"
                   for math, span in math_spans(piece) if math == "math"})


@pytest.fixture
def cli():
    return run_cli
