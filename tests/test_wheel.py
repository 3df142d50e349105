"""The wheel installs into a clean venv and runs from another directory, bank data included."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                        "-w", str(out), "-q"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    (path,) = out.glob("quizgen-*.whl")
    return path


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for package in ("quizgen/cli.py", "problems/cnn_shape.py", "solvers/torch_ref.py", "quizgen/bank/__init__.py"):
        assert package in names
    bank_files = [n for n in (ROOT / "bank").iterdir() if n.suffix in (".toml", ".yaml", ".md")]
    for f in bank_files:
        assert f"quizgen/bank/{f.name}" in names
    assert not any(n.startswith("tests/") for n in names)


def test_wheel_runs_in_clean_venv(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    # without PYTHONPATH: a checkout on it holds quizgen.egg-info (from building the wheel), which
    # pip would take for an installed quizgen and skip the install
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q",
                        str(wheel)], capture_output=True, text=True, timeout=300, env=clean)
    assert r.returncode == 0, r.stderr
    # dependencies (typer, rich, ...) come from this environment's site-packages as a plain path
    # entry: its .pth files (an editable install of quizgen among them) are not processed
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": str(venv / "bin"), "HOME": str(tmp_path)}
    where = subprocess.run([str(py), "-c", "import quizgen, importlib.resources as r; print(quizgen.__file__); "
                            "print(r.files('quizgen.bank').is_dir())"],
                           cwd=elsewhere, capture_output=True, text=True, env=env)
    assert where.returncode == 0, where.stderr
    assert where.stdout.splitlines() == [str(Path(site, "quizgen", "__init__.py")), "True"]
    r = subprocess.run([str(venv / "bin" / "quizgen"), "generate", "-t", "cnn", "-n", "2", "--seed", "4",
                        "-o", "s.json", "--pdf", "s.pdf"], cwd=elsewhere, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert (elsewhere / "s.pdf").read_bytes().startswith(b"%PDF")
