"""Scaled dot-product attention, step by step (Vaswani et al. 2017, eq. 1).

    Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V          rows of Q, K, V are tokens

    scores   S = Q Kᵀ                  (n_q × n_k)
    scaled   Z = S / √d_k              (left out for unscaled dot-product attention)
    mask     Z_ij = −∞ before the softmax where query i may not see key j:
             causal  j > i;   padding  key j is a padding position (every query row)
    weights  A = softmax(Z) over each row (over the keys): masked weights are exactly 0
    output   O = A V                   (n_q × d_v)

The easy variant first computes Q = X W^Q, K = X W^K, V = X W^V.  Every part is a trace step:
a wrong Q (or S, or A) is carried into the later parts.  A problem may also start from given
scores S (`--set scores=...`, with d_k), as slides that show only the score matrix do.
"""

from __future__ import annotations

import math

from problems import _transformer as T
from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import Figure, t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong

MASKS = ("none", "causal", "padding")
DEC, FINE = 2, 3  # the scaled scores and the weights to 3 places, so that AV from them is within 0.01


def _dk(params: dict) -> int:
    if params["mode"] == "x":
        return len(params["WQ"][0])
    if params["mode"] == "qkv":
        return len(params["Q"][0])
    return params["dk"]


def _keep(params: dict):
    return lambda i, j: T.allowed(params["mask"], params["padded"], i, j)


def _weights(params: dict):
    """The (scaled) scores Z and the weights A, without the worked lines (for the draw's checks)."""
    if params["mode"] == "scores":
        S = params["S"]
    else:
        Q, K = ((T.matmul(params["X"], params[w]) for w in ("WQ", "WK")) if params["mode"] == "x"
                else (params["Q"], params["K"]))
        S = T.matmul(Q, T.transpose(K))
    Z = T.scale(S, 1 / math.sqrt(_dk(params))) if params["scale"] == "sqrt" else S
    return Z, T.softmax_rows(Z, _keep(params))


def _mask_after(z, keep):
    """The slip: softmax of the unmasked scores, then the masked weights set to 0."""
    return [[v if keep(i, j) else 0.0 for j, v in enumerate(row)] for i, row in enumerate(T.softmax_rows(z))]


@register
class Attention(TraceFamily):
    name = "transformer.attention"
    topic = "transformer"
    version = 1
    title = t("Scaled dot-product attention", "缩放点积注意力")
    summary = t("Scores QKᵀ, scaling by √d_k, masks, the row-wise softmax and the output AV.",
                "计算得分 QKᵀ、除以 √d_k、掩码、按行 softmax 与输出 AV。")
    example = "quizgen solve transformer.attention --set Q='[[1, 0], [0, 1]]' --set K='[[1, 0], [1, 1]]' --set V='[[1, 2], [3, 4]]'"
    conventions = (
        t("Rows of Q, K and V are tokens; the softmax is taken over each row of the scores (over the keys).",
          "Q、K、V 的每一行是一个词元；softmax 对得分矩阵的每一行（即对各个键）进行。"),
        t("Masked scores are set to −∞ before the softmax, so their weights are 0; a padding mask masks key "
          "columns in every row (as PyTorch's key_padding_mask).",
          "被掩码的得分在 softmax 之前置为 −∞，其权重为 0；填充掩码在每一行中屏蔽填充位置的键（同 PyTorch 的 key_padding_mask）。"),
    )
    params = (
        P.matrix("Q", "queries, one row per token", (1, 6), (1, 6), -100, 100, "[[1, 0], [0, 1]]", default=None),
        P.matrix("K", "keys, one row per token", (1, 6), (1, 6), -100, 100, "[[1, 0], [1, 1]]", default=None),
        P.matrix("V", "values, one row per token", (1, 6), (1, 6), -100, 100, "[[1, 2], [3, 4]]", default=None),
        P.matrix("X", "easy variant: the token embeddings, one row per token", (1, 6), (1, 6), -100, 100,
                 "[[1, 0], [0, 1]]", default=None),
        P.matrix("WQ", "easy variant: W^Q (d_model × d_k)", (1, 6), (1, 6), -100, 100, "[[1, 0], [0, 1]]", default=None),
        P.matrix("WK", "easy variant: W^K (d_model × d_k)", (1, 6), (1, 6), -100, 100, "[[1, 0], [0, 1]]", default=None),
        P.matrix("WV", "easy variant: W^V (d_model × d_v)", (1, 6), (1, 6), -100, 100, "[[1, 0], [0, 1]]", default=None),
        P.matrix("scores", "start from given scores S = QKᵀ (with dk and V)", (1, 6), (1, 6), -1000, 1000,
                 "[[112, 96]]", default=None),
        P.integer("dk", "d_k, with scores=...", 1, 4096, "64", default=None),
        P.choice("mask", "which scores are set to −∞ before the softmax", MASKS, default="none"),
        P.vector("padded", "with mask=padding: the padded key positions, counted from 1", (1, 6), 1, 6, "[3]",
                 default=None),
        P.choice("scale", "divide the scores by √d_k (sqrt) or not (none)", ("sqrt", "none"), default="sqrt"),
    )

    # -------------------------------------------------------------- user values
    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        given = [name for name, keys in (("Q, K, V", "QK"), ("X with W^Q, W^K, W^V", ("X",)), ("scores", ("scores",)))
                 if any(v[k] is not None for k in keys)]
        if len(given) > 1:
            raise QuizgenError(f"transformer.attention: give one of {' or '.join(given)}, not both")
        if v["padded"] is not None and v["mask"] != "padding":
            raise QuizgenError("transformer.attention: padded=[...] goes with mask=padding")
        if v["scores"] is not None:
            if v["dk"] is None and v["scale"] == "sqrt":
                raise QuizgenError("transformer.attention: with scores=... also --set dk=N (or scale=none)")
            p = {"mode": "scores", "S": v["scores"], "dk": v["dk"] or 1, "V": self._need(v, "V")}
            n_q, n_k = len(p["S"]), len(p["S"][0])
        elif v["X"] is not None:
            p = {"mode": "x", "X": v["X"], **{w: self._need(v, w) for w in ("WQ", "WK", "WV")}}
            d = len(v["X"][0])
            if any(len(p[w]) != d for w in ("WQ", "WK", "WV")):
                raise QuizgenError(f"transformer.attention: W^Q, W^K and W^V need {d} rows (X has {d} columns)")
            if len(p["WQ"][0]) != len(p["WK"][0]):
                raise QuizgenError("transformer.attention: W^Q and W^K need the same number of columns (d_k)")
            n_q = n_k = len(v["X"])
        else:
            p = {"mode": "qkv", **{m: self._need(v, m) for m in "QKV"}}
            if len(p["Q"][0]) != len(p["K"][0]):
                raise QuizgenError("transformer.attention: Q and K need the same number of columns (d_k)")
            n_q, n_k = len(p["Q"]), len(p["K"])
        if p["mode"] != "x" and len(p["V"]) != n_k:
            raise QuizgenError(f"transformer.attention: V needs one row per key ({n_k})")
        padded = sorted({int(x) for x in v["padded"] or []})
        if v["mask"] == "causal" and n_q != n_k:
            raise QuizgenError("transformer.attention: a causal mask needs as many queries as keys")
        if v["mask"] == "padding":
            if not padded or any(x != int(x) or x > n_k for x in v["padded"]):
                raise QuizgenError(f"transformer.attention: padded=[...] must list key positions 1..{n_k}")
            if len(padded) == n_k:
                raise QuizgenError("transformer.attention: every key is padding; no row could be normalised")
        p.update(mask=v["mask"], padded=padded if v["mask"] == "padding" else [], scale=v["scale"], figure=True)
        return p

    @staticmethod
    def _need(values: dict, name: str):
        if values[name] is None:
            raise QuizgenError(f"transformer.attention needs --set {name}=[[...]] (or see --help-params)")
        return values[name]

    # -------------------------------------------------------------- generate
    @staticmethod
    def _draw(rng, difficulty: str) -> dict:
        pick = picker(rng)

        def ints(n, m, lo, hi):
            return [[int(x) for x in row] for row in rng.integers(lo, hi + 1, (n, m))]

        def tenths(n, m, lo, hi):
            return [[T.clean(int(x) / 10) for x in row] for row in rng.integers(lo * 10, hi * 10 + 1, (n, m))]

        if difficulty == "easy":
            n = pick([2, 3])
            rows = [[1, 0], [0, 1], [1, 1], [2, 1], [1, 2], [2, 0], [0, 2]]
            X = [rows[int(i)] for i in rng.permutation(len(rows))[:n]]  # distinct, non-zero tokens
            return {"mode": "x", "X": X, "WQ": ints(2, 2, -1, 1), "WK": ints(2, 2, -1, 1),
                    "WV": ints(2, 2, -1, 2), "mask": pick(["none", "none", "causal"]), "padded": [],
                    "scale": "sqrt", "figure": False}
        if difficulty == "medium":
            n, dk = 3, 2
            Q, K, V = ints(n, dk, -2, 2), ints(n, dk, -2, 2), ints(n, 2, -3, 3)
        else:
            n, dk = pick([3, 4]), pick([2, 3])
            Q, K, V = tenths(n, dk, -1.5, 1.5), tenths(n, dk, -1.5, 1.5), ints(n, pick([2, 3]), -3, 3)
        mask = pick(["none", "causal", "padding"] if difficulty == "medium" else ["causal", "padding"])
        padded = [n] if mask == "padding" else []
        if mask == "padding" and n == 4 and rng.random() < 0.5:
            padded = [3, 4]
        return {"mode": "qkv", "Q": Q, "K": K, "V": V, "mask": mask, "padded": padded,
                "scale": pick(["sqrt", "sqrt", "none"]), "figure": False}

    def _friendly(self, params: dict) -> bool:
        z, a = _weights(params)
        keep = _keep(params)
        live = [x for i, row in enumerate(z) for j, x in enumerate(row) if keep(i, j)]
        if max(abs(x) for x in live) > 4 or len(set(live)) < 2:
            return False
        return any(len({round(x, 3) for j, x in enumerate(row) if keep(i, j)}) > 1 for i, row in enumerate(a))

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        dk, keep = _dk(params), _keep(params)
        if params["mode"] == "x":
            X = params["X"]
            mats = []
            for name, en, zh in (("Q", "queries", "查询"), ("K", "keys", "键"), ("V", "values", "值")):
                w = params["W" + name]
                m = T.matmul(X, w)
                yield Work(t(f"${name} = XW^{name} = {T.bmatrix(X)}{T.bmatrix(w)} = {T.bmatrix(m)}$"))
                mats.append((yield Value("matrix", t(f"the {en} ${name} = XW^{name}$", f"{zh} ${name} = XW^{name}$"), m, decimals=DEC,
                                         wrong=(Wrong(T.matmul(T.transpose(w), T.transpose(X)), "transposed",
                                                      t(f"That is $(W^{name})^\\top X^\\top$; rows of X are tokens, so ${name} = XW^{name}$.",
                                                        f"这是 $(W^{name})^\\top X^\\top$；X 的每一行是词元，所以 ${name} = XW^{name}$。")),))))
            Q, K, V = mats
        elif params["mode"] == "qkv":
            Q, K, V = params["Q"], params["K"], params["V"]
        else:
            V = params["V"]
        if params["mode"] == "scores":
            S = params["S"]
        else:
            S0 = T.matmul(Q, T.transpose(K))
            yield Work(t(f"$S = QK^\\top = {T.bmatrix(S0)}$, e.g. $S_{{11}} = q_1\\cdot k_1 = {T.g(S0[0][0])}$.",
                         f"$S = QK^\\top = {T.bmatrix(S0)}$，例如 $S_{{11}} = q_1\\cdot k_1 = {T.g(S0[0][0])}$。"))
            S = yield Value("matrix", t("the scores $S = QK^\\top$", "得分 $S = QK^\\top$"), S0, decimals=DEC,
                            wrong=(Wrong(T.transpose(S0), "transposed",
                                         t("That is $KQ^\\top$: row i of $QK^\\top$ belongs to query i.",
                                           "这是 $KQ^\\top$：$QK^\\top$ 的第 i 行属于第 i 个查询。")),))
        Z = S
        if params["scale"] == "sqrt":
            root = math.sqrt(dk)
            Z0 = T.scale(S, 1 / root)
            yield Work(t(f"$d_k = {dk}$, $\\sqrt{{d_k}} = {T.g(root)}$: $Z = S/\\sqrt{{d_k}} = {T.bmatrix(T.rounded(Z0))}$."))
            Z = yield Value("matrix", t("the scaled scores $S/\\sqrt{d_k}$", "缩放后的得分 $S/\\sqrt{d_k}$"), Z0,
                            decimals=FINE,
                            wrong=(Wrong(T.scale(S, 1 / dk), "divided_by_dk",
                                         t("Divide by $\\sqrt{d_k}$, not by $d_k$.", "应除以 $\\sqrt{d_k}$，而不是 $d_k$。")),))
        A0 = T.softmax_rows(Z, keep)
        yield Work(self._softmax_line(params, Z, A0))
        wrong = [Wrong(T.softmax_columns(Z, keep), "softmax_axis",
                       t("The softmax runs over each row (over the keys, for one query), not down each column.",
                         "softmax 应对每一行（同一查询的各个键）进行，而不是对每一列。"))]
        if params["scale"] == "sqrt":
            wrong.append(Wrong(T.softmax_rows(S, keep), "no_scaling",
                               t("You left out the scaling by $\\sqrt{d_k}$.", "你漏掉了除以 $\\sqrt{d_k}$。")))
        if params["mask"] != "none":
            wrong.append(Wrong(_mask_after(Z, keep), "mask_after_softmax",
                               t("The mask sets scores to −∞ before the softmax; zeroing weights after it leaves rows "
                                 "that do not sum to 1.", "掩码应在 softmax 之前把得分置为 −∞；softmax 之后再置零，各行之和就不再为 1。")))
            wrong.append(Wrong(T.softmax_rows(Z), "mask_ignored",
                               t("The masked positions must get weight 0.", "被掩码的位置权重应为 0。")))
        A = yield Value("matrix", t("the attention weights $A = \\mathrm{softmax}(\\cdot)$ (row-wise)",
                                    "注意力权重 $A = \\mathrm{softmax}(\\cdot)$（按行）"), A0, decimals=FINE,
                        wrong=tuple(wrong))
        O0 = T.matmul(A, V)
        yield Work(t(f"$O = AV = {T.bmatrix(T.rounded(O0))}$: row i is the average of the value rows, weighted by row i of A.",
                     f"$O = AV = {T.bmatrix(T.rounded(O0))}$：第 i 行是以 A 的第 i 行为权重的值向量加权平均。"))
        wrong = [Wrong(T.matmul(w.answer, V), w.tag, w.explanation) for w in wrong]
        if len(A) == len(A[0]):
            wrong.append(Wrong(T.matmul(T.transpose(A), V), "transposed_weights",
                               t("Use $AV$, with row i of A weighting the rows of V.", "应计算 $AV$，用 A 的第 i 行对 V 的各行加权。")))
        yield Value("matrix", t("the output $O = AV$", "输出 $O = AV$"), O0, decimals=DEC, wrong=tuple(wrong))

    @staticmethod
    def _softmax_line(params: dict, Z, A) -> t:
        keep = _keep(params)
        row = Z[-1] if params["mask"] == "causal" else Z[0]
        i = len(Z) - 1 if params["mask"] == "causal" else 0
        terms = [f"e^{{{T.g(round(x, 3))}}}" for j, x in enumerate(row) if keep(i, j)]
        w = ", ".join(T.g(round(x, 3)) for x in A[i])
        masked = [str(j + 1) for j in range(len(row)) if not keep(i, j)]
        note_en = f" ({'key' if len(masked) == 1 else 'keys'} {', '.join(masked)} masked: $-\\infty$, weight 0)" if masked else ""
        note_zh = f"（键 {', '.join(masked)} 被掩码：$-\\infty$，权重 0）" if masked else ""
        return t(f"Row {i + 1}: divide each of {', '.join(f'${x}$' for x in terms)} by their sum{note_en}: "
                 f"$[{w}]$. $A = {T.bmatrix(T.rounded(A))}$.",
                 f"第 {i + 1} 行：{'、'.join(f'${x}$' for x in terms)} 各自除以它们的和{note_zh}：$[{w}]$。"
                 f"$A = {T.bmatrix(T.rounded(A))}$。")

    def resume(self, params: dict, part_id_: str, value):
        """From a slipped Q, K or V (easy variant): the qkv problem; from slipped scores: the scores problem."""
        from quizgen.model import part_id

        ids = [p.id for p in self.key_run(params).parts]
        k = ids.index(part_id_)
        common = {"mask": params["mask"], "padded": params["padded"], "scale": params["scale"], "figure": False}
        if params["mode"] == "x" and k < 3:
            mats = [p.answer for p in self.key_run(params).parts[:3]]
            mats[k] = value
            new = {"mode": "qkv", "Q": mats[0], "K": mats[1], "V": mats[2], **common}
            start = 3
        elif params["mode"] != "scores" and ids[k] == ids[3 if params["mode"] == "x" else 0]:
            V = self.key_run(params).parts[2].answer if params["mode"] == "x" else params["V"]
            new = {"mode": "scores", "S": value, "dk": _dk(params), "V": V, **common}
            start = k + 1
        else:
            return None
        return new, {part_id(j): ids[start + j] for j in range(len(ids) - start)}

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        zh = lang == "zh"
        dk, mode = _dk(params), params["mode"]
        scaled = params["scale"] == "sqrt"
        formula = (f"\\mathrm{{softmax}}(QK^\\top/\\sqrt{{d_k}})V" if scaled else "\\mathrm{softmax}(QK^\\top)V")
        if mode == "x":
            given = (f"$X = {T.bmatrix(params['X'])}$，$W^Q = {T.bmatrix(params['WQ'])}$，$W^K = {T.bmatrix(params['WK'])}$，"
                     f"$W^V = {T.bmatrix(params['WV'])}$" if zh else
                     f"$X = {T.bmatrix(params['X'])}$, $W^Q = {T.bmatrix(params['WQ'])}$, $W^K = {T.bmatrix(params['WK'])}$, "
                     f"$W^V = {T.bmatrix(params['WV'])}$")
            head = (f"一个自注意力层的输入（每行一个词元）与投影矩阵为 {given}。先计算 $Q = XW^Q$、$K = XW^K$、$V = XW^V$。"
                    if zh else f"A self-attention layer has input (one token per row) and projections {given}. "
                    "First compute $Q = XW^Q$, $K = XW^K$, $V = XW^V$.")
        elif mode == "qkv":
            given = ", ".join(f"${m} = {T.bmatrix(params[m])}$" for m in "QKV")
            head = (f"已知 {given.replace(', ', '，')}（每行一个词元）。" if zh else f"Given {given} (one token per row).")
        else:
            head = (f"已知得分 $S = QK^\\top = {T.bmatrix(params['S'])}$（$d_k = {dk}$）与 $V = {T.bmatrix(params['V'])}$。"
                    if zh else f"Given the scores $S = QK^\\top = {T.bmatrix(params['S'])}$ ($d_k = {dk}$) and "
                    f"$V = {T.bmatrix(params['V'])}$.")
        if zh:
            rule = (f"计算注意力 ${formula}$，$d_k = {dk}$，softmax 对每一行（对各个键）进行。" if scaled else
                    f"本题使用不缩放的点积注意力 ${formula}$（不除以 $\\sqrt{{d_k}}$），softmax 对每一行（对各个键）进行。")
        else:
            rule = (f"Compute the attention ${formula}$ with $d_k = {dk}$, the softmax taken over each row (over the keys)."
                    if scaled else f"Use unscaled dot-product attention ${formula}$ (no division by $\\sqrt{{d_k}}$), "
                    "the softmax taken over each row (over the keys).")
        mask = self._mask_text(params, zh)
        return "\n".join(x for x in (head, rule, mask) if x)

    @staticmethod
    def _mask_text(params: dict, zh: bool) -> str:
        if params["mask"] == "causal":
            return ("使用因果掩码：查询 i 只能关注键 j ≤ i；其余得分在 softmax 之前置为 $-\\infty$（权重为 0）。" if zh else
                    "Use a causal mask: query i may attend only to keys j ≤ i; the other scores are set to $-\\infty$ "
                    "before the softmax (their weights are 0).")
        if params["mask"] == "padding":
            pos = ", ".join(str(x) for x in params["padded"])
            one = len(params["padded"]) == 1
            owner = "position's" if one else "positions'"
            en = (f"Position {pos} is padding: the scores of its key are" if one else
                  f"Positions {pos} are padding: the scores of their keys are")
            return (f"第 {pos} 个位置是填充：每一行中{'该' if one else '这些'}键的得分在 softmax 之前置为 $-\\infty$（权重为 0）；"
                    "填充位置自己的查询行照常计算。" if zh else
                    f"{en} set to $-\\infty$ in every row before the softmax (weight 0); the padded "
                    f"{owner} own query {'row is' if one else 'rows are'} still computed.")
        return ""

    def figures(self, params: dict) -> list:
        """The weights as a heat map, with the key (they are an answer); a masked problem also
        shows its mask (1 = may attend, 0 = masked) with the statement."""
        parts = self.key_run(params).parts
        n_q, n_k = len(parts[-1].answer), len(parts[-2].answer[0])
        names = {"rows": [f"q{i + 1}" for i in range(n_q)], "cols": [f"k{j + 1}" for j in range(n_k)]}
        weights = Figure("heatmap", {"matrix": T.rounded(parts[-2].answer, 4), **names},
                         t("Attention weights A (rows: queries, columns: keys)", "注意力权重 A（行：查询，列：键）"),
                         key=True)
        if params["mask"] == "none":
            return [weights]
        keep = _keep(params)
        mask = [[int(keep(i, j)) for j in range(n_k)] for i in range(n_q)]
        return [Figure("heatmap", {"matrix": mask, **names},
                       t("The mask: 1 = query i may attend to key j, 0 = masked (−∞ before the softmax)",
                         "掩码：1 = 查询 i 可以关注键 j，0 = 被掩码（softmax 前置为 −∞）")), weights]
