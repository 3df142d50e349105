"""PyTorch references for the recurrent families: the problem's weights are copied into real
torch modules (float64) and every part is read back from them.

    rnn.forward  nn.RNN(nonlinearity=tanh|relu): h_t from the module's output; a_t from its
                 weight_ih_l0 x + bias_ih_l0 + weight_hh_l0 h + bias_hh_l0; y from nn.Linear,
                 ŷ from torch.softmax.  The textbook one-bias form is mapped onto PyTorch's
                 as bias_ih = b_h, bias_hh = 0.
"""

from __future__ import annotations

import contextlib
import warnings

import torch
from torch import nn

from quizgen.model import part_id
from solvers import reference

F64 = torch.float64


@contextlib.contextmanager
def one_thread():
    """Tiny tensors: torch's thread pool only costs here (40× slower on a loaded machine)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


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


# ---------------------------------------------------------------- gru.step

def gru_weights(params: dict) -> list[dict[str, torch.Tensor]]:
    """Per layer, PyTorch's weight_ih / weight_hh / bias_ih / bias_hh (blocks r, z, n).  The textbook
    (cho) weights are mapped onto PyTorch's: [W_r; W_z; W_h], [U_r; U_z; U_h], [b_r; b_z; b_h], bias_hh = 0.
    Where z multiplies the candidate, z = 1 − z_PyTorch = σ(−a): the z block is negated."""
    H = len(params["h0"][0])
    if params["convention"] == "pytorch":
        out = [{n: tensor(params[f"{n}_l{ell}"]) for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
               for ell in range(len(params["h0"]))]
    else:
        cat = lambda name: torch.cat([tensor(params[f"{name}_{n}"]) for n in ("r", "z", "h")])  # noqa: E731
        out = [{"weight_ih": cat("W"), "weight_hh": cat("U"), "bias_ih": cat("b"),
                "bias_hh": torch.zeros(3 * H, dtype=F64)}]
    if params["update"] == "candidate":
        for w in out:
            for t_ in w.values():
                t_[H:2 * H] *= -1
    return out


def _gates(w: dict, x: torch.Tensor, h: torch.Tensor, reset: str):
    """r, z (PyTorch's), n of one layer from its weights split with chunk(3) in the order r, z, n."""
    i_r, i_z, i_n = (x @ w["weight_ih"].T + w["bias_ih"]).chunk(3)
    h_r, h_z, h_n = (h @ w["weight_hh"].T + w["bias_hh"]).chunk(3)
    r, z = torch.sigmoid(i_r + h_r), torch.sigmoid(i_z + h_z)
    if reset == "after":
        n = torch.tanh(i_n + r * h_n)
    else:  # W_hn (r ⊙ h) + b_hn: no torch module has it, so it is written out with torch ops
        H = h.shape[0]
        n = torch.tanh(i_n + (r * h) @ w["weight_hh"][2 * H:].T + w["bias_hh"][2 * H:])
    return r, z, n


@reference("gru.step")
def gru_step(params: dict) -> dict:
    """nn.GRU (num_layers 1 or 2) stepped once per input gives every h_t; gates from its weights.
    Where the reset gate comes before U_h (and matters: hidden size > 1), h_t is (1−z)⊙n + z⊙h by torch ops."""
    W, L, H = gru_weights(params), len(params["h0"]), len(params["h0"][0])
    d, flip = len(params["x"][0]), params["update"] == "candidate"
    module_path = params["reset"] == "after" or H == 1 and all(float(w["bias_hh"][2 * H:].abs().sum()) == 0 for w in W)
    gru = copy_into(nn.GRU(d, H, num_layers=L), **{f"{n}_l{ell}": w[n] for ell, w in enumerate(W) for n in w})
    h = tensor(params["h0"]).reshape(L, 1, H)
    values = []
    with torch.no_grad():
        for x in params["x"]:
            xt = tensor(x).reshape(1, 1, d)
            if module_path:
                _, h_new = gru(xt, h)
            inp, layer_h = xt[0, 0], []
            for ell in range(L):
                r, z, n = _gates(W[ell], inp, h[ell, 0], params["reset"])
                mine = (1 - z) * n + z * h[ell, 0]
                out = h_new[ell, 0] if module_path else mine
                values += [value(r), value(1 - z if flip else z), value(n), value(out)]
                layer_h.append(out)
                inp = out
            h = torch.stack(layer_h).reshape(L, 1, H)
    return answers(values)


# ---------------------------------------------------------------- rnn.shapes, rnn.params

def recurrent_module(p: dict, device: str = "meta") -> nn.Module:
    """nn.RNN / nn.LSTM / nn.GRU with the problem's constructor arguments."""
    cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[p["module"]]
    kw = {"proj_size": p["proj_size"]} if p.get("proj_size") else {}
    return cls(p["input"], p["hidden"], num_layers=p["layers"], bias=p.get("bias", "pytorch") != "none",
               batch_first=p.get("batch_first", False), bidirectional=p["bidirectional"], device=device, **kw)


@reference("rnn.shapes")
def rnn_shapes(params: dict) -> dict:
    """The real modules run on a zero tensor (on the CPU under no_grad: for recurrent layers that is
    faster than the meta device, which steps through time in Python); nn.Embedding on the meta device."""
    if params["module"] == "embedding":
        emb = nn.Embedding(params["num"], params["dim"], device="meta")
        out = emb(torch.zeros(params["shape"], dtype=torch.long, device="meta"))
        return {"a": list(out.shape), "b": sum(w.numel() for w in emb.parameters())}
    with torch.no_grad(), warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore", UserWarning)  # "LSTM with projections is not supported with oneDNN"
        out, state = recurrent_module(params, "cpu")(torch.zeros(params["shape"]))
    got = {"a": list(out.shape)}
    if params["module"] == "lstm":
        got["b"], got["c"] = list(state[0].shape), list(state[1].shape)
    else:
        got["b"] = list(state.shape)
    return got


@reference("rnn.params")
def rnn_params(params: dict) -> dict:
    """numel() of the real module's parameters, per layer (names ending _l{k} or _l{k}_reverse).
    The textbook convention (one bias per gate) is PyTorch's count less its bias_hh vectors."""
    m = recurrent_module(params)
    per = [0] * params["layers"]
    for name, w in m.named_parameters():
        if params["bias"] == "one" and name.startswith("bias_hh"):
            continue
        per[int(name.split("_l")[1].split("_")[0])] += w.numel()
    if params["layers"] == 1:
        return {"a": sum(per)}
    assert len(set(per[1:])) == 1  # every later layer alike
    return {"a": per[0], "b": per[1], "c": sum(per)}


# ---------------------------------------------------------------- rnn.bptt

@reference("rnn.bptt")
def rnn_bptt(params: dict) -> dict:
    """Autograd.  The total: nn.RNN(1, 1)'s weight_hh_l0.grad.  The terms: the same network unrolled
    by hand with its own copy of w_hh at each step, so ∂L/∂(copy k) is exactly term k.  The factors:
    autograd.grad(h_j, h_{j−1}).  The concept parts: where the right option was shuffled to."""
    x, T = params["x"], len(params["x"])
    rnn = copy_into(nn.RNN(1, 1), weight_ih_l0=[[params["w_xh"]]], weight_hh_l0=[[params["w_hh"]]],
                    bias_ih_l0=[params["b"]], bias_hh_l0=[0.0])
    out, _ = rnn(tensor(x).reshape(T, 1, 1), tensor([params["h0"]]).reshape(1, 1, 1))
    loss = 0.5 * (params["w_hy"] * out[-1, 0, 0] - params["target"]) ** 2
    loss.backward()
    copies = [tensor(params["w_hh"]).requires_grad_() for _ in range(T)]
    hs = [tensor(params["h0"]).requires_grad_()]
    for k in range(T):
        hs.append(torch.tanh(params["w_xh"] * x[k] + copies[k] * hs[-1] + params["b"]))
    y = params["w_hy"] * hs[-1]
    loss2 = 0.5 * (y - params["target"]) ** 2
    dh = torch.autograd.grad(loss2, hs[-1], retain_graph=True)[0]
    factors = [torch.autograd.grad(hs[j], hs[j - 1], retain_graph=True)[0] for j in range(T, 1, -1)]
    terms = torch.autograd.grad(loss2, copies)
    values = [v.item() for v in hs[1:]] + [dh.item()] + [f.item() for f in factors] + [v.item() for v in terms]
    values.append(rnn.weight_hh_l0.grad.item())
    values += [[part_id(params["order"].index(0))], [part_id(params["order_clip"].index(0))]]
    return answers(values)


# ---------------------------------------------------------------- rnn.embedding

@reference("rnn.embedding")
def rnn_embedding(params: dict) -> dict:
    """nn.Embedding tables V and U (U = V when tied); the lookup by calling the module; the scores
    U v_c, softmax and F.cross_entropy (= −log p_o); ∂L/∂v_c by autograd (V's gradient, row c)."""
    n, d = len(params["V"]), len(params["V"][0])
    V = copy_into(nn.Embedding(n, d), weight=params["V"])
    U = V if params["tied"] else copy_into(nn.Embedding(n, d), weight=params["U"])
    with torch.no_grad():
        rows = V(torch.tensor(params["ids"])).tolist()
    v = tensor(params["V"][params["centre"]]).requires_grad_()
    scores = U.weight.detach() @ v
    loss = nn.functional.cross_entropy(scores.unsqueeze(0), torch.tensor([params["context"]]))
    loss.backward()
    return {"a": rows, "b": v.detach().tolist(), "c": scores.tolist(), "d": torch.softmax(scores, 0).tolist(),
            "e": loss.item(), "f": v.grad.tolist()}
