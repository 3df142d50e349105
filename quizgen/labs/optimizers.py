"""Lab optimizers: SGD, momentum, RMSProp and Adam on the same network, data and seed.

    SGD        w ← w − η g                                        η = 0.05
    momentum   v ← 0.9 v + g;  w ← w − η v                        η = 0.05
    RMSProp    s ← 0.99 s + 0.01 g²;  w ← w − η g / (√s + ε)      η = 0.001
    Adam       m, v moving averages of g, g² (β 0.9, 0.999), bias-corrected;
               w ← w − η m̂ / (√v̂ + ε)                             η = 0.001

Network: MLP 64 → 64 → 64 → 10 (ReLU) on the 8×8 digits, batch 64, cross-entropy.  Each
optimizer starts from the identical initial weights and sees the batches in the same order.
"""

from __future__ import annotations

from quizgen.labs import Lab, LabConfig, Outcome, Prediction, at_least, band_above, register_lab
from quizgen.model import t

RATES = {"sgd": 0.05, "momentum": 0.05, "rmsprop": 1e-3, "adam": 1e-3}
NAMES = tuple(RATES)


def sgd_vs_adam(ratio: float) -> str:
    """a lower (< 1) · b within a factor of 2 (1 to 2) · c 2 to 10 times · d more than 10 times."""
    return "a" if not at_least(ratio, 1) else band_above(ratio, [2, 10], first="b")


@register_lab
class Optimizers(Lab):
    name = "optimizers"
    title = t("SGD, momentum, RMSProp and Adam on the same network", "同一网络上的 SGD、动量、RMSProp 与 Adam")
    summary = t("Which optimizer drives the training loss down fastest?", "哪种优化器让训练损失下降得最快？")
    epochs = 40
    quick_epochs = 10

    def predictions(self) -> tuple[Prediction, ...]:
        def lowest(o: Outcome) -> list[str]:
            low = min(o.facts[f"loss_{n}"] for n in NAMES)
            return [letter for letter, n in zip("abcd", NAMES) if o.facts[f"loss_{n}"] <= low * 1.0000001]

        losses = lambda o: ", ".join(f"{n} {o.facts['loss_' + n]:.3f}" for n in NAMES)  # noqa: E731
        return (
            Prediction("a", t("Which optimizer ends with the lowest training loss?", "哪种优化器最终的训练损失最低？"),
                       (t("SGD"), t("SGD with momentum", "带动量的 SGD"), t("RMSProp"), t("Adam")),
                       lowest,
                       lambda o: t(f"Final training losses: {losses(o)}. Momentum accumulates a velocity along "
                                   "consistent directions; RMSProp and Adam also scale each weight's step by its "
                                   "recent gradient size.",
                                   f"最终训练损失：{losses(o)}。动量沿一致的方向累积速度；RMSProp 和 Adam 还按"
                                   "每个权重最近的梯度大小缩放步长。")),
            Prediction("b", t("Plain SGD's final training loss, compared with Adam's, will be…",
                              "与 Adam 相比，普通 SGD 的最终训练损失会……"),
                       (t("lower", "更低"), t("within a factor of 2", "相差不超过 2 倍"),
                        t("2 to 10 times higher", "高 2 到 10 倍"), t("more than 10 times higher", "高 10 倍以上")),
                       lambda o: [sgd_vs_adam(o.facts["ratio_sgd_adam"])],
                       lambda o: t(f"SGD {o.facts['loss_sgd']:.3f} vs Adam {o.facts['loss_adam']:.3f}: "
                                   f"{o.facts['ratio_sgd_adam']:.1f}× after {o.facts['epochs']} epochs.",
                                   f"SGD {o.facts['loss_sgd']:.3f}，Adam {o.facts['loss_adam']:.3f}："
                                   f"{o.facts['epochs']} 轮后相差 {o.facts['ratio_sgd_adam']:.1f} 倍。")),
        )

    def run(self, config: LabConfig) -> Outcome:
        from quizgen.labs import data, nets
        from quizgen.labs.trainer import optimizer, pick_device, seed_all, train

        device = pick_device(config.device)
        epochs = self.epochs_for(config)
        train_set, test_set = data.digits(config.seed)
        facts, rows, curves, total = {"epochs": epochs}, [], {}, 0.0
        for name, lr in RATES.items():
            seed_all(config.seed)
            model = nets.mlp(64, 64, 2)
            r = train(model, train_set, test_set, epochs=epochs, optimizer=optimizer(name, lr), batch_size=64,
                      seed=config.seed, device=device, label=name, quiet=config.quiet)
            facts[f"loss_{name}"] = r.final.train_loss
            facts[f"acc_{name}"] = r.final.test_acc
            curves[name] = r.curve("train_loss")
            total += r.wall_time
            rows.append((name, f"{lr:g}", f"{r.final.train_loss:.4f}", f"{r.final.test_acc:.1%}", f"{r.wall_time:.1f}"))
        facts["ratio_sgd_adam"] = facts["loss_sgd"] / facts["loss_adam"]
        return Outcome(("optimizer", "learning rate", "final train loss", "test acc", "time (s)"), tuple(rows),
                       facts, curves, device=str(device), wall_time=total)

    def plot(self, outcome: Outcome, path) -> None:
        from quizgen.labs.plots import figure, save

        fig, (ax,) = figure()
        for name, curve in outcome.curves.items():
            ax.plot(range(1, len(curve) + 1), curve, marker="o", markersize=3, label=f"{name} (η={RATES[name]:g})")
        ax.set(title="Training loss per epoch (MLP on digits)", xlabel="epoch",
               ylabel="mean training cross-entropy (log scale)", yscale="log")
        ax.grid(alpha=0.3, which="both")
        ax.legend(title="optimizer")
        save(fig, path)
