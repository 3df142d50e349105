"""Transformer references in torch float64, independent of problems/_transformer.py.

    attention   F.scaled_dot_product_attention(q, k, v, attn_mask, is_causal, scale): the output;
                the same call with v = I gives the weights A (A·I = A); given scores S are
                fed as q = S, k = I (so qkᵀ = S).  Masks: is_causal=True, or a boolean
                attn_mask (True = may attend) with the padded key columns False.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from solvers import reference


def _t(m) -> torch.Tensor:
    return torch.tensor(m, dtype=torch.float64)


def _rows(x: torch.Tensor) -> list[list[float]]:
    return [[float(v) for v in row] for row in x]


def _sdpa(q, k, v, params: dict, dk: int) -> torch.Tensor:
    scale = 1 / math.sqrt(dk) if params["scale"] == "sqrt" else 1.0
    mask = None
    if params["mask"] == "padding":
        keep = torch.ones(k.shape[0], dtype=torch.bool)
        keep[[p - 1 for p in params["padded"]]] = False
        mask = keep.expand(q.shape[0], k.shape[0])
    return F.scaled_dot_product_attention(q[None], k[None], v[None], attn_mask=mask,
                                          is_causal=params["mask"] == "causal", scale=scale)[0]


@reference("transformer.attention")
def attention(params: dict) -> dict:
    from quizgen.model import part_id

    out = []
    if params["mode"] == "x":
        X = _t(params["X"])
        q, k, v = (X @ _t(params[w]) for w in ("WQ", "WK", "WV"))
        out += [q, k, v]
    elif params["mode"] == "qkv":
        q, k, v = (_t(params[m]) for m in "QKV")
    if params["mode"] == "scores":
        s, dk = _t(params["S"]), params["dk"]
        q, k, v = s, torch.eye(s.shape[1], dtype=torch.float64), _t(params["V"])
    else:
        dk = q.shape[1]
        out.append(q @ k.T)
    if params["scale"] == "sqrt":
        out.append((q @ k.T) / math.sqrt(dk))
    eye = torch.eye(k.shape[0], dtype=torch.float64)
    out += [_sdpa(q, k, eye, params, dk), _sdpa(q, k, v, params, dk)]
    return {part_id(i): _rows(x) for i, x in enumerate(out)}


def _numel(module) -> int:
    return sum(p.numel() for p in module.parameters())


@reference("transformer.shapes")
def transformer_layer(params: dict) -> dict:
    """The real nn.MultiheadAttention / nn.TransformerEncoderLayer / nn.TransformerDecoderLayer on
    the meta device: parameter counts by numel; shapes from a forward pass (the heads' Q as
    scaled_dot_product_attention receives it, the weights with average_attn_weights=False, the
    feed-forward hidden layer from a hook on linear1)."""
    import torch.nn as nn

    from quizgen.model import part_id

    d, h, N, L, S, bf = params["d"], params["h"], params["N"], params["L"], params["S"], params["batch_first"]
    kind, bias = params["layer"], params["bias"]
    seen: list = []
    real = F.scaled_dot_product_attention

    def spy(q, *args, **kwargs):
        seen.append(list(q.shape))
        return real(q, *args, **kwargs)

    with torch.device("meta"):
        x = torch.empty((N, L, d) if bf else (L, N, d))
        mem = torch.empty((N, S, d) if bf else (S, N, d))
        if kind == "mha":
            layer = attn = nn.MultiheadAttention(d, h, bias=bias, batch_first=bf)
        elif kind == "encoder":
            layer = nn.TransformerEncoderLayer(d, h, params["d_ff"], dropout=0.0, bias=bias, batch_first=bf)
            attn = layer.self_attn
        else:
            layer = nn.TransformerDecoderLayer(d, h, params["d_ff"], dropout=0.0, bias=bias, batch_first=bf)
            attn = layer.self_attn
        F.scaled_dot_product_attention = spy
        try:
            concat = attn(x, x, x, need_weights=False)[0]
        finally:
            F.scaled_dot_product_attention = real
        weights = attn(x, x, x, need_weights=True, average_attn_weights=False)[1]
        out = [d // h, list(x.shape), seen[0], list(weights.shape)]
        if kind == "decoder":
            out.append(list(layer.multihead_attn(x, mem, mem, need_weights=True, average_attn_weights=False)[1].shape))
        out.append(list(concat.shape))
        if kind != "mha":
            hidden = []
            hook = layer.linear1.register_forward_hook(lambda m, i, o: hidden.append(list(o.shape)))
            y = layer(x, mem) if kind == "decoder" else layer(x)
            hook.remove()
            assert list(y.shape) == list(x.shape)
            out.append(hidden[0])
    out.append(_numel(attn))
    if kind != "mha":
        norms = [m for m in layer.modules() if isinstance(m, nn.LayerNorm)]
        out += [_numel(layer.linear1) + _numel(layer.linear2), sum(_numel(m) for m in norms), _numel(layer)]
        assert len(norms) == (3 if kind == "decoder" else 2)
    answers = {part_id(i): v for i, v in enumerate(out)}
    if kind != "mha":
        answers[part_id(len(out))] = _decoder_extras(params["order"])
    return answers


def _decoder_extras(order: list[int]) -> list[str]:
    """What a decoder layer has beyond an encoder layer, as option letters of the family's list:
    the cross-attention is read off torch's modules (the decoder's extra MultiheadAttention,
    `multihead_attn`); the masked self-attention is not a module (both layers accept a mask), so
    only its `tgt_is_causal` argument is confirmed and the option rests on Vaswani et al. §3.2.3."""
    import inspect

    import torch.nn as nn

    with torch.device("meta"):
        enc, dec = nn.TransformerEncoderLayer(8, 2, 16), nn.TransformerDecoderLayer(8, 2, 16)
    extra = {n for n, m in dec.named_children() if isinstance(m, nn.MultiheadAttention)} - \
        {n for n, m in enc.named_children() if isinstance(m, nn.MultiheadAttention)}
    found = []
    if extra == {"multihead_attn"}:
        found.append(1)  # cross-attention over the encoder's output
    if "tgt_is_causal" in inspect.signature(dec.forward).parameters:
        found.append(0)  # masked (causal) self-attention
    return sorted("abcdef"[order.index(i)] for i in found)


def _pe_table(n: int, d: int, base: float, layout: str, spacing: str) -> torch.Tensor:
    """The PyTorch tutorial's encoding (div_term = exp(−ln(base)·2i/d)), or its two halves;
    tensor2tensor's spacing: div_term = exp(−ln(base)·i/(d/2 − 1))."""
    position = torch.arange(n, dtype=torch.float64)[:, None]
    if spacing == "t2t":
        div_term = torch.exp(torch.arange(d // 2, dtype=torch.float64) * (-math.log(base) / max(d // 2 - 1, 1)))
    else:
        div_term = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(base) / d))
    if layout == "halves":
        return torch.cat([torch.sin(position * div_term), torch.cos(position * div_term)], dim=1)
    pe = torch.zeros(n, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe


def _pe_answers(params: dict, value) -> dict:
    from quizgen.model import part_id

    out = []
    for k in params["tokens"]:
        pos = k - 1 + params["start"]
        if params["dims"] is None:
            out.append([value(pos, j) for j in range(params["d"])])
        else:
            out += [value(pos, j) for j in params["dims"]]
    return {part_id(i): v for i, v in enumerate(out)}


@reference("transformer.posenc")
def posenc_torch(params: dict) -> dict:
    n = max(params["tokens"]) + params["start"]
    pe = _pe_table(n, params["d"], params["base"], params["layout"], params["spacing"])
    return _pe_answers(params, lambda pos, j: float(pe[pos, j]))


@reference("transformer.posenc")
def posenc_sympy(params: dict) -> dict:
    """The paper's formula in SymPy (exact angle pos / base^(2i/d), or tensor2tensor's
    pos / base^(i/(d/2 − 1)), evaluated to 15 digits)."""
    import sympy as sp

    d = params["d"]
    base = sp.nsimplify(params["base"])

    def value(pos: int, j: int) -> float:
        if params["layout"] == "interleaved":
            i, fn = j // 2, (sp.sin if j % 2 == 0 else sp.cos)
        else:
            i, fn = j % (d // 2), (sp.sin if j < d // 2 else sp.cos)
        exponent = sp.Rational(i, max(d // 2 - 1, 1)) if params["spacing"] == "t2t" else sp.Rational(2 * i, d)
        return float(fn(sp.Integer(pos) / base ** exponent).evalf(15))

    return _pe_answers(params, value)


@reference("transformer.posenc")
def posenc_tensor2tensor(params: dict) -> dict:
    """tensor2tensor's get_timing_signal_1d in torch (min_timescale 1, max_timescale = base):
    log_timescale_increment = ln(base)/max(d/2 − 1, 1), signal = [sin, cos] concatenated; the
    paper's spacing replaces the increment by 2·ln(base)/d.  Interleaved: the same columns
    alternated."""
    n, d, base = max(params["tokens"]) + params["start"], params["d"], params["base"]
    half = d // 2
    step = math.log(base) / max(half - 1, 1) if params["spacing"] == "t2t" else 2 * math.log(base) / d
    inv_timescales = torch.exp(torch.arange(half, dtype=torch.float64) * -step)
    scaled_time = torch.arange(n, dtype=torch.float64)[:, None] * inv_timescales[None, :]
    signal = torch.cat([torch.sin(scaled_time), torch.cos(scaled_time)], dim=1)
    if params["layout"] == "interleaved":
        signal = torch.stack([signal[:, :half], signal[:, half:]], dim=2).reshape(n, d)
    return _pe_answers(params, lambda pos, j: float(signal[pos, j]))
