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
