"""PyTorch references for the backprop topic: autograd in float64 recomputes every part.

    backprop.mlp   the same network as leaf tensors; z and a kept with retain_grad();
                   loss.backward() gives δ = z.grad and every ∂E/∂W, ∂E/∂b;
                   torch.optim.SGD(lr=η) takes the step (simultaneous updates).  Sequential
                   updates: SGD steps the output layer first, then each lower layer's δ comes
                   from autograd through the surrogate  Σ δ⁽ˡ⁺¹⁾·(W_new⁽ˡ⁺¹⁾ f(z⁽ˡ⁾) + b),
                   whose gradient in z⁽ˡ⁾ is (W_newᵀ δ⁽ˡ⁺¹⁾) ⊙ f′(z⁽ˡ⁾).
                   Losses from torch.nn.functional: mse_loss (sum / mean), cross_entropy on
                   the logits, binary_cross_entropy.

The part order is the family's (problems/backprop_mlp.py writes it in the same order; the
registry-wide test compares every part id).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from problems._mlp_params import named_weights
from quizgen.model import part_id
from solvers import reference

_ACT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda z: z,
        "softmax": lambda z: torch.softmax(z, 0)}


def _loss(name: str, z: torch.Tensor, a: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if name in ("half_sse", "sse"):
        return F.mse_loss(a, y, reduction="sum") * (0.5 if name == "half_sse" else 1.0)
    if name in ("mse", "half_mse"):
        return F.mse_loss(a, y, reduction="mean") * (0.5 if name == "half_mse" else 1.0)
    if name == "ce":
        return F.cross_entropy(z.unsqueeze(0), y.unsqueeze(0), reduction="sum")  # y as class probabilities
    return F.binary_cross_entropy(a, y, reduction="sum")


def _forward(p: dict, W: list, b: list, x: torch.Tensor):
    zs, acts = [], [x]
    for l, (w, bias) in enumerate(zip(W, b)):
        z = w @ acts[-1] + (bias if bias is not None else 0.0)
        z.retain_grad()
        a = _ACT[p["output"] if l == len(W) - 1 else p["hidden"]](z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def _step(p: dict, W: list, b: list, x: torch.Tensor, y: torch.Tensor) -> dict:
    L = len(W)
    zs, acts = _forward(p, W, b, x)
    E = _loss(p["loss"], zs[-1], acts[-1], y)
    trainable = W + [v for v in b if v is not None and p["update_biases"]]
    opt = torch.optim.SGD(trainable, lr=p["eta"])
    opt.zero_grad()
    E.backward()
    out = {"z": [z.detach().clone() for z in zs], "a": [a.detach().clone() for a in acts[1:]], "E": E.item(),
           "delta": {}, "gW": {}, "gb": {}, "W": {}, "b": {}}
    if p["updates"] == "simultaneous":
        for l in range(L):
            out["delta"][l] = zs[l].grad.clone()
            out["gW"][l] = W[l].grad.clone()
            out["gb"][l] = b[l].grad.clone() if b[l] is not None else None
        opt.step()
    else:
        delta = zs[-1].grad.clone()
        for l in range(L - 1, -1, -1):
            if l < L - 1:  # δ of this layer through the already-updated layer above
                for v in W + [v for v in b if v is not None]:
                    v.grad = None
                zs2, acts2 = _forward(p, W[:l + 1], b[:l + 1], x)
                act = _ACT[p["hidden"]](zs2[l])
                above = W[l + 1].detach() @ act + (b[l + 1].detach() if b[l + 1] is not None else 0.0)
                (above * delta).sum().backward()
                delta = zs2[l].grad.clone()
            out["delta"][l] = delta
            out["gW"][l] = W[l].grad.clone()
            out["gb"][l] = b[l].grad.clone() if b[l] is not None else None
            layer = [W[l]] + ([b[l]] if b[l] is not None and p["update_biases"] else [])
            torch.optim.SGD(layer, lr=p["eta"]).step()
    out["W"] = {l: W[l].detach().clone() for l in range(L)}
    out["b"] = {l: b[l].detach().clone() if b[l] is not None else None for l in range(L)}
    return out


@reference("backprop.mlp")
def backprop_mlp(p: dict) -> dict:
    torch.set_grad_enabled(True)
    dt = torch.float64
    x, y = torch.tensor(p["x"], dtype=dt), torch.tensor(p["y"], dtype=dt)
    W = [torch.tensor(w, dtype=dt, requires_grad=True) for w in p["W"]]
    b = [torch.tensor(v, dtype=dt, requires_grad=True) if v else None for v in p["b"]]
    sizes = [len(p["x"])] + [len(w) for w in p["W"]]
    names = named_weights(sizes, p["numbering"])
    show = (lambda m: m.tolist()) if p["layout"] == "out_in" else (lambda m: m.T.tolist())
    answers: list = []
    for _ in range(p["steps"]):
        r = _step(p, W, b, x, y)
        for z, a in zip(r["z"], r["a"]):
            answers += [z.tolist(), a.tolist()]
        answers.append(r["E"])
        for l in range(len(W) - 1, -1, -1):
            answers.append(r["delta"][l].tolist())
            if p["naming"] == "named":
                mine = [(j, i) for ll, j, i in names if ll == l]
                answers += [r["gW"][l][j, i].item() for j, i in mine]
                answers += [r["W"][l][j, i].item() for j, i in mine]
            else:
                answers += [show(r["gW"][l]), show(r["W"][l])]
            if p["update_biases"] and b[l] is not None:
                answers += [r["gb"][l].tolist(), r["b"][l].tolist()]
    return {part_id(i): v for i, v in enumerate(answers)}
