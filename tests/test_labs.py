"""Labs: every lab runs (quick, tiny epochs, CPU, fixed seed), writes its plot and results,
robust findings hold, and predictions are graded from what actually happened."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("torch")
pytest.importorskip("sklearn")
pytest.importorskip("matplotlib")

from typer.testing import CliRunner  # noqa: E402

from quizgen.errors import QuizgenError  # noqa: E402
from quizgen.lab import ask_predictions, grade_predictions, lab_app, run_lab  # noqa: E402
from quizgen.labs import Outcome, load_labs  # noqa: E402

from conftest import ROOT, run_cli  # noqa: E402

LABS = load_labs()
TINY = {"mlp-vs-cnn": 4, "optimizers": 3, "vanishing-gradients": 1, "rnn-vs-lstm": 1, "dropout": 40, "residual": 3}


def test_the_issue_labs_are_registered():
    assert {"mlp-vs-cnn", "optimizers", "vanishing-gradients", "rnn-vs-lstm", "dropout", "residual"} <= set(LABS)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each lab run once, quick, on the CPU with seed 0 (shared by the tests below)."""
    out = {}
    for name in LABS:
        folder = tmp_path_factory.mktemp(name)
        out[name] = run_lab(name, epochs=TINY.get(name, 1), device="cpu", quick=True, out=folder, predict=False,
                            seed=0, quiet=True, console=_quiet_console())
    return out


def _quiet_console():
    from rich.console import Console

    return Console(file=open("/dev/null", "w"), width=100)


@pytest.mark.parametrize("name", sorted(LABS))
def test_lab_runs_and_writes_plot_and_results(runs, name):
    run = runs[name]
    assert run["plot"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    record = json.loads(run["results"].read_text())
    assert record["lab"] == name and record["device"] == "cpu"
    outcome = run["outcome"]
    assert outcome.rows and all(len(r) == len(outcome.columns) for r in outcome.rows)
    assert len(record["predictions"]) == len(LABS[name].predictions())


@pytest.mark.parametrize("name", sorted(LABS))
def test_predictions_are_2_to_4_choice_items_answered_from_the_results(runs, name):
    lab = LABS[name]
    assert 2 <= len(lab.predictions()) <= 4
    for p in lab.predictions():
        part = p.part(runs[name]["outcome"])
        letters = "abcdefghij"[:len(part.choices)]
        assert part.kind == "choice" and part.answer and set(part.answer) <= set(letters)
        assert p.why(runs[name]["outcome"]).en and p.why(runs[name]["outcome"]).zh


def test_cnn_beats_the_permuted_cnn_on_digits(runs):
    facts = runs["mlp-vs-cnn"]["outcome"].facts
    assert facts["acc_cnn"] > facts["acc_cnn-permuted"]
    assert facts["params_cnn"] == facts["params_cnn-permuted"]


def test_deep_sigmoid_first_layer_gradient_is_much_smaller_than_relu(runs):
    facts = runs["vanishing-gradients"]["outcome"].facts
    assert facts["first_relu"] > 1000 * facts["first_sigmoid"]
    assert facts["last_sigmoid"] > 1000 * facts["first_sigmoid"]  # fades towards the input


def test_residual_net_trains_where_the_plain_one_is_stuck(runs):
    facts = runs["residual"]["outcome"].facts
    assert facts["loss_plain"] > 2.2  # ln 10 ≈ 2.303: chance
    assert facts["acc_residual"] > facts["acc_plain"] + 0.3


def test_momentum_and_adam_beat_plain_sgd(runs):
    facts = runs["optimizers"]["outcome"].facts
    assert facts["loss_momentum"] < facts["loss_sgd"] and facts["loss_adam"] < facts["loss_sgd"]


def test_dropout_narrows_the_train_test_gap(runs):
    facts = runs["dropout"]["outcome"].facts
    assert facts["gap_dropout"] < facts["gap_plain"] - 0.05


def test_rnn_vs_lstm_measures_every_length(runs):
    outcome = runs["rnn-vs-lstm"]["outcome"]
    assert [int(r[0]) for r in outcome.rows] == list(LABS["rnn-vs-lstm"].quick_lengths)
    assert all(0 <= a <= 1 for cell in ("rnn", "lstm") for a in outcome.curves["acc"][cell])


def _outcome(**facts) -> Outcome:
    return Outcome(("x",), (("1",),), facts)


def test_the_right_option_follows_the_results_not_a_fixed_key():
    lab = LABS["mlp-vs-cnn"]
    best = lab.predictions()[0]
    assert best.judge(_outcome(**{"acc_mlp": 0.99, "acc_cnn": 0.9, "acc_cnn-permuted": 0.8})) == ["a"]
    assert best.judge(_outcome(**{"acc_mlp": 0.9, "acc_cnn": 0.99, "acc_cnn-permuted": 0.8})) == ["b"]
    drop = lab.predictions()[1]
    assert drop.judge(_outcome(**{"acc_cnn": 0.97, "acc_cnn-permuted": 0.965})) == ["a"]
    assert drop.judge(_outcome(**{"acc_cnn": 0.97, "acc_cnn-permuted": 0.95})) == ["b"]
    assert drop.judge(_outcome(**{"acc_cnn": 0.97, "acc_cnn-permuted": 0.90})) == ["c"]
    assert drop.judge(_outcome(**{"acc_cnn": 0.90, "acc_cnn-permuted": 0.95})) == ["d"]


def test_predictions_are_graded_against_the_run(runs):
    lab, outcome = LABS["residual"], runs["residual"]["outcome"]
    right = {p.id: p.part(outcome).answer[0] for p in lab.predictions()}
    wrong = {pid: "a" if letter != "a" else "b" for pid, letter in right.items()}
    assert {g["status"] for g in grade_predictions(lab, outcome, right)} == {"correct"}
    assert {g["status"] for g in grade_predictions(lab, outcome, wrong)} == {"wrong"}
    assert {g["status"] for g in grade_predictions(lab, outcome, {})} == {"skipped"}


def test_asking_predictions_reprompts_on_unreadable_answers_and_allows_skipping():
    lab = LABS["mlp-vs-cnn"]
    replies = iter(["zz", "b", "", "(c)"])
    answers = ask_predictions(lab, "en", _quiet_console(), reader=lambda prompt: next(replies))
    assert answers == {"a": "b", "c": "(c)"}


def test_existing_outputs_are_refused_before_training(tmp_path):
    (tmp_path / "residual.png").write_bytes(b"keep")
    with pytest.raises(QuizgenError, match="already exists"):
        run_lab("residual", epochs=1, device="cpu", out=tmp_path, predict=False, quiet=True, console=_quiet_console())
    assert (tmp_path / "residual.png").read_bytes() == b"keep"


def test_unknown_lab_and_bad_options_are_one_line_errors(tmp_path):
    with pytest.raises(QuizgenError, match="unknown lab"):
        run_lab("nope", out=tmp_path, predict=False)
    with pytest.raises(QuizgenError, match="epochs"):
        run_lab("residual", epochs=0, out=tmp_path, predict=False)


def test_missing_torch_gives_the_install_hint(monkeypatch):
    import importlib.util

    from quizgen import lab

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    with pytest.raises(QuizgenError, match=r"labs need torch: pip install 'quizgen\[lab\]'"):
        lab.require_lab_dependencies()


def test_lab_list_through_the_sub_app():
    result = CliRunner().invoke(lab_app, ["list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name in LABS:
        assert name in result.output


def test_listing_labs_does_not_import_torch():
    code = ("import sys; from quizgen.labs import load_labs; import quizgen.cli; load_labs(); "
            "print(sorted(m for m in ('torch', 'sklearn', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_lab_command_end_to_end(tmp_path):
    r = run_cli("lab", "run", "vanishing-gradients", "--quick", "--epochs", "1", "--device", "cpu",
                "--out", str(tmp_path), input="")
    assert r.returncode == 0, r.stderr
    assert "sigmoid" in r.stdout and "what happened" in r.stdout and "Traceback" not in r.stderr
    assert (tmp_path / "vanishing-gradients.png").exists()
    again = run_cli("lab", "run", "vanishing-gradients", "--epochs", "1", "--out", str(tmp_path), input="")
    assert again.returncode == 2 and "already exists" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="this machine has a GPU")
def test_lab_command_refuses_cuda_without_a_gpu(tmp_path):
    r = run_cli("lab", "run", "residual", "--device", "cuda", "--out", str(tmp_path), input="")
    assert r.returncode == 2 and "no CUDA GPU" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="needs a CUDA GPU")
def test_a_lab_on_the_gpu(tmp_path):
    run = run_lab("mlp-vs-cnn", epochs=2, device="cuda", out=tmp_path, predict=False, quiet=True,
                  console=_quiet_console())
    assert run["outcome"].device.startswith("cuda")
