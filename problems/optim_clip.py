"""Gradient clipping over two or three parameter tensors (PyTorch's clip_grad_norm_ / clip_grad_value_).

    by global norm   N = √(Σ over every tensor and entry of g²),  s = c / (N + 10⁻⁶),
                     each g ← s·g if s < 1 (else unchanged)      (one factor for all tensors)
    by value         each entry g ← min(max(g, −c), c)
    parts: N before, the clipped tensors, N after (the order follows the mode)
"""

from __future__ import annotations

import math

from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import FormatError, QuizgenError
from quizgen.model import Mistake, Part, Solution, part_id, t
from quizgen.registry import Family, Param, register

DECIMALS = 4
EPS = 1e-6  # PyTorch: clip_coef = max_norm / (total_norm + 1e-6)


def _tensors(text: str) -> list[list[float]]:
    from quizgen.parse import parse_matrix, parse_vector

    try:
        rows = parse_matrix(text) if text.strip().startswith("[[") else [parse_vector(x) for x in text.split(";")]
    except FormatError as exc:
        raise QuizgenError(f"grads: {exc}") from None
    if not 1 <= len(rows) <= 4 or not all(1 <= len(r) <= 6 for r in rows):
        raise QuizgenError("grads: 1 to 4 tensors of 1 to 6 numbers, like '[3, 4]; [12]'")
    return rows


def norm(tensors: list[list[float]]) -> float:
    return math.sqrt(sum(x * x for g in tensors for x in g))


def by_norm(tensors: list[list[float]], c: float) -> list[list[float]]:
    s = c / (norm(tensors) + EPS)
    return [[x * s for x in g] for g in tensors] if s < 1 else [list(g) for g in tensors]


def by_value(tensors: list[list[float]], c: float) -> list[list[float]]:
    return [[min(max(x, -c), c) for x in g] for g in tensors]


def _vec(v: list[float]) -> str:
    return "[" + ", ".join(f"{x:g}" for x in v) + "]"


@register
class Clip(Family):
    name = "optim.clip"
    topic = "optim"
    version = 1
    title = t("Gradient clipping by norm and by value", "梯度裁剪：按范数与按数值")
    summary = t("Clip two or three gradient tensors by their global L2 norm or entry by entry; norms before and after.",
                "按全局 L2 范数或逐元素裁剪两三个梯度张量；裁剪前后的范数。")
    example = "quizgen solve optim.clip --set 'grads=[3, 4]; [12]' --set mode=norm --set c=5"
    conventions = (
        t("Clipping by norm uses one global L2 norm over all the tensors together and one factor "
          "$c/(N + 10^{-6})$ for all of them, applied only when it is below 1 (PyTorch's clip_grad_norm_).",
          "按范数裁剪时，所有张量合起来计算一个全局 L2 范数 N，并对所有张量使用同一个系数 $c/(N + 10^{-6})$，"
          "只有当它小于 1 时才裁剪（PyTorch 的 clip_grad_norm_）。"),
        t("Clipping by value clips every entry to $[-c, c]$ (PyTorch's clip_grad_value_).",
          "按数值裁剪把每个元素截断到 $[-c, c]$（PyTorch 的 clip_grad_value_）。"),
    )
    params = (
        Param("grads", "the gradient tensors, separated by ';' (or [[..], [..]])", _tensors, "[3, 4]; [12]"),
        P.choice("mode", "norm (global L2 norm) or value (each entry)", ("norm", "value"), example="norm"),
        P.real("c", "max_norm for norm, clip_value for value", 0.0001, 1e6, "5"),
    )

    @staticmethod
    def _draw(rng, difficulty: str) -> dict:
        pick = picker(rng)
        n = 2 if difficulty == "easy" else 3
        sizes = [int(rng.integers(1, 3 if difficulty == "easy" else 4)) for _ in range(n)]
        values = [-4, -3, -2, -1, 1, 2, 3, 4] if difficulty != "hard" else [-2.5, -1.5, -1, -0.5, 0.5, 1, 2, 3]
        grads = [[float(pick(values)) for _ in range(k)] for k in sizes]
        mode = "norm" if difficulty == "easy" else pick(["norm", "value"])
        c = pick([1, 2, 3, 5]) if mode == "norm" else pick([1, 1.5, 2, 2.5])
        return {"grads": grads, "mode": mode, "c": float(c)}

    @staticmethod
    def _friendly(p: dict) -> bool:
        n = norm(p["grads"])
        if p["mode"] == "norm":
            return abs(n - p["c"]) > 0.5 and n > p["c"]      # clipping does something
        return by_value(p["grads"], p["c"]) != p["grads"]

    def params_from_user(self, values: dict) -> dict:
        return self.with_defaults(values)

    def solve(self, params: dict) -> Solution:
        g, c, mode = params["grads"], params["c"], params["mode"]
        clipped = by_norm(g, c) if mode == "norm" else by_value(g, c)
        before, after = norm(g), norm(clipped)
        tensors = [(t(f"the clipped tensor {i + 1}", f"裁剪后的第 {i + 1} 个张量"), v) for i, v in enumerate(clipped)]
        norms = [(t("the global L2 norm N before clipping", "裁剪前的全局 L2 范数 N"), before),
                 (t("the global L2 norm after clipping", "裁剪后的全局 L2 范数"), after)]
        order = [norms[0], *tensors, norms[1]] if mode == "norm" else [*tensors, *norms]
        parts = tuple(Part(part_id(i), "vector" if isinstance(v, list) else "real", prompt, v, decimals=DECIMALS)
                      for i, (prompt, v) in enumerate(order))
        squares = " + ".join(f"{x:g}^2" if x >= 0 else f"({x:g})^2" for v in g for x in v)
        work = [t(f"$N = \\sqrt{{{squares}}} = {before:.4f}$", f"$N = \\sqrt{{{squares}}} = {before:.4f}$")]
        if mode == "norm":
            s = c / (before + EPS)
            work.append(t(f"Factor $c/(N + 10^{{-6}}) = {c:g}/{before:.4f} = {s:.4f}$ " +
                          ("< 1: every tensor is multiplied by it." if s < 1 else "≥ 1: nothing changes."),
                          f"系数 $c/(N + 10^{{-6}}) = {c:g}/{before:.4f} = {s:.4f}$" +
                          ("< 1：每个张量都乘以它。" if s < 1 else "≥ 1：不做改变。")))
        else:
            work.append(t(f"Every entry is clipped to $[-{c:g}, {c:g}]$.", f"每个元素截断到 $[-{c:g}, {c:g}]$。"))
        work.append(t("Clipped: " + "; ".join(_vec([round(x, 4) for x in v]) for v in clipped) + f"; norm after {after:.4f}.",
                      "裁剪后：" + "；".join(_vec([round(x, 4) for x in v]) for v in clipped) + f"；裁剪后范数 {after:.4f}。"))
        return Solution(parts, tuple(work))

    def mistakes(self, params: dict) -> list[Mistake]:
        g, c, mode = params["grads"], params["c"], params["mode"]
        first = 1 if mode == "norm" else 0
        out = []
        if mode == "norm":
            out += [Mistake(part_id(first + i), v, "clipped_values",
                            t("The problem asks for the norm: scale every tensor by one factor, do not clip entries.",
                              "本题要求按范数裁剪：所有张量乘以同一个系数，而不是逐个截断元素。"))
                    for i, v in enumerate(by_value(g, c))]
            out += [Mistake(part_id(first + i), by_norm([v], c)[0], "per_tensor_norm",
                            t("Clipping by norm uses one global norm over all tensors, not each tensor's own norm.",
                              "按范数裁剪使用所有张量合起来的一个全局范数，而不是每个张量各自的范数。"))
                    for i, v in enumerate(g)]
            out.append(Mistake("a", sum(norm([v]) for v in g), "norms_added",
                               t("Norms add in squares: $N = \\sqrt{\\sum g^2}$ over all entries, not the sum of the norms.",
                                 "范数按平方相加：$N = \\sqrt{\\sum g^2}$ 对所有元素求和，而不是各范数之和。")))
        else:
            out += [Mistake(part_id(i), v, "scaled_by_norm",
                            t("Clipping by value clips each entry to [−c, c]; it does not rescale.",
                              "按数值裁剪是把每个元素截断到 [−c, c]，不做缩放。"))
                    for i, v in enumerate(by_norm(g, c))]
        return out

    def render(self, params: dict, lang: str) -> str:
        g, c = params["grads"], params["c"]
        tensors = ", ".join(f"$g_{{{i + 1}}} = {_vec(v)}$" for i, v in enumerate(g))
        if params["mode"] == "norm":
            if lang == "zh":
                return (f"一个模型有 {len(g)} 个参数张量，其梯度为 {tensors}。按全局 L2 范数裁剪，max_norm $c = {c:g}$"
                        "（PyTorch 的 clip_grad_norm_，系数为 $c/(N + 10^{-6})$）。给出裁剪前的范数、裁剪后的各张量以及裁剪后的范数。")
            return (f"A model has {len(g)} parameter tensors with gradients {tensors}. Clip them by their global L2 norm "
                    f"with max_norm $c = {c:g}$ (PyTorch's clip_grad_norm_, factor $c/(N + 10^{{-6}})$). Give the norm "
                    "before, each clipped tensor, and the norm after.")
        if lang == "zh":
            return (f"一个模型有 {len(g)} 个参数张量，其梯度为 {tensors}。按数值裁剪，clip_value $c = {c:g}$"
                    "（PyTorch 的 clip_grad_value_）。给出裁剪后的各张量，以及裁剪前后的全局 L2 范数。")
        return (f"A model has {len(g)} parameter tensors with gradients {tensors}. Clip them by value with clip_value "
                f"$c = {c:g}$ (PyTorch's clip_grad_value_). Give each clipped tensor, then the global L2 norm before "
                "and after.")
