"""A GRU, one to three time steps by hand, one layer or two stacked (a trace with error carried
forward).  Two conventions, stated in every statement:

    cho (textbook)   r = σ(W_r x + U_r h + b_r),   z = σ(W_z x + U_z h + b_z)
                     h̃ = tanh(W_h x + U_h (r ⊙ h) + b_h)                     reset before U_h
                     h_t = (1 − z) ⊙ h_{t−1} + z ⊙ h̃                         z takes the candidate
    pytorch          r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
                     n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))            reset after W_hn
                     h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}                          z keeps the old state

(h = h_{t−1}.)  The "cho" form is the issue's and Chung et al. (2014), Wikipedia's and Colah's
blog; Cho et al.'s own paper (2014, eq. 7) and d2l put z on h_{t−1} as PyTorch does: `update`
overrides where z goes (candidate | previous), `reset` where r goes (before | after W_hn).
PyTorch weights are nn.GRU's state_dict: weight_ih_l0 (3H × d), weight_hh_l0 (3H × H), rows
in the gate order r, z, n, two biases; a second layer takes h¹_t as its input (…_l1).
Parts per step and layer: r, z, h̃ (n), h_t.  solvers/rnn_ref.py checks them with nn.GRU.
"""

from __future__ import annotations

from problems import _rnn as R
from quizgen import params as P

from quizgen.errors import QuizgenError
from quizgen.model import part_id, t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong

ORDER = ("r", "z", "n")                      # PyTorch's row blocks
TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
SYMBOL = {"r": "r", "z": "z", "n": "\\tilde{h}", "h": "h"}
NAME = {"r": ("reset gate", "重置门"), "z": ("update gate", "更新门"), "n": ("candidate", "候选状态"),
        "h": ("hidden state", "隐藏状态")}


def role(g: str, update: str) -> t:
    if g == "r":
        return t("reset gate: how much of $h_{t-1}$ the candidate sees", "重置门：候选状态能看到多少 $h_{t-1}$")
    if g == "z":
        return (t("update gate: the share of the candidate taken into $h_t$", "更新门：$h_t$ 中取候选状态的比例")
                if update == "candidate" else
                t("update gate: the share of $h_{t-1}$ kept in $h_t$", "更新门：$h_t$ 中保留 $h_{t-1}$ 的比例"))
    if g == "n":
        return t("candidate state: the new content, between −1 and 1", "候选状态：新内容，介于 −1 与 1 之间")
    return t("new hidden state: a blend of $h_{t-1}$ and the candidate", "新的隐藏状态：$h_{t-1}$ 与候选状态的加权混合")


def layers(p: dict) -> list[dict[str, tuple]]:
    """Per layer, per gate: (W on the input, W on h, input-side bias, hidden-side bias)."""
    H = len(p["h0"][0])
    if p["convention"] == "pytorch":
        out = []
        for ell in range(len(p["h0"])):
            w = {n: p[f"{n}_l{ell}"] for n in TORCH_NAMES}
            out.append({g: (R.rows(w["weight_ih"], k, H), R.rows(w["weight_hh"], k, H),
                            R.rows(w["bias_ih"], k, H), R.rows(w["bias_hh"], k, H)) for k, g in enumerate(ORDER)})
        return out
    return [{g: (p[f"W_{n}"], p[f"U_{n}"], p[f"b_{n}"], R.zeros(H)) for g, n in zip(ORDER, ("r", "z", "h"))}]


def gate(B: dict, g: str, x, h, r=None, reset: str = "after") -> list[float]:
    """Pre-activation of gate g (for n, with the reset gate r applied before or after W_hn)."""
    wx, wh, bx, bh = B[g]
    if g != "n":
        return R.add(R.matvec(wx, x), bx, R.matvec(wh, h), bh)
    if reset == "after":
        return R.add(R.matvec(wx, x), bx, R.mul(r, R.add(R.matvec(wh, h), bh)))
    return R.add(R.matvec(wx, x), bx, R.matvec(wh, R.mul(r, h)), bh)


def blend(z, n, h, update: str) -> list[float]:
    keep, take = (R.add([1.0] * len(z), [-v for v in z]), z) if update == "candidate" else \
        (z, R.add([1.0] * len(z), [-v for v in z]))
    return R.add(R.mul(keep, h), R.mul(take, n))


def run(p: dict) -> list[list[list[float]]]:
    """h of every layer after every step (the key's path, for draws and resume)."""
    hs, out = [list(v) for v in p["h0"]], []
    for x in p["x"]:
        inp = x
        for ell, B in enumerate(layers(p)):
            r = R.apply("sigmoid", gate(B, "r", inp, hs[ell]))
            z = R.apply("sigmoid", gate(B, "z", inp, hs[ell]))
            n = R.apply("tanh", gate(B, "n", inp, hs[ell], r, p["reset"]))
            hs[ell] = inp = blend(z, n, hs[ell], p["update"])
        out.append([list(v) for v in hs])
    return out


def _params() -> tuple:
    out = [R.array_param("x", "the inputs, one row per time step (a flat list = scalar inputs)", "1"),
           R.array_param("h0", "the initial hidden state, one row per layer (zeros if not set)", "0", default=None),
           P.choice("convention", "cho (textbook W, U, one bias; (1−z)h + z h̃) or pytorch (nn.GRU state_dict)",
                    ("cho", "pytorch"), default=None),
           P.choice("update", "what z multiplies: candidate ((1−z)h + z h̃) or previous (z h + (1−z) h̃, PyTorch)",
                    ("candidate", "previous"), default=None),
           P.choice("reset", "r applied before U_h (U(r⊙h), textbook) or after (r⊙(W_hn h + b_hn), PyTorch)",
                    ("before", "after"), default=None)]
    for n in ("r", "z", "h"):
        out += [R.array_param(f"W_{n}", f"textbook W_{n}, hidden × input", "1", default=None),
                R.array_param(f"U_{n}", f"textbook U_{n}, hidden × hidden", "0", default=None),
                R.array_param(f"b_{n}", f"textbook bias b_{n}", "0", default=None)]
    for ell in (0, 1):
        out += [R.array_param(f"{n}_l{ell}", f"PyTorch {n}_l{ell} (3·hidden {'rows' if 'weight' in n else 'numbers'}, "
                              "blocks r, z, n)", "[[1], [1], [1]]" if "weight" in n else "[0, 0, 0]", default=None)
                for n in TORCH_NAMES]
    return tuple(out)


@register
class GRUStep(TraceFamily):
    name = "gru.step"
    topic = "rnn"
    version = 1
    title = t("GRU gates by hand", "手算 GRU 的门")
    summary = t("Reset and update gates, the candidate and h_t of a GRU (textbook or PyTorch convention).",
                "逐步计算 GRU 的重置门、更新门、候选状态与 h_t（教材或 PyTorch 约定）。")
    example = "quizgen solve gru.step --set x=1 --set W_r=1 --set W_z=1 --set W_h=1 --set h0=0.5"
    conventions = (
        t("Textbook (cho): $\\tilde{h}_t = \\tanh(W_h x_t + U_h (r_t \\odot h_{t-1}) + b_h)$, "
          "$h_t = (1 - z_t) \\odot h_{t-1} + z_t \\odot \\tilde{h}_t$. PyTorch: "
          "$n_t = \\tanh(W_{in} x_t + b_{in} + r_t \\odot (W_{hn} h_{t-1} + b_{hn}))$, "
          "$h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}$; its weights stack the rows in the order r, z, n.",
          "教材（cho）：$\\tilde{h}_t = \\tanh(W_h x_t + U_h (r_t \\odot h_{t-1}) + b_h)$，"
          "$h_t = (1 - z_t) \\odot h_{t-1} + z_t \\odot \\tilde{h}_t$。PyTorch："
          "$n_t = \\tanh(W_{in} x_t + b_{in} + r_t \\odot (W_{hn} h_{t-1} + b_{hn}))$，"
          "$h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}$；其权重按 r、z、n 的顺序堆叠各行。"),
        R.SIGMOID,
    )
    params = _params()

    # -------------------------------------------------------------- generate
    def _draw(self, rng, difficulty: str) -> dict:
        pick = R.chooser(rng)
        conv = {"easy": "cho", "medium": pick(["cho", "pytorch"]), "hard": "pytorch"}[difficulty]
        H, T, L = {"easy": (1, 1, 1), "medium": pick([(1, 2, 1), (2, 1, 1)]),
                   "hard": pick([(1, 2, 2), (2, 2, 1)])}[difficulty]
        w = lambda r, c: R.draw_matrix(pick, r, c)  # noqa: E731
        v = lambda n, opts: R.draw_vector(pick, n, opts)  # noqa: E731
        p = {"convention": conv, "update": "candidate" if conv == "cho" else "previous",
             "reset": "before" if conv == "cho" else "after", "x": [v(1, (-2, -1, 1, 2)) for _ in range(T)],
             "h0": [v(H, (-0.5, 0.5, 1)) for _ in range(L)]}
        if conv == "cho":
            for n in ("r", "z", "h"):
                p[f"W_{n}"], p[f"U_{n}"], p[f"b_{n}"] = w(H, 1), w(H, H), v(H, (-0.5, 0, 0, 0.5))
        else:
            for ell in range(L):
                d = 1 if ell == 0 else H
                p[f"weight_ih_l{ell}"], p[f"weight_hh_l{ell}"] = w(3 * H, d), w(3 * H, H)
                p[f"bias_ih_l{ell}"], p[f"bias_hh_l{ell}"] = v(3 * H, (-0.5, 0, 0.5)), v(3 * H, (0, 0, 0.1, -0.1))
        return p

    @staticmethod
    def _friendly(p: dict) -> bool:
        hs = [list(v) for v in p["h0"]]
        for x in p["x"]:
            inp = x
            for ell, B in enumerate(layers(p)):
                pre = {g: gate(B, g, inp, hs[ell]) for g in ("r", "z")}
                r = R.apply("sigmoid", pre["r"])
                pre["n"] = gate(B, "n", inp, hs[ell], r, p["reset"])
                if not all(0.05 <= abs(a) <= 2.5 for v in pre.values() for a in v):
                    return False
                z, n = R.apply("sigmoid", pre["z"]), R.apply("tanh", pre["n"])
                hs[ell] = inp = blend(z, n, hs[ell], p["update"])
        return True

    # -------------------------------------------------------------- from the user's --set values
    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        xs = R.inputs("x", v["x"])
        d = len(xs[0])
        textbook = [n for n in ("W_r", "U_r", "b_r", "W_z", "U_z", "b_z", "W_h", "U_h", "b_h") if v[n] is not None]
        torch_ = [f"{n}_l{ell}" for ell in (0, 1) for n in TORCH_NAMES if v[f"{n}_l{ell}"] is not None]
        conv = v["convention"] or ("pytorch" if torch_ else "cho")
        if textbook and torch_ or (textbook if conv == "pytorch" else torch_):
            raise QuizgenError("give the textbook W_r, U_r, … (convention=cho) or PyTorch's weight_ih_l0 … "
                               "(convention=pytorch), not both")
        p = {"convention": conv, "x": xs, "update": v["update"] or ("candidate" if conv == "cho" else "previous"),
             "reset": v["reset"] or ("before" if conv == "cho" else "after")}
        if conv == "cho":
            if v["W_r"] is None or v["W_z"] is None or v["W_h"] is None:
                raise QuizgenError("convention=cho needs W_r, W_z and W_h (hidden × input)")
            H = _rows(v["W_h"], d)
            for n in ("r", "z", "h"):
                p[f"W_{n}"] = R.fit(f"W_{n}", v[f"W_{n}"], H, d, "hidden × input")
                p[f"U_{n}"] = (R.fit(f"U_{n}", v[f"U_{n}"], H, H, "hidden × hidden") if v[f"U_{n}"] is not None
                               else [R.zeros(H) for _ in range(H)])
                p[f"b_{n}"] = R.zeros(H) if v[f"b_{n}"] is None else R.fit_vector(f"b_{n}", v[f"b_{n}"], H, "hidden")
            L = 1
        else:
            if v["weight_ih_l0"] is None:
                raise QuizgenError("convention=pytorch needs weight_ih_l0 (3·hidden × input, blocks r, z, n)")
            n = _rows(v["weight_ih_l0"], d)
            if n % 3 or not 1 <= n // 3 <= 4:
                raise QuizgenError("weight_ih_l0: expected 3·hidden rows (blocks r, z, n), hidden 1 to 4")
            H, L = n // 3, 2 if any(x.endswith("_l1") for x in torch_) else 1
            for ell in range(L):
                inputs = d if ell == 0 else H
                for name, shape in (("weight_ih", (3 * H, inputs)), ("weight_hh", (3 * H, H))):
                    key = f"{name}_l{ell}"
                    if v[key] is None and name == "weight_ih":
                        raise QuizgenError("a second layer needs weight_ih_l1 (3·hidden × hidden)")
                    p[key] = (R.fit(key, v[key], *shape, f"3·hidden × {'input' if ell == 0 else 'hidden'}")
                              if v[key] is not None else [R.zeros(shape[1]) for _ in range(shape[0])])
                for name in ("bias_ih", "bias_hh"):
                    key = f"{name}_l{ell}"
                    p[key] = R.zeros(3 * H) if v[key] is None else R.fit_vector(key, v[key], 3 * H, "3·hidden")
        p["h0"] = ([R.zeros(H) for _ in range(L)] if v["h0"] is None else
                   [R.fit_vector("h0", v["h0"], H, "the hidden size")] if L == 1 else
                   R.fit("h0", v["h0"], L, H, "layers × hidden"))
        return p

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        zh = lang == "zh"
        L, H, d, T = len(params["h0"]), len(params["h0"][0]), len(params["x"][0]), len(params["x"])
        torch_ = params["convention"] == "pytorch"
        stack = (f"{L} 层堆叠、" if zh else f"{L} stacked layers, ") if L > 1 else ""
        head = (f"一个 GRU（{stack}隐藏维 {H}，输入维 {d}）运行 {T} 个时间步。" if zh else
                f"A GRU ({stack}hidden size {H}, input size {d}) runs for {T} time step{'s' if T > 1 else ''}.")
        h, c = "h_{t-1}", "\\tilde{h}_t"
        if torch_:
            eqs = ("$r_t = \\sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})$, "
                   "$z_t = \\sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})$, ")
        else:
            eqs = "$r_t = \\sigma(W_r x_t + U_r h_{t-1} + b_r)$, $z_t = \\sigma(W_z x_t + U_z h_{t-1} + b_z)$, "
        W, U, bx, bh = ("W_{in}", "W_{hn}", " + b_{in}", " + b_{hn}") if torch_ else ("W_h", "U_h", " + b_h", "")
        eqs += (f"${c} = \\tanh({W} x_t{bx} + r_t \\odot ({U} {h}{bh}))$, " if params["reset"] == "after" else
                f"${c} = \\tanh({W} x_t{bx} + {U} (r_t \\odot {h}){bh})$, ")
        eqs += (f"$h_t = (1 - z_t) \\odot {h} + z_t \\odot {c}$" if params["update"] == "candidate" else
                f"$h_t = z_t \\odot {h} + (1 - z_t) \\odot {c}$")
        lines = [head, eqs + ("。" if zh else "."), ""]
        feed = "; layer 2 takes layer 1's $h_t$ as its input"
        if torch_:
            lines.append("权重取自 PyTorch nn.GRU 的 state_dict：各门的行按 r、z、n 堆叠，两个偏置都要加上"
                         f"{'；第 2 层以第 1 层的 $h_t$ 为输入' if L > 1 else ''}；$\\tilde{{h}}_t$ 即 PyTorch 的 $n_t$。"
                         if zh else
                         "The weights are nn.GRU's state_dict: the gates' rows are stacked in the order r, z, n, and "
                         f"both biases are added{feed if L > 1 else ''}; "
                         "$\\tilde{h}_t$ is PyTorch's $n_t$.")
            names = [f"{n}_l{ell}" for ell in range(L) for n in TORCH_NAMES]
            lines.append("; ".join(f"{n} = {R.mat(params[n]) if 'weight' in n else R.vec(params[n])}" for n in names)
                         + ("。" if zh else "."))
        else:
            lines.append("; ".join(f"$W_{n}$ = {R.mat(params[f'W_{n}'])}, $U_{n}$ = {R.mat(params[f'U_{n}'])}, "
                                   f"$b_{n}$ = {R.vec(params[f'b_{n}'])}" for n in ("r", "z", "h")) + ("。" if zh else "."))
        h0 = R.vec(params["h0"][0]) if L == 1 else "; ".join(
            f"{'第' if zh else 'layer '}{ell + 1}{' 层' if zh else ''}: {R.vec(v)}" for ell, v in enumerate(params["h0"]))
        lines.append(f"{R.sequence(params['x'])}; $h_0$ = {h0}.")
        z_says = ("$z_t$ 乘的是候选状态" if params["update"] == "candidate" else "$z_t$ 乘的是 $h_{t-1}$") if zh else \
            ("$z_t$ weights the candidate" if params["update"] == "candidate" else "$z_t$ weights $h_{t-1}$")
        each = ("每一层" if zh else "each layer at ") if L > 1 else ""
        lines += ["", (f"写出{each}每一步的 $r_t$、$z_t$、$\\tilde{{h}}_t$ 和 $h_t$。注意：{z_says}。{R.ROUNDING.zh}" if zh else
                       f"Give $r_t$, $z_t$, $\\tilde{{h}}_t$ and $h_t$ at {each}every step. Note: {z_says}. "
                       f"{R.ROUNDING.en}")]
        return "\n".join(lines)

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        hs, torch_, L = [list(v) for v in params["h0"]], params["convention"] == "pytorch", len(params["h0"])
        other = {"candidate": "previous", "previous": "candidate"}[params["update"]]
        for k, x in enumerate(params["x"], 1):
            inp = x
            for ell, B in enumerate(layers(params)):
                h, sup = hs[ell], f"^{{({ell + 1})}}" if L > 1 else ""
                got = {}
                for g in ("r", "z", "n"):
                    pre = gate(B, g, inp, h, got.get("r"), params["reset"])
                    val = R.apply("tanh" if g == "n" else "sigmoid", pre)
                    wrong = self._wrong(g, B, inp, h, got.get("r"), params["reset"], torch_)
                    fn = "tanh" if g == "n" else "σ"
                    sym = self._formula(params, g, k) + " = " if L == 1 else ""
                    yield Work(self._line(g, k, sup, f"{fn}({sym}{R.vec(pre, R.peek)})", val, params["update"]))
                    got[g] = R.as_list((yield Value(R.kind_of(val), self._prompt(g, k, sup, ell, L), R.part_value(val),
                                                    R.DECIMALS, step=k, column=f"{g}{ell + 1}" if L > 1 else g,
                                                    wrong=tuple(wrong))))
                new = blend(got["z"], got["n"], h, params["update"])
                z_, n_, h_ = (R.vec(v, R.peek) for v in (got["z"], got["n"], h))
                body = (f"(1 − {z_}) ⊙ {h_} + {z_} ⊙ {n_}" if params["update"] == "candidate" else
                        f"{z_} ⊙ {h_} + (1 − {z_}) ⊙ {n_}")
                yield Work(self._line("h", k, sup, body, new, params["update"]))
                hs[ell] = inp = R.as_list((yield Value(
                    R.kind_of(new), self._prompt("h", k, sup, ell, L), R.part_value(new), R.DECIMALS, step=k,
                    column=f"h{ell + 1}" if L > 1 else "h", wrong=(
                        Wrong(R.part_value(blend(got["z"], got["n"], h, other)), "z_swapped",
                              t("The z convention is swapped: check which term $z_t$ multiplies in this problem.",
                                "z 的约定用反了：看清本题中 $z_t$ 乘的是哪一项。")),))))

    @staticmethod
    def _wrong(g, B, x, h, r, reset, torch_) -> list[Wrong]:
        out = []
        if g == "n":
            other = "before" if reset == "after" else "after"
            out.append(Wrong(R.part_value(R.apply("tanh", gate(B, "n", x, h, r, other))), "reset_placement",
                             t("Check where the reset gate goes: before or after multiplying $h_{t-1}$ by its matrix.",
                               "注意重置门的位置：在 $h_{t-1}$ 乘矩阵之前还是之后。")))
        elif torch_:
            swap = "z" if g == "r" else "r"
            out.append(Wrong(R.part_value(R.apply("sigmoid", gate(B, swap, x, h))), "gate_order",
                             t("PyTorch stacks the rows in the gate order r, z, n.", "PyTorch 按 r、z、n 的顺序堆叠各行。")))
        if torch_:
            wx, wh, bx, _ = B[g]
            one = dict(B, **{g: (wx, wh, bx, R.zeros(len(bx)))})
            act = "tanh" if g == "n" else "sigmoid"
            out.append(Wrong(R.part_value(R.apply(act, gate(one, g, x, h, r, reset))), "one_bias",
                             t("PyTorch adds both biases, bias_ih and bias_hh.", "PyTorch 两个偏置 bias_ih 与 bias_hh 都要加。")))
        return out

    @staticmethod
    def _formula(params: dict, g: str, k: int) -> str:
        """The gate's pre-activation in symbols (one layer), with this step's indices."""
        x, h, torch_ = f"x_{k}", f"h_{{{k - 1}}}", params["convention"] == "pytorch"
        if g != "n":
            return (f"$W_{{i{g}}} {x} + b_{{i{g}}} + W_{{h{g}}} {h} + b_{{h{g}}}$" if torch_ else
                    f"$W_{g} {x} + U_{g} {h} + b_{g}$")
        W, U, bx, bh = ("W_{in}", "W_{hn}", " + b_{in}", " + b_{hn}") if torch_ else ("W_h", "U_h", " + b_h", "")
        r = f"r_{k}"
        return (f"${W} {x}{bx} + {r} \\odot ({U} {h}{bh})$" if params["reset"] == "after" else
                f"${W} {x}{bx} + {U} ({r} \\odot {h}){bh}$")

    @staticmethod
    def _prompt(g: str, k: int, sup: str, ell: int, L: int) -> t:
        en, zh = NAME[g]
        layer_en, layer_zh = (f", layer {ell + 1}", f"，第 {ell + 1} 层") if L > 1 else ("", "")
        return t(f"${SYMBOL[g]}{sup}_{k}$ ({en}{layer_en})", f"${SYMBOL[g]}{sup}_{k}$（{zh}{layer_zh}）")

    @staticmethod
    def _line(g: str, k: int, sup: str, body: str, value, update: str) -> t:
        s = f"${SYMBOL[g]}{sup}_{k}$ = {body} = {R.vec(value, R.peek)}"
        r = role(g, update)
        return t(f"{s} — {r.en}.", f"{s}——{r.zh}。")

    # -------------------------------------------------------------- error carried forward
    def resume(self, params: dict, part_id_: str, value):
        L, T = len(params["h0"]), len(params["x"])
        n = 4 * L
        index = [part_id(i) for i in range(n * T)].index(part_id_)
        step, pos = divmod(index, n)
        if pos != n - 1 or step + 1 == T:
            return None  # restart only from the top layer's h_t with steps left (lower layers from the key)
        h0 = run(params)[step][:-1] + [R.as_list(value)]
        rest = dict(params, x=params["x"][step + 1:], h0=h0)
        return rest, {part_id(j): part_id((step + 1) * n + j) for j in range(n * len(rest["x"]))}


def _rows(value, d: int) -> int:
    """Rows of a weight typed as a number, a flat vector (one column when d = 1) or a matrix."""
    if isinstance(value, (int, float)):
        return 1
    if isinstance(value[0], list):
        return len(value)
    return len(value) if d == 1 else 1
