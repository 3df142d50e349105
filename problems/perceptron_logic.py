"""McCulloch–Pitts neurons as logic gates.

    y = 1 if w·x ≥ θ else 0          (inputs and output in {0, 1}; "fire" ≥ or >, stated)
    written with a bias b = −θ:      y = 1 if w·x + b ≥ 0              (form "bias", stated)

Parts: (a) the outputs of a given neuron for x = 00, 01, 10, 11 and the gate it computes (AND,
OR, NOT, NAND, NOR or none; the name is judged from the student's own outputs); (b) weights
and a threshold for a named gate (any neuron with the right truth table is accepted); (c) why
no single neuron computes XOR (a choice: XOR is not linearly separable, since 0 < θ, w₁ ≥ θ,
w₂ ≥ θ give w₁ + w₂ ≥ 2θ > θ); (d) a two-layer network for XOR or XNOR, judged by its truth table.
"""

from __future__ import annotations

from fractions import Fraction

from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.model import Part, Solution, t
from quizgen.registry import Family, per_params, register
from quizgen.trace import MistakeSet
from quizgen.truthtable import inputs_in_order, table

TABLES = {1: {(1, 0): "NOT"},
          2: {(0, 0, 0, 1): "AND", (0, 1, 1, 1): "OR", (1, 1, 1, 0): "NAND", (1, 0, 0, 0): "NOR"}}
LABELS = ["AND", "OR", "NOT", "NAND", "NOR", "none"]
ALIASES = {"与": "AND", "或": "OR", "非": "NOT", "与非": "NAND", "或非": "NOR", "都不是": "none", "无": "none",
           "neither": "none", "no gate": "none"}
# neurons [w..., θ] that compute each gate under both ≥ and >
KEY = {"AND": [1, 1, 1.5], "OR": [1, 1, 0.5], "NAND": [-1, -1, -1.5], "NOR": [-1, -1, -0.5], "NOT": [-1, -0.5]}
TWO_LAYER = {"XOR": [[[1, 1, 0.5], [-1, -1, -1.5]], [[1, 1, 1.5]]],      # OR, NAND -> AND
             "XNOR": [[[1, 1, 1.5], [-1, -1, -0.5]], [[1, 1, 0.5]]]}     # AND, NOR -> OR
COMPLEMENT = {"AND": "NAND", "NAND": "AND", "OR": "NOR", "NOR": "OR", "XOR": "XNOR", "XNOR": "XOR"}
XOR_OPTIONS = (
    t("XOR is not linearly separable: no line $w_1x_1 + w_2x_2 = \\theta$ puts (0, 1) and (1, 0) on one side "
      "and (0, 0) and (1, 1) on the other.",
      "XOR 不是线性可分的：没有一条直线 $w_1x_1 + w_2x_2 = \\theta$ 能把 (0, 1)、(1, 0) 与 (0, 0)、(1, 1) 分在两侧。"),
    t("An M-P neuron's weights must be positive, and XOR needs a negative one.",
      "M-P 神经元的权重必须为正，而 XOR 需要负权重。"),
    t("XOR would need a threshold of exactly 0, which an M-P neuron cannot have.",
      "XOR 需要阈值恰好为 0，而 M-P 神经元不能取这样的阈值。"),
    t("XOR has two outputs, and a neuron has only one.", "XOR 有两个输出，而一个神经元只有一个输出。"),
)
XOR_WHY = (
    t("The other options are false: weights may be negative (NAND uses −1, −1), θ may be any number, 0 "
      "included, and XOR has a single output.",
      "其余选项都不成立：权重可以为负（NAND 用 −1, −1），θ 可取任意值（包括 0），XOR 只有一个输出。"),
)


def name_of(outputs) -> str:
    """The gate a truth table (outputs in binary counting order) is, or 'none'."""
    outputs = tuple(int(v) if v in (0, 1) else -1 for v in outputs)
    n = {2: 1, 4: 2}.get(len(outputs))
    return TABLES.get(n, {}).get(outputs, "none")


def as_written(neuron: list, form: str) -> list:
    """A [w..., θ] neuron as the problem writes it: with b = −θ in the bias form."""
    return neuron if form == "threshold" else [*neuron[:-1], _num(-Fraction(str(neuron[-1])))]


def _num(q):
    q = Fraction(q)
    return int(q) if q.denominator == 1 else float(q)


def _g(v) -> str:
    return f"{float(v):g}"


@register
class Logic(Family):
    name = "perceptron.logic"
    topic = "perceptron"
    version = 1
    title = t("M-P neurons as logic gates", "M-P 神经元与逻辑门")
    summary = t("Name the gate a threshold neuron computes, build one for a gate, and see why XOR needs two layers.",
                "判断阈值神经元实现的逻辑门、为给定逻辑门设计神经元，并说明 XOR 为何需要两层。")
    example = "quizgen solve perceptron.logic --set w='[1, 1]' --set theta=1.5 --set gate=NOR"
    conventions = (
        t("An M-P neuron has inputs and output in {0, 1} and fires when w·x ≥ θ (some texts: > θ, or w·x + b ≥ 0 "
          "with b = −θ); each problem states which.",
          "M-P 神经元的输入和输出都取 {0, 1}，当 w·x ≥ θ 时激活（有的教材用 > θ，或用偏置写成 w·x + b ≥ 0，b = −θ）；"
          "每题写明所用约定。"),
        t("Truth tables list the inputs in binary counting order: 00, 01, 10, 11.",
          "真值表按二进制计数顺序列出输入：00、01、10、11。"),
    )
    params = (
        P.vector("w", "the given neuron's weights (1 or 2 inputs)", (1, 2), -100, 100, "[1, 1]"),
        P.real("theta", "its threshold θ (its bias b with form=bias)", -100, 100, "1.5"),
        P.choice("fire", "ge: fires when w·x ≥ θ; gt: when w·x > θ", ("ge", "gt"), default="ge"),
        P.choice("form", "threshold: w·x ≥ θ; bias: w·x + b ≥ 0 (b = −θ)", ("threshold", "bias"), default="threshold"),
        P.choice("gate", "the gate to build a neuron for", ("AND", "OR", "NAND", "NOR", "NOT"), default="NAND"),
        P.boolean("xor", "ask why no single neuron computes XOR", default=True),
        P.choice("network", "a two-layer network to build: XOR, XNOR or none", ("XOR", "XNOR", "none"), default="XOR"),
    )

    # -------------------------------------------------------------- params
    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        p["network"] = None if p["network"] == "none" else p["network"]
        p["order"] = [0, 1, 2, 3]
        return _normalised(p)

    def generate(self, rng, difficulty: str) -> dict:
        return redraw(lambda: self._draw(rng, difficulty), lambda p: p is not None)

    def _draw(self, rng, difficulty: str) -> dict | None:
        pick = picker(rng)
        want = pick(["AND", "OR", "NAND", "NOR", "NOT", "none"])
        n = 1 if want == "NOT" or (want == "none" and rng.random() < 0.2) else 2
        w = [int(v) for v in rng.integers(-3, 4, n)]
        theta = int(rng.integers(-6, 7)) / 2
        fire = "gt" if difficulty == "hard" and rng.random() < 0.4 else "ge"
        form = "bias" if difficulty != "easy" and rng.random() < 0.3 else "threshold"
        # integers and halves: float arithmetic is exact here (the key is recomputed exactly in solve)
        outputs = [int(sum(a * b for a, b in zip(w, x)) > theta if fire == "gt" else sum(a * b for a, b in zip(w, x)) >= theta)
                   for x in inputs_in_order(n)]
        if name_of(outputs) != want or not any(w):
            return None
        if difficulty == "hard" and not any(sum(a * b for a, b in zip(w, x)) == theta for x in inputs_in_order(n)):
            return None  # hard: some input lands exactly on θ, so ≥ and > differ
        gate = pick([g for g in ("AND", "OR", "NAND", "NOR", "NOT") if g != want])
        return _normalised({"w": w, "theta": -theta if form == "bias" else theta, "fire": fire, "form": form,
                            "gate": gate, "xor": difficulty != "easy",
                            "network": pick(["XOR", "XNOR"]) if difficulty == "hard" else None,
                            "order": [int(v) for v in rng.permutation(4)]})

    # -------------------------------------------------------------- solve
    def _theta(self, params) -> float:
        """θ of the given neuron (the problem may write its bias b = −θ)."""
        return params["theta"] if params["form"] == "threshold" else -params["theta"]

    def outputs(self, params) -> list[int]:
        return table([[params["w"] + [self._theta(params)]]], len(params["w"]), "threshold", params["fire"] == "gt")

    @per_params
    def solve(self, params: dict) -> Solution:
        n, spec = len(params["w"]), {"form": params["form"], "fire": ">" if params["fire"] == "gt" else ">="}
        xs = ", ".join("".join(map(str, x)) for x in inputs_in_order(n))
        outs = self.outputs(params)
        parts = [Part("a", "vector", t(f"the outputs of the given neuron for x = {xs}", f"给定神经元在 x = {xs} 时的输出"),
                      outs, trace=True),
                 Part("b", "label", t("the gate it computes", "它实现的逻辑门"), name_of(outs), trace=True,
                      spec={"labels": LABELS, "aliases": ALIASES}),
                 Part("c", "truthtable", t(f"weights and a threshold for {params['gate']}",
                                           f"实现 {params['gate']} 的权重和阈值"),
                      [[as_written(KEY[params["gate"]], params["form"])]],
                      spec={"inputs": 1 if params["gate"] == "NOT" else 2, **spec})]
        if params["xor"]:
            parts.append(Part("d", "choice", t("Why can no single M-P neuron compute XOR?", "为什么单个 M-P 神经元无法实现 XOR？"),
                              _letter(params["order"]), choices=tuple(XOR_OPTIONS[i] for i in params["order"])))
        if params["network"]:
            net = TWO_LAYER[params["network"]]
            written = [[as_written(nr, params["form"]) for nr in layer] for layer in net]
            parts.append(Part(chr(ord("a") + len(parts)), "truthtable",
                              t(f"a two-layer network of M-P neurons for {params['network']}",
                                f"实现 {params['network']} 的两层 M-P 神经元网络"), written, spec={"inputs": 2, **spec}))
        return Solution(tuple(parts), tuple(self._steps(params, outs)))

    def follow_through(self, params: dict, part_id: str, values: dict):
        if part_id == "b" and isinstance(values.get("a"), list):
            return name_of(values["a"])
        return None

    def _steps(self, params, outs):
        th, ge = self._theta(params), ("\\ge" if params["fire"] == "ge" else ">")
        rows = []
        for x, y in zip(inputs_in_order(len(params["w"])), outs):
            s = sum(Fraction(str(a)) * b for a, b in zip(params["w"], x))
            rows.append(f"$x = ({', '.join(map(str, x))})$: $w\\cdot x = {_g(s)}$ → {y}")
        name = name_of(outs)
        steps = [t(f"Fire when $w\\cdot x {ge} {_g(th)}$: " + "; ".join(rows) + f". The table is {name}.",
                   f"当 $w\\cdot x {ge} {_g(th)}$ 时激活：" + "；".join(rows) +
                   ("。该真值表不是上述任何一种逻辑门。" if name == "none" else f"。该真值表即 {name}。"))]
        key = KEY[params["gate"]]
        steps.append(t(f"{params['gate']}: for example $w = ({', '.join(_g(v) for v in key[:-1])})$, $\\theta = {_g(key[-1])}$"
                       + (f" (so $b = {_g(-key[-1])}$)" if params["form"] == "bias" else "") + "; check all inputs.",
                       f"{params['gate']}：例如 $w = ({', '.join(_g(v) for v in key[:-1])})$，$\\theta = {_g(key[-1])}$"
                       + (f"（即 $b = {_g(-key[-1])}$）" if params["form"] == "bias" else "") + "；逐一验证所有输入。"))
        if params["xor"]:
            steps.append(t("XOR needs $0 < \\theta$ (input 00 gives 0), $w_1 \\ge \\theta$ and $w_2 \\ge \\theta$ (01 and "
                           "10 give 1), so $w_1 + w_2 \\ge 2\\theta > \\theta$ and 11 would give 1: no line separates "
                           "the classes (XOR is not linearly separable).",
                           "XOR 要求 $0 < \\theta$（输入 00 输出 0），$w_1 \\ge \\theta$、$w_2 \\ge \\theta$（01 和 10 输出 1），"
                           "于是 $w_1 + w_2 \\ge 2\\theta > \\theta$，输入 11 也会输出 1：没有直线能分开两类（XOR 线性不可分）。"))
            steps.append(XOR_WHY[0])
        if params["network"] == "XOR":
            steps.append(t("XOR = AND(OR, NAND): hidden neurons [1, 1, 0.5] (OR) and [−1, −1, −1.5] (NAND), "
                           "output [1, 1, 1.5] (AND).",
                           "XOR = AND(OR, NAND)：隐藏层 [1, 1, 0.5]（OR）和 [−1, −1, −1.5]（NAND），输出层 [1, 1, 1.5]（AND）。"))
        elif params["network"] == "XNOR":
            steps.append(t("XNOR = OR(AND, NOR): hidden neurons [1, 1, 1.5] (AND) and [−1, −1, −0.5] (NOR), "
                           "output [1, 1, 0.5] (OR).",
                           "XNOR = OR(AND, NOR)：隐藏层 [1, 1, 1.5]（AND）和 [−1, −1, −0.5]（NOR），输出层 [1, 1, 0.5]（OR）。"))
        if params["form"] == "bias" and params["network"]:
            steps.append(t("Written with biases, each neuron's last number is $b = -\\theta$.",
                           "用偏置书写时，每个神经元的最后一个数为 $b = -\\theta$。"))
        return steps

    # -------------------------------------------------------------- mistakes
    def mistakes(self, params: dict):
        parts = self.solve(params).parts
        found = MistakeSet(parts)
        outs = self.outputs(params)
        other = table([[params["w"] + [self._theta(params)]]], len(params["w"]), "threshold", params["fire"] != "gt")
        strict_text = (t("The neuron fires when w·x ≥ θ: an input with w·x = θ gives 1.", "w·x ≥ θ 时激活：w·x = θ 的输入输出 1。")
                       if params["fire"] == "ge" else
                       t("Here the neuron fires only when w·x > θ: an input with w·x = θ gives 0.",
                         "本题只有 w·x > θ 时才激活：w·x = θ 的输入输出 0。"))
        found.add("a", other, "fire_at_theta", strict_text)
        if params["form"] == "bias":
            flipped = table([[params["w"] + [params["theta"]]]], len(params["w"]), "threshold", params["fire"] == "gt")
            found.add("a", flipped, "bias_as_threshold", _BIAS_SIGN)
        name = name_of(outs)
        if name in COMPLEMENT:
            found.add("b", COMPLEMENT[name], "complement", t(
                f"Read the table again: the neuron outputs 1 {'only for 11' if name == 'AND' else 'where ' + name + ' does'}; "
                f"{COMPLEMENT[name]} is its complement.", f"再看一遍真值表：{COMPLEMENT[name]} 是 {name} 的取反。"))
        gate = params["gate"]
        if gate in COMPLEMENT:
            found.add("c", [[as_written(KEY[COMPLEMENT[gate]], params["form"])]], "complement", t(
                f"This neuron computes {COMPLEMENT[gate]}, the complement of {gate}.",
                f"这个神经元实现的是 {COMPLEMENT[gate]}，即 {gate} 的取反。"))
        if params["form"] == "bias":
            found.add("c", [[KEY[gate]]], "bias_as_threshold", _BIAS_SIGN)
        if params["xor"]:
            for i, opt in enumerate(params["order"]):
                if opt:
                    found.add("d", chr(97 + i), f"xor_{opt}", XOR_WHY[0])
        if params["network"]:
            pid = parts[-1].id
            found.add(pid, "*", "single_layer", t(
                f"Check it against the truth table of {params['network']}: one layer of one neuron cannot compute it; "
                "try OR and NAND into AND (XOR) or AND and NOR into OR (XNOR).",
                f"对照 {params['network']} 的真值表检查：单个神经元无法实现；可用 OR 与 NAND 接 AND（XOR），"
                "或 AND 与 NOR 接 OR（XNOR）。"))
        return found.items

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        zh, form, gt = lang == "zh", params["form"], params["fire"] == "gt"
        ge = ">" if gt else "\\ge"
        rule = f"$w\\cdot x + b {ge} 0$" if form == "bias" else f"$w\\cdot x {ge} \\theta$"
        w = ", ".join(_g(v) for v in params["w"])
        given = f"$w = ({w})$, " + (f"$b = {_g(params['theta'])}$" if form == "bias" else f"$\\theta = {_g(params['theta'])}$")
        ws = "w_1" if params["gate"] == "NOT" else "w_1, w_2"
        write = f"{ws}, b" if form == "bias" else f"{ws}, \\theta"
        if zh:
            lines = [f"M-P 神经元的输入 $x_i$ 和输出都取 0 或 1；当 {rule} 时输出 1，否则输出 0"
                     + ("（偏置 $b = -\\theta$）" if form == "bias" else "") + "。真值表按二进制计数顺序列出输入（一个输入：0、1；两个输入：00、01、10、11）。",
                     f"(1) 神经元 {given.replace('$, $', '$，$')}：写出它的输出，并说出它实现的逻辑门（AND、OR、NOT、NAND、NOR；都不是则写“无”）。",
                     f"(2) 给出实现 {params['gate']} 的神经元，写成 ${write}$（如 1, 1, 1.5）；真值表正确的任何神经元都算对。"]
            if params["xor"]:
                lines.append("(3) 为什么单个 M-P 神经元无法实现 XOR？")
            if params["network"]:
                lines.append(f"(4) 给出实现 {params['network']} 的两层 M-P 神经元网络：隐藏层两个神经元写成 "
                             "[[…], […]]，再写 ; 和输出神经元 […]（每个神经元的最后一个数为"
                             + ("偏置" if form == "bias" else "阈值") + "）。")
        else:
            lines = [f"An M-P neuron has inputs $x_i$ and an output in {{0, 1}}; it outputs 1 when {rule}, else 0"
                     + (" (the bias is $b = -\\theta$)" if form == "bias" else "")
                     + ". Truth tables list the inputs in binary counting order (0, 1 for one input; 00, 01, 10, 11 "
                     "for two).",
                     f"(1) A neuron has {given}. Give its outputs and name the gate it computes (AND, OR, NOT, NAND, "
                     "NOR, or none).",
                     f"(2) Give a neuron that computes {params['gate']}, written ${write}$ (like 1, 1, 1.5); any neuron "
                     "with the right truth table is accepted."]
            if params["xor"]:
                lines.append("(3) Why can no single M-P neuron compute XOR?")
            if params["network"]:
                lines.append(f"(4) Give a two-layer network of M-P neurons that computes {params['network']}: the two "
                             "hidden neurons as [[…], […]], then ; and the output neuron […] (each neuron's last number "
                             "is its " + ("bias" if form == "bias" else "threshold") + ").")
        return "\n".join(lines)


_BIAS_SIGN = t("With a bias the neuron fires when w·x + b ≥ 0, so b = −θ: the sign of the threshold flips.",
               "用偏置时神经元在 w·x + b ≥ 0 时激活，所以 b = −θ：阈值的符号要取反。")


def _letter(order: list[int]) -> str:
    return chr(97 + order.index(0))


def _normalised(p: dict) -> dict:
    return dict(p, w=[_num(Fraction(str(v))) for v in p["w"]], theta=_num(Fraction(str(p["theta"]))))
