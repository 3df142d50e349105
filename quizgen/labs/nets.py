"""Small networks shared by the labs.

    mlp:       Flatten → [Linear(width) → activation (→ Dropout)] × depth → Linear(classes)
    small CNN: Conv(1→16, 3×3, pad 1) → ReLU → MaxPool 2 → Conv(16→32, 3×3, pad 1) → ReLU
               → MaxPool 2 → Flatten → Linear(32·2·2 → 10)   (for 1×8×8 digits)
    residual:  x + Linear(ReLU(Linear(x))) blocks between an input and an output layer
"""

from __future__ import annotations

import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}


def mlp(n_in: int, width: int, depth: int, n_out: int = 10, activation: str = "relu",
        dropout: float = 0.0, init: str | None = None) -> nn.Sequential:
    """A fully connected net with `depth` hidden layers; `init` is None (PyTorch's default),
    "xavier" (Glorot) or "he" (Kaiming, for ReLU)."""
    layers: list[nn.Module] = [nn.Flatten()]
    size = n_in
    for _ in range(depth):
        layers += [nn.Linear(size, width), ACTIVATIONS[activation]()]
        if dropout:
            layers.append(nn.Dropout(dropout))
        size = width
    layers.append(nn.Linear(size, n_out))
    net = nn.Sequential(*layers)
    if init is not None:
        for m in net:
            if isinstance(m, nn.Linear):
                if init == "xavier":
                    nn.init.xavier_normal_(m.weight)
                else:
                    nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
    return net


def linear_layers(net: nn.Module) -> list[nn.Linear]:
    return [m for m in net.modules() if isinstance(m, nn.Linear)]


def small_cnn(channels: tuple[int, int] = (16, 32), n_out: int = 10) -> nn.Sequential:
    a, b = channels
    return nn.Sequential(
        nn.Conv2d(1, a, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(a, b, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(b * 2 * 2, n_out))


class Residual(nn.Module):
    """y = x + W2·ReLU(W1·x): the block passes its input through unchanged plus a correction."""

    def __init__(self, width: int):
        super().__init__()
        self.inner = nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, width))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.inner(x)


def deep_net(n_in: int, width: int, blocks: int, residual: bool, n_out: int = 10) -> nn.Sequential:
    """`blocks` two-layer blocks (so 2·blocks + 2 Linear layers), plain or with skips."""
    body: list[nn.Module] = []
    for _ in range(blocks):
        if residual:
            body += [Residual(width), nn.ReLU()]
        else:
            body += [nn.Linear(width, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU()]
    return nn.Sequential(nn.Flatten(), nn.Linear(n_in, width), nn.ReLU(), *body, nn.Linear(width, n_out))


class SequenceClassifier(nn.Module):
    """nn.RNN or nn.LSTM over the sequence, then a Linear layer on the last hidden state.

    The LSTM's forget-gate bias starts at `forget_bias` (PyTorch gate order i, f, g, o; the two bias
    vectors are summed, so b_ih holds it and b_hh is 0)."""

    def __init__(self, cell: str, n_in: int, hidden: int, n_out: int, forget_bias: float = 1.0):
        super().__init__()
        kind = {"rnn": nn.RNN, "lstm": nn.LSTM}[cell]
        self.rnn = kind(n_in, hidden, batch_first=True)
        if cell == "lstm":  # forget-gate bias > 0 (Jozefowicz et al. 2015): remember by default
            with torch.no_grad():
                self.rnn.bias_ih_l0[hidden:2 * hidden].fill_(forget_bias)
                self.rnn.bias_hh_l0[hidden:2 * hidden].zero_()
        self.head = nn.Linear(hidden, n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(x)
        return self.head(out[:, -1])
