"""`quizgen solve net`: a torchinfo-style table of a layer stack from a net spec.

Each row: layer, output shape, parameters (biases counted); then the totals.  The figures
come from problems/_layers.py; when torch is installed they are recomputed with real
nn modules (solvers/torch_ref.py) and any disagreement is reported.
"""

from __future__ import annotations

import json

from problems import _layers as L
from quizgen.netspec import parse_netspec


def net_rows(spec: str) -> tuple[list[int], list[dict], list[dict]]:
    """(input shape, layers, one row per layer: index, layer, output, params)."""
    shape, layers = parse_netspec(spec)
    rows, current = [], shape
    for i, layer in enumerate(layers, 1):
        params = L.param_count(layer, current)
        current = L.output_shape(layer, current)
        rows.append({"index": i, "layer": L.short(layer), "output": current, "params": params})
    return shape, layers, rows


def torch_check(shape: list[int], layers: list[dict], rows: list[dict]) -> str:
    """'agrees', 'disagrees: ...' or 'not checked (torch is not installed)'."""
    try:
        from solvers.torch_ref import run_stack
    except ModuleNotFoundError:
        return "not checked (torch is not installed)"
    for row, (tshape, tparams) in zip(rows, run_stack(shape, layers)):
        if tshape != row["output"] or tparams != row["params"]:
            return f"disagrees at layer {row['index']}: torch gives {tshape}, {tparams} parameters"
    return "agrees"


def print_net_summary(spec: str, as_json: bool, console) -> None:
    shape, layers, rows = net_rows(spec)
    verdict = torch_check(shape, layers, rows)
    total = sum(r["params"] for r in rows)
    if as_json:
        print(json.dumps({"input": shape, "layers": rows,
                          "total_params": total, "torch_check": verdict}, indent=2))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"input {'×'.join(map(str, shape))}", header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("layer")
    table.add_column("output shape")
    table.add_column("params", justify="right")
    for r in rows:
        table.add_row(str(r["index"]), Text(r["layer"]), "×".join(map(str, r["output"])), f"{r['params']:,}")
    table.add_section()
    table.add_row("", "total", "", f"{total:,}")
    console.print(table)
    console.print(Text(f"Trainable parameters: {total:,} (biases counted). Checked against PyTorch: {verdict}.",
                       style="green" if verdict == "agrees" else "yellow"))
