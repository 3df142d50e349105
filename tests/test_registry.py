"""The family contract, checked for every registered family (never a hand-kept list)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from quizgen.mathtext import to_unicode
from quizgen.kinds import KINDS
from quizgen.model import Sheet, Problem
from quizgen.registry import DIFFICULTIES, Family, load_families
from quizgen.sheet import generate_problem, generate_sheet, regenerate
from quizgen import kinds

FAMILIES = load_families()
NAMES = sorted(FAMILIES)
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_registry_is_discovered_not_listed():
    assert {"cnn.shape", "cnn.params", "cnn.network", "cnn.flatten"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_declarations(name):
    fam = FAMILIES[name]
    assert isinstance(fam, Family) and fam.name == name and fam.topic
    assert fam.version >= 1
    assert fam.title.en and CJK.search(fam.title.zh)
    assert fam.summary.en and CJK.search(fam.summary.zh)
    assert set(fam.difficulties) <= set(DIFFICULTIES) and fam.difficulties
    assert all(c.en and CJK.search(c.zh) for c in fam.conventions)
    assert fam.example.startswith("quizgen ")
    for p in fam.params:
        assert p.name and p.help and p.example
        p.parse(p.example)  # the documented example parses


@pytest.mark.parametrize("name", NAMES)
def test_generation_contract(name):
    fam = FAMILIES[name]
    for difficulty in fam.difficulties:
        for seed in range(20):
            p = generate_problem(fam, seed, difficulty)
            # deterministic, and identical when regenerated from its identity
            assert regenerate(p) == p
            assert generate_problem(fam, seed, difficulty).to_dict() == p.to_dict()
            # JSON round trip
            assert Problem.from_dict(json.loads(json.dumps(p.to_dict()))) == p
            # parts: unique ids, known kinds, answers readable in both languages
            ids = [part.id for part in p.parts]
            assert len(ids) == len(set(ids)) and ids
            for part in p.parts:
                assert part.kind in KINDS
                assert part.prompt.en and CJK.search(part.prompt.zh)
                kinds.show(part, part.answer)
            # statements in both languages, math balanced, terminal text has no backslash
            for lang in ("en", "zh"):
                text = p.statement.get(lang)
                assert text.count("$") % 2 == 0
                assert "\\" not in to_unicode(text.replace("```", ""))
                for step in p.steps:
                    assert step.get(lang).count("$") % 2 == 0
                    assert "\\" not in to_unicode(step.get(lang))
            assert CJK.search(p.statement.zh)
            assert p.steps


@pytest.mark.parametrize("name", NAMES)
def test_mistakes_are_wrong_answers(name):
    fam = FAMILIES[name]
    for difficulty in fam.difficulties:
        for seed in range(30):
            p = generate_problem(fam, seed, difficulty)
            for m in p.mistakes:
                part = p.part(m.part)
                assert m.explanation.en and CJK.search(m.explanation.zh)
                if m.answer != "*":
                    assert not kinds.equal(part, m.answer, part.answer), (m.tag, seed)


def test_same_sheet_twice_is_byte_identical():
    a = generate_sheet(["cnn"], 8, 42, "hard").to_json()
    b = generate_sheet(["cnn"], 8, 42, "hard").to_json()
    assert a == b
    assert Sheet.from_json(a).to_json() == a
    assert generate_sheet(["cnn"], 8, 43, "hard").to_json() != a


def test_sheet_covers_every_family_of_a_topic():
    sheet = generate_sheet(["cnn"], 8, 1)
    cnn = {n for n, f in FAMILIES.items() if f.topic == "cnn"}
    assert {p.family for p in sheet.problems} == cnn


def test_seeds_differ_between_problems():
    sheet = generate_sheet(["cnn.shape"], 5, 7)
    assert len({p.seed for p in sheet.problems}) == 5
    assert len({json.dumps(p.params) for p in sheet.problems}) == 5


@pytest.mark.parametrize("name", NAMES)
def test_numbers_are_hand_sized(name):
    """Friendly draws: sizes at least 1, answers that fit a calculator display."""
    fam = FAMILIES[name]
    rng_seeds = range(40)
    for difficulty in fam.difficulties:
        for seed in rng_seeds:
            p = generate_problem(fam, seed, difficulty)
            for part in p.parts:
                flat = np.ravel(np.array(part.answer, dtype=object)) if part.kind != "text" else []
                for v in flat:
                    if isinstance(v, (int, float)):
                        assert abs(v) < 1e9
                        if part.kind == "shape":
                            assert v >= 1


@pytest.mark.parametrize("name", NAMES)
def test_a_sheet_never_repeats_a_problem(name):
    for difficulty in FAMILIES[name].difficulties:
        sheet = generate_sheet([name], 20, 21, difficulty)
        assert len({json.dumps(p.params, sort_keys=True) for p in sheet.problems}) == 20
        assert all(regenerate(p) == p for p in sheet.problems)


@pytest.mark.parametrize("name", NAMES)
def test_every_family_passes_sheet_validation(name):
    """What a family writes is what the sheet loader accepts (every field validated on load)."""
    fam = FAMILIES[name]
    problems = tuple(generate_problem(fam, seed, d) for d in fam.difficulties for seed in range(5))
    sheet = Sheet("t", 1, "medium", "en", (), problems)
    assert Sheet.from_json(sheet.to_json()) == sheet


def test_index_matches_the_families():
    """problems/_index.py (what `topics` and topic filters read without importing a family)
    says what the families themselves say; after a change run `python -m quizgen.registry`."""
    from quizgen.registry import index, index_entry, family_module

    assert index() == {name: index_entry(fam) for name, fam in FAMILIES.items()}, \
        "problems/_index.py is stale: run `python -m quizgen.registry`"
    for name, fam in FAMILIES.items():
        assert type(fam).__module__ == family_module(name)


def test_a_sheet_imports_only_the_families_it_draws():
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import json, sys\nfrom quizgen.sheet import generate_sheet\nfrom quizgen.registry import families_for\n"
            "sheet = generate_sheet([], 3, 5)\nprint(json.dumps(sorted({p.family for p in sheet.problems})))\n"
            "print(json.dumps(sorted(m.split('.')[1] for m in sys.modules if m.startswith('problems.') and "
            "not m.startswith('problems._'))))\nfamilies_for(['cnn'])\n"
            "print(json.dumps(sorted(m.split('.')[1] for m in sys.modules if m.startswith('problems.cnn'))))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    drawn, imported, cnn = (json.loads(line) for line in r.stdout.splitlines())
    assert len(drawn) == 3 and sorted(n.replace(".", "_") for n in drawn) == imported, r.stderr
    assert cnn == sorted(n.replace(".", "_") for n, f in FAMILIES.items() if f.topic == "cnn")


def test_unknown_family_and_topic_are_one_line_errors():
    from quizgen.errors import QuizgenError
    from quizgen.registry import get_family, names_for

    with pytest.raises(QuizgenError, match="unknown family '../etc'"):
        get_family("../etc")
    with pytest.raises(QuizgenError, match="did you mean 'cnn.shape'"):
        names_for(["cnn.shap"])
