"""Modern networks in the net spec (issue 15 §7-8, issue 13 §8): blocks, BatchNorm, presets,
rectangular kernels, strict mode, Keras mode, LeNet-5 (1998), recurrent layers.

Expected totals are published figures (torchvision's model cards, LeCun et al. 1998,
Chollet's "Deep Learning with Python"); the per-row torch check builds the same networks
from the torch.nn modules of solvers/nets_ref.py."""

from __future__ import annotations

import json
import random

import pytest

from quizgen.errors import QuizgenError
from quizgen.netspec import parse_netspec
from quizgen.netsummary import net_rows, notes
from conftest import run_cli

TORCHVISION = {"resnet18": 11_689_512, "resnet34": 21_797_672, "resnet50": 25_557_032,
               "vgg11": 132_863_336, "vgg16": 138_357_544, "vgg19": 143_667_240, "densenet121": 7_978_856}


def total(spec: str) -> int:
    return sum(r["params"] for r in net_rows(spec)[2])


@pytest.mark.parametrize("name", sorted(TORCHVISION))
def test_preset_totals_equal_torchvision(name):
    assert total(name) == TORCHVISION[name]


def test_resnet50_shapes_and_running_statistics():
    _, _, rows = net_rows("resnet50")
    assert [r["output"] for r in rows if r["layer"].startswith("bottleneck")][::4][:2] == [[256, 56, 56], [512, 28, 28]]
    assert rows[-2]["output"] == [2048] and rows[-1]["params"] == 2048 * 1000 + 1000
    # torchvision resnet50: 53,120 running-mean + running-var values, not parameters
    assert sum(r["buffers"] for r in rows) == 53_120
    assert rows[1]["params"] == 128 and rows[1]["buffers"] == 128  # bn after the stem: γ, β; mean, var


def test_densenet121_channels_through_blocks_and_transitions():
    _, _, rows = net_rows("densenet121")
    got = [r["output"][0] for r in rows if r["layer"].startswith(("dense", "transition"))]
    assert got == [256, 128, 512, 256, 1024, 512, 1024]


def test_basic_block_counts_by_hand():
    # identity shortcut: 2 × (64·64·9) + 2 × 2·64 = 73,984 (ResNet-18 layer1 block)
    assert total("in 64x56x56; basic 64") == 73_984
    # projection shortcut 64→128, stride 2: 64·128·9 + 128·128·9 + 64·128 + 3 × 2·128
    assert total("in 64x56x56; basic 128 s2") == 73_728 + 147_456 + 8_192 + 768
    _, _, rows = net_rows("in 64x56x56; basic 128 s2")
    assert rows[0]["output"] == [128, 28, 28]


def test_bottleneck_keeps_identity_when_channels_match():
    # conv1x1 256→64, 3×3 64→64, 1×1 64→256, three BNs: 16,384 + 36,864 + 16,384 + 2·(64+64+256)
    assert total("in 256x56x56; bottleneck 64") == 70_400
    assert total("in 64x56x56; bottleneck 64") == 4_096 + 36_864 + 16_384 + 768 + 16_384 + 512


def test_repeat_applies_a_blocks_stride_to_the_first_copy_only():
    _, layers = parse_netspec("in 64x56x56; basic 128 s2 x3")
    assert [layer["s"] for layer in layers] == [2, 1, 1]
    _, layers = parse_netspec("in 3x32x32; conv 8 k3 p1 x3")
    assert len(layers) == 3


def test_batchnorm_note_says_running_statistics_are_not_parameters():
    shape, layers, rows = net_rows("in 3x32x32; conv 16 k3; bn; relu; dropout 0.5; gap; fc 10")
    assert rows[1]["params"] == 32 and rows[1]["buffers"] == 32
    assert rows[4]["output"] == [16]
    assert any("running mean and variance (32 values) are buffers" in n for n in notes(layers, rows, "en"))
    assert any("滑动均值和方差" in n for n in notes(layers, rows, "zh"))


def test_adaptive_average_pool_fixes_the_vgg_classifier_input():
    # any input size gives Linear(25088, 4096) after AdaptiveAvgPool2d((7, 7))
    _, _, rows = net_rows("in 3x320x320; conv 512 k3 p1; maxpool 2; adaptiveavgpool 7x7; flatten; fc 4096")
    assert rows[-2]["output"] == [25_088] and rows[-1]["params"] == 25_088 * 4096 + 4096


# ------------------------------------------------------------------- LeNet-5 (1998)

def test_lenet5_1998_matches_the_paper():
    # LeCun, Bottou, Bengio, Haffner 1998, section II.B
    _, _, rows = net_rows("lenet5-1998")
    got = [(r["params"], r["connections"]) for r in rows if r["connections"] is not None]
    assert got == [(156, 122_304), (12, 5_880), (1_516, 151_600), (32, 2_000), (48_120, 48_120), (10_164, 10_164)]
    assert rows[2]["output"] == [16, 10, 10]


def test_lenet5_1998_table_lists_connections():
    r = run_cli("solve", "net", "lenet5-1998")
    assert r.returncode == 0, r.stderr
    assert "connections" in r.stdout and "151,600" in r.stdout and "60,000" in r.stdout


# ------------------------------------------------------------------- rectangular, strict, Keras

def test_rectangular_kernel_stride_padding():
    # H: (32 + 2 - 3)/1 + 1 = 32;  W: (32 + 0 - 5)/2 + 1 = 14 (floor)
    _, _, rows = net_rows("in 3x32x32; conv 8 k3x5 s1x2 p1x0")
    assert rows[0]["output"] == [8, 32, 14] and rows[0]["params"] == 8 * (3 * 15 + 1)
    _, _, rows = net_rows("in 1x28x28; maxpool 2x1")
    assert rows[0]["output"] == [1, 14, 28]


def test_strict_refuses_a_stride_that_does_not_fit_and_says_what_is_lost():
    # (32 - 4)/3 is not an integer: PyTorch floors to 10 and never sees 1 row; W: (32 - 5)/3 = 9 fits
    _, _, rows = net_rows("in 1x32x32; conv 4 k4x5 s3")
    assert rows[0]["output"] == [4, 10, 10]
    with pytest.raises(QuizgenError, match=r"layer 1 .*strict.*not an integer; 1 row\(s\) and 0 column"):
        net_rows("in 1x32x32; strict; conv 4 k4x5 s3")
    net_rows("in 1x32x32; strict; conv 4 k5 s3")  # (32 - 5)/3 = 9 exactly


def test_keras_mode_dense_on_a_feature_map():
    # Keras: Dense(10) on a 16×8×8 map acts on the 16 channels: 10·(16+1) = 170 parameters, 10×8×8
    _, _, rows = net_rows("in 16x8x8; mode keras; fc 10")
    assert rows[0]["output"] == [10, 8, 8] and rows[0]["params"] == 170
    with pytest.raises(QuizgenError, match="flattened input"):
        net_rows("in 16x8x8; fc 10")


# ------------------------------------------------------------------- recurrent layers

def test_recurrent_counts_from_published_examples():
    # Chollet, Deep Learning with Python, 6.2: Embedding(10000, 32) 320,000; SimpleRNN(32) 2,080;
    # LSTM(32) 8,320 (Keras: one bias per gate)
    _, _, rows = net_rows("in 500; mode keras; embedding 10000 32; rnn 32; last; fc 1")
    assert [r["params"] for r in rows] == [320_000, 2_080, 0, 33]
    assert total("in 500; mode keras; embedding 10000 32; lstm 32") == 320_000 + 8_320
    # PyTorch's nn.LSTM(10, 20): 4·20·(10 + 20) + 2·4·20 = 2,560
    assert total("in 5x10; lstm 20") == 2_560
    # 2 layers, bidirectional GRU(8 → 16): layer 2 takes 2·16 inputs
    assert total("in 5x8; gru 16 layers=2 bidirectional") == 2 * (3 * 16 * 24 + 96) + 2 * (3 * 16 * 48 + 96)
    _, _, rows = net_rows("in 7x8; gru 16 bidirectional; last")
    assert rows[0]["output"] == [7, 32] and rows[1]["output"] == [32]


@pytest.mark.parametrize("spec, message", [
    ("in 3x32x32; basic", "cannot read"),
    ("in 3x32x32; transition", "cannot read"),
    ("in 3x32x32; dense 6", "flattened input"),  # `dense N` alone is Keras's Dense = fc
    ("in 3x32x32; dropout 2", "fraction"),
    ("in 3x32x32; lstm 10", "sequence"),
    ("in 20; lstm 8 nobias onebias", "nobias and onebias"),
    ("in 3x32x32; c3", "6 maps"),
    ("in 3x32x32; conv 4 k3x", "unknown option"),
    ("in 3x32x32; maxpool 2 nobias", "does not apply"),
])
def test_bad_items_are_one_line_errors(spec, message):
    with pytest.raises(QuizgenError, match=message):
        parse_netspec(spec)
    r = run_cli("solve", "net", spec)
    assert r.returncode == 2 and r.stderr.startswith("quizgen: error:") and "Traceback" not in r.stderr


# ------------------------------------------------------------------- torch, every row

def _random_spec(rng: random.Random) -> str:
    """A random valid-looking stack mixing every new item (not all draws are valid)."""
    c, size = rng.choice([3, 16, 32]), rng.choice([16, 24, 32])
    items = [f"in {c}x{size}x{size + rng.choice([0, 4])}"]
    if rng.random() < 0.5:
        items.append(f"conv {rng.choice([8, 16])} k{rng.choice([3, 5])}x{rng.choice([1, 3])} "
                     f"s{rng.choice([1, 2])}x1 p1x{rng.choice([0, 2])} {rng.choice(['', 'nobias'])}")
    for _ in range(rng.randint(1, 3)):
        items.append(rng.choice(["bn", "relu", "dropout 0.2", f"basic {rng.choice([8, 16])} s{rng.choice([1, 2])}",
                                 f"bottleneck {rng.choice([4, 8])} s{rng.choice([1, 2])}",
                                 f"dense {rng.randint(1, 3)} g{rng.choice([4, 8])}", "transition 0.5",
                                 f"maxpool 2x{rng.choice([1, 2])}"]))
    items.append(rng.choice(["gap", "adaptiveavgpool 2x3; flatten", "mode keras; fc 5; flatten"]))
    items.append(f"fc {rng.choice([3, 10])}")
    return "; ".join(items)


def test_every_row_agrees_with_torch_modules():
    pytest.importorskip("torch")
    from solvers.torch_ref import run_rows

    rng, checked = random.Random(15), 0
    specs = sorted(TORCHVISION) + ["lenet5-1998", "lenet5", "alexnet",
                                   "in 20; embedding 1000 16; lstm 32 layers=2 bidirectional; last; fc 5",
                                   "in 12x6; rnn 8 nobias; gru 5 onebias; lstm 4; fc 2",
                                   "in 9; mode keras; embedding 50 4; lstm 6; gru 3; last"]
    while len(specs) < 60:
        specs.append(_random_spec(rng))
    for spec in specs:
        try:
            shape, layers, rows = net_rows(spec)
        except QuizgenError:
            continue
        torch_rows = run_rows(shape, layers)
        assert [(r["output"], r["params"], r["buffers"]) for r in rows] == [tuple(t) for t in torch_rows], spec
        checked += 1
    assert checked >= 40


def test_solve_net_verify_json():
    pytest.importorskip("torch")
    r = run_cli("solve", "net", "resnet18", "--json", "--verify")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["total_params"] == 11_689_512 and data["total_buffers"] == 9_600 and data["torch_check"] == "agrees"


# ------------------------------------------------------------------- cnn.block family

def _block(**values) -> list:
    from quizgen.registry import get_family
    from quizgen.sheet import build_problem

    fam = get_family("cnn.block")
    return [part.answer for part in build_problem(fam, fam.params_from_user(values), None, "custom").parts]


def test_cnn_block_resnet18_layer2_first_block():
    # torchvision resnet18.layer2[0]: 230,144 parameters (downsample 8,448); output 128×28×28
    assert _block(block="basic", input=[64, 56, 56], out=128, stride=2) == [
        [128, 28, 28], [128, 28, 28], True, 221_696, 8_448, 230_144]
    # resnet18.layer1[0]: identity shortcut, 73,984
    assert _block(block="basic", input=[64, 56, 56], out=64)[2:] == [False, 73_984, 0, 73_984]


def test_cnn_block_resnet50_layer1_first_bottleneck():
    # torchvision resnet50.layer1[0]: 75,008 parameters; output 256×56×56 (projection 64 → 256)
    assert _block(block="bottleneck", input=[64, 56, 56], out=64) == [
        [64, 56, 56], [64, 56, 56], [256, 56, 56], True, 75_008 - 16_896, 16_896, 75_008]


def test_cnn_block_densenet121_first_dense_layers():
    # torchvision densenet121.features.denseblock1.denselayer1: 45,440 parameters, 64 → 96 channels
    assert _block(block="dense", input=[64, 56, 56], n=2, growth=32) == [
        45_440, [96, 56, 56], 45_440 + 2 * 32 + 128 * 32, [128, 56, 56], 2 * 45_440 + 2 * 32 + 128 * 32]


def test_cnn_block_cli_and_bad_input():
    r = run_cli("solve", "cnn.block", "--set", "block=basic", "--set", "input=64x56x56", "--set", "out=128",
                "--set", "stride=2", "--lang", "zh")
    assert r.returncode == 0 and "230,144" in r.stdout and "投影" in r.stdout
    r = run_cli("solve", "cnn.block", "--set", "block=basic", "--set", "stride=9")
    assert r.returncode == 2 and r.stderr.startswith("quizgen: error:")


# ------------------------------------------------------------------- cnn.shape: rectangular, strict, check

def _shape(**values) -> list:
    from quizgen.registry import get_family
    from quizgen.sheet import build_problem

    fam = get_family("cnn.shape")
    layers = fam.params[1].parse(values.pop("layers"))
    return [p.answer for p in build_problem(fam, fam.params_from_user(dict(values, layers=layers)), None,
                                            "custom").parts]


def test_pytorch_docs_rectangular_conv2d_examples():
    # torch.nn.Conv2d docs: Conv2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2)) on 16×50×100 → 33×28×100
    assert _shape(input=[16, 50, 100], layers="conv 33 k3x5 s2x1 p4x2") == [[33, 28, 100]]
    # ... with dilation=(3, 1) → 33×26×100
    assert _shape(input=[16, 50, 100], layers="conv 33 k3x5 s2x1 p4x2 d3x1") == [[33, 26, 100]]


def test_cs231n_stride_that_does_not_fit():
    # CS231n notes: W = 10, F = 3, S = 2, P = 0 gives (10 - 3)/2 + 1 = 4.5: "invalid"; PyTorch floors to 4
    assert _shape(input=[1, 10, 10], layers="conv 1 k3 s2", check=1) == [[1, 4, 4], False, [1, 1]]
    # AlexNet conv1 on 227×227 fits exactly: (227 - 11)/4 + 1 = 55; on 224×224 it does not (54.25)
    assert _shape(input=[3, 227, 227], layers="conv 96 k11 s4", check=1) == [[96, 55, 55], True, [0, 0]]
    assert _shape(input=[3, 224, 224], layers="conv 96 k11 s4", check=1)[1:] == [False, [1, 1]]
    with pytest.raises(QuizgenError, match="strict"):
        _shape(input=[3, 224, 224], layers="conv 96 k11 s4", strict=True)


def test_check_parts_explain_pytorch_and_the_notes():
    r = run_cli("solve", "cnn.shape", "--set", "input=1x10x10", "--set", "layers=conv 1 k3 s2", "--set", "check=1")
    assert r.returncode == 0, r.stderr
    assert "PyTorch floors and accepts it" in r.stdout and "invalid" in r.stdout
    r = run_cli("solve", "cnn.shape", "--set", "input=1x10x10", "--set", "layers=conv 1 k3 s2", "--set", "check=3")
    assert r.returncode == 2 and "no conv or pooling layer 3" in r.stderr


def test_cnn_network_takes_every_modern_preset():
    from quizgen.registry import get_family
    from quizgen.render.terminal import solution_panel
    from quizgen.sheet import build_problem

    fam = get_family("cnn.network")
    for name, want in [*TORCHVISION.items(), ("lenet5-1998", 60_000)]:
        p = build_problem(fam, fam.params_from_user({"spec": fam.params[0].parse(name)}), None, "custom")
        assert p.parts[-1].answer == want, name
        assert p.statement.get("zh") and solution_panel(p, 1, "zh") is not None
    p = build_problem(fam, fam.params_from_user({"spec": fam.params[0].parse("in 3x8x8; conv 4 k3; bn; gap; fc 2")}),
                      None, "custom")
    assert [m.tag for m in p.mistakes if m.part == "b"] == ["bn_running_stats"] and p.parts[1].answer == 8


def test_cnn_params_without_weight_sharing_matches_lenet_c1_and_torch_unfold():
    from quizgen.registry import get_family
    from quizgen.sheet import build_problem

    fam = get_family("cnn.params")

    def solved(**values):
        return build_problem(fam, fam.params_from_user(values), None, "custom")

    # LeNet-5 C1: 156 shared parameters; locally connected, 28·28·156 = 122,304 (the paper's connections)
    p = solved(layer="conv", **{"in": 1}, out=6, k=5, size=32, unshared=True)
    assert [part.answer for part in p.parts] == [156, 122_304]
    assert {m.tag for m in p.mistakes if m.part == "b"} == {"input_positions", "shared_bias"}
    assert [part.id for part in solved(layer="conv", **{"in": 1}, out=6, k=5, size=32).parts] == ["a"]
    torch = pytest.importorskip("torch")
    assert torch
    from solvers.symbolic import cnn_params as sympy_ref
    from solvers.torch_ref import cnn_params as torch_ref

    rng = random.Random(8)
    for _ in range(200):
        values = dict(layer="conv", out=rng.choice([1, 4, 6, 16]), k=rng.choice([1, 3, 5]),
                      size=rng.choice([5, 8, 13, 28]), bias=rng.random() < 0.7, unshared=True, **{"in": rng.choice([1, 3])})
        p = solved(**values)
        key = {part.id: part.answer for part in p.parts}
        assert torch_ref(p.params) == key == sympy_ref(p.params), values


def test_cnn_network_recurrent_mistakes():
    from quizgen.registry import get_family
    from quizgen.sheet import build_problem

    fam = get_family("cnn.network")
    spec = fam.params[0].parse("in 20; embedding 1000 16; lstm 32 layers=2; last; fc 2")
    p = build_problem(fam, fam.params_from_user({"spec": spec}), None, "custom")
    assert p.parts[1].answer == (4 * 32 * 48 + 256) + (4 * 32 * 64 + 256)
    wrong = {m.tag: m.answer for m in p.mistakes if m.part == "b"}
    assert wrong == {"one_bias": p.parts[1].answer - 2 * 128, "later_input_size": 2 * (4 * 32 * 48 + 256)}
