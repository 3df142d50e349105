"""The words of perceptron.rosenblatt: its statement (the samples, every convention, the start,
what to give), the cells' prompts, the worked lines and the explanations of its slips.  Texts the
same for every problem of a setting are made once (lru_cache)."""

from __future__ import annotations

from functools import lru_cache

from problems._perceptron import Training
from quizgen.model import t

def bname(params: dict) -> str:
    return "b" if params["bias"] == "plus" else "\\theta"


def vec(v) -> str:
    return "(" + ", ".join([f"{float(x):g}" for x in v]) + ")"


def g(q) -> str:
    return f"{float(q):g}"


def epoch_works(params, key: Training) -> dict:
    """The worked line of each epoch (the table holds every presentation): the samples that
    brought an update, in order, and w and b after it; keyed by the presentation ending it.
    The clean epoch that ends a converged run is end_work's line."""
    bn, n, learn = bname(params), len(params["X"]), params["learn_bias"]
    lines = {}
    for start in range(0, len(key.rows), n):
        rows, epoch = key.rows[start:start + n], start // n + 1
        at = [_X[row.sample] for row in rows if row.updated]
        if not at and key.converged and start + n == len(key.rows):
            break
        _, w, b = rows[-1].floats()
        w = "$w = (" + ", ".join(map(_G, w)) + ")$"
        en_w, zh_w = (f"{w}, ${bn} = {b:g}$", f"{w}，${bn} = {b:g}$") if learn else (w, w)
        if at:
            lines[start + len(rows)] = t(f"Epoch {epoch}: updates at {', '.join(at)}; after it {en_w}.",
                                         f"第 {epoch} 轮：在 {'、'.join(at)} 处更新；之后 {zh_w}。")
        else:
            lines[start + len(rows)] = t(f"Epoch {epoch}: no update; {en_w} stay.",
                                         f"第 {epoch} 轮：没有更新；{zh_w} 不变。")
    return lines


_LABELS = {"pm1": {1: "+1", -1: "-1", 0: "0"}, "01": {1: "1", 0: "0"}}
_X = tuple(f"$x_{{{i + 1}}}$" for i in range(12))  # the samples' names, as written in math


_G = "{:g}".format


def end_work(params, key: Training):
    _, w, b = key.rows[-1].floats()
    w = "(" + ", ".join(map(_G, w)) + ")"
    bias = f", ${bname(params)} = {b:g}$" if params["learn_bias"] else ""
    if key.converged:
        return t(f"Epoch {key.epochs} has no update: training has converged with $w = {w}${bias}.",
                 f"第 {key.epochs} 轮没有任何更新：训练收敛，$w = {w}${bias.replace(', ', '，')}。")
    return t(f"Every one of the {key.epochs} epochs still has an update: training has not converged; "
             f"after them $w = {w}${bias}.",
             f"这 {key.epochs} 轮每一轮都有更新：训练尚未收敛；此时 $w = {w}${bias.replace(', ', '，')}。")


def columns(params: dict) -> list[str]:
    """The trace table's columns, in order (b omitted when the bias is not learned)."""
    return ["net", "output", "updated", "w"] + (["b"] if params["learn_bias"] else [])


def statement(params: dict, lang: str) -> str:
    """The problem statement: the samples, every convention, the start and what to give."""
    zh, bn = lang == "zh", bname(params)
    signs, target = _LABELS[params["labels"]], "，目标" if zh else ", target"
    samples = [f"- $x_{{{i + 1}}} = {vec(x)}${target} ${signs[d]}$" for i, (x, d) in enumerate(zip(params["X"], params["y"]))]
    start = f"$w = {vec(params['w0'])}$, ${bn} = {g(params['b0'])}$, $\\eta = {g(params['eta'])}$"
    stop, give = _asked(bn, params["learn_bias"], params["epochs"], lang)
    start = f"初始值 {start.replace('$, $', '$，$')}。" if zh else f"Start from {start}. "
    return "\n".join([_HEAD[zh], "", *samples, "", *convention_lines(params, lang), "", start + stop, give])


_HEAD = {False: "Train a perceptron on these samples, presented cyclically in the order given:",
         True: "用下列样本训练一个感知机，样本按给定顺序循环呈现："}


@lru_cache(maxsize=256)
def _asked(bn: str, learn_bias: bool, epochs: int, lang: str) -> tuple[str, str]:
    """The statement's stopping rule and what to give (the same for every problem of these settings)."""
    names = {"net": "净输入", "output": "输出", "updated": "是否更新"} if lang == "zh" else {}
    cols = " | ".join(names.get(c, "θ" if c == "b" and bn != "b" else c)
                      for c in columns({"learn_bias": learn_bias}))
    if lang == "zh":
        return (("训练到第一轮（遍历全部样本一次）没有任何更新时停止。" if not epochs else f"恰好训练 {epochs} 轮。"),
                "写出每次呈现的净输入、输出、是否更新以及之后的 w" + (f" 和 ${bn}$" if learn_bias else "")
                + "；再写出最终结果和" + ("轮数" if not epochs else "是否收敛") + "。"
                f"答案文件中每次呈现写一行：“题号.k: {cols}”（k 为第几次呈现）。")
    return (("Stop after the first epoch (one pass over all samples) with no update." if not epochs
             else f"Run exactly {epochs} epochs."),
            "Give, for every presentation, the net input, the output, whether the weights are updated, and w"
            + (f" and ${bn}$" if learn_bias else "") + " after it; then the final values and "
            + ("the number of epochs." if not epochs else "whether training has converged.")
            + f" In an answers file, one presentation per line: “N.k: {cols}” (problem N, presentation k).")


def convention_lines(params: dict, lang: str) -> tuple[str, ...]:
    """Every convention of the problem, in words (made once per set of conventions)."""
    return _conventions(params["labels"], params["at0"], params["mistake"], params["update"], params["bias"],
                        params["learn_bias"], None if params["learn_bias"] else params["b0"], lang)


@lru_cache(maxsize=1024)
def _conventions(labels, at0, mistake, update, bias, learn_bias, b0, lang: str) -> tuple[str, ...]:
    params = {"labels": labels, "at0": at0, "mistake": mistake, "update": update, "bias": bias,
              "learn_bias": learn_bias, "b0": b0}
    zh, pm, thr = lang == "zh", params["labels"] == "pm1", params["bias"] == "threshold"
    bn, at0 = ("\\theta" if thr else "b"), _LABELS[params["labels"]][params["at0"]]
    sgn = "+" if not thr else "-"
    if pm:
        out = (f"标签为 ±1，输出 $o = \\operatorname{{sign}}(\\text{{net}})$，约定 $\\operatorname{{sign}}(0) = {at0}$。" if zh else
               f"Labels are ±1; the output is $o = \\operatorname{{sign}}(\\text{{net}})$ with $\\operatorname{{sign}}(0) = {at0}$.")
    else:
        out = (f"标签为 0/1，输出 $o = \\operatorname{{step}}(\\text{{net}})$（$\\text{{net}} > 0$ 时为 1，$\\text{{net}} < 0$ 时为 0），"
               f"约定 $\\operatorname{{step}}(0) = {at0}$。" if zh else
               f"Labels are 0/1; the output is $o = \\operatorname{{step}}(\\text{{net}})$ (1 for $\\text{{net}} > 0$, 0 for "
               f"$\\text{{net}} < 0$) with $\\operatorname{{step}}(0) = {at0}$.")
    lines = [f"- {out}"]
    if thr:
        lines.append("- 净输入 $\\text{net} = w\\cdot x - \\theta$：阈值 θ 是固定输入 $x_0 = -1$ 上的权重。" if zh else
                     "- The net input is $\\text{net} = w\\cdot x - \\theta$: the threshold θ is a weight on a fixed "
                     "input $x_0 = -1$.")
    else:
        lines.append("- 净输入 $\\text{net} = w\\cdot x + b$：偏置 b 是固定输入 $x_0 = +1$ 上的权重。" if zh else
                     "- The net input is $\\text{net} = w\\cdot x + b$: the bias b is a weight on a fixed input $x_0 = +1$.")
    learn = params["learn_bias"]
    if params["update"] == "error":
        bias = f"，${bn} \\leftarrow {bn} {sgn} \\eta (d - o)$" if zh else f", ${bn} \\leftarrow {bn} {sgn} \\eta (d - o)$"
        lines.append(f"- 每次呈现都用误差修正规则：$w \\leftarrow w + \\eta (d - o) x${bias if learn else ''}"
                     f"（d 为目标；o = d 时不变）。" if zh else
                     f"- At every presentation the error-correction rule applies: $w \\leftarrow w + \\eta (d - o) x$"
                     f"{bias if learn else ''} (d is the target; nothing changes when o = d).")
    else:
        rule = (f"$y\\,\\text{{net}} \\le 0$（所以 $\\text{{net}} = 0$ 也算误分类）" if zh else
                f"$y\\,\\text{{net}} \\le 0$ (so $\\text{{net}} = 0$ counts as a mistake)") if params["mistake"] == "margin" \
            else ("输出与目标不同" if zh else "its output differs from its target")
        yname = "y" if pm else "(2d - 1)"
        bias = f"，${bn} \\leftarrow {bn} {sgn} \\eta {yname}$" if zh else f", ${bn} \\leftarrow {bn} {sgn} \\eta {yname}$"
        lines.append(f"- 样本在{rule}时被误分类；仅对误分类样本更新：$w \\leftarrow w + \\eta {yname} x${bias if learn else ''}"
                     + ("（d 为 0/1 目标）" if not pm else "") + "。" if zh else
                     f"- A sample is misclassified when {rule}; only then are the weights updated: "
                     f"$w \\leftarrow w + \\eta {yname} x${bias if learn else ''}" + (" (d is the 0/1 target)" if not pm else "") + ".")
    if not params["learn_bias"]:
        lines.append(f"- ${bn}$ 固定为 {g(params['b0'])}，不参与学习。" if zh else
                     f"- ${bn}$ is held fixed at {g(params['b0'])} (not learned).")
    return tuple(lines)


@lru_cache(maxsize=2048)
def prompts(k: int, i: int, bn: str) -> tuple:
    """The prompts of presentation k's cells (sample i), in column order: net, output, updated, w, b."""
    what = (("the net input", "净输入"), ("the output $o$", "输出 $o$"),
            (f"are w and ${bn}$ updated?", f"w 和 ${bn}$ 是否更新？"), ("w after it", "之后的 w"),
            (f"${bn}$ after it", f"之后的 ${bn}$"))
    return tuple(t(f"Presentation {k} ($x_{{{i + 1}}}$): {en}", f"第 {k} 次呈现（$x_{{{i + 1}}}$）：{zh}")
                 for en, zh in what)


@lru_cache(maxsize=None)
def other_order(n: int):
    """The explanation of the reverse-order slip, for n samples."""
    order = ", ".join(f"$x_{{{i + 1}}}$" for i in range(n))
    return t(f"This is the trace of the samples in another order; they are presented cyclically in the order given: "
             f"{order}.", f"这是按另一种顺序呈现样本得到的结果；样本应按给定顺序循环呈现：{order}。")


FINAL_W = t("the final w", "最终的 w")
EPOCHS = t("the number of epochs, counting the last one (with no update)", "训练的轮数（包括最后一轮没有更新的那一轮）")
LAST_EPOCH = t("Count the final epoch too: it is the pass that shows no sample is misclassified.",
                "最后那一轮也要算上：正是这一轮确认了没有样本被误分类。")


@lru_cache(maxsize=None)
def final(bn: str):
    return t(f"the final ${bn}$", f"最终的 ${bn}$")


@lru_cache(maxsize=128)
def converged_within(epochs: int):
    return t(f"has training converged (an epoch with no update) within the {epochs} epochs?",
             f"在这 {epochs} 轮内训练是否已收敛（出现一轮没有任何更新）？")


SAMPLES = t("The samples", "样本")
SAMPLES_INITIAL = t("The samples with the initial decision boundary", "样本与初始决策边界")
SAMPLES_BOTH = t("The samples with the initial and final decision boundaries", "样本与初始、最终的决策边界")
