"""PyTorch's recurrent layers as arithmetic (shared by rnn.shapes and rnn.params).

    D = 2 if bidirectional else 1;  H_out = proj_size if proj_size > 0 (LSTM) else hidden_size
    output  (L, N, D·H_out)   (N, L, D·H_out) with batch_first   (L, D·H_out) unbatched
    h_n     (D·num_layers, N, H_out)  — batch_first never changes h_n or c_n
    c_n     (D·num_layers, N, hidden_size)                        (LSTM only)
    params per layer and direction:  G·H·(in + H_out) + biases + [P·H (LSTM projection)]
            G = 1 (RNN), 3 (GRU), 4 (LSTM);  in = input_size for layer 1, D·H_out after it
            biases: 2·G·H (PyTorch: b_ih and b_hh), G·H (textbook: one per gate), 0 (bias=False)
    nn.Embedding(num, dim):  (*) → (*, dim),  num·dim parameters (no bias)
"""

from __future__ import annotations

GATES = {"rnn": 1, "gru": 3, "lstm": 4}
CLASS = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}


def directions(p: dict) -> int:
    return 2 if p["bidirectional"] else 1


def h_out(p: dict) -> int:
    return p.get("proj_size", 0) or p["hidden"]


def layer_inputs(p: dict, layer: int, h: int | None = None) -> int:
    """Inputs of layer `layer` (0-based): input_size, then D·H_out (h overrides H_out)."""
    return p["input"] if layer == 0 else directions(p) * (h_out(p) if h is None else h)


def layer_params(p: dict, layer: int, bias_vectors: int | None = None, h: int | None = None) -> int:
    """Parameters of one layer, both directions."""
    G, H, P = GATES[p["module"]], p["hidden"], p.get("proj_size", 0)
    nb = {"pytorch": 2, "one": 1, "none": 0}[p["bias"]] if bias_vectors is None else bias_vectors
    per_direction = G * H * (layer_inputs(p, layer, h) + (P or H)) + nb * G * H + P * H
    return directions(p) * per_direction


def total_params(p: dict, **kw) -> int:
    return sum(layer_params(p, layer, **kw) for layer in range(p["layers"]))


def torch_code(p: dict) -> str:
    """The module as a PyTorch constructor call."""
    args = [str(p["input"]), str(p["hidden"])]
    if p["layers"] != 1:
        args.append(f"num_layers={p['layers']}")
    if p.get("bias") == "none":
        args.append("bias=False")
    if p.get("batch_first"):
        args.append("batch_first=True")
    if p["bidirectional"]:
        args.append("bidirectional=True")
    if p.get("proj_size"):
        args.append(f"proj_size={p['proj_size']}")
    return f"nn.{CLASS[p['module']]}({', '.join(args)})"
