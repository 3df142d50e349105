"""Lab dropout: a small, noisily labelled training split, with and without dropout.

    data:     300 training digits, 20% of their labels replaced by random labels (as
              annotation noise); the 539 test digits keep their true labels
    network:  MLP 64 → 256 → 256 → 10 (ReLU), with or without Dropout(p = 0.5) after
              each hidden layer; Adam η = 0.003, batch 32
    gap:      training accuracy (eval mode, on the noisy labels) − test accuracy

Without dropout the network memorises the training set, noise included, and the gap is
wide.  Dropout trains a random thinned network at each step, so no unit can rely on
particular others to memorise single examples: training accuracy stays lower, test
accuracy is higher, and the gap narrows.
"""

from __future__ import annotations

from quizgen.labs import Lab, LabConfig, Outcome, Prediction, band, register_lab, within
from quizgen.model import t

N_TRAIN, NOISE, P = 300, 0.2, 0.5
VARIANTS = {"no dropout": 0.0, f"dropout p={P}": P}


def noisy_labels(labels, fraction: float, seed: int):
    """Replace a random `fraction` of the labels by uniformly random classes (maybe the same)."""
    import torch

    g = torch.Generator().manual_seed(seed)
    flip = torch.rand(len(labels), generator=g) < fraction
    out = labels.clone()
    out[flip] = torch.randint(10, (int(flip.sum()),), generator=g)
    return out


@register_lab
class Dropout(Lab):
    name = "dropout"
    title = t("Dropout and the gap between training and test accuracy", "Dropout 与训练/测试准确率之差")
    summary = t("Train on 300 noisy digits with and without dropout: which gap is wider?",
                "在 300 张带噪声标签的数字上训练，有无 dropout：哪个差距更大？")
    epochs = 60
    quick_epochs = 40

    def predictions(self) -> tuple[Prediction, ...]:
        def wider(o: Outcome) -> list[str]:
            a, b = o.facts["gap_plain"], o.facts["gap_dropout"]
            return ["c"] if within(a - b, 0.02) else ["a" if a > b else "b"]

        def test_acc(o: Outcome) -> list[str]:
            d = o.facts["test_dropout"] - o.facts["test_plain"]
            return ["c"] if within(d, 0.01) else ["a" if d > 0 else "b"]

        nums = lambda o: (f"without: train {o.facts['train_plain']:.1%}, test {o.facts['test_plain']:.1%}; "  # noqa: E731
                          f"with: train {o.facts['train_dropout']:.1%}, test {o.facts['test_dropout']:.1%}")
        return (
            Prediction("a", t("Which network has the wider gap between training and test accuracy?",
                              "哪个网络的训练与测试准确率之差更大？"),
                       (t("without dropout", "不用 dropout"), t("with dropout", "使用 dropout"),
                        t("about the same (within 2 points)", "差不多（相差 2 个百分点以内）")),
                       wider,
                       lambda o: t(f"Gap without dropout {o.facts['gap_plain']:.1%}, with {o.facts['gap_dropout']:.1%} "
                                   f"({nums(o)}). Dropout keeps the network from memorising single examples.",
                                   f"不用 dropout 差距 {o.facts['gap_plain']:.1%}，使用后 {o.facts['gap_dropout']:.1%}"
                                   f"（{nums(o)}）。Dropout 使网络无法死记单个样本。")),
            Prediction("b", t("With dropout, the test accuracy will be…", "使用 dropout 后，测试准确率会……"),
                       (t("higher", "更高"), t("lower", "更低"), t("about the same (within 1 point)", "差不多（1 个百分点以内）")),
                       test_acc,
                       lambda o: t(f"Test accuracy {o.facts['test_plain']:.1%} without, {o.facts['test_dropout']:.1%} with "
                                   "dropout: fitting the noisy labels costs accuracy on clean test data.",
                                   f"测试准确率：不用 {o.facts['test_plain']:.1%}，使用 {o.facts['test_dropout']:.1%}："
                                   "拟合噪声标签会降低在干净测试数据上的准确率。")),
            Prediction("c", t("Without dropout, the training accuracy on the 20%-noisy labels will be…",
                              "不用 dropout 时，在含 20% 噪声标签的训练集上准确率为……"),
                       (t("below 80%", "低于 80%"), t("80% to 95%", "80% 到 95%"), t("95% or more", "95% 或更高")),
                       lambda o: [band(o.facts["train_plain"], [0.8, 0.95])],
                       lambda o: t(f"{o.facts['train_plain']:.1%}: a net with 85k weights and 300 examples can fit "
                                   "even random labels; above about 82% it is memorising noise.",
                                   f"{o.facts['train_plain']:.1%}：有 8.5 万个权重的网络面对 300 个样本，连随机标签"
                                   "都能拟合；超过约 82% 就是在记噪声。")),
        )

    def run(self, config: LabConfig) -> Outcome:
        from quizgen.labs import data, nets
        from quizgen.labs.trainer import evaluate, optimizer, pick_device, seed_all, train

        device = pick_device(config.device)
        epochs = self.epochs_for(config)
        (x, y), test_set = data.digits(config.seed, n_train=N_TRAIN)
        train_set = (x, noisy_labels(y, NOISE, config.seed + 7))
        facts = {"epochs": epochs, "n_train": N_TRAIN, "noise": NOISE}
        rows, curves, total = [], {}, 0.0
        for (label, p), key in zip(VARIANTS.items(), ("plain", "dropout")):
            seed_all(config.seed)
            model = nets.mlp(64, 256, 2, dropout=p)
            r = train(model, train_set, test_set, epochs=epochs, optimizer=optimizer("adam", 3e-3), batch_size=32,
                      seed=config.seed, device=device, label=label, quiet=config.quiet)
            _, train_acc = evaluate(model, tuple(v.to(device) for v in train_set))
            train_acc = train_acc.item()
            facts[f"train_{key}"], facts[f"test_{key}"] = train_acc, r.final.test_acc
            facts[f"gap_{key}"] = train_acc - r.final.test_acc
            curves[label] = {"train": r.curve("train_acc"), "test": r.curve("test_acc")}
            total += r.wall_time
            rows.append((label, f"{train_acc:.1%}", f"{r.final.test_acc:.1%}", f"{facts[f'gap_{key}']:.1%}"))
        return Outcome(("network", "train acc", "test acc", "gap"), tuple(rows), facts, curves,
                       device=str(device), wall_time=total)

    def plot(self, outcome: Outcome, path) -> None:
        from quizgen.labs.plots import figure, percent, save

        fig, (ax,) = figure(width=7)
        colors = dict(zip(VARIANTS, ("tab:red", "tab:blue")))
        for label, curve in outcome.curves.items():
            epochs = range(1, len(curve["train"]) + 1)
            ax.plot(epochs, curve["train"], "--", color=colors[label], label=f"{label}: train (noisy labels)")
            ax.plot(epochs, curve["test"], "-", color=colors[label], label=f"{label}: test")
        ax.set(title=f"{N_TRAIN} training digits, {NOISE:.0%} of labels noisy", xlabel="epoch",
               ylabel="accuracy (train: running mean during the epoch)")
        percent(ax)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
        save(fig, path)
