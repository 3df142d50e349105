"""Every command through the real program (a subprocess), and every kind of bad input."""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_cli


def make_sheet(tmp_path, *extra):
    out = tmp_path / "sheet.json"
    r = run_cli("generate", "--topic", "cnn", "--count", "4", "--seed", "11", "-o", str(out), *extra)
    assert r.returncode == 0, r.stderr
    return out


def key_answers(sheet_path) -> list[str]:
    data = json.loads(run_cli("show", str(sheet_path), "--json").stdout)
    return [f"{p['id']}: {p['shown']}" for prob in data["problems"] for p in prob["parts"]]


def test_help_lists_commands():
    r = run_cli("--help")
    assert r.returncode == 0
    for cmd in ("topics", "generate", "show", "check", "solve", "export"):
        assert cmd in r.stdout


def test_topics_lists_every_family():
    r = run_cli("topics", "--json")
    names = {f["family"] for f in json.loads(r.stdout)}
    assert {"cnn.shape", "cnn.params", "cnn.network", "cnn.flatten"} <= names
    assert "cnn.shape" in run_cli("topics").stdout


def test_generate_prints_and_writes(tmp_path):
    pdf = tmp_path / "s.pdf"
    r = run_cli("generate", "-t", "cnn", "-n", "3", "--seed", "2", "-o", str(tmp_path / "s.json"), "--pdf", str(pdf))
    assert r.returncode == 0, r.stderr
    assert "Problem 1" in r.stdout and "\\" not in r.stdout
    assert pdf.read_bytes().startswith(b"%PDF")
    assert json.loads((tmp_path / "s.json").read_text())["seed"] == 2


def test_generate_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run_cli("generate", "-t", "cnn", "-n", "5", "--seed", "9", "-o", str(a))
    run_cli("generate", "-t", "cnn", "-n", "5", "--seed", "9", "-o", str(b))
    assert a.read_bytes() == b.read_bytes()


def test_generate_in_chinese():
    r = run_cli("generate", "-t", "cnn.shape", "-n", "1", "--seed", "1", "--lang", "zh")
    assert r.returncode == 0 and "输入" in r.stdout


def test_show_json_has_ids_kinds_answers(tmp_path):
    sheet = make_sheet(tmp_path)
    data = json.loads(run_cli("show", str(sheet), "--json").stdout)
    part = data["problems"][0]["parts"][0]
    assert set(part) >= {"id", "kind", "answer"} and part["id"] == "1a"
    r = run_cli("show", str(sheet), "--solutions")
    assert r.returncode == 0 and "Worked solution" in r.stdout


def test_check_all_correct_exits_0(tmp_path):
    sheet = make_sheet(tmp_path)
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(key_answers(sheet)) + "\n")
    r = run_cli("check", str(sheet), str(answers), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    data = json.loads(r.stdout)
    assert data["correct"] == data["parts"] and all(x["status"] == "correct" for x in data["results"])


def test_check_wrong_and_missing_exit_1(tmp_path):
    sheet = make_sheet(tmp_path)
    lines = key_answers(sheet)
    first = lines[0].split(":")[0]
    answers = tmp_path / "answers.txt"
    answers.write_text(f"{first}: 1\n")
    r = run_cli("check", str(sheet), str(answers), "--json")
    assert r.returncode == 1
    statuses = {x["id"]: x["status"] for x in json.loads(r.stdout)["results"]}
    assert statuses[first] in ("wrong", "format") and "missing" in statuses.values()
    r = run_cli("check", str(sheet), str(answers))
    assert r.returncode == 1 and "missing" in r.stdout


def test_solve_family_with_settings():
    r = run_cli("solve", "cnn.shape", "--set", "input=1x28x28", "--set", "layers=conv 25 k3; maxpool 2", "--json")
    assert r.returncode == 0, r.stderr
    parts = json.loads(r.stdout)["parts"]
    assert [p["answer"] for p in parts] == [[25, 26, 26], [25, 13, 13]]
    r = run_cli("solve", "cnn.params", "--set", "layer=conv", "--set", "in=3", "--set", "out=96", "--set", "k=11")
    assert r.returncode == 0 and "34,944" in r.stdout


def test_solve_training_from_a_slide_matches_the_torch_reference():
    pytest.importorskip("torch")
    from quizgen import kinds
    from quizgen.registry import get_family
    from quizgen.model import Part, t
    from solvers import references

    settings = {"x": "[[1], [-1]]", "t": "[1, 0]", "W1": "[[0.5], [-1]]", "b1": "[0, 0.5]", "w2": "[1, -1]",
                "act": "tanh", "lr": "0.2", "steps": "3"}
    args = [a for k, v in settings.items() for a in ("--set", f"{k}={v}")]
    r = run_cli("solve", "training.predict", *args, "--json")
    assert r.returncode == 0, r.stderr
    parts = json.loads(r.stdout)["parts"]
    assert len(parts) == 16  # E before training, then w2, b2, W1, b1 and E after each of 3 steps
    family = get_family("training.predict")
    params = family.params_from_user({p.name: p.parse(settings[p.name]) for p in family.params if p.name in settings})
    (torch_ref,) = [ref for ref in references("training.predict") if "training_ref" in ref.__module__]
    expected = torch_ref(params)
    for part in parts:
        probe = Part(part["part"], part["kind"], t(""), part["answer"], decimals=part["decimals"])
        assert kinds.equal(probe, expected[part["part"]], part["answer"]), (part, expected)


def test_solve_help_params():
    r = run_cli("solve", "cnn.params", "--help-params")
    assert r.returncode == 0 and "bias" in r.stdout


def test_export_pdf_and_markdown(tmp_path):
    sheet = make_sheet(tmp_path)
    r = run_cli("export", str(sheet), "--format", "md", "--answers", "solutions", "-o", str(tmp_path / "s.md"))
    assert r.returncode == 0, r.stderr
    md = (tmp_path / "s.md").read_text()
    assert "Answer key" in md and "Worked solutions" in md
    r = run_cli("export", str(sheet), "-o", str(tmp_path / "s.pdf"))
    assert r.returncode == 0 and (tmp_path / "s.pdf").read_bytes()[:4] == b"%PDF"


BAD = [
    (["generate", "--topic", "nosuch"], "unknown topic"),
    (["generate", "--count", "0"], "count"),
    (["solve", "nosuch.family"], "unknown family"),
    (["solve", "cnn.params", "--set", "colour=red"], "unknown parameter"),
    (["solve", "cnn.params", "--set", "k=99"], "from 1 to 31"),
    (["solve", "cnn.params", "--set", "k"], "name=value"),
    (["solve", "net", "in 1x28x28; conv 25"], "kernel size"),
    (["solve", "net", "in 1x28x28; teleport 3"], "unknown layer"),
    (["solve", "net", "conv 25 k3"], "input shape"),
    (["solve", "net", "in 1x4x4; conv 2 k9"], "larger than"),
    (["solve", "net", "in 1x28x28; fc 10"], "flattened"),
    (["show", "does-not-exist.json"], "not found"),
    (["solve", "training.predict", "--set", "x=[[1]]"], "needs --set"),
    (["solve", "training.predict", "--set", "x=__import__('os')"], "x: only numbers"),
    (["solve", "training.predict", "--set", "x=[[1],[2]]", "--set", "t=[1]", "--set", "W1=[[1]]",
      "--set", "b1=[0]", "--set", "w2=[1]"], "one target per point"),
    (["solve", "training.predict", "--set", "x=[[1]]", "--set", "t=[1]", "--set", "W1=[[1]]",
      "--set", "b1=[0]", "--set", "w2=[1]", "--set", "steps=99"], "1 to 10"),
]


@pytest.mark.parametrize("args,message", BAD)
def test_bad_input_is_one_line_exit_2(args, message):
    r = run_cli(*args)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    assert message in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content,message", [
    ('{"schema": 1, "title": "x"', "not valid JSON"),
    ('{"schema": 7, "problems": []}', "schema version"),
    ("", "not valid JSON"),
    ('{"schema": 1, "title": 5, "difficulty": "easy", "lang": "en", "topics": [], "problems": []}', "malformed"),
])
def test_corrupt_sheets(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    for args in (["show", str(bad)], ["check", str(bad), str(bad)], ["export", str(bad), "-o", str(tmp_path / "x.pdf")]):
        r = run_cli(*args)
        assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_truncated_sheet(tmp_path):
    sheet = make_sheet(tmp_path)
    data = sheet.read_bytes()
    sheet.write_bytes(data[: len(data) // 2])
    r = run_cli("show", str(sheet))
    assert r.returncode == 2 and "not valid JSON" in r.stderr


def test_unreadable_answers_file(tmp_path):
    sheet = make_sheet(tmp_path)
    r = run_cli("check", str(sheet), str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "not found" in r.stderr
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    r = run_cli("check", str(sheet), str(binary))
    assert r.returncode == 2 and "UTF-8" in r.stderr
    r = run_cli("check", str(sheet), str(tmp_path))
    assert r.returncode == 2 and "directory" in r.stderr


def test_existing_output_is_refused_without_force(tmp_path):
    sheet = make_sheet(tmp_path)
    before = sheet.read_bytes()
    r = run_cli("generate", "-t", "cnn", "-n", "2", "--seed", "99", "-o", str(sheet))
    assert r.returncode == 2 and "already exists" in r.stderr and "--force" in r.stderr
    assert sheet.read_bytes() == before
    pdf = tmp_path / "s.pdf"
    pdf.write_text("keep me")
    r = run_cli("export", str(sheet), "-o", str(pdf))
    assert r.returncode == 2 and pdf.read_text() == "keep me"
    r = run_cli("generate", "-t", "cnn", "-n", "2", "--seed", "99", "-o", str(sheet), "--force")
    assert r.returncode == 0 and sheet.read_bytes() != before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_python_dash_m_works():
    r = run_cli("topics")
    assert r.returncode == 0


def test_help_imports_neither_torch_nor_sympy():
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys; from quizgen.cli import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', sorted(m for m in ('torch', 'sympy', 'numpy', 'typst') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert re.search(r"HEAVY \[\]", r.stdout), r.stdout
