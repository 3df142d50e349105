"""`quizgen solve net`: a torchinfo-style table of a layer stack from a net spec.

Each row: layer, output shape, parameters (biases counted); then the totals.  The figures
come from quizgen/layers.py.  With `--verify` they are recomputed with real torch nn modules
(through quizgen/references.py) and any disagreement is reported; without it torch is not
imported, so the answer comes at once.
"""

from __future__ import annotations

import json

from quizgen import layers as L
from quizgen.netspec import parse_netspec

WORDS = {
    "en": {"layer": "layer", "output": "output shape", "params": "params", "total": "total", "input": "input",
           "summary": "Trainable parameters: {total} (biases counted). Checked against PyTorch: {verdict}.",
           "agrees": "agrees", "not_run": "not run (add --verify)", "no_torch": "not checked (torch is not installed)",
           "disagrees": "disagrees at layer {i}: torch gives {shape}, {params} parameters"},
    "zh": {"layer": "层", "output": "输出形状", "params": "参数量", "total": "合计", "input": "输入",
           "summary": "可训练参数：{total}（含偏置）。与 PyTorch 核对：{verdict}。",
           "agrees": "一致", "not_run": "未核对（加 --verify 核对）", "no_torch": "未核对（未安装 torch）",
           "disagrees": "第 {i} 层不一致：torch 给出 {shape}，{params} 个参数"},
}


def net_rows(spec: str) -> tuple[list[int], list[dict], list[dict]]:
    """(input shape, layers, one row per layer: index, layer, output, params)."""
    shape, layers = parse_netspec(spec)
    rows, current = [], shape
    for i, layer in enumerate(layers, 1):
        params = L.param_count(layer, current)
        current = L.output_shape(layer, current)
        rows.append({"index": i, "layer": L.short(layer), "output": current, "params": params})
    return shape, layers, rows


def torch_check(shape: list[int], layers: list[dict], rows: list[dict], lang: str = "en") -> str:
    """'agrees', 'disagrees at layer ...' or 'not checked (torch is not installed)'."""
    from quizgen.references import torch_layer_check

    w = WORDS[lang]
    try:
        torch_rows = torch_layer_check(shape, layers)
    except ModuleNotFoundError as exc:
        if exc.name != "torch":
            raise
        return w["no_torch"]
    for row, (tshape, tparams) in zip(rows, torch_rows):
        if tshape != row["output"] or tparams != row["params"]:
            return w["disagrees"].format(i=row["index"], shape=tshape, params=tparams)
    return w["agrees"]


def print_net_summary(spec: str, as_json: bool, console, lang: str = "en", verify: bool = False) -> None:
    shape, layers, rows = net_rows(spec)
    w = WORDS["en" if as_json else lang]
    verdict = torch_check(shape, layers, rows, "en" if as_json else lang) if verify else w["not_run"]
    total = sum(r["params"] for r in rows)
    if as_json:
        print(json.dumps({"input": shape, "layers": rows, "total_params": total,
                          "torch_check": verdict if verify else "not run"}, indent=2))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{w['input']} {'×'.join(map(str, shape))}", header_style="bold")
    table.add_column("#", justify="right")
    table.add_column(w["layer"])
    table.add_column(w["output"])
    table.add_column(w["params"], justify="right")
    for r in rows:
        table.add_row(str(r["index"]), Text(r["layer"]), "×".join(map(str, r["output"])), f"{r['params']:,}")
    table.add_section()
    table.add_row("", w["total"], "", f"{total:,}")
    console.print(table)
    console.print(Text(w["summary"].format(total=f"{total:,}", verdict=verdict),
                       style="green" if verdict == w["agrees"] else ("yellow" if verify else "dim")))
