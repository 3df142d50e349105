"""The known slips of one optimizer step, each as the value it gives and its explanation:
mixed momentum forms, PyTorch's undampened first buffer, ε placement swapped, no bias correction,
bias correction with t from 0, coupled decay where decoupled, L2 left out, the 2 of a derivative,
sum instead of mean, the gradient at w instead of the look-ahead point, ρ/β swapped, AdaGrad not
accumulating, plain momentum for Nesterov, stepping up the gradient."""

from __future__ import annotations

from problems import _optim as O
from problems import _optim_text as T
from quizgen.model import t


def step_mistakes(params: dict, name: str, e: dict, value: list[float]) -> list[tuple[list[float], str, t]]:
    opt, form, p = params["optimizer"], params.get("form", "pytorch"), params
    out: list[tuple[list[float], str, t]] = []

    def add(v, tag, en, zh):
        out.append((v, tag, t(en, zh)))

    if name == "g":
        k = e["k"]
        at = e.get("look", e["w"])
        lam = [p["weight_decay"] * x for x in at] if O.coupled(p) else [0.0] * len(at)
        if O.objective(p) == "quad":
            add(O.vmap(lambda a, b: a + b, O.raw_gradient(p, at, k, 0.5), lam), "no_factor_2",
                "The derivative of $a(w-c)^2$ is $2a(w-c)$: you left out the 2.", "$a(w-c)^2$ 的导数是 $2a(w-c)$：你漏了 2。")
        if O.objective(p) == "data":
            n = len(p["data"])
            add(O.vmap(lambda a, b: a + b, O.raw_gradient(p, at, k, 0.5 if p.get("loss") != "half" else 2.0), lam),
                "loss_factor", "Check the factor: the MSE $\\frac{1}{n}\\sum r^2$ gives $\\frac{2}{n}\\sum r\\,x$; "
                "half of it gives $\\frac{1}{n}\\sum r\\,x$.",
                "注意系数：均方误差 $\\frac{1}{n}\\sum r^2$ 的梯度为 $\\frac{2}{n}\\sum r\\,x$；取一半时为 $\\frac{1}{n}\\sum r\\,x$。")
            add(O.vmap(lambda a, b: a + b, O.raw_gradient(p, at, k, float(n)), lam), "sum_not_mean",
                f"You summed over the points; the loss is the mean (divide by n = {n}).",
                f"你对各样本求和了；损失取平均（除以 n = {n}）。")
        if O.coupled(p):
            add(O.raw_gradient(p, at, k), "decay_left_out", "Coupled (L2) weight decay adds λw to the gradient.",
                "耦合（L2）权重衰减要把 λw 加到梯度上。")
        elif p.get("weight_decay", 0) > 0:
            add(O.vmap(lambda g, x: g + p["weight_decay"] * x, value, at), "decay_coupled",
                "The decay here is decoupled: λw is not added to the gradient.", "这里的衰减是解耦的：λw 不加到梯度上。")
        if form == "lookahead" and O.objective(p) != "grads":
            add(O.gradient(p, e["w"], k), "gradient_at_w", "The look-ahead form takes the gradient at $w + \\mu v$, not at w.",
                "前瞻形式在 $w + \\mu v$ 处求梯度，而不是在 w 处。")
    elif name == "b":
        if e["b0"] is None and p.get("dampening"):
            add([(1 - p["dampening"]) * g for g in e["g"]], "dampened_first",
                "PyTorch starts the buffer as $b_1 = g_1$: no dampening on the first step.",
                "PyTorch 的缓冲从 $b_1 = g_1$ 开始：第一步不做阻尼。")
        b0 = e["b0"] or [0.0] * len(e["g"])
        add(O.vmap(lambda b, g: p["momentum"] * b - p["lr"] * g, b0, e["g"]), "mixed_forms",
            "That is the Keras velocity $v = \\mu v - \\eta g$; the PyTorch buffer is $b = \\mu b + g$.",
            "这是 Keras 的速度 $v = \\mu v - \\eta g$；PyTorch 的缓冲是 $b = \\mu b + g$。")
    elif name == "v" and opt in ("momentum", "nesterov"):
        add(O.vmap(lambda v, g: p["momentum"] * v + g, e["v0"], e["g"]), "mixed_forms",
            "That is PyTorch's buffer $b = \\mu b + g$; this problem uses " + T.form_words(p).en + ".",
            "这是 PyTorch 的缓冲 $b = \\mu b + g$；本题用的是" + T.form_words(p).zh + "。")
    elif name == "s" and opt == "adagrad":
        add([g * g for g in e["g"]], "not_accumulated", "AdaGrad adds every squared gradient: $s_t = s_{t-1} + g_t^2$.",
            "AdaGrad 要累加所有梯度平方：$s_t = s_{t-1} + g_t^2$。")
    elif name == "s":
        add(O.vmap(lambda s, g: (1 - p["rho"]) * s + p["rho"] * g * g, e["s0"], e["g"]), "rho_swapped",
            "ρ weighs the old average: $s = \\rho s + (1-\\rho) g^2$.", "ρ 乘的是旧的平均值：$s = \\rho s + (1-\\rho) g^2$。")
    elif name in ("m", "v"):
        beta, sq = ("beta1", 1) if name == "m" else ("beta2", 2)
        add(O.vmap(lambda a, g: (1 - p[beta]) * a + p[beta] * g ** sq, e[name + "0"], e["g"]), "beta_swapped",
            "β weighs the old moment: $m = \\beta m + (1-\\beta) g$.", "β 乘的是旧的矩：$m = \\beta m + (1-\\beta) g$。")
    elif name in ("mhat", "vhat"):
        raw = e[name[0]]
        add(list(raw), "no_bias_correction", "Adam divides by $1-\\beta^t$ (bias correction).",
            "Adam 要除以 $1-\\beta^t$（偏差修正）。")
        if e["t"] >= 2:
            b = p["beta1" if name == "mhat" else "beta2"]
            add([x / (1 - b ** (e["t"] - 1)) for x in raw], "bias_t_from_0",
                f"t counts from 1: this is step t = {e['t']}, so divide by $1-\\beta^{{{e['t']}}}$.",
                f"t 从 1 开始计：这是第 t = {e['t']} 步，应除以 $1-\\beta^{{{e['t']}}}$。")
    elif name == "w":
        out += _w_mistakes(p, e)
    return out


def _w_mistakes(p: dict, e: dict) -> list[tuple[list[float], str, t]]:
    opt, form = p["optimizer"], p.get("form", "pytorch")
    state = {k[:-1]: v for k, v in e.items() if k.endswith("0") and k[:-1] in ("b", "v", "s", "m")}
    rerun = lambda **kw: O.run_step({**p, **kw}, state, e["w"], e["g"], e["t"])["w_new"]  # noqa: E731
    out = []

    def add(v, tag, en, zh):
        out.append((v, tag, t(en, zh)))

    add(O.vmap(lambda w, dw: w - dw, e["w"], O.step_change(p, e)), "ascent",
        "You stepped up the gradient: the update subtracts it.", "你沿梯度上升了：更新应减去梯度方向。")
    if opt in O.ADAPTIVE and p.get("eps_at", "outside") in ("outside", "inside"):
        other = "inside" if p.get("eps_at", "outside") == "outside" else "outside"
        words = T.EPS_WORDS[p.get("eps_at", "outside")]
        add(rerun(eps_at=other), "eps_placement", words.en, words.zh)
    if opt in ("adam", "adamw") and p.get("eps_at") != "hat":
        add(rerun(_bias="none"), "no_bias_correction", "Adam uses the bias-corrected $\\hat{m}$ and $\\hat{v}$.",
            "Adam 用的是偏差修正后的 $\\hat{m}$ 和 $\\hat{v}$。")
    if p.get("weight_decay", 0) > 0 and O.decay_kind(p) == "decoupled":
        g = O.vmap(lambda gi, x: gi + p["weight_decay"] * x, e["g"], e["w"])
        coupled = {**p, "decay": "coupled", "optimizer": "adam" if opt == "adamw" else opt, "weight_decay": 0.0}
        add(O.run_step(coupled, state, e["w"], g, e["t"])["w_new"], "decay_coupled",
            "The weight decay is decoupled: $w \\leftarrow w - \\eta\\lambda w$ outside the optimizer's step, "
            "not λw added to the gradient.",
            "权重衰减是解耦的：在优化器步长之外做 $w \\leftarrow w - \\eta\\lambda w$，而不是把 λw 加到梯度上。")
    if opt == "nesterov" and form == "pytorch":
        add(O.vmap(lambda w, b: w - p["lr"] * b, e["w"], e["b"]), "no_nesterov",
            "That is plain momentum; Nesterov (PyTorch) steps by $g_t + \\mu b_t$.",
            "这是普通动量；Nesterov（PyTorch）按 $g_t + \\mu b_t$ 更新。")
    return out
