"""Lab rnn-vs-lstm: remember the first token of a sequence of length T.

    x_1..x_T one-hot tokens from a vocabulary of 4 (uniformly random) plus a start flag
    that marks x_1; label y = x_1
    model: nn.RNN (tanh) or nn.LSTM, hidden 32, Linear on the last hidden state h_T

Chance is 25%.  To answer, the network must carry x_1 through T−1 updates.  In a plain RNN
the gradient back to step 1 is a product of T−1 Jacobians diag(1 − h_t²)·W_hh, which
shrinks (or explodes) geometrically; the LSTM's cell state c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
passes it on with factor f_t (forget-gate bias initialised to 3, so f ≈ 0.95 at first).  Adam, η = 0.003, batch 16.
"""

from __future__ import annotations

from quizgen.labs import Lab, LabConfig, Outcome, Prediction, at_least, register_lab, within
from quizgen.model import t

CELLS = ("rnn", "lstm")
VOCAB, HIDDEN = 4, 32


@register_lab
class RnnVsLstm(Lab):
    name = "rnn-vs-lstm"
    title = t("How far back can an RNN and an LSTM remember?", "RNN 与 LSTM 能记住多久之前的信息？")
    summary = t("Accuracy against sequence length T on 'the label is the first token', nn.RNN vs nn.LSTM.",
                "“标签是第一个词元”任务上准确率随序列长度 T 的变化：nn.RNN 与 nn.LSTM。")
    epochs = 12
    quick_epochs = 8
    lengths = (5, 10, 20, 30, 45)
    quick_lengths = (5, 10, 20, 30)

    def predictions(self) -> tuple[Prediction, ...]:
        def longest(o: Outcome) -> list[str]:
            rnn, lstm = o.facts["rnn_longest"], o.facts["lstm_longest"]
            return ["c"] if within(rnn - lstm, 0.05) else ["a" if rnn > lstm else "b"]

        def shortest(o: Outcome) -> list[str]:
            rnn, lstm = at_least(o.facts["rnn_shortest"], 0.95), at_least(o.facts["lstm_shortest"], 0.95)
            return ["a" if rnn and lstm else "b" if lstm else "c" if rnn else "d"]

        table = lambda o: "; ".join(f"T={T}: RNN {o.curves['acc']['rnn'][i]:.0%}, LSTM {o.curves['acc']['lstm'][i]:.0%}"  # noqa: E731
                                    for i, T in enumerate(o.curves["lengths"]))
        return (
            Prediction("a", t("At the longest sequence length, which model is more accurate?",
                              "在最长的序列长度上，哪个模型更准确？"),
                       (t("the RNN", "RNN"), t("the LSTM", "LSTM"), t("about the same (within 5 points)", "差不多（相差 5 个百分点以内）")),
                       longest,
                       lambda o: t(f"{table(o)} (chance 25%). The LSTM's cell state carries the first token forward "
                                   "through its forget gate; the RNN's gradient to step 1 is a product of T−1 Jacobians "
                                   "and fades.",
                                   f"{table(o)}（随机猜测 25%）。LSTM 的细胞状态通过遗忘门把第一个词元一直传下去；"
                                   "RNN 到第 1 步的梯度是 T−1 个雅可比矩阵之积，会逐渐消失。")),
            Prediction("b", t("At the shortest length (T = 5), which models reach 95% test accuracy?",
                              "在最短长度（T = 5）上，哪些模型的测试准确率达到 95%？"),
                       (t("both", "两者都达到"), t("only the LSTM", "只有 LSTM"), t("only the RNN", "只有 RNN"),
                        t("neither", "都没有")),
                       shortest,
                       lambda o: t(f"T = {o.curves['lengths'][0]}: RNN {o.facts['rnn_shortest']:.0%}, LSTM "
                                   f"{o.facts['lstm_shortest']:.0%}. Over a few steps a plain RNN remembers well enough.",
                                   f"T = {o.curves['lengths'][0]}：RNN {o.facts['rnn_shortest']:.0%}，LSTM "
                                   f"{o.facts['lstm_shortest']:.0%}。只隔几步时，普通 RNN 也记得住。")),
        )

    def run(self, config: LabConfig) -> Outcome:
        from quizgen.labs import data, nets
        from quizgen.labs.trainer import optimizer, pick_device, seed_all, train

        device = pick_device(config.device)
        epochs = self.epochs_for(config)
        lengths = self.quick_lengths if config.quick else self.lengths
        n_train = 1000 if config.quick else 2000
        acc: dict[str, list[float]] = {c: [] for c in CELLS}
        rows, total = [], 0.0
        for T in lengths:
            train_set = data.first_token(n_train, T, VOCAB, config.seed * 1000 + 2 * T)
            test_set = data.first_token(500, T, VOCAB, config.seed * 1000 + 2 * T + 1)
            row = [str(T)]
            for cell in CELLS:
                seed_all(config.seed)
                model = nets.SequenceClassifier(cell, VOCAB + 1, HIDDEN, VOCAB, forget_bias=3.0)
                r = train(model, train_set, test_set, epochs=epochs, optimizer=optimizer("adam", 3e-3),
                          batch_size=16, seed=config.seed, device=device, label=f"{cell} T={T}", quiet=config.quiet)
                acc[cell].append(r.final.test_acc)
                total += r.wall_time
                row.append(f"{r.final.test_acc:.1%}")
            rows.append(tuple(row))
        facts = {"epochs": epochs, "lengths": list(lengths)}
        for cell in CELLS:
            facts[f"{cell}_shortest"], facts[f"{cell}_longest"] = acc[cell][0], acc[cell][-1]
        return Outcome(("T", "RNN test acc", "LSTM test acc"), tuple(rows), facts,
                       {"lengths": list(lengths), "acc": acc}, device=str(device), wall_time=total)

    def plot(self, outcome: Outcome, path) -> None:
        from quizgen.labs.plots import figure, percent, save

        fig, (ax,) = figure()
        lengths = outcome.curves["lengths"]
        for cell, label in (("rnn", "nn.RNN (tanh)"), ("lstm", "nn.LSTM")):
            ax.plot(lengths, outcome.curves["acc"][cell], "-o", label=label)
        ax.axhline(1 / VOCAB, color="gray", linestyle=":", label="chance (25%)")
        ax.set(title=f"Recall the first token ({outcome.facts['epochs']} epochs each)",
               xlabel="sequence length T", ylabel="test accuracy", ylim=(0, 1.05))
        ax.set_xticks(lengths)
        percent(ax)
        ax.grid(alpha=0.3)
        ax.legend()
        save(fig, path)
