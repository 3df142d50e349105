"""Fixed examples from lectures and papers, with values known independently of this code."""

from __future__ import annotations

import json

import pytest

from quizgen.netsummary import net_rows
from quizgen.registry import get_family
from quizgen.sheet import build_problem
from conftest import run_cli


def test_lecture_stack_gives_50x5x5():
    _, _, rows = net_rows("in 1x28x28; conv 25 k3; maxpool 2; conv 50 k3; maxpool 2")
    assert [r["output"] for r in rows] == [[25, 26, 26], [25, 13, 13], [50, 11, 11], [50, 5, 5]]


def test_alexnet_conv1_and_pool1():
    _, _, rows = net_rows("in 3x227x227; conv 96 k11 s4; maxpool 3 s2")
    assert rows[0]["output"] == [96, 55, 55] and rows[0]["params"] == 34_944
    assert rows[1]["output"] == [96, 27, 27] and rows[1]["params"] == 0
    p = build_problem(get_family("cnn.params"), get_family("cnn.params").params_from_user(
        {"layer": "conv", "in": 3, "out": 96, "k": 11, "size": 227}), None, "custom")
    assert p.parts[0].answer == 34_944


def test_classic_network_totals():
    # published totals: LeNet-5 (this variant) 61,706; AlexNet (ungrouped) 62,378,344; VGG-16 138,357,544
    for name, total in [("lenet5", 61_706), ("alexnet", 62_378_344), ("vgg16", 138_357_544)]:
        _, _, rows = net_rows(name)
        assert sum(r["params"] for r in rows) == total


def test_vgg_on_cifar_in_features_is_512():
    spec = ("in 3x32x32; conv 64 k3 p1; maxpool 2; conv 128 k3 p1; maxpool 2; conv 256 k3 p1; maxpool 2; "
            "conv 512 k3 p1; maxpool 2; conv 512 k3 p1; maxpool 2; flatten; fc 10")
    _, _, rows = net_rows(spec)
    assert rows[-2]["output"] == [512]  # Linear(512, 10), not Linear(1024, 10)


def test_solve_net_json_is_checked_against_torch():
    pytest.importorskip("torch")
    r = run_cli("solve", "net", "in 1x28x28; conv 25 k3; maxpool 2; conv 50 k3; maxpool 2; flatten; fc 10", "--json",
                "--verify")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["layers"][3]["output"] == [50, 5, 5]
    assert data["total_params"] == 250 + 11_300 + 12_510
    assert data["torch_check"] == "agrees"
