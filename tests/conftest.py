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


@pytest.fixture
def cli():
    return run_cli
