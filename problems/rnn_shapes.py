"""Shapes that PyTorch's recurrent layers return, and nn.Embedding's output and parameters.

    x: (L, N, H_in), or (N, L, H_in) with batch_first=True, or (L, H_in) unbatched
    output (L, N, D·H_out) [batch_first: (N, L, D·H_out)],  h_n (D·num_layers, N, H_out),
    c_n (D·num_layers, N, hidden_size) for the LSTM;  D = 2 if bidirectional,
    H_out = proj_size (LSTM, when > 0) else hidden_size;  unbatched: the N axis is dropped.
    nn.Embedding(num, dim): indices of shape (*) → (*, dim);  num·dim parameters.

Fixed point (the issue's and PyTorch's own docs example): nn.LSTM(10, 20, 2) on (5, 3, 10)
gives output (5, 3, 20) and h_n = c_n = (2, 3, 20).  solvers/rnn_ref.py runs the real modules
on the meta device.
"""

from __future__ import annotations

from problems import _rnn_layers as RL
from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import Mistake, Part, Solution, t
from quizgen.registry import Family, Param, register


def shapes(p: dict) -> dict[str, list[int]]:
    """The key: {"output": …, "h_n": …, ["c_n": …]} or, for nn.Embedding, {"output": …}."""
    x = p["shape"]
    if p["module"] == "embedding":
        return {"output": [*x, p["dim"]]}
    D, ho = RL.directions(p), RL.h_out(p)
    batched = len(x) == 3
    L, N = (x[1], x[0]) if batched and p["batch_first"] else (x[0], x[1] if batched else None)
    out = [N, L, D * ho] if batched and p["batch_first"] else [L, N, D * ho] if batched else [L, D * ho]
    state = lambda size: [D * p["layers"], N, size] if batched else [D * p["layers"], size]  # noqa: E731
    got = {"output": out, "h_n": state(ho)}
    if p["module"] == "lstm":
        got["c_n"] = state(p["hidden"])
    return got


@register
class RecurrentShapes(Family):
    name = "rnn.shapes"
    topic = "rnn"
    version = 1
    title = t("Shapes of PyTorch's recurrent layers", "PyTorch 循环层的输出形状")
    summary = t("output, h_n and c_n of nn.RNN / nn.LSTM / nn.GRU (batch_first, bidirectional, layers), "
                "and nn.Embedding.", "nn.RNN / nn.LSTM / nn.GRU 的 output、h_n、c_n 形状（batch_first、双向、多层），"
                "以及 nn.Embedding。")
    example = "quizgen solve rnn.shapes --set module=lstm --set input=10 --set hidden=20 --set layers=2 --set shape=5x3x10"
    conventions = (
        t("PyTorch: the input is (L, N, H_in), or (N, L, H_in) with batch_first=True; batch_first does not change "
          "h_n or c_n, which are (D·num_layers, N, H_out).",
          "PyTorch：输入为 (L, N, H_in)，batch_first=True 时为 (N, L, H_in)；batch_first 不影响 h_n 和 c_n，"
          "它们总是 (D·num_layers, N, H_out)。"),
    )
    params = (
        P.choice("module", "the layer", ("rnn", "lstm", "gru", "embedding"), default="lstm"),
        P.integer("input", "input_size", 1, 100_000, "10", default=None),
        P.integer("hidden", "hidden_size", 1, 100_000, "20", default=None),
        P.integer("layers", "num_layers", 1, 16, "2", default=1),
        P.boolean("batch_first", "batch_first", default=False, example="no"),
        P.boolean("bidirectional", "bidirectional", default=False, example="no"),
        P.integer("proj_size", "LSTM proj_size (0 = none)", 0, 100_000, "0", default=0),
        P.integer("num", "nn.Embedding num_embeddings", 1, 10_000_000, "1000", default=None),
        P.integer("dim", "nn.Embedding embedding_dim", 1, 100_000, "64", default=None),
        Param("shape", "the input's shape, like 5x3x10 (two sizes = unbatched)", lambda s: _shape(s), "5x3x10"),
    )

    # -------------------------------------------------------------- generate
    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        if difficulty != "easy" and rng.random() < 0.25:
            num, dim = pick([100, 1000, 5000, 10000, 50000]), pick([8, 16, 32, 50, 64, 100, 128, 300])
            shape = [pick([2, 4, 8, 16, 32]), pick([5, 7, 10, 20])][:pick([1, 2, 2])]
            return {"module": "embedding", "num": num, "dim": dim, "shape": shape}
        module = pick(["rnn", "lstm", "gru"])
        size_in, hidden = pick([8, 10, 16, 32, 50, 64, 100, 128, 300]), pick([16, 20, 32, 64, 100, 128])
        L, N = pick([5, 7, 10, 20, 35]), pick([2, 3, 4, 8, 16])
        p = {"module": module, "input": size_in, "hidden": hidden,
             "layers": 1 if difficulty == "easy" else pick([1, 2, 2, 3]),
             "batch_first": difficulty != "easy" and bool(rng.random() < 0.5),
             "bidirectional": difficulty != "easy" and bool(rng.random() < (0.4 if difficulty == "medium" else 0.7)),
             "proj_size": pick([0, 8, 10, 16]) if difficulty == "hard" and module == "lstm" else 0}
        unbatched = difficulty != "easy" and rng.random() < 0.2
        p["shape"] = [L, size_in] if unbatched else [N, L, size_in] if p["batch_first"] else [L, N, size_in]
        if p["proj_size"] >= hidden:
            p["proj_size"] = 0
        return p

    # -------------------------------------------------------------- from the user's --set values
    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        if v["module"] == "embedding":
            if v["num"] is None or v["dim"] is None:
                raise QuizgenError("module=embedding needs --set num=... and --set dim=...")
            if not 1 <= len(v["shape"]) <= 4:
                raise QuizgenError("shape: the indices tensor has 1 to 4 dimensions")
            return {"module": "embedding", "num": v["num"], "dim": v["dim"], "shape": v["shape"]}
        if v["input"] is None or v["hidden"] is None:
            raise QuizgenError(f"module={v['module']} needs --set input=... (input_size) and --set hidden=...")
        if len(v["shape"]) not in (2, 3):
            raise QuizgenError("shape: (L, N, H_in), (N, L, H_in) with batch_first, or (L, H_in) unbatched")
        if v["shape"][-1] != v["input"]:
            raise QuizgenError(f"shape: the last size must be input_size = {v['input']}, got {v['shape'][-1]}")
        if v["proj_size"] and (v["module"] != "lstm" or v["proj_size"] >= v["hidden"]):
            raise QuizgenError("proj_size is for nn.LSTM only, and must be smaller than hidden")
        keys = ("module", "input", "hidden", "layers", "batch_first", "bidirectional", "proj_size", "shape")
        return {k: v[k] for k in keys}

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        zh, x = lang == "zh", params["shape"]
        dims = ", ".join(map(str, x))
        if params["module"] == "embedding":
            code = f"nn.Embedding({params['num']}, {params['dim']})"
            return (f"`emb = {code}` 作用于形状为 ({dims}) 的整数索引张量。\n写出输出的形状，以及这一层的参数个数。" if zh else
                    f"`emb = {code}` is applied to a tensor of integer indices of shape ({dims}).\n"
                    "Give the output's shape and the number of parameters of this layer.")
        code = RL.torch_code(params)
        outs = "output, (h_n, c_n)" if params["module"] == "lstm" else "output, h_n"
        names = "`output`、`h_n` 和 `c_n`" if params["module"] == "lstm" else "`output` 和 `h_n`"
        names_en = "`output`, `h_n` and `c_n`" if params["module"] == "lstm" else "`output` and `h_n`"
        unbatched = len(x) == 2
        if zh:
            note = "（不带批次维的输入）" if unbatched else ""
            return (f"`rnn = {code}`，输入 `x` 的形状为 ({dims}){note}，执行 `{outs} = rnn(x)`。\n"
                    f"写出 {names} 的形状。")
        note = " (an unbatched input)" if unbatched else ""
        return (f"`rnn = {code}` runs on an input `x` of shape ({dims}){note}: `{outs} = rnn(x)`.\n"
                f"Give the shapes of {names_en}.")

    # -------------------------------------------------------------- solve
    def solve(self, params: dict) -> Solution:
        key = shapes(params)
        if params["module"] == "embedding":
            n = params["num"] * params["dim"]
            parts = (Part("a", "shape", t("shape of the output", "输出的形状"), key["output"]),
                     Part("b", "integer", t("number of parameters", "参数个数"), n))
            steps = (t(f"Each index is replaced by its row of the {params['num']}×{params['dim']} table: the output "
                       f"adds a last axis of size {params['dim']}: {_show(key['output'])}.",
                       f"每个索引换成 {params['num']}×{params['dim']} 表中的一行：输出多出大小为 {params['dim']} "
                       f"的最后一维：{_show(key['output'])}。"),
                     t(f"Parameters: the table itself, ${params['num']} \\times {params['dim']} = {n}$ (no bias).",
                       f"参数就是这张表：${params['num']} \\times {params['dim']} = {n}$（没有偏置）。"))
            return Solution(parts, steps)
        D, ho, L = RL.directions(params), RL.h_out(params), params["layers"]
        parts = [Part("a", "shape", t("shape of output", "output 的形状"), key["output"]),
                 Part("b", "shape", t("shape of h_n", "h_n 的形状"), key["h_n"])]
        if "c_n" in key:
            parts.append(Part("c", "shape", t("shape of c_n", "c_n 的形状"), key["c_n"]))
        proj = f" (proj_size {ho})" if params.get("proj_size") else ""
        steps = [t(f"output holds the last layer's h_t at every time step, {D}·{ho}{proj} = {D * ho} features"
                   f"{' (both directions concatenated)' if D == 2 else ''}: {_show(key['output'])}"
                   f"{', batch first as the input' if params['batch_first'] and len(params['shape']) == 3 else ''}.",
                   f"output 是最后一层在每个时间步的 h_t，特征数 {D}·{ho} = {D * ho}"
                   f"{'（两个方向拼接）' if D == 2 else ''}：{_show(key['output'])}"
                   f"{'，与输入一样批次在前' if params['batch_first'] and len(params['shape']) == 3 else ''}。"),
                 t(f"h_n holds the final h of each layer and direction, {D}·{L} = {D * L} of them, and is never "
                   f"batch first: {_show(key['h_n'])}.",
                   f"h_n 是每层每个方向最后的 h，共 {D}·{L} = {D * L} 个，且从不批次在前：{_show(key['h_n'])}。")]
        if "c_n" in key:
            steps.append(t(f"c_n is the same for the cell state, of size hidden_size = {params['hidden']}: "
                           f"{_show(key['c_n'])}.",
                           f"c_n 同理，是细胞状态，大小为 hidden_size = {params['hidden']}：{_show(key['c_n'])}。"))
        return Solution(tuple(parts), tuple(steps))

    # -------------------------------------------------------------- mistakes
    def mistakes(self, params: dict) -> list[Mistake]:
        key, out = shapes(params), []

        def add(part: str, answer, tag: str, en: str, zh: str) -> None:
            if answer != key.get({"a": "output", "b": "h_n", "c": "c_n"}[part]) and \
                    all(not (m.part == part and m.answer == answer) for m in out):
                out.append(Mistake(part, answer, tag, t(en, zh)))

        if params["module"] == "embedding":
            add("a", [*params["shape"], params["num"]], "num_not_dim", "The last axis has embedding_dim entries.",
                "最后一维的大小是 embedding_dim。")
            out.append(Mistake("b", (params["num"] + 1) * params["dim"], "bias", t(
                "nn.Embedding is a lookup table: it has no bias.", "nn.Embedding 是查找表，没有偏置。")))
            return out
        x, h = params["shape"], key["h_n"]
        if len(x) == 3:
            o = key["output"]
            if params["batch_first"]:
                add("a", [o[1], o[0], o[2]], "output_seq_first",
                    "With batch_first=True, output is (N, L, D·H_out) like the input.",
                    "batch_first=True 时，output 与输入一样是 (N, L, D·H_out)。")
            misread = shapes(dict(params, batch_first=not params["batch_first"]))["h_n"]
            add("b", misread, "batch_first", "batch_first decides which axis of the input is the batch N.",
                "batch_first 决定输入的哪一维是批次 N。")
            add("b", [h[1], h[0], h[2]], "h_n_batch_first", "h_n is (D·num_layers, N, H) even with batch_first=True.",
                "即使 batch_first=True，h_n 仍是 (D·num_layers, N, H)。")
        if params["bidirectional"]:
            one = shapes(dict(params, bidirectional=False))
            add("a", one["output"], "one_direction", "A bidirectional layer concatenates both directions: 2·hidden.",
                "双向层把两个方向拼接起来：2·hidden。")
            add("b", one["h_n"], "one_direction", "h_n has one entry per layer and direction: 2·num_layers.",
                "h_n 每层每个方向各一个：2·num_layers。")
        if params.get("proj_size"):
            plain = shapes(dict(params, proj_size=0))
            add("a", plain["output"], "no_proj", "With proj_size, h_t has proj_size features.",
                "有 proj_size 时，h_t 的特征数为 proj_size。")
            add("c", key["h_n"][:-1] + [params["proj_size"]], "c_n_projected",
                "Only h is projected; c_n keeps hidden_size.", "只有 h 被投影；c_n 仍为 hidden_size。")
        seq = params["shape"][1] if len(params["shape"]) == 3 and params["batch_first"] else params["shape"][0]
        add("b", [seq] + key["h_n"][1:], "per_step", "h_n is the last step only: one entry per layer and direction.",
            "h_n 只有最后一步：每层每个方向一个。")
        return out


def _shape(text: str) -> list[int]:
    from quizgen.errors import FormatError
    from quizgen.parse import parse_shape

    try:
        shape = parse_shape(text)
    except FormatError as exc:
        raise QuizgenError(f"shape: {exc}") from None
    if not 1 <= len(shape) <= 4 or not all(1 <= s <= 100_000 for s in shape):
        raise QuizgenError("shape: 1 to 4 sizes from 1 to 100000, like 5x3x10")
    return shape


def _show(shape: list[int]) -> str:
    return "(" + ", ".join(map(str, shape)) + ")"
