"""training.predict recomputed by the torch reference trainer (float64).

    model  = Linear(n_in, H) → Sigmoid/Tanh → Linear(H, 1), weights copied from the params
    train(model, data, data, epochs=N, optimizer=SGD(η), batch_size=n, shuffle=False,
          loss_fn=half_mse)   # one epoch = one full-batch step; the "test" set is the
                              # training set, so test_loss after epoch k is E after step k
    E before training = the trainer's initial test loss (measure_initial=True)
    the weights after step k = the model's parameters after k one-epoch runs of the trainer

Autograd does the backward pass; nothing here shares code with problems/training_predict.py.
"""

from __future__ import annotations

import torch
from torch import nn

from quizgen.model import part_id
from solvers import reference
from solvers.trainer import half_mse, optimizer, train


def build(params: dict) -> nn.Sequential:
    w1 = torch.tensor(params["W1"], dtype=torch.float64)
    act = nn.Sigmoid() if params["act"] == "sigmoid" else nn.Tanh()
    model = nn.Sequential(nn.Linear(w1.shape[1], w1.shape[0]), act, nn.Linear(w1.shape[0], 1)).double()
    with torch.no_grad():
        model[0].weight.copy_(w1)
        model[0].bias.copy_(torch.tensor(params["b1"], dtype=torch.float64))
        model[2].weight.copy_(torch.tensor([params["w2"]], dtype=torch.float64))
        model[2].bias.fill_(params["b2"])
    return model


def loss_curve(params: dict, lr: float, steps: int) -> list[float]:
    """E before training and after each full-batch step, from the reference trainer on the CPU."""
    x = torch.tensor(params["x"], dtype=torch.float64)
    y = torch.tensor(params["t"], dtype=torch.float64).reshape(-1, 1)
    result = train(build(params), (x, y), (x, y), epochs=steps, optimizer=optimizer("sgd", lr),
                   batch_size=len(x), shuffle=False, loss_fn=half_mse, classify=False, device="cpu",
                   quiet=True, measure_initial=True)
    return [result.initial.test_loss] + result.curve("test_loss")


def weights_after(model: nn.Sequential) -> dict:
    return {"W1": model[0].weight.tolist(), "b1": model[0].bias.tolist(),
            "w2": model[2].weight[0].tolist(), "b2": float(model[2].bias.detach()[0])}


@reference("training.predict")
def training_predict(params: dict) -> dict:
    x = torch.tensor(params["x"], dtype=torch.float64)
    y = torch.tensor(params["t"], dtype=torch.float64).reshape(-1, 1)
    model = build(params)
    values = []
    for k in range(params["steps"]):
        result = train(model, (x, y), (x, y), epochs=1, optimizer=optimizer("sgd", params["lr"]),
                       batch_size=len(x), shuffle=False, loss_fn=half_mse, classify=False, device="cpu",
                       quiet=True, measure_initial=k == 0)
        if k == 0:
            values.append(result.initial.test_loss)
        w = weights_after(model)
        values += [w["w2"], w["b2"], w["W1"], w["b1"], result.final.test_loss]
    if not params["steps"]:
        values.append(loss_curve(params, params["lr"], 0)[0])
    answers = {part_id(k): v for k, v in enumerate(values)}
    if "probe_lrs" in params:
        letters = []
        for i, lr in enumerate(params["probe_lrs"]):
            probe = loss_curve(params, lr, 10)
            if not probe[-1] <= probe[0]:
                letters.append(part_id(i))
        answers[part_id(len(values))] = letters
    return answers
