"""One epoch of linear regression y = w x + b three ways: full batch, stochastic, mini-batches.

    batch loss   L_B = c · Σ_{i∈B} (w x_i + b − t_i)²,   c = 1/|B| (mean) or 1 (sum), times ½ if stated
    gradient     ∂L_B/∂w = 2c' Σ e_i x_i,  ∂L_B/∂b = 2c' Σ e_i,   e_i = w x_i + b − t_i,  c' = c (·½ → no 2)
    update       (w, b) ← (w, b) − η ∇L_B, once per batch, batches taken in the given order
    BGD: one update on all n points;  SGD: n updates, one point each;  mini-batch: ⌈n/k⌉ updates of k

Parts: the full-data loss before; (w, b) after every update of each variant; each variant's
full-data loss after the epoch; which variant made the most updates.  One trace: a slip in
an SGD step is carried into the later steps.  solvers/gd_ref.py: torch autograd + optim.SGD.
"""

from __future__ import annotations

from problems import _backprop as B
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import part_id, t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong

MOST = (
    t("SGD: one update per point, so the most steps per epoch; each is cheap but noisy (one point's gradient).",
      "SGD：每个样本更新一次，每轮的步数最多；每步计算量小，但带噪声（只用一个样本的梯度）。"),
    t("Full-batch GD: it uses every point, so it updates the most; each step is exact but costly.",
      "全批量 GD：用到所有样本，所以更新次数最多；每步精确但计算量大。"),
    t("Mini-batch GD: a compromise, so it makes the most updates.", "小批量 GD：折中方案，所以更新次数最多。"),
    t("All three make the same number of updates; only the step sizes differ.", "三者更新次数相同，只是步长不同。"),
)


def batches(n: int, k: int) -> list[list[int]]:
    return [list(range(i, min(i + k, n))) for i in range(0, n, k)]


def batch_loss(p: dict, w: float, b: float, idx: list[int]) -> float:
    sq = sum((w * p["x"][i] + b - p["t"][i]) ** 2 for i in idx)
    return sq * (1 / len(idx) if p["loss"] == "mean" else 1) * (0.5 if p["half"] else 1)


def gradient(p: dict, w: float, b: float, idx: list[int], factor: float = 1.0) -> tuple[float, float]:
    c = (1 / len(idx) if p["loss"] == "mean" else 1) * (1 if p["half"] else 2) * factor
    e = [w * p["x"][i] + b - p["t"][i] for i in idx]
    return c * sum(ei * p["x"][i] for ei, i in zip(e, idx)), c * sum(e)


@register
class BatchVariants(TraceFamily):
    name = "gd.batch_variants"
    topic = "gd"
    version = 1
    title = t("Batch, stochastic and mini-batch gradient descent", "批量、随机与小批量梯度下降")
    summary = t("One epoch of linear regression three ways: every update, the loss before and after.",
                "线性回归的一轮训练，三种方式：每次更新后的参数，以及训练前后的损失。")
    example = "quizgen solve gd.batch_variants --set x='[1, 2, 3]' --set t='[2, 3, 5]' --set eta=0.1"
    conventions = (
        t("The statement says whether a batch's loss is the mean or the sum of its squared errors, and whether it has ½.",
          "题目会说明一个批次的损失是平方误差的平均还是总和，以及是否带 ½。"),
        t("Batches are taken in the given order (no shuffling); each update uses the parameters left by the previous one.",
          "按给定顺序取批次（不打乱）；每次更新都从上一次更新后的参数出发。"),
    )
    params = (
        P.vector("x", "the inputs", (2, 6), -100, 100, "[1, 2, 3]"),
        P.vector("t", "the targets", (2, 6), -100, 100, "[2, 3, 5]"),
        P.real("w", "the initial weight", -100, 100, "0", default=0.0),
        P.real("b", "the initial bias", -100, 100, "0", default=0.0),
        P.real("eta", "the learning rate η", 0, 10, "0.1"),
        P.choice("loss", "mean or sum of the squared errors over a batch", ("mean", "sum"), default="mean"),
        P.boolean("half", "the loss has a factor ½", default=True),
        P.integer("batch", "the mini-batch size", 2, 6, "2", default=2),
        P.integer("decimals", "decimal places of the answers", 1, 9, "4", default=4),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        n = 3 if difficulty == "easy" else 4

        def draw() -> dict:
            return {"x": [float(v) for v in rng.choice([-2, -1, 1, 2, 3], n, replace=False)],
                    "t": [float(rng.integers(-3, 6)) for _ in range(n)], "w": float(rng.integers(-1, 2)),
                    "b": float(rng.integers(-1, 2)), "eta": pick([0.1, 0.05]) if difficulty != "hard" else pick([0.1, 0.2]),
                    "loss": "mean" if difficulty == "easy" else pick(["mean", "sum"]),
                    "half": difficulty != "hard" or bool(rng.integers(2)), "batch": 2, "decimals": 4}

        def ok(p: dict) -> bool:
            all_ = list(range(n))
            return batch_loss(p, p["w"], p["b"], all_) > 0.5 and all(abs(v) < 50 for v in self._final(p))
        return redraw(draw, ok)

    def _final(self, p: dict) -> list[float]:
        return [v for part in self.solve(p).parts if part.kind == "vector" for v in part.answer]

    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        if len(p["t"]) != len(p["x"]):
            raise QuizgenError(f"t: expected {len(p['x'])} targets, one per input")
        if p["batch"] > len(p["x"]):
            raise QuizgenError(f"batch: at most the {len(p['x'])} points")
        return p

    def render(self, p: dict, lang: str) -> str:
        pts = ", ".join(f"({B.num(x)}, {B.num(v)})" for x, v in zip(p["x"], p["t"]))
        half = "\\frac{1}{2}" if p["half"] else ""
        red = f"{half}\\frac{{1}}{{|B|}}\\sum_{{i \\in B}}" if p["loss"] == "mean" else f"{half}\\sum_{{i \\in B}}"
        formula = f"$L_B = {red} (w x_i + b - t_i)^2$"
        k, n = p["batch"], len(p["x"])
        if lang == "zh":
            kind = "平均" if p["loss"] == "mean" else "总和"
            return (f"用 $y = w x + b$ 拟合 {n} 个点 $(x, t)$：{pts}。初值 $w = {B.num(p['w'])}$，$b = {B.num(p['b'])}$，"
                    f"学习率 $\\eta = {B.num(p['eta'])}$。一个批次 B 的损失为 {formula}（批内平方误差的{kind}）。"
                    f"按给定顺序训练一轮（不打乱），分别用：全批量 GD（一次更新）、SGD（每个点一次）、"
                    f"大小为 {k} 的小批量。写出全部数据上的初始损失（同样的约简方式），每次更新后的 $[w, b]$，"
                    "每种方式一轮后全部数据上的损失，并回答哪种方式更新次数最多。")
        kind = "mean" if p["loss"] == "mean" else "sum"
        return (f"Fit $y = w x + b$ to the {n} points $(x, t)$: {pts}. Start from $w = {B.num(p['w'])}$, "
                f"$b = {B.num(p['b'])}$ with $\\eta = {B.num(p['eta'])}$. A batch B has the loss {formula} (the {kind} "
                f"of its squared errors). Run one epoch in the given order (no shuffling) three ways: full-batch GD "
                f"(one update), SGD (one update per point) and mini-batches of {k}. Give the loss on all the data before "
                "training (same reduction), $[w, b]$ after every update, each variant's loss on all the data after "
                "the epoch, and which variant made the most updates.")

    def trace(self, p: dict):
        d, n, eta = p["decimals"], len(p["x"]), p["eta"]
        everything = list(range(n))
        start = batch_loss(p, p["w"], p["b"], everything)
        yield Work(t(f"Loss before: $L = {B.num(start, d)}$", f"训练前的损失：$L = {B.num(start, d)}$"))
        yield Value("real", t("the loss on all the data before training", "训练前全部数据上的损失"), start, decimals=d,
                    step=1, column="L0", wrong=tuple(self._loss_slips(p, p["w"], p["b"], everything)))
        finals = []
        for row, (label, zh, size) in enumerate((("BGD", "BGD", n), ("SGD", "SGD", 1),
                                                  ("mini-batch", "小批量", p["batch"])), 2):
            w, b = p["w"], p["b"]
            for k, idx in enumerate(batches(n, size), 1):
                gw, gb = gradient(p, w, b, idx)
                new = [w - eta * gw, b - eta * gb]
                pts = ", ".join(str(i + 1) for i in idx)
                yield Work(t(f"{label} update {k} (point{'s' if len(idx) > 1 else ''} {pts}): $\\partial L/\\partial w = {B.num(gw, d)}$, "
                             f"$\\partial L/\\partial b = {B.num(gb, d)}$, $[w, b] = {B.vec(new, d)}$",
                             f"{zh} 第 {k} 次更新（点 {pts}）：$\\partial L/\\partial w = {B.num(gw, d)}$，"
                             f"$\\partial L/\\partial b = {B.num(gb, d)}$，$[w, b] = {B.vec(new, d)}$"))
                w, b = yield (Value("vector", t(f"$[w, b]$ after {label} update {k}", f"{zh} 第 {k} 次更新后的 $[w, b]$"),
                                   new, decimals=d, step=row, column=f"{label} {k}", wrong=tuple(self._step_slips(p, w, b, idx, new))))
            finals.append((label, zh, w, b))
        for label, zh, w, b in finals:
            after = batch_loss(p, w, b, everything)
            yield Work(t(f"{label}: loss after the epoch ${B.num(after, d)}$", f"{zh}：一轮后的损失 ${B.num(after, d)}$"))
            yield Value("real", t(f"the loss on all the data after the {label} epoch", f"{zh} 一轮后全部数据上的损失"),
                        after, decimals=d, step=5, column=f"L {label}")
        yield Value("choice", t("Which variant made the most updates, and what does that mean?",
                                "哪种方式的更新次数最多？这意味着什么？"), ["a"], choices=MOST, trace=False)

    @staticmethod
    def _loss_slips(p: dict, w: float, b: float, idx: list[int]) -> list[Wrong]:
        v = batch_loss(p, w, b, idx)
        out = []
        if p["half"]:
            out.append(Wrong(2 * v, "dropped_half", t("The loss has a ½.", "损失里有 ½。")))
        if p["loss"] == "mean":
            out.append(Wrong(v * len(idx), "sum_for_mean", t("The loss is the mean over the points: divide by n.",
                                                             "损失是对各点取平均：要除以 n。")))
        else:
            out.append(Wrong(v / len(idx), "mean_for_sum", t("The loss is the sum over the points, not the mean.",
                                                             "损失是对各点求和，不是取平均。")))
        return out

    @staticmethod
    def _step_slips(p: dict, w: float, b: float, idx: list[int], new: list[float]) -> list[Wrong]:
        eta = p["eta"]
        gw, gb = gradient(p, w, b, idx)
        out = [Wrong([w + eta * gw, b + eta * gb], "sign", t("Step against the gradient: θ − η∇L.", "沿梯度的反方向走：θ − η∇L。"))]
        if len(idx) > 1:
            other = len(idx) if p["loss"] == "mean" else 1 / len(idx)
            gw2, gb2 = gradient(p, w, b, idx, other)
            out.append(Wrong([w - eta * gw2, b - eta * gb2], "mean_vs_sum",
                             t("Mean vs sum: the gradient of a mean has the factor 1/|B|, a sum's does not.",
                               "平均与求和：平均的梯度带因子 1/|B|，求和的没有。")))
        factor = 2 if p["half"] else 0.5
        gw3, gb3 = gradient(p, w, b, idx, factor)
        out.append(Wrong([w - eta * gw3, b - eta * gb3], "factor_two",
                         t("The ½ cancels the 2 of the square (with ½: no 2; without ½: keep the 2).",
                           "½ 与平方求导的 2 相消（有 ½：没有 2；没有 ½：保留 2）。")))
        return out

    def resume(self, params: dict, part_id_: str, value):
        """From a slip in SGD's first update: SGD on the remaining points, started from that value."""
        n = len(params["x"])
        first_sgd = part_id(2)  # a: loss before, b: BGD, c: SGD update 1
        if part_id_ != first_sgd or n < 2:
            return None
        rest = dict(params, x=params["x"][1:], t=params["t"][1:], w=value[0], b=value[1],
                    batch=min(params["batch"], n - 1))
        return rest, {part_id(2 + j): part_id(3 + j) for j in range(n - 1)}
