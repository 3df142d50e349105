"""Building problems and sheets from families.

    problem seed_i = SeedSequence(sheet seed).generate_state(count)[i]
    family_i       = families of the chosen topics, round-robin in name order
    params_i       = family.generate(numpy.random.default_rng(seed_i), difficulty)

A problem is fully determined by (family, family version, seed, difficulty, options), so
`regenerate(problem)` rebuilds the identical problem, and the same sheet options give
byte-identical JSON.
"""

from __future__ import annotations

from quizgen.errors import QuizgenError
from quizgen.model import LANGS, Problem, Sheet, Text
from quizgen.registry import DIFFICULTIES, Family, families_for, get_family


def build_problem(family: Family, params: dict, seed: int | None, difficulty: str,
                  options: dict | None = None) -> Problem:
    """Solve and render `params` into a complete Problem."""
    solution = family.solve(params)
    return Problem(
        family=family.name,
        family_version=family.version,
        seed=seed,
        difficulty=difficulty,
        options=options or {},
        topic=family.topic,
        title=family.title,
        params=params,
        statement=Text(family.render(params, "en"), family.render(params, "zh")),
        parts=solution.parts,
        steps=solution.steps,
        mistakes=tuple(family.mistakes(params)),
        conventions=family.conventions,
    )


def generate_problem(family: Family, seed: int, difficulty: str) -> Problem:
    import numpy as np

    if difficulty not in family.difficulties:
        raise QuizgenError(f"{family.name} has no difficulty {difficulty!r}")
    params = family.generate(np.random.default_rng(seed), difficulty)
    return build_problem(family, params, seed, difficulty)


def regenerate(problem: Problem) -> Problem:
    """Rebuild a generated problem from its identity (family, seed, difficulty)."""
    family = get_family(problem.family)
    if problem.seed is None:
        return build_problem(family, problem.params, None, problem.difficulty, problem.options)
    return generate_problem(family, problem.seed, problem.difficulty)


def problem_seeds(seed: int, count: int) -> list[int]:
    import numpy as np

    return [int(s) for s in np.random.SeedSequence(seed).generate_state(count)]


def generate_sheet(topics: list[str] | tuple[str, ...] = (), count: int = 6, seed: int = 1,
                   difficulty: str = "medium", lang: str = "en", title: str | None = None) -> Sheet:
    if difficulty not in DIFFICULTIES:
        raise QuizgenError(f"unknown difficulty {difficulty!r}; use one of {', '.join(DIFFICULTIES)}")
    if lang not in LANGS:
        raise QuizgenError(f"unknown language {lang!r}; use en or zh")
    if not 1 <= count <= 500:
        raise QuizgenError("count must be between 1 and 500")
    if not 0 <= seed < 2**63:
        raise QuizgenError("seed must be a non-negative integer")
    families = families_for(list(topics))
    seeds = problem_seeds(seed, count)
    problems = tuple(generate_problem(families[i % len(families)], seeds[i], difficulty) for i in range(count))
    default_title = "Practice sheet" if lang == "en" else "练习题"
    return Sheet(title=title or default_title, seed=seed, difficulty=difficulty, lang=lang,
                 topics=tuple(topics), problems=problems)
