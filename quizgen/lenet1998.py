"""The layers of LeNet-5 as in LeCun, Bottou, Bengio and Haffner (1998), preset `lenet5-1998`.

    subsample K   trainable subsampling (S2, S4): each output = a·(sum of a K×K block) + b,
                  one coefficient a and one bias b per map: 2C parameters;
                  connections C·H_out·W_out·(K² + 1)
    c3            C3: 16 maps of 5×5 kernels over a sparse subset of S2's 6 maps (Table I):
                  Σ_j (|inputs_j|·25 + 1) = 60·25 + 16 = 1,516 parameters;
                  connections 10·10·1,516 = 151,600

Connections of the other layers (quizgen/layers.connections): conv C_out·H_out·W_out·(C_in·K² + 1),
fc N_out·(N_in + 1).  Paper's figures: C1 156/122,304, S2 12/5,880, C3 1,516/151,600,
S4 32/2,000, C5 48,120/48,120, F6 10,164/10,164.
"""

from __future__ import annotations

KINDS = ("subsample", "c3")

# Table I of the paper: the S2 maps (columns 0..5) each C3 map (row) is connected to.
C3_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)
C3_K = 5


def output_shape(layer: dict, shape: list[int], _output_shape=None) -> list[int]:
    if len(shape) != 3:
        raise ValueError(f"{layer['type']} needs a C×H×W input")
    c, h, w = shape
    if layer["type"] == "subsample":
        k = layer["k"]
        if h < k or w < k:
            raise ValueError("the subsampling window is larger than the input")
        return [c, h // k, w // k]
    if c != 6 or h < C3_K or w < C3_K:
        raise ValueError("c3 takes the 6 maps of S2 (6×H×W, H and W at least 5)")
    return [len(C3_TABLE), h - C3_K + 1, w - C3_K + 1]


def param_count(layer: dict, shape: list[int], _param_count=None, _output_shape=None) -> int:
    if layer["type"] == "subsample":
        return 2 * shape[0]
    return sum(len(inputs) * C3_K * C3_K + 1 for inputs in C3_TABLE)


def connections(layer: dict, shape: list[int]) -> int:
    c, h, w = output_shape(layer, shape)
    if layer["type"] == "subsample":
        return c * h * w * (layer["k"] ** 2 + 1)
    return h * w * param_count(layer, shape)


def short(layer: dict) -> str:
    return f"subsample {layer['k']}×{layer['k']}" if layer["type"] == "subsample" else "c3 (sparse table)"


def torch_code(layer: dict, shape: list[int]) -> str:
    if layer["type"] == "subsample":
        return f"Subsample({shape[0]}, {layer['k']})"
    return "C3(Table I)"
