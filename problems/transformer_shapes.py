"""Multi-head attention and Transformer-layer arithmetic: head size, tensor shapes, parameters.

    head size        d_k = d_model / h
    input            N×L×d_model (batch first) or L×N×d_model (PyTorch's default, sequence first)
    heads            Q, K, V split into heads: N×h×L×d_k   (batch, heads, positions, d_k)
    weights          softmax(QKᵀ/√d_k) per head: N×h×L×S   (S = L for self-attention,
                     S = the encoder output's length for cross-attention)
    concatenated     the heads joined again: the input's layout, d_model wide; then W^O
    feed-forward     hidden N×L×d_ff (or L×N×d_ff); output = the input's shape

    parameters (nn.MultiheadAttention, nn.TransformerEncoderLayer / DecoderLayer; b = with biases)
        attention    W^Q, W^K, W^V, W^O: 4 d_model² (+ 4 d_model)
        feed-forward 2 d_model d_ff (+ d_ff + d_model)
        LayerNorm    γ (+ β): d_model (+ d_model) each; 2 in an encoder layer, 3 in a decoder layer
        encoder      1 attention + feed-forward + 2 LayerNorms
        decoder      2 attentions (masked self-, cross-) + feed-forward + 3 LayerNorms
"""

from __future__ import annotations

from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import Mistake, Part, Solution, part_id, t
from quizgen.registry import Family, per_params, register

LAYERS = ("mha", "encoder", "decoder")
# What a decoder layer has that an encoder layer lacks: options 0 and 1 are right.
OPTIONS = (t("masked (causal) self-attention", "带掩码（因果）的自注意力"),
           t("cross-attention over the encoder's output (encoder–decoder attention)",
             "对编码器输出的交叉注意力（编码器–解码器注意力）"),
           t("a position-wise feed-forward network", "逐位置前馈网络"),
           t("residual connections followed by LayerNorm", "残差连接与 LayerNorm"),
           t("multi-head attention", "多头注意力"),
           t("a softmax over the vocabulary", "对词表的 softmax"))


def counts(layer: str, d: int, d_ff: int, bias: bool) -> dict:
    """Parameter counts of one attention block, the feed-forward, the LayerNorms and the layer."""
    attn = 4 * d * d + (4 * d if bias else 0)
    ffn = 2 * d * d_ff + (d_ff + d if bias else 0)
    norms = {"mha": 0, "encoder": 2, "decoder": 3}[layer]
    ln = norms * (2 * d if bias else d)
    n_attn = 2 if layer == "decoder" else 1
    total = attn if layer == "mha" else n_attn * attn + ffn + ln
    return {"attn": attn, "ffn": ffn, "ln": ln, "norms": norms, "n_attn": n_attn, "total": total}


@register
class TransformerShapes(Family):
    name = "transformer.shapes"
    topic = "transformer"
    version = 1
    title = t("Multi-head attention and Transformer layers: shapes and parameters", "多头注意力与 Transformer 层：形状与参数量")
    summary = t("Head size d_model/h, every tensor's shape, and parameter counts of nn.MultiheadAttention and "
                "encoder/decoder layers.",
                "头维度 d_model/h、各张量的形状，以及 nn.MultiheadAttention 与编码器/解码器层的参数量。")
    example = "quizgen solve transformer.shapes --set layer=encoder --set d_model=512 --set heads=8 --set d_ff=2048"
    conventions = (
        t("Heads are split in the (batch, heads, positions, d_k) layout; the attention weights of each head are "
          "queries × keys.", "多头按（批量，头，位置，d_k）的布局拆分；每个头的注意力权重为 查询数 × 键数。"),
        t("Parameters as in PyTorch: W^Q, W^K, W^V, W^O are d_model × d_model, biases counted unless stated; "
          "LayerNorm has γ and β (only γ without biases); post-norm layers, no embeddings.",
          "参数按 PyTorch 计：W^Q、W^K、W^V、W^O 均为 d_model × d_model，除非说明否则计入偏置；"
          "LayerNorm 有 γ 和 β（无偏置时只有 γ）；后归一化层，不含嵌入层。"),
    )
    params = (
        P.choice("layer", "what to count: one attention block (mha), an encoder layer or a decoder layer", LAYERS,
                 default="encoder"),
        P.integer("d_model", "the model width d_model", 1, 65536, "512"),
        P.integer("heads", "the number of heads h (divides d_model)", 1, 1024, "8"),
        P.integer("d_ff", "the feed-forward width d_ff (default 4·d_model)", 1, 262144, "2048", default=None),
        P.integer("batch", "the batch size N", 1, 100000, "32", default=32),
        P.integer("length", "the (target) sequence length L", 1, 100000, "10", default=10),
        P.integer("source", "decoder: the encoder output's length S (default L)", 1, 100000, "12", default=None),
        P.boolean("batch_first", "tensors are batch × length × d_model (PyTorch's default is no)", default=False,
                  example="no"),
        P.boolean("bias", "the linear layers and LayerNorms have biases", default=True),
    )

    # -------------------------------------------------------------- params
    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        if v["d_model"] % v["heads"]:
            raise QuizgenError(f"transformer.shapes: heads={v['heads']} must divide d_model={v['d_model']}")
        return {"layer": v["layer"], "d": v["d_model"], "h": v["heads"], "d_ff": v["d_ff"] or 4 * v["d_model"],
                "N": v["batch"], "L": v["length"], "S": v["source"] or v["length"],
                "batch_first": v["batch_first"], "bias": v["bias"], "order": list(range(len(OPTIONS)))}

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        layer = {"easy": "mha", "medium": "encoder", "hard": "decoder"}[difficulty]
        d = pick([64, 128, 256, 512] if difficulty == "easy" else [256, 512, 768, 1024])
        h = pick([h for h in (2, 4, 8, 12, 16) if d % h == 0 and d // h >= 16])
        L = pick([8, 10, 16, 20, 50, 100])
        S = pick([x for x in (8, 12, 16, 25, 30) if x != L]) if layer == "decoder" else L
        order = [int(i) for i in rng.permutation(len(OPTIONS))]
        return {"layer": layer, "d": d, "h": h, "d_ff": pick([4 * d, 2048, 2 * d]), "N": pick([2, 4, 8, 16, 32, 64]),
                "L": L, "S": S, "batch_first": bool(rng.random() < 0.5),
                "bias": difficulty == "easy" or bool(rng.random() < 0.6), "order": order}

    # -------------------------------------------------------------- solve
    @staticmethod
    def _seq(p: dict, n: int, width: int) -> list[int]:
        return [p["N"], n, width] if p["batch_first"] else [n, p["N"], width]

    def _items(self, p: dict):
        """(kind, prompt, answer, [(wrong answer, tag, explanation)]) per part, in order."""
        d, h, N, L, S = p["d"], p["h"], p["N"], p["L"], p["S"]
        dk, layer, c = d // h, p["layer"], counts(p["layer"], d, p["d_ff"], p["bias"])
        other = lambda n, w: [n, N, w] if p["batch_first"] else [N, n, w]  # noqa: E731
        layout = t("You swapped the batch and length axes: see batch_first.", "你把批量维与序列维弄反了：注意 batch_first。")
        yield "integer", t("the head size $d_k = d_{model}/h$", "每个头的维度 $d_k = d_{model}/h$"), dk, [
            (d, "no_split", t("Each head works in d_model/h dimensions.", "每个头的维度是 d_model/h。"))]
        yield "shape", t("the shape of the input X", "输入 X 的形状"), self._seq(p, L, d), [(other(L, d), "layout", layout)]
        yield "shape", t("the shape of Q after splitting into heads (batch, heads, positions, $d_k$)",
                         "拆分成多头后 Q 的形状（批量，头，位置，$d_k$）"), [N, h, L, dk], [
            ([N, L, h, dk], "heads_positions", t("The layout is (batch, heads, positions, d_k): heads before positions.",
                                                 "布局是（批量，头，位置，d_k）：头在位置之前。"))]
        cross = layer == "decoder"
        yield "shape", t("the self-attention weights of all heads", "所有头的自注意力权重的形状"), [N, h, L, L], [
            ([N, h, L, dk], "weights_dk", t("The weights are queries × keys per head, not positions × d_k.",
                                            "权重是每个头的 查询数 × 键数，而不是 位置数 × d_k。"))]
        if cross:
            yield "shape", t("the cross-attention weights of all heads (queries from the decoder)",
                             "所有头的交叉注意力权重的形状（查询来自解码器）"), [N, h, L, S], [
                ([N, h, S, L], "cross_swapped", t("Queries come from the decoder (L rows), keys from the encoder (S columns).",
                                                  "查询来自解码器（L 行），键来自编码器（S 列）。")),
                ([N, h, L, L], "cross_self", t("Cross-attention keys are the encoder's S positions.",
                                               "交叉注意力的键是编码器的 S 个位置。"))]
        yield "shape", t("the shape after concatenating the heads", "多头拼接之后的形状"), self._seq(p, L, d), [
            (self._seq(p, L, dk), "one_head", t("Concatenating h heads of d_k gives d_model again.",
                                                "拼接 h 个 d_k 维的头，又得到 d_model 维。"))]
        if layer != "mha":
            yield "shape", t("the feed-forward hidden layer's output", "前馈网络隐藏层的输出形状"), \
                self._seq(p, L, p["d_ff"]), [(other(L, p["d_ff"]), "layout", layout)]
        yield "integer", t("the parameters of one multi-head attention block", "一个多头注意力模块的参数量"), c["attn"], \
            self._attn_wrong(d, dk, h, p["bias"])
        if layer == "mha":
            return
        yield "integer", t("the parameters of the feed-forward network", "前馈网络的参数量"), c["ffn"], [
            (2 * d * p["d_ff"] + (2 * p["d_ff"] if p["bias"] else 0), "ffn_bias",
             t("The second linear layer has d_model biases, the first d_ff.", "第二个线性层有 d_model 个偏置，第一个有 d_ff 个。"))]
        yield "integer", t("the parameters of the layer's LayerNorms", "该层所有 LayerNorm 的参数量"), c["ln"], [
            (c["ln"] // c["norms"] * (5 - c["norms"]), "norm_count",  # 3 for 2, 2 for 3
             t("An encoder layer has 2 LayerNorms, a decoder layer 3.", "编码器层有 2 个 LayerNorm，解码器层有 3 个。")),
            (c["norms"] * d if p["bias"] else 2 * c["norms"] * d, "norm_beta",
             t("LayerNorm has a γ and a β per feature (only γ without biases).", "LayerNorm 每个特征有 γ 和 β（无偏置时只有 γ）。"))]
        one_norm = c["ln"] // c["norms"]
        if cross:
            total_wrong = (c["total"] - c["attn"], "one_attention",
                           t("A decoder layer has two attention blocks: masked self-attention and cross-attention.",
                             "解码器层有两个注意力模块：带掩码的自注意力和交叉注意力。"))
        else:
            total_wrong = (c["total"] + one_norm, "norm_count",
                           t("An encoder layer has 2 LayerNorms, a decoder layer 3.", "编码器层有 2 个 LayerNorm，解码器层有 3 个。"))
        yield "integer", t(f"the parameters of the whole {layer} layer",
                           f"整个{'编码器' if layer == 'encoder' else '解码器'}层的参数量"), c["total"], [total_wrong]
        yield "choice", t("Which of these does a decoder layer have that an encoder layer lacks? (all that apply)",
                          "下列哪些是解码器层有而编码器层没有的？（多选）"), \
            sorted("abcdef"[p["order"].index(i)] for i in (0, 1)), []

    @staticmethod
    def _attn_wrong(d: int, dk: int, h: int, bias: bool) -> list:
        b = 1 if bias else 0
        return [(3 * d * d + 3 * d * b, "no_out_proj", t("Count the output projection W^O (d_model × d_model) too.",
                                                         "还要计入输出投影 W^O（d_model × d_model）。")),
                (4 * d * dk + 4 * dk * b, "one_head", t("Each of W^Q, W^K, W^V covers all h heads: d_model × d_model.",
                                                        "W^Q、W^K、W^V 各自包含所有 h 个头：d_model × d_model。")),
                (h * 4 * d * d + 4 * h * d * b, "per_head_full", t("The h heads share the d_model × d_model matrices "
                                                                   "(d_k = d_model/h columns each), not h of them.",
                                                                   "h 个头共同划分 d_model × d_model 的矩阵（每个头 d_k = d_model/h 列），而不是各有一个。"))] \
            + ([(4 * d * d, "no_bias", t("Count the 4 bias vectors of d_model too.", "还要计入 4 个 d_model 维偏置向量。"))] if bias else [])

    @per_params
    def solve(self, params: dict) -> Solution:
        parts = [Part(part_id(i), kind, prompt, answer, choices=_options(params) if kind == "choice" else ())
                 for i, (kind, prompt, answer, _) in enumerate(self._items(params))]
        return Solution(tuple(parts), tuple(self._steps(params)))

    def mistakes(self, params: dict) -> list[Mistake]:
        from quizgen.trace import MistakeSet

        parts = self.solve(params).parts
        found = MistakeSet(parts)
        for part, (_, _, _, wrong) in zip(parts, self._items(params)):
            for answer, tag, text in wrong:
                found.add(part.id, answer, tag, text)
        return found.items

    @staticmethod
    def _steps(p: dict) -> list:
        d, h, dff, dk = p["d"], p["h"], p["d_ff"], p["d"] // p["h"]
        c = counts(p["layer"], d, dff, p["bias"])
        b = p["bias"]
        steps = [t(f"$d_k = {d}/{h} = {dk}$; the input is "
                   + ("$N\\times L\\times d_{model}$ (batch first)" if p["batch_first"] else "$L\\times N\\times d_{model}$ (sequence first)")
                   + f"; each head's weights are $L\\times S$ with $S = {p['S']}$ for cross-attention, $S = L$ for self-attention.",
                   f"$d_k = {d}/{h} = {dk}$；输入为 "
                   + ("$N\\times L\\times d_{model}$（批量在前）" if p["batch_first"] else "$L\\times N\\times d_{model}$（序列在前）")
                   + f"；每个头的权重为 $L\\times S$，交叉注意力 $S = {p['S']}$，自注意力 $S = L$。"),
                 t(f"Attention: $4\\cdot{d}^2" + (f" + 4\\cdot{d}" if b else "") + f" = {c['attn']:,}$ "
                   "($W^Q, W^K, W^V, W^O$" + (" and their biases)." if b else ", no biases)."),
                   f"注意力：$4\\cdot{d}^2" + (f" + 4\\cdot{d}" if b else "") + f" = {c['attn']:,}$"
                   "（$W^Q, W^K, W^V, W^O$" + ("及其偏置）。" if b else "，无偏置）。"))]
        if p["layer"] != "mha":
            steps.append(t(f"Feed-forward: $2\\cdot{d}\\cdot{dff}" + (f" + {dff} + {d}" if b else "") + f" = {c['ffn']:,}$; "
                           f"LayerNorms: ${c['norms']}\\cdot{2 * d if b else d} = {c['ln']:,}$; "
                           f"layer: ${c['n_attn']}\\cdot{c['attn']:,} + {c['ffn']:,} + {c['ln']:,} = {c['total']:,}$.",
                           f"前馈网络：$2\\cdot{d}\\cdot{dff}" + (f" + {dff} + {d}" if b else "") + f" = {c['ffn']:,}$；"
                           f"LayerNorm：${c['norms']}\\cdot{2 * d if b else d} = {c['ln']:,}$；"
                           f"整层：${c['n_attn']}\\cdot{c['attn']:,} + {c['ffn']:,} + {c['ln']:,} = {c['total']:,}$。"))
            steps.append(t("The decoder adds masked self-attention (a causal mask) and cross-attention, whose queries "
                           "come from the decoder and keys and values from the encoder's output; hence its third LayerNorm.",
                           "解码器多了带掩码的自注意力（因果掩码）和交叉注意力：查询来自解码器，键和值来自编码器的输出；"
                           "因此它有第三个 LayerNorm。"))
        return steps

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        p, zh = params, lang == "zh"
        dims = f"$d_{{model}} = {p['d']}$, $h = {p['h']}$"
        seq = (f"batch $N = {p['N']}$, length $L = {p['L']}$") if not zh else f"批量 $N = {p['N']}$，序列长度 $L = {p['L']}$"
        layout_en = ("tensors are batch first ($N\\times L\\times d_{model}$, batch_first=True)" if p["batch_first"] else
                     "tensors are sequence first ($L\\times N\\times d_{model}$, PyTorch's default batch_first=False)")
        layout_zh = ("张量批量在前（$N\\times L\\times d_{model}$，batch_first=True）" if p["batch_first"] else
                     "张量序列在前（$L\\times N\\times d_{model}$，PyTorch 默认 batch_first=False）")
        bias_en = "with biases" if p["bias"] else "without biases (bias=False: no biases in the linear layers and no β in LayerNorm)"
        bias_zh = "含偏置" if p["bias"] else "不含偏置（bias=False：线性层无偏置，LayerNorm 无 β）"
        if p["layer"] == "mha":
            what_en, what_zh = "A multi-head self-attention block (nn.MultiheadAttention)", "一个多头自注意力模块（nn.MultiheadAttention）"
        elif p["layer"] == "encoder":
            what_en = f"A Transformer encoder layer (nn.TransformerEncoderLayer: self-attention, feed-forward with $d_{{ff}} = {p['d_ff']}$, 2 LayerNorms)"
            what_zh = f"一个 Transformer 编码器层（nn.TransformerEncoderLayer：自注意力、$d_{{ff}} = {p['d_ff']}$ 的前馈网络、2 个 LayerNorm）"
        else:
            what_en = (f"A Transformer decoder layer (nn.TransformerDecoderLayer, attending to an "
                       f"encoder output of length $S = {p['S']}$; feed-forward with $d_{{ff}} = {p['d_ff']}$, 3 LayerNorms)")
            what_zh = (f"一个 Transformer 解码器层（nn.TransformerDecoderLayer，关注长度 $S = {p['S']}$ 的编码器输出；"
                       f"$d_{{ff}} = {p['d_ff']}$ 的前馈网络、3 个 LayerNorm）")
        if zh:
            return f"{what_zh}，{dims.replace(', ', '，')}，{bias_zh}。输入{seq}；{layout_zh}。写出下列各量。"
        return f"{what_en} has {dims}, {bias_en}. The input has {seq}; {layout_en}. Give the following."


def _options(params: dict) -> tuple:
    """The options in the problem's order."""
    return tuple(OPTIONS[i] for i in params["order"])
