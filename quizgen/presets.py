"""The named networks of `quizgen solve net`, as net specs (quizgen/netspec.py).

Totals (biases counted, BatchNorm γ and β counted, running statistics not), equal to
torchvision's: resnet18 11,689,512; resnet34 21,797,672; resnet50 25,557,032;
vgg11 132,863,336; vgg16 138,357,544; vgg19 143,667,240; densenet121 7,978,856.
lenet5 (today's ReLU/max-pool variant) 61,706; alexnet (one stream, no LRN) 62,378,344;
lenet5-1998 (LeCun et al. 1998, C1 to F6; the fixed RBF output layer left out) 60,000.
In `basic C s2 x2` the stride applies to the first block of the stage only.
"""

from __future__ import annotations

_STEM = "in 3x224x224; conv 64 k7 s2 p3 nobias; bn; relu; maxpool 3 s2 p1"
_HEAD = "gap; fc 1000"
_VGG_HEAD = "adaptiveavgpool 7x7; flatten; fc 4096; relu; dropout 0.5; fc 4096; relu; dropout 0.5; fc 1000"


def _resnet(block: str, counts: tuple[int, ...]) -> str:
    widths = (64, 128, 256, 512)
    stages = [f"{block} {w}{' s2' if i else ''} x{n}" for i, (w, n) in enumerate(zip(widths, counts))]
    return "; ".join([_STEM, *stages, _HEAD])


def _vgg(cfg: str) -> str:
    items = ["maxpool 2" if c == "M" else f"conv {c} k3 p1" for c in cfg.split()]
    return "; ".join(["in 3x224x224", *items, _VGG_HEAD])


def _densenet(counts: tuple[int, ...], growth: int = 32) -> str:
    items = []
    for i, n in enumerate(counts):
        items.append(f"dense {n} g{growth}")
        if i < len(counts) - 1:
            items.append("transition 0.5")
    return "; ".join([_STEM, *items, "bn; relu", _HEAD])


PRESETS: dict[str, str] = {
    "lenet5": "in 1x32x32; conv 6 k5; maxpool 2; conv 16 k5; maxpool 2; flatten; fc 120; fc 84; fc 10",
    "lenet5-1998": "in 1x32x32; conv 6 k5; subsample 2; c3; subsample 2; conv 120 k5; flatten; fc 84",
    "alexnet": ("in 3x227x227; conv 96 k11 s4; maxpool 3 s2; conv 256 k5 p2; maxpool 3 s2; "
                "conv 384 k3 p1; conv 384 k3 p1; conv 256 k3 p1; maxpool 3 s2; flatten; "
                "fc 4096; fc 4096; fc 1000"),
    "vgg16": ("in 3x224x224; conv 64 k3 p1; conv 64 k3 p1; maxpool 2; conv 128 k3 p1; conv 128 k3 p1; "
              "maxpool 2; conv 256 k3 p1; conv 256 k3 p1; conv 256 k3 p1; maxpool 2; conv 512 k3 p1; "
              "conv 512 k3 p1; conv 512 k3 p1; maxpool 2; conv 512 k3 p1; conv 512 k3 p1; "
              "conv 512 k3 p1; maxpool 2; flatten; fc 4096; fc 4096; fc 1000"),
    "vgg11": _vgg("64 M 128 M 256 256 M 512 512 M 512 512 M"),
    "vgg19": _vgg("64 64 M 128 128 M 256 256 256 256 M 512 512 512 512 M 512 512 512 512 M"),
    "resnet18": _resnet("basic", (2, 2, 2, 2)),
    "resnet34": _resnet("basic", (3, 4, 6, 3)),
    "resnet50": _resnet("bottleneck", (3, 4, 6, 3)),
    "densenet121": _densenet((6, 12, 24, 16)),
}
