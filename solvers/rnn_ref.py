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
    return x.to(F64) if isinstance(x, torch.Tensor) else torch.tensor(x, dtype=F64)


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


# ---------------------------------------------------------------- lstm.step

def lstm_module(params: dict) -> nn.LSTM:
    """nn.LSTM(d, H) holding the problem's weights.  The textbook layout is mapped onto PyTorch's:
    block k of weight_ih / weight_hh = the x / h columns of W_i, W_f, W_c, W_o (gate order i, f, g, o),
    bias_ih = b_i, b_f, b_c, b_o stacked, bias_hh = 0."""
    H, d = len(params["h0"]), len(params["x"][0])
    if params["layout"] == "pytorch":
        w = {k: params[k] for k in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")}
    else:
        W = [tensor(params[f"W_{n}"]) for n in ("i", "f", "c", "o")]
        h_cols, x_cols = (slice(0, H), slice(H, None)) if params["concat"] == "hx" else (slice(d, None), slice(0, d))
        w = {"weight_ih_l0": torch.cat([m[:, x_cols] for m in W]), "weight_hh_l0": torch.cat([m[:, h_cols] for m in W]),
             "bias_ih_l0": torch.cat([tensor(params[f"b_{n}"]) for n in ("i", "f", "c", "o")]),
             "bias_hh_l0": torch.zeros(4 * H, dtype=F64)}
    return copy_into(nn.LSTM(d, H), **w)


@reference("lstm.step")
def lstm_step(params: dict) -> dict:
    lstm = lstm_module(params)
    H = len(params["h0"])
    h, c = tensor(params["h0"]).reshape(1, 1, H), tensor(params["c0"]).reshape(1, 1, H)
    values = []
    with torch.no_grad():
        for x in params["x"]:
            xt = tensor(x).reshape(1, 1, -1)
            gates = xt[0, 0] @ lstm.weight_ih_l0.T + lstm.bias_ih_l0 + h[0, 0] @ lstm.weight_hh_l0.T + lstm.bias_hh_l0
            i, f, g, o = gates.chunk(4)                      # PyTorch's order
            _, (h, c) = lstm(xt, (h, c))                     # the module's own step
            values += [value(torch.sigmoid(f)), value(torch.sigmoid(i)), value(torch.tanh(g)),
                       value(torch.sigmoid(o)), value(c), value(h)]
    return answers(values)
