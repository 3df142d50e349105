"""The labs' trainer: mini-batch training of a torch model, on the GPU when there is one.

It is also the reference trainer of the training.predict family (solvers/training_ref.py
imports it from here; the application never imports solvers/).

    for epoch in 1..E:
        for (x, y) in DataLoader(TensorDataset(X, Y), shuffled by a seeded generator):
            loss = L(model(x), y);  loss.backward();  optimizer.step()
        train loss/accuracy = running means over the epoch (accumulated on the device)
        test  loss/accuracy = one evaluation pass in eval mode

Device: CUDA when available, else CPU; `device=` overrides ("cpu", "cuda", "cuda:1").
Seeds are fixed (`torch.manual_seed` for initialisation and dropout, a seeded generator for
the batch order), so a run on the CPU is deterministic.  The data stay on the device, the
batches are gathered there by index (one gather per batch, no per-sample collation), and the
metrics are summed there too: the host synchronises once per epoch, not once per batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler, TensorDataset

from quizgen.errors import QuizgenError

Data = tuple[torch.Tensor, torch.Tensor]
LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def pick_device(requested: str | None = None) -> torch.device:
    """CUDA when available, else CPU; an explicit request is honoured or refused clearly."""
    if requested in (None, "", "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(requested)
    except (RuntimeError, ValueError):
        raise QuizgenError(f"unknown device {requested!r}; use auto, cpu or cuda") from None
    if device.type == "cpu":
        return device
    if device.type != "cuda":
        raise QuizgenError(f"device {requested!r} is not supported; use auto, cpu or cuda")
    if not torch.cuda.is_available():
        raise QuizgenError(f"device {requested!r} requested, but torch sees no CUDA GPU; use --device cpu")
    if device.index is not None and device.index >= torch.cuda.device_count():
        raise QuizgenError(f"device {requested!r} requested, but there are only {torch.cuda.device_count()} GPU(s)")
    return device


def seed_all(seed: int) -> None:
    """Seed torch's generators (CPU and every GPU): model initialisation and dropout masks."""
    torch.manual_seed(seed)


@dataclass(frozen=True)
class EpochMetrics:
    """Metrics of one epoch; accuracies are fractions in [0, 1], None for regression."""

    epoch: int
    train_loss: float
    train_acc: float | None
    test_loss: float | None
    test_acc: float | None


@dataclass(frozen=True)
class TrainResult:
    """What `train` returns: the per-epoch history, the device and the wall time."""

    label: str
    device: str
    wall_time: float
    steps: int
    history: tuple[EpochMetrics, ...]
    initial: EpochMetrics | None = field(default=None)

    @property
    def final(self) -> EpochMetrics:
        return self.history[-1] if self.history else self.initial

    def curve(self, name: str) -> list[float]:
        """One metric per epoch, e.g. `curve("test_acc")`."""
        return [getattr(m, name) for m in self.history]


def cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(logits, y)


def half_mse(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """E = 1/2 · mean over the points of the squared error (summed over the outputs)."""
    return 0.5 * ((out - y) ** 2).reshape(len(y), -1).sum(1).mean()


def batches(data: Data, batch_size: int, shuffle: bool, generator: torch.Generator | None) -> DataLoader:
    """A DataLoader over a TensorDataset that yields whole batches by one index gather each."""
    dataset = TensorDataset(*data)
    order = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
    return DataLoader(dataset, sampler=BatchSampler(order, batch_size, drop_last=False), batch_size=None)


@torch.no_grad()
def evaluate(model: nn.Module, data: Data, loss_fn: LossFn = cross_entropy, classify: bool = True,
             batch_size: int = 4096) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(mean loss, accuracy) over `data` in eval mode, as 0-d tensors left on the device."""
    was_training = model.training
    model.train(False)  # evaluation mode (dropout off)
    x_all, y_all = data
    loss_sum = torch.zeros((), device=x_all.device, dtype=torch.float64)
    correct = torch.zeros((), device=x_all.device, dtype=torch.int64)
    for start in range(0, len(x_all), batch_size):
        x, y = x_all[start:start + batch_size], y_all[start:start + batch_size]
        out = model(x)
        loss_sum += loss_fn(out, y).double() * len(y)
        if classify:
            correct += (out.argmax(1) == y).sum()
    model.train(was_training)
    n = len(x_all)
    return loss_sum / n, (correct.double() / n if classify else None)


def _progress(console):
    """A transient rich progress bar on stderr; None when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = console or Console(stderr=True)
    if not console.is_terminal:
        return None
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[metrics]}"), TimeElapsedColumn(),
                    console=console, transient=True)


def _show(m: EpochMetrics) -> str:
    text = f"loss {m.train_loss:.4f}"
    if m.train_acc is not None:
        text += f"  acc {m.train_acc:.1%}"
    if m.test_acc is not None:
        text += f"  test acc {m.test_acc:.1%}"
    return text


def train(model: nn.Module, train_data: Data, test_data: Data | None = None, *, epochs: int,
          optimizer: Callable[[object], torch.optim.Optimizer], batch_size: int = 64,
          loss_fn: LossFn = cross_entropy, classify: bool = True, seed: int = 0,
          device: torch.device | str | None = None, shuffle: bool = True, label: str = "train",
          quiet: bool = False, console=None, measure_initial: bool = False) -> TrainResult:
    """Train `model` in place for `epochs` epochs and return its history.

    `optimizer(parameters)` builds the optimizer; the data are moved to the device once.
    With `measure_initial`, the test metrics before the first step are recorded too.
    """
    if epochs < 0:
        raise QuizgenError("epochs must be >= 0")
    dev = device if isinstance(device, torch.device) else pick_device(device)
    model.to(dev)
    train_data = tuple(t.to(dev) for t in train_data)
    test_data = tuple(t.to(dev) for t in test_data) if test_data is not None else None
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)  # dropout masks
    opt = optimizer(model.parameters())
    loader = batches(train_data, batch_size, shuffle, generator)

    def test_metrics() -> tuple[torch.Tensor, torch.Tensor | None] | None:
        return evaluate(model, test_data, loss_fn, classify) if test_data is not None else None

    initial = None
    if measure_initial and test_data is not None:
        loss, acc = test_metrics()
        initial = EpochMetrics(0, float("nan"), None, loss.item(), None if acc is None else acc.item())

    history: list[EpochMetrics] = []
    steps = 0
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)
    start = time.perf_counter()
    progress = None if quiet else _progress(console)
    task = None
    if progress is not None:
        progress.start()
        task = progress.add_task(label, total=epochs, metrics="")
    try:
        model.train()
        n = len(train_data[0])
        for epoch in range(1, epochs + 1):
            loss_sum = torch.zeros((), device=dev, dtype=torch.float64)
            correct = torch.zeros((), device=dev, dtype=torch.int64)
            for x, y in loader:
                out = model(x)
                loss = loss_fn(out, y)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                steps += 1
                loss_sum += loss.detach().double() * len(y)
                if classify:
                    correct += (out.detach().argmax(1) == y).sum()
            tested = test_metrics()
            # one host synchronisation per epoch
            values = [loss_sum / n, correct.double() / n]
            if tested is not None:
                values += [tested[0], tested[1] if tested[1] is not None else torch.zeros((), device=dev)]
            numbers = torch.stack([v.double() for v in values]).tolist()
            m = EpochMetrics(epoch, numbers[0], numbers[1] if classify else None,
                             numbers[2] if tested is not None else None,
                             numbers[3] if tested is not None and classify else None)
            history.append(m)
            if progress is not None:
                progress.update(task, advance=1, metrics=_show(m))
    finally:
        if progress is not None:
            progress.stop()
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)
    return TrainResult(label=label, device=str(dev), wall_time=time.perf_counter() - start, steps=steps,
                       history=tuple(history), initial=initial)


OPTIMIZERS: dict[str, Callable[..., torch.optim.Optimizer]] = {
    "sgd": lambda params, lr: torch.optim.SGD(params, lr=lr),
    "momentum": lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9),
    "rmsprop": lambda params, lr: torch.optim.RMSprop(params, lr=lr),
    "adam": lambda params, lr: torch.optim.Adam(params, lr=lr),
}


def optimizer(name: str, lr: float) -> Callable[[object], torch.optim.Optimizer]:
    """A factory for `train`: optimizer("adam", 1e-3)."""
    make = OPTIMIZERS[name]
    return lambda params: make(params, lr)
