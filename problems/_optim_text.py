"""The optimizer conventions in words and the update rules as LaTeX, for optim.steps' statements and
worked lines (the math itself is in problems/_optim.py)."""

from __future__ import annotations

from problems._optim import FORMS, decay_kind, num
from quizgen.model import Text, t


EPS_WORDS = {
    "outside": t("ε sits outside the square root: $\\sqrt{s} + \\epsilon$ (PyTorch).",
                 "ε 在平方根之外：$\\sqrt{s} + \\epsilon$（PyTorch）。"),
    "inside": t("ε sits inside the square root: $\\sqrt{s + \\epsilon}$ (Keras RMSprop and Adagrad, D2L).",
                "ε 在平方根之内：$\\sqrt{s + \\epsilon}$（Keras 的 RMSprop 和 Adagrad、D2L）。"),
    "hat": t("ε is Keras' $\\hat{\\epsilon}$: added to $\\sqrt{v}$ before bias correction, "
             "$w \\leftarrow w - \\alpha_t m_t/(\\sqrt{v_t} + \\hat{\\epsilon})$ with "
             "$\\alpha_t = \\eta\\sqrt{1-\\beta_2^t}/(1-\\beta_1^t)$.",
             "ε 采用 Keras 的 $\\hat{\\epsilon}$：在偏差修正之前加到 $\\sqrt{v}$ 上，"
             "$w \\leftarrow w - \\alpha_t m_t/(\\sqrt{v_t} + \\hat{\\epsilon})$，其中 "
             "$\\alpha_t = \\eta\\sqrt{1-\\beta_2^t}/(1-\\beta_1^t)$。"),
}

CONVENTIONS = (
    t("Steps are counted from t = 1; Adam's bias correction divides by $1-\\beta^t$ with that t.",
      "步数 t 从 1 开始计；Adam 的偏差修正除以同一个 t 下的 $1-\\beta^t$。"),
    t("Squares, roots and divisions act on each coordinate separately.", "平方、开方和除法都按坐标逐个进行。"),
    t("Coupled weight decay (L2) adds λw to the gradient; decoupled weight decay (AdamW) subtracts ηλw from "
      "the weights, outside the adaptive step.",
      "耦合的权重衰减（L2）把 λw 加到梯度上；解耦的权重衰减（AdamW）直接从权重中减去 ηλw，不经过自适应步长。"),
    t("PyTorch's momentum buffer starts as $b_1 = g_1$ (no dampening on the first step); PyTorch's momentum "
      "b and the Keras velocity v = −ηb give the same weights for a constant η.",
      "PyTorch 的动量缓冲从 $b_1 = g_1$ 开始（第一步不做阻尼）；学习率不变时，PyTorch 的 b 与 Keras 的速度 "
      "v = −ηb 得到相同的权重。"),
)


def rule_text(params: dict) -> Text:
    """The update rule of the problem's optimizer, with its form and ε placement, in words."""
    opt, form = params["optimizer"], params.get("form", "pytorch")
    damp = "(1-\\tau)" if params.get("dampening") else ""
    rules = {
        ("sgd", "pytorch"): "w_t = w_{t-1} - \\eta g_t",
        ("momentum", "pytorch"): f"b_t = \\mu b_{{t-1}} + {damp}g_t,\\ b_1 = g_1,\\ w_t = w_{{t-1}} - \\eta b_t",
        ("momentum", "keras"): "v_t = \\mu v_{t-1} - \\eta g_t,\\ v_0 = 0,\\ w_t = w_{t-1} + v_t",
        ("momentum", "ema"): "v_t = \\beta v_{t-1} + (1-\\beta) g_t,\\ v_0 = 0,\\ w_t = w_{t-1} - \\eta v_t",
        ("nesterov", "pytorch"): "b_t = \\mu b_{t-1} + g_t,\\ b_1 = g_1,\\ w_t = w_{t-1} - \\eta (g_t + \\mu b_t)",
        ("nesterov", "keras"): "v_t = \\mu v_{t-1} - \\eta g_t,\\ v_0 = 0,\\ w_t = w_{t-1} + \\mu v_t - \\eta g_t",
        ("nesterov", "lookahead"): "\\tilde{w}_t = w_{t-1} + \\mu v_{t-1},\\ g_t = \\nabla f(\\tilde{w}_t),\\ "
                                   "v_t = \\mu v_{t-1} - \\eta g_t,\\ v_0 = 0,\\ w_t = w_{t-1} + v_t",
        ("adagrad", "pytorch"): "s_t = s_{t-1} + g_t^2,\\ w_t = w_{t-1} - \\eta g_t / D(s_t)",
        ("rmsprop", "pytorch"): "s_t = \\rho s_{t-1} + (1-\\rho) g_t^2,\\ s_0 = 0,\\ w_t = w_{t-1} - \\eta g_t / D(s_t)",
    }
    adam = ("m_t = \\beta_1 m_{t-1} + (1-\\beta_1) g_t,\\ v_t = \\beta_2 v_{t-1} + (1-\\beta_2) g_t^2,\\ "
            "m_0 = v_0 = 0,\\ ")
    if opt in ("adam", "adamw"):
        rule = adam + ("\\alpha_t = \\eta\\sqrt{1-\\beta_2^t}/(1-\\beta_1^t),\\ w_t = w_{t-1} - \\alpha_t m_t/(\\sqrt{v_t} + \\hat{\\epsilon})"
                       if params.get("eps_at") == "hat" else
                       "\\hat{m}_t = m_t/(1-\\beta_1^t),\\ \\hat{v}_t = v_t/(1-\\beta_2^t),\\ w_t = w_{t-1} - \\eta \\hat{m}_t / D(\\hat{v}_t)")
    else:
        rule = rules[(opt, form if opt in FORMS else "pytorch")]
    at = params.get("eps_at", "outside")
    dtex = "\\sqrt{s + \\epsilon}" if at == "inside" else "\\sqrt{s} + \\epsilon"
    d_en = f", where $D(s) = {dtex}$" if "D(" in rule else ""
    d_zh = f"，其中 $D(s) = {dtex}$" if "D(" in rule else ""
    return t(f"${rule}${d_en}", f"${rule}${d_zh}")


def form_words(params: dict) -> Text:
    form = params.get("form", "pytorch")
    if params["optimizer"] not in FORMS:
        return t("", "")
    words = {"pytorch": t("PyTorch form, as torch.optim.SGD", "PyTorch 形式，同 torch.optim.SGD"),
             "keras": t("classical / Keras form, velocity v", "经典 / Keras 形式，速度 v"),
             "ema": t("moving-average form of course notes", "课程讲义中的滑动平均形式"),
             "lookahead": t("look-ahead form, gradient at $w + \\mu v$", "前瞻形式，在 $w + \\mu v$ 处求梯度")}
    return words[form]


def w_tex(params: dict, t_: int) -> str:
    """The weight update of step t with the hyper-parameters filled in (LaTeX)."""
    opt, form = params["optimizer"], params.get("form", "pytorch")
    lr, mu, p = num(params["lr"]), num(params.get("momentum", 0)), t_ - 1
    shrink = 1.0
    if params.get("weight_decay", 0) > 0 and decay_kind(params) == "decoupled":
        shrink = 1 - params["lr"] * params["weight_decay"]
    w = f"{num(shrink)}\\,w_{{{p}}}" if shrink != 1.0 else f"w_{{{p}}}"
    eps = "\\epsilon" if params.get("eps", 0) < 1e-3 else num(params.get("eps", 0))
    den = (lambda s: f"\\sqrt{{{s} + {eps}}}") if params.get("eps_at") == "inside" else (lambda s: f"(\\sqrt{{{s}}} + {eps})")
    s_t, v_t = den(f"s_{{{t_}}}"), den("\\hat{v}_{" + str(t_) + "}")
    rules = {
        "sgd": f"{w} - {lr}\\,g_{{{t_}}}",
        "adagrad": f"{w} - {lr}\\,g_{{{t_}}} / {s_t}",
        "rmsprop": f"{w} - {lr}\\,g_{{{t_}}} / {s_t}",
        "adam": f"{w} - {lr}\\,\\hat{{m}}_{{{t_}}} / {v_t}",
    }
    if opt in ("momentum", "nesterov"):
        return {("momentum", "pytorch"): f"{w} - {lr}\\,b_{{{t_}}}", ("momentum", "keras"): f"{w} + v_{{{t_}}}",
                ("momentum", "ema"): f"{w} - {lr}\\,v_{{{t_}}}",
                ("nesterov", "pytorch"): f"{w} - {lr}\\,(g_{{{t_}}} + {mu}\\,b_{{{t_}}})",
                ("nesterov", "keras"): f"{w} + {mu}\\,v_{{{t_}}} - {lr}\\,g_{{{t_}}}",
                ("nesterov", "lookahead"): f"{w} + v_{{{t_}}}"}[(opt, form)]
    if opt in ("adam", "adamw") and params.get("eps_at") == "hat":
        return f"{w} - \\alpha_{{{t_}}}\\,m_{{{t_}}} / (\\sqrt{{v_{{{t_}}}}} + {eps})"
    return rules["adam" if opt == "adamw" else opt]


def quad_tex(quad: list[float], center: list[float] | None) -> str:
    """f(w) = Σ aᵢ(wᵢ − cᵢ)² as LaTeX: 0.1w_{1}^2 + 2(w_{2} - 1)^2 (w alone in 1-d; a = 1 not written)."""
    c = center or [0.0] * len(quad)
    var = (lambda i: "w") if len(quad) == 1 else (lambda i: f"w_{{{i + 1}}}")
    coef = lambda a: "" if a == 1 else num(a)  # noqa: E731
    terms = [f"{coef(a)}({var(i)} - {num(ci)})^2" if ci else f"{coef(a)}{var(i)}^2" for i, (a, ci) in enumerate(zip(quad, c))]
    return " + ".join(terms).replace("- -", "+ ")
