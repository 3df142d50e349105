"""PyTorch references for the gradient-descent topic (float64).

    gd.batch_variants   w, b as leaf tensors; each batch's loss from F.mse_loss (reduction mean or
                        sum, times ½ if stated), loss.backward(), torch.optim.SGD(lr=η).step(); the
                        variant with the most optimizer steps names the choice
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from quizgen.model import part_id
from solvers import reference

DT = torch.float64


def _loss(p: dict, w, b, x, t):
    return F.mse_loss(w * x + b, t, reduction=p["loss"]) * (0.5 if p["half"] else 1.0)


@reference("gd.batch_variants")
def batch_variants(p: dict) -> dict:
    torch.set_grad_enabled(True)
    x, t = torch.tensor(p["x"], dtype=DT), torch.tensor(p["t"], dtype=DT)
    n = len(p["x"])
    answers = [_loss(p, torch.tensor(p["w"], dtype=DT), torch.tensor(p["b"], dtype=DT), x, t).item()]
    finals, steps = [], {}
    for name, size in (("bgd", n), ("sgd", 1), ("mini", p["batch"])):
        w = torch.tensor(p["w"], dtype=DT, requires_grad=True)
        b = torch.tensor(p["b"], dtype=DT, requires_grad=True)
        opt = torch.optim.SGD([w, b], lr=p["eta"])
        steps[name] = 0
        for start in range(0, n, size):
            opt.zero_grad()
            _loss(p, w, b, x[start:start + size], t[start:start + size]).backward()
            opt.step()
            steps[name] += 1
            answers.append([w.item(), b.item()])
        finals.append(_loss(p, w.detach(), b.detach(), x, t).item())
    answers += finals
    most = max(steps.values())
    answers.append(["a"] if steps["sgd"] == most and list(steps.values()).count(most) == 1 else ["d"])
    return {part_id(i): v for i, v in enumerate(answers)}
