"""The reference trainer: device choice, determinism on the CPU, batching, results."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("sklearn")

from quizgen.errors import QuizgenError  # noqa: E402
from quizgen.labs import data, nets  # noqa: E402
from quizgen.labs.trainer import batches, evaluate, optimizer, pick_device, seed_all, train  # noqa: E402


def test_device_defaults_to_cuda_when_available_else_cpu():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert pick_device(None).type == expected
    assert pick_device("auto").type == expected


def test_device_override_to_cpu():
    assert pick_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_asking_for_cuda_without_a_gpu_is_a_clear_error():
    with pytest.raises(QuizgenError, match="no CUDA GPU"):
        pick_device("cuda")


@pytest.mark.parametrize("bad", ["tpu", "gpu0", "mps:7x"])
def test_unknown_device_is_refused(bad):
    with pytest.raises(QuizgenError):
        pick_device(bad)


def _run(seed: int, epochs: int = 2):
    (x, y), (xt, yt) = data.digits(0)
    seed_all(seed)
    model = nets.mlp(64, 32, 1)
    return train(model, (x[:400], y[:400]), (xt, yt), epochs=epochs, optimizer=optimizer("adam", 3e-3),
                 batch_size=32, seed=seed, device="cpu", quiet=True)


def test_same_seed_gives_the_same_metrics_on_cpu():
    a, b = _run(3), _run(3)
    assert a.history == b.history
    assert _run(4).history != a.history


def test_result_records_history_device_steps_and_time():
    r = _run(0, epochs=3)
    assert [m.epoch for m in r.history] == [1, 2, 3]
    assert r.device == "cpu" and r.wall_time > 0
    assert r.steps == 3 * 13  # ceil(400 / 32) batches per epoch
    assert r.final is r.history[-1]
    assert all(0 <= m.train_acc <= 1 and 0 <= m.test_acc <= 1 for m in r.history)
    assert r.curve("test_loss") == [m.test_loss for m in r.history]


def test_training_learns_digits():
    r = _run(0, epochs=6)
    assert r.final.test_acc > 0.8
    assert r.history[-1].train_loss < r.history[0].train_loss


def test_batches_cover_every_example_once_per_epoch_in_a_seeded_order():
    ds = (torch.arange(10), torch.arange(10))
    epoch = lambda seed: [b[0].tolist() for b in batches(ds, 4, True, torch.Generator().manual_seed(seed))]  # noqa: E731
    first = epoch(1)
    assert [len(b) for b in first] == [4, 4, 2]
    assert sorted(sum(first, [])) == list(range(10))
    assert first == epoch(1) and first != epoch(2)
    assert [b[0].tolist() for b in batches(ds, 4, False, None)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_evaluate_matches_a_direct_computation():
    (x, y), _ = data.digits(0)
    seed_all(0)
    model = nets.mlp(64, 16, 1)
    loss, acc = evaluate(model, (x, y), batch_size=100)
    with torch.no_grad():
        out = model(x)
    assert abs(loss.item() - torch.nn.functional.cross_entropy(out, y).item()) < 1e-5
    assert acc.item() == (out.argmax(1) == y).sum().item() / len(y)


def test_measure_initial_records_the_loss_before_any_step():
    x = torch.tensor([[1.0], [2.0]], dtype=torch.float64)
    y = torch.tensor([[1.0], [0.0]], dtype=torch.float64)
    model = torch.nn.Linear(1, 1).double()
    with torch.no_grad():
        model.weight.fill_(0.5)
        model.bias.fill_(0.0)
    from quizgen.labs.trainer import half_mse

    r = train(model, (x, y), (x, y), epochs=1, optimizer=optimizer("sgd", 0.1), batch_size=2, shuffle=False,
              loss_fn=half_mse, classify=False, device="cpu", quiet=True, measure_initial=True)
    # y = 0.5x: outputs 0.5, 1.0; E = ((0.5-1)^2 + (1-0)^2) / 4 = 0.3125
    assert abs(r.initial.test_loss - 0.3125) < 1e-12
    # dE/dw = mean((wx - t) x) = (-0.5*1 + 1*2)/2 = 0.75, dE/db = (-0.5 + 1)/2 = 0.25
    w, b = 0.5 - 0.1 * 0.75, -0.1 * 0.25
    after = ((w + b - 1) ** 2 + (2 * w + b) ** 2) / 4
    assert abs(r.final.test_loss - after) < 1e-12
    assert r.final.train_acc is None and r.final.test_acc is None


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_training_on_the_gpu():
    (x, y), test = data.digits(0)
    seed_all(0)
    r = train(nets.mlp(64, 32, 1), (x, y), test, epochs=3, optimizer=optimizer("adam", 3e-3), device="cuda",
              quiet=True)
    assert r.device.startswith("cuda")
    assert r.final.test_acc > 0.8
