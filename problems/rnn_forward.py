"""An Elman RNN, forward over 2 or 3 time steps (a trace with error carried forward).

    a_t = W_xh x_t + W_hh h_{t−1} + b_h            (one bias, the textbook form)
    a_t = W_xh x_t + b_ih + W_hh h_{t−1} + b_hh    (two biases, PyTorch's nn.RNN)
    h_t = tanh(a_t)   or   h_t = ReLU(a_t)
    y_t = W_hy h_t + b_y                            (optional output)
    ŷ_t = softmax(y_t)                              (optional, on the output)

W_xh is hidden × input (PyTorch's weight_ih_l0), W_hh hidden × hidden (weight_hh_l0); vectors
are columns.  Parts per step: a_t, h_t, then y_t and ŷ_t where asked; a hidden size of 1 gives
numbers, 2 gives vectors.  solvers/rnn_ref.py recomputes them with torch's nn.RNN.
"""

from __future__ import annotations

from problems import _rnn as R
from quizgen import params as P

from quizgen.errors import QuizgenError
from quizgen.model import part_id, t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong



def biases(params: dict) -> list[list[float]]:
    """The bias vectors added to the pre-activation: [b_h], or [b_ih, b_hh]."""
    return [params["b_h"]] if params["biases"] == "one" else [params["b_ih"], params["b_hh"]]


def parts_per_step(params: dict) -> int:
    return 2 + {"none": 0, "linear": 1, "softmax": 2}[params["output"]]


@register
class RNNForward(TraceFamily):
    name = "rnn.forward"
    topic = "rnn"
    version = 1
    title = t("Elman RNN: forward steps by hand", "Elman RNN：手算前向传播")
    summary = t("Pre-activation, hidden state and output of a small RNN at each time step.",
                "逐个时间步计算小型 RNN 的预激活、隐藏状态和输出。")
    example = ("quizgen solve rnn.forward --set x='[1, 2]' --set W_xh=0.5 --set W_hh=-1 --set b_h=0.1 "
               "--set h0=0")
    conventions = (
        t("$W_{xh}$ is hidden × input and $W_{hh}$ hidden × hidden (as PyTorch's weight_ih_l0, weight_hh_l0); "
          "vectors are columns, so the pre-activation is $W_{xh} x_t + W_{hh} h_{t-1} + b$.",
          "$W_{xh}$ 为 隐藏维 × 输入维，$W_{hh}$ 为 隐藏维 × 隐藏维（与 PyTorch 的 weight_ih_l0、weight_hh_l0 相同）；"
          "向量为列向量，预激活为 $W_{xh} x_t + W_{hh} h_{t-1} + b$。"),
        t("One bias $b_h$ (textbook), or two biases $b_{ih}$ and $b_{hh}$ that are both added (PyTorch's nn.RNN).",
          "一个偏置 $b_h$（教材写法），或两个偏置 $b_{ih}$ 与 $b_{hh}$ 同时相加（PyTorch 的 nn.RNN）。"),
    )
    params = (
        R.array_param("x", "the inputs, one row per time step (a flat list = scalar inputs)", "[1, 2]"),
        R.array_param("W_xh", "input-to-hidden weights, hidden × input", "0.5"),
        R.array_param("W_hh", "hidden-to-hidden weights, hidden × hidden", "-1"),
        R.array_param("h0", "the initial hidden state (zeros if not set)", "0", default=None),
        R.array_param("b_h", "the one bias (textbook form; zeros if not set)", "0.1", default=None),
        R.array_param("b_ih", "PyTorch's input bias bias_ih_l0 (two-bias form)", "0.1", default=None),
        R.array_param("b_hh", "PyTorch's hidden bias bias_hh_l0 (two-bias form)", "0", default=None),
        P.choice("biases", "one bias b_h, or two (b_ih + b_hh, PyTorch)", ("one", "two"), default=None),
        P.choice("act", "the activation", ("tanh", "relu"), default="tanh"),
        P.choice("output", "the output y_t = W_hy h_t + b_y, with or without a softmax",
                 ("none", "linear", "softmax"), default=None),
        R.array_param("W_hy", "hidden-to-output weights, output × hidden", "[[1, -1]]", default=None),
        R.array_param("b_y", "the output bias", "0", default=None),
        P.choice("orient", R.ORIENT_HELP, ("column", "row"), default="column"),
    )

    # -------------------------------------------------------------- generate
    def _draw(self, rng, difficulty: str) -> dict:
        pick = R.chooser(rng)
        H = 1 if difficulty == "easy" else 2
        d = 1 if difficulty == "easy" else pick([1, 2]) if difficulty == "medium" else 2
        T = 3 if difficulty == "hard" else 2
        w = lambda r, c: R.draw_matrix(pick, r, c)  # noqa: E731
        v = lambda n, opts: R.draw_vector(pick, n, opts)  # noqa: E731
        p = {"x": [v(d, (-2, -1, 1, 2)) for _ in range(T)], "h0": R.zeros(H) if difficulty == "easy" else
             v(H, (-0.5, 0, 0, 0.5)), "W_xh": w(H, d), "W_hh": w(H, H),
             "biases": "one" if difficulty == "easy" else pick(["one", "two"]) if difficulty == "medium" else "two",
             "act": "tanh" if difficulty == "easy" else pick(["tanh", "tanh", "relu"]),
             "orient": pick(["column", "column", "column", "row"]) if difficulty == "hard" else "column"}
        if p["biases"] == "one":
            p["b_h"] = v(H, (-0.2, -0.1, 0, 0.1, 0.2))
        else:
            p["b_ih"], p["b_hh"] = v(H, (-0.2, -0.1, 0.1, 0.2)), v(H, (-0.1, 0.1, 0.2))
        p["output"] = {"easy": "none", "medium": pick(["none", "linear"]), "hard": pick(["linear", "softmax"])}[difficulty]
        if p["output"] != "none":
            K = 1 if p["output"] == "linear" else 2
            p["W_hy"], p["b_y"] = w(K, H), v(K, (0, 0.1, -0.1))
        return p

    @staticmethod
    def _friendly(p: dict) -> bool:
        pre = [a for a, _ in _states(p) for a in a]
        if p["act"] == "relu":
            return all(abs(a) >= 0.05 for a in pre) and any(a < 0 for a in pre) and max(pre) <= 3 \
                and any(x > 0 for x in _states(p)[-1][1])
        return all(0.05 <= abs(a) <= 2.2 for a in pre)

    # -------------------------------------------------------------- from the user's --set values
    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        xs = R.inputs("x", v["x"])
        d = len(xs[0])
        w_hh = v["W_hh"]
        H = 1 if isinstance(w_hh, (int, float)) else len(w_hh) if isinstance(w_hh[0], list) else 1
        if H > 4:
            raise QuizgenError("W_hh: a hidden size of 1 to 4 only")
        o = v["orient"]
        p = {"x": xs, "W_xh": R.fit_oriented("W_xh", v["W_xh"], H, d, "hidden × input", o),
             "W_hh": R.fit_oriented("W_hh", w_hh, H, H, "hidden × hidden", o), "orient": o,
             "h0": R.zeros(H) if v["h0"] is None else R.fit_vector("h0", v["h0"], H, "the hidden size"),
             "act": v["act"]}
        two = v["b_ih"] is not None or v["b_hh"] is not None
        p["biases"] = v["biases"] or ("two" if two else "one")
        if p["biases"] == "one":
            if two:
                raise QuizgenError("biases=one takes b_h; b_ih and b_hh are for biases=two")
            p["b_h"] = R.zeros(H) if v["b_h"] is None else R.fit_vector("b_h", v["b_h"], H, "the hidden size")
        else:
            if v["b_h"] is not None:
                raise QuizgenError("give b_h (one bias) or b_ih and b_hh (two biases, PyTorch), not both")
            for name in ("b_ih", "b_hh"):
                p[name] = R.zeros(H) if v[name] is None else R.fit_vector(name, v[name], H, "the hidden size")
        p["output"] = v["output"] or ("linear" if v["W_hy"] is not None else "none")
        if p["output"] != "none":
            if v["W_hy"] is None:
                raise QuizgenError(f"output={p['output']} needs --set W_hy=... (output × hidden)")
            m = v["W_hy"]
            K = 1 if isinstance(m, (int, float)) else (1 if H > 1 else len(m)) if not isinstance(m[0], list) \
                else len(m) if o == "column" else len(m[0])
            p["W_hy"] = R.fit_oriented("W_hy", m, K, H, "output × hidden", o)
            p["b_y"] = R.zeros(K) if v["b_y"] is None else R.fit_vector("b_y", v["b_y"], K, "the output size")
            if p["output"] == "softmax" and K < 2:
                raise QuizgenError("a softmax needs at least 2 outputs (W_hy with 2 or more rows)")
        elif v["W_hy"] is not None or v["b_y"] is not None:
            raise QuizgenError("output=none takes no W_hy or b_y")
        return p

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        zh, row = lang == "zh", params.get("orient") == "row"
        H, d, T = len(params["h0"]), len(params["x"][0]), len(params["x"])
        act = "\\tanh" if params["act"] == "tanh" else "\\operatorname{ReLU}"
        bias = "b_h" if params["biases"] == "one" else "b_{ih} + b_{hh}"
        lines = [(f"一个 Elman RNN（隐藏维 {H}，输入维 {d}）运行 {T} 个时间步：" if zh else
                  f"An Elman RNN (hidden size {H}, input size {d}) runs for {T} time steps:"),
                 f"$a_t = x_t W_{{xh}} + h_{{t-1}} W_{{hh}} + {bias}$, $h_t = {act}(a_t)$" if row else
                 f"$a_t = W_{{xh}} x_t + W_{{hh}} h_{{t-1}} + {bias}$, $h_t = {act}(a_t)$"]
        out = "$y_t = h_t W_{hy} + b_y$" if row else "$y_t = W_{hy} h_t + b_y$"
        if params["output"] == "linear":
            lines[-1] += ", " + out
        elif params["output"] == "softmax":
            lines[-1] += ", " + out + ", $\\hat{y}_t = \\operatorname{softmax}(y_t)$"
        shown = lambda m: R.mat(R.transpose(m) if row else m)  # noqa: E731
        given = [f"$W_{{xh}}$ = {shown(params['W_xh'])}", f"$W_{{hh}}$ = {shown(params['W_hh'])}"]
        given += [f"${n[0]}_{{{n[2:]}}}$ = {R.vec(params[n])}" for n in ("b_h", "b_ih", "b_hh") if n in params]
        if params["output"] != "none":
            given += [f"$W_{{hy}}$ = {shown(params['W_hy'])}", f"$b_y$ = {R.vec(params['b_y'])}"]
        lines += ["", "; ".join(given) + ".", R.sequence(params["x"]) + f"; $h_0$ = {R.vec(params['h0'])}.", ""]
        names = ["$a_t$", "$h_t$"] + {"none": [], "linear": ["$y_t$"], "softmax": ["$y_t$", "$\\hat{y}_t$"]}[params["output"]]
        if row:
            shapes = (" 向量为行向量，权重为 输入维 × 隐藏维（Keras 与《深度学习入门 2》的写法），按行给出。" if zh else
                      " Vectors are rows and weights are input × hidden (as in Keras and Deep Learning from "
                      "Scratch 2), given row by row.")
        else:
            shapes = ("" if H == 1 else " 向量为列向量，矩阵按行给出（隐藏维 × 输入维，与 PyTorch 相同）。" if zh else
                      " Vectors are columns; matrices are given row by row (hidden × input, as in PyTorch).")
        if zh:
            two = "两个偏置都要加上（PyTorch 的 nn.RNN）。" if params["biases"] == "two" else ""
            lines.append(f"写出每一步的 {'、'.join(names)}（$a_t$ 为预激活）。{two}{shapes.strip()}{R.ROUNDING.zh}")
        else:
            two = " Both biases are added (PyTorch's nn.RNN)." if params["biases"] == "two" else ""
            lines.append(f"Give {', '.join(names[:-1])} and {names[-1]} at every step ($a_t$ is the pre-activation)."
                         f"{two}{shapes} {R.ROUNDING.en}")
        return "\n".join(lines)

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        h, act = params["h0"], params["act"]
        bs = biases(params)
        other = "relu" if act == "tanh" else "tanh"
        for k, x in enumerate(params["x"], 1):
            wx, wh = R.matvec(params["W_xh"], x), R.matvec(params["W_hh"], h)
            a = R.add(wx, wh, *bs)
            names = "b_h" if len(bs) == 1 else "b_{ih} + b_{hh}"
            terms = " + ".join(R.vec(v, R.peek) for v in (wx, wh, *bs))
            yield Work(t(f"Step {k}: $a_{k} = W_{{xh}} x_{k} + W_{{hh}} h_{{{k - 1}}} + {names}$ = {terms} = "
                         f"{R.vec(a, R.peek)}",
                         f"第 {k} 步：$a_{k} = W_{{xh}} x_{k} + W_{{hh}} h_{{{k - 1}}} + {names}$ = {terms} = "
                         f"{R.vec(a, R.peek)}"))
            wrong = [Wrong(R.part_value(R.add(wx, *bs)), "no_recurrence",
                           t("You left out the recurrent term $W_{hh} h_{t-1}$.", "你漏掉了循环项 $W_{hh} h_{t-1}$。"))]
            if len(h) > 1:
                wrong.append(Wrong(R.part_value(R.add(wx, R.matvec(R.transpose(params["W_hh"]), h), *bs)),
                                   "transposed", t("You multiplied by $W_{hh}^\\top$: row i of $W_{hh}$ gives unit i.",
                                                   "你乘了 $W_{hh}^\\top$：$W_{hh}$ 的第 i 行对应第 i 个单元。")))
            if len(bs) == 2:
                wrong.append(Wrong(R.part_value(R.add(wx, wh, bs[0])), "one_bias",
                                   t("PyTorch's nn.RNN adds both biases, $b_{ih}$ and $b_{hh}$.",
                                     "PyTorch 的 nn.RNN 两个偏置 $b_{ih}$ 和 $b_{hh}$ 都要加。")))
            a = R.as_list((yield Value(R.kind_of(a), t(f"$a_{k}$ (pre-activation)", f"$a_{k}$（预激活）"),
                                       R.part_value(a), R.DECIMALS, step=k, column="a", wrong=tuple(wrong))))
            new = R.apply(act, a)
            fn = "\\tanh" if act == "tanh" else "\\operatorname{ReLU}"
            yield Work(t(f"$h_{k} = {fn}(a_{k})$ = {R.vec(new, R.peek)}"))
            h = R.as_list((yield Value(R.kind_of(new), t(f"$h_{k}$ (hidden state)", f"$h_{k}$（隐藏状态）"), R.part_value(new), R.DECIMALS, step=k,
                                       column="h", wrong=(
                Wrong(R.part_value(a), "no_activation", t("You forgot the activation: $h_t = f(a_t)$.",
                                                          "你忘了激活函数：$h_t = f(a_t)$。")),
                Wrong(R.part_value(R.apply(other, a)), "other_activation",
                      t(f"This RNN uses {act}, not {other}.", f"这个 RNN 使用 {act}，而不是 {other}。"))))))
            if params["output"] != "none":
                yield from self._output(params, k, h)
        return None

    @staticmethod
    def _output(params: dict, k: int, h: list[float]):
        y = R.add(R.matvec(params["W_hy"], h), params["b_y"])
        yield Work(t(f"$y_{k} = W_{{hy}} h_{k} + b_y$ = {R.vec(y, R.peek)}"))
        y = R.as_list((yield Value(R.kind_of(y), t(f"$y_{k}$ (output)", f"$y_{k}$（输出）"), R.part_value(y), R.DECIMALS, step=k, column="y")))
        if params["output"] == "softmax":
            p = R.softmax(y)
            yield Work(t(f"$\\hat{{y}}_{k} = \\operatorname{{softmax}}(y_{k})$ = {R.vec(p, R.peek)}"))
            yield Value("vector", t(f"$\\hat{{y}}_{k}$ (softmax)", f"$\\hat{{y}}_{k}$（softmax 输出）"), p, R.DECIMALS, step=k, column="ŷ", wrong=(
                Wrong(R.apply("sigmoid", y), "sigmoid", t("Softmax normalises over all outputs; it is not σ of each.",
                                                          "softmax 在所有输出上归一化，不是对每个分量取 σ。")),))
        return y

    # -------------------------------------------------------------- error carried forward
    def resume(self, params: dict, part_id_: str, value):
        n = parts_per_step(params)
        index = [part_id(i) for i in range(n * len(params["x"]))].index(part_id_)
        step, pos = divmod(index, n)
        if pos != 1 or step + 1 == len(params["x"]):
            return None  # restart only from a hidden state with steps left
        rest = dict(params, x=params["x"][step + 1:], h0=R.as_list(value))
        return rest, {part_id(j): part_id((step + 1) * n + j) for j in range(n * len(rest["x"]))}


def _states(p: dict) -> list[tuple[list[float], list[float]]]:
    """(a_t, h_t) for every step (used to judge a draw)."""
    h, out = p["h0"], []
    for x in p["x"]:
        a = R.add(R.matvec(p["W_xh"], x), R.matvec(p["W_hh"], h), *biases(p))
        h = R.apply(p["act"], a)
        out.append((a, h))
    return out
