"""The values of a 2-D cross-correlation (PyTorch's F.conv2d, one output channel).

    Y[i][j] = Σ_c Σ_{u,v} X_c,pad[i·S + u][j·S + v] · K_c[u][v] + b        H_out = ⌊(H + 2P − K)/S⌋ + 1

One channel: the output size and Y.  Two channels: each channel's map X_c ⋆ K_c, then their
sum plus the bias, judged from the student's own two maps (error carried forward).
"""

from __future__ import annotations

from problems import _conv as C
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.registry import register
from quizgen.trace import TraceFamily, Value, Work, Wrong

EDGE = [[10, 10, 10, 0, 0, 0]] * 6, [[1, 0, -1]] * 3   # Andrew Ng's vertical-edge detector


def _ints(rng, rows: int, cols: int, lo: int, hi: int) -> list[list[int]]:
    return [[int(v) for v in r] for r in rng.integers(lo, hi + 1, (rows, cols))]


@register
class ConvValues(TraceFamily):
    name = "cnn.conv_values"
    topic = "cnn"
    version = 1
    title = t("Values of a 2-D convolution (cross-correlation)", "二维卷积（互相关）的输出值")
    summary = t("Slide a kernel over a small image, with stride, padding, two channels and a bias.",
                "在小图像上滑动卷积核计算输出值，含步长、填充、双通道与偏置。")
    example = "quizgen solve cnn.conv_values --set image='[[0,1,2],[3,4,5],[6,7,8]]' --set kernel='[[0,1],[2,3]]'"
    conventions = (C.CROSS_CORRELATION, C.FLOOR,
                   t("With two channels the output is X₁ ⋆ K₁ + X₂ ⋆ K₂ + b: one bias per output channel.",
                     "双通道时输出为 X₁ ⋆ K₁ + X₂ ⋆ K₂ + b：每个输出通道只有一个偏置。"))
    resume_reason = "the two-channel sum is only the student's own maps plus b; the maps depend on no earlier part"
    params = (
        P.matrix("image", "the input X (channel 1)", (2, 8), (2, 8), -1000, 1000, "[[0,1,2],[3,4,5],[6,7,8]]"),
        P.matrix("kernel", "the kernel K (channel 1)", (1, 5), (1, 5), -1000, 1000, "[[0,1],[2,3]]"),
        P.matrix("image2", "channel 2 of X (two-channel variant)", (2, 8), (2, 8), -1000, 1000,
                 "[[1,0,1],[0,1,0],[1,0,1]]", default=None),
        P.matrix("kernel2", "channel 2 of K", (1, 5), (1, 5), -1000, 1000, "[[1,1],[1,1]]", default=None),
        P.real("bias", "the bias b added to every output", -1000, 1000, "0", default=0),
        P.integer("stride", "the stride S", 1, 4, "1", default=1),
        P.integer("padding", "the zero padding P on every side", 0, 3, "0", default=0),
    )

    # -------------------------------------------------------------- generate
    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)

        def draw() -> dict:
            if difficulty == "medium" and rng.random() < 0.2:
                bright, col = pick([1, 10, 5]), pick([2, 3, 4])
                image = [[bright] * col + [0] * (6 - col) for _ in range(6)]
                kernel = [list(r) for r in EDGE[1]]
                if rng.random() < 0.5:  # the horizontal edge: both transposed
                    image, kernel = [list(r) for r in zip(*image)], [list(r) for r in zip(*kernel)]
                return {"image": image, "kernel": kernel, "image2": None, "kernel2": None, "bias": 0,
                        "stride": 1, "padding": 0}
            size, k = (4, pick([2, 3])) if difficulty == "easy" else (pick([4, 5, 6]), pick([2, 3]))
            two = difficulty == "hard"
            return {"image": _ints(rng, size, size, 0, 4), "kernel": _ints(rng, k, k, -1, 2),
                    "image2": _ints(rng, size, size, 0, 3) if two else None,
                    "kernel2": _ints(rng, k, k, -1, 1) if two else None,
                    "bias": 0 if difficulty == "easy" else pick([0, 1, -1, 2]),
                    "stride": 1 if difficulty == "easy" else pick([1, 2]),
                    "padding": 0 if difficulty == "easy" else pick([0, 0, 1])}

        return redraw(draw, lambda p: self._friendly(p, difficulty))

    @staticmethod
    def _friendly(params: dict, difficulty: str) -> bool:
        x, k, s, pad = params["image"], params["kernel"], params["stride"], params["padding"]
        rows, cols = C.out_size(len(x), len(k), s, pad), C.out_size(len(x[0]), len(k[0]), s, pad)
        if rows < 2 or cols < 2 or rows * cols > (9 if difficulty == "hard" else 16):
            return False
        if all(v == 0 for r in k for v in r) or C.rotated(k) == k and difficulty != "medium":
            return False  # a flip must show
        return len({v for r in C.correlate(x, k, s, pad) for v in r}) > 1

    def params_from_user(self, values: dict) -> dict:
        params = self.with_defaults(values)
        x, k, x2, k2, s, pad = (params[n] for n in ("image", "kernel", "image2", "kernel2", "stride", "padding"))
        if (x2 is None) != (k2 is None):
            raise QuizgenError("image2 and kernel2 come together (the two-channel variant)")
        for name, m in (("image", x), ("kernel", k), ("image2", x2), ("kernel2", k2)):
            if m is not None and any(len(r) != len(m[0]) for r in m):
                raise QuizgenError(f"{name}: every row needs the same number of values")
        if x2 is not None and (len(x2), len(x2[0])) != (len(x), len(x[0])):
            raise QuizgenError("image2 must have the size of image")
        if k2 is not None and (len(k2), len(k2[0])) != (len(k), len(k[0])):
            raise QuizgenError("kernel2 must have the size of kernel")
        if len(k) > len(x) + 2 * pad or len(k[0]) > len(x[0]) + 2 * pad:
            raise QuizgenError("the kernel is larger than the padded image")
        return params

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        x, k, x2, k2, b, s, pad = (params[n] for n in ("image", "kernel", "image2", "kernel2", "bias", "stride",
                                                         "padding"))
        size = [C.out_size(len(x), len(k), s, pad), C.out_size(len(x[0]), len(k[0]), s, pad)]
        yield Work(t(f"Output size: $\\lfloor ({len(x)} + 2 \\cdot {pad} - {len(k)})/{s} \\rfloor + 1 = {size[0]}$ rows, "
                     f"$\\lfloor ({len(x[0])} + 2 \\cdot {pad} - {len(k[0])})/{s} \\rfloor + 1 = {size[1]}$ columns.",
                     f"输出尺寸：$\\lfloor ({len(x)} + 2 \\cdot {pad} - {len(k)})/{s} \\rfloor + 1 = {size[0]}$ 行，"
                     f"$\\lfloor ({len(x[0])} + 2 \\cdot {pad} - {len(k[0])})/{s} \\rfloor + 1 = {size[1]}$ 列。"))
        yield Value("shape", t("output size $H_{\\text{out}} \\times W_{\\text{out}}$", "输出尺寸 $H_{\\text{out}} \\times W_{\\text{out}}$"), size, trace=False,
                    wrong=tuple(_size_slips(x, k, s, pad, size)))
        two = x2 is not None
        maps = []
        for c, (xc, kc) in enumerate([(x, k), (x2, k2)] if two else [(x, k)]):
            y = C.correlate(xc, kc, s, pad)
            yield from _cells(xc, kc, s, pad, y, c + 1 if two else None)
            y = y if two else C.add(y, bias=b)
            if not two and b:
                yield Work(t(f"Add the bias {C._g(b)} to every cell.", f"每个元素加上偏置 {C._g(b)}。"))
            prompt = (t(f"channel {c + 1}: $X_{c + 1} \\star K_{c + 1}$ (no bias yet)", f"通道 {c + 1}：$X_{c + 1} \\star K_{c + 1}$（暂不加偏置）")
                      if two else t("the output Y", "输出 Y"))
            maps.append((yield Value("matrix", prompt, C.as_numbers(y), decimals=_decimals(params),
                                     wrong=tuple(_map_slips(xc, kc, s, pad, 0 if two else b, y)))))
        if two:
            total = C.add(*maps, bias=b)
            yield Work(t(f"Sum the two maps and add the bias once: $Y = {C.bmatrix(total)}$.",
                         f"两个通道的结果相加，再加一次偏置：$Y = {C.bmatrix(total)}$。"))
            yield Value("matrix", t("the output Y = channel 1 + channel 2 + b", "输出 Y = 通道 1 + 通道 2 + b"),
                        C.as_numbers(total), decimals=_decimals(params), wrong=(
                Wrong(C.as_numbers(C.add(*maps)), "no_bias", t("Add the bias b to every output.", "每个输出都要加上偏置 b。")),
                Wrong(C.as_numbers(C.add(*maps, bias=2 * b)), "bias_twice", t(
                    "One output channel has one bias: add b once, not once per input channel.",
                    "一个输出通道只有一个偏置：只加一次 b，而不是每个输入通道各加一次。"))))

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        x, k, x2, b, s, pad = (params[n] for n in ("image", "kernel", "image2", "bias", "stride", "padding"))
        zh = lang == "zh"
        if x2 is not None:
            data = (f"$X_1 = {C.bmatrix(x)}$, $X_2 = {C.bmatrix(x2)}$\n\n$K_1 = {C.bmatrix(k)}$, "
                    f"$K_2 = {C.bmatrix(params['kernel2'])}$, $b = {C._g(b)}$")
            what = ("双通道输入 $X$（通道 $X_1, X_2$）与一个双通道卷积核 $K$（$K_1, K_2$）做互相关，输出一个通道 "
                    "$Y = X_1 \\star K_1 + X_2 \\star K_2 + b$：" if zh else
                    "A two-channel input $X$ (channels $X_1, X_2$) is cross-correlated with one two-channel kernel "
                    "$K$ ($K_1, K_2$) into one output channel $Y = X_1 \\star K_1 + X_2 \\star K_2 + b$:")
        else:
            data = f"$X = {C.bmatrix(x)}$, $K = {C.bmatrix(k)}$" + (f", $b = {C._g(b)}$" if b else "")
            what = ("计算输入 $X$ 与卷积核 $K$ 的二维互相关 $Y = X \\star K$" + ("$+ b$" if b else "") + "：" if zh else
                    "Compute the 2-D cross-correlation $Y = X \\star K$" + (" $+ b$" if b else "") +
                    " of the input $X$ with the kernel $K$:")
        if zh:
            how = (f"步长 $S = {s}$，零填充 $P = {pad}$（每一边补 {pad} 个 0）。" if pad else f"步长 $S = {s}$，不填充。")
            return "\n".join([what, "", data, "", how + "按 PyTorch 的 nn.Conv2d 计算：卷积核不翻转；输出尺寸向下取整。",
                              "先写出输出尺寸，再写出输出矩阵" + ("（先分别写出每个通道的结果）。" if x2 is not None else "。")])
        how = (f"Stride $S = {s}$, zero padding $P = {pad}$ ({pad} zeros on every side)." if pad
               else f"Stride $S = {s}$, no padding.")
        return "\n".join([what, "", data, "", how + " As PyTorch's nn.Conv2d: the kernel is not flipped; sizes are floored.",
                          "Give the output size, then the output matrix" +
                          (" (each channel's map first)." if x2 is not None else ".")])


def _decimals(params: dict) -> int | None:
    values = [v for n in ("image", "kernel", "image2", "kernel2") for r in (params[n] or []) for v in r]
    return None if all(float(v).is_integer() for v in values + [params["bias"]]) else 2


def _cells(x, k, s, pad, y, channel):
    """The worked sums, cell by cell (all of them up to 16 cells, else the first row)."""
    xp = C.padded(x, pad)
    cells = [(i, j) for i in range(len(y)) for j in range(len(y[0]))]
    shown = cells if len(cells) <= 16 else cells[:len(y[0])]
    tag = f"^{{({channel})}}" if channel else ""
    for i, j in shown:
        terms = " + ".join(f"{C._g(xp[i * s + u][j * s + v])} \\cdot {C._g(k[u][v])}".replace("\\cdot -", "\\cdot (-") +
                           (")" if k[u][v] < 0 else "") for u in range(len(k)) for v in range(len(k[0])))
        yield Work(t(f"$Y{tag}_{{{i + 1},{j + 1}}} = {terms} = {C._g(y[i][j])}$"))
    if len(shown) < len(cells):
        yield Work(t("… and so on for the other rows.", "……其余各行同理。"))


def _size_slips(x, k, s, pad, size):
    def both(kk_s, kk_p, plus=1):
        return [(len(x) + 2 * kk_p - len(k)) // kk_s + plus, (len(x[0]) + 2 * kk_p - len(k[0])) // kk_s + plus]

    out = [Wrong(both(s, pad, 0), "no_plus_one", t("The size is ⌊(H + 2P − K)/S⌋ + 1: the +1 is missing.",
                                                     "尺寸为 ⌊(H + 2P − K)/S⌋ + 1：漏了 +1。"))]
    if s > 1:
        out.append(Wrong(both(1, pad), "stride_ignored", t("Divide by the stride S.", "要除以步长 S。")))
    if pad:
        out.append(Wrong(both(s, 0), "padding_ignored", t("Padding adds P cells on both sides: H + 2P.",
                                                          "填充在两侧各加 P：H + 2P。")))
    return [w for w in out if min(w.answer) >= 1]


def _map_slips(x, k, s, pad, b, y):
    rows, cols = len(y), len(y[0])
    out = [Wrong(C.as_numbers(C.add(C.correlate(x, C.rotated(k), s, pad), bias=b)), "flipped", t(
        "That is a true convolution (kernel rotated by 180°); nn.Conv2d computes cross-correlation, no flip.",
        "这是真正的卷积（卷积核旋转了 180°）；nn.Conv2d 计算的是互相关，不翻转卷积核。"))]
    if s > 1:
        slid = C.correlate(x, k, 1, pad)
        out.append(Wrong(C.as_numbers([[v + b for v in r[:cols]] for r in slid[:rows]]), "stride_ignored", t(
            f"The window moves {s} cells at a time (stride {s}), not 1.", f"窗口每次移动 {s} 格（步长 {s}），而不是 1 格。")))
    return out
