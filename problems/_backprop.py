"""Shared math of the backprop topic, in plain Python floats: activations, losses, deltas.

    activations  σ(z) = 1/(1 + e^{−z}),  tanh,  ReLU(z) = max(0, z),  linear(z) = z,
                 softmax(z)_k = e^{z_k − max z} / Σ_j e^{z_j − max z}
    derivatives  from the unit's output a (as on the board):
                 σ′ = a(1 − a),  tanh′ = 1 − a²,  ReLU′ = [a > 0] (ReLU′(0) = 0, as PyTorch),  linear′ = 1
    losses       half_sse ½Σ(a − y)²     sse Σ(a − y)²     mse (1/n)Σ(a − y)²    half_mse (1/2n)Σ(a − y)²
                 ce −Σ y ln a            bce −Σ [y ln a + (1 − y) ln(1 − a)]
    ∂E/∂a        (a − y), 2(a − y), 2(a − y)/n, (a − y)/n, −y/a, (a − y)/(a(1 − a))
    δ = ∂E/∂z    ∂E/∂a ⊙ f′ for an element-wise f;  softmax: δ_k = a_k (g_k − Σ_j a_j g_j), g = ∂E/∂a;
                 softmax + ce: δ = a·Σy − y (= a − y for a one-hot y);  sigmoid + bce: δ = a − y
    hidden δ     δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ f′(z⁽ˡ⁾)        (W[out][in]: row j = weights into unit j)

Every function takes and returns lists; the slips (`*_slips`) are the known wrong answers of
the step, each (value, tag, explanation).
"""

from __future__ import annotations

import math

from quizgen.model import Text, t

HIDDEN = ("sigmoid", "tanh", "relu", "linear")
OUTPUT = ("sigmoid", "linear", "softmax", "tanh")
LOSSES = ("half_sse", "sse", "mse", "half_mse", "ce", "bce")


# ---------------------------------------------------------------- activations

def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def activate(name: str, z: list[float]) -> list[float]:
    if name == "softmax":
        m = max(z)
        e = [math.exp(v - m) for v in z]
        s = sum(e)
        return [v / s for v in e]
    f = {"sigmoid": sigmoid, "tanh": math.tanh, "relu": lambda v: max(0.0, v), "linear": lambda v: v}[name]
    return [f(v) for v in z]


def derivative(name: str, a: list[float]) -> list[float]:
    """f′ of an element-wise activation, written with its output a."""
    f = {"sigmoid": lambda v: v * (1 - v), "tanh": lambda v: 1 - v * v,
         "relu": lambda v: 1.0 if v > 0 else 0.0, "linear": lambda v: 1.0}[name]
    return [f(v) for v in a]


def derivative_at_output(name: str, a: list[float]) -> list[float]:
    """The slip: f′ evaluated at a instead of z, e.g. σ(a)(1 − σ(a))."""
    return derivative(name, activate(name, a)) if name in ("sigmoid", "tanh") else derivative(name, a)


# ---------------------------------------------------------------- losses

def loss(name: str, a: list[float], y: list[float], log=math.log) -> float:
    """E(a, y); ValueError where a log is undefined."""
    n = len(a)
    sq = sum((u - v) ** 2 for u, v in zip(a, y))
    if name in ("half_sse", "sse", "mse", "half_mse"):
        return sq * {"half_sse": 0.5, "sse": 1.0, "mse": 1.0 / n, "half_mse": 0.5 / n}[name]
    if name == "ce":
        return -sum(v * log(u) for u, v in zip(a, y) if v)
    return -sum((v * log(u) if v else 0.0) + ((1 - v) * log(1 - u) if v != 1 else 0.0) for u, v in zip(a, y))


def loss_gradient(name: str, a: list[float], y: list[float]) -> list[float]:
    """∂E/∂a, element by element."""
    n = len(a)
    if name in ("half_sse", "sse", "mse", "half_mse"):
        c = {"half_sse": 1.0, "sse": 2.0, "mse": 2.0 / n, "half_mse": 1.0 / n}[name]
        return [c * (u - v) for u, v in zip(a, y)]
    if name == "ce":
        return [-v / u for u, v in zip(a, y)]
    return [(u - v) / (u * (1 - u)) for u, v in zip(a, y)]


def output_delta(act: str, loss_name: str, a: list[float], y: list[float]) -> list[float]:
    """δ = ∂E/∂z at the output layer (ZeroDivisionError where undefined)."""
    if act == "softmax" and loss_name == "ce":
        return [u * sum(y) - v for u, v in zip(a, y)]
    if act == "sigmoid" and loss_name == "bce":
        return [u - v for u, v in zip(a, y)]
    g = loss_gradient(loss_name, a, y)
    if act == "softmax":
        s = sum(u * v for u, v in zip(a, g))
        return [u * (v - s) for u, v in zip(a, g)]
    return [u * v for u, v in zip(g, derivative(act, a))]


def hidden_delta(w_above: list[list[float]], delta_above: list[float], act: str, a: list[float],
                 derivative_fn=derivative) -> list[float]:
    """δ⁽ˡ⁾ = (Wᵀ δ⁽ˡ⁺¹⁾) ⊙ f′, W[out][in] (f′ written with a)."""
    back = [sum(w_above[k][j] * delta_above[k] for k in range(len(delta_above))) for j in range(len(a))]
    if derivative_fn is None:
        return back
    return [u * v for u, v in zip(back, derivative_fn(act, a))]


# ---------------------------------------------------------------- the slips

def loss_slips(name: str, a: list[float], y: list[float], value: float) -> list[tuple]:
    n = len(a)
    out = []
    if name in ("half_sse", "half_mse"):
        out.append((2 * value, "dropped_half", t("You left out the ½ of the loss.", "你漏掉了损失函数中的 ½。")))
    if name in ("sse", "mse"):
        out.append((value / 2, "added_half", t("This loss has no ½; you halved it.", "这个损失函数没有 ½，你多乘了 ½。")))
    if name in ("mse", "half_mse") and n > 1:
        out.append((value * n, "sum_for_mean", t("The loss is the mean over the outputs: divide the sum by n.",
                                                "损失是对各输出取平均：总和要除以 n。")))
    if name in ("half_sse", "sse") and n > 1:
        out.append((value / n, "mean_for_sum", t("The loss is the sum over the outputs, not the mean.",
                                                "损失是对各输出求和，不是取平均。")))
    if name in ("ce", "bce"):
        try:
            out.append((loss(name, a, y, math.log10), "log10",
                        t("The log here is the natural log ln, not log base 10.", "这里的对数是自然对数 ln，不是以 10 为底。")))
        except ValueError:
            pass
    return out


def output_delta_slips(act: str, loss_name: str, a: list[float], y: list[float], delta: list[float]) -> list[tuple]:
    n = len(a)
    out = []
    simple = (act, loss_name) in (("softmax", "ce"), ("sigmoid", "bce"))
    if simple:
        sd = derivative("sigmoid", a)
        out.append(([d * s for d, s in zip(delta, sd)], "extra_derivative",
                    t("With this output and loss the derivative cancels: δ = ŷ − y, with no extra a(1 − a).",
                      "对这种输出层和损失，导数项相互抵消：δ = ŷ − y，不要再乘 a(1 − a)。")))
    elif act in ("sigmoid", "tanh"):
        g = loss_gradient(loss_name, a, y)
        out.append((g, "no_derivative", t("You forgot the activation's derivative f′(z) in δ = ∂E/∂a · f′(z).",
                                          "你漏掉了 δ = ∂E/∂a · f′(z) 中激活函数的导数 f′(z)。")))
        out.append(([u * v for u, v in zip(g, derivative_at_output(act, a))], "derivative_at_a",
                    t("You evaluated f′ at a instead of z: σ′(z) = a(1 − a), not σ(a)(1 − σ(a)).",
                      "你在 a 处而不是 z 处求了导数：σ′(z) = a(1 − a)，而不是 σ(a)(1 − σ(a))。")))
    if loss_name in ("half_sse", "half_mse"):
        out.append(([2 * d for d in delta], "dropped_half",
                     t("The ½ cancels the 2 of the square: ∂E/∂a = (a − y), not 2(a − y).",
                       "½ 与平方求导得到的 2 相消：∂E/∂a = (a − y)，而不是 2(a − y)。")))
    if loss_name in ("sse", "mse"):
        out.append(([d / 2 for d in delta], "missing_two",
                     t("This loss has no ½: the derivative of the square keeps its factor 2.",
                       "这个损失函数没有 ½：平方求导得到的因子 2 要保留。")))
    if loss_name in ("mse", "half_mse") and n > 1:
        out.append(([d * n for d in delta], "sum_for_mean",
                     t("The loss is a mean over the outputs, so its gradient has the factor 1/n.",
                       "损失是对各输出的平均，所以梯度里有因子 1/n。")))
    if loss_name in ("half_sse", "sse") and n > 1:
        out.append(([d / n for d in delta], "mean_for_sum",
                     t("The loss is a sum over the outputs: no factor 1/n.", "损失是对各输出求和：没有因子 1/n。")))
    out.append(([-d for d in delta], "sign", t("Sign error: ∂E/∂a has (a − y), not (y − a).",
                                               "符号错误：∂E/∂a 中是 (a − y)，不是 (y − a)。")))
    return out


# ---------------------------------------------------------------- small linear algebra and text

def transpose(m: list[list[float]]) -> list[list[float]]:
    return [list(r) for r in zip(*m)]


def affine(w: list[list[float]], a: list[float], b: list[float]) -> list[float]:
    """W a + b (a bias of length 1 is shared by every unit of the layer)."""
    return [sum(wi * ai for wi, ai in zip(row, a)) + (b[j] if len(b) > 1 else b[0] if b else 0.0)
            for j, row in enumerate(w)]


def num(x: float, decimals: int | None = None) -> str:
    if decimals is None:
        return f"{x:g}"
    s = f"{x:.{decimals}f}"
    return "0" if s.strip("-0.") == "" else s


def factor(x: float, decimals: int | None = None) -> str:
    """A number as a factor in a product: negatives in parentheses, (−0.8005)."""
    s = num(x, decimals)
    return f"({s})" if s.startswith("-") else s


def vec(v: list[float], decimals: int | None = None) -> str:
    return "[" + ", ".join(num(x, decimals) for x in v) + "]"


def mat(m: list[list[float]], decimals: int | None = None) -> str:
    return "[" + ", ".join(vec(r, decimals) for r in m) + "]"


ACTIVATION_TEXT = {
    "sigmoid": t("the logistic sigmoid $\\sigma(z) = \\frac{1}{1 + e^{-z}}$", "sigmoid 函数 $\\sigma(z) = \\frac{1}{1 + e^{-z}}$"),
    "tanh": t("$\\tanh$", "$\\tanh$"),
    "relu": t("ReLU, $\\max(0, z)$, with ReLU′(0) = 0", "ReLU，$\\max(0, z)$，约定 ReLU′(0) = 0"),
    "linear": t("the identity (linear, $a = z$)", "恒等函数（线性，$a = z$）"),
    "softmax": t("softmax, $a_k = e^{z_k} / \\sum_j e^{z_j}$", "softmax，$a_k = e^{z_k} / \\sum_j e^{z_j}$"),
}

LOSS_TEXT = {
    "half_sse": t("$E = \\frac{1}{2}\\sum_k (a_k - y_k)^2$ (a sum over the outputs, with the ½)",
                  "$E = \\frac{1}{2}\\sum_k (a_k - y_k)^2$（对各输出求和，带 ½）"),
    "sse": t("$E = \\sum_k (a_k - y_k)^2$ (a sum over the outputs, no ½)",
             "$E = \\sum_k (a_k - y_k)^2$（对各输出求和，没有 ½）"),
    "mse": t("$E = \\frac{1}{n}\\sum_k (a_k - y_k)^2$ (the mean over the n outputs, no ½)",
             "$E = \\frac{1}{n}\\sum_k (a_k - y_k)^2$（对 n 个输出取平均，没有 ½）"),
    "half_mse": t("$E = \\frac{1}{2n}\\sum_k (a_k - y_k)^2$ (½ of the mean over the n outputs)",
                  "$E = \\frac{1}{2n}\\sum_k (a_k - y_k)^2$（n 个输出平均值的 ½）"),
    "ce": t("the cross-entropy $E = -\\sum_k y_k \\ln a_k$ (natural log)",
            "交叉熵 $E = -\\sum_k y_k \\ln a_k$（自然对数）"),
    "bce": t("the binary cross-entropy $E = -\\sum_k [y_k \\ln a_k + (1 - y_k)\\ln(1 - a_k)]$ (natural log)",
             "二元交叉熵 $E = -\\sum_k [y_k \\ln a_k + (1 - y_k)\\ln(1 - a_k)]$（自然对数）"),
}


def loss_text(name: str) -> Text:
    return LOSS_TEXT[name]


SYMBOL = {"sigmoid": "\\sigma", "tanh": "\\tanh", "relu": "\\mathrm{ReLU}", "linear": "\\mathrm{id}", "softmax": "\\mathrm{softmax}"}
LOSS_FORMULA = {name: text.en.split("$")[1] for name, text in LOSS_TEXT.items()}
DERIVATIVE = {"sigmoid": "a(1 - a)", "tanh": "(1 - a^2)", "relu": "[z > 0]", "linear": "1"}


def delta_formula(act: str, loss_name: str) -> str:
    """δ at the output, as written on the board (LaTeX)."""
    if (act, loss_name) in (("softmax", "ce"), ("sigmoid", "bce")):
        return "\\hat{y} - y"
    grad = {"half_sse": "(a - y)", "sse": "2(a - y)", "mse": "\\frac{2}{n}(a - y)", "half_mse": "\\frac{1}{n}(a - y)"}
    g = grad.get(loss_name, "\\partial E/\\partial a")
    if act == "softmax":
        return f"a \\odot (g - (a \\cdot g)),\\ g = {g}"
    return g if act == "linear" else f"{g} \\odot {DERIVATIVE[act]}"
