"""Lab residual: a deep plain MLP against the same depth with skip connections.

    plain:     Linear 64→64, ReLU, then 10 blocks [Linear, ReLU, Linear, ReLU], Linear 64→10
    residual:  the same, with each block computing x + W₂·ReLU(W₁·x)        (22 Linear layers)

PyTorch's default initialisation, SGD with momentum 0.9, η = 0.01, batch 32.  In the plain
net the signal and the gradient are multiplied by every layer in turn and die out, so it
stays at chance (loss ln 10 ≈ 2.303); the identity path of each residual block carries
them through unchanged, so depth no longer blocks training.
"""

from __future__ import annotations

import math

from quizgen.labs import Lab, LabConfig, Outcome, Prediction, band, register_lab, within
from quizgen.model import t

BLOCKS, WIDTH = 10, 64
KINDS = ("plain", "residual")


@register_lab
class Residual(Lab):
    name = "residual"
    title = t("Residual connections make deep networks trainable", "残差连接让深层网络可以训练")
    summary = t("A 22-layer plain MLP against the same depth with skip connections.",
                "22 层普通 MLP 与同样深度、带跳跃连接的网络。")
    epochs = 20
    quick_epochs = 5

    def predictions(self) -> tuple[Prediction, ...]:
        def better(o: Outcome) -> list[str]:
            a, b = o.facts["acc_plain"], o.facts["acc_residual"]
            return ["c"] if within(a - b, 0.02) else ["a" if a > b else "b"]

        return (
            Prediction("a", t("Which network reaches the higher test accuracy?", "哪个网络的测试准确率更高？"),
                       (t("the plain network", "普通网络"), t("the residual network", "残差网络"),
                        t("about the same (within 2 points)", "差不多（2 个百分点以内）")),
                       better,
                       lambda o: t(f"Plain {o.facts['acc_plain']:.1%}, residual {o.facts['acc_residual']:.1%} "
                                   f"after {o.facts['epochs']} epochs. The identity path lets signal and gradient "
                                   "pass every block unchanged.",
                                   f"{o.facts['epochs']} 轮后：普通网络 {o.facts['acc_plain']:.1%}，残差网络 "
                                   f"{o.facts['acc_residual']:.1%}。恒等路径让信号和梯度原样穿过每个块。")),
            Prediction("b", t("The plain network's final training loss will be… (chance level is ln 10 ≈ 2.303)",
                              "普通网络最终的训练损失为……（随机水平为 ln 10 ≈ 2.303）"),
                       (t("below 1.0", "低于 1.0"), t("1.0 to 2.2", "1.0 到 2.2"), t("2.2 or more: stuck near chance",
                                                                                   "2.2 或更高：停在随机水平附近")),
                       lambda o: [band(o.facts["loss_plain"], [1.0, 2.2])],
                       lambda o: t(f"Plain {o.facts['loss_plain']:.3f}, residual {o.facts['loss_residual']:.3f} "
                                   f"(ln 10 = {math.log(10):.3f}).",
                                   f"普通网络 {o.facts['loss_plain']:.3f}，残差网络 {o.facts['loss_residual']:.3f}"
                                   f"（ln 10 = {math.log(10):.3f}）。")),
        )

    def run(self, config: LabConfig) -> Outcome:
        from quizgen.labs import data, nets
        from quizgen.labs.trainer import optimizer, pick_device, seed_all, train

        device = pick_device(config.device)
        epochs = self.epochs_for(config)
        train_set, test_set = data.digits(config.seed)
        facts, rows, curves, total = {"epochs": epochs, "layers": 2 * BLOCKS + 2}, [], {}, 0.0
        for kind in KINDS:
            seed_all(config.seed)
            model = nets.deep_net(64, WIDTH, BLOCKS, residual=kind == "residual")
            r = train(model, train_set, test_set, epochs=epochs, optimizer=optimizer("momentum", 0.01),
                      batch_size=32, seed=config.seed, device=device, label=kind, quiet=config.quiet)
            facts[f"loss_{kind}"], facts[f"acc_{kind}"] = r.final.train_loss, r.final.test_acc
            curves[kind] = r.curve("train_loss")
            total += r.wall_time
            rows.append((kind, str(2 * BLOCKS + 2), f"{r.final.train_loss:.3f}", f"{r.final.test_acc:.1%}",
                         f"{r.wall_time:.1f}"))
        return Outcome(("network", "Linear layers", "train loss", "test acc", "time (s)"), tuple(rows), facts,
                       curves, device=str(device), wall_time=total)

    def plot(self, outcome: Outcome, path) -> None:
        from quizgen.labs.plots import figure, save

        fig, (ax,) = figure()
        for kind, curve in outcome.curves.items():
            ax.plot(range(1, len(curve) + 1), curve, "-o", markersize=3, label=f"{kind} ({outcome.facts['layers']} layers)")
        ax.axhline(math.log(10), color="gray", linestyle=":", label="chance: ln 10")
        ax.set(title="Training loss of a deep MLP, plain vs residual", xlabel="epoch",
               ylabel="mean training cross-entropy")
        ax.grid(alpha=0.3)
        ax.legend()
        save(fig, path)
