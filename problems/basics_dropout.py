"""Dropout with a given mask: inverted (PyTorch) or the original non-inverted form.

    p = drop probability,  q = 1 − p = keep probability,  m_j ∈ {0, 1} (1 = kept)
    inverted      training  h̃_j = m_j h_j / (1 − p)      inference  h_j       (nn.Dropout)
    non-inverted  training  h̃_j = m_j h_j                inference  (1 − p) h_j
    expectation   E[h̃_j] = (1 − p) · h_j / (1 − p) = h_j (inverted),  (1 − p) h_j (non-inverted):
                  the inference output equals the training output's expectation in both

solvers/basics_ref.py reads the inverted scale from nn.Dropout itself (on a tensor of ones) and
its eval-mode output, and takes the expectation exactly over all 2ⁿ masks.
"""

from __future__ import annotations

from problems import _backprop as B
from problems._basics import BuiltFamily, Parts
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import t
from quizgen.registry import register

KEEP_FOR_DROP = t("p is the drop probability; the kept units are scaled by 1/(1 − p), the keep probability's inverse.",
                  "p 是丢弃概率；保留下来的单元要乘以 1/(1 − p)，即保留概率的倒数。")


@register
class Dropout(BuiltFamily):
    name = "basics.dropout"
    topic = "basics"
    version = 1
    title = t("Dropout with a given mask", "给定掩码的 dropout")
    summary = t("Training and inference outputs of (inverted) dropout, keep vs drop probability, expectations.",
                "（反向）dropout 在训练与推理时的输出、保留概率与丢弃概率、期望值。")
    example = "quizgen solve basics.dropout --set h='[0.5, 1.2, 0, 2]' --set mask='[1, 0, 1, 1]' --set p=0.5"
    conventions = (t("p is the drop probability (PyTorch's nn.Dropout(p)); 1 − p is the keep probability; mask 1 = kept.",
                     "p 是丢弃概率（即 PyTorch 的 nn.Dropout(p)）；1 − p 是保留概率；掩码 1 表示保留。"),)
    params = (
        P.vector("h", "the activations entering dropout", (2, 8), -100, 100, "[0.5, 1.2, 0, 2]"),
        P.vector("mask", "the mask, 1 = kept, 0 = dropped", (2, 8), 0, 1, "[1, 0, 1, 1]"),
        P.real("p", "the drop probability", 0, 0.99, "0.5"),
        P.choice("variant", "inverted (scale at training, PyTorch) or standard (scale at test time)",
                 ("inverted", "standard"), default="inverted"),
        P.integer("unit", "the unit whose expected value is asked (1-based)", 1, 8, "1", default=1),
        P.integer("decimals", "decimal places of the answers", 1, 9, "4", default=4),
    )

    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)
        n = {"easy": 4, "medium": 5, "hard": 6}[difficulty]

        def draw() -> dict:
            return {"h": [int(rng.integers(0, 21)) / 10 for _ in range(n)],
                    "mask": [int(v) for v in rng.integers(0, 2, n)],
                    "p": pick([0.5, 0.2, 0.25] if difficulty == "easy" else [0.2, 0.25, 0.4, 0.3]),
                    "variant": "inverted" if difficulty == "easy" else pick(["inverted", "standard"]),
                    "unit": int(rng.integers(1, n + 1)), "decimals": 4}
        return redraw(draw, lambda p: 0 < sum(p["mask"]) < n and p["h"][p["unit"] - 1] != 0
                      and all(h for h, m in zip(p["h"], p["mask"]) if m))

    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        if len(p["mask"]) != len(p["h"]) or any(m not in (0, 1) for m in p["mask"]):
            raise QuizgenError(f"mask: expected {len(p['h'])} zeros and ones, one per activation")
        if p["unit"] > len(p["h"]):
            raise QuizgenError(f"unit: the layer has {len(p['h'])} units")
        p["mask"] = [int(m) for m in p["mask"]]
        return p

    def render(self, p: dict, lang: str) -> str:
        h, m, drop = B.vec(p["h"]), B.vec(p["mask"]), B.num(p["p"])
        inverted = p["variant"] == "inverted"
        if lang == "zh":
            how = ("采用反向（inverted）dropout：训练时把保留的单元乘以 $1/(1-p)$，推理时不做缩放（与 PyTorch 的 nn.Dropout 相同）。"
                   if inverted else "采用原始（非反向）dropout：训练时不缩放，推理时把输出乘以 $1-p$。")
            return (f"某层的激活为 $h = {h}$，dropout 的丢弃概率 $p = {drop}$（每个单元被丢弃的概率），掩码 $m = {m}$"
                    f"（1 表示保留）。{how}求保留概率、训练时的输出、推理时的输出，以及第 {p['unit']} 个单元训练时输出的期望值。")
        how = ("Inverted dropout: at training the kept units are scaled by $1/(1-p)$, at inference nothing is scaled "
               "(PyTorch's nn.Dropout)." if inverted else
               "Original (non-inverted) dropout: nothing is scaled at training; at inference the outputs are "
               "multiplied by $1-p$.")
        return (f"A layer's activations are $h = {h}$. Dropout drops each unit with probability $p = {drop}$ "
                f"(the drop probability); the mask is $m = {m}$ (1 = kept). {how} Give the keep probability, the "
                f"training-time output, the inference-time output, and the expected training-time output of unit "
                f"{p['unit']}.")

    def build(self, p: dict, out: Parts) -> None:
        d, drop, h, m = p["decimals"], p["p"], p["h"], p["mask"]
        keep = 1 - drop
        inverted = p["variant"] == "inverted"
        out.work(t(f"Keep probability $1 - p = {B.num(keep)}$.", f"保留概率 $1 - p = {B.num(keep)}$。"))
        out.add("real", t("the keep probability", "保留概率"), keep, decimals=d,
                wrong=[(drop, "drop_for_keep", t("That is the drop probability p; keep is 1 − p.", "那是丢弃概率 p；保留概率是 1 − p。"))])
        scale = 1 / keep if inverted else 1.0
        train = [mj * hj * scale for hj, mj in zip(h, m)]
        rule = "m \\odot h / (1 - p)" if inverted else "m \\odot h"
        out.work(t(f"Training: $\\tilde h = {rule} = {B.vec(train, d)}$", f"训练时：$\\tilde h = {rule} = {B.vec(train, d)}$"))
        wrong = [([mj * hj for hj, mj in zip(h, m)], "not_scaled", t("Inverted dropout scales the kept units by 1/(1 − p) at training.",
                                                                      "反向 dropout 在训练时要把保留的单元乘以 1/(1 − p)。"))] if inverted else \
            [([mj * hj / keep for hj, mj in zip(h, m)], "inverted_at_training",
              t("This is the non-inverted form: no scaling at training.", "这是非反向形式：训练时不缩放。"))]
        if inverted and drop not in (0, 0.5):
            wrong.append(([mj * hj / drop for hj, mj in zip(h, m)], "drop_for_keep", KEEP_FOR_DROP))
        out.add("vector", t("the training-time output", "训练时的输出"), train, decimals=d, wrong=wrong)
        infer = list(h) if inverted else [keep * hj for hj in h]
        rule = "h" if inverted else "(1 - p) h"
        out.work(t(f"Inference: ${rule} = {B.vec(infer, d)}$ (no mask)", f"推理时：${rule} = {B.vec(infer, d)}$（不用掩码）"))
        wrong = [([keep * hj for hj in h], "scaled_twice", t("Inverted dropout already scaled at training: inference uses h as it is.",
                                                             "反向 dropout 已在训练时缩放：推理时直接用 h。")),
                 ([mj * hj for hj, mj in zip(h, m)], "mask_at_inference", t("No units are dropped at inference.", "推理时不丢弃任何单元。"))] \
            if inverted else [(list(h), "not_scaled", t("Non-inverted dropout scales by 1 − p at inference.", "非反向 dropout 在推理时要乘以 1 − p。")),
                               ([drop * hj for hj in h], "drop_for_keep", t("Scale by the keep probability 1 − p, not by p.",
                                                                            "要乘以保留概率 1 − p，而不是 p。"))]
        out.add("vector", t("the inference-time output", "推理时的输出"), infer, decimals=d, wrong=wrong)
        j = p["unit"] - 1
        expect = h[j] if inverted else keep * h[j]
        out.work(t(f"$E[\\tilde h_{{{j + 1}}}] = (1 - p) \\cdot {B.num(h[j] * scale, d)} + p \\cdot 0 = {B.num(expect, d)}$, "
                   "the inference output.", f"$E[\\tilde h_{{{j + 1}}}] = (1 - p) \\cdot {B.num(h[j] * scale, d)} + p \\cdot 0 = "
                   f"{B.num(expect, d)}$，与推理时的输出相同。"))
        out.add("real", t(f"the expected training-time output of unit {j + 1}", f"第 {j + 1} 个单元训练时输出的期望值"), expect,
                decimals=d, wrong=[(train[j], "this_mask", t("The expectation is over all masks, not this one.", "期望是对所有掩码取的，不是这一个。")),
                                   (drop * h[j] * scale, "drop_for_keep", KEEP_FOR_DROP)])
