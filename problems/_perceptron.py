"""Shared perceptron arithmetic (exact, in Fractions) and the conventions textbooks differ on.

    net      = w·x + b         bias b on a fixed input x₀ = +1   (bias = "plus")
             = w·x − θ         threshold θ on x₀ = −1            (bias = "threshold")
    output o = sign(net) ∈ {−1, +1} with labels ±1, or step(net) ∈ {0, 1} with labels 0/1;
               at net = 0 the output is `at0` (sign(0) = +1, −1 or 0; step(0) = 1 or 0)
    mistake  = y·net ≤ 0 (李航, "margin"; labels ±1)   or   o ≠ d ("output")
    update   = "mistakes": on a mistake only, w ← w + η y x, x₀-weight ← + η y x₀  (y = ±1;
               with 0/1 labels y = 2d − 1, the same as η(d − o)x)
             = "error": at every presentation w ← w + η(d − o)x (Haykin's error correction;
               with ±1 labels a correction is 2ηx)
    so with x₀ = −1 the threshold moves the other way: θ ← θ − η y.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from operator import mul
from typing import NamedTuple

from quizgen.errors import QuizgenError
from quizgen.model import t

MAX_ROWS = 120            # presentations a trace may show (5 parts each; part ids end at 702)
MAX_DECIMALS = 4


def frac(x) -> Fraction:
    """A user's or a draw's number as an exact Fraction (0.1 -> 1/10, not the binary float)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(repr(x))
    return Fraction(x)


def exact(x):
    """frac(x), as an int when whole: whole-number traces then run on Python ints (exact, and
    ten times faster than Fractions); a Fraction otherwise."""
    n, d = _parts(x)
    return n if d == 1 else Fraction(n, d)


def ratio(n: int, d: int):
    """n/d exactly: an int when d divides n, else a Fraction."""
    return n // d if n % d == 0 else Fraction(n, d)


def num(q):
    """A Fraction (or int, or float) as a JSON number: int when whole."""
    if type(q) is float:
        return int(q) if q.is_integer() else q
    return int(q) if q.denominator == 1 else float(q)


def decimals_needed(values) -> int | None:
    """Decimal places that write every value exactly (None: all whole), at most MAX_DECIMALS."""
    return max((_places(q) for q in values), default=0) or None


def _places(q: Fraction) -> int:
    return _den_places(q.denominator)


@lru_cache(maxsize=None)
def _den_places(den: int) -> int:
    for places in range(MAX_DECIMALS + 1):
        if 10 ** places % den == 0:
            return places
    return MAX_DECIMALS


class Rules(NamedTuple):  # a NamedTuple: every draw makes one, as part of its training's cache key
    labels: str = "pm1"        # "pm1" | "01"
    at0: int = 1               # the output at net = 0
    mistake: str = "margin"    # "margin" | "output"
    update: str = "mistakes"   # "mistakes" | "error"
    bias: str = "plus"         # "plus" (b on x0 = +1) | "threshold" (θ on x0 = −1)
    learn_bias: bool = True

    @classmethod
    def of(cls, params: dict) -> "Rules":
        return cls(params["labels"], int(params["at0"]), params["mistake"], params["update"],
                   params["bias"], bool(params["learn_bias"]))

    @property
    def x0(self) -> int:
        return 1 if self.bias == "plus" else -1

    @property
    def negative(self) -> int:
        return -1 if self.labels == "pm1" else 0

    def check(self) -> None:
        """One-line errors for combinations that make no sense."""
        allowed = (1, 0, -1) if self.labels == "pm1" else (1, 0)
        if self.at0 not in allowed:
            raise QuizgenError("at0: with labels=01 the output at net = 0 is step(0) = 1 or 0")
        if self.mistake == "margin" and self.labels != "pm1":
            raise QuizgenError("mistake=margin (y·net ≤ 0) needs labels=pm1; with labels=01 use mistake=output")
        if self.update == "error" and self.mistake == "margin":
            raise QuizgenError("update=error corrects whenever the output differs from the target: "
                               "it takes mistake=output")

    def net(self, w, b, x) -> Fraction:
        return sum(wi * xi for wi, xi in zip(w, x)) + self.x0 * b

    def output(self, net) -> int:
        if net > 0:
            return 1
        if net < 0:
            return self.negative
        return self.at0

    def signed(self, d) -> int:
        """The label as ±1."""
        return 1 if d == 1 else -1

    def is_mistake(self, net, out, d) -> bool:
        if self.update == "error" or self.mistake == "output":
            return out != d
        return self.signed(d) * net <= 0

    def factor(self, updated: bool, out, d) -> Fraction:
        """c in w ← w + η c x (and x0-weight ← + η c x0)."""
        if self.update == "error":
            return d - out
        return self.signed(d) if updated else 0


class Row(NamedTuple):
    """One presentation, held as integers scaled by S (w, b) and S·Dₓ (net); read as Fractions
    (a NamedTuple: a training of a draw makes dozens, and a frozen dataclass is 5× slower to make)."""

    sample: int          # 0-based index of the sample presented
    out: int
    updated: bool
    net_s: int
    w_s: tuple[int, ...]
    b_s: int
    scale: int           # S
    dx: int

    @property
    def net(self) -> Fraction:
        return ratio(self.net_s, self.scale * self.dx)

    @property
    def w(self) -> tuple[Fraction, ...]:
        return tuple(ratio(v, self.scale) for v in self.w_s)

    @property
    def b(self) -> Fraction:
        return ratio(self.b_s, self.scale)

    def shown(self) -> tuple:
        """(net, w, b) as JSON numbers (num of each: an int when whole, else its float), straight
        from the scaled integers: int division rounds correctly, as float(Fraction) does."""
        s, sd = self.scale, self.scale * self.dx
        if sd == 1:
            return self.net_s, list(self.w_s), self.b_s
        return (self.net_s // sd if self.net_s % sd == 0 else self.net_s / sd,
                [v // s if v % s == 0 else v / s for v in self.w_s], self.b_s // s if self.b_s % s == 0 else self.b_s / s)

    def floats(self) -> tuple[float, list[float], float]:
        """(net, w, b) as floats, straight from the scaled integers (the same floats as
        float(self.net) and so on: int division rounds correctly)."""
        s = self.scale
        return self.net_s / (s * self.dx), [v / s for v in self.w_s], self.b_s / s


class Training(NamedTuple):  # a NamedTuple, as Row: every try of a draw makes one
    rows: tuple[Row, ...]
    converged: bool      # some full epoch had no update
    epochs: int          # epochs run (with the final one without update)
    update_epochs: int   # epochs with at least one update
    peak_net: int = 0    # the largest |net_s| of the rows
    peak_wb: int = 0     # the largest |w_s| or |b_s| of the rows
    gcd_net: int = 0     # the gcd of every row's net_s
    gcd_wb: int = 0      # the gcd of every row's w_s and b_s
    ends: tuple = ()     # a cheap look's (w·S, b·S) at the end of each epoch
    scale: int = 1       # S

    def start(self, epoch: int) -> tuple[list, object, int]:
        """(w, b) after `epoch` epochs of a cheap look, as JSON numbers, and the decimal places
        they need: a run started from them is this run's tail (the samples are presented from
        the first again)."""
        w, b = self.ends[epoch - 1]
        s = self.scale
        return [num(ratio(v, s)) for v in w], num(ratio(b, s)), _den_places(s // math.gcd(s, b, *w))

    def places(self) -> int:
        """Decimal places that write every row's values exactly (at most MAX_DECIMALS).  A value
        v/S needs the places of S/gcd(v, S), and those only grow with the denominator, so the
        most any row needs is that of S/gcd(S, all of them)."""
        if not self.rows:
            return 0
        s, sd = self.rows[0].scale, self.rows[0].scale * self.rows[0].dx
        return max(_den_places(s // math.gcd(s, self.gcd_wb)), _den_places(sd // math.gcd(sd, self.gcd_net)))

    def reaches(self, limit: int) -> bool:
        """Is |net|, |w_i| or |b| of some row at least `limit`?  (In the scaled integers.)"""
        if not self.rows:
            return False
        return self.peak_net >= limit * self.rows[0].scale * self.rows[0].dx or self.peak_wb >= limit * self.rows[0].scale


def train(X, y, eta, w0, b0, rules: Rules, epochs: int, limit: int | None = MAX_ROWS,
          rows: bool = True, most: int | None = None) -> Training:
    """Cyclic presentation; `epochs` = 0: until the first epoch with no update (at most `limit`
    presentations, else QuizgenError), else exactly that many epochs.  A draw's cheap look:
    `rows=False` keeps only the epoch counts and the weights at each epoch's end (no rows, peaks
    or gcds), and `most` stops once more than `most` epochs have had updates (not converged).

    Exact and fast: every number is read exactly; the loop runs on integers scaled by the common
    denominator S of x, η, w₀ and b₀ (w·S and b·S stay integers; net·S·Dₓ is an integer)."""
    xs, dx, step, w, b, S = _scaled(X, eta, w0, b0)
    x0, neg, at0, error, learn_bias = rules.x0, rules.negative, rules.at0, rules.update == "error", rules.learn_bias
    kept: list[Row] = []
    ends: list[tuple] = []
    new_row = tuple.__new__  # a Row made straight from its tuple: a trace makes thousands
    n, done, shown, update_epochs, converged = len(X), 0, 0, 0, False
    peak_net = peak_wb = gcd_net = gcd_wb = 0
    margin = rules.update == "mistakes" and rules.mistake == "margin"
    x0dx, per_x, two = x0 * dx, step // dx, len(w) == 2  # η·S/Dx is an integer; two features written out
    samples = [(i, x, d, 1 if d == 1 else -1) for i, (x, d) in enumerate(zip(xs, y))]  # with y as ±1
    while epochs == 0 or done < epochs:
        if epochs == 0 and limit is not None and shown + n > limit:
            raise QuizgenError(f"the perceptron has not converged after {done} epochs ({shown} presentations, "
                               f"the most one trace shows); set epochs=N to see the first N epochs")
        changed = False
        for i, x, d, sign in samples:
            net = (w[0] * x[0] + w[1] * x[1] if two else sum(map(mul, w, x))) + x0dx * b     # = net·S·Dx
            out = 1 if net > 0 else neg if net < 0 else at0
            updated = sign * net <= 0 if margin else out != d
            c = (d - out) if error else (sign if updated else 0)
            if c:
                # Δ(w·S) = η c x S = (η S / Dx)·c·(x·Dx): η·S is a multiple of Dx
                unit = per_x * c
                w = [w[0] + unit * x[0], w[1] + unit * x[1]] if two else [wi + unit * xi for wi, xi in zip(w, x)]
                if learn_bias:
                    b += unit * x0dx
            changed = changed or updated
            if rows:
                kept.append(new_row(Row, (i, out, updated, net, tuple(w), b, S, dx)))
        shown += n
        done += 1
        if not rows:
            ends.append((w, b))
        update_epochs += changed
        if most is not None and update_epochs > most:
            break
        if not changed:
            converged = True
            if epochs == 0:
                break
    if kept:  # the peaks and gcds of the rows' values, for places() and reaches()
        nets = [r.net_s for r in kept]
        wb = [v for r in kept for v in r.w_s] + [r.b_s for r in kept]
        peak_net, gcd_net = max(map(abs, nets)), math.gcd(*nets)
        peak_wb, gcd_wb = max(map(abs, wb)), math.gcd(*wb)
    return Training(tuple(kept), converged, done, update_epochs, peak_net, peak_wb, gcd_net, gcd_wb, tuple(ends), S)


def _scaled(X, eta, w0, b0) -> tuple:
    """The integers train runs on: x·Dₓ, Dₓ, η·S, w₀·S, b₀·S and S, where Dₓ is the common
    denominator of the samples and S that of x, η, w₀ and b₀ (1 and the numbers themselves when
    every one is an int, the common case)."""
    if type(eta) is int and type(b0) is int and all(type(v) is int for v in w0) \
            and all(type(v) is int for row in X for v in row):
        return X, 1, eta, list(w0), b0, 1
    X = [[_parts(v) for v in row] for row in X]              # (numerator, denominator) pairs
    (eta_n, eta_d), w0, b0 = _parts(eta), [_parts(v) for v in w0], _parts(b0)
    dx = math.lcm(*(d for row in X for _, d in row))
    S = dx * eta_d * math.lcm(*(d for _, d in (*w0, b0)))
    xs = [[n * (dx // d) for n, d in row] for row in X]       # x·Dx
    step = eta_n * (S // eta_d)                               # η·S, a multiple of Dx
    return xs, dx, step, [n * (S // d) for n, d in w0], b0[0] * (S // b0[1]), S


def _parts(x) -> tuple[int, int]:
    """x exactly as (numerator, denominator): an int as itself over 1, else frac(x).  A float
    whose binary value has a small denominator (3.5, 0.25) is read from that: its decimal
    reading is the same number, and Fraction(repr(x)) costs twenty times more."""
    if type(x) is int:
        return x, 1
    if type(x) is float:
        return _float_parts(x)
    q = frac(x)
    return q.numerator, q.denominator


@lru_cache(maxsize=4096)
def _float_parts(x: float) -> tuple[int, int]:
    """_parts of a float (kept: a problem's η = 0.1 is read many times, and -0.0 == 0.0 reads
    the same)."""
    if abs(x) < 2**40:
        n, d = x.as_integer_ratio()
        if d <= 1024:
            return n, d
    q = frac(x)
    return q.numerator, q.denominator


# ------------------------------------------------------------------ words
def bname(params: dict) -> str:
    return "b" if params["bias"] == "plus" else "\\theta"


def label(v, labels: str) -> str:
    """A label or an output as written: +1, −1, 0 (labels ±1) or 1, 0 (labels 0/1)."""
    return f"{int(v):+d}" if labels == "pm1" and v else str(int(v))


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
        at = [f"$x_{{{row.sample + 1}}}$" for row in rows if row.updated]
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
    bn, at0 = ("\\theta" if thr else "b"), label(params["at0"], params["labels"])
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
