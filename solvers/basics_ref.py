"""PyTorch references for the basics topic (float64).

    basics.softmax_ce   F.softmax, F.cross_entropy (class-probability targets) and autograd on the
                        logits; from probabilities: logits = ln p (softmax(ln p) = p) through the same
                        F.cross_entropy; scaling judged by the top probability of F.softmax(c·z)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from solvers import reference

DT = torch.float64


@reference("basics.softmax_ce")
def softmax_ce(p: dict) -> dict:
    torch.set_grad_enabled(True)
    y = torch.tensor(p["y"], dtype=DT)
    if p["z"] is None:
        logits = torch.log(torch.tensor(p["p"], dtype=DT)).requires_grad_(True)
    else:
        logits = torch.tensor(p["z"], dtype=DT, requires_grad=True)
    loss = F.cross_entropy(logits.unsqueeze(0), y.unsqueeze(0))
    loss.backward()
    answers = [loss.item(), logits.grad.tolist()]
    if p["z"] is None:
        return {"a": answers[0], "b": answers[1]}
    z = logits.detach()
    scaled = F.softmax(p["scale"] * z, 0)
    sharper = scaled.max() > F.softmax(z, 0).max()
    return {"a": (z - z.max()).tolist(), "b": F.softmax(z, 0).tolist(), "c": answers[0], "d": answers[1],
            "e": scaled.tolist(), "f": ["a"] if sharper else ["b"]}


_F = {"sigmoid": lambda z, a: torch.sigmoid(z), "tanh": lambda z, a: torch.tanh(z), "relu": lambda z, a: F.relu(z),
      "leaky_relu": lambda z, a: F.leaky_relu(z, a), "elu": lambda z, a: F.elu(z, a), "softplus": lambda z, a: F.softplus(z)}


def _value_and_grad(name: str, z: list[float], alpha: float) -> tuple[list[float], list[float]]:
    zt = torch.tensor(z, dtype=DT, requires_grad=True)
    out = _F[name](zt, alpha)
    out.sum().backward()
    return out.tolist(), zt.grad.tolist()


@reference("basics.activations")
def activations(p: dict) -> dict:
    import sympy

    from quizgen.model import part_id

    torch.set_grad_enabled(True)
    answers = []
    for name in p["f"]:
        values, grads = _value_and_grad(name, p["z"], p["elu_alpha"] if name == "elu" else p["alpha"])
        for v, g in zip(values, grads):
            answers += [v, g]
    z = sympy.Symbol("z")
    symbolic = {"sigmoid": 1 / (1 + sympy.exp(-z)), "tanh": sympy.tanh(z), "softplus": sympy.log(1 + sympy.exp(z))}
    first = next((n for n in p["f"] if n in symbolic), None)
    if first:
        answers.append(sympy.diff(symbolic[first], z))
    far = [-20.0, 20.0]
    if p["choices"]:  # saturating both ways: autograd's slope at ±20 is ~0 on both sides
        names = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus")
        answers.append([chr(97 + i) for i, n in enumerate(names)
                        if max(abs(g) for g in _value_and_grad(n, far, 0.01 if n != "elu" else 1.0)[1]) < 1e-6])
    if p["why"]:  # the vanishing-gradient option, chosen because the slope at 20 is ~0
        answers.append(["a"] if _value_and_grad("sigmoid", far, 0)[1][1] < 1e-6 else ["b"])
    return {part_id(i): v for i, v in enumerate(answers)}


@reference("basics.dropout")
def dropout(p: dict) -> dict:
    """nn.Dropout's own training scale (kept entries of dropout(ones)) and eval output; expectations exact
    over all 2ⁿ masks, weighted (1 − p)^kept · p^dropped."""
    import itertools

    h = torch.tensor(p["h"], dtype=DT)
    layer = torch.nn.Dropout(p["p"])
    layer.train()
    torch.manual_seed(0)
    ones = layer(torch.ones(64, dtype=DT))
    kept_scale = ones[ones != 0][0].item()
    inverted = p["variant"] == "inverted"
    mask = torch.tensor(p["mask"], dtype=DT)
    train = h * mask * (kept_scale if inverted else 1.0)
    expectation = torch.zeros_like(h)
    for bits in itertools.product((0, 1), repeat=len(p["h"])):
        m = torch.tensor(bits, dtype=DT)
        weight = (1 - p["p"]) ** sum(bits) * p["p"] ** (len(bits) - sum(bits))
        expectation += weight * h * m * (kept_scale if inverted else 1.0)
    layer.eval()
    infer = layer(h) if inverted else expectation  # standard dropout's test-time output is that expectation
    return {"a": 1 - p["p"], "b": train.tolist(), "c": infer.tolist(), "d": expectation[p["unit"] - 1].item()}


@reference("basics.logistic")
def logistic(p: dict) -> dict:
    torch.set_grad_enabled(True)
    X, y = torch.tensor(p["X"], dtype=DT), torch.tensor(p["y"], dtype=DT)
    w = torch.tensor(p["w"], dtype=DT, requires_grad=True)
    b = torch.tensor(p["b"], dtype=DT, requires_grad=True)
    z = X @ w + b
    loss = F.binary_cross_entropy_with_logits(z, y, reduction=p["loss"])
    loss.backward()
    answers = {"a": z.tolist(), "b": torch.sigmoid(z).tolist(), "c": loss.item(), "d": w.grad.tolist(), "e": b.grad.item()}
    torch.optim.SGD([w, b], lr=p["eta"]).step()
    logit = (torch.tensor(p["x_new"], dtype=DT) @ w + b).item()
    prob = torch.sigmoid(torch.tensor(logit, dtype=DT)).item()
    return answers | {"f": w.tolist(), "g": b.item(), "h": logit, "i": prob, "j": int(prob >= 0.5)}


@reference("basics.losses")
def losses(p: dict) -> dict:
    import math

    torch.set_grad_enabled(True)
    yh = torch.tensor(p["yhat"], dtype=DT, requires_grad=True)
    y = torch.tensor(p["y"], dtype=DT)
    red, ln_base = p["reduction"], math.log({"e": math.e, "2": 2.0, "10": 10.0}[p["base"]])
    if p["loss"] == "squared":
        L = F.mse_loss(yh, y, reduction=red) * (0.5 if p["half"] else 1.0)
    elif p["loss"] == "mae":
        L = F.l1_loss(yh, y, reduction=red)
    elif p["loss"] == "bce":
        L = F.binary_cross_entropy(yh, y, reduction=red) / ln_base
    elif p["loss"] == "cce":
        L = -(y * torch.log(yh)).sum() / ln_base
    else:
        margins = F.relu(1 - y * yh)
        L = margins.mean() if red == "mean" else margins.sum()
    L.backward()
    return {"a": L.item(), "b": yh.grad.tolist()}


@reference("basics.regularization")
def regularization(p: dict) -> dict:
    """Autograd on Ω with the given ∇L injected through a linear term; the L2-with-½ step also through
    torch.optim.SGD(weight_decay=λ) on ∇L alone; the exact-zero choice from 50 L1 vs L2 steps on a tiny weight."""
    torch.set_grad_enabled(True)
    w = torch.tensor(p["w"], dtype=DT, requires_grad=True)
    g = torch.tensor(p["grad"], dtype=DT)
    lam = p["lam"]
    omega = lam * w.abs().sum() if p["penalty"] == "l1" else lam * (w ** 2).sum() * (0.5 if p["half"] else 1.0)
    (omega + (g * w).sum()).backward()
    grad = w.grad.clone()
    if p["penalty"] == "l2" and p["half"]:
        w.grad = g.clone()
        torch.optim.SGD([w], lr=p["eta"], weight_decay=lam).step()
        new = w.detach().tolist()
    else:
        new = (w.detach() - p["eta"] * grad).tolist()
    return {"a": omega.item(), "b": p["loss"] + omega.item(), "c": grad.tolist(), "d": new, "e": ["a"] if _l1_zeroes() else ["b"]}


def _l1_zeroes() -> bool:
    """Penalty alone, 60 SGD steps (η = 0.01) from w = 0.05: L1's constant pull reaches 0 (|w| ≤ η, oscillating
    about 0), L2's pull λw only shrinks w geometrically."""
    final = {}
    for kind in ("l1", "l2"):
        w = torch.tensor(0.05, dtype=DT, requires_grad=True)
        opt = torch.optim.SGD([w], lr=0.01)
        for _ in range(60):
            opt.zero_grad()
            (w.abs() if kind == "l1" else 0.5 * w ** 2).backward()
            opt.step()
        final[kind] = abs(w.item())
    return final["l1"] <= 0.01 < 0.02 < final["l2"]


@reference("basics.ensemble")
def ensemble(p: dict) -> dict:
    preds = torch.tensor(p["preds"], dtype=DT)
    k, v, c = len(p["preds"]), p["v"], p["c"]
    cov = c * torch.ones(k, k, dtype=DT) + (v - c) * torch.eye(k, dtype=DT)
    ones = torch.ones(k, dtype=DT)
    answers = {"a": preds.mean().item(), "b": int(torch.bincount(torch.tensor(p["votes"])).argmax()),
               "c": (ones @ cov @ ones / k ** 2).item()}
    if c:
        answers["d"] = (ones @ (v * torch.eye(k, dtype=DT)) @ ones / k ** 2).item()
    return answers
