"""Start-up (issue 10 §6): what the commands import before their first output.

Speed itself is measured in bench/core.py, never timed here; these tests pin the imports
that made start-up slow: numpy at a family module's top level, and torch for `solve net`
(covered in test_usability.py), pydantic through typer's option parsing (idem).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

LEAD_OWNED = "training_predict"  # the lead is rewriting it (numpy for its tiny arrays)


def family_modules() -> list[str]:
    return sorted(p.stem for p in (ROOT / "problems").glob("*.py") if not p.stem.startswith("_"))


def _numpy_after_import(modules: list[str]) -> bool:
    code = ("import sys\n" + "".join(f"import problems.{m}\n" for m in modules)
            + "print('NUMPY', 'numpy' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "NUMPY" in r.stdout, r.stderr
    return "NUMPY True" in r.stdout


def test_family_modules_import_numpy_lazily():
    assert not _numpy_after_import([m for m in family_modules() if m != LEAD_OWNED])


def test_training_predict_imports_numpy_lazily():
    assert not _numpy_after_import([LEAD_OWNED])


def test_writing_no_file_imports_no_tempfile():
    code = ("import sys\nfrom quizgen.cli import main\ntry:\n    main(['generate', '-n', '1', '-t', 'cnn.shape'])\nexcept SystemExit:\n    pass\n"
            "print('TEMPFILE', 'tempfile' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "TEMPFILE False" in r.stdout, r.stdout + r.stderr
