"""Ensembles: averaging, majority voting, and how much averaging reduces the error.

    averaging        ȳ = (1/k) Σ_i y_i                          (k models)
    majority vote    the most frequent class; a tie goes to the smaller label (scikit-learn's hard voting)
    error of ȳ       E[(1/k Σ ε_i)²] = v/k + (k − 1)c/k          (Goodfellow et al., Deep Learning §7.11:
                     errors of variance v and covariance c; independent errors c = 0 give v/k, perfectly
                     correlated ones c = v give v: no gain)

solvers/basics_ref.py: torch mean, bincount().argmax(), and 1ᵀΣ1/k² for the covariance matrix
Σ = c·11ᵀ + (v − c)I.
"""

from __future__ import annotations

from collections import Counter

from problems import _backprop as B
from problems._basics import BuiltFamily, Parts
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.registry import register


def vote(labels: list[int]) -> int:
    counts = Counter(labels)
    best = max(counts.values())
    return min(k for k, n in counts.items() if n == best)


@register
class Ensemble(BuiltFamily):
    name = "basics.ensemble"
    topic = "basics"
    version = 1
    title = t("Ensembles: averaging and voting", "集成：平均与投票")
    summary = t("Average of k models' predictions, majority vote, and the error of the average, v/k + (k−1)c/k.",
                "k 个模型预测的平均、多数投票，以及平均后的误差 v/k + (k−1)c/k。")
    example = "quizgen solve basics.ensemble --set preds='[2.1, 1.8, 2.4]' --set votes='[1, 0, 1]' --set v=0.9"
    conventions = (t("A voting tie goes to the smaller class label (as scikit-learn's hard voting).",
                     "投票平局时取较小的类别标签（与 scikit-learn 的硬投票一致）。"),
                   t("Each model's error has variance v; c is the covariance between two models' errors.",
                     "每个模型误差的方差为 v；c 是两个模型误差之间的协方差。"))
    params = (
        P.vector("preds", "the models' predictions (regression)", (2, 8), -1e6, 1e6, "[2.1, 1.8, 2.4]"),
        P.vector("votes", "the models' predicted classes (classification)", (2, 8), 0, 99, "[1, 0, 1]"),
        P.real("v", "the variance of each model's error", 0, 1e6, "0.9"),
        P.real("c", "the covariance between two models' errors", -1e6, 1e6, "0", default=0.0),
        P.integer("decimals", "decimal places of the answers", 1, 9, "4", default=4),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        k = {"easy": 3, "medium": 4, "hard": 5}[difficulty]

        def draw() -> dict:
            return {"preds": [int(rng.integers(10, 40)) / 10 for _ in range(k)],
                    "votes": [int(rng.integers(0, 3)) for _ in range(k)],
                    "v": pick([0.8, 1.2, 2.0, 0.5]), "c": 0.0 if difficulty == "easy" else pick([0.1, 0.2, 0.3]),
                    "decimals": 4}
        return redraw(draw, lambda p: len(set(p["votes"])) > 1 and p["c"] < p["v"])

    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        if any(float(v) != int(v) for v in p["votes"]):
            raise QuizgenError("votes: class labels are whole numbers, like [1, 0, 1]")
        p["votes"] = [int(v) for v in p["votes"]]
        if abs(p["c"]) > p["v"]:
            raise QuizgenError("c: a covariance cannot exceed the variance v in size")
        return p

    def render(self, p: dict, lang: str) -> str:
        k, preds, votes = len(p["preds"]), B.vec(p["preds"]), B.vec(p["votes"])
        v, c = B.num(p["v"]), B.num(p["c"])
        if lang == "zh":
            corr = f"，任意两个模型误差的协方差为 $c = {c}$" if p["c"] else "，各模型的误差相互独立"
            return (f"{k} 个回归模型对同一输入的预测为 {preds}；{len(p['votes'])} 个分类模型预测的类别为 {votes}。"
                    f"求平均预测与多数投票的结果（平局取较小的标签）。每个回归模型误差的方差为 $v = {v}${corr}："
                    f"求平均预测的期望平方误差 $E[(\\frac{{1}}{{k}}\\sum_i \\varepsilon_i)^2]$"
                    + ("，以及误差独立时的值。" if p["c"] else "。"))
        corr = f", and any two models' errors have covariance $c = {c}$" if p["c"] else "; the errors are independent"
        return (f"{k} regression models predict {preds} for the same input; {len(p['votes'])} classifiers predict the "
                f"classes {votes}. Give the averaged prediction and the majority vote (a tie goes to the smaller "
                f"label). Each regression model's error has variance $v = {v}${corr}: give the expected squared error "
                "of the averaged prediction, $E[(\\frac{1}{k}\\sum_i \\varepsilon_i)^2]$"
                + (", and its value if the errors were independent." if p["c"] else "."))

    def build(self, p: dict, out: Parts) -> None:
        d, preds, votes = p["decimals"], p["preds"], p["votes"]
        k, v, c = len(preds), p["v"], p["c"]
        mean = sum(preds) / k
        out.work(t(f"$\\bar y = {B.num(sum(preds), d)}/{k} = {B.num(mean, d)}$"))
        wrong = [(sum(preds), "sum", t("Average: divide the sum by k.", "平均要除以 k。"))]
        if k % 2:
            wrong.append((sorted(preds)[k // 2], "median", t("That is the median, not the mean.", "那是中位数，不是平均数。")))
        out.add("real", t("the averaged prediction", "平均预测"), mean, decimals=d, wrong=wrong)
        counts = Counter(votes)
        winner = vote(votes)
        out.work(t(f"Votes per class: {dict(sorted(counts.items()))}; the majority is {winner}.",
                   f"各类得票：{dict(sorted(counts.items()))}；多数为 {winner}。"))
        out.add("integer", t("the majority vote", "多数投票的结果"), winner,
                wrong=[(round(sum(votes) / len(votes)), "averaged_labels", t("Count the votes; do not average the labels.",
                                                                             "要数票，而不是对标签取平均。"))])
        err = v / k + (k - 1) * c / k
        out.work(t(f"$E = \\frac{{v}}{{k}} + \\frac{{k-1}}{{k}} c = {B.num(v)}/{k} + {k - 1}/{k} \\cdot {B.num(c)} = {B.num(err, d)}$"))
        out.add("real", t("the expected squared error of the average", "平均预测的期望平方误差"), err, decimals=d,
                wrong=[(v / k, "ignored_covariance", t("Correlated errors add (k − 1)c/k.", "误差相关时要加上 (k − 1)c/k。")),
                       (v / k ** 2, "divided_twice", t("Var(Σε/k) = (1/k²)·k·v = v/k for independent errors.",
                                                       "独立误差时 Var(Σε/k) = (1/k²)·k·v = v/k。")),
                       (v, "no_reduction", t("Averaging does reduce the error unless the errors are perfectly correlated.",
                                             "除非误差完全相关，平均确实会减小误差。"))])
        if c:
            out.work(t(f"Independent errors: $v/k = {B.num(v / k, d)}$", f"误差独立时：$v/k = {B.num(v / k, d)}$"))
            out.add("real", t("the same if the errors were independent", "若误差相互独立，该值为"), v / k, decimals=d,
                    wrong=[(v / k ** 2, "divided_twice", t("Var(Σε/k) = v/k for independent errors.", "独立误差时 Var(Σε/k) = v/k。"))])
