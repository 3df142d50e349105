"""cnn.conv_values and cnn.pool_values: published worked examples, mistakes, bad input."""

from __future__ import annotations

import pytest

from conftest import run_cli
from quizgen.check import check_problem
from quizgen.registry import get_family
from quizgen.sheet import build_problem

CONV, POOL = get_family("cnn.conv_values"), get_family("cnn.pool_values")


def solved(fam, **values):
    parsed = {p.name: p.parse(values[p.name]) for p in fam.params if p.name in values}
    return build_problem(fam, fam.params_from_user(parsed), None, "custom")


def test_d2l_cross_correlation():
    """Dive into Deep Learning §7.2.1: X = [[0,1,2],[3,4,5],[6,7,8]], K = [[0,1],[2,3]]."""
    p = solved(CONV, image="[[0,1,2],[3,4,5],[6,7,8]]", kernel="[[0,1],[2,3]]")
    assert p.parts[0].answer == [2, 2] and p.parts[1].answer == [[19, 25], [37, 43]]
    flipped = [m for m in p.mistakes if m.tag == "flipped"][0]
    assert flipped.answer == [[5, 11], [23, 29]]  # true convolution: K rotated to [[3,2],[1,0]]


def test_d2l_edge_detection():
    """D2L §7.2.3: X = ones(6, 8) with columns 2..5 zero, K = [[1, -1]]: 1 at the white→black edge,
    −1 at the black→white edge."""
    image = [[1, 1, 0, 0, 0, 0, 1, 1]] * 6
    p = solved(CONV, image=str(image), kernel="[[1, -1]]")
    assert p.parts[0].answer == [6, 7] and p.parts[1].answer == [[0, 1, 0, 0, 0, -1, 0]] * 6


def test_ng_vertical_edge_detector():
    """Andrew Ng, deeplearning.ai course 4 week 1: a 6×6 image, bright left half, with the 3×3
    vertical-edge kernel gives a 4×4 map with 30s in the middle."""
    p = solved(CONV, image=str([[10, 10, 10, 0, 0, 0]] * 6), kernel=str([[1, 0, -1]] * 3))
    assert p.parts[1].answer == [[0, 30, 30, 0]] * 4


def test_d2l_two_input_channels():
    """D2L §7.4.1: two input channels summed: [[56, 72], [104, 120]]."""
    p = solved(CONV, image="[[0,1,2],[3,4,5],[6,7,8]]", image2="[[1,2,3],[4,5,6],[7,8,9]]",
               kernel="[[0,1],[2,3]]", kernel2="[[1,2],[3,4]]")
    assert [q.answer for q in p.parts[1:]] == [[[19, 25], [37, 43]], [[37, 47], [67, 77]], [[56, 72], [104, 120]]]
    # a slip in channel 1 is carried into the sum
    results = {r.part: r for r in check_problem(p, 1, {"b": "[[19, 25], [37, 44]]", "c": "[[37,47],[67,77]]",
                                                       "d": "[[56, 72], [104, 121]]"})}
    assert results["b"].status == "wrong" and results["d"].status == "carried"


def test_stride_padding_bias_and_their_mistakes():
    p = solved(CONV, image="[[1,2,3,4],[5,6,7,8],[9,10,11,12],[13,14,15,16]]", kernel="[[1,0],[0,1]]",
               stride="2", padding="1", bias="1")
    # padded 6×6, windows at rows/cols 0, 2, 4: P[2i][2j] + P[2i+1][2j+1] + 1
    assert p.parts[0].answer == [3, 3]
    assert p.parts[1].answer == [[2, 4, 1], [10, 18, 9], [1, 15, 17]]
    assert {"stride_ignored", "no_plus_one"} <= {m.tag for m in p.mistakes}  # no padding: 2×2, as no +1
    padded = solved(CONV, image="[[1,2,3],[4,5,6],[7,8,9]]", kernel="[[1,1],[1,1]]", padding="1")
    assert {(m.tag, str(m.answer)) for m in padded.mistakes if m.part == "a"} == {
        ("no_plus_one", "[3, 3]"), ("padding_ignored", "[2, 2]")}
    results = {r.part: r for r in check_problem(p, 1, {"a": "5x5"})}
    assert results["a"].mistake == "stride_ignored"


def test_d2l_pooling():
    """D2L §7.5.1: X = [[0,1,2],[3,4,5],[6,7,8]], 2×2 pooling with stride 1."""
    assert solved(POOL, x="[[0,1,2],[3,4,5],[6,7,8]]", kind="max", stride="1").parts[1].answer == [[4, 5], [7, 8]]
    assert solved(POOL, x="[[0,1,2],[3,4,5],[6,7,8]]", kind="avg", stride="1").parts[1].answer == [[2, 3], [5, 6]]


def test_d2l_pooling_padding_and_stride():
    """D2L §7.5.2: X = arange(16) as 4×4; MaxPool2d(3) gives [[10]]; MaxPool2d(3, padding=1, stride=2)
    gives [[5, 7], [13, 15]]."""
    x = str([[4 * i + j for j in range(4)] for i in range(4)])
    assert solved(POOL, x=x, kind="max", k="3").parts[1].answer == [[10]]
    assert solved(POOL, x=x, kind="max", k="3", padding="1", stride="2").parts[1].answer == [[5, 7], [13, 15]]


def test_cs231n_max_pooling():
    """CS231n notes, pooling layer figure: 2×2 filters, stride 2."""
    p = solved(POOL, x="[[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]]", kind="max")
    assert p.parts[1].answer == [[6, 8], [3, 4]]


def test_count_include_pad_both_ways():
    # corner window of [[1,2],[3,4]] padded by 1, k = 2, s = 1: one real cell (1)
    on = solved(POOL, x="[[1,2],[3,4]]", kind="avg", padding="1", stride="1")
    off = solved(POOL, x="[[1,2],[3,4]]", kind="avg", padding="1", stride="1", count_include_pad="no")
    assert on.parts[1].answer[0] == [0.25, 0.75, 0.5] and off.parts[1].answer[0] == [1, 1.5, 2]
    assert "count_include_pad=True" in on.statement.en and "count_include_pad=False" in off.statement.en
    results = {r.part: r for r in check_problem(on, 1, {"b": str(off.parts[1].answer)})}
    assert results["b"].mistake == "count_include_pad"


def test_max_pooling_pads_with_minus_infinity():
    p = solved(POOL, x="[[-1,-2],[-3,-4]]", kind="max", padding="1", stride="1")
    assert p.parts[1].answer == [[-1, -1, -2], [-1, -1, -2], [-3, -3, -4]]
    assert "pad_zero" in {m.tag for m in p.mistakes}


@pytest.mark.parametrize("args, message", [
    (("cnn.conv_values", "--set", "image=[[1,2],[3,4]]", "--set", "kernel=[[1,2,3],[4,5,6],[7,8,9]]"), "larger"),
    (("cnn.conv_values", "--set", "image=[[1,2],[3,4]]", "--set", "kernel=[[1]]", "--set", "image2=[[1,2],[3,4]]"),
     "come together"),
    (("cnn.conv_values", "--set", "image=[[1,2],[3]]", "--set", "kernel=[[1]]"), "image"),
    (("cnn.pool_values", "--set", "x=[[1,2],[3,4]]", "--set", "kind=max", "--set", "padding=2"), "half the window"),
    (("cnn.pool_values", "--set", "x=[[1,2],[3,4]]", "--set", "kind=median"), "kind"),
])
def test_bad_input_is_one_line(args, message):
    r = run_cli("solve", *args)
    assert r.returncode == 2 and r.stderr.startswith("quizgen: error:") and message in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1
