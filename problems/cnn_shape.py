"""Conv/pool output shapes through a stack of 1 to 5 layers (C×H×W after each layer).

    H_out = floor((H + 2P - D(K-1) - 1)/S) + 1,   C_out = kernel count (conv) or C_in (pool)
    per axis with kh×kw, sh×sw, ph×pw (rectangular kernels, strides, padding)
    valid (course notes, `--set strict=yes`): (H + 2P - D(K-1) - 1)/S is an integer;
    otherwise PyTorch floors, and the last ((H + 2P - D(K-1) - 1) mod S) rows of the padded
    input are never seen by any window (the "check" parts)

Every layer is a part of one trace: a wrong shape early is carried forward, so later layers
are judged from the student's own earlier shape.  The check parts are judged by the key.
"""

from __future__ import annotations

from quizgen import layers as L
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.draw import picker, redraw
from quizgen import params as P
from quizgen.registry import Param, per_params, register
from quizgen.trace import CannotFollow, TraceFamily, Value, Work, Wrong


def _layers_param(text: str) -> list[dict]:
    from quizgen.netspec import parse_netspec

    _, layers = parse_netspec("in 1x1000x1000; " + text)  # shape checked again in build
    if any(layer["type"] in ("flatten", "fc") for layer in layers):
        raise QuizgenError("cnn.shape takes conv, pool and activation layers only")
    return layers


def _shape_param(text: str) -> list[int]:
    from quizgen.parse import parse_shape
    from quizgen.errors import FormatError

    try:
        shape = parse_shape(text)
    except FormatError as exc:
        raise QuizgenError(f"input: {exc}") from None
    if len(shape) != 3 or not all(1 <= v <= 4096 for v in shape):
        raise QuizgenError("input must be C×H×W with sizes 1..4096, like 1x28x28")
    return shape


def _spatial(layer: dict, size: int, axis: int, window: tuple[int, int, int]) -> str:
    """The size formula with numbers filled in, as LaTeX (`window`: L.window(layer, axis))."""
    extent, s, p = window
    k, d = L.pair(layer["k"])[axis], L.pair(layer.get("d", 1))[axis]
    kern = f"{d}\\cdot({k}-1) - 1" if d != 1 else f"{k}"
    num = size + 2 * p - extent
    return (f"\\lfloor \\frac{{{size} + 2\\cdot{p} - {kern}}}{{{s}}} \\rfloor + 1 = "
            f"\\lfloor {num}/{s} \\rfloor + 1 = {num // s + 1}")



@register
class ConvShape(TraceFamily):
    name = "cnn.shape"
    topic = "cnn"
    version = 2
    title = t("Feature-map sizes through conv and pooling layers", "卷积与池化层的特征图尺寸")
    summary = t("C×H×W after each conv/pool layer of a stack (floor convention).",
                "逐层计算卷积/池化后的 C×H×W（向下取整）。")
    example = "quizgen solve cnn.shape --set input=1x28x28 --set layers='conv 25 k3; maxpool 2'"
    conventions = (L.FLOOR, L.POOL_STRIDE, L.CROSS_CORRELATION)
    params = (
        Param("input", "input shape C×H×W", _shape_param, "1x28x28"),
        Param("layers", "layers as in a net spec, separated by ';' (k3x5 s2x1 p1x0 for height x width)",
              _layers_param, "conv 25 k3; maxpool 2"),
        P.boolean("strict", "refuse a layer whose (H + 2P - K)/S is not an integer (the course notes' rule)",
                  default=False, example="no"),
        P.integer("check", "ask whether layer N fits exactly, and the rows it never sees (0 = no such part)",
                  0, 64, "0", default=0),
    )

    # -------------------------------------------------------------- generate
    def generate(self, rng, difficulty: str) -> dict:
        return redraw(lambda: self._draw(rng, difficulty), lambda p: self._friendly(p, difficulty))

    def _draw(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        if difficulty == "easy":
            size, channels, n = pick((28, 32, 64)), pick((1, 3)), int(rng.integers(1, 3))
        elif difficulty == "medium":
            size, channels, n = pick((28, 32, 48, 64, 96, 128)), pick((1, 3)), int(rng.integers(2, 4))
        else:
            size, channels, n = pick((100, 128, 224, 227, 99, 64)), 3, int(rng.integers(4, 6))
        height = size
        width = size if difficulty != "hard" or rng.random() < 0.5 else pick([size // 2 + 1, size - 13, size + 7])
        layers = []
        for i in range(n):
            if i % 2 == 0 or difficulty == "hard" and rng.random() < 0.3:
                layers.append(self._draw_conv(rng, difficulty, pick))
            else:
                layers.append(self._draw_pool(rng, difficulty, pick))
        if difficulty == "hard" and rng.random() < 0.4:
            j = pick([i for i, layer in enumerate(layers) if layer["type"] == "conv"])
            layers[j] = L.conv(layers[j]["out"], [pick((1, 3)), pick((3, 5))], [1, pick((1, 2))], [0, pick((1, 2))])
        params = {"input": [channels, height, width], "layers": layers}
        if difficulty != "easy" and rng.random() < 0.6:
            params["check"] = int(rng.integers(0, n))
        return params

    @staticmethod
    def _draw_conv(rng, difficulty, pick) -> dict:
        out = pick((6, 8, 16, 25, 32, 50, 64))
        if difficulty == "easy":
            return L.conv(out, pick((3, 5)))
        k = pick((3, 5, 7) if difficulty == "medium" else (3, 5, 7, 11))
        s = pick((1, 1, 2) if difficulty == "medium" else (1, 2, 2, 3, 4))
        p = pick((0, 1, 2) if difficulty == "medium" else (0, 1, 2, 3))
        d = pick((1, 1, 1, 2)) if difficulty == "hard" else 1
        return L.conv(out, k, s, p, d)

    @staticmethod
    def _draw_pool(rng, difficulty, pick) -> dict:
        kind = pick(("maxpool", "maxpool", "avgpool"))
        if difficulty == "easy":
            return L.pool(kind, 2)
        k = pick((2, 3))
        return L.pool(kind, k, pick([None, 2, k]))

    @per_params
    def key_shapes(self, params: dict) -> list[list[int]]:
        """The input shape and the key's shape after each layer (ValueError if a layer cannot
        apply); generate, solve and the mistakes of one problem share them."""
        return L.shapes(params["input"], params["layers"])

    def _friendly(self, params: dict, difficulty: str) -> bool:
        try:
            shapes = self.key_shapes(params)
        except ValueError:
            return False
        if min(min(s[1:]) for s in shapes) < 2:
            return False
        if difficulty == "medium":
            return True
        exact = all(L.is_exact(sh, layer) for sh, layer in zip(shapes, params["layers"])
                    if layer["type"] not in L.ACTIVATIONS)
        return exact if difficulty == "easy" else not exact  # hard: at least one floor must matter

    # -------------------------------------------------------------- build from user values
    def params_from_user(self, values: dict) -> dict:
        params = {"input": values.get("input", [1, 28, 28]), "layers": values.get("layers")}
        if not params["layers"]:
            raise QuizgenError("cnn.shape needs --set layers='conv 25 k3; maxpool 2'")
        from quizgen.netspec import check_stack

        check_stack(params["input"], params["layers"], strict=values.get("strict", False))
        check = values.get("check", 0)
        if check:
            if check > len(params["layers"]) or params["layers"][check - 1]["type"] in L.ACTIVATIONS:
                raise QuizgenError(f"check={check}: there is no conv or pooling layer {check}")
            params["check"] = check - 1
        return params

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        shape, check, key = list(params["input"]), params.get("check"), self.key_shapes(params)
        on_key = True  # every reply so far is the key's own shape
        for i, layer in enumerate(params["layers"]):
            if on_key:
                after = key[i + 1]
            else:
                try:
                    after = L.output_shape(layer, shape)
                except ValueError:
                    raise CannotFollow from None
            name = L.short(layer)
            prompt = t(f"C×H×W after layer {i + 1} ({name})", f"第 {i + 1} 层（{name}）之后的 C×H×W")
            yield Work(self._step(i, layer, name, shape, after))
            shape = yield Value("shape", prompt, after, step=i + 1, column="C×H×W",
                                wrong=tuple(self._wrong(layer, shape, after)))
            on_key = on_key and shape == after
        if check is not None:
            yield from self._check(params, key[check], key[check + 1])

    @staticmethod
    def _check(params: dict, before: list[int], after: list[int]):
        """Is layer j's configuration valid (the notes' rule), and how much is never seen (`before`,
        `after`: the key's shapes into and out of layer j)."""
        j = params["check"]
        layer = params["layers"][j]
        (eh, sh, pad), (ew, sw, pw) = L.windows(layer)
        nums = (before[1] + 2 * pad - eh, before[2] + 2 * pw - ew)  # H + 2P - D(K-1) - 1
        rows, cols = nums[0] % sh, nums[1] % sw  # never seen: L.unseen
        frac = f"{nums[0]}/{sh}, {nums[1]}/{sw}"
        if rows == 0 and cols == 0:
            yield Work(t(f"Layer {j + 1}: $(H + 2P - K)/S$ = {frac} is a whole number on both axes: every row and column "
                         "of the padded input is seen; valid under both rules.",
                         f"第 {j + 1} 层：$(H + 2P - K)/S$ = {frac} 在两个方向上都是整数：填充后的输入每一行、每一列都被覆盖；"
                         "两种规则下都有效。"))
        else:
            real, out = max(0, rows - pad), L.latex_shape(after)
            yield Work(t(f"Layer {j + 1}: $(H + 2P - K)/S$ = {frac} is not a whole number. PyTorch floors and accepts it "
                         f"(output ${out}$); course notes that require an integer "
                         f"call this stride invalid. The last {rows} row(s) and {cols} column(s) of the padded input "
                         f"are never covered by a window{f' ({real} of those rows are input rows, the rest padding)' if pad and rows else ''}.",
                         f"第 {j + 1} 层：$(H + 2P - K)/S$ = {frac} 不是整数。PyTorch 向下取整并接受它（输出 "
                         f"${out}$）；要求整除的课程讲义认为这个步长无效。"
                         f"填充后输入的最后 {rows} 行、{cols} 列不会被任何窗口覆盖{f'（其中 {real} 行是真实输入，其余是填充）' if pad and rows else ''}。"))
        yield Value("boolean", t(f"does layer {j + 1} fit exactly, $(H + 2P - K)/S$ a whole number on both axes?",
                                 f"第 {j + 1} 层是否恰好整除，即两个方向上 $(H + 2P - K)/S$ 都是整数？"),
                    rows == 0 and cols == 0, trace=False)
        swapped = (Wrong([cols, rows], "rows_columns_swapped", t("Rows go with H, columns with W.",
                                                                  "行对应 H，列对应 W。")),) if rows != cols else ()
        yield Value("vector", t(f"rows and columns of layer {j + 1}'s padded input never covered by a window, "
                                "as [rows, columns]", f"第 {j + 1} 层填充后的输入中从未被窗口覆盖的行数和列数，"
                                "写成 [行数, 列数]"), [rows, cols], trace=False, wrong=swapped)

    @staticmethod
    def _step(i: int, layer: dict, name: str, before: list[int], after: list[int]) -> t:
        shape = "\\times".join(map(str, after))
        if layer["type"] in L.ACTIVATIONS:
            return t(f"Layer {i + 1} ({layer['type']}): an activation keeps the shape: ${shape}$.",
                     f"第 {i + 1} 层（{layer['type']}）：激活函数不改变形状：${shape}$。")
        wh, ww = L.windows(layer)
        h = _spatial(layer, before[1], 0, wh)
        w = "" if before[2] == before[1] and L.is_square(layer) else f", $W: {_spatial(layer, before[2], 1, ww)}$"
        if layer["type"] == "conv":
            ch_en, ch_zh = f"channels = number of kernels = {after[0]}", f"通道数 = 卷积核个数 = {after[0]}"
        else:
            ch_en, ch_zh = f"pooling keeps the {after[0]} channels", f"池化保持 {after[0]} 个通道"
        same_en = " (and the same for W)" if not w else ""
        same_zh = "（W 同理）" if not w else ""
        return t(f"Layer {i + 1} ({name}): $H: {h}${w}{same_en}; {ch_en}; output ${shape}$.",
                 f"第 {i + 1} 层（{name}）：$H: {h}${w}{same_zh}；{ch_zh}；输出 ${shape}$。")

    def resume(self, params: dict, part_id_: str, value) -> tuple[dict, dict[str, str]] | None:
        from quizgen.model import part_id

        index = [part_id(i) for i in range(len(params["layers"]))].index(part_id_)
        rest = params["layers"][index + 1:]
        if not rest:
            return None
        return ({"input": list(value), "layers": rest},  # the check parts are judged by the key
                {part_id(j): part_id(index + 1 + j) for j in range(len(rest))})

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        c, h, w = params["input"]
        lines = [f"{i + 1}. {L.describe(layer, lang)}" for i, layer in enumerate(params["layers"])]
        square = all(map(L.is_square, params["layers"]))
        if lang == "zh":
            head = f"大小为 ${c}\\times{h}\\times{w}$（C×H×W）的输入依次经过以下各层："
            tail = "写出每一层之后的输出尺寸 C×H×W。非整数的尺寸向下取整。"
            if not square:
                tail += "形如 $a\\times b$ 的核、步长和填充依次对应高和宽。"
            if params.get("check") is not None:
                j = params["check"] + 1
                tail += (f"\n再判断第 {j} 层是否恰好整除（有的课程讲义要求 $(H + 2P - K)/S$ 为整数，否则称步长无效），"
                         f"并写出第 {j} 层填充后的输入中从未被任何窗口覆盖的行数和列数。")
        else:
            head = f"An input of size ${c}\\times{h}\\times{w}$ (C×H×W) passes through these layers in order:"
            tail = "Give the output size C×H×W after each layer. A non-integer size is floored."
            if not square:
                tail += " A kernel, stride or padding written $a\\times b$ is height × width."
            if params.get("check") is not None:
                j = params["check"] + 1
                tail += (f"\nThen say whether layer {j} fits exactly (some course notes require $(H + 2P - K)/S$ to "
                         f"be a whole number and call the stride invalid otherwise), and how many rows and columns of "
                         f"layer {j}'s padded input no window ever covers.")
        return "\n".join([head, "", *lines, "", tail])

    # -------------------------------------------------------------- mistakes
    @staticmethod
    def _wrong(layer: dict, before: list[int], right: list[int]) -> list[Wrong]:
        if layer["type"] in L.ACTIVATIONS:
            return []
        c, conv = right[0], layer["type"] == "conv"
        (eh, sh, ph), (ew, sw, pw) = L.windows(layer)
        nh, nw = before[1] + 2 * ph - eh, before[2] + 2 * pw - ew  # H + 2P - D(K-1) - 1
        found = [("no_plus_one", [c, nh // sh, nw // sw])]
        if ph or pw:
            found.append(("padding_once", [c, (nh - ph) // sh + 1, (nw - pw) // sw + 1]))
        found.append(("ceil", [c, -(-nh // sh) + 1, -(-nw // sw) + 1]))
        if conv and before[0] != layer["out"]:
            found.append(("channels_kept", [before[0], right[1], right[2]]))
        if conv and (sh, sw) != (1, 1):
            found.append(("stride_ignored", [c, nh + 1, nw + 1]))
        if layer["type"] in L.POOLS and layer.get("s") is None:
            found.append(("pool_stride_one", [c, nh + 1, nw + 1]))
        if L.is_dilated(layer):
            plain = dict(layer, d=1)
            found.append(("ignored_dilation", [c, L.out_size(before[1], plain, 0), L.out_size(before[2], plain, 1)]))
        if not L.is_square(layer):
            swapped = dict(layer, **{key: list(reversed(L.pair(layer[key]))) for key in ("k", "s", "p", "d")
                                     if layer.get(key) is not None})
            found.append(("swapped_hw", [c, L.out_size(before[1], swapped, 0), L.out_size(before[2], swapped, 1)]))
        return [Wrong(shape, tag, _WHY[tag]) for tag, shape in found if min(shape) >= 1]


_WHY = {
    "no_plus_one": t("You forgot the +1 in ⌊(H + 2P − K)/S⌋ + 1.", "你漏了公式 ⌊(H + 2P − K)/S⌋ + 1 中的 +1。"),
    "padding_once": t("Padding is added on both sides: use 2P, not P.", "填充加在两侧：应为 2P，而不是 P。"),
    "ceil": t("You rounded up; the convention here is floor (⌊·⌋), as in PyTorch.",
              "你向上取整了；这里约定向下取整（⌊·⌋），与 PyTorch 一致。"),
    "channels_kept": t("A conv layer outputs one channel per kernel, not the input's channel count.",
                       "卷积层的输出通道数等于卷积核个数，而不是输入的通道数。"),
    "stride_ignored": t("The stride S divides (H + 2P − K) before the +1.", "步长 S 要先除 (H + 2P − K)，再加 1。"),
    "pool_stride_one": t("A pooling layer's stride defaults to its kernel size, not 1.",
                         "池化层的默认步长等于池化核大小，而不是 1。"),
    "ignored_dilation": t("Dilation D widens the kernel to D(K−1)+1.", "空洞率 D 使卷积核的有效大小变为 D(K−1)+1。"),
    "swapped_hw": t("kh×kw is height × width: the first number goes with H.", "kh×kw 表示高×宽：第一个数对应 H。"),
}
