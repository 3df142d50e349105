"""Recurrent layers of a net spec (`solve net`): embedding, RNN, LSTM, GRU, last step.

Shapes have no batch axis: a sequence is L×F (batch_first layout without N).

    embedding V D      (L) token ids → L×D;  V·D parameters (nn.Embedding, no bias)
    rnn|lstm|gru H     L×F → L×(D·H), D = 2 if bidirectional;  per layer and direction
                       G·H·(F_l + H) + biases, G = 1 (RNN), 4 (LSTM), 3 (GRU);
                       F_1 = F, F_l = D·H after the first layer (layers=N)
                       biases: 2·G·H (PyTorch: b_ih and b_hh; Keras GRU with reset_after),
                       G·H (one per gate: Keras SimpleRNN and LSTM, textbooks), 0 (nobias)
    last               L×F → F, the output at the last time step (x[:, -1])
"""

from __future__ import annotations

KINDS = ("embedding", "rnn", "lstm", "gru", "last")
GATES = {"rnn": 1, "gru": 3, "lstm": 4}
BIAS_VECTORS = {"pytorch": 2, "one": 1, "none": 0}
CLASS = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}


def directions(layer: dict) -> int:
    return 2 if layer.get("bidirectional") else 1


def output_shape(layer: dict, shape: list[int], _output_shape=None) -> list[int]:
    kind = layer["type"]
    if kind == "embedding":
        return list(shape) + [layer["dim"]]
    if len(shape) != 2:
        raise ValueError(f"{kind} needs a sequence L×features (like `in 20x300`, or an embedding first)")
    if kind == "last":
        return [shape[1]]
    return [shape[0], directions(layer) * layer["hidden"]]


def layer_params(layer: dict, inputs: int, index: int) -> int:
    """Parameters of stacked layer `index` (0-based), both directions."""
    G, H = GATES[layer["type"]], layer["hidden"]
    f = inputs if index == 0 else directions(layer) * H
    return directions(layer) * (G * H * (f + H) + BIAS_VECTORS[layer.get("bias", "pytorch")] * G * H)


def param_count(layer: dict, shape: list[int], _param_count=None, _output_shape=None) -> int:
    kind = layer["type"]
    if kind == "embedding":
        return layer["num"] * layer["dim"]
    if kind == "last":
        return 0
    return sum(layer_params(layer, shape[-1], i) for i in range(layer.get("layers", 1)))


def short(layer: dict) -> str:
    kind = layer["type"]
    if kind == "embedding":
        return f"embedding {layer['num']} {layer['dim']}"
    if kind == "last":
        return "last"
    extra = f" layers={layer['layers']}" if layer.get("layers", 1) != 1 else ""
    extra += " bidirectional" if layer.get("bidirectional") else ""
    extra += {"pytorch": "", "one": " onebias", "none": " nobias"}[layer.get("bias", "pytorch")]
    return f"{kind} {layer['hidden']}{extra}"


def torch_code(layer: dict, shape: list[int]) -> str:
    kind = layer["type"]
    if kind == "embedding":
        return f"nn.Embedding({layer['num']}, {layer['dim']})"
    if kind == "last":
        return "x[:, -1]"
    args = [str(shape[-1]), str(layer["hidden"])]
    if layer.get("layers", 1) != 1:
        args.append(f"num_layers={layer['layers']}")
    if layer.get("bias") == "none":
        args.append("bias=False")
    args.append("batch_first=True")
    if layer.get("bidirectional"):
        args.append("bidirectional=True")
    code = f"nn.{CLASS[kind]}({', '.join(args)})"
    return code + (" (one bias vector per gate, as Keras)" if layer.get("bias") == "one" else "")
