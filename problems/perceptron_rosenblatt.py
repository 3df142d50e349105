"""Rosenblatt's perceptron, trained by hand: one table row per presentation of a sample.

    net = w·x + b  (or w·x − θ)        o = sign(net) | step(net), o(0) as stated
    mistake: y·net ≤ 0 (李航) | o ≠ d       update: w ← w + ηyx on mistakes | w ← w + η(d − o)x
    samples presented cyclically in the given order; stop after the first epoch with no update
    (or after a given number of epochs)

Parts per presentation: net, output, updated?, w, b (θ); then the final w, b and the number of
epochs (or, with a fixed number of epochs, whether training converged).  One trace: later rows
are judged from the student's own earlier values.  Conventions: see problems/_perceptron.py.
The key's own run is made straight from its training (key_run); tests hold it to the trace's.
"""

from __future__ import annotations

import math

from problems import _perceptron as M
from problems import _perceptron_draw as D
from problems import _perceptron_mistakes as K
from problems import _perceptron_words as W
from quizgen import kinds, params as P
from quizgen.draw import redraw
from quizgen.errors import QuizgenError
from quizgen.model import Figure, Part, part_id, t
from quizgen.registry import per_params, register
from quizgen.trace import PART_IDS, Run, TraceFamily, Value, Work, Wrong

MAX_SAMPLES, MAX_FEATURES = 12, 4
# the draws: problems/_perceptron_draw.py; the words: problems/_perceptron_words.py; the training
# and its cache: problems/_perceptron.py; the known slips: problems/_perceptron_mistakes.py

_POINT_NAMES = tuple(f"x{i + 1}" for i in range(MAX_SAMPLES))
_SOLVED: dict[tuple, tuple] = {}


def _solved(family, params: dict) -> tuple:
    """The items of the trace driven with its own values (solve and mistakes share them)."""
    key = M.run_key(params)
    if key not in _SOLVED:
        if len(_SOLVED) > 256:
            _SOLVED.clear()
        items, steps, reply = [], family._steps(params), None
        try:
            while True:
                item = steps.send(reply)
                items.append(item)
                reply = item.value if isinstance(item, Value) else None
        except StopIteration:
            pass
        _SOLVED[key] = tuple(items)
    return _SOLVED[key]


@register
class Rosenblatt(TraceFamily):
    name = "perceptron.rosenblatt"
    topic = "perceptron"
    version = 2  # v2: draws aimed at the epochs of their difficulty (another problem per seed); epoch-level worked lines
    title = t("Perceptron training trace", "感知机训练过程")
    summary = t("Rosenblatt's rule by hand: net input, output, update, w and b at every presentation.",
                "手算 Rosenblatt 感知机：每次呈现样本时的净输入、输出、是否更新以及 w 和 b。")
    example = ("quizgen solve perceptron.rosenblatt --set X='[[3,3],[4,3],[1,1]]' --set y='[1,1,-1]' "
               "--set eta=1")
    conventions = (
        t("Labels ±1 with sign, or 0/1 with step; the output at net = 0 is stated in each problem.",
          "标签为 ±1（用 sign）或 0/1（用阶跃函数）；净输入为 0 时的输出在每题中写明。"),
        t("A mistake is y·net ≤ 0 (李航) or output ≠ target; the update is on mistakes only ($w \\leftarrow w + \\eta y x$) "
          "or the error-correction rule w ← w + η(d − o)x at every presentation.",
          "误分类的判据为 y·net ≤ 0（李航）或输出 ≠ 目标；更新规则为仅在误分类时 $w \\leftarrow w + \\eta y x$，"
          "或每次都用误差修正规则 w ← w + η(d − o)x。"),
        t("The bias is a weight b on x₀ = +1, or a threshold θ on x₀ = −1 (net = w·x − θ).",
          "偏置为固定输入 x₀ = +1 上的权重 b，或固定输入 x₀ = −1 上的阈值 θ（net = w·x − θ）。"),
        t("Samples are presented cyclically in the given order; an epoch is one pass over them.",
          "样本按给定顺序循环呈现；一轮（epoch）为遍历全部样本一次。"),
    )
    params = (
        P.matrix("X", "the samples, one row each", (1, MAX_SAMPLES), (1, MAX_FEATURES), -1000, 1000,
                 "[[3, 3], [4, 3], [1, 1]]"),
        P.vector("y", "the labels (±1 with labels=pm1, 0/1 with labels=01)", (1, MAX_SAMPLES), -1, 1, "[1, 1, -1]"),
        P.real("eta", "the learning rate η", 0.001, 10, "1", default=1),
        P.vector("w0", "the initial weights", (1, MAX_FEATURES), -1000, 1000, "[0, 0]", default=None),
        P.real("b0", "the initial bias b (the threshold θ with bias=threshold)", -1000, 1000, "0", default=0),
        P.choice("labels", "pm1: labels ±1, output sign(net); 01: labels 0/1, output step(net)",
                 ("pm1", "01"), default="pm1"),
        P.choice("at0", "the output at net = 0: sign(0) or step(0)", ("1", "0", "-1"), default="1"),
        P.choice("mistake", "margin: a mistake is y·net ≤ 0 (李航); output: output ≠ target "
                 "(default: margin with labels=pm1 and update=mistakes, else output)",
                 ("margin", "output"), default=None),
        P.choice("update", "mistakes: w ← w + ηyx on mistakes only; error: w ← w + η(d − o)x at every presentation",
                 ("mistakes", "error"), default="mistakes"),
        P.choice("bias", "plus: net = w·x + b (b on x0 = +1); threshold: net = w·x − θ (θ on x0 = −1)",
                 ("plus", "threshold"), default="plus"),
        P.boolean("learn_bias", "whether the bias (threshold) is learned; no: held at b0", default=True),
        P.integer("epochs", "0: stop after the first epoch with no update; N: run exactly N epochs", 0, 100,
                  "0", default=0),
    )

    # -------------------------------------------------------------- user problems
    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        X, y = p["X"], p["y"]
        if len(y) != len(X):
            raise QuizgenError(f"y has {len(y)} labels but X has {len(X)} samples")
        if any(len(r) != len(X[0]) for r in X):
            raise QuizgenError("every sample (row of X) needs the same number of features")
        allowed = {1, -1} if p["labels"] == "pm1" else {0, 1}
        if any(v not in allowed for v in y):
            raise QuizgenError(f"y: with labels={p['labels']} every label is one of {sorted(allowed)}")
        if p["w0"] is None:
            p["w0"] = [0] * len(X[0])
        if len(p["w0"]) != len(X[0]):
            raise QuizgenError(f"w0 has {len(p['w0'])} weights but the samples have {len(X[0])} features")
        if p["mistake"] is None:
            p["mistake"] = "margin" if p["labels"] == "pm1" and p["update"] == "mistakes" else "output"
        p["at0"] = int(p["at0"])
        p = _normalised(p)
        M.Rules.of(p).check()
        if p["epochs"] and p["epochs"] * len(X) > M.MAX_ROWS:
            raise QuizgenError(f"{p['epochs']} epochs of {len(X)} samples is more than the {M.MAX_ROWS} "
                               "presentations one trace shows")
        M.training(p)  # one line if it does not converge
        return p

    # -------------------------------------------------------------- generate
    def generate(self, rng, difficulty: str) -> dict:
        return redraw(lambda: D.fitted(self._draw(rng, difficulty), difficulty), lambda p: p is not None)

    def _draw(self, rng, difficulty: str) -> dict | None:
        """One try (problems/_perceptron_draw.py)."""
        return D.draw(rng, difficulty)

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        """The key's own items (cached), until a reply differs from the key: from there on the
        steps are recomputed from the student's values (`_steps`)."""
        items = _solved(self, params)
        for i, item in enumerate(items):
            reply = yield item
            if isinstance(item, Value) and reply is not None and reply != item.value:
                yield from self._carried(params, i, reply)
                return

    def _carried(self, params: dict, i: int, reply):
        steps = self._steps(params)
        item = next(steps)
        for _ in range(i):
            item = steps.send(item.value if isinstance(item, Value) else None)
        try:
            item = steps.send(reply)
            while True:
                item = steps.send((yield item))
        except StopIteration:
            return

    def _steps(self, params: dict):
        """The step logic, written once: every value from the (possibly carried) state.  While
        every reply is the key's own (`own`), each value is read from the key's training row, as
        the number shown, and no Fraction is made; at the first reply that differs the exact
        state (w, b: the previous row's) is made, and from there on every value is computed."""
        rules, key = M.Rules.of(params), M.training(params)
        X, y, eta = params["X"], params["y"], M.exact(params["eta"])
        dec, bn, learn_bias = M.decimals(params), W.bname(params), params["learn_bias"]
        own, prev, w, b, exact_x = True, None, None, None, None
        sw, sb = params["w0"], params["b0"]  # the state as shown: what the known slips start from
        works = W.epoch_works(params, key)
        for k, row in enumerate(key.rows, 1):
            i, d = row.sample, y[row.sample]
            x, ys, (p_net, p_out, p_upd, p_w, p_b) = X[i], rules.signed(d), W.prompts(k, i, bn)
            if own:
                net_shown, w_shown, b_shown = row.shown()
            else:
                net_value = rules.net(w, b, exact_x[i])
                net_shown = M.num(net_value)
            reply = yield Value("real", p_net, net_shown, decimals=dec, step=k, column="net",
                                wrong=K.net_wrongs(params, sw if own else w, sb if own else b, x))
            same = reply is net_shown or reply == net_shown
            if own and not same:
                own, (w, b), exact_x = False, _exact_state(params, prev), _exact_samples(X)
            net = net_shown if own else net_value if same else M.exact(reply)
            out_value = row.out if own else rules.output(net)
            out = yield Value("sign" if rules.labels == "pm1" else "integer", p_out,
                              out_value, step=k, column="output", wrong=K.out_wrongs(rules, net, out_value))
            if own and out != out_value:
                own, (w, b), exact_x = False, _exact_state(params, prev), _exact_samples(X)
            upd_value = row.updated if own else rules.is_mistake(net, out, d)
            upd = yield Value("boolean", p_upd,
                              upd_value, step=k, column="updated", wrong=K.updated_wrongs(rules, net, upd_value))
            if own and upd != upd_value:
                own, (w, b), exact_x = False, _exact_state(params, prev), _exact_samples(X)
            c = rules.factor(upd, out, d)
            if own:
                shown = w_shown
            else:
                new_w = [wi + eta * c * xi for wi, xi in zip(w, exact_x[i])]
                shown = [M.num(v) for v in new_w]
            reply = yield Value("vector", p_w, shown, decimals=dec, step=k, column="w",
                                wrong=K.w_wrongs(rules, eta, c, ys, sw if own else w, x, net, upd_value))
            same = reply is shown or reply == shown
            if own and not same:
                own, (w, b), exact_x = False, _exact_state(params, prev), _exact_samples(X)
            if not own:
                w = new_w if same else [M.exact(v) for v in reply]
            if learn_bias:
                if own:
                    shown = b_shown
                else:
                    new_b = b + eta * c * rules.x0
                    shown = M.num(new_b)
                reply = yield Value("real", p_b, shown, decimals=dec, step=k,
                                    column="b" if bn == "b" else "θ",
                                    wrong=K.b_wrongs(params, rules, eta, c, ys, sb if own else b, upd_value))
                same = reply is shown or reply == shown
                if own and not same:  # w is this row's (the key's); b the student's
                    own, (w, _), exact_x = False, _exact_state(params, row), _exact_samples(X)
                if not own:
                    b = new_b if same else M.exact(reply)
            if own:
                prev, sw, sb = row, w_shown, b_shown
            if k in works:
                yield Work(works[k])
        yield from _closing(params, key, dec, bn, sw if own else [M.num(v) for v in w], sb if own else M.num(b))

    @per_params
    def key_run(self, params: dict) -> Run:
        """The key's run straight from its training: what run_trace makes of the trace when every
        reply is the key's own, without a generator and a Value between it and each part (tests
        hold the two equal over every convention)."""
        rules, key, X, y = M.Rules.of(params), M.training(params), params["X"], params["y"]
        # η as a float: the slips are computed in floats (float(η·c) is float(η)·c, c being ±1 or ±2)
        eta, dec, bn, learn_bias = float(params["eta"]), M.decimals(params), W.bname(params), params["learn_bias"]
        out_kind, b_column, works = "sign" if rules.labels == "pm1" else "integer", "b" if bn == "b" else "θ", \
            W.epoch_works(params, key)
        run = Run()
        parts, wrongs, j = run.parts, run.wrongs, 0
        sw, sb = params["w0"], params["b0"]
        for k, row in enumerate(key.rows, 1):
            i = row.sample
            d, x, (p_net, p_out, p_upd, p_w, p_b) = y[i], X[i], W.prompts(k, i, bn)
            (net, w, b), out, upd = row.shown(), row.out, row.updated
            ys, c = rules.signed(d), rules.factor(upd, out, d)
            parts += (Part(PART_IDS[j], "real", p_net, net, dec, (), (), True, k, "net"),
                      Part(PART_IDS[j + 1], out_kind, p_out, out, None, (), (), True, k, "output"),
                      Part(PART_IDS[j + 2], "boolean", p_upd, upd, None, (), (), True, k, "updated"),
                      Part(PART_IDS[j + 3], "vector", p_w, w, dec, (), (), True, k, "w"))
            wrongs += (K.net_wrongs(params, sw, sb, x), K.out_wrongs(rules, net, out), K.updated_wrongs(rules, net, upd),
                       K.w_wrongs(rules, eta, c, ys, sw, x, net, upd))
            j += 4
            if learn_bias:
                parts.append(Part(PART_IDS[j], "real", p_b, b, dec, (), (), True, k, b_column))
                wrongs.append(K.b_wrongs(params, rules, eta, c, ys, sb, upd))
                j += 1
            if k in works:
                run.work.append(works[k])
            sw, sb = w, b
        for item in _closing(params, key, dec, bn, sw, sb):
            if type(item) is Work:
                run.work.append(item.text)
            else:
                parts.append(Part(PART_IDS[len(parts)], item.kind, item.prompt, item.value, item.decimals, (), (),
                                  item.trace))
                wrongs.append(item.wrong)
        return run

    def resume(self, params: dict, part_id_: str, value):
        cols, key, n = W.columns(params), M.training(params), len(params["X"])
        index = [part_id(j) for j in range(len(key.rows) * len(cols))].index(part_id_) \
            if part_id_ in {part_id(j) for j in range(len(key.rows) * len(cols))} else None
        if index is None or cols[index % len(cols)] not in ("w", "b"):
            return None
        k = index // len(cols)
        row, remaining = key.rows[k], len(key.rows) - k - 1
        if remaining == 0:
            return None
        start, epochs = (row.sample + 1) % n, math.ceil(remaining / n)
        w0 = value if cols[index % len(cols)] == "w" else [M.num(v) for v in row.w]
        b0 = value if cols[index % len(cols)] == "b" else M.num(row.b)
        new = _normalised(dict(params, X=params["X"][start:] + params["X"][:start],
                               y=params["y"][start:] + params["y"][:start], w0=list(w0), b0=b0, epochs=epochs))
        ncol = len(cols)
        mapping = {part_id(j * ncol + c): part_id((k + 1 + j) * ncol + c) for j in range(remaining) for c in range(ncol)}
        if epochs * n == remaining:
            for extra in range(1 + params["learn_bias"]):
                mapping[part_id(epochs * n * ncol + extra)] = part_id(len(key.rows) * ncol + extra)
        return new, mapping

    def more_mistakes(self, params: dict, parts):
        """The samples presented in reverse order: the first value of that run that differs from
        the key is a known mistake (the student's trace follows the other order).  The first
        difference is nearly always in the first presentation (then the first epoch), so those
        are run first."""
        rules, key, n = M.Rules.of(params), M.training(params), len(params["X"])
        X, y = params["X"][::-1], params["y"][::-1]
        for count, epochs in dict.fromkeys(((1, 1), (n, 1), (n, key.epochs))):
            other = M.train(X[:count], y[:count], params["eta"], params["w0"], params["b0"], rules, epochs, None)
            values = (v for row in other.rows for v in _cells(row, params["learn_bias"]))  # lazily
            for mine, theirs in zip(parts, values):
                if mine.step is None:
                    return []
                if not kinds.equal(mine, theirs, mine.answer):
                    return [(mine.id, theirs, "order", W.other_order(n))]
        return []

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        return W.statement(params, lang)

    def figures(self, params: dict) -> list:
        if len(params["X"][0]) != 2:
            return []
        key, x0, b0 = M.training(params), 1 if params["bias"] == "plus" else -1, params["b0"]
        pts = [[x[0], x[1], name, d] for x, d, name in zip(params["X"], params["y"], _POINT_NAMES)]
        lines = []
        if any(params["w0"]):
            lines.append([*params["w0"], x0 * b0 if type(b0) is int else M.num(x0 * M.frac(b0)), "initial"])
        final = key.rows[-1]
        shown = [Figure("points", {"points": pts, "lines": list(lines)}, W.SAMPLES_INITIAL if lines else W.SAMPLES)]
        if any(final.w_s):
            _, w, b = final.shown()
            lines.append([*w, -b if x0 == -1 else b, "final"])
            shown.append(Figure("points", {"points": pts, "lines": lines}, W.SAMPLES_BOTH, key=True))
        return shown


def _closing(params: dict, key: M.Training, dec, bn: str, w: list, b):
    """The trace's last items: the final w and b (as the student's trace has them), the end,
    and the number of epochs (or, with a fixed number, whether training converged)."""
    yield Value("vector", W.FINAL_W, w, decimals=dec)
    if params["learn_bias"]:
        yield Value("real", W.final(bn), b, decimals=dec)
    yield Work(W.end_work(params, key))
    if params["epochs"]:
        yield Value("boolean", W.converged_within(params["epochs"]), key.converged, trace=False)
    else:
        yield Value("integer", W.EPOCHS, key.epochs, trace=False,
                    wrong=(Wrong(key.epochs - 1, "last_epoch", W.LAST_EPOCH),))


def _cells(row: M.Row, learn_bias: bool) -> list:
    """A row's part values in column order (net, output, updated, w, b)."""
    net, w, b = row.shown()
    return [net, row.out, row.updated, w, b] if learn_bias else [net, row.out, row.updated, w]


def _exact_state(params: dict, row: M.Row | None) -> tuple[list, object]:
    """The exact w and b after `row` (before the first row: w₀ and b₀)."""
    if row is None:
        return [M.exact(v) for v in params["w0"]], M.exact(params["b0"])
    return list(row.w), row.b


def _exact_samples(X) -> list[list]:
    return [[M.exact(v) for v in r] for r in X]


def _normalised(p: dict) -> dict:
    """Whole numbers as ints, so user and drawn problems store the same JSON."""
    fix = lambda v: M.num(M.frac(v))  # noqa: E731
    return dict(p, X=[[fix(v) for v in r] for r in p["X"]], y=[int(v) for v in p["y"]], eta=fix(p["eta"]),
                w0=[fix(v) for v in p["w0"]], b0=fix(p["b0"]), at0=int(p["at0"]))


