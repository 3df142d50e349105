"""The net spec a student types for `quizgen solve net`: layers separated by `;` or newlines.

    in 1x28x28; conv 25 k3; maxpool 2; conv 50 k3 s1 p0; avgpool 2 s2; flatten; fc 10

    in CxHxW                      input shape (required, first)
    conv OUT kK [sS] [pP] [dD] [nobias]
    maxpool K [sS] [pP]  |  avgpool K [sS] [pP]   (pool = maxpool; stride defaults to K)
    flatten  |  fc OUT [nobias]  (linear = fc)  |  relu | sigmoid | tanh
    a preset name alone: lenet5, alexnet, vgg16

Parsed by regular expressions only; anything else is a QuizgenError naming the item.
"""

from __future__ import annotations

import re

from quizgen import layers as L
from quizgen.errors import QuizgenError

MAX_LAYERS = 64
_OPT = re.compile(r"([kspd])=?(\d{1,4})$")


def _int(text: str, what: str, item: str, low: int = 1, high: int = 100_000) -> int:
    if not re.fullmatch(r"\d{1,7}", text):
        raise QuizgenError(f"net spec: {what} must be a whole number in {item!r}")
    value = int(text)
    if not low <= value <= high:
        raise QuizgenError(f"net spec: {what} {value} is out of range {low}..{high} in {item!r}")
    return value


def _options(tokens: list[str], allowed: str, item: str) -> tuple[dict[str, int], bool]:
    opts: dict[str, int] = {}
    nobias = False
    for tok in tokens:
        if tok in ("nobias", "bias=false"):
            nobias = True
            continue
        m = _OPT.match(tok)
        if not m or m.group(1) not in allowed:
            raise QuizgenError(f"net spec: unknown option {tok!r} in {item!r}")
        opts[m.group(1)] = _int(m.group(2), m.group(1), item, low=0 if m.group(1) == "p" else 1, high=512)
    return opts, nobias


def parse_netspec(text: str) -> tuple[list[int], list[dict]]:
    """Return (input shape, layers) for a net spec or preset name; check every shape."""
    if not isinstance(text, str) or len(text) > 4000:
        raise QuizgenError("net spec is missing or too long")
    text = text.strip().lower().replace("×", "x")
    if text in L.PRESETS:
        text = L.PRESETS[text]
    items = [it.strip() for it in re.split(r"[;\n]", text) if it.strip()]
    if not items or not items[0].startswith(("in ", "input ")):
        raise QuizgenError("net spec must start with the input shape, like `in 1x28x28`")
    dims = items[0].split(None, 1)[1].strip("() ")
    if not re.fullmatch(r"\d{1,5}(\s*[x,*]\s*\d{1,5}){2}", dims):
        raise QuizgenError(f"net spec: input must be CxHxW, like `in 1x28x28`, got {items[0]!r}")
    shape = [_int(v.strip(), "input size", items[0], 1, 10_000) for v in re.split(r"[x,*]", dims)]
    layers: list[dict] = []
    for item in items[1:]:
        name, *rest = item.split()
        if name == "conv":
            if not rest:
                raise QuizgenError(f"net spec: conv needs a kernel count, like `conv 25 k3`, in {item!r}")
            opts, nobias = _options(rest[1:], "kspd", item)
            if "k" not in opts:
                raise QuizgenError(f"net spec: conv needs a kernel size, like k3, in {item!r}")
            layer = L.conv(_int(rest[0], "kernel count", item), opts["k"], opts.get("s", 1),
                           opts.get("p", 0), opts.get("d", 1), not nobias)
        elif name in ("maxpool", "avgpool", "pool"):
            if not rest:
                raise QuizgenError(f"net spec: {name} needs a kernel size, like `{name} 2`")
            opts, nobias = _options(rest[1:], "sp", item)
            if nobias:
                raise QuizgenError(f"net spec: pooling has no bias, in {item!r}")
            layer = L.pool("avgpool" if name == "avgpool" else "maxpool", _int(rest[0], "kernel size", item, 1, 512),
                           opts.get("s"), opts.get("p", 0))
        elif name in ("fc", "linear", "dense"):
            if not rest:
                raise QuizgenError(f"net spec: fc needs an output size, like `fc 10`")
            opts, nobias = _options(rest[1:], "", item)
            layer = L.fc(_int(rest[0], "output size", item), not nobias)
        elif name in ("flatten",) + L.ACTIVATIONS and not rest:
            layer = {"type": name}
        else:
            raise QuizgenError(f"net spec: unknown layer {item!r}")
        layers.append(layer)
    if len(layers) > MAX_LAYERS:
        raise QuizgenError(f"net spec: at most {MAX_LAYERS} layers")
    check_stack(shape, layers)
    return shape, layers


def check_stack(shape: list[int], layers: list[dict]) -> None:
    """Raise a QuizgenError naming the first layer whose output would be impossible."""
    current = list(shape)
    for i, layer in enumerate(layers, 1):
        try:
            current = L.output_shape(layer, current)
        except ValueError as exc:
            raise QuizgenError(f"net spec: layer {i} ({L.short(layer)}): {exc}") from None
        if min(current) < 1:
            raise QuizgenError(f"net spec: layer {i} ({L.short(layer)}) gives an empty output")
