"""Networks of McCulloch-Pitts threshold neurons, judged by the truth table they compute.

    neuron     y = 1 if w·x ≥ θ else 0        (spec form "threshold", fire ">=")
               y = 1 if w·x + b ≥ 0 else 0    (form "bias": written with b, θ = −b)
               fire ">" makes the comparison strict
    network    layers in order; each layer a list of neurons, each written [w1, ..., wn, θ];
               a layer's outputs are the next layer's inputs; the last layer has one neuron
    table      the outputs for every input in {0,1}^n, in binary counting order
               (00, 01, 10, 11 for n = 2)

An answer is one neuron (`1, 1, 1.5` or `[1, 1, 1.5]`) or layers separated by `;` or new
lines (`[[1, 1, 0.5], [-1, -1, -1.5]]; [1, 1, 1.5]`).  Two answers are equal when their
tables are, so any valid neuron for AND is right.  Arithmetic is exact (Fractions).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from fractions import Fraction

from quizgen.errors import FormatError
from quizgen.parse import normalize, parse_number

MAX_LAYERS, MAX_NEURONS, MAX_INPUTS = 3, 8, 4


def _layer(text: str) -> list[list[float]]:
    s = text.strip()
    if s.startswith("[["):
        rows = re.findall(r"\[([^\[\]]*)\]", s[1:-1] if s.endswith("]]") else s)
    elif s.startswith("["):
        rows = [s.strip("[]")]
    else:
        rows = [s]
    out = []
    for row in rows:
        items = [x for x in re.split(r"[,\s]+", row.strip()) if x]
        if not items:
            raise FormatError("a neuron needs its weights and a threshold, like 1, 1, 1.5")
        out.append([float(parse_number(x)) for x in items])
    return out


def parse_network(text: str, inputs: int) -> list[list[list[float]]]:
    """Read an answer as layers of neurons and check that the sizes fit `inputs` inputs."""
    s = normalize(text)
    if not s:
        raise FormatError("empty answer")
    layers = [_layer(chunk) for chunk in re.split(r"[;\n]", s) if chunk.strip()]
    if not 1 <= len(layers) <= MAX_LAYERS or any(len(layer) > MAX_NEURONS for layer in layers):
        raise FormatError(f"at most {MAX_LAYERS} layers of {MAX_NEURONS} neurons")
    width = inputs
    for n, layer in enumerate(layers, 1):
        if any(len(neuron) != width + 1 for neuron in layer):
            raise FormatError(f"layer {n}: each neuron needs {width} weight{'s' if width > 1 else ''} "
                              f"and a threshold ({width + 1} numbers)")
        width = len(layer)
    if width != 1:
        raise FormatError("the last layer must have exactly one neuron")
    return layers


@functools.lru_cache(maxsize=None)
def inputs_in_order(n: int) -> tuple[tuple[int, ...], ...]:
    return tuple(itertools.product((0, 1), repeat=n))


def _neuron(neuron, form: str) -> tuple[list[int], int]:
    """[w1, ..., wn, θ] as integers over their common denominator: (weights·D, θ·D), exact.
    With form "bias" the last number is b, and θ = −b."""
    weights = [Fraction(w) for w in neuron[:-1]]
    theta = -Fraction(neuron[-1]) if form == "bias" else Fraction(neuron[-1])
    den = math.lcm(theta.denominator, *(w.denominator for w in weights))
    return [int(w * den) for w in weights], int(theta * den)


def table(network, n: int, form: str = "threshold", strict: bool = False) -> list[int]:
    """The network's output for every input of {0,1}^n, in binary counting order.  Inputs and
    every neuron's output are 0 or 1, so w·x is the sum of the weights of the inputs that are 1."""
    layers = [[_neuron(neuron, form) for neuron in layer] for layer in network]
    out = []
    for x in inputs_in_order(n):
        values = x
        for layer in layers:
            sums = [(sum(w for w, xi in zip(weights, values) if xi), theta) for weights, theta in layer]
            values = [int(total > theta) if strict else int(total >= theta) for total, theta in sums]
        out.append(values[0])
    return out


def show_network(network) -> str:
    def num(v):
        return f"{float(v):g}"

    layers = []
    for layer in network:
        rows = ["[" + ", ".join(num(v) for v in neuron) + "]" for neuron in layer]
        layers.append(rows[0] if len(rows) == 1 else "[" + ", ".join(rows) + "]")
    return "; ".join(layers)
