"""Error carried forward, for every trace family of the registry (and the docs' example).

* follow-through on the key's own values reproduces the key, part by part;
* with one earlier value perturbed, the recomputed later values equal an independent
  reference's answers on the problem resumed from the perturbed value (`TraceFamily.resume`);
* grading a sheet answered with the perturbed value and the carried-forward values marks
  the first wrong part and the later ones 'carried'.
"""

from __future__ import annotations

import pytest

from quizgen import kinds
from quizgen.check import check_problem
from quizgen.registry import FAMILIES, load_families
from quizgen.sheet import generate_problem
from quizgen.trace import TraceFamily, run_trace
from tests.demo.running_sum import RunningSum, reference as demo_reference

SEEDS = range(40)


def trace_families() -> dict[str, TraceFamily]:
    return {n: f for n, f in load_families().items() if isinstance(f, TraceFamily)}


@pytest.fixture
def demo():
    """Register the docs' example family for one test only."""
    fam = RunningSum()
    FAMILIES.items[fam.name] = fam
    yield fam
    del FAMILIES.items[fam.name]


def perturbed(part, value):
    """A different value of the same form (the 'slip' a student makes)."""
    if part.kind in ("real", "integer"):
        return value + 1
    if part.kind == "vector":
        return [v + 1 for v in value]
    if part.kind == "matrix":
        return [[v + 1 for v in row] for row in value]
    if part.kind == "shape":
        return value[:-1] + [value[-1] + 1]
    if part.kind in ("boolean",):
        return not value
    if part.kind == "sign":
        return -value if value else 1
    return None


def cases(fam):
    for seed in SEEDS:
        yield generate_problem(fam, seed, fam.difficulties[seed % len(fam.difficulties)])


def check_follow_through_reproduces_key(fam):
    for p in cases(fam):
        key = {part.id: part.answer for part in p.parts}
        for part in p.parts:
            if part.trace:
                got = fam.follow_through(p.params, part.id, key)
                assert got is not None and kinds.equal(part, got, part.answer), (fam.name, p.seed, part.id)


def check_perturbed_against_reference(fam, refs):
    if getattr(fam, "resume_reason", None):
        return  # e.g. a total that is only a sum of the student's own parts (said in the family)
    checked = 0
    for p in cases(fam):
        for part in p.parts:
            slip = perturbed(part, part.answer) if part.trace else None
            resumed = fam.resume(p.params, part.id, slip) if slip is not None else None
            if resumed is None:
                continue
            params2, mapping = resumed
            given = {q.id: q.answer for q in p.parts[:p.parts.index(part)]} | {part.id: slip}
            run = run_trace(fam, p.params, given=given)
            if run.blocked:
                continue
            recomputed = {q.id: q.answer for q in run.parts}
            for ref in refs:
                want = ref(params2)
                for new_id, old_id in mapping.items():
                    assert kinds.equal(p.part(old_id), recomputed[old_id], want[new_id]), \
                        (fam.name, p.seed, part.id, old_id, recomputed[old_id], want[new_id])
            checked += 1
            break
    assert checked >= len(SEEDS) // 4, f"{fam.name}: resume() restarts too few problems ({checked})"


def check_grading_carries(fam):
    graded = 0
    for p in cases(fam):
        trace = [part for part in p.parts if part.trace]
        if len(trace) < 2:
            continue
        first = trace[0]
        slip = perturbed(first, first.answer)
        if slip is None:
            continue
        run = run_trace(fam, p.params, given={first.id: slip})
        if run.blocked:
            continue
        own = {q.id: q.answer for q in run.parts}
        own[first.id] = slip
        answers = {pid: kinds.show(p.part(pid), v) for pid, v in own.items() if p.part(pid).kind != "text"}
        results = {r.part: r for r in check_problem(p, 1, answers)}
        assert results[first.id].status == "wrong", (fam.name, p.seed)
        for q in trace[1:]:
            assert results[q.id].status in ("correct", "carried"), (fam.name, p.seed, q.id, results[q.id])
        graded += 1
    assert graded, f"{fam.name}: no problem with two trace parts to grade"


@pytest.mark.parametrize("name", sorted(trace_families()))
def test_follow_through_on_the_key_reproduces_the_key(name):
    check_follow_through_reproduces_key(trace_families()[name])


@pytest.mark.parametrize("name", sorted(trace_families()))
def test_carried_values_match_an_independent_reference(name):
    from tests.test_references import refs_or_skip

    check_perturbed_against_reference(trace_families()[name], refs_or_skip(name))


@pytest.mark.parametrize("name", sorted(trace_families()))
def test_a_slip_is_carried_forward_when_grading(name):
    check_grading_carries(trace_families()[name])


def test_the_docs_example_family(demo):
    check_follow_through_reproduces_key(demo)
    check_perturbed_against_reference(demo, [demo_reference])
    check_grading_carries(demo)
    p = generate_problem(demo, 3, "medium")
    assert [m.tag for m in p.mistakes] == ["subtracted"] * 3


def test_an_error_while_recomputing_is_not_swallowed(demo):
    class Broken(RunningSum):
        def trace(self, params):
            s = params["start"]
            for k, x in enumerate(params["x"], 1):
                if s != params["start"] + sum(params["x"][:k - 1]):
                    raise KeyError("bug")  # only on the student's values
                s = yield from _one(k, s, x)

    def _one(k, s, x):
        from quizgen.model import t
        from quizgen.trace import Value

        return (yield Value("integer", t(f"s{k}"), s + x, step=k))

    broken = Broken()
    p = generate_problem(demo, 1, "medium")
    with pytest.raises(KeyError):
        broken.follow_through(p.params, "b", {"a": p.parts[0].answer + 5})
