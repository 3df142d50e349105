"""Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5).

    ω_i = 1 / base^{2i/d}          (base 10000 in the paper; angles in radians)
    interleaved (the paper, D2L, the PyTorch tutorial):
        PE(pos, 2i) = sin(pos·ω_i),     PE(pos, 2i+1) = cos(pos·ω_i)
    halves (tensor2tensor-style layouts, Alammar's figure):
        PE(pos, i) = sin(pos·ω_i),      PE(pos, d/2 + i) = cos(pos·ω_i)        (0 ≤ i < d/2)
    pos = k − 1 + start for the k-th token: start = 0 (the paper's pos = 0, 1, ...) or 1

Dimensions are counted from 0.  Each part is one token's whole vector (small d) or single
values PE(pos, j) (large d); the conventions are parameters and are stated in the problem.
"""

from __future__ import annotations

import math

from problems import _transformer as T
from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import QuizgenError
from quizgen.model import Mistake, Part, Solution, part_id, t
from quizgen.registry import Family, per_params, register
from quizgen.trace import MistakeSet

DEC = 3
LAYOUTS = ("interleaved", "halves")
SPACINGS = ("paper", "t2t")


def _pos(params: dict, k: int, start: int | None = None) -> int:
    return k - 1 + (params["start"] if start is None else start)


def _value(params: dict, pos: int, j: int, **change) -> float:
    p = {**params, **change}
    return T.pe_value(pos, j, p["d"], p["base"], p["layout"], p.get("swap", False), p["spacing"])


def _exponent(params: dict, i) -> str:
    """The exponent of the base in ω_i, as LaTeX: 2i/d (the paper) or i/(d/2 − 1) (tensor2tensor)."""
    d = params["d"]
    if params["spacing"] == "t2t":
        return f"{i}/{max(d // 2 - 1, 1)}" if i != "i" else f"i/({d // 2} - 1)"
    return f"{2 * i}/{d}" if i != "i" else "2i/d"


def _slips(params: dict, k: int, j: int) -> list[tuple[float, str, t]]:
    """The known mistakes for PE of token k, dimension j."""
    d, base, pos = params["d"], params["base"], _pos(params, k)
    i, use_sin = T.pe_pair(j, d, params["layout"])
    angle = pos * T.frequency(i, d, base, params["spacing"])
    fn = math.sin if use_sin else math.cos
    other_layout = "halves" if params["layout"] == "interleaved" else "interleaved"
    if params["spacing"] == "t2t":
        spacing = [(_value(params, pos, j, spacing="paper"), "spacing",
                    t("Here the frequencies are tensor2tensor's, $1/b^{i/(d/2-1)}$, not the paper's $1/b^{2i/d}$ ($b$ the base).",
                      "本题的频率按 tensor2tensor 的 $1/b^{i/(d/2-1)}$，而不是原论文的 $1/b^{2i/d}$（$b$ 为底数）。"))]
    else:
        spacing = [(fn(pos * T.frequency(j, d, base)), "exponent_j",
                    t("The exponent is 2i/d with i the pair index (i = ⌊j/2⌋ when interleaved), not 2j/d.",
                      "指数是 2i/d，其中 i 是成对的频率序号（交错排列时 i = ⌊j/2⌋），而不是 2j/d。"))]
    return spacing + [
        (_value(params, pos, j, swap=True), "sin_cos_swapped",
         t("sin and cos are swapped: even dimensions (or the first half) use sin.",
           "sin 与 cos 弄反了：偶数维（或前一半）用 sin。") if params["layout"] == "interleaved" else
         t("sin and cos are swapped: the first half of the dimensions uses sin, the second half cos.",
           "sin 与 cos 弄反了：前一半维度用 sin，后一半用 cos。")),
        (fn(math.radians(angle)), "degrees", t("The angle $pos \\cdot \\omega$ is in radians, not degrees.", "角度 $pos \\cdot \\omega$ 以弧度计，而不是角度制。")),
        (_value(params, _pos(params, k, 1 - params["start"]), j), "position_offset",
         t(f"The first token has $pos = {params['start']}$ here.", f"本题第一个词元的 $pos = {params['start']}$。")),
        (_value(params, pos, j, layout=other_layout), "layout",
         t(f"Here the layout is {params['layout']}: see which dimensions use sin.",
           f"本题的排列方式为{'交错' if params['layout'] == 'interleaved' else '前后两半'}：注意哪些维度用 sin。")),
    ]


@register
class PositionalEncoding(Family):
    name = "transformer.posenc"
    topic = "transformer"
    version = 1
    title = t("Sinusoidal positional encoding", "正弦位置编码")
    summary = t("$PE_{(p, 2i)} = \\sin(p/10000^{2i/d})$, $PE_{(p, 2i+1)} = \\cos(\\ldots)$: values for given tokens "
                "and dimensions.",
                "$PE_{(p, 2i)} = \\sin(p/10000^{2i/d})$，$PE_{(p, 2i+1)} = \\cos(\\ldots)$：求给定词元与维度的编码值。")
    example = "quizgen solve transformer.posenc --set d=4 --set tokens='[2, 3]'"
    conventions = (
        t("Angles are in radians; dimensions are counted from 0.", "角度以弧度计；维度从 0 开始编号。"),
        t("Sources differ: sin and cos interleaved (the paper) or in two halves, the base (10000 in the paper), and "
          "whether the first token has position 0 or 1; each problem states its choice.",
          "不同资料的约定不同：sin 与 cos 交错排列（原论文）或分为前后两半、底数（原论文为 10000）、"
          "第一个词元的位置是 0 还是 1；每道题都会写明。"),
    )
    params = (
        P.integer("d", "the model width d (even)", 2, 8192, "4"),
        P.vector("tokens", "which tokens, counted from 1 (the 1st, 2nd, ... word)", (1, 6), 1, 100000, "[2, 3]"),
        P.vector("dims", "which dimensions j, counted from 0 (default: all, when d ≤ 8)", (1, 8), 0, 8191, "[0, 1]",
                 default=None),
        P.real("base", "the base of the frequencies", 2, 1e9, "10000", default=10000),
        P.choice("layout", "sin and cos interleaved (the paper) or in two halves", LAYOUTS, default="interleaved"),
        P.integer("start", "the position of the first token (0 as in the paper, or 1)", 0, 1, "0", default=0),
        P.choice("spacing", "the frequencies: the paper's 1/base^(2i/d), or tensor2tensor's 1/base^(i/(d/2-1))",
                 SPACINGS, default="paper"),
    )

    # -------------------------------------------------------------- params
    def params_from_user(self, values: dict) -> dict:
        v = self.with_defaults(values)
        d = v["d"]
        if d % 2:
            raise QuizgenError(f"transformer.posenc: d must be even, got {d}")
        if any(x != int(x) for x in v["tokens"] + (v["dims"] or [])):
            raise QuizgenError("transformer.posenc: tokens and dims must be whole numbers")
        dims = [int(j) for j in v["dims"]] if v["dims"] is not None else None
        if dims is None and d > 8:
            raise QuizgenError(f"transformer.posenc: with d = {d} give the dimensions, like --set dims='[0, 1, 4]'")
        if dims is not None and max(dims) >= d:
            raise QuizgenError(f"transformer.posenc: dimensions go from 0 to {d - 1}")
        base = v["base"]
        return {"d": d, "tokens": [int(k) for k in v["tokens"]], "dims": dims,
                "base": int(base) if float(base).is_integer() else base, "layout": v["layout"], "start": v["start"],
                "spacing": v["spacing"]}

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        if difficulty == "easy":
            return {"d": pick([4, 6]), "tokens": [int(rng.integers(2, 13))], "dims": None, "base": 10000,
                    "layout": "interleaved", "start": pick([0, 1]), "spacing": "paper"}
        if difficulty == "medium":
            first = int(rng.integers(2, 6))
            return {"d": pick([4, 6, 8]), "tokens": [first, first + pick([1, 2, 3])], "dims": None,
                    "base": pick([10000, 10000, 100]), "layout": pick(list(LAYOUTS)), "start": pick([0, 1]),
                    "spacing": "paper"}
        d, layout = pick([64, 128, 512]), pick(list(LAYOUTS))
        i = pick([d // 8, d // 4, d // 2 - 1])
        half = d // 2
        dims = [0, 1, 2 * i, 2 * i + 1] if layout == "interleaved" else [0, half, i, half + i]  # sin/cos pairs
        tok = int(rng.integers(2, 30))
        return {"d": d, "tokens": [tok, tok + pick([5, 10, 20])], "dims": sorted(dims), "base": 10000,
                "layout": layout, "start": pick([0, 1]),
                "spacing": "t2t" if layout == "halves" and rng.random() < 0.5 else "paper"}

    # -------------------------------------------------------------- solve
    def _items(self, params: dict):
        """(part, [(token, dim)]) per part: a whole vector per token, or one value per (token, dim)."""
        for k in params["tokens"]:
            pos = _pos(params, k)
            if params["dims"] is None:
                yield (Part("", "vector", t(f"the encoding $PE({pos})$ of token {k} (all {params['d']} dimensions)",
                                            f"第 {k} 个词元的位置编码 $PE({pos})$（全部 {params['d']} 维）"),
                            [_value(params, pos, j) for j in range(params["d"])], decimals=DEC),
                       [(k, j) for j in range(params["d"])])
            else:
                for j in params["dims"]:
                    yield (Part("", "real", t(f"$PE({pos}, {j})$ (token {k}, dimension {j})",
                                              f"$PE({pos}, {j})$（第 {k} 个词元，第 {j} 维）"),
                                _value(params, pos, j), decimals=DEC), [(k, j)])

    @per_params
    def solve(self, params: dict) -> Solution:
        parts = tuple(Part(part_id(n), p.kind, p.prompt, p.answer, decimals=p.decimals)
                      for n, (p, _) in enumerate(self._items(params)))
        return Solution(parts, tuple(self._steps(params)))

    def mistakes(self, params: dict) -> list[Mistake]:
        parts = self.solve(params).parts
        found = MistakeSet(parts)
        for part, (_, cells) in zip(parts, self._items(params)):
            slips = [_slips(params, k, j) for k, j in cells]
            for n in range(len(slips[0])):
                answer = [s[n][0] for s in slips]
                found.add(part.id, answer if part.kind == "vector" else answer[0], slips[0][n][1], slips[0][n][2])
        return found.items

    @staticmethod
    def _steps(params: dict) -> list[t]:
        d, base = params["d"], params["base"]
        dims = params["dims"] if params["dims"] is not None else list(range(d))
        lines = []
        seen = set()
        for j in dims:
            i, use_sin = T.pe_pair(j, d, params["layout"])
            if i in seen:
                continue
            seen.add(i)
            w = T.frequency(i, d, base, params["spacing"])
            lines.append(f"$\\omega_{{{i}}} = 1/{T.g(base)}^{{{_exponent(params, i)}}} = {w:.6g}$")
        rule = (f"dimension $j$ uses $\\sin$ for even $j$ and $\\cos$ for odd $j$, with $i = \\lfloor j/2 \\rfloor$"
                if params["layout"] == "interleaved" else
                f"dimensions $j < {d // 2}$ use $\\sin(pos\\,\\omega_j)$, dimensions $j \\ge {d // 2}$ use $\\cos(pos\\,\\omega_{{j-{d // 2}}})$")
        rule_zh = (f"偶数维 $j$ 用 $\\sin$，奇数维用 $\\cos$，$i = \\lfloor j/2 \\rfloor$" if params["layout"] == "interleaved" else
                   f"维度 $j < {d // 2}$ 用 $\\sin(pos\\,\\omega_j)$，$j \\ge {d // 2}$ 用 $\\cos(pos\\,\\omega_{{j-{d // 2}}})$")
        out = [t(f"Frequencies: {', '.join(lines)}; {rule}.", f"频率：{', '.join(lines)}；{rule_zh}。")]
        for k in params["tokens"]:
            pos = _pos(params, k)
            vals = ", ".join(f"{_value(params, pos, j):.3f}" for j in dims[:8])
            out.append(t(f"Token {k} has $pos = {k} - 1 + {params['start']} = {pos}$: values ${vals}$ "
                         f"(dimensions {', '.join(map(str, dims[:8]))}; angles in radians).",
                         f"第 {k} 个词元 $pos = {k} - 1 + {params['start']} = {pos}$：值为 ${vals}$"
                         f"（第 {', '.join(map(str, dims[:8]))} 维；角度为弧度）。"))
        return out

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        d, base, zh = params["d"], T.g(params["base"]), lang == "zh"
        w = f"\\omega_i = 1/{base}^{{{_exponent(params, 'i')}}}"
        if params["layout"] == "interleaved":
            formula = f"PE(pos, 2i) = \\sin(pos\\,\\omega_i)$, $PE(pos, 2i+1) = \\cos(pos\\,\\omega_i)"
            lay_en, lay_zh = "sin and cos interleaved", "sin 与 cos 交错排列"
        else:
            formula = f"PE(pos, i) = \\sin(pos\\,\\omega_i)$, $PE(pos, {d // 2} + i) = \\cos(pos\\,\\omega_i)"
            lay_en, lay_zh = f"sin in dimensions 0 to {d // 2 - 1}, cos in the second half", f"前一半维度（0 到 {d // 2 - 1}）用 sin，后一半用 cos"
        start = params["start"]
        if params["spacing"] == "t2t":
            lay_en += "; tensor2tensor's frequencies, from 1 down to 1/" + base
            lay_zh += "；频率按 tensor2tensor 的取法，从 1 递减到 1/" + base
        if zh:
            return (f"正弦位置编码，$d = {d}$：${formula}$，其中 ${w}$，$0 \\le i < {d // 2}$（{lay_zh}）。"
                    f"第一个词元的位置 $pos = {start}$（第 k 个词元 $pos = k - 1 + {start}$），维度从 0 编号，角度以弧度计。"
                    "求下列编码值。")
        return (f"Sinusoidal positional encoding with $d = {d}$: ${formula}$, where ${w}$, $0 \\le i < {d // 2}$ ({lay_en}). "
                f"The first token has position $pos = {start}$ (the k-th token has $pos = k - 1 + {start}$); dimensions "
                "are counted from 0; angles are in radians. Give these values.")
