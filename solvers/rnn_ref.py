"""PyTorch references for the recurrent families: the problem's weights are copied into real
torch modules (float64) and every part is read back from them.

    rnn.forward  nn.RNN(nonlinearity=tanh|relu): h_t from the module's output; a_t from its
                 weight_ih_l0 x + bias_ih_l0 + weight_hh_l0 h + bias_hh_l0; y from nn.Linear,
                 ŷ from torch.softmax.  The textbook one-bias form is mapped onto PyTorch's
                 as bias_ih = b_h, bias_hh = 0.
"""

from __future__ import annotations

import torch
from torch import nn

from quizgen.model import part_id
from solvers import reference

F64 = torch.float64


def tensor(x) -> torch.Tensor:
    return torch.tensor(x, dtype=F64)


def copy_into(module: nn.Module, **weights) -> nn.Module:
    """Overwrite the module's parameters by name (`weight_ih_l0=...`), float64, no grad."""
    module = module.to(F64)
    with torch.no_grad():
        for name, value in weights.items():
            getattr(module, name).copy_(tensor(value))
    return module


def value(v: torch.Tensor):
    """A part's value: a number for size 1, else a list."""
    flat = v.reshape(-1).tolist()
    return flat[0] if len(flat) == 1 else flat


def answers(values: list) -> dict:
    return {part_id(i): v for i, v in enumerate(values)}


# ---------------------------------------------------------------- rnn.forward

@reference("rnn.forward")
def rnn_forward(params: dict) -> dict:
    H, d = len(params["h0"]), len(params["x"][0])
    if params["biases"] == "one":
        b_ih, b_hh = params["b_h"], [0.0] * H      # textbook b_h = PyTorch's bias_ih, bias_hh = 0
    else:
        b_ih, b_hh = params["b_ih"], params["b_hh"]
    rnn = copy_into(nn.RNN(d, H, nonlinearity=params["act"]), weight_ih_l0=params["W_xh"],
                    weight_hh_l0=params["W_hh"], bias_ih_l0=b_ih, bias_hh_l0=b_hh)
    x = tensor(params["x"]).unsqueeze(1)                      # (T, batch 1, d)
    h0 = tensor(params["h0"]).reshape(1, 1, H)
    with torch.no_grad():
        out, _ = rnn(x, h0)                                   # (T, 1, H)
        hs = torch.cat([h0[0], out[:, 0]])                    # h_0 … h_T
        pre = x[:, 0] @ rnn.weight_ih_l0.T + rnn.bias_ih_l0 + hs[:-1] @ rnn.weight_hh_l0.T + rnn.bias_hh_l0
        values = []
        if params["output"] != "none":
            fc = copy_into(nn.Linear(H, len(params["b_y"])), weight=params["W_hy"], bias=params["b_y"])
            ys = fc(out[:, 0])
        for k in range(len(params["x"])):
            values += [value(pre[k]), value(out[k, 0])]
            if params["output"] != "none":
                values.append(value(ys[k]))
            if params["output"] == "softmax":
                values.append(torch.softmax(ys[k], 0).tolist())
    return answers(values)
