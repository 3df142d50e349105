"""Lab mlp-vs-cnn: an MLP, a small CNN, and the same CNN on pixel-permuted digits.

    MLP:        64 → 128 → 128 → 10 (ReLU)
    CNN:        conv 32@3×3 → pool 2 → conv 64@3×3 → pool 2 → fc 10 (nets.small_cnn)
    permuted:   every image's 64 pixels reordered by one fixed torch.randperm(64)

A permutation keeps every pixel value, so the MLP (which has no notion of neighbours) is
unaffected by it in principle; the CNN's 3×3 kernels assume that neighbouring pixels are
related, which the permutation destroys.  Adam, cross-entropy, batch 32, same seed.
"""

from __future__ import annotations

from quizgen.labs import Lab, LabConfig, Outcome, Prediction, band, band_above, register_lab, within
from quizgen.model import t

MODELS = ("mlp", "cnn", "cnn-permuted")


@register_lab
class MlpVsCnn(Lab):
    name = "mlp-vs-cnn"
    title = t("MLP vs CNN on digits, and a CNN on shuffled pixels", "数字图像上的 MLP 与 CNN，以及像素打乱后的 CNN")
    summary = t("Does local connectivity help, and what happens when the pixels are shuffled?",
                "局部连接有帮助吗？把像素打乱之后又会怎样？")
    epochs = 30
    quick_epochs = 8

    def predictions(self) -> tuple[Prediction, ...]:
        def best(o: Outcome) -> list[str]:
            top = max(o.facts[f"acc_{m}"] for m in MODELS)
            return [letter for letter, m in zip("abc", MODELS) if o.facts[f"acc_{m}"] >= top - 1e-9]

        def drop(o: Outcome) -> list[str]:
            d = o.facts["acc_cnn"] - o.facts["acc_cnn-permuted"]
            return ["d" if d < 0 and not within(d, 0.01) else band_above(d, [0.01, 0.05])]

        f = lambda o, m: f"{o.facts['acc_' + m]:.1%}"  # noqa: E731
        return (
            Prediction("a", t("Which model reaches the highest test accuracy?", "哪个模型的测试准确率最高？"),
                       (t("the MLP", "MLP"), t("the CNN", "CNN"), t("the CNN on permuted pixels", "像素打乱后的 CNN")),
                       best,
                       lambda o: t(f"MLP {f(o, 'mlp')}, CNN {f(o, 'cnn')}, permuted CNN {f(o, 'cnn-permuted')}. "
                                   "Weight sharing and local 3×3 kernels suit images: neighbouring pixels belong "
                                   "to the same stroke.",
                                   f"MLP {f(o, 'mlp')}，CNN {f(o, 'cnn')}，打乱像素的 CNN {f(o, 'cnn-permuted')}。"
                                   "权值共享和局部 3×3 卷积核适合图像：相邻像素属于同一笔画。")),
            Prediction("b", t("How does the CNN on permuted pixels compare with the CNN on the original images?",
                              "像素打乱后的 CNN 与原图上的 CNN 相比如何？"),
                       (t("about the same (within 1 point)", "差不多（相差 1 个百分点以内）"),
                        t("1 to 5 points lower", "低 1 到 5 个百分点"),
                        t("more than 5 points lower", "低 5 个百分点以上"),
                        t("more than 1 point higher", "高 1 个百分点以上")),
                       drop,
                       lambda o: t(f"{f(o, 'cnn')} → {f(o, 'cnn-permuted')}. The permutation keeps every pixel but "
                                   "scatters neighbours, so the conv kernels see unrelated pixels: the CNN loses "
                                   "its advantage and does no better than an MLP.",
                                   f"{f(o, 'cnn')} → {f(o, 'cnn-permuted')}。打乱保留了每个像素，但把相邻像素分散了，"
                                   "卷积核看到的是互不相关的像素：CNN 失去优势，不比 MLP 好。")),
            Prediction("c", t("The CNN's test accuracy on the original digits will be…", "CNN 在原始数字图像上的测试准确率为……"),
                       (t("below 90%", "低于 90%"), t("90% to 95%", "90% 到 95%"), t("95% to 98%", "95% 到 98%"),
                        t("98% or more", "98% 或更高")),
                       lambda o: [band(o.facts["acc_cnn"], [0.90, 0.95, 0.98])],
                       lambda o: t(f"It reached {f(o, 'cnn')} on {o.facts['n_test']} held-out digits "
                                   f"after {o.facts['epochs']} epochs.",
                                   f"在 {o.facts['n_test']} 张留出的数字图像上，{o.facts['epochs']} 轮后达到 {f(o, 'cnn')}。")),
        )

    def run(self, config: LabConfig) -> Outcome:
        from quizgen.labs import data, nets
        from quizgen.labs.trainer import optimizer, pick_device, seed_all, train

        device = pick_device(config.device)
        epochs = self.epochs_for(config)
        train_set, test_set = data.digits(config.seed)
        perm = data.pixel_permutation(config.seed + 1)
        builders = {"mlp": lambda: nets.mlp(64, 128, 2), "cnn": lambda: nets.small_cnn((32, 64)),
                    "cnn-permuted": lambda: nets.small_cnn((32, 64))}
        results, facts, rows = {}, {"epochs": epochs, "n_test": len(test_set[0])}, []
        for name in MODELS:
            seed_all(config.seed)
            model = builders[name]()
            sets = (train_set, test_set) if name != "cnn-permuted" else (
                data.permute_pixels(train_set, perm), data.permute_pixels(test_set, perm))
            r = train(model, *sets, epochs=epochs, optimizer=optimizer("adam", 2e-3), batch_size=32,
                      seed=config.seed, device=device, label=name, quiet=config.quiet)
            results[name] = r
            params = sum(p.numel() for p in model.parameters())
            facts[f"acc_{name}"] = r.final.test_acc
            facts[f"params_{name}"] = params
            rows.append((name, f"{params:,}", f"{r.final.train_acc:.1%}", f"{r.final.test_acc:.1%}", f"{r.wall_time:.1f}"))
        return Outcome(("model", "parameters", "train acc", "test acc", "time (s)"), tuple(rows), facts,
                       {name: r.curve("test_acc") for name, r in results.items()},
                       device=str(device), wall_time=sum(r.wall_time for r in results.values()))

    def plot(self, outcome: Outcome, path) -> None:
        from quizgen.labs.plots import figure, percent, save

        fig, (ax,) = figure()
        for name, curve in outcome.curves.items():
            ax.plot(range(1, len(curve) + 1), curve, marker="o", markersize=3, label=name)
        ax.set(title="Test accuracy on 8×8 digits", xlabel="epoch", ylabel="test accuracy")
        percent(ax)
        ax.grid(alpha=0.3)
        ax.legend(title="model")
        save(fig, path)
