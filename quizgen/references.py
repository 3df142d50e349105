"""The application's one door into solvers/ (the independent references).

    torch_layer_check(shape, layers) -> [(output shape, parameters, BatchNorm buffers)] per
                                        layer, from real torch nn modules (solvers/torch_ref.run_rows)

Everything else in quizgen/ reaches problems/ only through the family registry and never
imports solvers/ (tested).  Raises ModuleNotFoundError when torch is not installed.
"""

from __future__ import annotations


def torch_layer_check(shape: list[int], layers: list[dict]) -> list[tuple[list[int], int, int]]:
    from solvers.torch_ref import run_rows

    return run_rows(shape, layers)
