"""Parameter counts of PyTorch's recurrent layers, per layer and in total.

    per layer and direction:  G·H·(in + H) + biases        G = 1 (RNN), 3 (GRU), 4 (LSTM)
    in = input_size for layer 1, D·H for every later layer (D = 2 if bidirectional)
    biases = 2·G·H under PyTorch's convention (b_ih and b_hh), G·H under the textbook one
             (one bias per gate, also Keras' LSTM and SimpleRNN), 0 with bias=False
    LSTM proj_size P (hard): W_hh is 4H×P, a projection W_hr of P×H is added, and later layers
             take D·P inputs

e.g. nn.LSTM(10, 20, 2): layer 1 = 4·20·(10 + 20) + 2·4·20 = 2560, layer 2 = 4·20·(20 + 20) + 160 = 3360.
solvers/rnn_ref.py counts `numel()` of the real modules.
"""

from __future__ import annotations

from problems import _rnn_layers as RL
from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import Mistake, Part, Solution, t
from quizgen.registry import Family, register

BIAS_TEXT = {
    "pytorch": t("PyTorch's convention: two bias vectors per gate, $b_{ih}$ and $b_{hh}$.",
                 "PyTorch 的约定：每个门两个偏置向量，$b_{ih}$ 与 $b_{hh}$。"),
    "one": t("Count under the textbook convention: one bias vector per gate (as Keras does; PyTorch itself "
             "stores two).", "按教材约定计数：每个门一个偏置向量（与 Keras 相同；PyTorch 本身存两个）。"),
    "none": t("No biases (bias=False).", "没有偏置（bias=False）。"),
}


def part_layout(p: dict) -> list[tuple[str, int | None]]:
    """(what, layer index) of each part: layer 1, the later layers (all alike), then the total."""
    if p["layers"] == 1:
        return [("total", None)]
    return [("layer", 0), ("layer", 1), ("total", None)]


@register
class RecurrentParams(Family):
    name = "rnn.params"
    topic = "rnn"
    version = 1
    title = t("Parameters of recurrent layers", "循环层的参数量")
    summary = t("Weights and biases of nn.RNN / nn.LSTM / nn.GRU with several layers, bidirectional, proj_size.",
                "nn.RNN / nn.LSTM / nn.GRU 的参数个数（多层、双向、proj_size）。")
    example = "quizgen solve rnn.params --set module=lstm --set input=10 --set hidden=20 --set layers=2"
    conventions = (
        t("Each gate has a weight matrix on the input and one on the hidden state; the statement says whether "
          "each gate has two bias vectors (PyTorch) or one (textbook).",
          "每个门有一个作用于输入的权重矩阵和一个作用于隐藏状态的权重矩阵；题目说明每个门有两个偏置向量（PyTorch）"
          "还是一个（教材）。"),
    )
    params = (
        P.choice("module", "the layer", ("rnn", "lstm", "gru"), default="lstm"),
        P.integer("input", "input_size", 1, 100_000, "10"),
        P.integer("hidden", "hidden_size", 1, 100_000, "20"),
        P.integer("layers", "num_layers", 1, 16, "2", default=1),
        P.boolean("bidirectional", "bidirectional", default=False, example="no"),
        P.choice("bias", "pytorch (b_ih and b_hh), one (one bias per gate, textbook / Keras), none (bias=False)",
                 ("pytorch", "one", "none"), default="pytorch"),
        P.integer("proj_size", "LSTM proj_size (0 = none)", 0, 100_000, "0", default=0),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        module = pick(["rnn", "lstm", "gru"])
        p = {"module": module, "input": pick([1, 3, 5, 8, 10, 16, 32, 50, 100, 128, 300]),
             "hidden": pick([4, 8, 10, 16, 20, 32, 64, 100, 128, 256]),
             "layers": 1 if difficulty == "easy" else pick([1, 2, 2, 3]),
             "bidirectional": difficulty != "easy" and bool(rng.random() < 0.5),
             "bias": pick(["pytorch", "pytorch", "one"]) if difficulty != "hard" else pick(["pytorch", "one", "none"]),
             "proj_size": 0}
        if difficulty == "hard" and module == "lstm" and rng.random() < 0.6:
            p["proj_size"] = pick([s for s in (2, 4, 5, 8, 10, 16, 32) if s < p["hidden"]])
        return p

    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        if p["proj_size"] and (p["module"] != "lstm" or p["proj_size"] >= p["hidden"]):
            raise QuizgenError("proj_size is for nn.LSTM only, and must be smaller than hidden")
        return p

    def render(self, params: dict, lang: str) -> str:
        zh = lang == "zh"
        code = RL.torch_code(dict(params, bias="pytorch" if params["bias"] != "none" else "none"))
        ask = [("第 1 层（含所有方向）的参数个数" if zh else "the parameters of layer 1 (all directions)"),
               ("之后每一层的参数个数" if zh else "those of each later layer"), ("总数" if zh else "the total")]
        want = "总参数个数" if zh else "the total number of parameters"
        if params["layers"] > 1:
            want = "、".join(ask) if zh else f"{ask[0]}, {ask[1]} and {ask[2]}"
        bias = BIAS_TEXT[params["bias"]].get(lang)
        if zh:
            return f"循环层 `{code}`。{bias}\n求{want}。"
        return f"A recurrent layer `{code}`. {bias}\nGive {want}."

    def solve(self, params: dict) -> Solution:
        G, H, Pj = RL.GATES[params["module"]], params["hidden"], params["proj_size"]
        D, nb = RL.directions(params), {"pytorch": 2, "one": 1, "none": 0}[params["bias"]]
        steps = [t(f"{RL.CLASS[params['module']]}: {G} gate{'s' if G > 1 else ''} "
                   f"({'i, f, g, o' if G == 4 else 'r, z, n' if G == 3 else 'one tanh'}), each with a weight matrix "
                   f"on the input, one on h{' (of size proj_size)' if Pj else ''}, and {nb} bias vector{'s' if nb != 1 else ''}.",
                   f"{RL.CLASS[params['module']]}：{G} 个门"
                   f"（{'i、f、g、o' if G == 4 else 'r、z、n' if G == 3 else '一个 tanh'}），每个门一个作用于输入的权重矩阵、"
                   f"一个作用于 h 的权重矩阵{'（h 的大小为 proj_size）' if Pj else ''}，以及 {nb} 个偏置向量。")]
        parts = []
        for k, (what, layer) in enumerate(part_layout(params)):
            if what == "layer":
                n_in = RL.layer_inputs(params, layer)
                hh = Pj or H
                proj = f" + {Pj}\\cdot{H}" if Pj else ""
                value = RL.layer_params(params, layer)
                formula = (f"{D}\\cdot({G}\\cdot{H}\\cdot({n_in} + {hh}) + {nb}\\cdot{G}\\cdot{H}{proj}) = {value}"
                           if D == 2 else f"{G}\\cdot{H}\\cdot({n_in} + {hh}) + {nb}\\cdot{G}\\cdot{H}{proj} = {value}")
                why = ("" if layer == 0 else
                       f" (its input is the layer below's h: {D}·{hh} = {n_in})")
                why_zh = "" if layer == 0 else f"（输入是下一层的 h：{D}·{hh} = {n_in}）"
                name_en = "Layer 1" if layer == 0 else f"Layer 2{' (and every later layer)' if params['layers'] > 2 else ''}"
                name_zh = "第 1 层" if layer == 0 else f"第 2 层{'（之后各层相同）' if params['layers'] > 2 else ''}"
                steps.append(t(f"{name_en}{why}: ${formula}$.", f"{name_zh}{why_zh}：${formula}$。"))
                prompt = (t("parameters of layer 1", "第 1 层的参数个数") if layer == 0 else
                          t("parameters of each later layer", "之后每一层的参数个数"))
            else:
                value = RL.total_params(params)
                if params["layers"] > 1:
                    steps.append(t(f"Total: ${RL.layer_params(params, 0)} + {params['layers'] - 1}\\cdot"
                                   f"{RL.layer_params(params, 1)} = {value}$.",
                                   f"合计：${RL.layer_params(params, 0)} + {params['layers'] - 1}\\cdot"
                                   f"{RL.layer_params(params, 1)} = {value}$。"))
                else:
                    n_in, hh = params["input"], Pj or H
                    proj = f" + {Pj}\\cdot{H}" if Pj else ""
                    core = f"{G}\\cdot{H}\\cdot({n_in} + {hh}) + {nb}\\cdot{G}\\cdot{H}{proj}"
                    formula = f"{D}\\cdot({core})" if D == 2 else core
                    steps.append(t(f"Total: ${formula} = {value}$.", f"合计：${formula} = {value}$。"))
                prompt = t("total number of parameters", "参数总数")
            parts.append(Part("abc"[k], "integer", prompt, value))
        return Solution(tuple(parts), tuple(steps))

    def mistakes(self, params: dict) -> list[Mistake]:
        layout, out = part_layout(params), []

        def values(count) -> list[int]:
            """The parts' answers when layer l has `count(l)` parameters."""
            per = [count(layer) for layer in range(params["layers"])]
            return [per[layer] if what == "layer" else sum(per) for what, layer in layout]

        key = values(lambda l: RL.layer_params(params, l))

        def add(wrong: list[int], tag: str, en: str, zh: str) -> None:
            for k, (v, want) in enumerate(zip(wrong, key)):
                pid = "abc"[k]
                if v > 0 and v != want and not any(m.part == pid and m.answer == v for m in out):
                    out.append(Mistake(pid, v, tag, t(en, zh)))

        if params["bias"] == "pytorch":
            add(values(lambda l: RL.layer_params(params, l, bias_vectors=1)), "one_bias",
                "PyTorch has two bias vectors per gate, b_ih and b_hh.", "PyTorch 每个门有两个偏置向量 b_ih 和 b_hh。")
        if params["bias"] == "one":
            add(values(lambda l: RL.layer_params(params, l, bias_vectors=2)), "two_biases",
                "This problem counts one bias vector per gate (textbook).", "本题每个门只算一个偏置向量（教材约定）。")
        if params["layers"] > 1:
            add(values(lambda l: RL.layer_params(params, 0)), "later_input_size",
                "Layers after the first take the layer below's h as input (D·hidden_size), not input_size.",
                "第一层之后的各层以下一层的 h 为输入（D·hidden_size），而不是 input_size。")
            if params["bidirectional"]:
                single = dict(params, input=RL.h_out(params))
                add(values(lambda l: RL.layer_params(params, 0) if l == 0 else RL.layer_params(single, 0)),
                    "one_direction_input", "A bidirectional layer feeds both directions to the next: 2·hidden_size inputs.",
                    "双向层把两个方向都送入下一层：输入为 2·hidden_size。")
        if params["bidirectional"]:
            add([v // 2 for v in key], "one_direction", "Both directions have their own weights: count them twice.",
                "两个方向各有一套权重：要算两次。")
        G = RL.GATES[params["module"]]
        if G > 1 and not params["proj_size"]:
            add([v // G for v in key], "one_gate", f"{RL.CLASS[params['module']]} has {G} gates, each with its own weights.",
                f"{RL.CLASS[params['module']]} 有 {G} 个门，每个门有自己的权重。")
        return out
