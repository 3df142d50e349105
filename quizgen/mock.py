"""A mock exam in the shape of the course's final: `quizgen exam --seed 7 --pdf exam.pdf`.

    section A  short concept questions: bank items (single, multiple, true/false, short)
    section B  long essays: 2-3 of ESSAYS (the final's favourites) that the bank holds
    section C  computed problems: one family per THEME, the first registered family of the
               theme's topic whose name holds a preferred word (else any of that topic);
               themes without a family yet are left out, so the paper grows as families land
    marks      choice / true-false 2, short answer 4, essay 10, computed 2 per part up to
               CALC_MAX (a long trace is worth CALC_MAX, shared over its parts)
    total      Σ marks, stated in the title; every problem's title states its marks

The exam is an ordinary sheet (so `check`, `show`, `export` and `quiz --sheet` work on it),
drawn deterministically from the seed: items by default_rng([seed, SALT]) (quizgen.rng = numpy's).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from quizgen.errors import QuizgenError
from quizgen.model import Problem, Sheet, Text, t

SALT = 0xE8A4
ESSAYS = ("foundations-bio-neuron", "rnn-lstm-vs-gru", "cnn-resnet-vs-densenet",
          "attention-transformer-encoder-decoder", "foundations-learning-paradigms")
THEMES = (  # (what the final asks, topic, preferred words in the family name)
    (t("a conv/pool size chain", "卷积/池化尺寸链"), "cnn", ("shape",)),
    (t("a parameter count", "参数量计算"), "cnn", ("params",)),
    (t("a perceptron trace", "感知机训练过程"), "perceptron", ("rosenblatt", "trace")),
    (t("a backprop step", "一步反向传播"), "backprop", ("step", "mlp", "chain")),
    (t("an RNN step", "一步 RNN 计算"), "rnn", ("step", "cell", "rnn")),
)
SHORT_TYPES = ("single", "multiple", "truefalse", "short")
MARKS = {"single": 2, "multiple": 2, "truefalse": 2, "short": 4, "essay": 10}
PER_PART = 2
CALC_MAX = 15
SECTIONS = (t("A. Short questions", "一、简答与选择"), t("B. Essays", "二、论述题"), t("C. Calculations", "三、计算题"))


@dataclass(frozen=True)
class Exam:
    sheet: Sheet
    marks: tuple[int, ...]      # per problem
    sections: tuple[int, ...]   # section index (0 A, 1 B, 2 C) per problem

    @property
    def total(self) -> int:
        return sum(self.marks)


def theme_families() -> list[tuple[Text, object]]:
    """(theme, family) for each theme that a registered family covers."""
    from quizgen.registry import load_families

    families = list(load_families().values())
    out = []
    for theme, topic, words in THEMES:
        of_topic = [f for f in families if f.topic == topic and f not in [fam for _, fam in out]]
        preferred = [f for f in of_topic if any(w in f.name for w in words)]
        if preferred or of_topic:
            out.append((theme, (preferred or of_topic)[0]))
    return out


def _with_marks(problem: Problem, marks: int, per_part: bool) -> Problem:
    en = f"{marks} marks" + (f", {PER_PART} per part" if per_part else "")
    zh = f"{marks} 分" + (f"，每小题 {PER_PART} 分" if per_part else "")
    return dataclasses.replace(problem, title=Text(f"{problem.title.en} [{en}]", f"{problem.title.zh}（{zh}）"))


def build_exam(seed: int, concepts: int = 6, essays: int = 2, difficulty: str = "medium",
               lang: str = "en", bank_dirs=()) -> Exam:
    from quizgen.concept_problems import to_problem
    from quizgen.concepts import load_bank, warn
    from quizgen.rng import default_rng
    from quizgen.sheet import generate_problem, problem_seeds

    if not 0 <= concepts <= 20:
        raise QuizgenError("--concepts must be between 0 and 20")
    if not 0 <= essays <= len(ESSAYS):
        raise QuizgenError(f"--essays must be between 0 and {len(ESSAYS)}")
    if not 0 <= seed < 2**63:
        raise QuizgenError("seed must be a non-negative integer")
    bank = load_bank(bank_dirs, report=warn)
    rng = default_rng([seed, SALT])
    short = [i for i in bank.items if i.type in SHORT_TYPES]
    if concepts > len(short):
        raise QuizgenError(f"the bank has only {len(short)} short concept items; asked for {concepts}")
    picked = [short[i] for i in rng.permutation(len(short))[:concepts]]
    known = {i.id: i for i in bank.items}
    long_ids = [e for e in ESSAYS if e in known]
    long_items = [known[long_ids[i]] for i in sorted(rng.permutation(len(long_ids))[:essays])]
    problems, marks, sections = [], [], []
    for item in picked + long_items:
        m = MARKS[item.type]
        problems.append(_with_marks(to_problem(item), m, False))
        marks.append(m)
        sections.append(0 if item.type != "essay" else 1)
    themes = theme_families()
    for (_, family), s in zip(themes, problem_seeds(seed, len(themes))):
        level = difficulty if difficulty in family.difficulties else family.difficulties[0]
        problem = generate_problem(family, s, level)
        m = min(PER_PART * sum(p.kind != "text" for p in problem.parts), CALC_MAX)
        problems.append(_with_marks(problem, m, m < CALC_MAX))
        marks.append(m)
        sections.append(2)
    total = sum(marks)
    title = f"Mock exam — {total} marks" if lang == "en" else f"模拟考试 — 共 {total} 分"
    sheet = Sheet(title=title, seed=seed, difficulty=difficulty, lang=lang, topics=("exam",),
                  problems=tuple(problems))
    return Exam(sheet, tuple(marks), tuple(sections))


def exam_outline(exam: Exam, lang: str) -> list[tuple[str, int, int]]:
    """(section title, questions, marks) per section that has questions."""
    out = []
    for index, section in enumerate(SECTIONS):
        mine = [m for m, s in zip(exam.marks, exam.sections) if s == index]
        if mine:
            out.append((section.get(lang), len(mine), sum(mine)))
    return out
