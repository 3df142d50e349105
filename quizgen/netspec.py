"""The net spec a student types for `quizgen solve net`: layers separated by `;` or newlines.

    in 1x28x28; conv 25 k3; maxpool 2; conv 50 k3 s1 p0; avgpool 2 s2; flatten; fc 10

    in CxHxW | in LxF | in L      input: an image, a sequence of L feature vectors, L token ids
    mode keras                    Keras: fc (Dense) on a C×H×W map acts on the channel axis
                                  (channels_last's last axis); RNN and LSTM get one bias per gate
    strict                        every conv/pool must fit exactly: (H + 2P - K)/S an integer
    conv OUT kK [sS] [pP] [dD] [nobias]      K, S, P, D: 3 or 3x5 (height x width)
    maxpool K [sS] [pP]  |  avgpool K [sS] [pP]   (pool = maxpool; stride defaults to K)
    flatten | fc OUT [nobias] (linear, dense) | relu | sigmoid | tanh | bn | dropout P
    gap | adaptiveavgpool HxW
    basic C [sS] | bottleneck W [sS] | dense N gK [bB] | transition θ|C   (quizgen/blocks.py)
    embedding V D | rnn H | lstm H | gru H [layers=N] [bidirectional] [nobias|onebias] | last
    subsample K | c3                         (LeNet-5 1998, quizgen/lenet1998.py)
    any item followed by xN: N copies (a block's stride applies to the first copy only)
    a preset name alone (quizgen/presets.py): lenet5, resnet50, ...

Parsed by regular expressions only; anything else is a QuizgenError naming the item.
"""

from __future__ import annotations

import re

from quizgen import layers as L
from quizgen.errors import QuizgenError

MAX_LAYERS = 64
_OPT = re.compile(r"([kspdgb])=?(\d{1,4})(?:x(\d{1,4}))?$")
_REPEAT = re.compile(r"x(\d{1,3})$")
_NOARG = ("flatten", "bn", "gap", "last", "c3") + L.ACTIVATIONS


def _int(text: str, what: str, item: str, low: int = 1, high: int = 100_000) -> int:
    if not re.fullmatch(r"\d{1,7}", text):
        raise QuizgenError(f"net spec: {what} must be a whole number in {item!r}")
    value = int(text)
    if not low <= value <= high:
        raise QuizgenError(f"net spec: {what} {value} is out of range {low}..{high} in {item!r}")
    return value


def _options(tokens: list[str], allowed: str, item: str) -> tuple[dict, set[str]]:
    """k3 / s2x1 / p1 options (an int, or [h, w]) and bare flags."""
    opts: dict = {}
    flags: set[str] = set()
    for tok in tokens:
        if tok in ("nobias", "bias=false", "onebias", "bidirectional", "bi"):
            flags.add({"bias=false": "nobias", "bi": "bidirectional"}.get(tok, tok))
            continue
        m = _OPT.match(tok)
        if tok.startswith("layers=") and "L" in allowed:
            opts["layers"] = _int(tok[7:], "layers", item, 1, 8)
            continue
        if not m or m.group(1) not in allowed or (m.group(3) and m.group(1) in "gb"):
            raise QuizgenError(f"net spec: unknown option {tok!r} in {item!r}")
        key, low = m.group(1), 0 if m.group(1) == "p" else 1
        h = _int(m.group(2), key, item, low=low, high=512)
        opts[key] = [h, _int(m.group(3), key, item, low=low, high=512)] if m.group(3) else h
    return opts, flags


def _no_flags(flags: set[str], allowed: set[str], item: str) -> None:
    if flags - allowed:
        raise QuizgenError(f"net spec: {sorted(flags - allowed)[0]} does not apply to {item!r}")


def _fraction(text: str, item: str) -> str:
    if not re.fullmatch(r"0?\.\d{1,4}|0|1(\.0+)?", text):
        raise QuizgenError(f"net spec: expected a fraction from 0 to 1, like 0.5, in {item!r}")
    return text


def _pair_text(text: str, item: str) -> list[int] | int:
    m = re.fullmatch(r"(\d{1,4})(?:x(\d{1,4}))?", text)
    if not m:
        raise QuizgenError(f"net spec: expected a size like 7x7 in {item!r}")
    h = _int(m.group(1), "size", item, 1, 4096)
    w = _int(m.group(2), "size", item, 1, 4096) if m.group(2) else h
    return [h, w]


def parse_item(item: str, keras: bool) -> dict:
    """One layer dict from one item (no repeat suffix)."""
    name, *rest = item.split()
    args = [r for r in rest if not _OPT.match(r) and r not in ("nobias", "bias=false", "onebias",
                                                               "bidirectional", "bi") and not r.startswith("layers=")]
    if name in _NOARG and not rest:
        return {"type": name}
    if name == "conv":
        opts, flags = _options(rest[1:], "kspd", item)
        _no_flags(flags, {"nobias"}, item)
        if not rest:
            raise QuizgenError(f"net spec: conv needs a kernel count, like `conv 25 k3`, in {item!r}")
        if "k" not in opts:
            raise QuizgenError(f"net spec: conv needs a kernel size, like k3, in {item!r}")
        return L.conv(_int(rest[0], "kernel count", item), opts["k"], opts.get("s", 1), opts.get("p", 0),
                      opts.get("d", 1), "nobias" not in flags)
    if name in ("maxpool", "avgpool", "pool"):
        if not rest:
            raise QuizgenError(f"net spec: {name} needs a kernel size, like `{name} 2`")
        opts, flags = _options(rest[1:], "sp", item)
        _no_flags(flags, set(), item)
        k = _pair_text(rest[0], item)
        return L.pool("avgpool" if name == "avgpool" else "maxpool", k, opts.get("s"), opts.get("p", 0))
    if name in ("fc", "linear", "dense") and not (name == "dense" and len(rest) > 1 and rest[1].startswith("g")):
        if not rest:
            raise QuizgenError("net spec: fc needs an output size, like `fc 10`")
        opts, flags = _options(rest[1:], "", item)
        _no_flags(flags, {"nobias"}, item)
        layer = L.fc(_int(rest[0], "output size", item), "nobias" not in flags)
        return dict(layer, keras=True) if keras else layer
    if name == "dropout" and len(rest) == 1:
        return {"type": "dropout", "p": _fraction(rest[0], item)}
    if name == "adaptiveavgpool" and len(rest) == 1:
        return {"type": "adaptiveavgpool", "size": _pair_text(rest[0], item)}
    if name == "subsample" and len(rest) == 1:
        return {"type": "subsample", "k": _int(rest[0], "window", item, 1, 16)}
    if name in ("basic", "bottleneck", "dense", "transition", "embedding", "rnn", "lstm", "gru"):
        return _parse_modern(name, rest, args, item, keras)
    raise QuizgenError(f"net spec: unknown layer {item!r}")


_MODERN_OPTIONS = {"basic": ("s", set()), "bottleneck": ("s", set()), "dense": ("gb", set()),
                   "transition": ("", set()), "embedding": ("", set()),
                   **{n: ("L", {"nobias", "onebias", "bidirectional"}) for n in ("rnn", "lstm", "gru")}}


def _parse_modern(name: str, rest: list[str], args: list[str], item: str, keras: bool) -> dict:
    allowed, allowed_flags = _MODERN_OPTIONS[name]
    opts, flags = _options([r for r in rest if r not in args], allowed, item)
    _no_flags(flags, allowed_flags, item)
    if name in ("basic", "bottleneck") and len(args) == 1:
        key = "out" if name == "basic" else "width"
        return {"type": name, key: _int(args[0], "channels", item), "s": opts.get("s", 1)}
    if name == "dense" and len(args) == 1 and "g" in opts:
        return {"type": "dense", "n": _int(args[0], "layers", item, 1, 64), "growth": opts["g"],
                "bn_size": opts.get("b", 4)}
    if name == "transition" and len(args) == 1:
        if "." in args[0] or args[0] in ("0", "1"):
            return {"type": "transition", "theta": _fraction(args[0], item)}
        return {"type": "transition", "out": _int(args[0], "channels", item)}
    if name == "embedding" and len(args) == 2:
        return {"type": "embedding", "num": _int(args[0], "vocabulary size", item, 1, 10_000_000),
                "dim": _int(args[1], "embedding size", item)}
    if name in ("rnn", "lstm", "gru") and len(args) == 1:
        if {"nobias", "onebias"} <= flags:
            raise QuizgenError(f"net spec: nobias and onebias together in {item!r}")
        default = "one" if keras and name != "gru" else "pytorch"
        bias = "none" if "nobias" in flags else "one" if "onebias" in flags else default
        return {"type": name, "hidden": _int(args[0], "hidden size", item), "layers": opts.get("layers", 1),
                "bidirectional": "bidirectional" in flags, "bias": bias}
    raise QuizgenError(f"net spec: cannot read {item!r} (see `quizgen solve net --help`)")


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
    if not re.fullmatch(r"\d{1,7}(\s*[x,*]\s*\d{1,5}){0,2}", dims):
        raise QuizgenError(f"net spec: input must be CxHxW, LxF or L, like `in 1x28x28`, got {items[0]!r}")
    shape = [_int(v.strip(), "input size", items[0], 1, 1_000_000) for v in re.split(r"[x,*]", dims)]
    keras = strict = False
    layers: list[dict] = []
    for item in items[1:]:
        if item in ("mode keras", "keras", "mode pytorch"):
            keras = item != "mode pytorch"
            continue
        if item == "strict":
            strict = True
            continue
        copies = 1
        words = item.split()
        if len(words) > 1 and _REPEAT.fullmatch(words[-1]):
            copies = _int(_REPEAT.fullmatch(words[-1]).group(1), "repeat count", item, 1, 64)
            item = " ".join(words[:-1])
        layer = parse_item(item, keras)
        layers.append(layer)
        layers.extend([dict(layer, s=1) if layer["type"] in ("basic", "bottleneck") else layer] * (copies - 1))
        if len(layers) > MAX_LAYERS:
            raise QuizgenError(f"net spec: at most {MAX_LAYERS} layers")
    check_stack(shape, layers, strict)
    return shape, layers


def check_stack(shape: list[int], layers: list[dict], strict: bool = False) -> None:
    """Raise a QuizgenError naming the first layer whose output would be impossible
    (or, with `strict`, whose window does not fit the padded input exactly)."""
    current = list(shape)
    for i, layer in enumerate(layers, 1):
        if strict and layer["type"] in ("conv",) + L.POOLS and len(current) == 3 and not L.is_exact(current, layer):
            rows, cols = (L.unseen(current[1 + a], layer, a) for a in (0, 1))
            raise QuizgenError(f"net spec: layer {i} ({L.short(layer)}) does not fit exactly (strict): "
                               f"(H + 2P - K)/S is not an integer; {rows} row(s) and {cols} column(s) "
                               f"of the padded input are never seen")
        try:
            current = L.output_shape(layer, current)
        except ValueError as exc:
            raise QuizgenError(f"net spec: layer {i} ({L.short(layer)}): {exc}") from None
        if min(current) < 1:
            raise QuizgenError(f"net spec: layer {i} ({L.short(layer)}) gives an empty output")
