"""Torch float64 references for the convolution and pooling values.

    cnn.conv_values   F.conv2d(X, W, b, stride, padding): the per-channel maps with groups=2
                      (each channel by its own kernel), the output with one 2-channel kernel
    cnn.pool_values   F.max_pool2d / F.avg_pool2d(count_include_pad=...)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from solvers import reference


def _t(m) -> torch.Tensor:
    return torch.tensor(m, dtype=torch.float64)


@reference("cnn.conv_values")
def conv_values(params: dict) -> dict:
    s, p, b = params["stride"], params["padding"], float(params["bias"])
    images = [params["image"]] + ([params["image2"]] if params["image2"] is not None else [])
    kernels = [params["kernel"]] + ([params["kernel2"]] if params["kernel2"] is not None else [])
    x = _t(images).unsqueeze(0)                       # 1 × C × H × W
    w = _t(kernels).unsqueeze(0)                      # 1 output channel × C × kh × kw
    y = F.conv2d(x, w, _t([b]), stride=s, padding=p)[0, 0]
    answers = {"a": list(y.shape)}
    if len(images) == 1:
        answers["b"] = y.tolist()
    else:
        maps = F.conv2d(x, w.transpose(0, 1), stride=s, padding=p, groups=2)[0]  # each channel alone
        answers |= {"b": maps[0].tolist(), "c": maps[1].tolist(), "d": y.tolist()}
    return answers


@reference("cnn.pool_values")
def pool_values(params: dict) -> dict:
    k, p = params["k"], params["padding"]
    s = params["stride"] if params["stride"] is not None else k
    x = _t(params["x"])[None, None]
    if params["kind"] == "max":
        y = F.max_pool2d(x, k, s, p)[0, 0]
    else:
        y = F.avg_pool2d(x, k, s, p, count_include_pad=params["count_include_pad"])[0, 0]
    return {"a": list(y.shape), "b": y.tolist()}
