"""k steps of one optimizer by hand: the gradient, every accumulator and the new weights.

    easy    a given sequence of gradients g₁, g₂, …
    medium  a quadratic f(w) = Σ aᵢ(wᵢ − cᵢ)², differentiated at each step: g = 2a ⊙ (w − c)
    hard    linear regression ŷ = w·x + b on 2–4 points, g = ∇ MSE = (2/n) Σ rₙ [xₙ, 1]

The optimizers and their forms (SGD; momentum in the PyTorch, Keras and moving-average forms;
Nesterov in the PyTorch, Keras and look-ahead forms; AdaGrad; RMSProp; Adam; AdamW), ε inside
or outside the root, and coupled or decoupled weight decay are written out in problems/_optim.py.
Every convention is a `--set` option and is stated in the problem.  One trace: a slip in a
step is carried forward into the later steps.  An answer within the tolerance continues as the
exact value, so a student's rounding is never amplified (m/(1−β₂ᵗ) multiplies it by up to 1000).
"""

from __future__ import annotations

from problems import _optim as O
from problems import _optim_text as T
from problems._optim_mistakes import step_mistakes
from quizgen import params as P
from quizgen.draw import picker
from quizgen.errors import FormatError, QuizgenError
from quizgen.model import t
from quizgen.registry import Param, register
from quizgen.trace import CannotFollow, TraceFamily, Value, Work, Wrong

DECIMALS = 4
HYPER = {"sgd": (), "momentum": ("momentum",), "nesterov": ("momentum",), "adagrad": ("eps", "init"),
         "rmsprop": ("rho", "eps"), "adam": ("beta1", "beta2", "eps"), "adamw": ("beta1", "beta2", "eps")}
SYMBOL = {"momentum": "\\mu", "dampening": "\\tau", "rho": "\\rho", "beta1": "\\beta_1", "beta2": "\\beta_2",
          "eps": "\\epsilon", "init": "s_0", "weight_decay": "\\lambda"}


def _grads(text: str):
    from quizgen.parse import parse_matrix, parse_vector

    try:
        return parse_matrix(text) if text.strip().startswith("[[") or ";" in text else parse_vector(text)
    except FormatError as exc:
        raise QuizgenError(f"grads: {exc}") from None


def _values(params: dict) -> list[dict]:
    """Every step's g, accumulators and w without the trace's texts and mistakes (for redraws)."""
    w, state = list(params["w0"]), O.initial_state(params, len(params["w0"]))
    rows = []
    for k in range(1, params["steps"] + 1):
        at = O.vmap(lambda x, v: x + params["momentum"] * v, w, state["v"]) if params.get("form") == "lookahead" else w
        e = O.run_step(params, state, w, O.gradient(params, at, k), k)
        rows.append({name: e[name] for name in ("g", "w_new", *(q.name for q in O.chain(params)))})
        state = {q.name: e[q.name] for q in O.chain(params) if q.state}
        w = e["w_new"]
    return rows


@register
class OptimSteps(TraceFamily):
    name = "optim.steps"
    topic = "optim"
    version = 1
    title = t("Optimizer steps by hand", "手算优化器的迭代")
    summary = t("k steps of SGD, momentum, Nesterov, AdaGrad, RMSProp, Adam or AdamW: gradient, accumulators, w.",
                "SGD、动量、Nesterov、AdaGrad、RMSProp、Adam 或 AdamW 的 k 步迭代：梯度、累积量与 w。")
    example = "quizgen solve optim.steps --set optimizer=adam --set lr=0.1 --set 'grads=[[1, -2], [0.5, 1]]' --set 'w0=[1, 1]'"
    conventions = T.CONVENTIONS
    params = (
        P.choice("optimizer", "the optimizer", O.OPTIMIZERS, example="adam"),
        P.real("lr", "learning rate η", 0, 100, "0.1"),
        P.vector("w0", "starting weights ([w, b] for data)", (1, 4), -1000, 1000, "[1, 1]"),
        Param("grads", "given gradients, one row per step ([[1, 2], [0, 1]]; a plain list for 1-d)", _grads,
              "[[1, -2], [0.5, 1]]", default=None),
        P.vector("quad", "coefficients a of f(w) = Σ aᵢ(wᵢ − cᵢ)²", (1, 4), -100, 100, "[0.1, 2]", default=None),
        P.vector("center", "centre c of the quadratic (default 0)", (1, 4), -100, 100, "[0, 0]", default=None),
        P.matrix("data", "points for ŷ = w·x + b, one [x, y] row each", (1, 8), (2, 2), -100, 100,
                 "[[1, 2], [2, 3]]", default=None),
        P.choice("loss", "data loss: mse = (1/n)Σ(ŷ−y)², half = ½ of it", ("mse", "half"), default="mse"),
        P.integer("steps", "number of steps (default: every given gradient, else 3)", 1, 20, "2", default=None),
        P.choice("form", "momentum form: pytorch, keras (classical) or ema (moving average); Nesterov: pytorch, "
                 "keras or lookahead", ("pytorch", "keras", "ema", "lookahead"), default="pytorch"),
        P.real("momentum", "μ (β in the ema form)", 0, 0.9999, "0.9", default=0.9),
        P.real("dampening", "τ, PyTorch momentum form only", 0, 0.9999, "0", default=0.0),
        P.real("rho", "RMSProp decay ρ (alpha in PyTorch)", 0, 0.9999, "0.99", default=0.99),
        P.real("beta1", "Adam β₁", 0, 0.9999, "0.9", default=0.9),
        P.real("beta2", "Adam β₂", 0, 0.9999, "0.999", default=0.999),
        P.real("eps", "ε (default PyTorch's: 1e-10 AdaGrad, 1e-8 otherwise)", 0, 10, "1e-8", default=None),
        P.choice("eps_at", "where ε sits: outside √s + ε (PyTorch), inside √(s + ε) (Keras RMSprop/Adagrad), "
                 "hat (Keras Adam's ε̂)", ("outside", "inside", "hat"), default=None),
        P.boolean("eps_inside", "shorthand for eps_at=inside", default=None),
        P.real("init", "AdaGrad's initial accumulator s₀ (PyTorch 0, Keras 0.1)", 0, 100, "0", default=0.0),
        P.real("weight_decay", "weight decay λ (AdamW default 0.01)", 0, 10, "0", default=None),
        P.choice("decay", "weight decay coupled (L2 in the gradient) or decoupled (AdamW)",
                 ("coupled", "decoupled"), default=None),
    )

    # -------------------------------------------------------------- generate
    @staticmethod
    def _draw(rng, difficulty: str) -> dict:
        pick = picker(rng)
        opt = pick(O.OPTIMIZERS)
        d = 2 if difficulty == "hard" else pick([1, 2])
        p: dict = {"optimizer": opt}
        if difficulty == "easy":
            p["grads"] = [[pick([-3, -2, -1, -0.5, 0.5, 1, 2, 3]) for _ in range(d)] for _ in range(2)]
            p["w0"] = [float(pick([-2, -1, 0, 1, 2, 3])) for _ in range(d)]
        elif difficulty == "medium":
            p["quad"] = [pick([0.5, 1, 2]) for _ in range(d)] if d == 1 else [pick([0.1, 0.25, 0.5]), pick([1, 2])]
            if rng.random() < 0.3:
                p["center"] = [float(pick([-1, 1, 2])) for _ in range(d)]
            p["w0"] = [float(pick([-3, -2, -1, 1, 2, 3])) for _ in range(d)]
        else:
            n = int(rng.integers(2, 5))
            xs = sorted(float(x) for x in rng.choice([-1, 0, 1, 2, 3], n, replace=False))
            p["data"] = [[x, float(pick([-1, 0, 1, 2, 3, 4]))] for x in xs]
            p["w0"] = [float(pick([0, 1, -1])), float(pick([0, 1]))]
        p["steps"] = 3 if difficulty == "medium" and opt in ("sgd", "momentum") else 2
        if opt in O.FORMS:
            p["form"] = pick(O.FORMS[opt] if difficulty != "easy" else O.FORMS[opt][:2])
            p["momentum"] = pick([0.9, 0.5, 0.8])
            if p["form"] == "pytorch" and opt == "momentum" and rng.random() < 0.3:
                p["dampening"] = pick([0.1, 0.5])
        lr = {"sgd": [0.1, 0.2, 0.25], "momentum": [0.1, 0.2], "nesterov": [0.1, 0.2], "adagrad": [0.1, 0.5, 1.0],
              "rmsprop": [0.01, 0.1], "adam": [0.1, 0.01, 0.05], "adamw": [0.1, 0.01, 0.05]}[opt]
        p["lr"] = pick(lr)
        if opt == "rmsprop":
            p["rho"] = pick([0.9, 0.99, 0.5])
        if opt in ("adam", "adamw"):
            p["beta1"], p["beta2"] = pick([0.9, 0.8]), pick([0.999, 0.99, 0.9])
        if opt in O.ADAPTIVE:
            p["eps"] = pick([1e-8, 1e-8, 0.01, 0.1])
            p["eps_at"] = pick(["outside", "inside", "hat"] if opt in ("adam", "adamw") else ["outside", "inside"])
        if opt == "adagrad":
            p["init"] = pick([0.0, 0.0, 0.1, 1.0])
        if opt == "adamw" or rng.random() < 0.25:
            p["weight_decay"] = pick([0.1, 0.01] if opt != "adamw" else [0.01, 0.1])
            lookahead = p.get("form") == "lookahead"
            p["decay"] = "decoupled" if opt == "adamw" else "coupled" if lookahead else pick(["coupled", "decoupled"])
        return p

    @staticmethod
    def _friendly(p: dict) -> bool:
        """Hand-sized values everywhere, and no gradient component near 0 (Adam's m/√v is then
        a ratio of tiny numbers)."""
        try:
            rows = _values(p)
        except (ValueError, ZeroDivisionError, OverflowError):
            return False
        if any(abs(x) > 50 for row in rows for v in row.values() for x in v):
            return False
        return all(abs(x) >= 0.05 for row in rows for x in row["g"])

    # -------------------------------------------------------------- build from user values
    def params_from_user(self, values: dict) -> dict:
        from quizgen.trace import run_trace

        v = self.with_defaults(values)
        opt, w0 = v["optimizer"], list(v["w0"])
        objectives = [k for k in ("grads", "quad", "data") if v[k] is not None]
        if len(objectives) != 1:
            raise QuizgenError("optim.steps needs exactly one objective: --set grads=..., quad=... or data=...")
        p: dict = {"optimizer": opt, "lr": v["lr"], "w0": w0}
        d = len(w0)
        if v["grads"] is not None:
            g = v["grads"]
            rows = g if isinstance(g[0], list) else [[x] for x in g] if d == 1 else [g]
            if any(len(r) != d for r in rows):
                raise QuizgenError(f"grads: each step's gradient needs {d} numbers, like w0")
            p["grads"] = rows
        elif v["quad"] is not None:
            p["quad"] = v["quad"]
            if v["center"] is not None:
                p["center"] = v["center"]
            if len(p["quad"]) != d or len(p.get("center", w0)) != d:
                raise QuizgenError(f"quad and center need {d} numbers, like w0")
        else:
            p["data"], p["loss"] = v["data"], v["loss"]
            if d != 2:
                raise QuizgenError("with data, w0 is [w, b] (two numbers)")
        steps = v["steps"] or (len(p["grads"]) if "grads" in p else 3)
        if "grads" in p and steps > len(p["grads"]):
            raise QuizgenError(f"steps: only {len(p['grads'])} gradients given")
        p["steps"] = steps
        self._hyper_from_user(p, v, values)
        try:
            parts = run_trace(self, p).parts
        except (ValueError, ZeroDivisionError, OverflowError, CannotFollow):
            raise QuizgenError("these values divide by zero or overflow (ε = 0 with a zero gradient?)") from None
        if any(abs(x) > 1e9 for part in parts for x in (part.answer if isinstance(part.answer, list) else [part.answer])):
            raise QuizgenError("the weights blow up with these values; use a smaller learning rate or fewer steps")
        return p

    @staticmethod
    def _hyper_from_user(p: dict, v: dict, given: dict) -> None:
        opt, form = p["optimizer"], v["form"]
        if form != "pytorch" and form not in O.FORMS.get(opt, ()):
            raise QuizgenError(f"form={form} is not a form of {opt}; forms: momentum {'/'.join(O.FORMS['momentum'])}, "
                               f"nesterov {'/'.join(O.FORMS['nesterov'])}")
        if opt in O.FORMS:
            p["form"], p["momentum"] = form, v["momentum"]
            if v["dampening"]:
                if opt == "nesterov" or form != "pytorch":
                    raise QuizgenError("dampening belongs to PyTorch's momentum form (PyTorch's Nesterov needs zero dampening)")
                p["dampening"] = v["dampening"]
        for name in HYPER[opt]:
            if name != "eps":
                p[name] = v[name]
        if opt in O.ADAPTIVE:
            p["eps"] = O.DEFAULT_EPS[opt] if v["eps"] is None else v["eps"]
            at = v["eps_at"] or ("inside" if v["eps_inside"] else "outside")
            if v["eps_inside"] is not None and v["eps_at"] is not None and (at == "inside") != v["eps_inside"]:
                raise QuizgenError("eps_inside and eps_at disagree; give one of them")
            if at == "hat" and opt not in ("adam", "adamw"):
                raise QuizgenError("eps_at=hat is Keras' Adam form; use outside or inside for " + opt)
            p["eps_at"] = at
        lam = v["weight_decay"] if v["weight_decay"] is not None else (0.01 if opt == "adamw" else 0.0)
        decay = v["decay"] or ("decoupled" if opt == "adamw" else "coupled")
        if opt == "adamw" and decay == "coupled":
            raise QuizgenError("AdamW's weight decay is decoupled; for coupled L2 use optimizer=adam")
        if lam and decay == "decoupled" and p.get("form") == "lookahead":
            raise QuizgenError("the look-ahead Nesterov form takes coupled weight decay only")
        if lam:
            p["weight_decay"], p["decay"] = lam, decay

    # -------------------------------------------------------------- trace
    def trace(self, params: dict):
        d, w = len(params["w0"]), list(params["w0"])
        state, t0 = O.initial_state(params, d), (params.get("state") or {}).get("t", 0)
        quantities = O.chain(params)
        for k in range(1, params["steps"] + 1):
            tt = t0 + k
            e = {"w": w, "t": tt, "k": k, **{f"{n}0": s for n, s in state.items()}}
            yield Work(t(f"Step {tt}:", f"第 {tt} 步："))
            at = w
            if params.get("form") == "lookahead":
                look = O.vmap(lambda x, v: x + params["momentum"] * v, w, e["v0"])
                yield Work(t(f"$\\tilde{{w}}_{{{tt}}} = w_{{{tt - 1}}} + {O.num(params['momentum'])}\\,v_{{{tt - 1}}} = {O.vec(look)}$"))
                at = e["look"] = yield from self._ask(params, e, "look", look, "\\tilde{w}", t("look-ahead point", "前瞻点"))
            g = O.gradient(params, at, k)
            if O.has_gradient_part(params):
                yield Work(self._gradient_work(params, at, k, tt, g))
                g = yield from self._ask(params, e, "g", g, "g", t("gradient", "梯度"))
            e["g"] = g
            for q in quantities:
                try:
                    value = q.rule(params, e)
                except (ValueError, ZeroDivisionError):
                    raise CannotFollow from None
                tex = f"g_{{{tt}}}" if q.name == "b" and e["b0"] is None else q.tex(params, tt)
                shown = O.vec(value, O.decimals(params, q.name, value, tt, DECIMALS))
                yield Work(t(f"${q.symbol}_{{{tt}}} = {tex} = {shown}$"))
                e[q.name] = yield from self._ask(params, e, q.name, value, q.symbol, t(q.en, q.zh), q.scalar)
            try:
                w_new = O.new_w(params, e)
            except (ValueError, ZeroDivisionError):
                raise CannotFollow from None
            yield Work(t(f"$w_{{{tt}}} = {T.w_tex(params, tt)} = {O.vec(w_new)}$"))
            w = yield from self._ask(params, e, "w", w_new, "w", t("weights", "权重"))
            state = {q.name: e[q.name] for q in quantities if q.state}

    def _ask(self, params: dict, e: dict, name: str, value: list[float], symbol: str, words, scalar: bool = False):
        real = len(value) == 1
        wrong = tuple(Wrong(v[0] if real else v, tag, text) for v, tag, text in step_mistakes(params, name, e, value))
        dec = O.decimals(params, name, value, e["t"], DECIMALS)
        more_en, more_zh = (f", to {dec} decimals", f"，保留 {dec} 位小数") if dec != DECIMALS else ("", "")
        prompt = t(f"${symbol}_{{{e['t']}}}$ ({words.en}{more_en}) at step {e['t']}",
                   f"第 {e['t']} 步的 ${symbol}_{{{e['t']}}}$（{words.zh}{more_zh}）")
        got = yield Value("real" if real else "vector", prompt, value[0] if real else value, decimals=dec,
                          step=e["k"], column=name, wrong=wrong)
        got = [float(got)] if real else [float(x) for x in got]
        if all(abs(a - b) <= 10.0 ** -dec + 1e-12 for a, b in zip(got, value)):
            return value  # within the tolerance: continue exactly, so rounding is never carried forward
        return got

    @staticmethod
    def _gradient_work(params: dict, at: list[float], k: int, tt: int, g: list[float]) -> t:
        kind, point = O.objective(params), "\\tilde{w}" if params.get("form") == "lookahead" else "w"
        prev = f"{point}_{{{tt}}}" if point != "w" else f"w_{{{tt - 1}}}"
        decay = f" + {O.num(params['weight_decay'])}\\,{prev}" if O.coupled(params) else ""
        if kind == "quad":
            c = params.get("center")
            shift = f" - {O.vec(c)}" if c and any(c) else ""
            a = O.vec([2 * x for x in params["quad"]])
            op = "\\cdot" if len(at) == 1 else "\\odot"
            wrap = (lambda x: f"({x}{shift})") if shift else (lambda x: x)
            decay_num = f" + {O.num(params['weight_decay'])} {op} {O.vec(at)}" if decay else ""
            return t(f"$g_{{{tt}}} = {a} {op} {wrap(prev)}{decay} = {a} {op} {wrap(O.vec(at))}{decay_num} = {O.vec(g)}$")
        if kind == "data":
            r = O.vec([at[0] * x + at[1] - y for x, y in params["data"]])
            c = "\\frac{1}{n}" if params.get("loss") == "half" else "\\frac{2}{n}"
            rule = f"$g_{{{tt}}} = {c}[\\sum r x, \\sum r]{decay} = {O.vec(g)}$"
            return t(f"Residuals $r = \\hat{{y}} - y = {r}$; {rule}", f"残差 $r = \\hat{{y}} - y = {r}$；{rule}")
        return t(f"$g_{{{tt}}} = g_{{{tt}}}^{{given}}{decay} = {O.vec(g)}$")

    def resume(self, params: dict, part_id_: str, value):
        """Restart from a perturbed w at the end of a step (with that step's accumulators)."""
        from quizgen.model import part_id
        from quizgen.trace import run_trace

        run = run_trace(self, params)
        ids = [p.id for p in run.parts]
        part = run.parts[ids.index(part_id_)]
        if part.column != "w" or part.step == params["steps"]:
            return None
        k = part.step
        row = {p.column: p.answer for p in run.parts if p.step == k}
        state = {"t": (params.get("state") or {}).get("t", 0) + k}
        for q in O.chain(params):
            if q.state:
                state[q.name] = row[q.name] if isinstance(row[q.name], list) else [row[q.name]]
        new = {**params, "w0": value if isinstance(value, list) else [value], "steps": params["steps"] - k,
               "state": state}
        if "grads" in params:
            new["grads"] = params["grads"][k:]
        later = [i for i, p in enumerate(run.parts) if p.step > k]
        return new, {part_id(j): ids[i] for j, i in enumerate(later)}

    # -------------------------------------------------------------- render
    def render(self, params: dict, lang: str) -> str:
        zh = lang == "zh"
        lines = [self._objective_text(params, zh)]
        opt = params["optimizer"]
        symbol = dict(SYMBOL, momentum="\\beta") if params.get("form") == "ema" else SYMBOL
        hyper = [f"$\\eta = {O.num(params['lr'])}$"] + [f"${symbol[n]} = {O.num(params[n]) if n != 'eps' else _eps(params[n])}$"
                                                       for n in ("momentum", "dampening", "rho", "beta1", "beta2", "eps", "init")
                                                       if n in params]
        if params.get("weight_decay"):
            hyper.append(f"$\\lambda = {O.num(params['weight_decay'])}$")
        form = T.form_words(params).get(lang)
        name = (O.NAMES_ZH if zh else O.NAMES)[opt] + (f"（{form}）" if zh and form else f" ({form})" if form else "")
        rule = T.rule_text(params).get(lang)
        if zh:
            lines.append(f"使用{name}，超参数 {', '.join(hyper)}。更新规则：{rule}。")
        else:
            lines.append(f"Use {name} with {', '.join(hyper)}. Update: {rule}.")
        if opt in O.ADAPTIVE:
            lines.append(T.EPS_WORDS[params.get("eps_at", "outside")].get(lang))
        if params.get("weight_decay"):
            lines.append(_decay_text(params, zh))
        if params.get("state"):
            st = ", ".join(f"${n}_{{{params['state']['t']}}} = {O.vec(v)}$" for n, v in params["state"].items() if n != "t")
            lines.append(f"已完成 {params['state']['t']} 步，此时 {st}。" if zh else
                         f"{params['state']['t']} steps are already done; now {st}.")
        cols = ", ".join(f"${c}$" for c in self._column_symbols(params))
        k = params["steps"]
        lines.append(f"计算 {k} 步。每一步给出 {cols}。步与步之间保留计算器的全部精度。" if zh else
                     f"Run {k} step{'s' if k > 1 else ''}. At each step give {cols}. Keep full calculator precision "
                     "from step to step.")
        return "\n".join(lines)

    @staticmethod
    def _column_symbols(params: dict) -> list[str]:
        sym = {"look": "\\tilde{w}_t", "g": "g_t", "w": "w_t"}
        sym.update({q.name: q.symbol + "_t" for q in O.chain(params)})
        return [sym[c] for c in O.columns(params)]

    @staticmethod
    def _objective_text(p: dict, zh: bool) -> str:
        w0, d = O.vec(p["w0"]), len(p["w0"])
        kind = O.objective(p)
        if kind == "grads":
            gs = ", ".join(f"$g_{{{i + 1}}} = {O.vec(g)}$" for i, g in enumerate(p["grads"][:p["steps"]]))
            return (f"从 $w_0 = {w0}$ 出发。各步的梯度已给出（与 w 无关）：{gs}。" if zh else
                    f"Start from $w_0 = {w0}$. The gradients of the steps are given (they do not depend on w): {gs}.")
        if kind == "quad":
            f = T.quad_tex(p["quad"], p.get("center"))
            return (f"最小化 $f(w) = {f}$，从 $w_0 = {w0}$ 出发，每一步在当前点求梯度。" if zh else
                    f"Minimise $f(w) = {f}$ from $w_0 = {w0}$, taking the gradient at the current point at each step.")
        pts = ", ".join(f"$({O.num(x)}, {O.num(y)})$" for x, y in p["data"])
        loss = "\\frac{1}{2n}" if p.get("loss") == "half" else "\\frac{1}{n}"
        return (f"用 $\\hat{{y}} = w x + b$ 拟合数据点 $(x, y)$：{pts}，损失 $L = {loss}\\sum (\\hat{{y}} - y)^2$"
                f"（全部样本），从 $(w, b) = {w0}$ 出发；参数向量为 $[w, b]$。" if zh else
                f"Fit $\\hat{{y}} = w x + b$ to the points $(x, y)$: {pts}, with the loss $L = {loss}\\sum (\\hat{{y}} - y)^2$ "
                f"over all points, from $(w, b) = {w0}$; the parameter vector is $[w, b]$.")


def _eps(x: float) -> str:
    if x and x < 1e-3:
        exp = round(__import__("math").log10(x))
        if abs(x - 10.0 ** exp) < 1e-15:
            return f"10^{{{exp}}}"
    return O.num(x)


def _decay_text(p: dict, zh: bool) -> str:
    lam = O.num(p["weight_decay"])
    if O.decay_kind(p) == "coupled":
        return (f"权重衰减为耦合（L2）形式：梯度取 $g = \\nabla f(w) + {lam} w$。" if zh else
                f"Weight decay is coupled (L2): the gradient is $g = \\nabla f(w) + {lam} w$.")
    return (f"权重衰减为解耦形式：$w_t = (1 - \\eta\\lambda) w_{{t-1}} +$（由 g 得到的优化器步长），g 中不含 λw。" if zh else
            f"Weight decay is decoupled: $w_t = (1 - \\eta\\lambda) w_{{t-1}} +$ (the optimizer's step from g); "
            "g does not include λw.")
