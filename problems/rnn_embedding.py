"""Embeddings and word2vec's skip-gram (full softmax) by hand.

    lookup       nn.Embedding(n, d): token id i → row i of the table V (n × d)
    skip-gram    centre word c, context word o; v_c = row c of V (centre vectors),
                 u_w = row w of U (context / output vectors, a second table)
                 s_w = u_wᵀ v_c                        score of every word w of the vocabulary
                 p_w = e^{s_w} / Σ_x e^{s_x}           softmax over the whole vocabulary
                 L   = −log p_o = log Σ_x e^{s_x} − s_o   natural log (from the scores)
                 ∂L/∂v_c = Σ_w p_w u_w − u_o = Uᵀ(p − onehot(o))

(CS224n / Mikolov et al. notation; `tied=yes` uses one table, U = V.)  Parts: the lookup of
some ids, v_c, the scores, the softmax, L and ∂L/∂v_c; from v_c on a trace with error carried
forward.  solvers/rnn_ref.py: nn.Embedding tables, F.cross_entropy and autograd.
"""

from __future__ import annotations

import math

from problems import _rnn as R
from quizgen import params as P
from quizgen.draw import redraw
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong

ENTRIES = (-1.0, -0.5, -0.2, 0.2, 0.5, 1.0, 0.0, 0.4, -0.4)
WORDS = ("the", "cat", "sat", "on", "mat", "dog")


def context_table(p: dict) -> list[list[float]]:
    return p["V"] if p["tied"] else p["U"]


@register
class Embedding(TraceFamily):
    name = "rnn.embedding"
    topic = "rnn"
    version = 1
    title = t("Embeddings and skip-gram by hand", "手算词嵌入与 skip-gram")
    summary = t("An embedding lookup, then word2vec skip-gram with a full softmax: scores, softmax, loss and "
                "the centre vector's gradient.", "嵌入查表，以及完整 softmax 的 word2vec skip-gram：得分、softmax、"
                "损失和中心词向量的梯度。")
    example = ("quizgen solve rnn.embedding --set V='[[1, 0], [0, 1], [1, 1]]' --set U='[[0.5, 0], [0, 0.5], [1, 0]]' "
               "--set centre=0 --set context=2")
    conventions = (
        t("Centre vectors $v$ (rows of $V$) and context vectors $u$ (rows of $U$) are two tables; the score of word "
          "w is $u_w^\\top v_c$, the softmax runs over the whole vocabulary, and log is the natural log.",
          "中心词向量 $v$（$V$ 的行）与上下文向量 $u$（$U$ 的行）是两张表；词 w 的得分为 $u_w^\\top v_c$，"
          "softmax 作用于整个词表，log 为自然对数。"),
        t("Token ids count from 0, as in nn.Embedding.", "词元编号从 0 开始，与 nn.Embedding 相同。"),
    )
    params = (
        R.array_param("V", "the embedding (centre) table, one row per token id", "[[1, 0], [0, 1], [1, 1]]"),
        R.array_param("U", "the context (output) table, same size as V", "[[0.5, 0], [0, 0.5], [1, 0]]",
                      default=None),
        P.boolean("tied", "use one table for both (U = V)", default=False, example="no"),
        P.integer("centre", "the centre word's id", 0, 63, "0"),
        P.integer("context", "the context word's id", 0, 63, "2"),
        P.vector("ids", "token ids to look up", (1, 6), 0, 63, "[2, 0]", default=None),
    )

    # -------------------------------------------------------------- generate
    def generate(self, rng, difficulty: str) -> dict:
        n, d = {"easy": (4, 2), "medium": (5, 2), "hard": (6, 3)}[difficulty]

        def draw() -> dict:
            pick = R.chooser(rng)
            c, o = int(pick(range(n))), int(pick(range(n)))
            return {"V": R.draw_matrix(pick, n, d, ENTRIES), "U": R.draw_matrix(pick, n, d, ENTRIES), "tied": False,
                    "centre": c, "context": o, "ids": [int(pick(range(n))) for _ in range(2)]}

        def ok(p: dict) -> bool:
            v = p["V"][p["centre"]]
            scores = R.matvec(p["U"], v)
            return p["centre"] != p["context"] and any(v) and len(set(scores)) >= 3 and len(set(p["ids"])) == 2
        return redraw(draw, ok)

    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        V = v["V"]
        if not isinstance(V, list) or not V or not isinstance(V[0], list):
            raise QuizgenError("V: give a matrix with one row per token id, like [[1, 0], [0, 1]]")
        n, d = len(V), len(V[0])
        if not 2 <= n <= 12:
            raise QuizgenError("V: a vocabulary of 2 to 12 words")
        p = {"V": R.fit("V", V, n, d, "vocabulary × dimension"), "tied": v["tied"]}
        if v["tied"]:
            if v["U"] is not None:
                raise QuizgenError("tied=yes uses V for both tables: give no U")
        else:
            if v["U"] is None:
                raise QuizgenError("give the context table U (or --set tied=yes to use V for both)")
            p["U"] = R.fit("U", v["U"], n, d, "vocabulary × dimension, as V")
        for name in ("centre", "context"):
            if v[name] >= n:
                raise QuizgenError(f"{name}: token ids run from 0 to {n - 1}")
            p[name] = v[name]
        ids = v["ids"] or [v["context"]]
        if any(i >= n or i != int(i) for i in ids):
            raise QuizgenError(f"ids: whole token ids from 0 to {n - 1}")
        p["ids"] = [int(i) for i in ids]
        return p

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        zh, n, d = lang == "zh", len(params["V"]), len(params["V"][0])
        names = ", ".join(f"{i} = {WORDS[i]}" for i in range(n)) if n <= len(WORDS) else ""
        ids = ", ".join(map(str, params["ids"]))
        tables = (f"$V$ = {R.mat(params['V'])}" if params["tied"] else
                  f"$V$ = {R.mat(params['V'])}; $U$ = {R.mat(params['U'])}")
        c, o = params["centre"], params["context"]
        if zh:
            vocab = f"（{names}）" if names else ""
            tied = "两张表相同（$U = V$）。" if params["tied"] else ""
            return (f"词表有 {n} 个词{vocab}，嵌入维度 {d}。{tables}。{tied}\n"
                    f"1. `nn.Embedding` 的权重为 $V$：写出编号 {ids} 的嵌入（每个编号一行）。\n"
                    f"2. skip-gram：中心词 $c = {c}$，上下文词 $o = {o}$。写出 $v_c$、每个词的得分 $s_w = u_w^\\top v_c$、"
                    f"softmax $p_w$、损失 $L = -\\log p_o$（这两项保留 3 位小数），以及 $\\partial L/\\partial v_c$。")
        vocab = f" ({names})" if names else ""
        tied = " One table is used for both ($U = V$)." if params["tied"] else ""
        return (f"A vocabulary of {n} words{vocab}, embedding dimension {d}. {tables}.{tied}\n"
                f"1. An `nn.Embedding` holds $V$: give the embeddings of ids {ids} (one row per id).\n"
                f"2. Skip-gram with centre word $c = {c}$ and context word $o = {o}$: give $v_c$, the score "
                f"$s_w = u_w^\\top v_c$ of every word, the softmax $p_w$, the loss $L = -\\log p_o$ (these two to 3 "
                f"decimals) and $\\partial L/\\partial v_c$.")

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        V, U, c, o = params["V"], context_table(params), params["centre"], params["context"]
        rows = [V[i] for i in params["ids"]]
        yield Work(t(f"Lookup: rows {', '.join(map(str, params['ids']))} of $V$ = {R.mat(rows)}",
                     f"查表：$V$ 的第 {', '.join(map(str, params['ids']))} 行 = {R.mat(rows)}"))
        yield Value("matrix", t("embeddings of the ids (one row per id)", "各编号的嵌入（每个编号一行）"), rows,
                    R.DECIMALS, trace=False, wrong=(Wrong([V[i - 1] for i in params["ids"] if i >= 1], "one_based", t(
                        "Ids count from 0: id i is row i, the (i+1)-th row.", "编号从 0 开始：编号 i 是第 i+1 行。")),))
        yield Work(t(f"$v_c$ = row {c} of $V$ = {R.vec(V[c])}", f"$v_c$ = $V$ 的第 {c} 行 = {R.vec(V[c])}"))
        v = yield Value("vector", t("$v_c$ (centre vector)", "$v_c$（中心词向量）"), list(V[c]), R.DECIMALS, column="v")
        s = R.matvec(U, v)
        yield Work(t(f"$s_w = u_w^\\top v_c$ for w = 0 … {len(U) - 1}: {R.vec(s, R.peek)}",
                     f"对 w = 0 … {len(U) - 1} 计算 $s_w = u_w^\\top v_c$：{R.vec(s, R.peek)}"))
        wrong = () if params["tied"] else (Wrong(R.matvec(params["V"], v), "centre_table", t(
            "Scores use the context vectors: $s_w = u_w^\\top v_c$, rows of $U$, not $V$.",
            "得分用上下文向量：$s_w = u_w^\\top v_c$，取 $U$ 的行，而不是 $V$。")),)
        s = yield Value("vector", t("scores $s_w$ of all words", "所有词的得分 $s_w$"), s, R.DECIMALS, column="s",
                        wrong=wrong)
        p = R.softmax(s)
        yield Work(t(f"$p = \\operatorname{{softmax}}(s)$ = {R.vec(p, R.peek)}"))
        p = yield Value("vector", t("softmax $p_w$", "softmax 概率 $p_w$"), p, 3, column="p", wrong=(
            Wrong([math.exp(x) for x in s], "not_normalised", t("Divide by $\\sum_x e^{s_x}$.", "要除以 $\\sum_x e^{s_x}$。")),))
        top = max(s)
        lse = top + math.log(sum(math.exp(x - top) for x in s))
        loss = lse - s[o]                     # −log p_o, from the scores (log-sum-exp)
        yield Work(t(f"$L = -\\log p_{o} = \\log \\sum_x e^{{s_x}} - s_{o}$ = {R.peek(lse)} − {R.peek(s[o])} = "
                     f"{R.peek(loss)}"))
        yield Value("real", t("loss $L = -\\log p_o$", "损失 $L = -\\log p_o$"), loss, 3, column="L", wrong=(
            Wrong(-loss, "no_minus", t("The loss is $-\\log p_o$: positive.", "损失是 $-\\log p_o$，为正数。")),
            Wrong(loss / math.log(10), "log10", t("log is the natural log.", "log 为自然对数。"))))
        grad = R.add(R.matvec(R.transpose(U), p), [-x for x in U[o]])
        yield Work(t(f"$\\partial L/\\partial v_c = \\sum_w p_w u_w - u_o$ = {R.vec(R.matvec(R.transpose(U), p), R.peek)} − "
                     f"{R.vec(U[o])} = {R.vec(grad, R.peek)}"))
        yield Value("vector", t("$\\partial L/\\partial v_c$", "梯度 $\\partial L/\\partial v_c$"), grad, R.DECIMALS,
                    column="dv", wrong=(Wrong([-x for x in grad], "sign", t(
                        "$\\partial L/\\partial v_c = \\sum_w p_w u_w - u_o$: expected minus observed.",
                        "$\\partial L/\\partial v_c = \\sum_w p_w u_w - u_o$：期望减去观测。")),
                        Wrong(R.matvec(R.transpose(U), p), "no_u_o", t("Subtract $u_o$, the observed context word's "
                                                                       "vector.", "还要减去观测到的上下文词向量 $u_o$。"))))

    def resume(self, params: dict, part_id_: str, value):
        """From v_c: the problem whose centre row of V is the student's v_c (two tables only)."""
        if part_id_ != "b" or params["tied"]:
            return None
        V = [list(r) for r in params["V"]]
        V[params["centre"]] = list(value)
        return dict(params, V=V), {k: k for k in ("c", "d", "e", "f")}
