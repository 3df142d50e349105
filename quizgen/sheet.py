"""Building problems and sheets from families.

    problem seed_i = SeedSequence(sheet seed).generate_state(count)[i]
    family_i       = families of the chosen topics, round-robin in name order
    params_i       = family.generate(default_rng(seed_i), difficulty)   (quizgen.rng: numpy's, bit-exact)

Mixing with the concept bank (`kinds`): "computed" (the default) gives only generated
problems; "concept" only bank items; "all" puts a bank item in every second slot (as many
as the bank has for the topics).  Bank items are drawn by `concept_problems.draw` from the
sheet seed; computed slots keep the seeds and round-robin above, counted over computed slots.

A problem is fully determined by (family, family version, seed, difficulty, options), so
`regenerate(problem)` rebuilds the identical problem, and the same sheet options give
byte-identical JSON.
"""

from __future__ import annotations

import json

from quizgen.errors import QuizgenError
from quizgen.model import LANGS, Problem, Sheet, Text
from quizgen.registry import DIFFICULTIES, Family, get_family, names_for
from quizgen.rng import SeedSequence, default_rng


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
        figures=tuple(family.figures(params)),
    )


def generate_problem(family: Family, seed: int, difficulty: str) -> Problem:
    if difficulty not in family.difficulties:
        raise QuizgenError(f"{family.name} has no difficulty {difficulty!r}")
    params = family.generate(default_rng(seed), difficulty)
    return build_problem(family, params, seed, difficulty)


def regenerate(problem: Problem) -> Problem:
    """Rebuild a generated problem from its identity (family, seed, difficulty)."""
    if problem.family == "bank":
        from quizgen.concept_problems import rebuild

        return rebuild(problem)
    family = get_family(problem.family)
    if problem.seed is None:
        return build_problem(family, problem.params, None, problem.difficulty, problem.options)
    return generate_problem(family, problem.seed, problem.difficulty)


def random_seed() -> int:
    """A sheet seed below 10^6 from the OS's randomness, for a sheet asked for without one."""
    import os

    return int.from_bytes(os.urandom(8), "big") % 10**6


def problem_seeds(seed: int, count: int) -> list[int]:
    return SeedSequence(seed).generate_state(count)


SHEET_KINDS = ("computed", "concept", "all")


def _sources(topics: list[str], kinds: str, bank_dirs) -> tuple[list[str], list[str] | None]:
    """The computed families' names and the concept topics ([] = all, None = no concepts) of a
    sheet (no family module is imported: only those of the problems drawn are)."""
    if kinds == "computed":
        return names_for(topics), None
    from quizgen.concepts import TOPICS

    if kinds == "concept":
        unknown = [t for t in topics if t not in TOPICS]
        if unknown:
            raise QuizgenError(f"no concept items for topic {unknown[0]!r}; concept topics: {', '.join(TOPICS)}")
        return [], topics
    computed = [t for t in topics if _is_computed(t)]
    concept = [t for t in topics if t in TOPICS]
    unknown = [t for t in topics if t not in computed and t not in concept]
    if unknown:
        names_for(unknown)  # raises the usual unknown-topic error
    families = names_for(computed) if computed or not topics else []
    return families, (concept if concept or not topics else None)


def _is_computed(topic: str) -> bool:
    try:
        return bool(names_for([topic]))
    except QuizgenError:
        return False


def _unseen_problem(family: Family, sheet_seed: int, index: int, seed: int, difficulty: str,
                    seen: set) -> Problem:
    """A problem whose params no earlier problem of the sheet has: a repeat is redrawn with
    seeds from SeedSequence([sheet seed, index, attempt]) (kept after 20 tries: tiny families)."""
    problem = generate_problem(family, seed, difficulty)
    for attempt in range(1, 21):
        key = (family.name, json.dumps(problem.params, sort_keys=True))
        if key not in seen:
            break
        alt = SeedSequence([sheet_seed, index, attempt]).generate_state(1)[0]
        problem = generate_problem(family, alt, difficulty)
    seen.add((family.name, json.dumps(problem.params, sort_keys=True)))
    return problem


def generate_sheet(topics: list[str] | tuple[str, ...] = (), count: int = 6, seed: int = 1,
                   difficulty: str = "medium", lang: str = "en", title: str | None = None,
                   kinds: str = "computed", bank_dirs=()) -> Sheet:
    if difficulty not in DIFFICULTIES:
        raise QuizgenError(f"unknown difficulty {difficulty!r}; use one of {', '.join(DIFFICULTIES)}")
    if lang not in LANGS:
        raise QuizgenError(f"unknown language {lang!r}; use en or zh")
    if not 1 <= count <= 500:
        raise QuizgenError("count must be between 1 and 500")
    if not 0 <= seed < 2**63:
        raise QuizgenError("seed must be a non-negative integer")
    if kinds not in SHEET_KINDS:
        raise QuizgenError(f"unknown kinds {kinds!r}; use one of {', '.join(SHEET_KINDS)}")
    topics = [t.strip().lower() for t in topics]  # topic and family names are case-insensitive
    families, concept_topics = _sources(topics, kinds, bank_dirs)
    concepts: list[Problem] = []
    if concept_topics is not None:
        from quizgen.concept_problems import draw
        from quizgen.concepts import load_bank, warn

        bank = load_bank(bank_dirs, report=warn)
        n = count if not families else min(count // 2, len(bank.select(concept_topics)))
        concepts = draw(bank, concept_topics, n, seed, difficulty)
    is_concept = [i % 2 == 1 and i // 2 < len(concepts) if families else True for i in range(count)]
    seeds = problem_seeds(seed, count)
    problems, used, seen = [], 0, set()
    for i in range(count):
        if is_concept[i]:
            problems.append(concepts[sum(is_concept[:i])])
        else:
            problems.append(_unseen_problem(get_family(families[used % len(families)]), seed, i, seeds[i], difficulty,
                                            seen))
            used += 1
    default_title = "Practice sheet" if lang == "en" else "练习题"
    return Sheet(title=title or default_title, seed=seed, difficulty=difficulty, lang=lang,
                 topics=tuple(topics), problems=tuple(problems))
