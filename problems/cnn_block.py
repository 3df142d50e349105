"""One residual block or one dense block: the shapes through it and its parameter count.

    conv (no bias inside blocks): C_out·C_in·k·k        BatchNorm: 2C (γ, β; running mean
    and variance are buffers, not parameters)            H_out = ⌊(H + 2P − K)/S⌋ + 1
    basic block (ResNet-18/34):   conv3×3(C, s) BN ReLU conv3×3(C) BN  (+ shortcut) ReLU
    bottleneck (ResNet-50, torchvision v1.5: stride on the 3×3):
                                  conv1×1(W) BN ReLU conv3×3(W, s) BN ReLU conv1×1(4W) BN
    shortcut: identity if the shape is kept, else projection conv1×1(C_out, stride s) + BN
    dense layer j (DenseNet-BC):  BN ReLU conv1×1(4k) BN ReLU conv3×3(k, pad 1), then
                                  concatenated: C_j = C_{j−1} + k;  params 2C + 4k·C + 8k + 36k²

Shapes carry forward (a wrong shape earlier is judged from the student's own), and so do the
sums.  solvers/nets_ref.py builds the same blocks from torch.nn modules.
"""

from __future__ import annotations

from quizgen import blocks as B
from quizgen import layers as L
from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.registry import Param, register
from problems.cnn_shape import _shape_param
from quizgen.trace import CannotFollow, TraceFamily, Value, Work, Wrong

CONV_NO_BIAS = t("The convolutions inside a block have no bias (BatchNorm follows each one).",
                 "块内的卷积没有偏置（每个卷积后接批归一化 BN）。")
SHORTCUT = t("Shortcut: the identity when the block keeps the shape; otherwise a projection, a $1\\times1$ "
             "convolution with the block's stride and no bias, followed by BatchNorm.",
             "捷径连接：块不改变形状时为恒等映射；否则为投影：步长与块相同、无偏置的 $1\\times1$ 卷积，后接批归一化 BN。")


@register
class BlockParams(TraceFamily):
    name = "cnn.block"
    topic = "cnn"
    version = 1
    title = t("A residual or dense block: shapes and parameters", "残差块或稠密块：形状与参数量")
    summary = t("Shapes through one ResNet basic/bottleneck block or DenseNet dense block, and its parameter count.",
                "一个 ResNet 基本块/瓶颈块或 DenseNet 稠密块内的形状与参数量。")
    example = "quizgen solve cnn.block --set block=basic --set input=64x56x56 --set out=128 --set stride=2"
    conventions = (CONV_NO_BIAS, L.BATCHNORM, SHORTCUT, L.FLOOR)
    resume_reason = ("each shape follows from the student's previous one by the conv formula, and each sum from "
                     "their own counts; a carried shape is not a block of its own")
    params = (
        P.choice("block", "basic, bottleneck or dense", ("basic", "bottleneck", "dense"), default="basic"),
        Param("input", "input shape C×H×W", _shape_param, "64x56x56", [64, 56, 56]),
        P.integer("out", "basic: output channels; bottleneck: width W (output 4W)", 1, 4096, "128", default=64),
        P.integer("stride", "stride of the block (residual blocks)", 1, 4, "2", default=1),
        P.integer("n", "dense: number of layers", 1, 8, "3", default=3),
        P.integer("growth", "dense: growth rate k", 1, 256, "32", default=32),
        P.integer("bn_size", "dense: bottleneck factor (conv1×1 outputs bn_size·k)", 1, 8, "4", default=4),
    )

    # -------------------------------------------------------------- parameters
    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        size = pick([8, 14, 16, 28, 32, 56])
        if difficulty == "easy":
            c = pick([8, 16, 32, 64])
            return {"input": [c, size, size], "layer": {"type": "basic", "out": c, "s": 1}}
        if difficulty == "medium" and rng.random() < 0.6:
            c = pick([8, 16, 32, 64])
            s = pick([1, 2, 2])
            return {"input": [c, size, size], "layer": {"type": "basic", "out": 2 * c if s == 2 else pick([c, 2 * c]), "s": s}}
        if difficulty == "medium":
            return {"input": [pick([16, 24, 32, 64]), size, size],
                    "layer": {"type": "dense", "n": 2, "growth": pick([4, 8, 12, 32]), "bn_size": 4}}
        if rng.random() < 0.6:
            w = pick([16, 32, 64])
            c, s = pick([(4 * w, 1), (2 * w, 2), (w, 1), (4 * w, 2)])
            return {"input": [c, size, size], "layer": {"type": "bottleneck", "width": w, "s": s}}
        return {"input": [pick([32, 64, 128]), size, size],
                "layer": {"type": "dense", "n": 3, "growth": pick([12, 16, 32]), "bn_size": 4}}

    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        shape = [int(x) for x in v.get("input", [64, 56, 56])]
        if v["block"] == "dense":
            layer = {"type": "dense", "n": v["n"], "growth": v["growth"], "bn_size": v["bn_size"]}
        else:
            key = "out" if v["block"] == "basic" else "width"
            layer = {"type": v["block"], key: v["out"], "s": v["stride"]}
        try:
            L.output_shape(layer, shape)
        except ValueError as exc:
            raise QuizgenError(f"cnn.block: {exc}") from None
        return {"input": shape, "layer": layer}

    # -------------------------------------------------------------- statement
    def render(self, params: dict, lang: str) -> str:
        layer, (c, h, w), zh = params["layer"], params["input"], lang == "zh"
        shape = f"${c}\\times{h}\\times{w}$"
        if layer["type"] == "dense":
            n, k, b = layer["n"], layer["growth"], layer.get("bn_size", 4)
            if zh:
                return (f"一个 DenseNet 稠密块有 {n} 层，增长率 $k = {k}$，输入为 {shape}（C×H×W）。每层依次为："
                        f"BN、ReLU、${b}k = {b * k}$ 个 $1\\times1$ 卷积、BN、ReLU、$k$ 个 $3\\times3$ 卷积（填充 1），"
                        "其输出与该层的输入沿通道拼接。\n写出每层之后的形状 C×H×W、每层的参数个数，以及整个块的参数总数。")
            return (f"A DenseNet dense block has {n} layers with growth rate $k = {k}$ and input {shape} (C×H×W). "
                    f"Each layer is BN, ReLU, ${b}k = {b * k}$ $1\\times1$ convolutions, BN, ReLU, $k$ $3\\times3$ "
                    "convolutions (padding 1); its output is concatenated with its input along the channels.\n"
                    "Give the shape C×H×W after each layer, the parameters of each layer, and the block's total.")
        s = layer.get("s", 1)
        if layer["type"] == "basic":
            path_en = f"conv $3\\times3$ ({layer['out']}, stride {s}, padding 1), BN, ReLU, conv $3\\times3$ ({layer['out']}, padding 1), BN"
            path_zh = f"$3\\times3$ 卷积（{layer['out']} 个，步长 {s}，填充 1）、BN、ReLU、$3\\times3$ 卷积（{layer['out']} 个，填充 1）、BN"
            name_en, name_zh = "A ResNet basic block", "一个 ResNet 基本块"
        else:
            W = layer["width"]
            path_en = (f"conv $1\\times1$ ({W}), BN, ReLU, conv $3\\times3$ ({W}, stride {s}, padding 1), BN, ReLU, "
                       f"conv $1\\times1$ ({4 * W}), BN")
            path_zh = (f"$1\\times1$ 卷积（{W} 个）、BN、ReLU、$3\\times3$ 卷积（{W} 个，步长 {s}，填充 1）、BN、ReLU、"
                       f"$1\\times1$ 卷积（{4 * W} 个）、BN")
            name_en, name_zh = "A ResNet bottleneck block (stride on the $3\\times3$, as torchvision)", \
                "一个 ResNet 瓶颈块（步长在 $3\\times3$ 卷积上，与 PyTorch 的 `torchvision` 一致）"
        if zh:
            return (f"{name_zh}的输入为 {shape}（C×H×W）。主路径：{path_zh}；主路径与捷径相加后接 ReLU。\n"
                    "写出主路径上每个卷积之后的形状 C×H×W；捷径是否需要投影；主路径的参数个数、捷径的参数个数，以及块的参数总数。")
        return (f"{name_en} takes an input of {shape} (C×H×W). Main path: {path_en}; the main path and the "
                "shortcut are added, then ReLU.\nGive the shape C×H×W after each convolution of the main path; "
                "whether the shortcut needs a projection; the parameters of the main path, of the shortcut, and "
                "the block's total.")

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        if params["layer"]["type"] == "dense":
            yield from self._dense(params)
        else:
            yield from self._residual(params)

    @staticmethod
    def _conv_step(j: int, conv: dict, before: list[int], after: list[int]) -> t:
        k, s, p = conv["k"], conv["s"], conv["p"]
        h = f"\\lfloor ({before[1]} + 2\\cdot{p} - {k})/{s} \\rfloor + 1 = {after[1]}"
        return t(f"Conv {j} ({conv['out']}@{k}×{k}, stride {s}, padding {p}) on ${L.latex_shape(before)}$: "
                 f"$H: {h}$ (W alike); {conv['out']} channels: ${L.latex_shape(after)}$.",
                 f"第 {j} 个卷积（{conv['out']}@{k}×{k}，步长 {s}，填充 {p}）作用于 ${L.latex_shape(before)}$："
                 f"$H: {h}$（W 同理）；{conv['out']} 个通道：${L.latex_shape(after)}$。")

    def _residual(self, params: dict):
        layer, shape = params["layer"], list(params["input"])
        _, main, shortcut = B.stages(layer, shape[0])[0]
        convs = [sub for sub in main if sub["type"] == "conv"]
        current, true = shape, shape
        for j, conv in enumerate(convs, 1):
            try:
                after = L.output_shape(conv, current)
            except ValueError:
                raise CannotFollow from None
            yield Work(self._conv_step(j, conv, current, after))
            wrong = [Wrong([after[0], *current[1:]], "stride_ignored",
                           t("The stride divides the height and width.", "步长会缩小高和宽。"))] if conv["s"] != 1 else []
            if layer["type"] == "bottleneck" and j == 3:
                wrong.append(Wrong([layer["width"], *after[1:]], "no_expansion",
                                   t("The last 1×1 convolution expands to 4W channels.", "最后的 1×1 卷积把通道扩展到 4W。")))
            true = L.output_shape(conv, true)
            current = yield Value("shape", t(f"C×H×W after conv {j}", f"第 {j} 个卷积之后的 C×H×W"), after,
                                  step=j, column="C×H×W", wrong=tuple(wrong))
        out = true
        proj = bool(shortcut)
        why_en = (f"the block changes the shape (${L.latex_shape(shape)}$ → ${L.latex_shape(out)}$)" if proj
                  else "the block keeps the shape")
        why_zh = f"块改变了形状（${L.latex_shape(shape)}$ → ${L.latex_shape(out)}$）" if proj else "块保持形状不变"
        yield Work(t(f"Shortcut: {why_en}, so it is {'a projection' if proj else 'the identity'}.",
                     f"捷径：{why_zh}，所以{'需要投影' if proj else '是恒等映射'}。"))
        yield Value("boolean", t("does the shortcut need a projection?", "捷径是否需要投影？"), proj, trace=False)
        main_count, main_terms = self._count(main, shape)
        buffers = sum(L.buffer_count(sub, s) for sub, s in self._walk(main, shape))
        conv_out = sum(sub["out"] for sub in convs)
        bn_params = sum(L.param_count(sub, s) for sub, s in self._walk(main, shape) if sub["type"] == "bn")
        yield Work(t(f"Main path: ${main_terms} = {main_count}$ (convs $C_{{out}} C_{{in}} k^2$, BN $2C$).",
                     f"主路径：${main_terms} = {main_count}$（卷积 $C_{{out}} C_{{in}} k^2$，BN $2C$）。"))
        a = yield Value("integer", t("parameters of the main path", "主路径的参数个数"), main_count, wrong=(
            Wrong(main_count + buffers, "bn_running_stats",
                  t("The running mean and variance of BatchNorm are buffers, not parameters: only γ and β count.",
                    "批归一化（BatchNorm）的滑动均值和方差是缓冲量，不是参数：只有 γ 和 β 计入。")),
            Wrong(main_count - bn_params, "bn_left_out", t("BatchNorm's γ and β are learnable: 2C per BN.",
                                                           "批归一化（BatchNorm）的 γ 和 β 是可学习的：每个 BN 有 2C 个。")),
            Wrong(main_count + conv_out, "conv_bias", t("The convolutions in a block have no bias.",
                                                        "块内的卷积没有偏置。"))))
        sc_count, sc_terms = self._count(shortcut, shape)
        yield Work(t(f"Shortcut: ${sc_terms} = {sc_count}$." if proj else "Shortcut: the identity has 0 parameters.",
                     f"捷径：${sc_terms} = {sc_count}$。" if proj else "捷径：恒等映射没有参数，为 0。"))
        full = B.block_out(layer) * shape[0] + 2 * B.block_out(layer)
        b = yield Value("integer", t("parameters of the shortcut", "捷径的参数个数"), sc_count, wrong=(
            (Wrong(0, "no_projection", t("The shape changes, so the shortcut is a 1×1 conv + BN with parameters.",
                                          "形状改变了，所以捷径是带参数的 1×1 卷积 + BN。")),) if proj else
            (Wrong(full, "needless_projection", t("The shape is kept: the shortcut is the identity, 0 parameters.",
                                                   "形状不变：捷径是恒等映射，0 个参数。")),)))
        yield Work(t(f"Total: ${a} + {b} = {a + b}$.", f"合计：${a} + {b} = {a + b}$。"))
        yield Value("integer", t("parameters of the block", "整个块的参数个数"), a + b)

    def _dense(self, params: dict):
        layer, shape = params["layer"], list(params["input"])
        k, bsz = layer["growth"], layer.get("bn_size", 4)
        counts, current = [], shape
        for j in range(1, layer["n"] + 1):
            c = current[0]
            count = 2 * c + bsz * k * c + 2 * bsz * k + bsz * k * k * 9
            yield Work(t(f"Layer {j} on {c} channels: BN $2\\cdot{c}$ + conv1×1 ${bsz * k}\\cdot{c}$ + BN $2\\cdot{bsz * k}$ "
                         f"+ conv3×3 ${k}\\cdot{bsz * k}\\cdot 9$ = {count}; output {c} + {k} = {c + k} channels.",
                         f"第 {j} 层，输入 {c} 个通道：BN $2\\cdot{c}$ + 1×1 卷积 ${bsz * k}\\cdot{c}$ + BN $2\\cdot{bsz * k}$ "
                         f"+ 3×3 卷积 ${k}\\cdot{bsz * k}\\cdot 9$ = {count}；输出 {c} + {k} = {c + k} 个通道。"))
            counts.append((yield Value("integer", t(f"parameters of layer {j}", f"第 {j} 层的参数个数"), count,
                                       step=j, column="#θ", wrong=(
                Wrong(count + 2 * c + 2 * bsz * k, "bn_running_stats",
                      t("The running mean and variance of BatchNorm are buffers, not parameters.",
                        "批归一化（BatchNorm）的滑动均值和方差是缓冲量，不是参数。")),
                Wrong(2 * c + k * c * 9, "no_bottleneck",
                      t(f"The 3×3 convolution reads the {bsz}k outputs of the 1×1 bottleneck, after BN and ReLU.",
                        f"3×3 卷积作用于 1×1 瓶颈层的 {bsz}k 个输出（经过 BN 和 ReLU）。"))))))
            after = [c + k, *current[1:]]
            current = yield Value("shape", t(f"C×H×W after layer {j}", f"第 {j} 层之后的 C×H×W"), after,
                                  step=j, column="C×H×W", wrong=(
                Wrong([k, *current[1:]], "no_concat", t("A dense layer's output is concatenated with its input: C + k.",
                                                        "稠密层的输出与输入拼接：C + k。")),))
        total = sum(counts)
        yield Work(t(f"Total: ${' + '.join(map(str, counts))} = {total}$.",
                     f"合计：${' + '.join(map(str, counts))} = {total}$。"))
        yield Value("integer", t("parameters of the block", "整个块的参数个数"), total)

    @staticmethod
    def _walk(path: list[dict], shape: list[int]):
        current = shape
        for sub in path:
            yield sub, current
            current = L.output_shape(sub, current)

    def _count(self, path: list[dict], shape: list[int]) -> tuple[int, str]:
        terms = []
        for sub, s in self._walk(path, shape):
            if sub["type"] == "conv":
                terms.append(f"{sub['out']}\\cdot{s[0]}" + (f"\\cdot{sub['k']}^2" if sub["k"] != 1 else ""))
            elif sub["type"] == "bn":
                terms.append(f"2\\cdot{s[0]}")
        return sum(L.param_count(sub, s) for sub, s in self._walk(path, shape)), " + ".join(terms) or "0"
