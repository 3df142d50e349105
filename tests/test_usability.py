"""What a new user trips over (issue 10 §5): usage errors, unknown names, file modes, bank
errors, layer wording."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli

USAGE = [
    (["generate", "--count", "abc"], "'abc' is not a whole number"),
    (["generate", "--lang", "fr"], "'fr' is not one of en, zh"),
    (["generate", "-d", "insane"], "'insane' is not one of easy, medium, hard"),
    (["generate", "-d", "Hard"], "did you mean 'hard'"),
    (["review"], "no such command 'review'"),
    (["quiz", "--seed", "x"], "not a whole number"),
    (["export", "s.json", "--format", "docx"], "not one of pdf, md"),
    (["bank", "lst"], "no such command 'lst'"),
    (["bank", "list", "--nosuch"], "no such option"),
    (["lab", "run", "optimizers", "--epochs", "many"], "not a whole number"),
    (["solve"], "missing argument 'FAMILY'"),
    (["check", "only-one.json"], "missing argument 'ANSWERS'"),
]


@pytest.mark.parametrize("args,message", USAGE)
def test_usage_errors_are_one_line_exit_2(args, message):
    r = run_cli(*args)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("quizgen: error: "), r.stderr
    assert message in lines[0] and "Usage:" not in r.stderr and r.stdout == ""


def test_unknown_command_lists_the_commands():
    err = run_cli("review").stderr
    assert "commands: topics, generate" in err and "quiz --review" in err


def test_help_still_works_and_no_args_shows_help():
    assert run_cli("generate", "--help").returncode == 0
    r = run_cli()
    assert "Usage:" in r.stdout + r.stderr and "Commands" in r.stdout + r.stderr


def test_option_values_skip_pydantic():
    """typer's pydantic-based conversion is replaced by plain converters (start-up cost)."""
    code = ("import sys\nfrom quizgen.cli import main\n"
            "try:\n    main(['generate', '-t', 'cnn.shape', '-n', '1', '--seed', '3', '-d', 'easy', '-l', 'en'])\n"
            "except SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print('PYDANTIC', 'pydantic' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "PYDANTIC False" in r.stdout, r.stdout + r.stderr


def test_topic_names_are_case_insensitive(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run_cli("generate", "-t", "CNN", "-n", "3", "--seed", "4", "-o", str(a)).returncode == 0
    assert run_cli("generate", "-t", "cnn", "-n", "3", "--seed", "4", "-o", str(b)).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    assert run_cli("generate", "-t", "CNN.Shape", "-n", "1", "--seed", "4").returncode == 0


@pytest.mark.parametrize("name,suggestion", [("cnn.shap", "cnn.shape"), ("trainin", "training"),
                                             ("cnn-params", "cnn.params")])
def test_unknown_topic_suggests_the_nearest_name(name, suggestion):
    r = run_cli("generate", "-t", name, "-n", "1")
    assert r.returncode == 2
    assert f"did you mean '{suggestion}'" in r.stderr
    from quizgen.registry import load_families, topics

    assert f"topics: {', '.join(topics())}" in r.stderr and f"families: {sorted(load_families())[0]}," in r.stderr


def test_unknown_topic_without_a_near_name():
    from quizgen.errors import QuizgenError
    from quizgen.registry import families_for

    with pytest.raises(QuizgenError) as exc:
        families_for(["zzzz"])
    assert "did you mean" not in str(exc.value) and "families: " in str(exc.value)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_written_files_respect_the_umask(tmp_path, mask):
    from quizgen.files import write_atomic

    old = os.umask(mask)
    try:
        path = write_atomic(tmp_path / "sheet.json", "{}")
        write_atomic(tmp_path / "again.pdf", b"%PDF", force=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
    assert stat.S_IMODE((tmp_path / "again.pdf").stat().st_mode) == 0o666 & ~mask


def test_cli_writes_shareable_files(tmp_path):
    out = tmp_path / "s.json"
    r = subprocess.run(["sh", "-c", f"umask 022; exec {sys.executable} -m quizgen generate -n 1 -o {out}"],
                       capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


@pytest.mark.parametrize("text,where", [
    ('[[item]]\nid = "x"\ntopic = "cnn\n', "my.toml:3:13: not valid TOML: illegal character"),
    ('[[item]]\nid = "x"\n[[item', "my.toml: not valid TOML at the end of the file: expected"),
    ('x = = 1\n', "my.toml:1:5: not valid TOML"),
])
def test_invalid_toml_names_the_file_and_line(text, where):
    from quizgen.concepts import parse_file

    items, errors = parse_file(text, "bank/my.toml")
    assert items == [] and len(errors) == 1
    assert str(errors[0]).startswith("bank/" + where), str(errors[0])
    assert "-: -" not in str(errors[0])


def test_bank_validate_names_the_line(tmp_path):
    (tmp_path / "bad.toml").write_text('[[item]]\nid = "x"\ntopic = "cnn\n')
    r = run_cli("bank", "validate", str(tmp_path))
    assert r.returncode == 1 and f"{tmp_path / 'bad.toml'}:3:13: not valid TOML" in r.stderr


def test_layer_wording_in_parameter_questions():
    from quizgen.registry import load_families
    from quizgen.sheet import generate_problem

    fam = load_families()["cnn.params"]
    statements = [generate_problem(fam, seed, d).statement for d in fam.difficulties for seed in range(40)]
    assert any("fully connected" in s.en for s in statements)
    for s in statements:
        assert "outputs layer" not in s.en and "no bias layer" not in s.en
        assert "goes through one layer: " in s.en


def test_solve_net_answers_without_torch_by_default():
    code = ("import sys\nfrom quizgen.cli import main\n"
            "try:\n    main(['solve', 'net', 'vgg16'])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print('TORCH', 'torch' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"})
    assert "TORCH False" in r.stdout and "138,357,544" in r.stdout, r.stdout + r.stderr
    assert "add --verify" in r.stdout


def test_solve_net_verify_in_chinese():
    pytest.importorskip("torch")
    r = run_cli("solve", "net", "lenet5", "--verify", "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert "可训练参数：61,706（含偏置）。与 PyTorch 核对：一致。" in r.stdout
    assert "Trainable" not in r.stdout and "total" not in r.stdout


@pytest.mark.parametrize("columns", [80, 100, 200])
def test_bank_list_keeps_the_question_readable(columns):
    r = run_cli("bank", "list", env={"COLUMNS": str(columns)})
    assert r.returncode == 0
    header = next(line for line in r.stdout.splitlines() if "question" in line)
    question_width = len(header.split("┃")[-2])
    assert question_width >= 30, (columns, header)
    assert max(len(line) for line in r.stdout.splitlines()) <= columns
    assert "optimizers-momentum-vs-adaptive" in r.stdout  # ids are never folded


def test_bank_list_on_a_very_narrow_terminal():
    r = run_cli("bank", "list", "-t", "cnn", env={"COLUMNS": "50"})
    assert r.returncode == 0 and "┃" not in r.stdout
    assert "cnn-pooling · cnn · short · easy" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 50


def test_version_matches_the_package():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"quizgen {version}"


def test_readme_quickstart_is_two_one_line_commands_without_torch_first():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0].strip() for b in quick.split("```bash\n")[1:]]
    assert len(blocks) == 2 and all("\n" not in b for b in blocks), blocks
    assert "pip install -e . &&" in blocks[0] and "[dev]" not in blocks[0] and "quizgen generate" in blocks[0]
    assert "pip install -e '.[dev]'" in blocks[1] and blocks[1].endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q -e .\n" in ci and ci.rstrip().endswith(blocks[1].split("&& ")[-1])


def test_readme_tour_says_how_quizgen_gets_on_the_path():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = text.split("## Tour", 1)[1]
    assert "source .venv/bin/activate" in tour.split("$ quizgen", 1)[0]
    assert "quizgen --version" in tour


def test_generate_pdf_in_a_terminal_still_prints_the_problems(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "quizgen", "generate", "-t", "cnn.shape", "-n", "1", "--seed", "3",
                                           "--pdf", str(tmp_path / "s.pdf")], cwd=str(ROOT),
                          env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}, encoding="utf-8", timeout=60)
    child.expect("Problem 1")
    child.expect("PDF written to")
    child.expect(pexpect.EOF)


@pytest.mark.parametrize("annotation,raw,value", [(int, "12", 12), (int, " -3 ", -3), (float, "0.5", 0.5),
                                                  (str, "x", "x"), (bool, "true", True), (bool, "0", False)])
def test_plain_converters(annotation, raw, value):
    from quizgen.cli_edge import _to_bool, converter

    convert = _to_bool if annotation is bool else converter(annotation)
    assert convert(raw) == value


@pytest.mark.parametrize("annotation,raw", [(int, "abc"), (int, "1.5"), (int, "1" * 40), (float, "nan"),
                                            (float, "1e999"), (float, "x")])
def test_plain_converters_refuse(annotation, raw):
    from quizgen.cli_edge import converter

    with pytest.raises(ValueError):
        converter(annotation)(raw)


def test_generate_pdf_piped_with_solutions_still_prints(tmp_path):
    r = run_cli("generate", "-t", "cnn.shape", "-n", "1", "--seed", "3", "--pdf", str(tmp_path / "s.pdf"), "--solutions")
    assert r.returncode == 0 and "Problem 1" in r.stdout and "Worked solution" in r.stdout
