"""The example trace family of docs/ARCHITECTURE.md ("How to add a family"): running sums.

    s₀ = start,   s_k = s_{k−1} + x_k      (one part per step; a slip in s₂ is carried into s₃)

It lives in tests/, not problems/, so it is never part of the product; the tests register it.
"""

from __future__ import annotations

from quizgen import params as P
from quizgen.draw import redraw
from quizgen.model import t
from quizgen.trace import TraceFamily, Value, Work, Wrong


class RunningSum(TraceFamily):
    name = "demo.sum"
    topic = "demo"
    title = t("Running sums", "累加和")
    summary = t("s_k = s_{k-1} + x_k, step by step.", "逐步计算 s_k = s_{k-1} + x_k。")
    example = "quizgen solve demo.sum --set x='[1, 2, 3]'"
    params = (P.vector("x", "the numbers to add", (1, 6), -100, 100, "[1, 2, 3]"),
              P.integer("start", "the starting value", -100, 100, "0", default=0))

    def generate(self, rng, difficulty: str) -> dict:
        n = {"easy": 2, "medium": 3, "hard": 4}[difficulty]
        draw = lambda: {"x": [int(v) for v in rng.integers(-9, 10, n)], "start": int(rng.integers(0, 5))}  # noqa: E731
        return redraw(draw, lambda p: 0 not in p["x"])

    def params_from_user(self, values: dict) -> dict:
        return self.with_defaults(values)

    def render(self, params: dict, lang: str) -> str:
        xs = ", ".join(f"{v:g}" for v in params["x"])
        if lang == "zh":
            return f"从 $s_0 = {params['start']}$ 开始，依次加上 {xs}。写出每一步的 $s_k$。"
        return f"Start from $s_0 = {params['start']}$ and add {xs} in turn. Give every $s_k$."

    def trace(self, params: dict):
        s = params["start"]
        for k, x in enumerate(params["x"], 1):
            yield Work(t(f"$s_{k} = {s:g} + {x:g} = {s + x:g}$"))
            s = yield Value("integer", t(f"$s_{k}$"), s + x, step=k, column="s",
                            wrong=(Wrong(s - x, "subtracted", t("You subtracted x_k.", "你减去了 x_k。")),))

    def resume(self, params: dict, part_id_: str, value):
        from quizgen.model import part_id

        k = [part_id(i) for i in range(len(params["x"]))].index(part_id_)
        rest = params["x"][k + 1:]
        if not rest:
            return None
        return {"x": rest, "start": value}, {part_id(j): part_id(k + 1 + j) for j in range(len(rest))}


def reference(params: dict) -> dict:
    """An independent reference: cumulative sums with itertools."""
    import itertools

    from quizgen.model import part_id

    sums = list(itertools.accumulate(params["x"], initial=params["start"]))[1:]
    return {part_id(i): s for i, s in enumerate(sums)}
