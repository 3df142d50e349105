"""`quizgen lab list` and `quizgen lab run NAME`: the command glue of the labs.

A run: (1) ask the predict-first questions (only on a terminal, not with --no-predict),
(2) train with a progress bar, (3) print the results table and save a PNG plot and a
results.json in --out, (4) grade the predictions against what actually happened.
The output files are checked before training, so a run never ends by refusing to write.
torch, scikit-learn and matplotlib are imported only here, inside the commands.
"""


import importlib.util
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from quizgen.errors import QuizgenError

lab_app = typer.Typer(name="lab", help="Labs: train real models after predicting the outcome.",
                      no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

NEEDS = ("torch", "sklearn", "matplotlib")


def require_lab_dependencies() -> None:
    """One-line error (exit 2) when torch, scikit-learn or matplotlib is missing."""
    missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
    if missing:
        names = ", ".join("scikit-learn" if m == "sklearn" else m for m in missing)
        raise QuizgenError(f"labs need {names}: pip install 'quizgen[lab]' torch")


def _console():
    from rich.console import Console

    return Console(highlight=False)


@lab_app.command("list")
def list_labs() -> None:
    """List the labs."""
    from rich.table import Table

    from quizgen.labs import load_labs

    table = Table(title="quizgen labs")
    for col in ("lab", "what it shows", "epochs (quick)"):
        table.add_column(col, overflow="fold")
    for lab in load_labs().values():
        table.add_row(lab.name, lab.summary.en, f"{lab.epochs} ({lab.quick_epochs})")
    _console().print(table)


def ask_predictions(lab, lang: str, console, reader=None) -> dict[str, str]:
    """Ask each prediction; returns {id: raw answer}.  `reader(prompt)` reads a line."""
    from rich.markup import escape

    from quizgen.errors import FormatError
    from quizgen.mathtext import to_unicode
    from quizgen.parse import parse_choice

    read = reader or (lambda prompt: console.input(prompt))
    answers: dict[str, str] = {}
    console.print(f"[bold]Predict first[/bold] — {escape(lab.title.get(lang))}")
    for p in lab.predictions():
        console.print(f"\n[bold]({p.id})[/bold] {escape(to_unicode(p.prompt.get(lang)))}")
        for i, choice in enumerate(p.choices):
            console.print(f"    {chr(97 + i)}) {escape(to_unicode(choice.get(lang)))}")
        while True:
            raw = read("  your prediction (letter, Enter to skip): ").strip()
            if not raw:
                break
            try:
                parse_choice(raw, len(p.choices))
            except FormatError as exc:
                console.print(f"  [yellow]{escape(str(exc))}[/yellow]")
                continue
            answers[p.id] = raw
            break
    return answers


def grade_predictions(lab, outcome, answers: dict[str, str]) -> list[dict]:
    """Each prediction graded against the outcome: id, given, right letters, status, why."""
    from quizgen import kinds
    from quizgen.errors import FormatError
    from quizgen.parse import parse

    graded = []
    for p in lab.predictions():
        part = p.part(outcome)
        raw = answers.get(p.id)
        status = "skipped"
        if raw:
            try:
                status = "correct" if kinds.equal(part, parse("choice", raw, len(part.choices)), part.answer) else "wrong"
            except FormatError:
                status = "format"
        graded.append({"id": p.id, "prompt": part.prompt, "given": raw, "answer": part.answer,
                       "choices": part.choices, "status": status, "why": p.why(outcome)})
    return graded


def print_grades(graded: list[dict], lang: str, console) -> None:
    from rich.markup import escape

    from quizgen.mathtext import to_unicode

    marks = {"correct": "[green]✓ correct[/green]", "wrong": "[red]✗ wrong[/red]",
             "format": "[yellow]? unreadable[/yellow]", "skipped": "[dim]– not predicted[/dim]"}
    console.print("\n[bold]Your predictions against what happened[/bold]")
    for g in graded:
        right = ", ".join(f"{a}) {g['choices'][ord(a) - 97].get(lang)}" for a in g["answer"])
        given = f" (you said {escape(g['given'])})" if g["given"] else ""
        console.print(f"({g['id']}) {escape(to_unicode(g['prompt'].get(lang)))}")
        console.print(f"    {marks[g['status']]}{given}; what happened: {escape(to_unicode(right))}")
        console.print(f"    {escape(to_unicode(g['why'].get(lang)))}")


def print_outcome(lab, outcome, console) -> None:
    from rich.table import Table

    table = Table(title=f"{lab.name} — device {outcome.device}, {outcome.wall_time:.1f} s of training")
    for col in outcome.columns:
        table.add_column(col, justify="left" if col == outcome.columns[0] else "right")
    for row in outcome.rows:
        table.add_row(*row)
    console.print(table)


def output_paths(name: str, out: Optional[Path], force: bool) -> tuple[Path, Path]:
    """(plot, results) paths in the output folder; refuse existing ones without force."""
    folder = out if out is not None else Path(f"quizgen-lab-{name}")
    if folder.exists() and not folder.is_dir():
        raise QuizgenError(f"{folder} exists and is not a folder")
    plot, results = folder / f"{name}.png", folder / "results.json"
    for path in (plot, results):
        if path.exists() and not force:
            raise QuizgenError(f"{path} already exists; use --force to overwrite it, or --out DIR")
    return plot, results


def run_lab(name: str, epochs: Optional[int] = None, device: Optional[str] = None, quick: bool = False,
            out: Optional[Path] = None, predict: bool = True, seed: int = 0, force: bool = False,
            lang: str = "en", quiet: bool = False, console=None, reader=None) -> dict:
    """The whole run of one lab; returns the outcome, the graded predictions and the paths."""
    require_lab_dependencies()
    from quizgen.labs import LabConfig, get_lab

    console = console or _console()
    lab = get_lab(name)
    if epochs is not None and not 1 <= epochs <= 10_000:
        raise QuizgenError("--epochs must be between 1 and 10000")
    if not 0 <= seed < 2**63:
        raise QuizgenError("--seed must be a non-negative integer")
    plot_path, results_path = output_paths(lab.name, out, force)
    from quizgen.labs.trainer import pick_device

    pick_device(device)  # an impossible device fails before the questions
    answers = ask_predictions(lab, lang, console, reader) if predict else {}
    outcome = lab.run(LabConfig(epochs=epochs, device=device, quick=quick, seed=seed, quiet=quiet))
    print_outcome(lab, outcome, console)
    plot_path.parent.mkdir(parents=True, exist_ok=True)
    lab.plot(outcome, plot_path)
    graded = grade_predictions(lab, outcome, answers)
    from quizgen.files import write_atomic

    record = {"lab": lab.name, "device": outcome.device, "wall_time": outcome.wall_time, "seed": seed,
              "quick": quick, "facts": outcome.facts, "columns": list(outcome.columns),
              "rows": [list(r) for r in outcome.rows],
              "predictions": [{"id": g["id"], "given": g["given"], "answer": g["answer"], "status": g["status"],
                               "why": g["why"].en} for g in graded]}
    write_atomic(results_path, json.dumps(record, indent=1, ensure_ascii=False) + "\n", True)
    console.print(f"plot: {plot_path}   results: {results_path}", markup=False)
    print_grades(graded, lang, console)
    return {"outcome": outcome, "graded": graded, "plot": plot_path, "results": results_path}


@lab_app.command("run")
def run(
    name: str = typer.Argument(..., metavar="NAME", help="A lab name (`quizgen lab list`)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", "-e", help="Epochs (default: the lab's, or its quick count)."),
    device: Optional[str] = typer.Option(None, "--device", help="auto (default: CUDA when available), cpu, cuda, cuda:N."),
    quick: bool = typer.Option(False, "--quick", help="Smaller run: under 30 s on a laptop CPU."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the plot and results.json (default ./quizgen-lab-NAME)."),
    no_predict: bool = typer.Option(False, "--no-predict", help="Skip the predict-first questions."),
    seed: int = typer.Option(0, "--seed", "-s", help="Seed of the data split and the initialisation."),
    force: bool = typer.Option(False, "--force", help="Overwrite the plot and results of an earlier run."),
    lang: str = typer.Option("en", "--lang", "-l", help="en or zh."),
) -> None:
    """Run a lab: predict, train, see the results table and plot, and get your predictions graded."""
    if lang not in ("en", "zh"):
        raise QuizgenError("--lang must be en or zh")
    predict = not no_predict and sys.stdin.isatty()
    run_lab(name, epochs, device, quick, out, predict, seed, force, lang)
