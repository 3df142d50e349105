"""Forward and reverse mode on an evaluation trace (Baydin et al. 2018, Tables 2 and 3).

    primal     v_i = φ_i(operands)                        inputs v_{1-n..0} = x (Baydin's numbering)
    forward    v̇_i = Σ_j ∂φ_i/∂v_j · v̇_j,  ẋ = e_wrt       the last v̇ is ∂f/∂x_wrt
    reverse    v̄_last = 1,  v̄_j = Σ_{i uses j} v̄_i · ∂φ_i/∂v_j    down to x̄ = ∇f
    numerical  [f(x + h e) − f(x − h e)] / (2h),  error = |estimate − ∂f/∂x_wrt|
    cost       the full Jacobian of f: ℝⁿ → ℝᵐ takes n forward sweeps or m reverse sweeps

The whole table is one trace: a slip in v_i is carried into every later primal value, every
tangent and adjoint that reads it, and the error.  The trace comes from the parsed tree of
the student's own f (problems/_autodiff.py); nothing is ever evaluated as Python.
"""

from __future__ import annotations

import math
from functools import lru_cache
from types import SimpleNamespace

from problems import _autodiff as A
from quizgen import params as P
from quizgen.draw import picker, redraw
from quizgen.errors import QuizgenError
from quizgen.model import Figure, part_id, t
from quizgen.registry import Param, register
from quizgen.trace import CannotFollow, TraceFamily, Value, Work, Wrong

TEMPLATES = {
    "easy": ("x1*x2 + sin(x1)", "ln(x1) + x1*x2", "x1**2 + x1*x2", "(x1 + x2)*cos(x2)", "x1/x2 + x2**2",
             "exp(x1)*x2 + x1"),
    "medium": ("ln(x1) + x1*x2 - sin(x2)", "x1*x2 + sin(x1) - x2**2", "sqrt(x1)*(x1 + x2) + x2",
               "exp(x1 - x2) + x1*x2", "sigma(x1*x2 - x2)*x1", "cos(x1*x2) + x1/x2"),
    "hard": ("ln(x1*x2) + x1**2*x2 - cos(x2)", "(x1 + x2)*(x1 - x2) + sin(x1*x2)", "tanh(x1 - x2)*x1 + x2**2/x1",
             "exp(-x1)*sin(x2) + x1*x2", "sqrt(x1*x1 + x2*x2) + x1/x2", "ln(x1) + x1*x2 - sin(x2)"),
}
SIZES = ((1000, 1), (784, 10), (1, 100), (2, 50), (3, 1), (10, 1000), (1_000_000, 1), (5, 3), (1, 3))
DEC, FD_DEC = 3, 4
SLIPS = {
    "sub": lambda a, d: d[0] + d[1],
    "cos": lambda a, d: math.sin(a[0]) * d[0],
    "div": lambda a, d: (d[0] * a[1] + a[0] * d[1]) / a[1] ** 2 if a[1] else None,
    "mul": lambda a, d: d[0] * a[1] if d[1] else None,
}
SLIP_TEXT = {
    "sub": t("The tangent of a difference is the difference of the tangents: v̇ = ȧ − ḃ.",
             "差的切线值是切线值之差：v̇ = ȧ − ḃ。"),
    "cos": t("d(cos a) = −sin a · ȧ: the minus sign is missing.", "d(cos a) = −sin a · ȧ：漏了负号。"),
    "div": t("Quotient rule: (ȧb − aḃ)/b², with a minus sign.", "商的求导法则：(ȧb − aḃ)/b²，中间是减号。"),
    "mul": t("Product rule: v̇ = ȧ·b + a·ḃ; one term is missing.", "乘积法则：v̇ = ȧ·b + a·ḃ；漏了一项。"),
}


def _f_param(text: str) -> str:
    A.graph(text.strip())  # one-line errors for what cannot be traced
    return text.strip()


@register
class Modes(TraceFamily):
    name = "autodiff.modes"
    topic = "autodiff"
    version = 1
    title = t("Forward and reverse mode on an evaluation trace", "计算迹上的前向模式与反向模式")
    summary = t("Primal trace, forward tangents, reverse adjoints and a central difference of a small function.",
                "小函数的原始计算迹、前向切线值、反向伴随值与中心差分。")
    example = "quizgen solve autodiff.modes --set f='ln(x1) + x1*x2 - sin(x2)' --set at='[2, 5]'"
    conventions = (
        t("Inputs are numbered as in Baydin et al.: $v_{1-n}, …, v_0$ = x₁, …, xₙ, operations from $v_1$ on "
          "(--set numbering=from1 numbers the inputs $v_1, …, v_n$ instead).",
          "输入按 Baydin 等人的编号：$v_{1-n}, …, v_0$ = x₁, …, xₙ，运算从 $v_1$ 开始编号"
          "（--set numbering=from1 则把输入记为 $v_1, …, v_n$）。"),
        t("The trace computes the operands of a sum or product first, then combines them left to right; "
          "an expression that occurs twice is computed once.",
          "计算迹先算出和或积的各个运算对象，再从左到右合并；重复出现的子表达式只计算一次。"),
        t("Angles are in radians; ln is the natural logarithm.", "角度用弧度；ln 为自然对数。"),
        t("Forward mode is seeded with ẋ = e_k (ẋ_k = 1, the others 0); reverse mode with v̄ = 1 at the output.",
          "前向模式的种子为 ẋ = e_k（ẋ_k = 1，其余为 0）；反向模式在输出处取 v̄ = 1。"),
        t("Central difference: [f(x + h e_k) − f(x − h e_k)]/(2h); its error is the absolute difference from "
          "the forward-mode derivative.", "中心差分：[f(x + h e_k) − f(x − h e_k)]/(2h)；其误差为与前向模式导数之差的绝对值。"),
    )
    params = (
        Param("f", "the function of x1, x2 (up to x3): + - * / ** ln exp sin cos sqrt tanh sigma", _f_param,
              "ln(x1) + x1*x2 - sin(x2)"),
        P.vector("at", "the point (x1, x2, ...)", (1, 3), -1000, 1000, "[2, 5]"),
        P.integer("wrt", "forward mode seeds this input (k in ẋ_k = 1)", 1, 3, "1", default=1),
        P.real("h", "the central-difference step", 1e-6, 10, "0.1", default=0.1),
        P.integer("inputs", "n for the which-mode question (default: f's inputs)", 1, 10**9, "1000", default=None),
        P.integer("outputs", "m for the which-mode question", 1, 10**9, "1", default=1),
        P.choice("numbering", "how the v_i are numbered", ("baydin", "from1"), default="baydin"),
    )

    # -------------------------------------------------------------- generate
    def generate(self, rng, difficulty: str) -> dict:
        pick = picker(rng)

        def draw() -> dict:
            n, m = pick(SIZES)
            return {"f": pick(TEMPLATES[difficulty]), "at": [pick([0.5, 1, 1.5, 2, 3]), pick([-1, 0.5, 1, 2, 3, 5])],
                    "wrt": 1 if difficulty != "hard" else pick([1, 2]), "h": pick([0.1, 0.2, 0.5]),
                    "inputs": n, "outputs": m, "numbering": "baydin" if difficulty == "easy" else
                    pick(["baydin", "baydin", "from1"])}

        return redraw(draw, self._friendly)

    def _friendly(self, params: dict) -> bool:
        x = params["at"]
        if x[0] == x[1]:
            return False
        try:
            g = A.graph(params["f"])
            if any(abs(v) >= 1000 for v in A.values(g, x)):  # cheap checks before the whole trace
                return False
            key = {p.id: p.answer for p in self.solve(params).parts if p.kind == "real"}
        except (A.Undefined, CannotFollow):
            return False
        return all(abs(v) < 1000 for v in key.values())

    def params_from_user(self, values: dict) -> dict:
        params = self.with_defaults(values)
        g = A.graph(params["f"])
        if len(params["at"]) != g.n:
            raise QuizgenError(f"at: f has {g.n} inputs, so give {g.n} numbers, got {len(params['at'])}")
        if params["wrt"] > g.n:
            raise QuizgenError(f"wrt: f has {g.n} inputs, got {params['wrt']}")
        if params["inputs"] is None:
            params["inputs"] = g.n
        at, k, h = [float(x) for x in params["at"]], params["wrt"] - 1, params["h"]
        point = lambda p: "(" + ", ".join(A.short(x) for x in p) + ")"  # noqa: E731
        try:
            A.slope(g, at, k)  # every value and local derivative at the point
        except A.Undefined as exc:
            raise QuizgenError(f"f cannot be traced at {point(at)}: {exc}") from None
        for sign in (1, -1):
            moved = [x + sign * h if j == k else x for j, x in enumerate(at)]
            try:
                A.f_at(g, moved)
            except A.Undefined as exc:
                raise QuizgenError(f"f is undefined at x ± h = {point(moved)}: {exc}; choose a smaller h") from None
        self.solve(params)
        return params

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        g = A.graph(params["f"])
        n, k, wrt = g.n, len(g.ops), params["wrt"] - 1
        L, given = _labels(params["f"], params["numbering"]), params.get("given", {})
        vals = [float(x) for x in params["at"]]
        for i, op in enumerate(g.ops):
            v = _step(lambda: A.apply(op.op, A.operands(op, vals)))
            v = given.get(str(i), v)
            yield Work(t(f"${L.names[n + i]} = {L.formulas[i]} = {A.formula(op, A.numbers(vals))} = {A.short(v)}$"))
            vals.append((yield from _ask(Value("real", L.primal[i], v, decimals=DEC, step=i + 1, column="v",
                                               wrong=_primal_slips(op, vals)))))
        dots = [1.0 if j == wrt else 0.0 for j in range(n)]
        other = [1.0 if j == (1 if wrt == 0 else 0) else 0.0 for j in range(n)] if n > 1 else None
        swapped = _seed_text(wrt)
        for i, op in enumerate(g.ops):
            grads = _step(lambda: A.partials(op.op, A.operands(op, vals)))
            dot = _step(lambda: A._checked(_dot(op, grads, dots)))
            numbers = _combine([(A.short(grads[a]), A.signed(dots[j])) for a, j in L.var_args[i]])
            yield Work(t(f"${L.dots[n + i]} = {L.tangent_lines[i]} = {numbers} = {A.short(dot)}$"))
            wrong = [Wrong(s, tag, SLIP_TEXT[tag]) for s, tag in _tangent_slips(op, vals, dots)]
            if other is not None:
                other.append(_step(lambda: A._checked(_dot(op, grads, other))))
                wrong.append(Wrong(other[-1], "seed_swapped", swapped))
            dots.append((yield from _ask(Value("real", L.tangent[i], dot, decimals=DEC, step=i + 1, column="v̇",
                                               wrong=tuple(wrong)))))
        bars = {n + k - 1: 1.0}
        for j in [*range(n + k - 2, n - 1, -1), *range(n)]:
            terms = [(bars[n + i], _step(lambda: A.partials(g.ops[i].op, A.operands(g.ops[i], vals)))[a])
                     for i, a in L.consumers[j]]
            bar = sum(b * p for b, p in terms)
            numbers = _combine([(A.short(p), A.signed(b)) for b, p in terms])
            middle = "" if numbers in (A.short(bar), A.signed(bar)) else f" = {numbers}"
            yield Work(t(f"${L.bars[j]} = {L.adjoint_lines[j]}{middle} = {A.short(bar)}$"))
            wrong = tuple(Wrong(b * p, "one_path", ONE_PATH) for b, p in terms) if len(terms) > 1 else ()
            bars[j] = yield from _ask(Value("real", L.adjoint[j], bar, decimals=DEC, column="v̄",
                                            step=j - n + 1 if j >= n else k + j + 1, wrong=wrong))
        yield from self._numerical(params, g)
        yield from self._cost(params)

    def _numerical(self, params: dict, g: A.Graph):
        h, k = params["h"], params["wrt"] - 1
        at = [float(x) for x in params["at"]]
        derivative = _step(lambda: A.slope(g, at, k))
        up, down = ([x + s * h if j == k else x for j, x in enumerate(at)] for s in (1, -1))
        fu, fd, f0 = (_step(lambda: A.f_at(g, p)) for p in (up, down, at))
        estimate = (fu - fd) / (2 * h)
        point = lambda p: ", ".join(A.short(x) for x in p)  # noqa: E731
        line = (f"$[f({point(up)}) - f({point(down)})]/(2 \\cdot {A.short(h)}) = "
                f"({A.short(fu)} - {A.signed(fd)})/{A.short(2 * h)} = {estimate:.{FD_DEC}f}$")
        yield Work(t(f"{line} (only $x_{k + 1}$ moves)", f"{line}（只改变 $x_{k + 1}$）"))
        estimate = yield from _ask(Value("real", t(f"central difference estimate of $\\partial f/\\partial x_{k + 1}$, h = {A.short(h)}",
                                         f"中心差分对 $\\partial f/\\partial x_{k + 1}$ 的估计（h = {A.short(h)}）"),
                               estimate, decimals=FD_DEC, wrong=(
            Wrong((fu - f0) / h, "forward_difference", t("That is the forward difference [f(x+h) − f(x)]/h.",
                                                         "这是前向差分 [f(x+h) − f(x)]/h。")),
            Wrong((fu - fd) / h, "one_h", t("Divide by 2h: the two points are 2h apart.", "应除以 2h：两点相距 2h。")))))
        error = abs(estimate - derivative)
        yield Work(t(f"$|{estimate:.{FD_DEC}f} - {A.short(derivative)}| = {error:.{FD_DEC}f}$: the error of the "
                     "central difference shrinks like h²; forward and reverse mode are exact up to rounding.",
                     f"$|{estimate:.{FD_DEC}f} - {A.short(derivative)}| = {error:.{FD_DEC}f}$：中心差分的误差随 h² 减小；"
                     "前向与反向模式除舍入外是精确的。"))
        yield Value("real", t("its absolute error against the exact derivative (the forward-mode value)",
                              "它相对精确导数（前向模式的结果）的绝对误差"),
                    error, decimals=FD_DEC, wrong=(Wrong(estimate - derivative, "signed", t(
                        "The error asked for is the absolute value |estimate − derivative|.",
                        "所求误差是绝对值 |估计值 − 导数|。")),))

    def _cost(self, params: dict):
        n, m = params["inputs"], params["outputs"]
        key = ["a"] if n < m else ["b"] if n > m else ["a", "b"]
        yield Work(t(f"A forward sweep gives one column of the {m}×{n} Jacobian, a reverse sweep one row: "
                     f"forward mode needs n = {n} sweeps, reverse mode m = {m}; "
                     f"{'forward mode is cheaper' if n < m else 'reverse mode is cheaper' if n > m else 'they tie'}.",
                     f"一次前向扫描得到 {m}×{n} 雅可比矩阵的一列，一次反向扫描得到一行：前向模式需要 n = {n} 次，"
                     f"反向模式需要 m = {m} 次；{'前向模式更省' if n < m else '反向模式更省' if n > m else '两者相同'}。"))
        why = t("A forward sweep gives the derivatives of all outputs with respect to one input (a column); "
                "a reverse sweep those of one output with respect to all inputs (a row).",
                "一次前向扫描给出所有输出对一个输入的导数（一列）；一次反向扫描给出一个输出对所有输入的导数（一行）。")
        yield Value("choice", t(f"A function with n = {n} inputs and m = {m} outputs: which mode gets its full Jacobian with "
                                "fewer sweeps, and why? (select all that apply)",
                                f"一个有 n = {n} 个输入、m = {m} 个输出的函数：哪种模式用更少的扫描次数求出完整的雅可比矩阵？为什么？（多选）"),
                    key, trace=False, choices=(
            t("forward mode: one forward sweep per input, n in all", "前向模式：每个输入一次前向扫描，共 n 次"),
            t("reverse mode: one reverse sweep per output, m in all", "反向模式：每个输出一次反向扫描，共 m 次"),
            t("forward mode: one forward sweep per output, m in all", "前向模式：每个输出一次前向扫描，共 m 次"),
            t("reverse mode: one reverse sweep per input, n in all", "反向模式：每个输入一次反向扫描，共 n 次")),
            wrong=(Wrong(["c"] if n < m else ["d"], "sweep_count", why),
                   Wrong(["b"] if n < m else ["a"], "other_mode", why)) if n != m else ())

    def resume(self, params: dict, part_id_: str, value):
        """From a slipped primal value v_i: the same problem with v_i given (a straight-through
        override in the torch reference: the value replaced, its local derivatives kept)."""
        k = len(A.graph(params["f"]).ops)
        ids = [part_id(i) for i in range(2 * k + A.graph(params["f"]).n + k - 1 + 3)]
        if part_id_ not in ids[:k]:
            return None
        index = ids.index(part_id_)
        given = {**params.get("given", {}), str(index): value}
        return {**params, "given": given}, {pid: pid for pid in ids[index + 1:]}

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        g = A.graph(params["f"])
        n, style, k = g.n, params["numbering"], params["wrt"]
        L = _labels(params["f"], style)
        xs = ", ".join(f"x_{j + 1}" for j in range(n))
        at = ", ".join(A.short(float(x)) for x in params["at"])
        inputs = ", ".join(f"${A.name(j, n, style)} = x_{j + 1}$" for j in range(n))
        ops = [f"- ${L.names[n + i]} = {L.formulas[i]}$" for i in range(len(g.ops))]
        last, seed = A.name(n + len(g.ops) - 1, n, style), ", ".join(
            f"$\\dot x_{j + 1} = {1 if j + 1 == k else 0}$" for j in range(n))
        numbering = {"baydin": ("numbered as in Baydin et al.", "按 Baydin 等人的方式编号"),
                     "from1": ("numbered from 1", "从 1 开始编号")}[style]
        nm = f"$n = {params['inputs']}$", f"$m = {params['outputs']}$"
        if lang == "zh":
            return "\n".join([
                f"设 $f({xs}) = {A.latex(g.tree)}$，在 $({xs}) = ({at})$ 处求值。它的计算迹（输入 {inputs}，{numbering[1]}）为：",
                "", *ops, "", f"且 $f = {last}$。角度用弧度。",
                "1. 原始计算迹：算出每个 $v_i$。",
                f"2. 前向模式：取种子 {seed}，算出每个切线值 $\\dot v_i = \\partial v_i/\\partial x_{k}$；最后一个即 "
                f"$\\partial f/\\partial x_{k}$。",
                f"3. 反向模式：取 ${A.name(n + len(g.ops) - 1, n, style, 'bar')} = 1$，倒序算出伴随值 "
                f"$\\bar v_i = \\partial f/\\partial v_i$，直到输入的 $\\bar x_j = \\partial f/\\partial x_j$。"
                "一个变量被多个运算使用时，把所有贡献相加。",
                f"4. 用中心差分 $[f(x + h e_{k}) - f(x - h e_{k})]/(2h)$（$h = {A.short(params['h'])}$）估计 "
                f"$\\partial f/\\partial x_{k}$，并给出它相对精确导数（前向模式结果）的绝对误差。",
                f"5. 一个有 {nm[0]} 个输入、{nm[1]} 个输出的函数：哪种模式求完整雅可比矩阵更省？",
                "中间步骤请保留计算器的全部精度。"])
        return "\n".join([
            f"Let $f({xs}) = {A.latex(g.tree)}$, evaluated at $({xs}) = ({at})$. Its evaluation trace "
            f"(inputs {inputs}, {numbering[0]}) is:", "", *ops, "", f"and $f = {last}$. Angles are in radians.",
            "1. Primal trace: compute every $v_i$.",
            f"2. Forward mode: seed {seed} and compute every tangent $\\dot v_i = \\partial v_i/\\partial x_{k}$; "
            f"the last one is $\\partial f/\\partial x_{k}$.",
            f"3. Reverse mode: seed ${A.name(n + len(g.ops) - 1, n, style, 'bar')} = 1$ and compute the adjoints "
            f"$\\bar v_i = \\partial f/\\partial v_i$ backwards, down to $\\bar x_j = \\partial f/\\partial x_j$. "
            "A variable used by several operations sums the contributions of all of them.",
            f"4. Estimate $\\partial f/\\partial x_{k}$ by the central difference $[f(x + h e_{k}) - f(x - h e_{k})]/(2h)$ "
            f"with $h = {A.short(params['h'])}$, and give its absolute error against the exact derivative (forward mode's).",
            f"5. A function with {nm[0]} inputs and {nm[1]} outputs: which mode gets its full Jacobian more cheaply?",
            "Keep full calculator precision in intermediate steps."])

    def figures(self, params: dict) -> list:
        g = A.graph(params["f"])
        return [Figure("graph", A.layout(g, params["numbering"]),
                       t("Computation graph: inputs on the left, each operation to the right of its operands",
                         "计算图：输入在左，每个运算位于其运算对象的右侧"))]


# ---------------------------------------------------------------- step helpers

ONE_PATH = t("The variable feeds several operations: its adjoint sums the contributions of all of them.",
             "该变量被多个运算使用：它的伴随值是所有这些贡献之和。")


@lru_cache(maxsize=64)
def _seed_text(wrt: int):
    other = 2 if wrt == 0 else 1
    return t(f"These are the tangents for the other seed (ẋ_{other} = 1): seed ẋ_{wrt + 1} = 1.",
             f"这是另一组种子（ẋ_{other} = 1）的切线值：应取 ẋ_{wrt + 1} = 1。")


@lru_cache(maxsize=256)
def _labels(f: str, style: str) -> SimpleNamespace:
    """Everything of the trace that depends on f and the numbering only (names, formulas,
    prompts), built once per function."""
    g = A.graph(f)
    n, k = g.n, len(g.ops)
    sym = A.symbols(n, style)
    names = [A.name(j, n, style) for j in range(n + k)]
    dots = [A.name(j, n, style, "dot") for j in range(n + k)]
    bars = [A.name(j, n, style, "bar") for j in range(n + k)]
    formulas = [A.formula(op, sym) for op in g.ops]
    var_args = [[(a, j) for a, (kind, j) in enumerate(op.args) if kind == "v"] for op in g.ops]
    consumers = [g.consumers(j) for j in range(n + k)]
    return SimpleNamespace(
        names=names, dots=dots, bars=bars, formulas=formulas, var_args=var_args, consumers=consumers,
        primal=[t(f"primal ${names[n + i]} = {formulas[i]}$", f"原始值 ${names[n + i]} = {formulas[i]}$")
                for i in range(k)],
        tangent=[t(f"tangent ${dots[n + i]}$", f"切线值 ${dots[n + i]}$") for i in range(k)],
        tangent_lines=[_combine([(A.partial_formula(op, a, sym), dots[j]) for a, j in var_args[i]])
                       for i, op in enumerate(g.ops)],
        adjoint_lines=[_combine([(A.partial_formula(g.ops[i], a, sym), bars[n + i]) for i, a in consumers[j]])
                       for j in range(n + k)],
        adjoint=[t(f"adjoint ${bars[j]}$" + (f" $= \\bar x_{j + 1}$" if j < n else ""),
                   f"伴随值 ${bars[j]}$" + (f" $= \\bar x_{j + 1}$" if j < n else "")) for j in range(n + k)],
    )


def _dot(op: A.Op, grads: list[float], dots: list[float]) -> float:
    return sum(grads[a] * dots[j] for a, (kind, j) in enumerate(op.args) if kind == "v")

def _ask(item: Value):
    """Yield a part; continue from the student's value only where it differs from the value
    recomputed here by more than the tolerance (a right answer carries no rounding)."""
    reply = yield item
    return item.value if abs(reply - item.value) <= 10.0 ** -item.decimals + 1e-12 else reply


def _step(fn):
    """A step undefined on a student's values (ln of their negative v_i) cannot follow."""
    try:
        return fn()
    except A.Undefined:
        raise CannotFollow from None


def _combine(terms: list[tuple[str, str]]) -> str:
    """Σ factor·symbol as written by hand: 1·a is a, −1·a is −a, 5·1 + 2·0 stays."""
    out = ""
    for factor, symbol in terms:
        negative = factor.startswith("-") and " " not in factor
        factor = factor[1:] if negative else factor
        text = symbol if factor == "1" else f"{factor} \\cdot {symbol}" if " " not in factor or "/" in factor \
            else f"({factor}) \\cdot {symbol}"
        out += (" - " if negative else " + ") + text if out else ("-" if negative else "") + text
    return out or "0"


def _tangent_slips(op: A.Op, vals: list[float], dots: list[float]) -> list[tuple[float, str]]:
    if op.op not in SLIPS or not all(kind == "v" for kind, _ in op.args):
        return []
    a, d = A.operands(op, vals), [dots[i] for _, i in op.args]
    slip = SLIPS[op.op](a, d)
    return [] if slip is None else [(slip, op.op)]


def _primal_slips(op: A.Op, vals: list[float]) -> tuple[Wrong, ...]:
    a = A.operands(op, vals)
    if op.op in ("sin", "cos"):
        deg = (math.sin if op.op == "sin" else math.cos)(math.radians(a[0]))
        return (Wrong(deg, "degrees", t("Angles are in radians: set the calculator to RAD.",
                                         "角度用弧度：请把计算器设为 RAD 模式。")),)
    if op.op == "ln" and a[0] > 0:
        return (Wrong(math.log10(a[0]), "log10", t("ln is the natural logarithm (base e), not log₁₀.",
                                                   "ln 是以 e 为底的自然对数，不是 log₁₀。")),)
    return ()
