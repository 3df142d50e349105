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
