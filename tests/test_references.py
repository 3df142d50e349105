"""Every family's answers agree with independent solvers (torch modules, SymPy) over many seeds."""

from __future__ import annotations

import pytest

from quizgen.registry import load_families
from quizgen.sheet import generate_problem
from solvers import references, unavailable

FAMILIES = load_families()
SEEDS = range(200)


def refs_or_skip(name: str):
    """The family's references; skip (with the reason) when only a missing optional package
    stands between it and one; fail when it has none at all."""
    refs = references(name)
    if not refs and unavailable():
        missing = ", ".join(f"solvers/{m}.py needs {pkg}" for m, pkg in sorted(unavailable().items()))
        pytest.skip(f"no reference for {name} loaded: {missing}")
    assert refs, f"{name} has no reference solver in solvers/"
    return refs


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_every_family_has_an_independent_reference(name):
    refs_or_skip(name)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_answers_agree_with_references(name):
    fam = FAMILIES[name]
    refs = refs_or_skip(name)
    checked = 0
    for seed in SEEDS:
        difficulty = fam.difficulties[seed % len(fam.difficulties)]
        p = generate_problem(fam, seed, difficulty)
        key = {part.id: part.answer for part in p.parts}
        for ref in refs:
            got = ref(p.params)
            assert set(got) == set(key), (ref.__module__, seed)
            for pid, value in got.items():
                part = p.part(pid)
                assert _agree(part, value, key[pid]), (ref.__module__, name, seed, difficulty, pid, value, key[pid])
            checked += 1
    assert checked >= len(SEEDS)


def test_torch_reference_is_present_in_ci():
    torch = pytest.importorskip("torch")
    assert torch.__version__
    names = {ref.__module__ for ref in references("cnn.shape")}
    assert "solvers.torch_ref" in names and "solvers.symbolic" in names


def _agree(part, got, want) -> bool:
    from quizgen import kinds

    return kinds.equal(part, got, want)


def test_without_torch_the_reference_tests_skip_with_a_reason():
    """Run in a fresh interpreter where `import torch` fails: the torch solvers are reported
    as unavailable (the tests then skip saying so) and the SymPy ones still load."""
    import subprocess
    import sys

    code = ("import sys; sys.modules['torch'] = None\n"
            "from solvers import references, unavailable\n"
            "refs = references('cnn.shape')\n"
            "print(sorted(unavailable().items()), sorted(r.__module__ for r in refs))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "('torch_ref', 'torch')" in out and "('training_ref', 'torch')" in out
    assert "solvers.symbolic" in out and "solvers.torch_ref" not in out.split("]")[1]
