"""Benchmarks of the core: start-up, a 20-problem sheet to PDF, problems per second.

    python bench/core.py [--repeat N] [--no-wheel]

Prints, as medians over N runs:
* start-up to the first byte of output of `topics`, `generate`, `check` and `quiz` (answers
  piped), each as a ratio to `python -c "import typer; print()"` (target <= 2x), and `--help`
  (target <= 1.27x), the commands run in turn so that a loaded machine slows all alike;
  whether typer's option parsing imported pydantic;
* `solve net vgg16` (target <= 0.3 s) and `solve net vgg16 --verify` (torch, target <= 2 s);
  `solve net resnet50` (target < 1 s) and its `--verify`;
* `generate -n 20 --pdf` as a whole process (stdout not a terminal: no panels printed), and
  what printing the panels would have cost there (rich's import and rendering, measured in a
  fresh process);
* `quizgen --help` from a wheel installed in a fresh venv (no editable-install import hook);
* problems generated + solved + rendered (both languages) + mistakes per second in one
  process, per family and over all families.
"""

from __future__ import annotations

import argparse
import os
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


def wall(cmd: list[str], repeat: int, cwd: str, env: dict | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_output_once(cmd: list[str], cwd: str, stdin: str | None = None, env: dict | None = None) -> float:
    """Seconds from starting `cmd` to the first byte on its stdout (a pipe)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
    if stdin is not None:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    if not proc.stdout.read(1):
        raise RuntimeError(f"no output from {cmd}")
    seconds = time.perf_counter() - start
    proc.stdout.read()
    proc.wait()
    return seconds


def interleaved(jobs: dict[str, tuple], repeat: int, cwd: str, env: dict) -> dict[str, float]:
    """Median first-output seconds of each job (cmd, stdin), the jobs run in turn `repeat`
    times, so that a machine's changing load weighs on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, (cmd, stdin) in jobs.items():
            times[name].append(first_output_once(cmd, cwd, stdin, env))
    return {name: statistics.median(ts) for name, ts in times.items()}


PANELS = """
import sys, time, io
from quizgen.files import read_sheet
sheet = read_sheet(sys.argv[1])
start = time.perf_counter()
from rich.console import Console
from quizgen.render.terminal import print_sheet
print_sheet(sheet, "en", False, Console(file=io.StringIO(), width=100))
print(time.perf_counter() - start)
"""


def panels_cost(sheet: Path, repeat: int, cwd: str, env: dict) -> float:
    """Seconds a fresh process spends importing rich's renderers and printing the sheet's panels."""
    runs = [float(subprocess.run([sys.executable, "-c", PANELS, str(sheet)], cwd=cwd, env=env, capture_output=True,
                                 text=True, check=True).stdout) for _ in range(repeat)]
    return statistics.median(runs)


def uses_pydantic(env: dict, cwd: str) -> bool:
    code = ("import sys\nfrom quizgen.cli import main\nsys.argv = ['quizgen', 'generate', '-n', '1', '--seed', '1', '-d', 'easy']\n"
            "try:\n    main()\n"
            "except SystemExit:\n    pass\nprint('pydantic' in sys.modules, file=sys.stderr)")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True).stderr.strip().endswith("True")


def has_torch() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


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
    ap.add_argument("--no-wheel", action="store_true", help="skip building and installing the wheel")
    args = ap.parse_args()
    q, n = quizgen_cmd(), args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        # As on a student's machine, Python may cache bytecode (some sandboxes set
        # PYTHONDONTWRITEBYTECODE, which recompiles all ~60 modules at every start: ~150 ms).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update({"PYTHONPATH": str(ROOT), "QUIZGEN_HOME": str(Path(tmp, "home"))})
        subprocess.run([sys.executable, "-c", "import quizgen.cli; from quizgen.registry import load_families; "
                        "load_families()"], cwd=tmp, env=env, check=True)  # writes the bytecode once
        subprocess.run(q + ["generate", "-n", "6", "--seed", "1", "-o", "s.json"], cwd=tmp, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(q + ["generate", "-n", "20", "--seed", "1", "-o", "s20.json"], cwd=tmp, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        Path(tmp, "answers.txt").write_text("1a: 3\n2a: 5\n")
        starts = interleaved({
            "import typer": ([sys.executable, "-c", "import typer; print()"], None),
            "quizgen --help": (q + ["--help"], None),
            "quizgen topics": (q + ["topics"], None),
            "quizgen generate -n 6": (q + ["generate", "-n", "6", "--seed", "1"], None),
            "quizgen check": (q + ["check", "s.json", "answers.txt"], None),
            "quizgen quiz --sheet (piped)": (q + ["quiz", "--sheet", "s.json"], "q\n"),
        }, n, tmp, env)
        typer_s = starts.pop("import typer")
        solve_s = wall(q + ["solve", "net", "vgg16"], n, tmp, env)
        try:
            verify_s = wall(q + ["solve", "net", "vgg16", "--verify"], max(1, n // 2), tmp, env) if has_torch() else None
        except subprocess.CalledProcessError:  # a quizgen from before --verify
            verify_s = None
        resnet_s = wall(q + ["solve", "net", "resnet50"], n, tmp, env)
        resnet_verify_s = wall(q + ["solve", "net", "resnet50", "--verify"], max(1, n // 2), tmp, env) \
            if has_torch() else None
        pdf_s = wall(q + ["generate", "-n", "20", "--seed", "1", "--pdf", "s.pdf", "--force"], n, tmp, env)
        panels_s = panels_cost(Path(tmp, "s20.json"), n, tmp, env)
        pydantic = uses_pydantic(env, tmp)
        wheel_help_s = None
        if not args.no_wheel:  # to the first output, in turn with import typer (as the rows above)
            plain = {k: v for k, v in env.items() if k != "PYTHONPATH"}  # the wheel's own quizgen
            wheel = interleaved({"typer": ([sys.executable, "-c", "import typer; print()"], None),
                                 "help": (wheel_quizgen(tmp) + ["--help"], None)}, n, tmp, plain)
            wheel_help_s = wheel["help"] * typer_s / wheel["typer"]  # in the unit measured above
    print(f"python -c 'import typer; print()'{typer_s * 1000:7.0f} ms   (to its output; the unit below)")
    print("start-up to the first output (stdout a pipe):")
    for name, secs in starts.items():
        target = "1.27x" if name.endswith("--help") else "2x"
        print(f"  {name:<31}{secs * 1000:7.0f} ms   {secs / typer_s:5.2f}x import typer  (target <= {target})")
    print(f"  typer's option parsing imports pydantic: {'yes' if pydantic else 'no'}")
    print(f"solve net vgg16                  {solve_s * 1000:7.0f} ms   (whole process; target <= 300 ms)")
    if verify_s is not None:
        print(f"solve net vgg16 --verify         {verify_s * 1000:7.0f} ms   (torch cross-check; target <= 2000 ms)")
    print(f"solve net resnet50               {resnet_s * 1000:7.0f} ms   (whole process; target < 1000 ms)")
    if resnet_verify_s is not None:
        print(f"solve net resnet50 --verify      {resnet_verify_s * 1000:7.0f} ms   (torch modules of solvers/nets_ref.py)")
    print(f"generate 20 problems + PDF       {pdf_s * 1000:7.0f} ms   (whole process, stdout not a terminal; "
          "target < 1000 ms)")
    print(f"  panels it no longer prints     {panels_s * 1000:7.0f} ms   (rich import + rendering 20 problems, "
          "fresh process)")
    if wheel_help_s is not None:
        print(f"quizgen --help (wheel install)   {wheel_help_s * 1000:7.0f} ms   ({wheel_help_s / typer_s:.2f}x import "
              "typer; target <= 1.27x)")
    sys.path.insert(0, str(ROOT))
    from quizgen.registry import load_families

    families = load_families()
    for name, fam in families.items():
        print(f"  {name:<30} {problems_per_second([fam]):7.0f} problems/s")
    print(f"problems generated+solved / s    {problems_per_second(list(families.values()), 2.0):7.0f}      "
          "(all families in turn, one process; target >= 2000)")


if __name__ == "__main__":
    main()
