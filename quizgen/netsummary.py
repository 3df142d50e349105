"""`quizgen solve net`: a torchinfo-style table of a layer stack from a net spec.

Each row: layer, output shape, parameters (biases and BatchNorm's γ, β counted; running
statistics not: they are buffers, counted apart); then the totals and notes.  Beside the
shared count, the conv layers' count without weight sharing (a locally connected layer has
one weight per connection: C_out·H_out·W_out·(C_in·kh·kw + 1)).  The connections column
appears for the 1998 LeNet-5 layers.  The figures come from quizgen/layers.py.  With
`--verify` they are recomputed with real torch nn modules (through quizgen/references.py)
and any disagreement is reported; without it torch is not imported.
"""

from __future__ import annotations

import json

from quizgen import layers as L
from quizgen.netspec import parse_netspec
from quizgen.text import by_lang

WORDS = by_lang({
    "en": {"layer": "layer", "output": "output shape", "params": "params", "total": "total", "input": "input",
           "connections": "connections",
           "summary": "Trainable parameters: {total} (biases counted). Checked against PyTorch: {verdict}.",
           "agrees": "agrees", "not_run": "not run (add --verify)", "no_torch": "not checked (torch is not installed)",
           "disagrees": "disagrees at layer {i}: torch gives {shape}, {params} parameters, {buffers} buffers",
           "bn": "BatchNorm: γ and β are counted as learnable (2C per layer); the running mean and variance "
                 "({buffers:,} values) are buffers, not parameters, and are not in the total.",
           "sharing": "Without weight sharing (locally connected layers, one weight per connection) the conv "
                      "rows ({which}) would need {unshared:,} parameters instead of {shared:,}: sharing saves {saved:,}.",
           "keras": "Keras mode: a Dense layer on a C×H×W map acts on the channel axis (the last axis in Keras's "
                    "channels_last layout) and keeps H×W; SimpleRNN and LSTM have one bias per gate, GRU "
                    "(reset_after) two.",
           "pytorch_rnn": "PyTorch convention: recurrent layers have two bias vectors per gate (b_ih and b_hh).",
           "lenet": "Connections as in LeCun et al. 1998: one per multiply-add, plus one per bias, for every output."},
    "zh": {"layer": "层", "output": "输出形状", "params": "参数量", "total": "合计", "input": "输入",
           "connections": "连接数",
           "summary": "可训练参数：{total}（含偏置）。与 PyTorch 核对：{verdict}。",
           "agrees": "一致", "not_run": "未核对（加 --verify 核对）", "no_torch": "未核对（未安装 torch）",
           "disagrees": "第 {i} 层不一致：torch 给出 {shape}，{params} 个参数，{buffers} 个缓冲量",
           "bn": "批归一化（BatchNorm）：γ 和 β 计为可学习参数（每层 2C 个）；滑动均值和方差（{buffers:,} 个值）"
                 "是缓冲量，不是参数，不计入合计。",
           "sharing": "若不共享权重（局部连接层，每个连接一个权重），卷积行（{which}）需要 {unshared:,} 个参数，而不是 "
                      "{shared:,}：权重共享省下 {saved:,} 个。",
           "keras": "Keras 模式：作用在 C×H×W 特征图上的 Dense 层作用于通道轴（Keras 的 channels_last 布局中的最后一轴），"
                    "保持 H×W；SimpleRNN 和 LSTM 每个门一个偏置，GRU（reset_after）两个。",
           "pytorch_rnn": "PyTorch 约定：循环层每个门有两个偏置向量（b_ih 和 b_hh）。",
           "lenet": "连接数按 LeCun 等人 1998 年的算法：每个输出的每次乘加算一个连接，偏置再算一个。"},
})


def net_rows(spec: str) -> tuple[list[int], list[dict], list[dict]]:
    """(input shape, layers, one row per layer: index, layer, output, params, buffers, connections)."""
    shape, layers = parse_netspec(spec)
    rows, current = [], shape
    for i, layer in enumerate(layers, 1):
        row = {"index": i, "layer": L.short(layer), "params": L.param_count(layer, current),
               "buffers": L.buffer_count(layer, current), "connections": L.connections(layer, current)}
        current = L.output_shape(layer, current)
        rows.append({**row, "output": current})
    return shape, layers, rows


def notes(layers: list[dict], rows: list[dict], lang: str) -> list[str]:
    """The conventions that apply to this stack, in words."""
    w, out = WORDS[lang], []
    buffers = sum(r["buffers"] for r in rows)
    if any(layer["type"] in ("bn",) + L.blocks.KINDS for layer in layers):
        out.append(w["bn"].format(buffers=buffers))
    convs = [r for layer, r in zip(layers, rows) if layer["type"] == "conv"]
    if convs:
        shared, unshared = sum(r["params"] for r in convs), sum(r["connections"] for r in convs)
        which = "#" + ", #".join(str(r["index"]) for r in convs)
        out.append(w["sharing"].format(shared=shared, unshared=unshared, saved=unshared - shared, which=which))
    if any(layer.get("keras") for layer in layers) or any(
            layer.get("bias") == "one" and layer["type"] in ("rnn", "lstm") for layer in layers):
        out.append(w["keras"])
    elif any(layer["type"] in L.recurrent.GATES and layer.get("bias") == "pytorch" for layer in layers):
        out.append(w["pytorch_rnn"])
    if any(layer["type"] in L.lenet1998.KINDS for layer in layers):
        out.append(w["lenet"])
    return out


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
    for row, (tshape, tparams, tbuffers) in zip(rows, torch_rows):
        if tshape != row["output"] or tparams != row["params"] or tbuffers != row["buffers"]:
            return w["disagrees"].format(i=row["index"], shape=tshape, params=tparams, buffers=tbuffers)
    return w["agrees"]


def print_net_summary(spec: str, as_json: bool, console, lang: str = "en", verify: bool = False) -> None:
    shape, layers, rows = net_rows(spec)
    w = WORDS["en" if as_json else lang]
    verdict = torch_check(shape, layers, rows, "en" if as_json else lang) if verify else w["not_run"]
    total = sum(r["params"] for r in rows)
    if as_json:
        print(json.dumps({"input": shape, "layers": rows, "total_params": total,
                          "total_buffers": sum(r["buffers"] for r in rows), "notes": notes(layers, rows, "en"),
                          "torch_check": verdict if verify else "not run"}, indent=2))
        return
    from rich.table import Table
    from rich.text import Text

    wired = any(layer["type"] in L.lenet1998.KINDS for layer in layers)
    table = Table(title=f"{w['input']} {'×'.join(map(str, shape))}", header_style="bold")
    table.add_column("#", justify="right")
    table.add_column(w["layer"])
    table.add_column(w["output"])
    table.add_column(w["params"], justify="right")
    if wired:
        table.add_column(w["connections"], justify="right")
    for r in rows:
        cells = [str(r["index"]), Text(r["layer"]), "×".join(map(str, r["output"])), f"{r['params']:,}"]
        if wired:
            cells.append("" if r["connections"] is None else f"{r['connections']:,}")
        table.add_row(*cells)
    table.add_section()
    table.add_row("", w["total"], "", f"{total:,}", *([f"{sum(r['connections'] or 0 for r in rows):,}"] if wired else []))
    console.print(table)
    for line in notes(layers, rows, lang):
        console.print(Text(line, style="dim"))
    console.print(Text(w["summary"].format(total=f"{total:,}", verdict=verdict),
                       style="green" if verdict == w["agrees"] else ("yellow" if verify else "dim")))
