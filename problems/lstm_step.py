"""An LSTM cell, one to three time steps by hand (a trace with error carried forward).

    f_t = σ(W_f [h_{t−1}, x_t] + b_f)          forget gate
    i_t = σ(W_i [h_{t−1}, x_t] + b_i)          input gate
    c̃_t = tanh(W_c [h_{t−1}, x_t] + b_c)       candidate (PyTorch's g)
    o_t = σ(W_o [h_{t−1}, x_t] + b_o)          output gate
    c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t,   h_t = o_t ⊙ tanh(c_t)       (no peephole connections)

layout=textbook: one matrix per gate on the concatenation [h_{t−1}, x_t] (`concat=xh` for
[x_t, h_{t−1}]) and one bias per gate.  layout=pytorch: nn.LSTM's state_dict, weight_ih_l0 (4H × d)
and weight_hh_l0 (4H × H) with rows stacked in the gate order i, f, g, o, and two biases
bias_ih_l0 + bias_hh_l0 (4H each), both added.  Parts per step: f, i, c̃, o, c_t, h_t.
solvers/rnn_ref.py recomputes them with torch's nn.LSTM.
"""

from __future__ import annotations

import math

from problems import _rnn as R
from quizgen import params as P

from quizgen.errors import QuizgenError
from quizgen.model import Text, part_id, t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong

ORDER = ("i", "f", "g", "o")                 # PyTorch's row blocks
TEXTBOOK = {"i": "i", "f": "f", "g": "c", "o": "o"}   # textbook parameter names W_c, b_c for g
ROLE = {
    "f": t("forget gate: the share of $c_{t-1}$ that is kept", "遗忘门：$c_{t-1}$ 中保留的比例"),
    "i": t("input gate: how much of the candidate is written", "输入门：候选值写入多少"),
    "g": t("candidate $\\tilde{c}_t$: the new content, between −1 and 1", "候选值 $\\tilde{c}_t$：新内容，介于 −1 与 1 之间"),
    "o": t("output gate: how much of $\\tanh(c_t)$ is shown as $h_t$", "输出门：$\\tanh(c_t)$ 有多少作为 $h_t$ 输出"),
    "c": t("cell state: kept memory plus written content", "细胞状态：保留的旧记忆加上写入的新内容"),
    "h": t("hidden state: the output gate's view of the cell", "隐藏状态：经输出门过滤后的细胞状态"),
}
SYMBOL = {"f": "f", "i": "i", "g": "\\tilde{c}", "o": "o", "c": "c", "h": "h"}
NAME = {"f": ("forget gate", "遗忘门"), "i": ("input gate", "输入门"), "g": ("candidate", "候选值"),
        "o": ("output gate", "输出门"), "c": ("cell state", "细胞状态"), "h": ("hidden state", "隐藏状态")}
PARTS = ("f", "i", "g", "o", "c", "h")


def blocks(p: dict) -> dict[str, tuple[list, list, list]]:
    """Per gate (W on x, W on h, [biases]) in either layout."""
    H, d = len(p["h0"]), len(p["x"][0])
    if p["layout"] == "pytorch":
        return {g: (R.rows(p["weight_ih_l0"], k, H), R.rows(p["weight_hh_l0"], k, H),
                    [R.rows(p["bias_ih_l0"], k, H), R.rows(p["bias_hh_l0"], k, H)]) for k, g in enumerate(ORDER)}
    hx = p["concat"] == "hx"
    out = {}
    for g, n in TEXTBOOK.items():
        w = p[f"W_{n}"]
        wh, wx = ([r[:H] for r in w], [r[H:] for r in w]) if hx else ([r[d:] for r in w], [r[:d] for r in w])
        out[g] = (wx, wh, [p[f"b_{n}"]])
    return out


def pre_activations(B: dict, x: list[float], h: list[float]) -> dict[str, list[float]]:
    return {g: R.add(R.matvec(wx, x), R.matvec(wh, h), *bs) for g, (wx, wh, bs) in B.items()}


def _gate_params() -> tuple:
    textbook = []
    for n in ("f", "i", "c", "o"):
        textbook.append(R.array_param(f"W_{n}", f"textbook W_{n}, hidden × (hidden + input), on [h, x]",
                                      "[0.5, 0.5]", default=None))
        textbook.append(R.array_param(f"b_{n}", f"textbook bias b_{n}", "0", default=None))
    torch_ = [R.array_param(n, f"PyTorch {n} ({shape}, blocks i, f, g, o)", ex, default=None)
              for n, shape, ex in (("weight_ih_l0", "4·hidden × input", "[[1], [1], [1], [1]]"),
                                   ("weight_hh_l0", "4·hidden × hidden", "[[0], [0], [0], [0]]"),
                                   ("bias_ih_l0", "4·hidden", "[0, 0, 0, 0]"),
                                   ("bias_hh_l0", "4·hidden", "[0, 0, 0, 0]"))]
    return tuple(textbook + torch_)


@register
class LSTMStep(TraceFamily):
    name = "lstm.step"
    topic = "rnn"
    version = 1
    title = t("LSTM gates by hand", "手算 LSTM 的门")
    summary = t("Forget, input and output gates, the candidate, c_t and h_t of an LSTM cell, step by step.",
                "逐步计算 LSTM 单元的遗忘门、输入门、输出门、候选值、c_t 与 h_t。")
    example = ("quizgen solve lstm.step --set x=1 --set W_f='[0.5, 0.5]' --set W_i='[0.5, 0.5]' "
               "--set W_c='[0.5, 0.5]' --set W_o='[0.5, 0.5]'")
    conventions = (
        R.PEEPHOLE_FREE,
        t("Textbook layout: one matrix per gate on $[h_{t-1}, x_t]$ and one bias per gate. PyTorch layout: "
          "weight_ih_l0 and weight_hh_l0 stack the gates' rows in the order i, f, g, o, and both biases "
          "bias_ih_l0 and bias_hh_l0 are added.",
          "教材写法：每个门一个作用于 $[h_{t-1}, x_t]$ 的矩阵和一个偏置。PyTorch 写法：weight_ih_l0 与 weight_hh_l0 "
          "按 i、f、g、o 的顺序堆叠各门的行，两个偏置 bias_ih_l0 与 bias_hh_l0 都要加上。"),
        R.SIGMOID,
    )
    params = (
        R.array_param("x", "the inputs, one row per time step (a flat list = scalar inputs)", "1"),
        R.array_param("h0", "the initial hidden state (zeros if not set)", "0", default=None),
        R.array_param("c0", "the initial cell state (zeros if not set)", "0", default=None),
        P.choice("layout", "textbook (W_f … on [h, x], one bias) or pytorch (state_dict, i f g o)",
                 ("textbook", "pytorch"), default=None),
        P.choice("concat", "the textbook concatenation: hx = [h_{t-1}, x_t], xh = [x_t, h_{t-1}]", ("hx", "xh"),
                 default="hx"),
        *_gate_params(),
    )

    # -------------------------------------------------------------- generate
    def _draw(self, rng, difficulty: str) -> dict:
        pick = R.chooser(rng)
        H, T = {"easy": (1, 1), "medium": pick([(1, 2), (2, 1)]), "hard": pick([(2, 2), (1, 3)])}[difficulty]
        d = 1
        layout = {"easy": "textbook", "medium": pick(["textbook", "pytorch"]), "hard": "pytorch"}[difficulty]
        w = lambda r, c: R.draw_matrix(pick, r, c)  # noqa: E731
        v = lambda n, opts: R.draw_vector(pick, n, opts)  # noqa: E731
        p = {"layout": layout, "x": [v(d, (-2, -1, 1, 2)) for _ in range(T)],
             "h0": R.zeros(H) if difficulty == "easy" else v(H, (-0.5, 0, 0.5)), "c0": v(H, (-1, -0.5, 0.5, 1))}
        if layout == "textbook":
            p["concat"] = "hx"
            for n in ("f", "i", "c", "o"):
                p[f"W_{n}"], p[f"b_{n}"] = w(H, H + d), v(H, (-0.5, 0, 0, 0.5))
        else:
            p["weight_ih_l0"], p["weight_hh_l0"] = w(4 * H, d), w(4 * H, H)
            p["bias_ih_l0"], p["bias_hh_l0"] = v(4 * H, (-0.5, 0, 0.5)), v(4 * H, (0, 0, 0.1, -0.1))
        return p

    @staticmethod
    def _friendly(p: dict) -> bool:
        B, h, c = blocks(p), p["h0"], p["c0"]
        for x in p["x"]:
            pre = pre_activations(B, x, h)
            if not all(0.05 <= abs(a) <= 2.5 for v in pre.values() for a in v):
                return False
            c, h = _cell(pre, c)
        return True

    # -------------------------------------------------------------- from the user's --set values
    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        xs = R.inputs("x", v["x"])
        d = len(xs[0])
        textbook = [n for n in ("W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o") if v[n] is not None]
        torch_ = [n for n in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0") if v[n] is not None]
        layout = v["layout"] or ("pytorch" if torch_ else "textbook")
        if textbook and torch_ or (textbook if layout == "pytorch" else torch_):
            raise QuizgenError("give the textbook W_f, W_i, W_c, W_o (layout=textbook) or PyTorch's weight_ih_l0 … "
                               "(layout=pytorch), not both")
        H = self._hidden_size(v, layout, d)
        p = {"layout": layout, "x": xs,
             "h0": R.zeros(H) if v["h0"] is None else R.fit_vector("h0", v["h0"], H, "the hidden size"),
             "c0": R.zeros(H) if v["c0"] is None else R.fit_vector("c0", v["c0"], H, "the hidden size")}
        if layout == "textbook":
            p["concat"] = v["concat"]
            for n in ("f", "i", "c", "o"):
                if v[f"W_{n}"] is None:
                    raise QuizgenError(f"layout=textbook needs W_f, W_i, W_c and W_o; W_{n} is missing")
                p[f"W_{n}"] = R.fit(f"W_{n}", v[f"W_{n}"], H, H + d, "hidden × (hidden + input)")
                p[f"b_{n}"] = R.zeros(H) if v[f"b_{n}"] is None else R.fit_vector(f"b_{n}", v[f"b_{n}"], H, "hidden")
        else:
            if v["weight_ih_l0"] is None:
                raise QuizgenError("layout=pytorch needs weight_ih_l0 (4·hidden × input, blocks i, f, g, o)")
            p["weight_ih_l0"] = R.fit("weight_ih_l0", v["weight_ih_l0"], 4 * H, d, "4·hidden × input")
            p["weight_hh_l0"] = ([R.zeros(H) for _ in range(4 * H)] if v["weight_hh_l0"] is None else
                                 R.fit("weight_hh_l0", v["weight_hh_l0"], 4 * H, H, "4·hidden × hidden"))
            for n in ("bias_ih_l0", "bias_hh_l0"):
                p[n] = R.zeros(4 * H) if v[n] is None else R.fit_vector(n, v[n], 4 * H, "4·hidden")
        return p

    @staticmethod
    def _hidden_size(v: dict, layout: str, d: int) -> int:
        """From W_f (H × (H + d)) or weight_ih_l0 (4H × d)."""
        if layout == "textbook":
            w = v["W_f"]
            if w is None:
                raise QuizgenError("layout=textbook needs W_f, W_i, W_c and W_o; W_f is missing")
            cols = 1 if isinstance(w, (int, float)) else len(w[0]) if isinstance(w[0], list) else len(w)
            H = cols - d
        else:
            w = v["weight_ih_l0"]
            n = 1 if w is None or isinstance(w, (int, float)) else len(w) if isinstance(w[0], list) else \
                (len(w) if d == 1 else 1)
            H = n // 4 if n % 4 == 0 else 0
        if not 1 <= H <= 4:
            raise QuizgenError("cannot read the hidden size (1 to 4) from W_f (hidden × (hidden + input)) or "
                               "weight_ih_l0 (4·hidden × input)")
        return H

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        zh = lang == "zh"
        H, d, T = len(params["h0"]), len(params["x"][0]), len(params["x"])
        head = (f"一个 LSTM 单元（隐藏维 {H}，输入维 {d}，无窥视孔连接）运行 {T} 个时间步。" if zh else
                f"An LSTM cell (hidden size {H}, input size {d}, no peephole connections) runs for {T} time step"
                f"{'s' if T > 1 else ''}.")
        cell = "$c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde{c}_t$, $h_t = o_t \\odot \\tanh(c_t)$"
        if params["layout"] == "textbook":
            z = "[h_{t-1}, x_t]" if params["concat"] == "hx" else "[x_t, h_{t-1}]"
            gates = (f"$f_t = \\sigma(W_f {z} + b_f)$, $i_t = \\sigma(W_i {z} + b_i)$, "
                     f"$\\tilde{{c}}_t = \\tanh(W_c {z} + b_c)$, $o_t = \\sigma(W_o {z} + b_o)$,")
            given = "; ".join(f"$W_{n}$ = {R.mat(params[f'W_{n}'])}, $b_{n}$ = {R.vec(params[f'b_{n}'])}"
                              for n in ("f", "i", "c", "o"))
            layout = (f"每个门一个矩阵，作用于拼接向量 ${z}$，每个门一个偏置。" if zh else
                      f"Each gate has one matrix on the concatenation ${z}$ and one bias.")
        else:
            gates = ("$W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}$ is split into blocks of "
                     f"{H} in the order $i, f, g, o$: $i_t, f_t, o_t$ = σ(block), $\\tilde{{c}}_t = g_t$ = tanh(block),"
                     if not zh else
                     f"$W_{{ih}} x_t + b_{{ih}} + W_{{hh}} h_{{t-1}} + b_{{hh}}$ 按 $i, f, g, o$ 的顺序分成每块 {H} 行："
                     "$i_t, f_t, o_t$ = σ(块)，$\\tilde{c}_t = g_t$ = tanh(块)，")
            given = "; ".join(f"{n} (${s}$) = {R.mat(params[n]) if 'weight' in n else R.vec(params[n])}"
                              for n, s in (("weight_ih_l0", "W_{ih}"), ("weight_hh_l0", "W_{hh}"),
                                           ("bias_ih_l0", "b_{ih}"), ("bias_hh_l0", "b_{hh}")))
            layout = ("权重取自 PyTorch nn.LSTM 的 state_dict：各门的行按 i、f、g、o 堆叠，两个偏置都要加上。" if zh else
                      "The weights are nn.LSTM's state_dict: the gates' rows are stacked in the order i, f, g, o, "
                      "and both biases are added.")
        start = f"{R.sequence(params['x'])}; $h_0$ = {R.vec(params['h0'])}, $c_0$ = {R.vec(params['c0'])}."
        ask = ("写出每一步的 $f_t$、$i_t$、$\\tilde{c}_t$、$o_t$、$c_t$ 和 $h_t$。$\\sigma$ 为 logistic sigmoid。" if zh else
               "Give $f_t$, $i_t$, $\\tilde{c}_t$, $o_t$, $c_t$ and $h_t$ at every step. "
               "$\\sigma$ is the logistic sigmoid.")
        return "\n".join([head, gates + " " + cell + ("。" if zh else "."), "", layout, given + ("。" if zh else "."),
                          start, "", ask + (" " if not zh else "") + R.ROUNDING.get(lang)])

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        B, h, c = blocks(params), params["h0"], params["c0"]
        torch_ = params["layout"] == "pytorch"
        for k, x in enumerate(params["x"], 1):
            pre = pre_activations(B, x, h)
            got: dict[str, list[float]] = {}
            for g in ("f", "i", "g", "o"):
                act = "tanh" if g == "g" else "sigmoid"
                value = R.apply(act, pre[g])
                fn, sym = "tanh" if act == "tanh" else "σ", self._formula(params, g, k)
                num = f"{fn}({R.vec(pre[g], R.peek)})"
                yield Work(self._line(g, k, t(f"{fn}({sym.en}) = {num}", f"{fn}({sym.zh}) = {num}"), value))
                got[g] = R.as_list((yield Value(R.kind_of(value), self._prompt(g, k), R.part_value(value), R.DECIMALS,
                                                step=k, column=SYMBOL[g].replace("\\tilde{c}", "c̃"),
                                                wrong=tuple(self._wrong_gate(g, pre, B, x, h, torch_)))))
            f, i, g, o = got["f"], got["i"], got["g"], got["o"]
            new_c = R.add(R.mul(f, c), R.mul(i, g))
            yield Work(self._line("c", k, f"{R.vec(f, R.peek)} ⊙ {R.vec(c, R.peek)} + {R.vec(i, R.peek)} ⊙ "
                                          f"{R.vec(g, R.peek)}", new_c))
            c_wrong = (Wrong(R.part_value(R.add(R.mul(i, c), R.mul(f, g))), "f_i_swapped",
                             t("$f_t$ multiplies the old cell $c_{t-1}$; $i_t$ multiplies the candidate.",
                               "$f_t$ 乘旧的细胞状态 $c_{t-1}$；$i_t$ 乘候选值。")),
                       Wrong(R.part_value(R.add(c, R.mul(i, g))), "no_forget",
                             t("The old cell is scaled by the forget gate: $f_t \\odot c_{t-1}$.",
                               "旧的细胞状态要乘遗忘门：$f_t \\odot c_{t-1}$。")))
            c = R.as_list((yield Value(R.kind_of(new_c), self._prompt("c", k), R.part_value(new_c), R.DECIMALS,
                                       step=k, column="c", wrong=c_wrong)))
            new_h = R.mul(o, R.apply("tanh", c))
            yield Work(self._line("h", k, f"{R.vec(o, R.peek)} ⊙ tanh({R.vec(c, R.peek)})", new_h))
            h = R.as_list((yield Value(R.kind_of(new_h), self._prompt("h", k), R.part_value(new_h), R.DECIMALS,
                                       step=k, column="h", wrong=(
                Wrong(R.part_value(R.mul(o, c)), "no_tanh",
                      t("$h_t = o_t \\odot \\tanh(c_t)$: the tanh of the cell is missing.",
                        "$h_t = o_t \\odot \\tanh(c_t)$：漏了对细胞状态取 tanh。")),
                Wrong(R.part_value(R.apply("tanh", c)), "no_output_gate",
                      t("The output gate scales the cell's tanh: $h_t = o_t \\odot \\tanh(c_t)$.",
                        "输出门要乘细胞状态的 tanh：$h_t = o_t \\odot \\tanh(c_t)$。"))))))

    @staticmethod
    def _formula(params: dict, g: str, k: int) -> t:
        """The gate's pre-activation in symbols, with this step's indices."""
        if params["layout"] == "pytorch":
            s = f"$W_{{ih}} x_{k} + b_{{ih}} + W_{{hh}} h_{{{k - 1}}} + b_{{hh}}$"
            return t(f"block {g} of {s}", f"{s} 的 {g} 块")
        n = TEXTBOOK[g]
        z = f"[h_{{{k - 1}}}, x_{k}]" if params["concat"] == "hx" else f"[x_{k}, h_{{{k - 1}}}]"
        return t(f"$W_{n} {z} + b_{n}$")

    @staticmethod
    def _prompt(g: str, k: int) -> t:
        en, zh = NAME[g]
        return t(f"${SYMBOL[g]}_{k}$ ({en})", f"${SYMBOL[g]}_{k}$（{zh}）")

    @staticmethod
    def _line(g: str, k: int, body: str | Text, value: list[float]) -> Text:
        body = body if isinstance(body, Text) else t(body)
        head, tail = f"${SYMBOL[g]}_{k}$ = ", f" = {R.vec(value, R.peek)}"
        return t(f"{head}{body.en}{tail} — {ROLE[g].en}.", f"{head}{body.zh}{tail}——{ROLE[g].zh}。")

    @staticmethod
    def _wrong_gate(g: str, pre: dict, B: dict, x, h, torch_: bool) -> list[Wrong]:
        act = "tanh" if g == "g" else "sigmoid"
        out = []
        if g == "g":
            out.append(Wrong(R.part_value(R.apply("sigmoid", pre["g"])), "sigmoid_candidate",
                             t("The candidate uses tanh, not σ.", "候选值用 tanh，而不是 σ。")))
        if torch_:
            swap = {"f": "i", "i": "f", "g": "o", "o": "g"}[g]
            out.append(Wrong(R.part_value(R.apply(act, pre[swap])), "gate_order",
                             t("PyTorch stacks the rows in the gate order i, f, g, o.",
                               "PyTorch 按门的顺序 i、f、g、o 堆叠各行。")))
            wx, wh, bs = B[g]
            out.append(Wrong(R.part_value(R.apply(act, R.add(R.matvec(wx, x), R.matvec(wh, h), bs[0]))), "one_bias",
                             t("PyTorch adds both biases, bias_ih and bias_hh.", "PyTorch 两个偏置 bias_ih 与 bias_hh 都要加。")))
        return out

    # -------------------------------------------------------------- error carried forward
    def resume(self, params: dict, part_id_: str, value):
        n = len(PARTS)
        index = [part_id(i) for i in range(n * len(params["x"]))].index(part_id_)
        step, pos = divmod(index, n)
        if PARTS[pos] != "h" or step + 1 == len(params["x"]):
            return None  # restart only from a hidden state with steps left (its cell state from the key)
        B, h, c = blocks(params), params["h0"], params["c0"]
        for x in params["x"][:step + 1]:
            c, h = _cell(pre_activations(B, x, h), c)
        rest = dict(params, x=params["x"][step + 1:], h0=R.as_list(value), c0=c)
        return rest, {part_id(j): part_id((step + 1) * n + j) for j in range(n * len(rest["x"]))}


def _cell(pre: dict, c: list[float]) -> tuple[list[float], list[float]]:
    """(c_t, h_t) from the pre-activations."""
    f, i, g, o = (R.apply("sigmoid", pre["f"]), R.apply("sigmoid", pre["i"]), R.apply("tanh", pre["g"]),
                  R.apply("sigmoid", pre["o"]))
    c = R.add(R.mul(f, c), R.mul(i, g))
    return c, R.mul(o, [math.tanh(v) for v in c])
