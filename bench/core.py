"""Benchmarks of the core: start-up, a 20-problem sheet to PDF, problems per second.

    python bench/core.py [--repeat N]

Prints the median wall time of whole processes (`quizgen --help`, `quizgen topics`,
`python -c "import typer"`, `quizgen generate -n 20 --pdf`), `quizgen --help` again from a
wheel installed in a fresh venv (no editable-install import hook), and the number of problems
generated + solved + rendered (both languages) + mistakes per second in one process, per
family and over all families.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quizgen_cmd() -> list[str]:
    exe = shutil.which("quizgen")
    return [exe] if exe else [sys.executable, "-m", "quizgen"]


def wall(cmd: list[str], repeat: int, cwd: str) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def problems_per_second(families: list, seconds: float = 1.0) -> float:
    """Problems per second, cycling through `families` and their difficulties."""
    from quizgen.sheet import generate_problem

    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fam = families[n % len(families)]
        generate_problem(fam, n, fam.difficulties[n % len(fam.difficulties)])
        n += 1
    return n / (time.perf_counter() - start)


def wheel_quizgen(tmp: str) -> list[str]:
    """Build the wheel and install it into a fresh venv whose dependencies come from this one."""
    import sysconfig

    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "-w", tmp, "-q"], check=True, capture_output=True)
    venv = Path(tmp, "venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    wheel = next(Path(tmp).glob("quizgen-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
                    "--no-index", "-q", str(wheel)], check=True, capture_output=True)
    site = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return [str(venv / "bin" / "quizgen")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    q = quizgen_cmd()
    with tempfile.TemporaryDirectory() as tmp:
        typer_s = wall([sys.executable, "-c", "import typer"], args.repeat, tmp)
        help_s = wall(q + ["--help"], args.repeat, tmp)
        topics_s = wall(q + ["topics"], args.repeat, tmp)
        pdf_s = wall(q + ["generate", "-n", "20", "--seed", "1", "--pdf", "s.pdf", "--force"], args.repeat, tmp)
        wheel_help_s = wall(wheel_quizgen(tmp) + ["--help"], args.repeat, tmp)
    print(f"python -c 'import typer'         {typer_s * 1000:7.0f} ms")
    print(f"quizgen --help                   {help_s * 1000:7.0f} ms   ({help_s / typer_s:.2f}x import typer; "
          f"{' '.join(q[-1:])})")
    print(f"quizgen --help (wheel install)   {wheel_help_s * 1000:7.0f} ms   ({wheel_help_s / typer_s:.2f}x import typer; "
          "target <= 1.3x)")
    print(f"quizgen topics                   {topics_s * 1000:7.0f} ms")
    print(f"generate 20 problems + PDF       {pdf_s * 1000:7.0f} ms   (whole process; target < 1000 ms)")
    sys.path.insert(0, str(ROOT))
    from quizgen.registry import load_families

    families = load_families()
    for name, fam in families.items():
        print(f"  {name:<30} {problems_per_second([fam]):7.0f} problems/s")
    print(f"problems generated+solved / s    {problems_per_second(list(families.values()), 2.0):7.0f}      "
          "(all families in turn, one process; target >= 2000)")


if __name__ == "__main__":
    main()
