"""One (or more) gradient-descent steps of a small multilayer perceptron, by hand.

    forward    z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾,   a⁽ˡ⁾ = f(z⁽ˡ⁾),   a⁽⁰⁾ = x,   ŷ = a⁽ᴸ⁾,   E = E(ŷ, y)
    output     δ⁽ᴸ⁾ = ∂E/∂z⁽ᴸ⁾ = ∂E/∂ŷ ⊙ f′(z⁽ᴸ⁾)          (softmax + CE, sigmoid + BCE: δ = ŷ − y)
    hidden     δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ f′(z⁽ˡ⁾)            (old W⁽ˡ⁺¹⁾; the new one if updates are sequential)
    gradients  ∂E/∂W⁽ˡ⁾ = δ⁽ˡ⁾ a⁽ˡ⁻¹⁾ᵀ,   ∂E/∂b⁽ˡ⁾ = δ⁽ˡ⁾  (Σⱼ δⱼ⁽ˡ⁾ for one bias shared by the layer)
    update     W ← W − η ∂E/∂W,   b ← b − η ∂E/∂b  (when the biases are updated)

W is stored W[out][in] (row j holds the weights into unit j); the statement and the answers
use the chosen layout.  One trace, in the order a lecturer writes it on the board: every z and
a, E, then layer by layer from the output: δ, the gradients, the new weights.  Named weights
number w1, w2, ... layer by layer from the input, by receiving unit (Mazur: w1 = i1→h1,
w2 = i2→h1, w3 = i1→h2) or by sending unit.  Solved in plain floats; solvers/backprop_ref.py
recomputes everything with torch autograd and torch.optim.SGD.
"""

from __future__ import annotations

from problems import _backprop as B
from problems._mlp_params import PARAMS, from_user, named_weights, unit
from quizgen.draw import picker
from quizgen.model import Figure, t
from quizgen.registry import register
from quizgen.trace import CannotFollow, TraceFamily, Value, Work, Wrong

SIZES = {"easy": ([2, 2, 1], [2, 2, 2]), "medium": ([3, 2, 1], [2, 3, 1]), "hard": ([2, 2, 2, 1], [2, 3, 2], [2, 2, 3], [2, 2, 1])}


def _wrongs(items) -> tuple[Wrong, ...]:
    return tuple(Wrong(v, tag, text) for v, tag, text in items)


@register
class BackpropMLP(TraceFamily):
    name = "backprop.mlp"
    topic = "backprop"
    version = 1
    title = t("Backpropagation on a small network, step by step", "小型网络上的反向传播（逐步计算）")
    summary = t("Every z and a, the loss, the deltas, the gradients and the updated weights of one GD step.",
                "一步梯度下降中的每个 z 与 a、损失、δ、梯度和更新后的权重。")
    example = ("quizgen solve backprop.mlp --set x='[0.05, 0.1]' --set y='[0.01, 0.99]' "
               "--set W1='[[0.15, 0.2], [0.25, 0.3]]' --set b1=0.35 --set W2='[[0.4, 0.45], [0.5, 0.55]]' "
               "--set b2=0.6 --set eta=0.5 --set biases=no --set naming=named")
    conventions = (
        t("z = W a + b and δ = ∂E/∂z for every layer; the update is θ ← θ − η ∂E/∂θ.",
          "每一层 z = W a + b，δ = ∂E/∂z；更新规则为 θ ← θ − η ∂E/∂θ。"),
        t("The statement says whether the biases are updated, and whether updates are simultaneous (every gradient "
          "from the weights before the step) or sequential (the deltas below use the already-updated layer above).",
          "题目会说明偏置是否更新，以及是同时更新（所有梯度都用更新前的权重）还是逐层依次更新"
          "（下一层的 δ 用上一层已更新的权重）。"),
        t("The statement gives the weight layout: W[out][in] (row j holds the weights into unit j), W[in][out], "
          "or named weights w1, w2, … with the units they connect.",
          "题目会给出权重的布局：W[out][in]（第 j 行是进入第 j 个单元的权重）、W[in][out]，或标明所连单元的命名权重 w1, w2, …。"),
        t("Derivatives are written with the unit's output: σ′(z) = a(1 − a), tanh′(z) = 1 − a², ReLU′(0) = 0.",
          "导数用单元的输出表示：σ′(z) = a(1 − a)，tanh′(z) = 1 − a²，ReLU′(0) = 0。"),
    )
    params = PARAMS

    # -------------------------------------------------------------- generate
    @staticmethod
    def _draw(rng, difficulty: str) -> dict:
        pick = picker(rng)
        sizes = list(pick(SIZES[difficulty]))
        tenth = lambda lo, hi: int(rng.integers(lo, hi + 1)) / 10  # noqa: E731
        nonzero = lambda: pick([-1, 1]) * tenth(1, 9)  # noqa: E731
        hidden, output, loss, steps = "sigmoid", "sigmoid", "half_sse", 1
        if difficulty == "medium":
            hidden, output = pick(["sigmoid", "tanh", "relu"]), pick(["sigmoid", "linear"])
            loss = pick(["half_sse", "sse", "mse"])
        elif difficulty == "hard":
            hidden = pick(["sigmoid", "tanh", "relu"])
            output, loss = pick([("sigmoid", "bce"), ("linear", "half_sse"), ("softmax", "ce")]) if sizes[-1] == 1 \
                else ("softmax", "ce")
            if sizes[-1] == 1 and output == "softmax":
                output, loss = "sigmoid", "bce"
            if len(sizes) == 3 and sizes[-1] == 1:  # two steps end to end: ReLU hidden, sigmoid + BCE output
                hidden, output, loss, steps = "relu", "sigmoid", "bce", 2
        shared = difficulty == "easy" and bool(rng.integers(2))
        W = [[[nonzero() for _ in range(sizes[l])] for _ in range(sizes[l + 1])] for l in range(len(sizes) - 1)]
        b = [[tenth(-5, 5)] if shared else [tenth(-5, 5) for _ in range(sizes[l + 1])] for l in range(len(sizes) - 1)]
        n = sizes[-1]
        if output == "softmax":
            y = [0.0] * n
            y[int(rng.integers(n))] = 1.0
        elif output == "linear":
            y = [tenth(-10, 10) for _ in range(n)]
        elif loss == "bce":
            y = [float(rng.integers(2)) for _ in range(n)]
        else:
            y = [tenth(0, 10) for _ in range(n)]
        return {"x": [pick([-1, 1]) * tenth(1, 10) for _ in range(sizes[0])], "y": y, "W": W, "b": b,
                "hidden": hidden, "output": output, "loss": loss, "eta": pick([0.1, 0.5, 1.0]),
                "update_biases": bool(rng.integers(2)),
                "updates": pick(["simultaneous", "sequential"]) if difficulty == "hard" else "simultaneous",
                "layout": pick(["out_in", "in_out"]) if difficulty != "easy" else "out_in",
                "naming": pick(["named", "matrix"]) if len(sizes) == 3 and sizes[1] * (sizes[0] + sizes[2]) <= 9 else "matrix",
                "numbering": "to", "steps": steps, "decimals": 4}

    @staticmethod
    def _friendly(p: dict) -> bool:
        """No saturated or near-zero ReLU unit, no dead hidden layer, deltas big enough to see."""
        L, acts = len(p["W"]), [p["x"]]
        for l in range(L):
            z = B.affine(p["W"][l], acts[-1], p["b"][l])
            if any(abs(v) > 3 or (p["hidden"] == "relu" and l < L - 1 and abs(v) < 0.05) for v in z):
                return False
            acts.append(B.activate(p["output"] if l == L - 1 else p["hidden"], z))
            if l < L - 1 and max(acts[-1]) <= 0:
                return False
        delta = B.output_delta(p["output"], p["loss"], acts[-1], p["y"])
        if any(abs(v) < 0.01 for v in delta):
            return False
        for l in range(L - 1, 0, -1):
            delta = B.hidden_delta(p["W"][l], delta, p["hidden"], acts[l])
            if max(map(abs, delta)) < 0.005:
                return False
        return True

    def params_from_user(self, values: dict) -> dict:
        return from_user(values)

    # -------------------------------------------------------------- render
    def render(self, p: dict, lang: str) -> str:
        zh = lang == "zh"
        sizes = [len(p["x"])] + [len(w) for w in p["W"]]
        L = len(p["W"])
        arch = "-".join(map(str, sizes))
        lines = [f"一个 {arch} 的全连接网络：输入 $x = {B.vec(p['x'])}$，目标 $y = {B.vec(p['y'])}$。" if zh else
                 f"A fully connected {arch} network: input $x = {B.vec(p['x'])}$, target $y = {B.vec(p['y'])}$."]
        hid = B.ACTIVATION_TEXT[p["hidden"]].get(lang)
        out = B.ACTIVATION_TEXT[p["output"]].get(lang)
        if p["hidden"] == p["output"]:
            lines.append(f"每一层的激活函数都是 {hid}。" if zh else f"Every layer uses {hid}.")
        else:
            layers = "hidden layers use" if L > 2 else "hidden layer uses"
            lines.append(f"隐藏层激活函数为 {hid}；输出层为 {out}。" if zh else
                         f"The {layers} {hid}; the output layer uses {out}.")
        if p["naming"] == "named":
            names = ", ".join(f"$w_{{{k}}} = {B.num(p['W'][l][j][i])}$ ({unit(l, i, L)}→{unit(l + 1, j, L)})"
                              for k, (l, j, i) in enumerate(named_weights(sizes, p["numbering"]), 1))
            lines.append(("权重（编号 " + self._numbering(p, lang) + "）：" if zh else
                          "Weights (numbered " + self._numbering(p, lang) + "): ") + names + ("。" if zh else "."))
        else:
            lay = (t("W[out][in]: row j holds the weights into unit j", "W[out][in]：第 j 行是进入第 j 个单元的权重")
                   if p["layout"] == "out_in" else
                   t("W[in][out]: row i holds the weights out of input i, so $z = W^\\top a + b$",
                     "W[in][out]：第 i 行是从第 i 个输入出发的权重，因此 $z = W^\\top a + b$")).get(lang)
            mats = "; ".join(f"$W^{{({l + 1})}} = {B.mat(self._shown(p, w))}$" for l, w in enumerate(p["W"]))
            lines.append(f"权重（{lay}）：{mats}。" if zh else f"Weights ({lay}): {mats}.")
        lines.append(self._biases(p, lang))
        lines.append(f"损失函数为 {B.loss_text(p['loss']).get(lang)}。学习率 $\\eta = {B.num(p['eta'])}$。" if zh else
                     f"The loss is {B.loss_text(p['loss']).get(lang)}. Learning rate $\\eta = {B.num(p['eta'])}$.")
        lines.append(self._update_rule(p, lang))
        steps = p["steps"]
        za = "z = W a + b" if p["layout"] == "out_in" or p["naming"] == "named" else "z = W^\\top a + b"
        if zh:
            lines.append(f"约定 ${za}$，$\\delta = \\partial E/\\partial z$。做 {steps} 步梯度下降，写出每个 z 与 a、"
                         "损失 E，再从输出层往回写出每层的 δ、梯度和更新后的参数。")
        else:
            lines.append(f"Take ${za}$ and $\\delta = \\partial E/\\partial z$. Do {steps} gradient-descent "
                         f"step{'s' if steps > 1 else ''}: give every z and a, the loss E, then, from the output "
                         "layer back, each layer's δ, the gradients and the updated parameters.")
        return "\n".join(lines)

    @staticmethod
    def _numbering(p: dict, lang: str) -> str:
        if p["numbering"] == "to":
            return t("layer by layer, by receiving unit, as in Mazur's example",
                     "逐层、按接收单元排列，与 Mazur 的例子相同").get(lang)
        return t("layer by layer, by sending unit", "逐层、按发出单元排列").get(lang)

    @staticmethod
    def _shown(p: dict, w: list[list[float]]) -> list[list[float]]:
        return w if p["layout"] == "out_in" else B.transpose(w)

    @staticmethod
    def _biases(p: dict, lang: str) -> str:
        zh = lang == "zh"
        parts = []
        for l, b in enumerate(p["b"], 1):
            if not b:
                parts.append(f"第 {l} 层没有偏置" if zh else f"layer {l} has no bias")
            elif len(b) == 1 and len(p["W"][l - 1]) > 1:
                parts.append(f"第 {l} 层各单元共用一个偏置 $b^{{({l})}} = {B.num(b[0])}$" if zh else
                             f"layer {l} has one bias shared by its units, $b^{{({l})}} = {B.num(b[0])}$")
            else:
                parts.append(f"$b^{{({l})}} = {B.vec(b)}$")
        upd = p["update_biases"] and any(p["b"])
        if zh:
            return "偏置：" + "；".join(parts) + ("。偏置也要更新。" if upd else "。偏置不更新。")
        return "Biases: " + "; ".join(parts) + (". The biases are updated too." if upd else ". The biases are not updated.")

    @staticmethod
    def _update_rule(p: dict, lang: str) -> str:
        if p["updates"] == "simultaneous":
            return t("Updates are simultaneous: every gradient, the hidden deltas included, comes from the weights "
                     "before the step (the old $W^{(l+1)}$ in $\\delta^{(l)}$).",
                     "同时更新：所有梯度（包括隐藏层的 δ）都用更新前的权重计算（$\\delta^{(l)}$ 中用旧的 $W^{(l+1)}$）。").get(lang)
        return t("Updates are sequential, from the output back: a layer is updated before the deltas of the layer "
                 "below are computed, which then use its new weights $W^{(l+1)}$.",
                 "从输出层往回逐层依次更新：先更新一层，再用它更新后的权重 $W^{(l+1)}$ 计算下一层的 δ。").get(lang)

    # -------------------------------------------------------------- trace
    def trace(self, p: dict):
        W = [[list(r) for r in w] for w in p["W"]]
        b = [list(v) for v in p["b"]]
        L, d, row = len(W), p["decimals"], 0
        for s in range(1, p["steps"] + 1):
            sfx = f", step {s}" if p["steps"] > 1 else ""
            sfx_zh = f"（第 {s} 步）" if p["steps"] > 1 else ""
            acts, zs = [list(p["x"])], [None]
            for l in range(1, L + 1):
                row += 1
                z = B.affine(W[l - 1], acts[-1], b[l - 1])
                yield Work(t(f"$z^{{({l})}} = W^{{({l})}} a^{{({l - 1})}} + b^{{({l})}} = {B.vec(z, d)}$"))
                z = yield (Value("vector", t(f"$z^{{({l})}}$ (net inputs of layer {l}{sfx})", f"$z^{{({l})}}$（第 {l} 层的净输入{sfx_zh}）"),
                                z, decimals=d, step=row, column=f"z{l}"))
                act = p["output"] if l == L else p["hidden"]
                a = B.activate(act, z)
                yield Work(t(f"$a^{{({l})}} = {B.SYMBOL[act]}(z^{{({l})}}) = {B.vec(a, d)}$"))
                a = yield (Value("vector", t(f"$a^{{({l})}}$ (outputs of layer {l}{sfx})", f"$a^{{({l})}}$（第 {l} 层的输出{sfx_zh}）"),
                                a, decimals=d, step=row, column=f"a{l}",
                                wrong=_wrongs([(z, "no_activation", t("You forgot to apply the activation to z.",
                                                                      "你忘了对 z 应用激活函数。"))])))
                zs.append(z)
                acts.append(a)
            row += 1
            yhat = acts[-1]
            try:
                E = B.loss(p["loss"], yhat, p["y"])
            except (ValueError, ZeroDivisionError):
                raise CannotFollow from None
            yield Work(t(f"${B.LOSS_FORMULA[p['loss']]} = {B.num(E, d)}$"))
            yield Value("real", t(f"the loss E{sfx}", f"损失 E{sfx_zh}"), E, decimals=d, step=row, column="E",
                        wrong=_wrongs(B.loss_slips(p["loss"], yhat, p["y"], E)))
            W, b = yield from self._backward(p, W, b, acts, zs, row, sfx, sfx_zh)
            row += L

    def _backward(self, p: dict, W: list, b: list, acts: list, zs: list, row: int, sfx: str, sfx_zh: str):
        L, d, eta = len(W), p["decimals"], p["eta"]
        newW, newb = list(W), list(b)
        delta = None
        sizes = [len(p["x"])] + [len(w) for w in W]
        names = named_weights(sizes, p["numbering"])
        for l in range(L, 0, -1):
            row += 1
            a = acts[l]
            if l == L:
                try:
                    delta = B.output_delta(p["output"], p["loss"], a, p["y"])
                except ZeroDivisionError:
                    raise CannotFollow from None
                slips = B.output_delta_slips(p["output"], p["loss"], a, p["y"], delta)
                rule = f"\\delta^{{({l})}} = \\partial E/\\partial z^{{({l})}} = {B.delta_formula(p['output'], p['loss'])}"
                yield Work(t(f"Output layer: ${rule} = {B.vec(delta, d)}$", f"输出层：${rule} = {B.vec(delta, d)}$"))
            else:
                seq = p["updates"] == "sequential"
                above, other = (newW[l], W[l]) if seq else (W[l], newW[l])
                act = p["hidden"]
                delta = B.hidden_delta(above, delta, act, a)
                slips = [(B.hidden_delta(above, delta_above, act, a, None), "no_derivative",
                          t("You forgot the hidden unit's derivative f′(z) in δ = (Wᵀδ) ⊙ f′(z).",
                            "你漏掉了隐藏单元的导数 f′(z)：δ = (Wᵀδ) ⊙ f′(z)。")),
                         (B.hidden_delta(other, delta_above, act, a),
                          "used_new_weights" if not seq else "used_old_weights",
                          t("Updates are simultaneous: the hidden deltas use the old output weights, not the updated ones.",
                            "同时更新：隐藏层的 δ 要用更新前的输出权重，而不是更新后的。") if not seq else
                          t("Updates are sequential here: the hidden deltas use the already-updated weights above.",
                            "这里是逐层依次更新：隐藏层的 δ 要用上一层已经更新过的权重。"))]
                if act in ("sigmoid", "tanh"):
                    slips.append((B.hidden_delta(above, delta_above, act, a, B.derivative_at_output), "derivative_at_a",
                                  t("You evaluated f′ at a instead of z: σ′(z) = a(1 − a), not σ(a)(1 − σ(a)).",
                                    "你在 a 处而不是 z 处求了导数：σ′(z) = a(1 − a)，而不是 σ(a)(1 − σ(a))。")))
                which = t("new" if seq else "old", "更新后" if seq else "更新前")
                yield Work(t(f"Layer {l}: $\\delta^{{({l})}} = (W^{{({l + 1})\\top}} \\delta^{{({l + 1})}}) \\odot {B.DERIVATIVE[act]}$ "
                             f"with the {which.en} $W^{{({l + 1})}}$: ${B.vec(delta, d)}$",
                             f"第 {l} 层：$\\delta^{{({l})}} = (W^{{({l + 1})\\top}} \\delta^{{({l + 1})}}) \\odot {B.DERIVATIVE[act]}$，"
                             f"用{which.zh}的 $W^{{({l + 1})}}$：${B.vec(delta, d)}$"))
            delta = yield (Value("vector", t(f"$\\delta^{{({l})}}$ of layer {l}{sfx}", f"第 {l} 层的 $\\delta^{{({l})}}${sfx_zh}"),
                                delta, decimals=d, step=row, column=f"δ{l}", wrong=_wrongs(slips)))
            delta_above = delta
            grad = [[dj * ai for ai in acts[l - 1]] for dj in delta]
            z_prev = zs[l - 1] if l > 1 else None
            new = yield from self._weights(p, l, names, W[l - 1], grad, delta, acts[l - 1], z_prev, row, sfx, sfx_zh)
            newW[l - 1] = new
            if p["update_biases"] and b[l - 1]:
                shared = len(b[l - 1]) == 1 and len(delta) > 1
                gb = [sum(delta)] if shared else list(delta)
                rule = "\\sum_j \\delta^{(%d)}_j" % l if shared else "\\delta^{(%d)}" % l
                yield Work(t(f"$\\partial E/\\partial b^{{({l})}} = {rule} = {B.vec(gb, d)}$, $b^{{({l})}} \\leftarrow "
                             f"{B.vec(b[l - 1])} - {B.num(eta)} \\cdot {B.vec(gb, d)} = {B.vec([u - eta * g for u, g in zip(b[l - 1], gb)], d)}$"))
                gb = yield (Value("vector", t(f"$\\partial E/\\partial b^{{({l})}}$ (bias gradient{sfx})", f"偏置梯度 $\\partial E/\\partial b^{{({l})}}${sfx_zh}"),
                                 gb, decimals=d, step=row, column=f"∂b{l}"))
                nb = [bj - eta * g for bj, g in zip(b[l - 1], gb)]
                nb = yield (Value("vector", t(f"$b^{{({l})}}$ after the update{sfx}", f"更新后的 $b^{{({l})}}${sfx_zh}"),
                                 nb, decimals=d, step=row, column=f"b{l}'",
                                 wrong=_wrongs([([bj + eta * g for bj, g in zip(b[l - 1], gb)], "sign",
                                                 t("Step against the gradient: b − η ∂E/∂b.", "沿梯度的反方向走：b − η ∂E/∂b。"))])))
                newb[l - 1] = nb
        return newW, newb

    def _weights(self, p: dict, l: int, names: list, w: list, grad: list, delta: list, a_prev: list, z_prev, row: int,
                 sfx: str, sfx_zh: str):
        """The gradients and new weights of layer l (one matrix each, or one part per named weight)."""
        d, eta = p["decimals"], p["eta"]
        sign = t("Step against the gradient: w − η ∂E/∂w.", "沿梯度的反方向走：w − η ∂E/∂w。")
        no_eta = t("You forgot to multiply the gradient by η.", "你忘了把梯度乘以学习率 η。")
        used_z = t("∂z/∂w is the sending unit's output a, not its net input z.", "∂z/∂w 是发出单元的输出 a，而不是它的净输入 z。")
        if p["naming"] == "named":
            ks = [(k, j, i) for k, (ll, j, i) in enumerate(names, 1) if ll == l - 1]
            for k, j, i in ks:
                g = grad[j][i]
                yield Work(t(f"$\\partial E/\\partial w_{{{k}}} = \\delta^{{({l})}}_{{{j + 1}}} a^{{({l - 1})}}_{{{i + 1}}} = "
                             f"{B.num(delta[j], d)} \\cdot {B.factor(a_prev[i], d)} = {B.num(g, d)}$, "
                             f"$w_{{{k}}} \\leftarrow {B.num(w[j][i])} - {B.num(eta)} \\cdot {B.factor(g, d)} = {B.num(w[j][i] - eta * g, d)}$"))
            for k, j, i in ks:
                slips = [(delta[j] * z_prev[i], "used_z", used_z)] if z_prev is not None else []
                grad[j][i] = yield (Value("real", t(f"$\\partial E/\\partial w_{{{k}}}${sfx.replace(', ', ' (', 1) + ')' if sfx else ''}", f"$\\partial E/\\partial w_{{{k}}}$（梯度）{sfx_zh}"),
                                         grad[j][i], decimals=d, step=row, column=f"∂w{k}", wrong=_wrongs(slips)))
            new = [list(r) for r in w]
            for k, j, i in ks:
                new[j][i] = yield (Value("real", t(f"$w_{{{k}}}$ after the update{sfx}", f"更新后的 $w_{{{k}}}${sfx_zh}"),
                                        w[j][i] - eta * grad[j][i], decimals=d, step=row, column=f"w{k}'",
                                        wrong=_wrongs([(w[j][i] + eta * grad[j][i], "sign", sign),
                                                       (w[j][i] - grad[j][i], "no_eta", no_eta)])))
            return new
        show = (lambda m: m) if p["layout"] == "out_in" else B.transpose
        new = [[wi - eta * g for wi, g in zip(wr, gr)] for wr, gr in zip(w, grad)]
        outer = "\\delta^{(%d)} a^{(%d)\\top}" % (l, l - 1) if p["layout"] == "out_in" else "a^{(%d)} \\delta^{(%d)\\top}" % (l - 1, l)
        yield Work(t(f"$\\partial E/\\partial W^{{({l})}} = {outer} = {B.mat(show(grad), d)}$, "
                     f"$W^{{({l})}} \\leftarrow W^{{({l})}} - {B.num(eta)} \\cdot \\partial E/\\partial W^{{({l})}} = {B.mat(show(new), d)}$"))
        slips = [(show([[dj * zi for zi in z_prev] for dj in delta]), "used_z", used_z)] if z_prev is not None else []
        if p["layout"] == "in_out":
            slips.append((grad, "transposed", t("The layout is W[in][out]: transpose δ aᵀ.", "布局是 W[in][out]：要把 δ aᵀ 转置。")))
        grad = show((yield (Value("matrix", t(f"$\\partial E/\\partial W^{{({l})}}${sfx.replace(', ', ' (', 1) + ')' if sfx else ''}", f"$\\partial E/\\partial W^{{({l})}}$（梯度）{sfx_zh}"),
                                 show(grad), decimals=d, step=row, column=f"∂W{l}", wrong=_wrongs(slips)))))
        new = [[wi - eta * g for wi, g in zip(wr, gr)] for wr, gr in zip(w, grad)]
        wrong = [(show([[wi + eta * g for wi, g in zip(wr, gr)] for wr, gr in zip(w, grad)]), "sign", sign),
                 (show([[wi - g for wi, g in zip(wr, gr)] for wr, gr in zip(w, grad)]), "no_eta", no_eta)]
        new = yield (Value("matrix", t(f"$W^{{({l})}}$ after the update{sfx}", f"更新后的 $W^{{({l})}}${sfx_zh}"), show(new),
                          decimals=d, step=row, column=f"W{l}'", wrong=_wrongs(wrong)))
        return show(new)

    def resume(self, params: dict, part_id_: str, value):
        """From a slip in z⁽¹⁾ (part a): the same problem with b⁽¹⁾ shifted by that slip.  Every
        later part of the step agrees, except the updated b⁽¹⁾, which starts from the given b⁽¹⁾."""
        if part_id_ != "a" or params["steps"] != 1 or not params["b"][0]:
            return None
        z = B.affine(params["W"][0], params["x"], params["b"][0])
        shift = [v - u for u, v in zip(z, value)]
        b0 = params["b"][0]
        if len(b0) == 1 and len(z) > 1:
            if max(shift) - min(shift) > 1e-12:
                return None
            nb = [b0[0] + shift[0]]
        else:
            nb = [u + s for u, s in zip(b0, shift)]
        new = dict(params, b=[nb] + [list(v) for v in params["b"][1:]])
        parts = self.solve(params).parts
        skip = {parts[-1].id} if params["update_biases"] else set()
        return new, {q.id: q.id for q in parts[1:] if q.id not in skip}

    # -------------------------------------------------------------- figure
    def figures(self, p: dict) -> list:
        sizes = [len(p["x"])] + [len(w) for w in p["W"]]
        L = len(p["W"])
        nodes, edges = [], []
        for l, n in enumerate(sizes):
            for j in range(n):
                nodes.append([unit(l, j, L), unit(l, j, L), l / max(L, 1), (j + 0.5) / n])
        labels = {(l, j, i): f"w{k}" for k, (l, j, i) in enumerate(named_weights(sizes, p["numbering"]), 1)}
        for l, w in enumerate(p["W"]):
            for j, row in enumerate(w):
                for i, v in enumerate(row):
                    name = f"{labels[(l, j, i)]}={B.num(v)}" if p["naming"] == "named" else B.num(v)
                    edges.append([unit(l, i, L), unit(l + 1, j, L), name])
        return [Figure("graph", {"nodes": nodes, "edges": edges},
                       t("The network with its weights on the edges.", "网络结构，边上标出权重。"))]
