"""Every family's answers agree with independent solvers (torch modules, SymPy) over many seeds."""

from __future__ import annotations

import pytest

from quizgen.registry import load_families
from quizgen.sheet import generate_problem
from solvers import references

FAMILIES = load_families()
SEEDS = range(200)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_every_family_has_an_independent_reference(name):
    assert references(name), f"{name} has no reference solver in solvers/"


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_answers_agree_with_references(name):
    fam = FAMILIES[name]
    refs = references(name)
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
