"""Lab vanishing-gradients: a deep sigmoid MLP against a deep ReLU MLP.

    10 Linear layers: 64 → 64 (×9) → 10; sigmoid with Xavier init, ReLU with He init
    gradient norm of layer l: ‖∂E/∂W_l‖_F on the whole training set (one backward pass)

Backpropagation multiplies by σ'(z) ≤ 1/4 at every sigmoid layer, so the gradient reaching
the first layers shrinks geometrically with depth; ReLU's derivative is 1 where it is active.
Both nets train with plain SGD (η = 0.05, batch 32) from their textbook initialisations.
"""

from __future__ import annotations

from quizgen.labs import Lab, LabConfig, Outcome, Prediction, band, register_lab
from quizgen.model import t

NETS = {"sigmoid": "xavier", "relu": "he"}
DEPTH = 9  # hidden layers, so 10 Linear layers


def layer_grad_norms(model, data) -> list[float]:
    """‖∂E/∂W‖ of each Linear layer for the mean cross-entropy over `data`."""
    from quizgen.labs.nets import linear_layers
    from quizgen.labs.trainer import cross_entropy

    model.zero_grad()
    cross_entropy(model(data[0]), data[1]).backward()
    import torch

    norms = torch.stack([layer.weight.grad.norm() for layer in linear_layers(model)]).tolist()
    model.zero_grad()
    return norms


@register_lab
class VanishingGradients(Lab):
    name = "vanishing-gradients"
    title = t("Vanishing gradients: a deep sigmoid net against a deep ReLU net", "梯度消失：深层 sigmoid 网络与深层 ReLU 网络")
    summary = t("How large is each layer's gradient in a 10-layer sigmoid vs ReLU MLP?",
                "10 层 sigmoid 与 ReLU 网络中，各层梯度有多大？")
    epochs = 30
    quick_epochs = 8

    def predictions(self) -> tuple[Prediction, ...]:
        def where(o: Outcome) -> list[str]:
            norms = o.curves["init"]["sigmoid"]
            i = max(range(len(norms)), key=norms.__getitem__)
            return ["a" if i == 0 else "c" if i == len(norms) - 1 else "b"]

        ratio = lambda o: o.facts["first_relu"] / o.facts["first_sigmoid"]  # noqa: E731
        return (
            Prediction("a", t("At initialisation, the first layer's gradient norm in the ReLU net is how many times "
                              "that of the sigmoid net?", "初始化时，ReLU 网络第一层的梯度范数是 sigmoid 网络的多少倍？"),
                       (t("less than 10×", "不到 10 倍"), t("10× to 1,000×", "10 到 1000 倍"),
                        t("1,000× to 100,000×", "1000 到 100000 倍"), t("100,000× or more", "100000 倍或更多")),
                       lambda o: [band(ratio(o), [10, 1e3, 1e5])],
                       lambda o: t(f"First layer: ReLU {o.facts['first_relu']:.2e}, sigmoid "
                                   f"{o.facts['first_sigmoid']:.2e} — {ratio(o):.1e}×. Each sigmoid layer multiplies "
                                   "the backward signal by σ'(z) ≤ 1/4; nine of them shrink it geometrically.",
                                   f"第一层：ReLU {o.facts['first_relu']:.2e}，sigmoid {o.facts['first_sigmoid']:.2e}"
                                   f"——相差 {ratio(o):.1e} 倍。每个 sigmoid 层把反向信号乘以 σ'(z) ≤ 1/4，"
                                   "九层下来按几何级数衰减。")),
            Prediction("b", t("In the sigmoid net at initialisation, which layer has the largest gradient norm?",
                              "初始化时，sigmoid 网络中哪一层的梯度范数最大？"),
                       (t("the first layer", "第一层"), t("a middle layer", "中间某层"), t("the last layer", "最后一层")),
                       where,
                       lambda o: t("Sigmoid net, layer 1 → 10: " + ", ".join(f"{v:.0e}" for v in o.curves["init"]["sigmoid"])
                                   + ". The gradient is largest next to the loss and fades towards the input.",
                                   "sigmoid 网络第 1 → 10 层：" + ", ".join(f"{v:.0e}" for v in o.curves["init"]["sigmoid"])
                                   + "。梯度在靠近损失处最大，向输入方向逐渐消失。")),
            Prediction("c", t("After training, the sigmoid net's test accuracy will be…", "训练后 sigmoid 网络的测试准确率为……"),
                       (t("below 20% (chance is 10%)", "低于 20%（随机猜测为 10%）"), t("20% to 80%", "20% 到 80%"),
                        t("80% or more", "80% 或更高")),
                       lambda o: [band(o.facts["acc_sigmoid"], [0.2, 0.8])],
                       lambda o: t(f"Sigmoid {o.facts['acc_sigmoid']:.1%}, ReLU {o.facts['acc_relu']:.1%} after "
                                   f"{o.facts['epochs']} epochs of SGD: with almost no gradient, the early layers "
                                   "barely move.",
                                   f"{o.facts['epochs']} 轮 SGD 后：sigmoid {o.facts['acc_sigmoid']:.1%}，ReLU "
                                   f"{o.facts['acc_relu']:.1%}：前面几层几乎没有梯度，几乎不动。")),
        )

    def run(self, config: LabConfig) -> Outcome:
        from quizgen.labs import data, nets
        from quizgen.labs.trainer import optimizer, pick_device, seed_all, train

        device = pick_device(config.device)
        epochs = self.epochs_for(config)
        train_set, test_set = data.digits(config.seed)
        on_device = tuple(x.to(device) for x in train_set)
        facts, rows, total = {"epochs": epochs}, [], 0.0
        curves: dict = {"init": {}, "trained": {}, "loss": {}}
        for act, init in NETS.items():
            seed_all(config.seed)
            model = nets.mlp(64, 64, DEPTH, activation=act, init=init).to(device)
            before = layer_grad_norms(model, on_device)
            r = train(model, train_set, test_set, epochs=epochs, optimizer=optimizer("sgd", 0.05), batch_size=32,
                      seed=config.seed, device=device, label=act, quiet=config.quiet)
            after = layer_grad_norms(model, on_device)
            curves["init"][act], curves["trained"][act], curves["loss"][act] = before, after, r.curve("train_loss")
            facts[f"first_{act}"], facts[f"last_{act}"] = before[0], before[-1]
            facts[f"first_trained_{act}"] = after[0]
            facts[f"acc_{act}"] = r.final.test_acc
            total += r.wall_time
            rows.append((f"{act} ({init} init)", f"{before[0]:.2e}", f"{before[-1]:.2e}", f"{after[0]:.2e}",
                         f"{r.final.train_loss:.3f}", f"{r.final.test_acc:.1%}"))
        return Outcome(("network", "‖∇W₁‖ init", "‖∇W₁₀‖ init", "‖∇W₁‖ trained", "train loss", "test acc"),
                       tuple(rows), facts, curves, device=str(device), wall_time=total)

    def plot(self, outcome: Outcome, path) -> None:
        from quizgen.labs.plots import figure, save

        fig, (ax, ax2) = figure(2)
        colors = {"sigmoid": "tab:red", "relu": "tab:blue"}
        for act in NETS:
            for when, style in (("init", "-o"), ("trained", "--s")):
                norms = outcome.curves[when][act]
                label = f"{act}, {'at initialisation' if when == 'init' else 'after training'}"
                ax.plot(range(1, len(norms) + 1), norms, style, color=colors[act], markersize=4, label=label)
            loss = outcome.curves["loss"][act]
            ax2.plot(range(1, len(loss) + 1), loss, "-o", color=colors[act], markersize=3, label=act)
        ax.set(title="Gradient norm of each layer (10-layer MLP)", xlabel="layer (1 = next to the input)",
               ylabel="‖∂E/∂W‖ (log scale)", yscale="log")
        ax.set_xticks(range(1, DEPTH + 2))
        ax.grid(alpha=0.3, which="both")
        ax.legend()
        ax2.set(title="Training loss", xlabel="epoch", ylabel="mean training cross-entropy")
        ax2.grid(alpha=0.3)
        ax2.legend(title="activation")
        save(fig, path)
