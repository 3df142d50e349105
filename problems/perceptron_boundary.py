"""The decision boundary of a two-input perceptron.

    boundary   w₁x₁ + w₂x₂ + b = 0   ⇔   x₂ = −(w₁/w₂) x₁ − b/w₂      (w₂ ≠ 0)
    slope −w₁/w₂, intercept on the x₂ axis −b/w₂; class +1 where w·x + b > 0, −1 where < 0;
    a point is above the line when x₂ > −(w₁/w₂)x₁ − b/w₂, which is the +1 side only when w₂ > 0
    reverse    through P and Q: w ⊥ (Q − P), w = (q₂ − p₂, p₁ − q₁), b = −w·P, the sign chosen so that
               w·R + b > 0 for the class-+1 point R; any positive multiple is the same perceptron
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

from quizgen import params as P
from quizgen.draw import redraw
from quizgen.errors import QuizgenError
from quizgen.model import Figure, Mistake, Part, Solution, t
from quizgen.registry import Family, per_params, register

SIDES = {"labels": ["above", "below", "on"],
         "aliases": {"上方": "above", "上": "above", "下方": "below", "下": "below", "线上": "on", "边界上": "on"}}


def _f(v) -> Fraction:
    return Fraction(str(v)) if isinstance(v, float) else Fraction(v)


def _num(q: Fraction):
    return int(q) if q.denominator == 1 else float(q)


def _g(v) -> str:
    return f"{float(v):g}"


def _pt(p) -> str:
    return f"({_g(p[0])}, {_g(p[1])})"


def line_through(p, q, r) -> list:
    """[w1, w2, b] of the line through p and q, in smallest integers, with w·r + b > 0."""
    p, q, r = [[_f(v) for v in pt] for pt in (p, q, r)]
    w = [q[1] - p[1], p[0] - q[0]]
    b = -(w[0] * p[0] + w[1] * p[1])
    coeffs = [w[0], w[1], b]
    if w[0] * r[0] + w[1] * r[1] + b < 0:
        coeffs = [-c for c in coeffs]
    den = 1
    for c in coeffs:
        den = den * c.denominator // gcd(den, c.denominator)
    ints = [int(c * den) for c in coeffs]
    g = 0
    for c in ints:
        g = gcd(g, c)
    return [c // g for c in ints]


def _linear(w, b) -> str:
    """w₁x₁ + w₂x₂ + b written as by hand: 2x_1 - x_2 + 3."""
    out = ""
    for coef, var in ((w[0], "x_1"), (w[1], "x_2"), (b, "")):
        if not coef:
            continue
        mag = "" if abs(coef) == 1 and var else _g(abs(coef))
        out += (" - " if coef < 0 else " + ") if out else ("-" if coef < 0 else "")
        out += mag + var
    return out or "0"


def _expression(m: Fraction, c: Fraction) -> str:
    """x₂ = m·x₁ + c as a student types it (and the answer parser reads it): -1/2*x1 + 3."""
    head = "" if not m else "x1" if m == 1 else "-x1" if m == -1 else f"{m}*x1"
    if not head or not c:
        return head or str(c)
    return f"{head} {'-' if c < 0 else '+'} {abs(c)}"


@register
class Boundary(Family):
    name = "perceptron.boundary"
    topic = "perceptron"
    version = 1
    title = t("The perceptron's decision boundary", "感知机的决策边界")
    summary = t("Boundary line, slope and intercept from w and b, the side and class of points; w and b from a drawn line.",
                "由 w 和 b 求决策边界、斜率与截距，判断点在哪一侧、属于哪一类；由画出的边界反求 w 和 b。")
    example = "quizgen solve perceptron.boundary --set w='[2, -1]' --set b=3 --set points='[[0, 0], [1, 6]]'"
    conventions = (
        t("Class +1 where w·x + b > 0 and −1 where w·x + b < 0; the boundary is w·x + b = 0.",
          "w·x + b > 0 处为 +1 类，w·x + b < 0 处为 −1 类；决策边界为 w·x + b = 0。"),
        t("Above and below mean larger or smaller x₂ than the line at the same x₁.",
          "“上方”“下方”指在相同 x₁ 处 x₂ 比边界上的点大或小。"),
    )
    params = (
        P.vector("w", "the weights (w1, w2), w2 not 0", (2, 2), -1000, 1000, "[2, -1]", default=None),
        P.real("b", "the bias b", -1000, 1000, "3", default=0),
        P.matrix("points", "points to place and classify", (1, 6), (2, 2), -1000, 1000, "[[0, 0], [1, 6]]",
                 default=None),
        P.matrix("through", "reverse: two points P, Q on a drawn boundary", (2, 2), (2, 2), -1000, 1000,
                 "[[0, 2], [4, 0]]", default=None),
        P.vector("positive", "reverse: a point of class +1", (2, 2), -1000, 1000, "[3, 3]", default=None),
    )

    # -------------------------------------------------------------- params
    def params_from_user(self, values: dict) -> dict:
        p = self.with_defaults(values)
        if p["through"] is not None:
            (a, b), r = p["through"], p["positive"]
            if r is None:
                raise QuizgenError("perceptron.boundary: with through=... also --set positive=[x1, x2] (a class +1 point)")
            if a == b:
                raise QuizgenError("the two points on the boundary must differ")
            w1, w2, c = line_through(a, b, r)
            if w1 * r[0] + w2 * r[1] + c == 0:
                raise QuizgenError("the class +1 point lies on the boundary itself")
            return _clean({"mode": "reverse", "through": p["through"], "positive": r,
                           "points": p["points"] or [], "w": None, "b": None})
        if p["w"] is None:
            raise QuizgenError("perceptron.boundary needs --set w=[w1, w2] (or through=... and positive=...)")
        if p["w"][1] == 0:
            raise QuizgenError("w2 = 0: the boundary x1 = const is vertical, with no slope or x2-intercept")
        return _clean({"mode": "forward", "w": p["w"], "b": p["b"], "points": p["points"] or [],
                       "through": None, "positive": None})

    def generate(self, rng, difficulty: str) -> dict:
        return redraw(lambda: self._draw(rng, difficulty), lambda p: p is not None)

    def _draw(self, rng, difficulty: str) -> dict | None:
        count = {"easy": 2, "medium": 3, "hard": 3}[difficulty]
        points = [[int(v) for v in rng.integers(-4, 5, 2)] for _ in range(count)]
        if difficulty != "easy" and rng.random() < 0.4:
            p, q = [int(v) for v in rng.integers(-3, 4, 2)], [int(v) for v in rng.integers(-3, 4, 2)]
            r = [int(v) for v in rng.integers(-4, 5, 2)]
            if p == q:
                return None
            w1, w2, b = line_through(p, q, r)
            if w1 * r[0] + w2 * r[1] + b == 0 or max(abs(w1), abs(w2), abs(b)) > 12:
                return None
            if any(w1 * x[0] + w2 * x[1] + b == 0 for x in points[:1]):
                return None
            return _clean({"mode": "reverse", "through": [p, q], "positive": r, "points": points[:1],
                           "w": None, "b": None})
        w = [int(v) for v in rng.integers(-4, 5, 2)]
        b = int(rng.integers(-6, 7))
        if w[1] == 0 or w[0] == 0 and difficulty != "easy":
            return None
        if difficulty == "easy" and w[1] < 0:
            return None
        m, c = Fraction(-w[0], w[1]), Fraction(-b, w[1])
        if m.denominator not in (1, 2, 4, 5) or c.denominator not in (1, 2, 4, 5):
            return None
        if any(w[0] * x[0] + w[1] * x[1] + b == 0 for x in points) or len({tuple(x) for x in points}) < count:
            return None
        if difficulty == "hard" and w[1] > 0:
            return None  # hard: the +1 side is below the line
        return _clean({"mode": "forward", "w": w, "b": b, "points": points, "through": None, "positive": None})

    # -------------------------------------------------------------- solve
    def boundary(self, params) -> tuple[list[Fraction], Fraction]:
        if params["mode"] == "reverse":
            w1, w2, b = line_through(params["through"][0], params["through"][1], params["positive"])
            return [Fraction(w1), Fraction(w2)], Fraction(b)
        return [_f(v) for v in params["w"]], _f(params["b"])

    @per_params
    def solve(self, params: dict) -> Solution:
        w, b = self.boundary(params)
        parts, steps = [], []
        if params["mode"] == "reverse":
            (p, q), r = params["through"], params["positive"]
            key = [_num(w[0]), _num(w[1]), _num(b)]
            parts.append(Part("a", "multiple", t("w and b as [w1, w2, b]", "以 [w1, w2, b] 的形式写出 w 和 b"), key))
            steps.append(t(f"$Q - P = ({_g(q[0] - p[0])}, {_g(q[1] - p[1])})$; w is perpendicular to it: "
                           f"$w = ({_g(w[0])}, {_g(w[1])})$ (or its negative), $b = -w\\cdot P = {_g(b)}$; "
                           f"$w\\cdot R + b = {_g(w[0] * _f(r[0]) + w[1] * _f(r[1]) + b)} > 0$ fixes the sign.",
                           f"$Q - P = ({_g(q[0] - p[0])}, {_g(q[1] - p[1])})$；w 与之垂直：$w = ({_g(w[0])}, {_g(w[1])})$"
                           f"（或其相反数），$b = -w\\cdot P = {_g(b)}$；由 $w\\cdot R + b = "
                           f"{_g(w[0] * _f(r[0]) + w[1] * _f(r[1]) + b)} > 0$ 确定符号。"))
        else:
            m, c = -w[0] / w[1], -b / w[1]
            parts += [Part("a", "expression", t("the boundary as $x_2 = \\ldots$ (an expression in x1)",
                                                "把边界写成 $x_2 = \\ldots$（关于 x1 的表达式）"), _expression(m, c)),
                      Part("b", "real", t("its slope", "斜率"), _num(m), decimals=2),
                      Part("c", "real", t("its intercept on the $x_2$ axis", "在 $x_2$ 轴上的截距"), _num(c), decimals=2)]
            steps.append(t(f"${_linear(w, b)} = 0$ gives $x_2 = {_g(m)}x_1 + {_g(c)}$: "
                           f"slope $-w_1/w_2 = {_g(m)}$, intercept $-b/w_2 = {_g(c)}$.",
                           f"由 ${_linear(w, b)} = 0$ 得 $x_2 = {_g(m)}x_1 + {_g(c)}$："
                           f"斜率 $-w_1/w_2 = {_g(m)}$，截距 $-b/w_2 = {_g(c)}$。"))
        for j, x in enumerate(params["points"]):
            x = [_f(v) for v in x]
            s = w[0] * x[0] + w[1] * x[1] + b
            side = "on" if s == 0 else "above" if (s > 0) == (w[1] > 0) else "below"
            name = f"$x^{{({j + 1})}} = {_pt(x)}$"
            if params["mode"] == "forward":
                parts.append(Part(_id(len(parts)), "label", t(f"{name}: above, below or on the boundary?",
                                                              f"{name}：在边界的上方、下方还是边界上？"), side, spec=SIDES))
            parts.append(Part(_id(len(parts)), "sign", t(f"{name}: its class", f"{name}：所属类别"),
                              (s > 0) - (s < 0)))
            steps.append(t(f"{name}: $w\\cdot x + b = {_g(s)}$, class ${'+1' if s > 0 else '-1' if s < 0 else '0'}$"
                           + (f", {side} the line (w₂ {'>' if w[1] > 0 else '<'} 0)." if params["mode"] == "forward" else "."),
                           f"{name}：$w\\cdot x + b = {_g(s)}$，类别 ${'+1' if s > 0 else '-1' if s < 0 else '0'}$"
                           + (f"，在边界{ {'above': '上方', 'below': '下方', 'on': '上'}[side]}（w₂ {'>' if w[1] > 0 else '<'} 0）。"
                              if params["mode"] == "forward" else "。")))
        return Solution(tuple(parts), tuple(steps))

    def mistakes(self, params: dict) -> list[Mistake]:
        w, b = self.boundary(params)
        out: list[Mistake] = []
        if params["mode"] == "reverse":
            p, q = params["through"]
            key = [_num(w[0]), _num(w[1]), _num(b)]
            out.append(Mistake("a", [-v for v in key], "orientation", t(
                "This is the same line with the classes swapped: the class +1 point R must give w·R + b > 0.",
                "这是同一条直线，但两类颠倒了：+1 类的点 R 应使 w·R + b > 0。")))
            d = [_f(q[0]) - _f(p[0]), _f(q[1]) - _f(p[1])]
            along = [_num(d[0]), _num(d[1]), _num(-(d[0] * _f(p[0]) + d[1] * _f(p[1])))]
            out.append(Mistake("a", along, "direction", t(
                "w is perpendicular to the boundary, not along it: use (q₂ − p₂, p₁ − q₁), not Q − P.",
                "w 垂直于决策边界，而不是沿着它：应取 (q₂ − p₂, p₁ − q₁)，而不是 Q − P。")))
            return [m for m in out if m.answer != key]
        m, c = -w[0] / w[1], -b / w[1]
        if m:
            out.append(Mistake("b", _num(-m), "slope_sign", t("The slope is −w₁/w₂: mind the sign.",
                                                              "斜率是 −w₁/w₂：注意符号。")))
        if w[0] != w[1] and w[0] != -w[1] and w[0]:
            out.append(Mistake("b", _num(-w[1] / w[0]), "slope_inverted", t(
                "The slope is −w₁/w₂ (rise in x₂ per unit of x₁), not −w₂/w₁.", "斜率是 −w₁/w₂，而不是 −w₂/w₁。")))
        if c:
            out.append(Mistake("c", _num(-c), "intercept_sign", t("The intercept is −b/w₂: mind the sign.",
                                                                  "截距是 −b/w₂：注意符号。")))
        if w[0] and w[0] != w[1] and -b / w[0] != c:
            out.append(Mistake("c", _num(-b / w[0]), "x1_intercept", t(
                "That is where the line crosses the x₁ axis (−b/w₁); the x₂ intercept is −b/w₂.",
                "这是与 x₁ 轴的交点（−b/w₁）；x₂ 轴上的截距是 −b/w₂。")))
        if w[1] < 0:
            for part in self.solve(params).parts:
                if part.kind == "label" and part.answer != "on":
                    out.append(Mistake(part.id, "below" if part.answer == "above" else "above", "above_is_positive", t(
                        "Here w₂ < 0, so the +1 side (w·x + b > 0) is below the line, not above it.",
                        "本题 w₂ < 0，所以 +1 类一侧（w·x + b > 0）在直线下方，而不是上方。")))
        return out

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        zh = lang == "zh"
        pts = "；".join if zh else "; ".join
        names = pts(f"$x^{{({j + 1})}} = {_pt(x)}$" for j, x in enumerate(params["points"]))
        rule = ("感知机在 $w\\cdot x + b > 0$ 处输出 +1，在 $w\\cdot x + b < 0$ 处输出 −1。" if zh else
                "A perceptron outputs +1 where $w\\cdot x + b > 0$ and −1 where $w\\cdot x + b < 0$.")
        if params["mode"] == "reverse":
            (p, q), r = params["through"], params["positive"]
            if zh:
                text = [rule, f"决策边界是过 $P = {_pt(p)}$ 和 $Q = {_pt(q)}$ 的直线，点 $R = {_pt(r)}$ 属于 +1 类。",
                        "(1) 写出这个感知机的 w 和 b，形式为 [w1, w2, b]；任意正数倍都算对。"]
                if params["points"]:
                    text.append(f"(2) 点 {names} 属于哪一类？")
            else:
                text = [rule, f"Its decision boundary is the line through $P = {_pt(p)}$ and $Q = {_pt(q)}$, and the point "
                              f"$R = {_pt(r)}$ is in class +1.",
                        "(1) Give this perceptron's w and b as [w1, w2, b]; any positive multiple is accepted."]
                if params["points"]:
                    text.append(f"(2) Which class is {names} in?")
            return "\n".join(text)
        w, b = params["w"], params["b"]
        given = f"$w = ({_g(w[0])}, {_g(w[1])})$" + ("，" if zh else ", ") + f"$b = {_g(b)}$"
        if zh:
            text = [f"感知机的 {given}。" + rule,
                    "(1) 把决策边界写成 $x_2 = \\ldots$（关于 x1 的表达式，如 -0.5*x1 + 2），并写出它的斜率和在 $x_2$ 轴上的截距。"]
            if params["points"]:
                text.append(f"(2) 对每个点 {names}：它在边界的上方（相同 $x_1$ 处 $x_2$ 更大）、下方还是边界上？属于哪一类？")
        else:
            text = [f"A perceptron has {given}. " + rule,
                    "(1) Write its decision boundary as $x_2 = \\ldots$ (an expression in x1, like -0.5*x1 + 2), and give "
                    "its slope and its intercept on the $x_2$ axis."]
            if params["points"]:
                text.append(f"(2) For each point {names}: is it above the boundary (larger $x_2$ at the same $x_1$), "
                            "below it, or on it? Which class is it in?")
        return "\n".join(text)

    def figures(self, params: dict) -> list:
        if params["mode"] != "reverse":
            return []
        w, b = self.boundary(params)
        (p, q), r = params["through"], params["positive"]
        pts = [[*p, "P", None], [*q, "Q", None], [*r, "R", 1]]
        pts += [[*x, f"x({j + 1})", None] for j, x in enumerate(params["points"])]
        return [Figure("points", {"points": pts, "lines": [[_num(w[0]), _num(w[1]), _num(b), "boundary"]]},
                       t("The drawn boundary through P and Q; R is in class +1", "过 P、Q 的决策边界；R 属于 +1 类"))]


def _id(index: int) -> str:
    from quizgen.model import part_id

    return part_id(index)


def _clean(p: dict) -> dict:
    fix = lambda v: _num(_f(v))  # noqa: E731
    out = dict(p)
    for key in ("points", "through"):
        if out[key] is not None:
            out[key] = [[fix(v) for v in x] for x in out[key]]
    for key in ("w", "positive"):
        if out[key] is not None:
            out[key] = [fix(v) for v in out[key]]
    if out["b"] is not None:
        out["b"] = fix(out["b"])
    return out
